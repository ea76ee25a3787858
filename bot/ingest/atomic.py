"""The one way files are written in place: a temporary file beside the target, fsync, os.replace, fsync the folder.

Readers see the old content or the new, never half a file, and after a crash the rename itself is
on disk (the directory entry is synced too). The temporary file is hidden (leading dot), so corpus
scans never pick it up, and removed again if the write fails.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any


def fsync_dir(path: Path) -> None:
    """Flush a directory entry (a rename or a new file) to disk; a no-op where unsupported."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some filesystems refuse fsync on directories; the rename is still atomic
    finally:
        os.close(fd)


def write_bytes_atomically(path: Path, data: bytes) -> Path:
    """Replace `path` with `data` all at once; returns the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)
    return path


def write_json_atomically(path: Path, data: Any) -> Path:
    """Replace `path` with `data` as UTF-8 JSON all at once."""
    return write_bytes_atomically(path, json.dumps(data, ensure_ascii=False).encode("utf-8"))
