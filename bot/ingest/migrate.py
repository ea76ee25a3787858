"""Bringing an index of an earlier format up to date in place, when what changed is the catalog alone.

A change of embedder or of the sentence rules changes the vectors: such an index is rebuilt from
scratch (bot/ingest/refresh.py). A change that only adds what the catalog can compute from what it
already holds is made in place, in one SQLite transaction, without embedding anything again (at
10,000 articles a rebuild embeds for hours). The pointer then names the new format; a crash
before it leaves the old pointer, and the migration, idempotent, runs again.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from pathlib import Path

from bot.ingest.manifest import context_terms
from bot.ingest.store import Generation, set_current
from bot.models import Sentence

CONTEXT_SUFFIX = "/context-1"  # the format suffix the lexical context added (bot/ingest/catalog.py `ctx`)
_CTX_TABLE = ("CREATE VIRTUAL TABLE ctx USING fts5(context, content = 'sent', content_rowid = 'slot', "
              "tokenize = 'unicode61 remove_diacritics 0')")


def add_context(db: sqlite3.Connection) -> None:
    """Give every stored sentence its context terms (its article's subject, heading, neighbours) and index them."""
    columns = {r[1] for r in db.execute("PRAGMA table_info(sent)")}
    if "context" not in columns:
        db.execute("ALTER TABLE sent ADD COLUMN context TEXT NOT NULL DEFAULT ''")
    db.execute("DROP TABLE IF EXISTS ctx")  # a catalog opened by newer code may hold an empty one
    db.execute(_CTX_TABLE)
    titles = {(s, h): json.loads(m).get("title", "") or "" for s, h, m in db.execute("SELECT source, hash, meta FROM versions")}
    by_version: dict[tuple[str, str], list[tuple]] = {}
    for row in db.execute("SELECT slot, source, hash, idx, start, stop, paragraph, heading, text, terms FROM sent "
                          "ORDER BY source, hash, idx"):
        by_version.setdefault((row[1], row[2]), []).append(row)
    for key, rows in by_version.items():
        sentences = [Sentence(r[1], r[3], r[8], r[4], r[5], r[6], r[7]) for r in rows]
        context = context_terms(titles.get(key, ""), sentences, [r[9].split() for r in rows])
        pairs = [(" ".join(c), r[0]) for r, c in zip(rows, context)]
        db.executemany("UPDATE sent SET context = ? WHERE slot = ?", pairs)
        db.executemany("INSERT INTO ctx(rowid, context) VALUES (?, ?)", [(slot, c) for c, slot in pairs])


def migrate(data_dir: Path, current: Generation, target_format: str) -> Generation | None:
    """The live index brought to `target_format` in place, or None when only a rebuild can get it there."""
    if current.format + CONTEXT_SUFFIX != target_format:
        return None
    db = sqlite3.connect(str(current.catalog_path(data_dir)), isolation_level=None, timeout=30)
    try:
        db.execute("BEGIN IMMEDIATE")
        try:
            add_context(db)
            db.execute("INSERT INTO meta(key, value) VALUES ('generation', 1) "
                       "ON CONFLICT(key) DO UPDATE SET value = value + 1")  # engines reload what they read from it
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
    finally:
        db.close()
    migrated = replace(current, format=target_format)
    set_current(data_dir, migrated)
    return migrated
