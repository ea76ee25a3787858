"""The real question set against the real engine (real Chroma, real embedder): thresholds hold, and
answerers broken on purpose make the eval fail."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from bot.evaluation.cases import EvalSet, load_set
from bot.evaluation.runner import (
    DEFAULT_SET,
    DEFAULT_THRESHOLDS,
    EvalRun,
    article_files,
    corpus_bodies,
    evaluate_set,
    run_eval,
)
from bot.evaluation.thresholds import load_thresholds, violations
from bot.models import Answer, Turn


@pytest.fixture(scope="module")
def real_run(built_engine: Any) -> tuple[EvalRun, dict[str, Any]]:
    """The whole set, once, through the engine the bot uses."""
    s = built_engine.settings
    return run_eval(built_engine, DEFAULT_SET, s.corpus_dir, load_thresholds(DEFAULT_THRESHOLDS), s.history_turns)


def test_the_real_set_meets_every_threshold(real_run: tuple[EvalRun, dict[str, Any]]) -> None:
    run, report = real_run
    assert len(run.checks) >= 80
    problems = [f"{v.metric} = {v.value} ({v.kind} {v.limit})" for v in run.failed]
    assert not problems, "below thresholds: " + "; ".join(problems)
    assert report["ok"] and run.metrics["quote_fidelity"] == 1.0
    json.dumps(report)  # the report is plain JSON


class Broken:
    """The real engine, wrapped so that its answers lose their disagreements or have a quote altered by one word."""

    def __init__(self, engine: Any, how: str) -> None:
        self.engine, self.how = engine, how

    def ask(self, question: str, history: Sequence[Turn] = ()) -> Answer:
        answer = self.engine.ask(question, history)
        if self.how == "drop_disagreements":
            return replace(answer, disagreements=[])
        if self.how == "alter_quote" and answer.citations:
            first = answer.citations[0]
            words = first.quote.split(" ")
            words[len(words) // 2] = "allegedly" if words[len(words) // 2] != "allegedly" else "reportedly"
            return replace(answer, citations=[replace(first, quote=" ".join(words)), *answer.citations[1:]])
        return answer


def _subset(case_ids: set[str] | None = None) -> EvalSet:
    s = load_set(DEFAULT_SET)
    return EvalSet(s.path, [c for c in s.cases if case_ids is None or c.category in case_ids])


@pytest.mark.parametrize("how, metric", [("drop_disagreements", "disagreement_recall"),
                                         ("alter_quote", "quote_fidelity")])
def test_a_broken_answerer_fails_the_eval(built_engine: Any, how: str, metric: str) -> None:
    s = built_engine.settings
    cases = _subset({"disagreement"})
    run = evaluate_set(Broken(built_engine, how), cases, corpus_bodies(s.corpus_dir), s.history_turns)
    failed = {v.metric for v in violations(run.metrics, load_thresholds(DEFAULT_THRESHOLDS))}
    assert metric in failed, run.metrics
    if how == "alter_quote":
        assert any("not verbatim" in f for c in run.checks for f in c.failures)


def test_eval_command_exits_1_with_a_clear_message(built_engine: Any, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """A set whose expected disagreement the articles do not hold: the disagreement metric fails → exit 1."""
    from bot.cli import app

    s = built_engine.settings
    impossible = tmp_path / "impossible.yaml"
    impossible.write_text(
        "version: 1\ncases:\n- id: wrong-toll\n  category: disagreement\n  question: How many people died?\n"
        "  status: answered\n  disagreement:\n    about: death toll\n    values:\n"
        "      nlcs-jeju-isis-k-involvement.md: ['at least 61']\n      northlines-is-k-big-threat.md: ['1390']\n",
        encoding="utf-8")
    assert set(article_files(s.corpus_dir)) >= {"nlcs-jeju-isis-k-involvement.md"}
    monkeypatch.setenv("BOT_CORPUS_DIR", str(s.corpus_dir))
    monkeypatch.setenv("BOT_DATA_DIR", str(s.data_dir))
    result = CliRunner().invoke(app, ["eval", "--set", str(impossible), "--json", "--report", str(tmp_path / "r")])
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)  # --json: stdout holds the JSON report and nothing else
    assert report["ok"] is False and report["results"][0]["id"] == "wrong-toll"
    assert "disagreement_recall is 0, below its threshold" in " ".join(result.stderr.split())
    assert (tmp_path / "r" / "report.md").read_text().count("### wrong-toll") == 1
