"""The corpus's main-event markers from the articles' leads, with each lead's markers cached on disk.

`events.main_event_markers` reads names and dates out of every article's lead; that costs several
milliseconds a lead, so an engine over 10,000 articles would spend minutes on it at every start.
Each lead's markers are kept in a small SQLite cache in the data dir, keyed by the lead's hash:
an engine load computes only the leads it has not seen (the articles added or edited since), and
the aggregation is the same as `main_event_markers`.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

from bot.answering.events import markers


def _key(lead: str) -> str:
    return hashlib.sha1(lead.encode("utf-8")).hexdigest()


def main_event_markers_cached(leads: Sequence[str], published: Iterable[str | None], cache: Path) -> dict[str, frozenset]:
    """Exactly `events.main_event_markers(leads, published)`, computing only uncached leads."""
    db = sqlite3.connect(str(cache), timeout=30)
    try:
        db.execute("CREATE TABLE IF NOT EXISTS lead_markers (key TEXT PRIMARY KEY, names TEXT, dates TEXT)")
        known = {k: (n, d) for k, n, d in db.execute("SELECT key, names, dates FROM lead_markers")}
        keys = [_key(lead) for lead in leads]
        fresh = []
        for key, lead in zip(keys, leads):
            if key not in known:
                m = markers(lead)
                known[key] = (json.dumps(sorted(m.names)), json.dumps(sorted(m.dates)))
                fresh.append((key, *known[key]))
        stale = set(known) - set(keys)
        with db:
            db.executemany("INSERT OR REPLACE INTO lead_markers VALUES (?, ?, ?)", fresh)
            if len(stale) > len(keys) // 2 + 16:  # leads of removed or edited articles, pruned now and then
                db.executemany("DELETE FROM lead_markers WHERE key = ?", [(k,) for k in stale])
    finally:
        db.close()
    counts: Counter[str] = Counter()
    dates: set[tuple[int, int]] = set()
    for key in keys:
        names, ds = known[key]
        counts.update(json.loads(names))
        dates.update(tuple(d) for d in json.loads(ds))
    need = 2 if len(leads) > 1 else 1
    return {"names": frozenset(n for n, c in counts.items() if c >= need),
            "years": frozenset(int(p[:4]) for p in published if p),
            "dates": frozenset(dates)}
