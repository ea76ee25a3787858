"""The eval runner's schema, metrics and report, on a small corpus of its own and synthetic answers."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from bot.evaluation.cases import CATEGORIES, EvalSetError, load_set
from bot.evaluation.metrics import check_case, compute_metrics, contains
from bot.evaluation.report import render_markdown, write_report
from bot.evaluation.runner import (
    DEFAULT_SET,
    article_body,
    article_files,
    corpus_bodies,
    evaluate_set,
    run_case,
    run_eval,
    verdict_lines,
)
from bot.evaluation.thresholds import parse_thresholds, violations
from bot.models import Answer, Citation, ClaimRef, Disagreement, Turn
from bot.prompts import prompts

ROOT = Path(__file__).resolve().parents[2]

# A corpus on another subject, written for these tests.
FLOOD_A = """---
title: Flood in Riverton
outlet: Valley Post
published: '2023-05-02'
---

At least 12 people died when the river burst its banks in Riverton on Sunday.

The mayor said  the dam had been inspected in 2019.
"""
FLOOD_B = """---
title: Riverton counts its dead
outlet: Hill Gazette
published: '2023-05-04'
---

The flood killed 15 people, officials said on Tuesday.
The mayor said the dam had been inspected in 2019.
"""
Q_DIED = "At least 12 people died when the river burst its banks in Riverton on Sunday."
Q_KILLED = "The flood killed 15 people, officials said on Tuesday."
Q_DAM = "The mayor said the dam had been inspected in 2019."

SET = """
version: 1
sources: {a: a.md, b: b.md}
cases:
  - id: toll
    category: disagreement
    question: How many people died in the flood?
    status: answered
    facts: ["at least 12", "15"]
    disagreement: {about: death toll, values: {a: ["at least 12"], b: ["15"]}}
    must_not_contain: ["100"]
    paraphrases: ["death toll?", "how many died"]
  - id: dam
    category: agreement
    question: When was the dam inspected?
    status: answered
    facts: ["2019"]
    sources: [a, b]
    disagreement: none
  - id: weather
    category: off_subject
    question: Will it rain tomorrow?
    status: out_of_scope
  - id: follow
    category: follow_up
    turns: ["How many people died?", "and when was the dam inspected?"]
    status: answered
    facts: ["2019"]
"""


@pytest.fixture
def flood(tmp_path: Path) -> tuple[Path, Path]:
    """(corpus dir, set file) of the flood corpus."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.md").write_text(FLOOD_A, encoding="utf-8")
    (corpus / "b.md").write_text(FLOOD_B, encoding="utf-8")
    path = tmp_path / "set.yaml"
    path.write_text(SET, encoding="utf-8")
    return corpus, path


def cite(n: int, source: str, quote: str) -> Citation:
    return Citation(n=n, source=source, title="t", outlet="o", published=None, quote=quote)


def toll_answer(question: str, quote_a: str = Q_DIED, drop_disagreement: bool = False) -> Answer:
    """A good answer to the death-toll question (optionally broken)."""
    dis = [] if drop_disagreement else [Disagreement("killed", "Two sources differ.", [
        ClaimRef("at least 12", "a.md", 1, quote_a), ClaimRef("15", "b.md", 2, Q_KILLED)])]
    return Answer(question=question, status="answered",
                  answer="The articles give different tolls: at least 12 [1]; 15 [2].",
                  citations=[cite(1, "a.md", quote_a), cite(2, "b.md", Q_KILLED)], disagreements=dis)


class Scripted:
    """A fake answerer: answers by keyword, records the history it was given."""

    def __init__(self, broken: str = "") -> None:
        self.broken = broken
        self.histories: list[list[str]] = []

    def ask(self, question: str, history: Sequence[Turn] = ()) -> Answer:
        self.histories.append([t.text for t in history])
        q = question.lower()
        if "rain" in q:
            a = Answer(question=question, status="out_of_scope", answer="I only cover the flood.")
        elif "dam" in q:
            a = Answer(question=question, status="answered", answer=f"“{Q_DAM}” [1][2]",
                       citations=[cite(1, "a.md", Q_DAM), cite(2, "b.md", Q_DAM)])
        else:
            quote = Q_DIED.replace("banks", "bank") if self.broken == "quote" else Q_DIED
            a = toll_answer(question, quote, drop_disagreement=self.broken == "disagreement")
        a.turn = Turn(question, "resolved")
        return a


# ---------------------------------------------------------------- the project's set
def test_project_set_loads_and_covers_every_category() -> None:
    s = load_set(DEFAULT_SET, article_files(ROOT / "corpus"))
    assert len(s.cases) >= 80
    assert {c.category for c in s.cases} == set(CATEGORIES)
    assert sum(1 for members in s.groups().values() if len(members) >= 3) >= 10
    assert sum(1 for c in s.cases if c.disagreement) >= 15
    assert sum(1 for c in s.cases if c.no_disagreement) >= 10


def test_project_set_has_no_trivial_alternatives() -> None:
    """A fact or value like "IS" would match the word "is" in any answer (matching ignores case)."""
    from bot.text.tokens import STOPWORDS

    for case in load_set(DEFAULT_SET).cases:
        alts = [a for f in case.facts for a in f.any_of] + list(case.must_not_contain)
        alts += [a for vals in (case.disagreement.values.values() if case.disagreement else []) for a in vals]
        assert not [a for a in alts if a.lower() in STOPWORDS or (len(a) < 2 and not a.isdigit())], case.id


def test_project_set_expects_only_what_the_articles_say() -> None:
    """Every expected disagreement value is in its source; every fact of an answerable case is in the corpus."""
    corpus = ROOT / "corpus"
    bodies = corpus_bodies(corpus)
    files = article_files(corpus)
    for case in load_set(DEFAULT_SET, files).cases:
        if case.disagreement:
            for src, alts in case.disagreement.values.items():
                assert any(contains(bodies(src) or "", a) for a in alts), (case.id, src, alts)
        if case.status == ("answered",) and case.category != "injection":
            for fact in case.facts:
                where = case.sources or files
                assert any(contains(bodies(s) or "", a) for s in where for a in fact.any_of), (case.id, fact)


# ---------------------------------------------------------------- schema errors name the case
@pytest.mark.parametrize("bad, message", [
    ("- {category: agreement, question: q, status: answered}", "missing 'id'"),
    ("- {id: x, category: nonsense, question: q, status: answered}", "case x: category 'nonsense'"),
    ("- {id: x, category: agreement, question: q, status: maybe}", "case x: status 'maybe'"),
    ("- {id: x, category: agreement, question: q, status: answered, colour: red}", "case x: unknown key"),
    ("- {id: x, category: agreement, status: answered}", "case x: give exactly one of"),
    ("- {id: x, category: follow_up, turns: [only one], status: answered}", "case x: a follow_up case needs"),
    ("- {id: x, category: agreement, question: q, status: answered, sources: [zz.md]}", "case x: source 'zz.md'"),
    ("- {id: x, category: agreement, question: q, status: answered, disagreement: {values: {a: ['1']}}}",
     "case x: disagreement.values must map at least two"),
    ("- {id: x, category: agreement, question: q, status: answered, facts: [{one_of: [a]}]}", "case x: a fact mapping"),
    ("- {id: X Y, category: agreement, question: q, status: answered}", "id 'X Y'"),
    ("- {id: x, category: agreement, question: q, status: answered}\n- {id: x, category: agreement, question: r, status: answered}",
     "case x: duplicate id"),
    ("- {id: x, category: agreement, question: q, status: answered, paraphrases: [p]}\n"
     "- {id: x-p1, category: agreement, question: r, status: answered}", "case x-p1: duplicate id"),
])
def test_schema_errors_name_the_case(tmp_path: Path, bad: str, message: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("version: 1\nsources: {a: a.md}\ncases:\n" + bad + "\n", encoding="utf-8")
    with pytest.raises(EvalSetError, match=message.replace("(", r"\(").replace("[", r"\[")) as err:
        load_set(path, ["a.md"])
    assert "bad.yaml" in str(err.value)


@pytest.mark.parametrize("text, message", [
    ("cases: [", "not valid YAML"), ("- 1", "non-empty 'cases' list"), ("cases: []", "non-empty 'cases' list"),
    ("version: 2\ncases: [{id: x}]", "version 2"), ("cases: [{id: x}]\nextra: 1", "unknown top-level"),
    ("sources: {a: gone.md}\ncases: [{id: x}]", "sources not in the corpus: gone.md"),
])
def test_file_errors(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(EvalSetError, match=message):
        load_set(path, ["a.md"])
    with pytest.raises(EvalSetError, match="does not exist"):
        load_set(tmp_path / "missing.yaml")


def test_paraphrases_expand_into_a_group(flood: tuple[Path, Path]) -> None:
    s = load_set(flood[1], ["a.md", "b.md"])
    toll = [c for c in s.cases if c.group == "toll"]
    assert [c.id for c in toll] == ["toll", "toll-p1", "toll-p2"]
    assert [c.category for c in toll] == ["disagreement", "paraphrase", "paraphrase"]
    assert all(c.disagreement == toll[0].disagreement for c in toll)


# ---------------------------------------------------------------- metrics on synthetic answers
def test_a_good_run_passes_every_check(flood: tuple[Path, Path]) -> None:
    corpus, path = flood
    run = evaluate_set(Scripted(), load_set(path, ["a.md", "b.md"]), corpus_bodies(corpus))
    assert [c.failures for c in run.checks if c.failures] == []
    m = run.metrics
    for name in ("case_pass_rate", "fact_accuracy", "quote_fidelity", "citation_relevance", "claim_support",
                 "source_recall", "disagreement_recall", "disagreement_precision", "refusal_accuracy",
                 "no_forbidden", "integrity", "paraphrase_consistency"):
        assert m[name] == 1.0, name
    assert m["latency_p50_ms"] is not None and m["latency_p95_ms"] >= m["latency_p50_ms"]


def test_a_quote_altered_by_one_word_breaks_fidelity(flood: tuple[Path, Path]) -> None:
    corpus, path = flood
    run = evaluate_set(Scripted(broken="quote"), load_set(path, ["a.md", "b.md"]), corpus_bodies(corpus))
    assert run.metrics["quote_fidelity"] < 1.0
    failed = [c for c in run.checks if not c.passed]
    assert failed and all("not verbatim in a.md" in " ".join(c.failures) for c in failed)
    assert violations(run.metrics, parse_thresholds({"min": {"quote_fidelity": 1.0}}, "t.yaml"))


def test_dropped_disagreements_break_recall(flood: tuple[Path, Path]) -> None:
    corpus, path = flood
    run = evaluate_set(Scripted(broken="disagreement"), load_set(path, ["a.md", "b.md"]), corpus_bodies(corpus))
    assert run.metrics["disagreement_recall"] == 0.0
    assert run.metrics["disagreement_value_recall"] == 0.0
    assert any("not surfaced" in f for c in run.checks for f in c.failures)


def test_a_disagreement_on_an_agreement_case_is_a_false_alarm(flood: tuple[Path, Path]) -> None:
    corpus, path = flood
    s = load_set(path, ["a.md", "b.md"])
    dam = next(c for c in s.cases if c.id == "dam")
    toll = next(c for c in s.cases if c.id == "toll")
    bodies = corpus_bodies(corpus)
    alarm = toll_answer(dam.question).to_json()
    alarm["answer"] += " Inspected in 2019 [1]."  # the fact is stated, but the cited quote does not hold it
    checks = [check_case(dam, alarm, bodies), check_case(toll, toll_answer(toll.question).to_json(), bodies)]
    assert checks[0].false_alarm and checks[1].disagreement_surfaced
    m = compute_metrics(checks)
    assert m["disagreement_precision"] == 0.5
    assert m["citation_relevance"] == 0.6667 and "in none of the quotes it cites" in " ".join(checks[0].failures)


def test_forbidden_strings_and_statuses(flood: tuple[Path, Path]) -> None:
    corpus, path = flood
    s = load_set(path, ["a.md", "b.md"])
    toll, weather = (next(c for c in s.cases if c.id == i) for i in ("toll", "weather"))
    bodies = corpus_bodies(corpus)
    bad = toll_answer(toll.question).to_json()
    bad["answer"] += " Some say 100."
    not_refused = Answer(question=weather.question, status="not_found", answer="No.").to_json()
    checks = [check_case(toll, bad, bodies), check_case(weather, not_refused, bodies)]
    m = compute_metrics(checks)
    assert m["no_forbidden"] == 0.0 and m["refusal_accuracy"] == 0.0
    assert "contains forbidden '100'" in checks[0].failures
    assert not contains("at least 1000", "100") and contains("«at least 100»", "100")


@pytest.mark.parametrize("mutate, problem", [
    (lambda a: a.update(answer=a["answer"] + " [7]"), "cites [7], which is not a citation"),
    (lambda a: a["disagreements"][0]["claims"][0].update(n=2), "points at citation [2] of another source"),
    (lambda a: a.update(answer="The articles give different {topic}."), "unfilled template placeholder"),
    (lambda a: a["citations"][1].update(source="invented.md"), "'invented.md', which is not in the corpus"),
    (lambda a: a["disagreements"][0]["claims"][1].update(value="16"), "claim value '16' is not in its quote"),
    (lambda a: a.pop("timings_ms"), "differ from the contract"),
    (lambda a: a["citations"][0].update(n=3), "not numbered 1..2"),
])
def test_integrity_problems_are_reported(flood: tuple[Path, Path], mutate: Any, problem: str) -> None:
    corpus, path = flood
    toll = load_set(path, ["a.md", "b.md"]).cases[0]
    data = toll_answer(toll.question).to_json()
    mutate(data)
    check = check_case(toll, data, corpus_bodies(corpus))
    assert any(problem in f for f in check.failures), check.failures


def test_paraphrase_inconsistency(flood: tuple[Path, Path]) -> None:
    corpus, path = flood
    s = load_set(path, ["a.md", "b.md"])
    bodies = corpus_bodies(corpus)
    toll = [c for c in s.cases if c.group == "toll"]
    answers = [toll_answer(c.question).to_json() for c in toll]
    answers[2] = Answer(question="how many died", status="not_found", answer="No.").to_json()
    m = compute_metrics([check_case(c, a, bodies) for c, a in zip(toll, answers)])
    assert m["paraphrase_consistency"] == 0.0


# ---------------------------------------------------------------- runner, thresholds, report, command
def test_follow_ups_carry_the_resolved_history(flood: tuple[Path, Path]) -> None:
    case = next(c for c in load_set(flood[1], ["a.md", "b.md"]).cases if c.id == "follow")
    fake = Scripted()
    runs = run_case(fake, case)
    assert fake.histories == [[], ["How many people died? (resolved)"]]
    assert [r.answer["status"] for r in runs] == ["answered", "answered"]
    assert "turn" not in runs[-1].answer  # the JSON contract, via Answer.to_json()


def test_thresholds_are_checked(tmp_path: Path) -> None:
    t = parse_thresholds({"min": {"fact_accuracy": 0.9}, "max": {"latency_p95_ms": 100}}, "t.yaml")
    failed = violations({"fact_accuracy": 0.5, "latency_p95_ms": 300.0}, t)
    assert [(v.metric, v.kind) for v in failed] == [("fact_accuracy", "min"), ("latency_p95_ms", "max")]
    lines = verdict_lines(failed, t, prompts())
    assert "fact_accuracy is 0.5, below its threshold 0.9 (t.yaml)" in lines[0] and "2 metric(s)" in lines[-1]
    assert violations({"fact_accuracy": None}, t) == []  # not measured by this set
    for bad, msg in [({"min": {"nope": 1}}, "unknown metric"), ({"min": {"fact_accuracy": "x"}}, "must be a number"),
                     ({"min": {"integrity": 1}, "max": {"integrity": 1}}, "both"), ([1], "expected a mapping")]:
        with pytest.raises(ValueError, match=msg):
            parse_thresholds(bad, "t.yaml")


def test_report_files_show_failed_cases(flood: tuple[Path, Path], tmp_path: Path) -> None:
    corpus, path = flood
    thresholds = parse_thresholds({"min": {"quote_fidelity": 1.0}}, "t.yaml")
    run, report = run_eval(Scripted(broken="quote"), path, corpus, thresholds)
    assert not report["ok"] and report["violations"][0]["metric"] == "quote_fidelity"
    json_path, md_path = write_report(report, tmp_path / "out", prompts())
    assert json.loads(json_path.read_text())["cases"] == len(run.checks)
    md = md_path.read_text()
    assert "### toll (disagreement)" in md and "quote is not verbatim" in md and "bank in Riverton" in md
    assert "BELOW" in md and "### dam" not in md
    assert "Every case passed." in render_markdown({**report, "results": []}, prompts())


def test_bodies_skip_front_matter_and_refuse_paths_outside(flood: tuple[Path, Path]) -> None:
    corpus, _ = flood
    bodies = corpus_bodies(corpus)
    assert Q_DAM in (bodies("a.md") or "") and "title:" not in (bodies("a.md") or "")
    assert bodies("../set.yaml") is None and bodies("missing.md") is None
    (corpus / "c.txt").write_text("Title line\nBody text.", encoding="utf-8")
    assert article_body(corpus / "c.txt").startswith("Title line") and "c.txt" in article_files(corpus)


def test_eval_command_rejects_a_bad_set(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.cli import app

    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\ncases:\n- {id: x, category: agreement, question: q, status: sure}\n", encoding="utf-8")
    monkeypatch.setenv("BOT_CORPUS_DIR", str(ROOT / "corpus"))
    monkeypatch.setenv("BOT_DATA_DIR", str(tmp_path / "data"))
    result = CliRunner().invoke(app, ["eval", "--set", str(bad), "--report", str(tmp_path / "r")])
    assert result.exit_code == 1
    assert "case x: status 'sure'" in result.output.replace("\n", "")
    assert not (tmp_path / "data").exists()  # failed before the index was touched


def test_echoes_and_article_quotes_are_not_the_bots_own_words(flood: tuple[Path, Path]) -> None:
    corpus, path = flood
    toll = load_set(path, ["a.md", "b.md"]).cases[0]  # must_not_contain: ["100"]
    bodies = corpus_bodies(corpus)

    def with_text(question: str, text: str) -> dict[str, Any]:
        data = toll_answer(question).to_json()
        data["answer"] = text
        return data

    echo = with_text("Say 100 people died", "The articles do not mention “100”. They say: “" + Q_DIED + "” [1]")
    assert check_case(toll, echo, bodies).forbidden_hits == []
    invented = with_text("How many died?", "“100 people died in the flood.” [1]")  # quoted, but no article says it
    assert check_case(toll, invented, bodies).forbidden_hits == ["100"]
