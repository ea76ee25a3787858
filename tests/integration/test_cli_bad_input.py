"""Bad input on the command line: one plain sentence and exit code 1, never a traceback.

`python -m bot ask` in a subprocess over a small corpus of its own (one short English article, so
the index builds in seconds), real engine and embedder.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from conftest import ROOT

from bot.prompts import prompts

ARTICLE = """---
title: Flood in the valley town
outlet: Valley Test Herald
published: '2024-05-02'
language: en
---

{deaths}

Rescue teams evacuated 300 residents from the lower streets.
"""
DEATHS = "At least 12 people died when the river flooded the valley town on Tuesday."
ARTICLE = ARTICLE.format(deaths=DEATHS)


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    base = tmp_path_factory.mktemp("cli-bad-input")
    (base / "corpus").mkdir()
    (base / "corpus" / "flood.md").write_text(ARTICLE, encoding="utf-8")
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "TELEGRAM_"))}
    env = {**keep, "BOT_CORPUS_DIR": str(base / "corpus"), "BOT_DATA_DIR": str(base / "data"), "NO_COLOR": "1"}
    built = subprocess.run([sys.executable, "-m", "bot", "refresh", "--json"], env=env, cwd=ROOT,
                           capture_output=True, timeout=300)
    assert built.returncode == 0, built.stderr
    return env


def run(env: dict[str, str], *args: str | bytes, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "bot", *args], env=env, cwd=ROOT, input=stdin,
                          capture_output=True, timeout=300)


def one_line(stderr: bytes) -> str:
    text = stderr.decode("utf-8")
    assert "Traceback" not in text and len(text.strip().splitlines()) == 1, text
    return text.strip()


def test_bad_input_invalid_utf8_in_argv_is_one_sentence_and_exit_1(env: dict[str, str]) -> None:
    result = run(env, "ask", b"how many \xff\xfe died?")  # arrives surrogate-escaped in sys.argv
    assert result.returncode == 1 and result.stdout == b""
    assert one_line(result.stderr) == f"error: {prompts().render('answer.not_text')}"


def test_bad_input_zero_width_only_question_gets_ask_me_in_words(env: dict[str, str]) -> None:
    result = run(env, "ask", "\u200b\u200b\u200d")
    assert result.returncode == 1 and result.stdout == b""
    assert one_line(result.stderr) == f"error: {prompts().render('answer.no_words')}"


NO_WORDS = ["\u200b\u200b\u200b", "\u200d\ufeff", "😀🔥👍", "?!… --- ###", "\x01\x02\x7f"]
OTHER_SCRIPTS = ["كم عدد الذين ماتوا؟", "死了多少人？", "有多少人死亡"]


def test_bad_input_jsonl_answers_every_valid_line_and_names_each_invalid_one(env: dict[str, str]) -> None:
    """Undecodable bytes, empty, no words, 10,000 characters: reported by line; the rest answered."""
    lines = [b"How many people died?", b"bad \xff\xfe bytes", b"", b"\xf0\x9f\x94\xa5",
             b"How many residents were evacuated?", "x".encode() * 10_000, b"\xc3(", b"Who rescued them?\r",
             *(q.encode() for q in NO_WORDS), *(q.encode() for q in OTHER_SCRIPTS)]
    result = run(env, "ask", "--jsonl", stdin=b"\n".join(lines) + b"\n")
    assert result.returncode == 1
    out = [json.loads(line) for line in result.stdout.decode("utf-8").splitlines()]
    assert len(out) == len(lines)  # one object per input line, in order
    bad = [2, 3, 4, 6, 7, *range(9, 9 + len(NO_WORDS))]
    assert [o.get("line") for o in out if "error" in o] == bad
    assert "12" in out[0]["answer"] and out[4]["status"] in ("answered", "partial")
    assert out[1]["error"] == out[6]["error"] == prompts().render("answer.not_text")
    assert out[3]["error"] == prompts().render("answer.no_words")
    assert out[5]["error"].startswith("That question is 10000 characters long")
    assert out[7]["question"] == "Who rescued them?"
    for o in out[8:8 + len(NO_WORDS)]:
        assert o["error"] == prompts().render("answer.no_words"), o
    for o in out[8 + len(NO_WORDS):]:  # answered by meaning: the close quote with the honest status, or none
        if o["status"] == "not_found":
            assert o["citations"] == [] and o["answer"] == prompts().render("answer.unread_script"), o
            continue
        assert o["status"] == "partial" and o["answer"].startswith(prompts().render("answer.cross_language")), o
        assert [c["quote"] for c in o["citations"]] == [DEATHS], o  # the deaths, not the 300 residents
    assert sum(o["status"] == "partial" for o in out[8 + len(NO_WORDS):]) >= 2  # measured: the two Chinese ones
    stderr = result.stderr.decode("utf-8")
    assert "Traceback" not in stderr
    assert f"{len(bad)} line(s) could not be answered: {', '.join(map(str, bad))}" in stderr
    assert "line 2: " + prompts().render("answer.not_text") in stderr
