"""The corpus's main-event markers from the articles' titles and leads, with each article's markers cached on disk.

`events.main_event_markers` reads names and dates out of every article's lead (and its title, to
tell which articles are about the main event); that costs several milliseconds an article, so an
engine over 10,000 articles would spend minutes on it at every start. Each article's markers are
kept in a small SQLite cache in the data dir, keyed by the hash of its title and lead: a refresh
computes only the articles it has not seen (the ones added or edited since), and the aggregation
is the same as `main_event_markers(leads, published, titles)`.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path

from bot.answering.events import Markers, aggregate, main_cluster, markers, merge

TABLE = "article_markers_v2"  # per article: its lead's markers, and its title's and lead's together


def _key(title: str, lead: str) -> str:
    return hashlib.sha1(f"{title}\n{lead}".encode("utf-8")).hexdigest()


def _encode(m: Markers) -> str:
    return json.dumps([sorted(m.years), sorted(m.dates), sorted(m.names), sorted(m.places), sorted(m.place_runs)])


def _decode(data: str) -> Markers:
    y, d, n, p, r = json.loads(data)
    return Markers(frozenset(y), frozenset(tuple(x) for x in d), frozenset(n), frozenset(p), frozenset(tuple(x) for x in r))


def article_markers(title: str, lead: str) -> tuple[Markers, Markers]:
    """An article's lead markers, and its title's and lead's together (what says which event it is about)."""
    lead_m = markers(lead)
    return lead_m, merge(markers(title), lead_m)


def main_event_markers_cached(leads: Sequence[str], published: Iterable[str | None], cache: Path,
                              titles: Sequence[str]) -> tuple[dict[str, frozenset], list[int]]:
    """Exactly `events.main_event_markers(leads, published, titles)`, computing only uncached articles;
    and the indices of the articles about the main event."""
    published = list(published)
    db = sqlite3.connect(str(cache), timeout=30)
    try:
        db.execute(f"CREATE TABLE IF NOT EXISTS {TABLE} (key TEXT PRIMARY KEY, lead TEXT, article TEXT)")
        for old in ("lead_markers", "article_markers"):  # caches of earlier versions
            db.execute(f"DROP TABLE IF EXISTS {old}")
        known = {k: (a, b) for k, a, b in db.execute(f"SELECT key, lead, article FROM {TABLE}")}
        keys = [_key(t, lead) for t, lead in zip(titles, leads)]
        fresh = []
        for key, title, lead in zip(keys, titles, leads):
            if key not in known:
                known[key] = tuple(_encode(m) for m in article_markers(title, lead))  # type: ignore[assignment]
                fresh.append((key, *known[key]))
        stale = set(known) - set(keys)
        with db:
            db.executemany(f"INSERT OR REPLACE INTO {TABLE} VALUES (?, ?, ?)", fresh)
            if len(stale) > len(keys) // 2 + 16:  # articles removed or edited, pruned now and then
                db.executemany(f"DELETE FROM {TABLE} WHERE key = ?", [(k,) for k in stale])
    finally:
        db.close()
    lead_ms = [_decode(known[k][0]) for k in keys]
    members, anchor, span = main_cluster([_decode(known[k][1]) for k in keys], published)
    return aggregate([lead_ms[k] for k in members], [published[k] for k in members], anchor, span), members


class ArticleMarkersCache:
    """Each article's title-and-lead markers as the refresh stored them (computed when missing), for answering."""

    def __init__(self, path: Path) -> None:
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), check_same_thread=False, timeout=30)
        self._db.execute(f"CREATE TABLE IF NOT EXISTS {TABLE} (key TEXT PRIMARY KEY, lead TEXT, article TEXT)")

    def get_many(self, pairs: Sequence[tuple[str, str]]) -> list[Markers]:
        """The markers of each (title, lead), read in one query (computed when missing)."""
        keys = [_key(title, lead) for title, lead in pairs]
        found: dict[str, str] = {}
        with self._lock:
            for start in range(0, len(keys), 500):  # under SQLite's limit on bound parameters
                part = keys[start:start + 500]
                found.update(self._db.execute(f"SELECT key, article FROM {TABLE} WHERE key IN "
                                              f"({','.join('?' * len(part))})", part).fetchall())
        return [_decode(found[k]) if k in found else article_markers(*pair)[1] for k, pair in zip(keys, pairs)]

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._db.close()
