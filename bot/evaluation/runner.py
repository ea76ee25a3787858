"""`python -m bot eval`: run the answer-quality test set through the bot's own answer path and report.

Each case is asked with `AnswerEngine.ask` exactly as the chat does it (follow-ups with the
conversation's resolved questions as history), turned into the JSON contract with
`Answer.to_json()`, and checked without any LLM judge (bot/evaluation/metrics.py). The report goes to
the console (a table by category) and to report.json / report.md; the exit code is 1 when a metric
is on the wrong side of tests/eval/thresholds.yaml.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from rich.console import Console

from bot.errors import QuestionError
from bot.evaluation.cases import Case, EvalSet, load_set
from bot.evaluation.metrics import (
    BodyLookup,
    CaseCheck,
    check_case,
    compute_metrics,
    squash,
)
from bot.evaluation.report import build_report, print_console, write_report
from bot.evaluation.thresholds import Thresholds, Violation, load_thresholds, violations
from bot.models import Answer, Turn
from bot.prompts import Prompts, prompts

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SET = ROOT / "tests" / "eval" / "questions.yaml"
DEFAULT_THRESHOLDS = ROOT / "tests" / "eval" / "thresholds.yaml"
DEFAULT_REPORT_DIR = Path("reports") / "eval"
ARTICLE_SUFFIXES = (".md", ".txt", ".html", ".htm")
EXIT_OK, EXIT_FAILED = 0, 1


class Answerer(Protocol):
    """What the runner needs from the engine: the bot's own `ask`."""

    def ask(self, question: str, history: Sequence[Turn] = ()) -> Answer:
        """Answer one question in the light of the conversation's earlier turns."""
        ...


@dataclass
class TurnRun:
    """One question asked and the JSON answer object that came back."""

    question: str
    answer: dict[str, Any]
    ms: float


@dataclass
class EvalRun:
    """A finished run: each case's turns and checks, and the metrics."""

    checks: list[CaseCheck]
    turns: dict[str, list[TurnRun]]
    metrics: dict[str, float | None]
    seconds: float
    failed: list[Violation] = field(default_factory=list)


def article_files(corpus_dir: Path) -> list[str]:
    """Article files of a corpus directory, as paths relative to it."""
    if not corpus_dir.is_dir():
        return []
    return sorted(
        p.relative_to(corpus_dir).as_posix() for p in corpus_dir.rglob("*")
        if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES and not any(x.startswith(".") for x in p.parts)
    )


def article_body(path: Path) -> str:
    """The text quotes may come from: a .md body without its front matter, a whole .txt, the main text of .html."""
    raw = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix.lower() in (".html", ".htm"):
        import trafilatura

        return trafilatura.extract(raw, include_comments=False) or ""
    if path.suffix.lower() == ".md" and raw.lstrip("\ufeff").startswith("---"):
        lines = raw.lstrip("\ufeff").splitlines(keepends=True)
        for i, line in enumerate(lines[1:], 1):
            if line.strip() == "---":
                return "".join(lines[i + 1:])
    return raw


def corpus_bodies(corpus_dir: Path) -> BodyLookup:
    """Source name → whitespace-normalised body, read from the corpus directory once per source."""
    cache: dict[str, str | None] = {}

    def lookup(source: str) -> str | None:
        if source not in cache:
            path = (corpus_dir / source)
            ok = bool(source) and path.is_file() and corpus_dir.resolve() in path.resolve().parents
            cache[source] = squash(article_body(path)) if ok else None
        return cache[source]

    return lookup


def run_case(answerer: Answerer, case: Case, history_turns: int = 6) -> list[TurnRun]:
    """Ask a case's questions in order, carrying the conversation like the chat does."""
    history: list[Turn] = []
    runs: list[TurnRun] = []
    for question in case.turns:
        t0 = time.perf_counter()
        try:
            answer = answerer.ask(question, history[-history_turns:] if history_turns else [])
            data, resolved = answer.to_json(), answer.turn or Turn(question)
        except QuestionError as exc:
            data, resolved = {"question": question, "error": str(exc)}, Turn(question)
        runs.append(TurnRun(question, data, round((time.perf_counter() - t0) * 1000, 2)))
        history.append(resolved)
    return runs


def evaluate_set(answerer: Answerer, eval_set: EvalSet, bodies: BodyLookup, history_turns: int = 6,
                 progress: Callable[[int, int], None] | None = None) -> EvalRun:
    """Run every case of a set and check it; returns the checks and the metrics."""
    t0 = time.perf_counter()
    checks, turns = [], {}
    for i, case in enumerate(eval_set.cases, 1):
        runs = run_case(answerer, case, history_turns)
        turns[case.id] = runs
        checks.append(check_case(case, runs[-1].answer, bodies, [r.answer for r in runs[:-1]], [r.ms for r in runs]))
        if progress:
            progress(i, len(eval_set.cases))
    return EvalRun(checks, turns, compute_metrics(checks), round(time.perf_counter() - t0, 2))


def verdict_lines(failed: Sequence[Violation], thresholds: Thresholds, p: Prompts) -> list[str]:
    """One sentence per failed metric, then the overall verdict."""
    if not failed:
        return [p.render("eval.verdict_ok", file=thresholds.path)]
    lines = [
        p.render("eval.below_min" if v.kind == "min" else "eval.above_max",
                 metric=v.metric, value=f"{v.value:g}", limit=f"{v.limit:g}", file=thresholds.path)
        for v in failed
    ]
    return lines + [p.render("eval.verdict_failed", count=len(failed))]


def run_eval(answerer: Answerer, set_path: Path, corpus_dir: Path, thresholds: Thresholds | None,
             history_turns: int = 6, progress: Callable[[int, int], None] | None = None) -> tuple[EvalRun, dict[str, Any]]:
    """Load a set (checked against the corpus's files), run it, compare with thresholds; the run and its report."""
    eval_set = load_set(set_path, article_files(corpus_dir))
    run = evaluate_set(answerer, eval_set, corpus_bodies(corpus_dir), history_turns, progress)
    run.failed = violations(run.metrics, thresholds) if thresholds else []
    meta = {"set": str(set_path), "corpus_dir": str(corpus_dir), "seconds": run.seconds}
    turns = {cid: [t.answer for t in runs] for cid, runs in run.turns.items()}
    return run, build_report(run.checks, run.metrics, thresholds, run.failed, meta, turns)


def eval_command(settings: Any, set_path: Path | None, as_json: bool, report_dir: Path | None,
                 console: Console, thresholds_path: Path | None = None) -> int:
    """The `eval` command: refresh the index, run the set, print and write the report; the exit code."""
    p = prompts()
    set_path = set_path or DEFAULT_SET
    thresholds = load_thresholds(thresholds_path or DEFAULT_THRESHOLDS, ROOT)
    load_set(set_path, article_files(settings.corpus_dir))  # a bad set fails before the index is touched
    from bot.answering.engine import AnswerEngine

    engine = AnswerEngine(settings)
    refreshed = engine.refresh()
    if not as_json:
        console.print(p.render("eval.refreshed", added=refreshed.added, updated=refreshed.updated,
                               removed=refreshed.removed, unchanged=refreshed.unchanged), highlight=False)
    run, report = _run_with_progress(engine, set_path, settings, thresholds, console, show=not as_json)
    json_path, md_path = write_report(report, report_dir or DEFAULT_REPORT_DIR, p)
    if as_json:
        sys.stdout.write(json.dumps(report, ensure_ascii=False) + "\n")
    else:
        print_console(report, console, p)
        console.print(p.render("eval.written", json=str(json_path), md=str(md_path)), highlight=False)
    for line in verdict_lines(run.failed, thresholds, p):
        console.print(line, style="bold red" if run.failed else "green", highlight=False)
    return EXIT_FAILED if run.failed else EXIT_OK


def _run_with_progress(engine: Any, set_path: Path, settings: Any, thresholds: Thresholds, console: Console,
                       show: bool) -> tuple[EvalRun, dict[str, Any]]:
    """run_eval with a transient progress bar on the console when it is a terminal."""
    if not (show and console.is_terminal):
        return run_eval(engine, set_path, settings.corpus_dir, thresholds, settings.history_turns)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    with Progress(TextColumn("cases"), BarColumn(), MofNCompleteColumn(), console=console, transient=True) as bar:
        task = bar.add_task("cases", total=None)
        return run_eval(engine, set_path, settings.corpus_dir, thresholds, settings.history_turns,
                        lambda done, total: bar.update(task, completed=done, total=total))


__all__ = ["Answerer", "EvalRun", "TurnRun", "article_body", "article_files", "corpus_bodies", "eval_command",
           "evaluate_set", "load_thresholds", "run_case", "run_eval", "verdict_lines"]
