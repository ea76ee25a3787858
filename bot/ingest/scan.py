"""Which article files changed since the last refresh: stat every file, read (and hash) only those whose size or
mtime changed, keep a broken file's last good version, and index the same text under two names once.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from bot.config import Settings
from bot.errors import ArticleError
from bot.ingest.catalog import Catalog
from bot.ingest.corpus import body_fingerprint, corpus_files, read_article
from bot.models import Article

STAT_SETTLE_NS = 2_000_000_000  # a file modified this recently is re-read next time (same-tick edits)


@dataclass
class Scan:
    """The corpus as a refresh sees it: current hash per source, the articles it had to read, stat rows."""

    hashes: dict[str, str] = field(default_factory=dict)
    read: dict[str, Article] = field(default_factory=dict)
    stats: list[tuple[str, int, int, str | None, str | None]] = field(default_factory=list)
    sources: set[str] = field(default_factory=set)
    prints: dict[str, str] = field(default_factory=dict)  # body fingerprints of the articles read now


def unchanged_articles(settings: Settings, scan: Scan, changed: set[str]) -> list[Article]:
    """The articles of this refresh that were not read because they did not change (read now; one that no
    longer reads keeps its parses as they are)."""
    out = []
    for source in sorted(set(scan.hashes) - changed):
        try:
            out.append(scan.read.get(source) or read_article(settings.corpus_dir / source, settings.corpus_dir))
        except ArticleError:
            continue
    return out


def scan_changes(settings: Settings, catalog: Catalog, live: dict[str, str], errors: list[ArticleError]) -> Scan:
    """Stat every file; read (and hash) only those whose size or mtime changed since the last refresh."""
    scan = Scan()
    cached = catalog.file_stats()
    settled = time.time_ns() - STAT_SETTLE_NS
    files, refused = corpus_files(settings.corpus_dir)
    errors.extend(refused)  # links: never indexed, so an earlier version of them goes too
    for source, path, size, mtime in files:
        scan.sources.add(source)
        hit = cached.get(source)
        if hit is not None and hit[0] == size and hit[1] == mtime:
            h, error = hit[2], hit[3]
            if error is not None:
                errors.append(ArticleError(source, error))
                if source in live:  # broken since its last good version: that version stays
                    scan.hashes[source] = live[source]
                continue
            if h is not None and live.get(source) == h:
                scan.hashes[source] = h
                continue
        try:
            article = read_article(path, settings.corpus_dir)
        except ArticleError as exc:
            errors.append(exc)
            if exc.keep_previous and source in live:  # unreadable or half-written now: not removed
                scan.hashes[source] = live[source]
            if mtime < settled:
                scan.stats.append((source, size, mtime, None, exc.reason))
            continue
        scan.hashes[source] = article.hash
        scan.read[source] = article
        scan.prints[source] = body_fingerprint(article.body)
        if mtime < settled and hit != (size, mtime, article.hash, None):
            scan.stats.append((source, size, mtime, article.hash, None))
    _drop_copies(scan, catalog.fingerprints(), live, errors)
    return scan


def _drop_copies(scan: Scan, known: dict[str, str], live: dict[str, str], errors: list[ArticleError]) -> None:
    """The same text under two names is one article: keep the one already indexed (else the first name)."""
    prints = {s: scan.prints.get(s, known.get(s)) for s in scan.hashes}
    by_print: dict[str, list[str]] = {}
    for source in sorted(prints):
        if prints[source] is not None:
            by_print.setdefault(prints[source], []).append(source)
    for sources in by_print.values():
        if len(sources) < 2:
            continue
        keep = min(sources, key=lambda s: (live.get(s) != scan.hashes[s], s))
        for copy in sources:
            if copy != keep:
                errors.append(ArticleError(copy, f"has the same text as {keep}; indexed once, as that file",
                                                  keep_previous=False))
                scan.hashes.pop(copy, None)
                scan.read.pop(copy, None)
                scan.prints.pop(copy, None)


__all__ = ["STAT_SETTLE_NS", "Scan", "scan_changes", "unchanged_articles"]
