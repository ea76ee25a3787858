"""Where the index lives: a Chroma client (embedded or server, by setting), the pointer to the live index, cleanup.

The live index is ONE Chroma collection plus its catalog (bot/ingest/catalog.py), named by a small
pointer file, CURRENT.json. Ordinary refreshes never touch the pointer: they write new article
versions into the same collection and flip the catalog's live set. A new collection is built only
from scratch (first refresh, or another embedder / sentence format); it is named in PENDING.json
while it is built, so an interrupted build resumes, and it goes live by an atomic replace of
CURRENT.json, after which the old collection, its catalog and its folders on disk are removed.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import sqlite3
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from bot.config import Settings  # noqa: E402
from bot.errors import ConfigError, DataFileError  # noqa: E402
from bot.ingest.atomic import write_json_atomically  # noqa: E402

log = logging.getLogger(__name__)

POINTER = "CURRENT.json"
PENDING = "PENDING.json"
_UUID_DIR = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


@dataclass(frozen=True)
class Generation:
    """One index: a Chroma collection, the catalog file that says what in it is live, and its format."""

    collection: str
    catalog: str  # file name, relative to the data dir
    format: str

    def catalog_path(self, data_dir: Path) -> Path:
        """Absolute path of the catalog."""
        return data_dir / self.catalog


def make_client(settings: Settings) -> Any:
    """A Chroma client: HttpClient when a server host is set, else a PersistentClient under the data dir."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if settings.server_mode:
        try:
            return chromadb.HttpClient(
                host=settings.chroma_host,
                port=settings.chroma_port,
                ssl=settings.chroma_ssl,
                settings=chroma_settings,
            )
        except Exception as exc:  # chromadb raises plain ValueError/ConnectError here
            raise ConfigError(
                f"cannot reach the Chroma server at {settings.chroma_host}:{settings.chroma_port} ({exc}); "
                "start it with `chroma run --path DIR --host 127.0.0.1 --port N` or unset BOT_CHROMA_HOST"
            ) from exc
    return chromadb.PersistentClient(path=str(chroma_path(settings)), settings=chroma_settings)


def chroma_path(settings: Settings) -> Path:
    """The embedded Chroma directory under the data dir."""
    path = settings.data_dir / "chroma"
    path.mkdir(parents=True, exist_ok=True)
    return path


def max_batch_size(client: Any) -> int:
    """The largest add/upsert/delete the store accepts in one call (asked of the client, server or embedded)."""
    return max(1, int(client.get_max_batch_size()))


def new_generation(settings: Settings, index_format: str) -> Generation:
    """A fresh, unique index name (unique so data dirs sharing one server never collide)."""
    tag = uuid.uuid4().hex[:12]
    return Generation(collection=f"{settings.collection_prefix}_{tag}", catalog=f"index-{tag}.sqlite3", format=index_format)


def _read_generation(path: Path) -> Generation | None:
    import json

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except UnicodeDecodeError:
        raise DataFileError(path, "it is not UTF-8 text") from None
    except ValueError as exc:
        raise DataFileError(path, f"it is not valid JSON: {exc}") from None
    except OSError as exc:
        raise DataFileError(path, f"it cannot be read: {exc.strerror or exc}") from None
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise DataFileError(path, "it does not name an index")
    if "catalog" not in data:  # the earlier layout (a docstore per generation): rebuilt, then removed
        return Generation(collection=data.get("collection", ""), catalog=data.get("docstore_dir", ""), format="legacy")
    if set(data) != {"collection", "catalog", "format"} or "/" in data["catalog"] or not data["collection"]:
        raise DataFileError(path, "it does not name an index")
    return Generation(**data)


def current_generation(data_dir: Path) -> Generation | None:
    """The index that answers questions, or None before the first complete refresh."""
    return _read_generation(data_dir / POINTER)


def set_current(data_dir: Path, generation: Generation) -> None:
    """Make a fully built index the live one (atomic replace of the pointer)."""
    write_json_atomically(data_dir / POINTER, asdict(generation))


def mark_pending(data_dir: Path, generation: Generation) -> None:
    """Record an index being built from scratch, so an interrupted build resumes instead of leaking."""
    write_json_atomically(data_dir / PENDING, asdict(generation))


def clear_pending(data_dir: Path) -> None:
    """Forget the pending marker."""
    (data_dir / PENDING).unlink(missing_ok=True)


def pending_generation(data_dir: Path) -> Generation | None:
    """An index whose build from scratch was interrupted."""
    return _read_generation(data_dir / PENDING)


def read_only_rows(path: Path, sql: str) -> list[tuple]:
    """Every row of one query on an SQLite file opened read-only (sqlite3.Error if it cannot be read)."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
    try:
        return db.execute(sql).fetchall()
    finally:
        db.close()


def live_stamp(data_dir: Path) -> tuple[float, int]:
    """Changes whenever what answers changes: the pointer's mtime and the catalog's generation."""
    try:
        mtime = (data_dir / POINTER).stat().st_mtime_ns / 1e9
    except FileNotFoundError:
        return (0.0, 0)
    gen = current_generation(data_dir)
    if gen is None or gen.format == "legacy":
        return (mtime, 0)
    try:
        rows = read_only_rows(gen.catalog_path(data_dir), "SELECT value FROM meta WHERE key = 'generation'")
    except sqlite3.Error:
        return (mtime, -1)
    return (mtime, int(rows[0][0]) if rows else 0)


def drop_generation(client: Any, settings: Settings, generation: Generation) -> None:
    """Delete an index's collection, its catalog, and (embedded) the folders Chroma leaves behind."""
    from chromadb.errors import NotFoundError

    if generation.collection:
        try:
            client.delete_collection(generation.collection)
        except (NotFoundError, ValueError) as exc:  # already gone (ValueError in older embedded clients)
            log.info("collection %s was already gone: %s", generation.collection, exc)
    data_dir = settings.data_dir
    if generation.catalog:
        target = data_dir / generation.catalog
        if target.is_dir():  # the earlier layout's docstore folder
            shutil.rmtree(target, ignore_errors=True)
        else:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{target}{suffix}").unlink(missing_ok=True)
    if not settings.server_mode:
        remove_orphan_segments(chroma_path(settings))


def remove_orphan_segments(path: Path) -> list[str]:
    """Remove segment folders no collection refers to any more (chroma-core/chroma#5259); returns their names.

    Chroma deletes a dropped collection's rows but leaves its HNSW folder on disk; without this, the
    data dir grows with every rebuild. Only folders named like segment ids and absent from Chroma's
    own `segments` table are removed.
    """
    db_path = path / "chroma.sqlite3"
    if not db_path.exists():
        return []
    try:
        known = {row[0] for row in read_only_rows(db_path, "SELECT id FROM segments")}
    except sqlite3.Error as exc:
        log.warning("could not read Chroma's segment list to clean up dropped collections: %s", exc)
        return []
    removed = []
    for child in path.iterdir():
        if child.is_dir() and _UUID_DIR.match(child.name) and child.name not in known:
            shutil.rmtree(child, ignore_errors=True)
            removed.append(child.name)
    return removed
