"""The swap that puts a rebuilt index in place of the old one, and its roll-forward after a crash.

`refresh --rebuild` (bot/ingest/rebuild.py) builds the new index in `BOT_DATA_DIR/rebuild.tmp/`,
writes REBUILD.json naming the files to move, and calls `swap_in`: each old file is moved to
`rebuild.old/` and the new one into its place, then the marker and both folders are removed. Every
step can run again, so a swap cut short anywhere is finished by `finish_swap`, which every refresh
and every start of the answer engine runs first.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from pathlib import Path

from filelock import FileLock, Timeout

from bot.errors import DataFileError, IndexBusyError
from bot.ingest.atomic import fsync_dir
from bot.ingest.store import PENDING

log = logging.getLogger(__name__)

STAGING = "rebuild.tmp"
OLD = "rebuild.old"
MARKER = "REBUILD.json"
CACHES = ("lead-markers.sqlite3",)  # derived from the old index: dropped, recomputed on first use


def lock_data_dir(data_dir: Path, timeout: float) -> FileLock:
    """The data dir's refresh lock, held: one refresh, rebuild or swap at a time."""
    lock = FileLock(str(data_dir / "refresh.lock"))
    try:
        lock.acquire(timeout=timeout)
    except Timeout:
        raise IndexBusyError("another refresh is running on this data dir; try again when it ends") from None
    return lock


def _move_aside(path: Path, old: Path) -> None:
    """Move an index file (or folder) out of the way, into `old`."""
    if not (path.exists() or path.is_symlink()):
        return
    old.mkdir(exist_ok=True)
    target = old / path.name
    if target.is_dir() and not target.is_symlink():
        shutil.rmtree(target)
    elif target.exists() or target.is_symlink():
        target.unlink()
    os.replace(path, target)


def swap_in(data_dir: Path) -> None:
    """Steps 2 and 3 of the swap; safe to run again after an interruption at any point."""
    marker = data_dir / MARKER
    try:
        entries = json.loads(marker.read_text(encoding="utf-8"))["entries"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise DataFileError(marker, f"it cannot be read: {exc}") from None
    staging, old = data_dir / STAGING, data_dir / OLD
    for name in entries:
        src = staging / name
        if src.exists():  # not moved yet
            _move_aside(data_dir / name, old)
            os.replace(src, data_dir / name)
    keep = set(entries)
    for path in data_dir.glob("index-*.sqlite3*"):  # the old catalogs (and their -wal/-shm)
        if path.name.split("-wal")[0].split("-shm")[0] not in keep:
            _move_aside(path, old)
    for name in (PENDING, *CACHES):
        _move_aside(data_dir / name, old)
    fsync_dir(data_dir)
    marker.unlink()
    fsync_dir(data_dir)
    shutil.rmtree(old, ignore_errors=True)
    shutil.rmtree(staging, ignore_errors=True)


def finish_swap(data_dir: Path, timeout: float = 300.0) -> bool:
    """Finish a rebuild's swap that was cut short; True if there was one."""
    if not (data_dir / MARKER).exists():
        return False
    lock = lock_data_dir(data_dir, timeout)
    try:
        if not (data_dir / MARKER).exists():  # another process finished it while we waited
            return False
        log.warning("finishing the swap of a rebuild that was interrupted")
        swap_in(data_dir)
        return True
    finally:
        lock.release()
