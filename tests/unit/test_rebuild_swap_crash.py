"""The rebuild's swap, cut short after every one of its renames, is finished by the next finish_swap.

Real files in a temporary data dir (the swap only moves files; what they hold does not matter here):
each run lets the first k renames happen and "kills" the swap at the next one, then runs
finish_swap as the next command would, and checks that the data dir holds exactly the new index,
the bot's own state untouched, and nothing left over.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import bot.ingest.swap as swap


def _layout(data: Path) -> None:
    (data / "chroma").mkdir(parents=True)
    (data / "chroma" / "chroma.sqlite3").write_text("old chroma")
    (data / "CURRENT.json").write_text(json.dumps({"catalog": "index-old.sqlite3"}))
    (data / "index-old.sqlite3").write_text("old catalog")
    (data / "index-old.sqlite3-wal").write_text("old wal")
    (data / "syntax.sqlite3").write_text("old syntax")
    (data / "lead-markers.sqlite3").write_text("old leads")
    (data / "PENDING.json").write_text("{}")
    (data / "telegram.sqlite3").write_text("the bot's state")
    staging = data / swap.STAGING
    (staging / "chroma").mkdir(parents=True)
    (staging / "chroma" / "chroma.sqlite3").write_text("new chroma")
    (staging / "CURRENT.json").write_text(json.dumps({"catalog": "index-new.sqlite3"}))
    (staging / "index-new.sqlite3").write_text("new catalog")
    (staging / "syntax.sqlite3").write_text("new syntax")
    entries = ["CURRENT.json", "index-new.sqlite3", "syntax.sqlite3", "chroma"]
    (data / swap.MARKER).write_text(json.dumps({"entries": entries}))


def _state(data: Path) -> dict[str, str]:
    return {str(p.relative_to(data)): p.read_text() for p in sorted(data.rglob("*"))
            if p.is_file() and p.name != "refresh.lock"}


EXPECTED = {
    "CURRENT.json": json.dumps({"catalog": "index-new.sqlite3"}),
    "chroma/chroma.sqlite3": "new chroma",
    "index-new.sqlite3": "new catalog",
    "syntax.sqlite3": "new syntax",
    "telegram.sqlite3": "the bot's state",
}


class _Killed(Exception):
    pass


def _dying_os(after: int) -> object:
    done = []

    class DyingOs:
        def __getattr__(self, name: str) -> object:
            return getattr(os, name)

        @staticmethod
        def replace(src: object, dst: object) -> None:
            if len(done) == after:
                raise _Killed
            done.append(src)
            os.replace(src, dst)  # type: ignore[arg-type]

    return DyingOs()


@pytest.mark.parametrize("after", range(0, 12))
def test_crash_swap_killed_after_each_rename_is_finished(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          after: int) -> None:
    data = tmp_path / "data"
    _layout(data)
    monkeypatch.setattr(swap, "os", _dying_os(after))
    try:
        swap.swap_in(data)
    except _Killed:
        pass
    monkeypatch.undo()
    swap.finish_swap(data, timeout=5)
    assert _state(data) == EXPECTED
    assert swap.finish_swap(data, timeout=5) is False  # nothing left to finish


def test_crash_before_the_marker_leaves_the_old_state(tmp_path: Path) -> None:
    data = tmp_path / "data"
    _layout(data)
    (data / swap.MARKER).unlink()  # killed while the new index was still being built
    before = _state(data)
    assert swap.finish_swap(data, timeout=5) is False
    assert _state(data) == before


def test_bad_input_damaged_marker_is_named(tmp_path: Path) -> None:
    from bot.errors import DataFileError

    data = tmp_path / "data"
    _layout(data)
    (data / swap.MARKER).write_text("{half")
    with pytest.raises(DataFileError, match="REBUILD.json"):
        swap.finish_swap(data, timeout=5)
