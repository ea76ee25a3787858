"""Refresh scenario: a later report (written for this test) is added to a copy of the corpus, answered
from, and disagreed with; then removed, after which nothing of it may remain in the answers."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import make_settings

from bot.answering.engine import AnswerEngine
from bot.evaluation.runner import run_eval

FIXTURES = Path(__file__).resolve().parent / "fixtures"
NEW = "later-report.md"


def _sources(report: dict) -> set[str]:
    return {c["source"] for r in report["results"] for a in r["answers"]
            for c in [*a.get("citations", []), *(x for d in a.get("disagreements", []) for x in d["claims"])]}


def test_added_then_removed_article(corpus_copy: Path, tmp_path: Path) -> None:
    engine = AnswerEngine(make_settings(corpus_copy, tmp_path / "data"))
    assert engine.refresh().added == 5

    shutil.copy(FIXTURES / NEW, corpus_copy / NEW)
    report = engine.refresh()
    assert (report.added, report.unchanged) == (1, 5)
    run, added = run_eval(engine, FIXTURES / "refresh_added.yaml", corpus_copy, None)
    assert [(c.case.id, c.failures) for c in run.checks if not c.passed] == []
    assert NEW in _sources(added)

    (corpus_copy / NEW).unlink()
    report = engine.refresh()
    assert (report.removed, report.unchanged) == (1, 5)
    assert NEW not in {m.source for m in engine.sources()}
    run, removed = run_eval(engine, FIXTURES / "refresh_removed.yaml", corpus_copy, None)
    assert [(c.case.id, c.failures) for c in run.checks if not c.passed] == []
    assert NEW not in _sources(removed)
