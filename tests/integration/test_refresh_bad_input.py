"""Refresh meets bad files and crashes: one bad article never fails the rest, never loses its last good version."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from bot.answering.engine import AnswerEngine
from bot.ingest.catalog import Catalog
from bot.ingest.refresh import Indexer
from bot.ingest.store import current_generation

pytestmark = pytest.mark.integration

ARTICLES = {
    "flood.md": ("Flood in Ardmore", "The river burst its banks in Ardmore on Sunday. At least 40 homes were flooded."),
    "storm.md": ("Storm reaches the coast", "The storm reached the coast at dawn. Winds of 120 km/h tore roofs off 30 houses."),
    "dam.md": ("Dam inspected", "Engineers inspected the old dam above the town. They found two cracks in its wall."),
}


def _md(title: str, body: str, published: str = "2025-05-04") -> str:
    return f"---\ntitle: {title}\noutlet: Test Wire\npublished: {published}\n---\n\n{body}\n"


@pytest.fixture
def indexed(tmp_path: Path) -> Any:
    from conftest import make_settings

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, (title, body) in ARTICLES.items():
        (corpus / name).write_text(_md(title, body), encoding="utf-8")
    settings = make_settings(corpus, tmp_path / "data")
    report = Indexer(settings).refresh()
    assert report.added == 3 and not report.errors
    return settings


def _live(settings: Any) -> dict[str, str]:
    gen = current_generation(settings.data_dir)
    catalog = Catalog(gen.catalog_path(settings.data_dir))
    try:
        return catalog.live()
    finally:
        catalog.close()


def test_bad_input_broken_edit_keeps_the_last_good_version(indexed: Any) -> None:
    before = _live(indexed)
    # a half-finished edit: an impossible date in the front matter
    (indexed.corpus_dir / "flood.md").write_text(_md("Flood in Ardmore", "Now 55 homes.", "2025-02-30"), encoding="utf-8")
    report = Indexer(indexed).refresh()
    assert [(e.source, "real date" in e.reason) for e in report.errors] == [("flood.md", True)]
    assert (report.added, report.updated, report.removed) == (0, 0, 0)
    assert _live(indexed) == before
    answer = AnswerEngine(indexed).ask("How many homes were flooded in Ardmore?")
    assert "flood.md" in {c.source for c in answer.citations}


def test_bad_input_unreadable_file_is_not_removed(indexed: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    before = _live(indexed)
    path = indexed.corpus_dir / "dam.md"
    path.write_text(_md("Dam inspected", ARTICLES["dam.md"][1] + " A third crack was found later."), encoding="utf-8")
    real = Path.read_bytes

    def read_bytes(self: Path) -> bytes:  # root reads a chmod 000 file anyway: refuse it here instead
        if self.name == "dam.md":
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    report = Indexer(indexed).refresh()
    assert [e.source for e in report.errors] == ["dam.md"] and report.removed == 0
    assert _live(indexed) == before


def test_bad_input_a_copy_is_indexed_once(indexed: Any) -> None:
    copy = indexed.corpus_dir / "copies" / "flood-copy.md"
    copy.parent.mkdir()
    copy.write_text(_md("Another headline", ARTICLES["flood.md"][1]), encoding="utf-8")
    report = Indexer(indexed).refresh()
    assert report.added == 0 and [e.source for e in report.errors] == ["copies/flood-copy.md"]
    assert "same text as flood.md" in report.errors[0].reason
    assert set(_live(indexed)) == set(ARTICLES)


def test_security_a_link_out_of_the_corpus_is_not_indexed(indexed: Any, tmp_path: Path) -> None:
    outside = tmp_path / "private.md"
    outside.write_text(_md("Private notes", "The access code for the control room is written here in full."), encoding="utf-8")
    os.symlink(outside, indexed.corpus_dir / "notes.md")
    report = Indexer(indexed).refresh()
    assert [e.source for e in report.errors] == ["notes.md"] and report.added == 0
    assert "notes.md" not in _live(indexed)


def test_crash_sigkill_at_random_points_of_refresh_twenty_rounds(indexed: Any) -> None:
    """SIGKILL of `refresh` at random moments while articles change: the index always opens and answers."""
    rng = random.Random(7)
    env = {**os.environ, "BOT_CORPUS_DIR": str(indexed.corpus_dir), "BOT_DATA_DIR": str(indexed.data_dir)}
    storm = indexed.corpus_dir / "storm.md"
    for round_ in range(20):
        body = ARTICLES["storm.md"][1] + f" By evening {round_ + 31} houses had lost their roofs."
        storm.write_text(_md("Storm reaches the coast", body), encoding="utf-8")
        child = subprocess.Popen([sys.executable, "-m", "bot", "refresh", "--json"], env=env,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        time.sleep(rng.uniform(0.5, 6.0))  # from start-up through scan, embedding, writing and the flip
        child.send_signal(signal.SIGKILL)
        child.wait()
        live = _live(indexed)
        assert set(live) == set(ARTICLES), f"round {round_}: {live}"
    engine = AnswerEngine(indexed)
    report = engine.refresh()  # completes whatever the last kill interrupted
    assert not report.errors and set(_live(indexed)) == set(ARTICLES)
    answer = engine.ask("How many houses lost their roofs by evening?")
    quotes = " ".join(c.quote for c in answer.citations)
    assert "By evening 50 houses had lost their roofs." in quotes, json.dumps(answer.to_json())[:2000]
