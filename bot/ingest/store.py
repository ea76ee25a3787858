"""Where the index lives: a Chroma client (embedded or server, by setting) and the pointer to the live generation.

A refresh never writes into the collection that is answering questions. It builds a new
generation (a new collection plus its docstore) and then swaps a small pointer file with
os.replace, so an interrupted refresh leaves the previous generation answering correctly.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from bot.config import Settings  # noqa: E402
from bot.errors import ConfigError  # noqa: E402

POINTER = "CURRENT.json"
PENDING = "PENDING.json"


@dataclass(frozen=True)
class Generation:
    """One complete index: a Chroma collection and the docstore that records its article hashes."""

    collection: str
    docstore_dir: str  # relative to the data dir
    embedder: str

    def docstore_path(self, data_dir: Path) -> Path:
        """Absolute path of this generation's docstore file."""
        return data_dir / self.docstore_dir / "docstore.json"


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
    path = settings.data_dir / "chroma"
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=chroma_settings)


def new_generation(settings: Settings, embedder: str) -> Generation:
    """A fresh, unique generation name (unique so data dirs sharing one server never collide)."""
    tag = uuid.uuid4().hex[:12]
    return Generation(collection=f"{settings.collection_prefix}_{tag}", docstore_dir=f"gen-{tag}", embedder=embedder)


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{path} is damaged ({exc}); delete the data dir and run `refresh` again") from exc


def _write_json_atomically(path: Path, data: dict[str, Any]) -> None:
    tmp = path.with_suffix(path.suffix + f".{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(data, fh)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)  # atomic on POSIX: readers see the old pointer or the new one, never half


def current_generation(data_dir: Path) -> Generation | None:
    """The generation that answers questions, or None before the first refresh."""
    data = _read_json(data_dir / POINTER)
    return Generation(**data) if data else None


def set_current(data_dir: Path, generation: Generation) -> None:
    """Make a fully built generation the live one."""
    _write_json_atomically(data_dir / POINTER, asdict(generation))


def mark_pending(data_dir: Path, generation: Generation) -> None:
    """Record a generation being built, so a crash leaves something to clean up rather than a leak."""
    _write_json_atomically(data_dir / PENDING, asdict(generation))


def clear_pending(data_dir: Path) -> None:
    """Forget the pending marker."""
    (data_dir / PENDING).unlink(missing_ok=True)


def pending_generation(data_dir: Path) -> Generation | None:
    """A generation left behind by an interrupted refresh."""
    data = _read_json(data_dir / PENDING)
    return Generation(**data) if data else None


def drop_generation(client: Any, data_dir: Path, generation: Generation) -> None:
    """Delete a generation's collection and docstore (used for superseded and abandoned ones)."""
    try:
        client.delete_collection(generation.collection)
    except Exception:  # already gone: chromadb raises NotFoundError/ValueError depending on mode
        pass
    shutil.rmtree(data_dir / generation.docstore_dir, ignore_errors=True)
