"""The quake set: a second corpus (an invented earthquake, five invented articles, one in Spanish) and
its answer-quality cases, run through the real engine (real embedder, embedded Chroma in tmp dirs)
against tests/eval/quake_thresholds.yaml. No code and no lexicon entries were written for it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import make_settings
from typer.testing import CliRunner

from bot.evaluation.cases import CATEGORIES, load_set
from bot.evaluation.runner import EvalRun, article_files, run_eval
from bot.evaluation.thresholds import load_thresholds

EVAL_DIR = Path(__file__).resolve().parent
QUAKE_CORPUS = EVAL_DIR / "corpora" / "quake"
QUAKE_SET = EVAL_DIR / "quake.yaml"
QUAKE_THRESHOLDS = EVAL_DIR / "quake_thresholds.yaml"
RULES = ("quote_fidelity", "integrity", "claim_support", "citation_relevance", "no_forbidden")


@pytest.fixture(scope="module")
def quake_engine(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """An engine over a private copy of the quake corpus, its index built in a tmp data dir."""
    from bot.answering.engine import AnswerEngine

    corpus = tmp_path_factory.mktemp("quake-corpus") / "quake"
    shutil.copytree(QUAKE_CORPUS, corpus)
    engine = AnswerEngine(make_settings(corpus, tmp_path_factory.mktemp("quake-data")))
    report = engine.refresh()
    assert report.added == 5 and not report.errors, report.to_json()
    return engine


@pytest.fixture(scope="module")
def quake_run(quake_engine: Any) -> tuple[EvalRun, dict[str, Any]]:
    """The whole quake set, once, through the engine's own `ask`."""
    s = quake_engine.settings
    return run_eval(quake_engine, QUAKE_SET, s.corpus_dir, load_thresholds(QUAKE_THRESHOLDS), s.history_turns)


def test_the_quake_corpus_is_five_articles_one_of_them_not_in_english(quake_engine: Any) -> None:
    metas = quake_engine.sources()
    assert len(metas) == 5
    assert {m.language for m in metas} == {"en", "es"}
    assert all(m.title and m.outlet and m.author and m.published and m.notes for m in metas)


def test_the_quake_set_covers_every_category_with_at_least_40_cases() -> None:
    eval_set = load_set(QUAKE_SET, article_files(QUAKE_CORPUS))
    assert len(eval_set.cases) >= 40
    categories = {c.category for c in eval_set.cases}
    assert categories == set(CATEGORIES)  # other_language included: questions in Spanish, Russian, Dutch
    # every disagreement case names a value for each source it expects, from at least two sources
    assert all(len(c.disagreement.values) >= 2 for c in eval_set.cases if c.category == "disagreement")


def test_the_quake_set_meets_its_thresholds(quake_run: tuple[EvalRun, dict[str, Any]]) -> None:
    run, report = quake_run
    problems = [f"{v.metric} = {v.value} ({v.kind} {v.limit})" for v in run.failed]
    assert not problems, "below quake thresholds: " + "; ".join(problems)
    assert all(run.metrics[m] == 1.0 for m in RULES), {m: run.metrics[m] for m in RULES}
    assert report["ok"]
    json.dumps(report)


def test_eval_command_takes_the_quake_corpus_and_thresholds(quake_engine: Any, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """`eval --set … --thresholds …` with BOT_CORPUS_DIR/BOT_DATA_DIR: the quake file is the one applied."""
    from bot.cli import app

    s = quake_engine.settings
    one_case = tmp_path / "one.yaml"
    one_case.write_text(
        "version: 1\ncases:\n- id: country\n  category: agreement\n"
        "  question: Which country was hit by the earthquake?\n  status: answered\n"
        "  facts: [Karvenia]\n  disagreement: none\n", encoding="utf-8")
    monkeypatch.setenv("BOT_CORPUS_DIR", str(s.corpus_dir))
    monkeypatch.setenv("BOT_DATA_DIR", str(s.data_dir))
    result = CliRunner().invoke(app, ["eval", "--set", str(one_case), "--thresholds", str(QUAKE_THRESHOLDS),
                                      "--json", "--report", str(tmp_path / "r")])
    report = json.loads(result.stdout)  # --json: stdout holds the JSON report and nothing else
    assert report["results"][0]["id"] == "country" and report["results"][0]["passed"]
    assert report["corpus_dir"] == str(s.corpus_dir)
    assert report["thresholds"]["file"] == "tests/eval/quake_thresholds.yaml"
    assert report["thresholds"]["min"] == load_thresholds(QUAKE_THRESHOLDS).min
    # latency depends on the machine's load; no quality metric may fail, and the exit code says so
    assert {v["metric"] for v in report["violations"]} <= {"latency_p50_ms", "latency_p95_ms"}
    assert result.exit_code == (0 if report["ok"] else 1), result.output
