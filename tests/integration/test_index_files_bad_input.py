"""Damaged index files: one sentence naming the file and `refresh --rebuild`; the rebuild recovers.

The three files an index is made of (the pointer CURRENT.json, the catalog it names, Chroma's own
SQLite file) are each cut short, then `ask` is run as a `python -m bot` subprocess over a small
corpus of its own (real Chroma, real embedder): it exits 1 with one line and no traceback, and
`refresh`, `ask --jsonl` and `serve` say the same line. `refresh --rebuild` then builds a new index beside the damaged one and
swaps it in, after which `ask` answers again. A rebuild killed with SIGKILL leaves the old index
answering; a swap cut short is finished by the next command.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from botapi_emulator import BotApiEmulator
from conftest import ROOT

ARTICLES = {
    "flood.md": """---
title: Flood in the valley town
outlet: Valley Test Herald
published: '2024-05-02'
language: en
---

At least 12 people died when the river flooded the valley town on Tuesday.

Rescue teams evacuated 300 residents from the lower streets.
""",
    "flood-later.md": """---
title: Valley flood toll rises
outlet: River Courier
published: '2024-05-04'
language: en
---

The number of people who died in the valley flood rose to 15 on Thursday, officials said.
""",
}


def _env(base: Path) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "TELEGRAM_"))}
    return {**keep, "BOT_CORPUS_DIR": str(base / "corpus"), "BOT_DATA_DIR": str(base / "data"), "NO_COLOR": "1"}


def run(env: dict[str, str], *args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bot", *args], env=env, cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir with a complete index of the small corpus (copied by each test)."""
    base = tmp_path_factory.mktemp("index-files")
    (base / "corpus").mkdir()
    for name, text in ARTICLES.items():
        (base / "corpus" / name).write_text(text, encoding="utf-8")
    result = run(_env(base), "refresh", "--json")
    assert result.returncode == 0, result.stderr
    return base


@pytest.fixture
def base(built: Path, tmp_path: Path) -> Path:
    shutil.copytree(built, tmp_path / "b")
    return tmp_path / "b"


def _file(base: Path, kind: str) -> Path:
    data = base / "data"
    if kind == "pointer":
        return data / "CURRENT.json"
    if kind == "catalog":
        return data / json.loads((data / "CURRENT.json").read_text())["catalog"]
    return data / "chroma" / "chroma.sqlite3"


def _cut_short(path: Path) -> None:
    size = path.stat().st_size
    with open(path, "r+b") as fh:
        fh.truncate(max(1, size // 3))


def _one_line_naming(result: subprocess.CompletedProcess[str], path: Path) -> str:
    assert result.returncode == 1, (result.returncode, result.stderr[-2000:])
    lines = result.stderr.strip().splitlines()
    assert "Traceback" not in result.stderr and len(lines) == 1, result.stderr[-3000:]
    assert str(path) in lines[0] and "python -m bot refresh --rebuild" in lines[0], lines[0]
    return lines[0]


def _asks_fine(env: dict[str, str]) -> None:
    result = run(env, "ask", "How many people died in the flood?", "--json")
    assert result.returncode == 0, result.stderr[-2000:]
    answer = json.loads(result.stdout)
    assert answer["citations"] and {c["source"] for c in answer["citations"]} <= set(ARTICLES)


def _serve(env: dict[str, str], emu: BotApiEmulator) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bot", "serve"], cwd=ROOT, capture_output=True, text=True,
                          timeout=600, env={**env, "TELEGRAM_BOT_TOKEN": emu.token, "TELEGRAM_BASE_URL": emu.base_url})


@pytest.mark.parametrize("kind", ["pointer", "catalog", "chroma"])
def test_bad_input_index_file_cut_short_is_named_then_rebuilt(base: Path, kind: str) -> None:
    env = _env(base)
    path = _file(base, kind)
    _cut_short(path)
    expected = _one_line_naming(run(env, "ask", "How many people died?"), path)
    assert "cut short" in expected or "not valid JSON" in expected

    result = run(env, "refresh", "--rebuild", "--json")
    assert result.returncode == 0, result.stderr[-3000:]
    assert json.loads(result.stdout)["added"] == len(ARTICLES)
    data = base / "data"
    assert not (data / "rebuild.tmp").exists() and not (data / "rebuild.old").exists()
    assert not (data / "REBUILD.json").exists()
    assert len(list(data.glob("index-*.sqlite3"))) == 1  # the damaged catalog went with the rest
    _asks_fine(env)
    assert run(env, "refresh", "--json").returncode == 0


def test_bad_input_damaged_index_is_named_alike_by_refresh_jsonl_and_serve(base: Path) -> None:
    """Every command that opens the index says the same line (one damaged file: they share the check)."""
    env = _env(base)
    path = _file(base, "catalog")
    _cut_short(path)
    expected = _one_line_naming(run(env, "ask", "How many people died?"), path)
    assert _one_line_naming(run(env, "refresh"), path) == expected
    assert _one_line_naming(run(env, "ask", "--jsonl"), path) == expected
    emu = BotApiEmulator().start()
    try:
        assert _one_line_naming(_serve(env, emu), path) == expected
    finally:
        emu.stop()


def test_bad_input_catalog_overwritten_in_the_middle_is_named(base: Path) -> None:
    """Garbage inside the file (right size, right header): found by SQLite's own check after the failure."""
    env = _env(base)
    path = _file(base, "catalog")
    with open(path, "r+b") as fh:
        fh.seek(4096)
        fh.write(random.Random(7).randbytes(path.stat().st_size - 8192))
    line = _one_line_naming(run(env, "ask", "How many people died?"), path)
    assert "SQLite" in line


def test_bad_input_syntax_cache_cut_short_is_named_and_rebuilt(base: Path) -> None:
    env = _env(base)
    path = base / "data" / "syntax.sqlite3"
    _cut_short(path)
    _one_line_naming(run(env, "ask", "How many people died?"), path)
    assert run(env, "refresh", "--rebuild").returncode == 0
    _asks_fine(env)


def test_bad_input_pointer_that_names_no_index(base: Path) -> None:
    env = _env(base)
    path = _file(base, "pointer")
    path.write_text('["not", "an", "index"]', encoding="utf-8")
    assert "does not name an index" in _one_line_naming(run(env, "ask", "How many people died?"), path)


def test_crash_sigkill_during_rebuild_leaves_the_old_index_answering(base: Path) -> None:
    env = _env(base)
    rng = random.Random(13)
    for _ in range(3):
        proc = subprocess.Popen([sys.executable, "-m", "bot", "refresh", "--rebuild"], env=env, cwd=ROOT,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(1.0, 8.0))
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
        _asks_fine(env)  # the old index (or, if the kill came after the swap was decided, the new one)
    result = run(env, "refresh", "--rebuild", "--json")
    assert result.returncode == 0, result.stderr[-3000:]
    assert not (base / "data" / "rebuild.tmp").exists()
    _asks_fine(env)


def test_crash_swap_cut_short_is_finished_by_the_next_command(base: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The rebuild dies after two of its moves (the pointer swapped, Chroma's folder not yet): `ask` finishes it."""
    from conftest import make_settings

    import bot.ingest.swap as swap
    from bot.ingest.rebuild import rebuild

    settings = make_settings(base / "corpus", base / "data")
    old_catalog = _file(base, "catalog").name
    moves: list[tuple[object, object]] = []

    class DyingOs:
        """os, as the swap module sees it, except that the third rename never happens."""

        def __getattr__(self, name: str) -> object:
            return getattr(os, name)

        @staticmethod
        def replace(src: object, dst: object) -> None:
            if len(moves) == 2:
                raise KeyboardInterrupt("killed half way through the swap")
            moves.append((src, dst))
            os.replace(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(swap, "os", DyingOs())
    with pytest.raises(KeyboardInterrupt):
        rebuild(settings)
    monkeypatch.undo()
    data = base / "data"
    assert (data / "REBUILD.json").exists() and (data / "rebuild.tmp").exists()
    _asks_fine(_env(base))
    assert not (data / "REBUILD.json").exists() and not (data / "rebuild.tmp").exists()
    assert not (data / old_catalog).exists() and not (data / "rebuild.old").exists()
