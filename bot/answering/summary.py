"""What the answer path needs about the whole live corpus, computed once per catalog generation and kept.

The corpus's main-event markers (which articles are about the main event, the names and dates their
leads share, their years, the words their titles share) are an aggregate over every article:
computing them reads every title and lead, which at 10,000
articles would make each engine start cost seconds. They are computed by the first engine that
loads a generation (a refresh made through the engine, or the command line's refresh) and stored
beside the lead cache; every later start reads one row.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from pathlib import Path

from bot.answering.events import article_event
from bot.answering.leads import ArticleMarkersCache, main_event_markers_cached
from bot.ingest.catalog import Catalog
from bot.ingest.store import current_generation
from bot.models import ArticleMeta
from bot.text.tokens import content_stems

CACHE = "lead-markers.sqlite3"
VERSION = 4  # bump when what a summary holds changes (2: the main event's articles, its place and span; 3: their sources;
# 4: their follow-ups among them)


def _encode(markers: dict[str, frozenset]) -> str:
    return json.dumps({k: sorted(list(x) if isinstance(x, tuple) else x for x in v) for k, v in markers.items()})


def _decode(data: str) -> dict[str, frozenset]:
    raw = json.loads(data)
    return {k: frozenset(tuple(x) if isinstance(x, list) else x for x in v) for k, v in raw.items()}


def compute_markers(catalog: Catalog, data_dir: Path) -> dict[str, frozenset]:
    """The main-event markers of the live corpus, from every live article's lead and title."""
    manifest = catalog.manifest()
    metas = [ArticleMeta(**m) for m in manifest["articles"]]  # in the leads' order
    markers, members = main_event_markers_cached(manifest["leads"], [m.published for m in metas], data_dir / CACHE,
                                                 [m.title for m in metas])
    # what the main event's titles share is the corpus's subject ("ISIS-K", "Moscow"): it names no other event
    in_titles = Counter(s for k in members for s in set(content_stems(metas[k].title)))
    markers["common"] = frozenset(s for s, c in in_titles.items() if c >= 2)
    # the main event's articles by name, follow-ups included (a report weeks later naming its place): a full-text
    # search can look among them alone when reports on other events crowd its ranking (Retriever.retrieve_lexical),
    # and a word only they use is the main event's (ScopeCheck.missing_terms)
    if markers.get("anchor"):
        cache = ArticleMarkersCache(data_dir / CACHE)
        try:
            found = cache.get_many([(m.title, lead) for m, lead in zip(metas, manifest["leads"])])
        finally:
            cache.close()
        inside = set(members) | {k for k, m in enumerate(found) if article_event(m, metas[k].published, markers) is None}
        markers["sources"] = frozenset(metas[k].source for k in sorted(inside))
    else:
        markers["sources"] = frozenset()
    return markers


def main_markers(catalog: Catalog, data_dir: Path) -> dict[str, frozenset]:
    """The live corpus's main-event markers: stored for this catalog generation, else computed and stored."""
    key = f"{VERSION}:{catalog.path.name}:{catalog.generation}"
    db = sqlite3.connect(str(data_dir / CACHE), timeout=30)
    try:
        db.execute("CREATE TABLE IF NOT EXISTS summary (key TEXT PRIMARY KEY, data TEXT NOT NULL)")
        row = db.execute("SELECT data FROM summary WHERE key = ?", (key,)).fetchone()
        if row is not None:
            return _decode(row[0])
        markers = compute_markers(catalog, data_dir)
        with db:  # only the latest generation's summary is ever read again
            db.execute("DELETE FROM summary")
            db.execute("INSERT OR REPLACE INTO summary VALUES (?, ?)", (key, _encode(markers)))
        return markers
    finally:
        db.close()


def prime(data_dir: Path) -> None:
    """Compute and store the live generation's markers now (after a refresh), so the next start only reads them."""
    gen = current_generation(data_dir)
    if gen is None:
        return
    catalog = Catalog(gen.catalog_path(data_dir), readonly=True)
    try:
        main_markers(catalog, data_dir)
    finally:
        catalog.close()


__all__ = ["compute_markers", "main_markers", "prime"]
