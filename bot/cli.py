"""Command line: refresh, ask, chat, serve, eval. The only place errors become exit codes.

    python -m bot refresh [--json] [--rebuild]
    python -m bot ask "How many people died?" [--json]
    python -m bot ask --jsonl < questions.txt
    python -m bot chat
    python -m bot serve
    python -m bot eval [--set FILE] [--thresholds FILE] [--json] [--report DIR]
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, Optional

import click
import typer
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)

from bot.errors import CrosscheckError, QuestionError
from bot.models import Turn

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False, no_args_is_help=True,
                  help="Crosscheck: answers questions from a set of news articles, quoted word for word.")
err = Console(stderr=True, soft_wrap=True)  # one line per message; logs and progress: never on stdout, which may carry JSON
out = Console(highlight=False, soft_wrap=True)

EXIT_ERROR = 1
EXIT_INTERRUPTED = 130


def _settings() -> Any:
    from bot.config import Settings

    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise CrosscheckError(f"settings are not valid: {problems}") from None


@contextmanager
def _user_errors() -> Iterator[None]:
    """Turn the errors we expect into one clear line on stderr and a non-zero exit."""
    try:
        yield
    except CrosscheckError as exc:
        err.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False)
        raise typer.Exit(EXIT_ERROR) from None
    except KeyboardInterrupt:
        err.print("interrupted; the index in use before is unchanged and still answers.")
        raise typer.Exit(EXIT_INTERRUPTED) from None
    except (typer.Exit, typer.Abort, click.ClickException):
        raise
    except Exception as exc:  # a bug or an outside failure (disk, Chroma server): one line, details in the log
        logging.getLogger("bot").debug("unexpected error", exc_info=True)
        damaged = _damaged_file()
        if damaged is not None:  # the failure came from a damaged index file: name it and say what to do
            err.print(f"[bold red]error:[/] {escape(str(damaged))}", highlight=False)
            raise typer.Exit(EXIT_ERROR) from None
        err.print(f"[bold red]error:[/] unexpected {type(exc).__name__}: {escape(str(exc)[:300])} "
                  "(run with --verbose for details)", highlight=False)
        raise typer.Exit(EXIT_ERROR) from None


def _damaged_file() -> Any:
    """The damaged index file behind an unexpected failure (a DataFileError), or None."""
    try:
        from bot.ingest.integrity import find_damage

        return find_damage(_settings())
    except Exception:  # the diagnosis must never hide the original failure
        logging.getLogger("bot").debug("could not check the index files", exc_info=True)
        return None


@contextmanager
def _progress(show: bool) -> Iterator[Callable[[str, int, int], None] | None]:
    """A rich progress bar on stderr for embedding; a no-op when output must stay quiet."""
    if not show:
        yield None
        return
    bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                   console=err, transient=True)
    task = bar.add_task("embedding sentences", total=None)

    def update(stage: str, done: int, total: int) -> None:
        bar.update(task, completed=done, total=total or None)

    with bar:
        yield update


def _engine(show_progress: bool, question: str | None = None) -> Any:
    """The answer engine with its index (built first if there is none); `question` is checked before that."""
    settings = _settings()
    if question is not None:  # a question that cannot be used fails now: before the engine's imports and any build
        from bot.answering.validate import check_question
        from bot.prompts import prompts

        check_question(question, settings.max_question_chars, prompts())
    from bot.answering import warmup

    warmup.start(settings.embed_threads)
    from bot.answering.engine import AnswerEngine

    engine = AnswerEngine(settings)
    with _progress(show_progress) as progress:
        report = engine.ensure_index(progress)
    if report is not None:
        _print_errors(report)
    return engine


def _print_errors(report: Any) -> None:
    for e in report.errors:
        err.print(f"[yellow]skipped[/] {escape(e.source)}: {escape(e.reason)}", highlight=False)


@app.callback()
def main(verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log details to stderr.")] = False) -> None:
    """Answers questions from a curated set of news articles, with quotes and the sources' disagreements."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if verbose:
        logging.getLogger("bot").setLevel(logging.DEBUG)  # our tracebacks, not every library's chatter


@app.command()
def refresh(
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON summary object.")] = False,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Build a new index from the corpus in a fresh folder "
                                          "and swap it in (for damaged index files).")] = False,
) -> None:
    """Bring the index in line with the corpus directory (adds, updates, removes; skips unchanged)."""
    with _user_errors():
        settings = _settings()
        with _progress(not as_json and err.is_terminal) as progress:
            if rebuild:
                from bot.ingest.rebuild import rebuild as rebuild_index

                report = rebuild_index(settings, progress)
            else:
                from bot.ingest.refresh import Indexer

                report = Indexer(settings).refresh(progress)
        if report.changed:  # what every engine start would otherwise compute over the whole corpus
            from bot.answering.summary import prime

            prime(settings.data_dir)
    if as_json:
        out.print(json.dumps(report.to_json()), markup=False)
    else:
        out.print(f"added {report.added}, updated {report.updated}, removed {report.removed}, "
                  f"unchanged {report.unchanged}; {report.chunks_embedded} sentences embedded "
                  f"in {report.seconds:.2f} s", markup=False)
    _print_errors(report)


def _answer_json(engine: Any, question: str, line: int | None = None) -> dict[str, Any]:
    """One question → the contract's JSON object (or an error object for an unusable question)."""
    try:
        return engine.ask(question).to_json()
    except QuestionError as exc:
        shown = question[:200].encode("utf-8", "replace").decode("utf-8")  # lone surrogates → "?"
        return {"question": shown, "error": str(exc), **({"line": line} if line is not None else {})}


def _stdin_questions() -> Iterator[tuple[int, str]]:
    """(line number, question) for each stdin line; bytes that are not UTF-8 are kept surrogate-escaped
    so that the question check reports that line, and the lines after it are still read."""
    for number, raw in enumerate(sys.stdin.buffer, start=1):
        yield number, raw.decode("utf-8", "surrogateescape").rstrip("\r\n")


@app.command()
def ask(
    question: Annotated[Optional[str], typer.Argument(help="The question.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the answer as one JSON object.")] = False,
    jsonl: Annotated[bool, typer.Option("--jsonl", help="Read one question per stdin line; one JSON object per line.")] = False,
) -> None:
    """Answer a question with verbatim quotes, numbered citations and disagreements."""
    with _user_errors():
        if jsonl == (question is not None):
            raise CrosscheckError('give a question, or --jsonl with questions on stdin (not both)')
        engine = _engine(show_progress=err.is_terminal, question=question)
        if jsonl:
            failed: list[int] = []
            for number, line in _stdin_questions():
                obj = _answer_json(engine, line, number)
                if "error" in obj:
                    failed.append(number)
                    err.print(f"line {number}: {escape(obj['error'])}", highlight=False)
                sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
                sys.stdout.flush()
            if failed:
                err.print(f"{len(failed)} line(s) could not be answered: {', '.join(map(str, failed))}")
                raise typer.Exit(EXIT_ERROR)
            return
        assert question is not None
        answer = engine.ask(question)
        if as_json:
            sys.stdout.write(json.dumps(answer.to_json(), ensure_ascii=False) + "\n")
        else:
            from bot.render import to_terminal

            out.print(to_terminal(answer), markup=False)


@app.command()
def chat() -> None:
    """Talk to the articles in the terminal; follow-up questions use the conversation."""
    from bot.render import to_terminal

    with _user_errors():
        engine = _engine(show_progress=True)
        history: list[Turn] = []
        err.print(engine.prompts.render("render.chat_intro", subject=engine.subject()), markup=False, highlight=False)
        while True:
            try:
                line = input("? ")
            except EOFError:
                break
            if not line.strip():
                break
            if line.strip() == "/new":
                history.clear()
                continue
            try:
                answer = engine.ask(line, history[-engine.settings.history_turns:])
            except QuestionError as exc:
                err.print(str(exc), highlight=False)
                continue
            history.append(answer.turn or Turn(line))
            out.print(to_terminal(answer), markup=False)
            out.print()


@app.command()
def serve() -> None:
    """Run the Telegram bot (needs TELEGRAM_BOT_TOKEN; webhook mode when TELEGRAM_WEBHOOK_URL is set)."""
    from bot.telegram.app import run

    with _user_errors():
        run(_settings())


@app.command(name="eval")
def eval_(
    set_path: Annotated[Optional[Path], typer.Option("--set", help="Question set (YAML).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    report_dir: Annotated[Optional[Path], typer.Option("--report", help="Where to write report.json and report.md.")] = None,
    thresholds: Annotated[Optional[Path], typer.Option("--thresholds", help="Thresholds file (default tests/eval/thresholds.yaml).")] = None,
) -> None:
    """Run the answer-quality test set; exit 1 when a metric falls below its threshold (tests/eval/thresholds.yaml)."""
    from bot.evaluation.runner import eval_command

    with _user_errors():
        code = eval_command(_settings(), set_path, as_json, report_dir, err, thresholds)
    raise typer.Exit(code)

