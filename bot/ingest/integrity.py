"""Damaged index files: which one, and why, in words a person can act on.

The index is the pointer (CURRENT.json, and PENDING.json while a first build runs), the catalog it
names, (embedded mode) Chroma's own SQLite file, and two caches beside them (syntax.sqlite3,
lead-markers.sqlite3). A file cut short by a full disk or a copy that
stopped half way, or overwritten with something else, must not end in a library's traceback:
`check_index_files` looks at the pointer and at each SQLite file's header before anything opens
them (microseconds: no page is read), and `find_damage` adds SQLite's own `quick_check` of every
page, used after an unexpected failure to say which file is at fault. Either way the result is a
DataFileError naming the file and pointing at `python -m bot refresh --rebuild`.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bot.config import Settings
from bot.errors import DataFileError
from bot.ingest.store import chroma_path, current_generation, pending_generation, read_only_rows

_MAGIC = b"SQLite format 3\x00"


def sqlite_damage(path: Path, thorough: bool = False) -> str | None:
    """Why an SQLite file cannot be used, or None when it looks sound (`thorough`: read every page)."""
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            header = fh.read(100)
    except FileNotFoundError:
        return "it is missing"
    except OSError as exc:
        return f"it cannot be read: {exc.strerror or exc}"
    if size == 0:
        return "it is empty"
    if len(header) < 100 or not header.startswith(_MAGIC):
        return "it is not an SQLite database"
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    header_size_valid = header[92:96] == header[24:28]  # SQLite's rule for trusting the in-header page count
    wal = Path(f"{path}-wal")
    # With a non-empty WAL beside it a checkpoint may have been cut short: SQLite repairs that itself.
    if header_size_valid and size < pages * page_size and not (wal.exists() and wal.stat().st_size > 0):
        return f"it is cut short: {size:,} of {pages * page_size:,} bytes"
    if not thorough:
        return None
    try:
        rows = read_only_rows(path, "PRAGMA quick_check")
    except sqlite3.DatabaseError as exc:
        return f"SQLite cannot read it: {exc}"
    if rows and rows[0][0] != "ok":
        return f"SQLite finds it damaged: {rows[0][0]}"
    return None


def _sqlite_files(settings: Settings) -> list[Path]:
    """The SQLite files of the live index (pointer errors are raised while finding them)."""
    files = []
    for gen in (current_generation(settings.data_dir), pending_generation(settings.data_dir)):
        if gen is not None and gen.format != "legacy":
            files.append(gen.catalog_path(settings.data_dir))
    if not settings.server_mode and (settings.data_dir / "chroma" / "chroma.sqlite3").exists():
        files.append(chroma_path(settings) / "chroma.sqlite3")
    # the caches computed at refresh (the parse of each sentence) and at first use (lead markers)
    files += [p for p in (settings.syntax_path, settings.data_dir / "lead-markers.sqlite3") if p.exists()]
    return files


def check_index_files(settings: Settings, thorough: bool = False) -> None:
    """Raise DataFileError for the first damaged index file (a pending build's missing catalog is fine)."""
    pending = pending_generation(settings.data_dir)
    for path in _sqlite_files(settings):
        if pending is not None and path == pending.catalog_path(settings.data_dir) and not path.exists():
            continue  # a build from scratch that stopped before writing its catalog: the refresh resumes it
        reason = sqlite_damage(path, thorough)
        if reason is not None:
            raise DataFileError(path, reason)


def find_damage(settings: Settings) -> DataFileError | None:
    """The damaged index file behind an unexpected failure, if there is one (reads every page)."""
    try:
        check_index_files(settings, thorough=True)
    except DataFileError as exc:
        return exc
    return None
