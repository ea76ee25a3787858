"""The command line as other tools use it: `python -m bot refresh|ask` in a subprocess, real index, real embedder."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CORPUS, ROOT

CITATION_KEYS = {"n", "source", "title", "outlet", "published", "quote"}
ANSWER_KEYS = {"question", "status", "answer", "citations", "disagreements", "timings_ms"}


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A corpus copy and a data dir of their own, given to the command through the environment."""
    base = tmp_path_factory.mktemp("cli")
    shutil.copytree(CORPUS, base / "corpus")
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "TELEGRAM_"))}
    return {**keep, "BOT_CORPUS_DIR": str(base / "corpus"), "BOT_DATA_DIR": str(base / "data"),
            "NO_COLOR": "1", "COLUMNS": "200"}


def run(env: dict[str, str], *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bot", *args], env=env, cwd=ROOT, input=stdin,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def built(env: dict[str, str]) -> dict[str, str]:
    first = run(env, "refresh", "--json")
    assert first.returncode == 0, first.stderr
    report = json.loads(first.stdout)
    # the contract's keys, plus the files that could not be read
    assert set(report) == {"added", "updated", "removed", "unchanged", "chunks_embedded", "seconds", "errors"}
    assert report["errors"] == []
    assert report["added"] == len(list(CORPUS.glob("*.md"))) and report["chunks_embedded"] > 100
    return env


def _verbatim(quote: str, source: Path) -> bool:
    return " ".join(quote.split()) in " ".join(source.read_text(encoding="utf-8").split())


def test_refresh_json_with_nothing_changed(built: dict[str, str]) -> None:
    result = run(built, "refresh", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)  # stdout holds the JSON object and nothing else
    assert report["unchanged"] == len(list(CORPUS.glob("*.md")))
    assert report["added"] == report["updated"] == report["removed"] == report["chunks_embedded"] == 0


def test_ask_json_contract(built: dict[str, str]) -> None:
    result = run(built, "ask", "How many people died?", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == ANSWER_KEYS and data["status"] == "answered"
    assert data["citations"] and all(set(c) == CITATION_KEYS for c in data["citations"])
    corpus = Path(built["BOT_CORPUS_DIR"])
    for c in data["citations"]:
        assert _verbatim(c["quote"], corpus / c["source"])
    (toll,) = [d for d in data["disagreements"] if "death" in d["topic"]]
    assert {"60", "139"} <= {v for c in toll["claims"] for v in c["value"].split()}
    for c in toll["claims"]:
        assert set(c) == {"value", "source", "n", "quote"} and _verbatim(c["quote"], corpus / c["source"])
    assert set(data["timings_ms"]) == {"retrieve", "answer", "total"}


def test_ask_jsonl_answers_each_line_in_order(built: dict[str, str]) -> None:
    questions = ["What is ISIS-K?", "What is the capital of France?", "", "How many people were injured?"]
    result = run(built, "ask", "--jsonl", stdin="\n".join(questions) + "\n")
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [d["question"] for d in lines] == questions
    assert lines[0]["status"] == "answered" and lines[1]["status"] == "out_of_scope"
    assert "error" in lines[2] and "Please ask a question" in lines[2]["error"]
    assert lines[3]["status"] == "answered"
    assert result.returncode == 1 and "1 line(s) could not be answered" in result.stderr


@pytest.mark.parametrize(
    ("question", "message"),
    [("   ", "Please ask a question"), ("why " * 2500, "characters long")],
)
def test_unusable_questions_get_a_message_and_exit_1(built: dict[str, str], question: str, message: str) -> None:
    result = run(built, "ask", question)
    assert result.returncode == 1
    assert message in result.stderr and "Traceback" not in result.stderr + result.stdout


def test_html_in_a_question_is_just_text(built: dict[str, str]) -> None:
    result = run(built, "ask", "<b>How many</b> people died? <script>alert(1)</script>", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["status"] == "answered" and "<script>" not in data["answer"]


def test_a_bad_article_is_named_and_the_rest_indexed(built: dict[str, str], tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(Path(built["BOT_CORPUS_DIR"]), corpus)
    (corpus / "broken.md").write_bytes(b"---\ntitle: [unclosed\n---\nHalf an arti")
    (corpus / "binary.txt").write_bytes(b"\x00\x01\x02\xff" * 50)
    env = {**built, "BOT_CORPUS_DIR": str(corpus), "BOT_DATA_DIR": str(tmp_path / "data")}
    result = run(env, "refresh")
    assert result.returncode == 0
    assert "broken.md" in result.stderr and "binary.txt" in result.stderr
    assert "added 5" in result.stdout and "Traceback" not in result.stderr


def test_usage_errors_are_one_line(built: dict[str, str]) -> None:
    both = run(built, "ask", "What is ISIS-K?", "--jsonl", stdin="")
    assert both.returncode == 1 and "not both" in both.stderr
    bad_port = run({**built, "BOT_CHROMA_PORT": "not-a-port"}, "ask", "What is ISIS-K?")
    assert bad_port.returncode == 1 and "settings are not valid" in bad_port.stderr
    assert "Traceback" not in both.stderr + bad_port.stderr


def test_an_unreachable_chroma_server_is_a_clear_error(built: dict[str, str], tmp_path: Path) -> None:
    from conftest import free_port

    env = {**built, "BOT_DATA_DIR": str(tmp_path / "data"), "BOT_CHROMA_HOST": "127.0.0.1",
           "BOT_CHROMA_PORT": str(free_port())}
    result = run(env, "refresh", "--json")
    assert result.returncode == 1
    assert "error:" in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""


def test_chat_follows_up_and_survives_a_bad_line(built: dict[str, str]) -> None:
    lines = ["How many people died?", "and how many were injured?", "x" * 600, "/new", "and arrested?", ""]
    result = run(built, "chat", stdin="\n".join(lines) + "\n")
    assert result.returncode == 0, result.stderr
    assert "death tolls" in result.stdout and "145" in result.stdout  # the follow-up kept the event
    assert "characters long" in result.stderr and "Traceback" not in result.stderr
