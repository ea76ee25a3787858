"""Refresh against real Chroma (embedded and a `chroma run` server) with the real embedder."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from bot.answering.engine import AnswerEngine
from bot.ingest.refresh import Indexer
from bot.ingest.store import PENDING, current_generation, make_client

pytestmark = pytest.mark.integration

NEW_ARTICLE = """---
title: Vigil held for the victims in Krasnogorsk
outlet: Test Wire
published: 2024-03-30
---

Thousands of people laid flowers at a makeshift memorial near the burned concert hall on Saturday.

The organisers said the vigil was the largest public gathering in Krasnogorsk since the attack.
"""


def _collection_count(settings) -> int:
    gen = current_generation(settings.data_dir)
    return make_client(settings).get_collection(gen.collection).count()


def _free_slots(settings) -> int:
    """Vectors kept in Chroma for reuse by later versions (not live: searches filter them out)."""
    gen = current_generation(settings.data_dir)
    with sqlite3.connect(gen.catalog_path(settings.data_dir)) as db:
        return db.execute("SELECT COUNT(*) FROM free").fetchone()[0]


def _writing(settings, source: str) -> bool:
    gen = current_generation(settings.data_dir)
    with sqlite3.connect(gen.catalog_path(settings.data_dir)) as db:
        return bool(db.execute("SELECT COUNT(*) FROM versions WHERE source = ?", (source,)).fetchone()[0])


def _sources(answer) -> set[str]:
    return {c.source for c in answer.citations} | {c.source for d in answer.disagreements for c in d.claims}


def _indexed(settings_for_mode, request: pytest.FixtureRequest):
    """Settings whose index already holds the five articles: embedded mode starts from a copy of the
    session's index (a moved data dir re-embeds nothing); server mode builds them into its collection."""
    settings = settings_for_mode()
    if settings_for_mode.mode == "embedded":
        shutil.copytree(request.getfixturevalue("built_index") / "data", settings.data_dir)
    report = Indexer(settings).refresh()
    assert report.added + report.unchanged == 5 and not report.errors
    return settings


def test_refresh_adds_then_skips_unchanged(settings_for_mode, corpus_copy: Path, tmp_path: Path) -> None:
    settings = settings_for_mode()
    first = Indexer(settings).refresh()
    assert (first.added, first.updated, first.removed, first.unchanged) == (5, 0, 0, 0)
    assert first.chunks_embedded == _collection_count(settings) > 100
    assert not first.errors

    again = Indexer(settings).refresh()
    assert (again.added, again.updated, again.removed, again.unchanged, again.chunks_embedded) == (0, 0, 0, 5, 0)

    for f in corpus_copy.iterdir():  # a touch changes mtimes only
        os.utime(f, (time.time() + 100, time.time() + 100))
    touched = Indexer(settings).refresh()
    assert (touched.unchanged, touched.chunks_embedded) == (5, 0)

    moved = tmp_path / "elsewhere" / "articles"
    shutil.copytree(corpus_copy, moved)
    moved_report = Indexer(settings_for_mode(BOT_CORPUS_DIR=str(moved))).refresh()
    assert (moved_report.unchanged, moved_report.chunks_embedded) == (5, 0)


def test_refresh_updates_and_deletes(settings_for_mode, corpus_copy: Path, request: pytest.FixtureRequest) -> None:
    settings = _indexed(settings_for_mode, request)
    engine = AnswerEngine(settings)
    engine.refresh()
    before = _collection_count(settings)

    (corpus_copy / "vigil.md").write_text(NEW_ARTICLE, encoding="utf-8")
    added = engine.refresh()
    assert (added.added, added.unchanged, added.chunks_embedded) == (1, 5, 2)
    answer = engine.ask("Where did people lay flowers for the victims?")
    assert "vigil.md" in _sources(answer)

    (corpus_copy / "vigil.md").write_text(NEW_ARTICLE.replace("Thousands of", "Hundreds of"), encoding="utf-8")
    updated = engine.refresh()
    assert (updated.updated, updated.unchanged, updated.chunks_embedded) == (1, 5, 2)
    quotes = " ".join(c.quote for c in engine.ask("Where did people lay flowers for the victims?").citations)
    assert "Hundreds of people" in quotes and "Thousands of people" not in quotes

    (corpus_copy / "vigil.md").unlink()
    removed = engine.refresh()
    assert (removed.removed, removed.unchanged, removed.chunks_embedded) == (1, 5, 0)
    assert _free_slots(settings) == 4  # the two versions' slots, overwritten by the next article written
    assert _collection_count(settings) - _free_slots(settings) == before
    assert "vigil.md" not in _sources(engine.ask("Where did people lay flowers for the victims?"))
    assert "vigil.md" not in {m.source for m in engine.sources()}


def test_bad_files_are_reported_and_the_rest_indexed(settings_for_mode, corpus_copy: Path,
                                                    request: pytest.FixtureRequest) -> None:
    settings = _indexed(settings_for_mode, request)
    (corpus_copy / "vigil.md").write_text(NEW_ARTICLE, encoding="utf-8")
    (corpus_copy / "binary.md").write_bytes(b"\x00\x01\x02 not text \xff\xfe")
    (corpus_copy / "broken.md").write_text("---\ntitle: [unclosed\n---\nSome body text long enough to count.\n")
    (corpus_copy / "latin1.txt").write_bytes("Caf\xe9 attack report\nBody in latin-1 \xe9\xe9\xe9 that is long enough.".encode("latin-1"))
    report = Indexer(settings).refresh()
    assert (report.added, report.unchanged) == (1, 5)
    assert {e.source for e in report.errors} == {"binary.md", "broken.md", "latin1.txt"}
    assert all(e.reason for e in report.errors)


def test_failure_half_way_leaves_previous_index_answering(settings_for_mode, corpus_copy: Path,
                                                          request: pytest.FixtureRequest) -> None:
    settings = _indexed(settings_for_mode, request)
    engine = AnswerEngine(settings)
    engine.refresh()
    live = current_generation(settings.data_dir)

    (corpus_copy / "vigil.md").write_text(NEW_ARTICLE, encoding="utf-8")
    (corpus_copy / "northlines-is-k-big-threat.md").unlink()

    class Boom(RuntimeError):
        pass

    def explode(stage: str, done: int, total: int) -> None:  # the seam: fail once embedding is under way
        if stage == "embed" and done > 0:
            raise Boom("disk full")

    with pytest.raises(Boom):
        engine.refresh(progress=explode)

    assert current_generation(settings.data_dir) == live
    fresh = AnswerEngine(settings)
    answer = fresh.ask("How many people died?")
    assert "northlines-is-k-big-threat.md" in {m.source for m in fresh.sources()}
    assert answer.citations

    report = fresh.refresh()  # the next refresh cleans up and completes
    assert (report.added, report.removed) == (1, 1)
    assert not (settings.data_dir / PENDING).exists()


def test_killed_refresh_leaves_previous_index_answering(settings_for_mode, corpus_copy: Path,
                                                        request: pytest.FixtureRequest) -> None:
    settings = _indexed(settings_for_mode, request)
    Indexer(settings).refresh()
    live = current_generation(settings.data_dir)

    # a long article, so the child is still embedding when it is killed (100 sentences take seconds to
    # embed; the kill follows within one poll of the new version being recorded)
    para = " ".join(f"Sentence number {i} about the memorial service held in the city." for i in range(100))
    (corpus_copy / "long.md").write_text(f"---\ntitle: Long report\noutlet: Test\n---\n\n{para}\n", encoding="utf-8")
    env = {**os.environ, "BOT_CORPUS_DIR": str(settings.corpus_dir), "BOT_DATA_DIR": str(settings.data_dir)}
    if settings.server_mode:
        env.update(BOT_CHROMA_HOST=settings.chroma_host, BOT_CHROMA_PORT=str(settings.chroma_port),
                   BOT_COLLECTION_PREFIX=settings.collection_prefix)
    child = subprocess.Popen([sys.executable, "-m", "bot", "refresh", "--json"], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while not _writing(settings, "long.md"):  # the child has recorded the new version and is embedding it
        assert child.poll() is None, child.stderr.read().decode()
        assert time.monotonic() < deadline
        time.sleep(0.05)
    child.send_signal(signal.SIGKILL)
    child.wait()

    assert current_generation(settings.data_dir) == live
    engine = AnswerEngine(settings)
    assert engine.ask("How many people died?").citations
    report = engine.refresh()
    assert (report.added, report.unchanged) == (1, 5)


def test_two_refreshes_at_once_do_not_corrupt(settings_for_mode, corpus_copy: Path,
                                              request: pytest.FixtureRequest) -> None:
    settings = _indexed(settings_for_mode, request)
    (corpus_copy / "vigil.md").write_text(NEW_ARTICLE, encoding="utf-8")
    reports, errors = [], []

    def run() -> None:
        try:
            reports.append(Indexer(settings).refresh())
        except Exception as exc:  # noqa: BLE001 - collected for the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(r.added for r in reports) == [0, 1]  # one waited for the other, then found nothing to do
    assert sorted(r.unchanged for r in reports) == [5, 6]
    assert AnswerEngine(settings).ask("What is ISIS-K?").citations
    assert "vigil.md" in _sources(AnswerEngine(settings).ask("Where did people lay flowers for the victims?"))
