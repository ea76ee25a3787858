"""Delivery under Bot API faults, over HTTP to the emulator: each question answered exactly once.

The real bot (python-telegram-bot, our handlers, retries, inbox) against tests/botapi_emulator.py
with faults injected on a share of calls or on chosen ones; the engine is the scripted one (the
engine is not under test here).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from botapi_emulator import BotApiEmulator, user
from conftest import ROOT, make_settings
from scripted_engine import ScriptedEngine
from telegram_harness import RunningBot

from bot.models import Answer, Citation
from bot.prompts import prompts
from bot.telegram.app import build_application

sys.path.insert(0, str(ROOT / "bench"))
from load import run_load  # noqa: E402


def echo(question: str) -> Answer:
    return Answer(question=question, status="answered", answer=f"Answer to: {question}")


@pytest.fixture
def emulator() -> Iterator[BotApiEmulator]:
    emu = BotApiEmulator().start()
    yield emu
    emu.stop()


@pytest.fixture
def bot(emulator: BotApiEmulator, tmp_path: Path) -> Iterator[RunningBot]:
    settings = make_settings(tmp_path / "corpus", tmp_path / "data", TELEGRAM_BOT_TOKEN=emulator.token,
                             TELEGRAM_BASE_URL=emulator.base_url, BOT_USER_RATE_PER_MINUTE="0")
    engine = ScriptedEngine(answer_for=echo)
    running = RunningBot(build_application(settings, engine_factory=lambda s: engine), settings, emulator).start()
    yield running
    emulator.chaos(0)
    running.stop()


def texts(emulator: BotApiEmulator, chat_id: int) -> list[str]:
    return [m["text"] for m in emulator.bot_messages(chat_id)]


def test_load_small_with_fault_injection_every_question_answered_once() -> None:
    """The CI size of bench/load.py: 6 users × 3 questions with 20% of all calls failing."""
    r = run_load(6, 3, 0.2, seed=7, gap=0.1, timeout=90)
    assert sum(r["faults_injected"].values()) > 0
    assert (r["answered"], r["answered_twice"], r["apologies"]) == (r["sent"], 0, 0), r
    assert r["chats_in_order"] == r["chats"], r


def test_load_small_with_lost_answers_every_question_answered_in_order() -> None:
    """bench/load.py --lost at CI size: some sends reach Telegram but their answer is lost; every
    question is still answered, in order, with no apology.

    Copies left by retried sends are not asserted here: at this size the duplicate search left 0 to 3
    copies per run (measured, README "Delivery"); the two tests below pin what it does guarantee.
    """
    r = run_load(8, 3, 0.3, seed=11, gap=0.1, timeout=120, lost=True)
    assert r["faults_injected"].get("lost", 0) > 0, r
    assert (r["answered"], r["apologies"]) == (r["sent"], 0), r
    assert r["chats_in_order"] == r["chats"], r


def test_fault_5xx_on_send_is_retried_and_no_apology_follows(emulator: BotApiEmulator, bot: RunningBot) -> None:
    emulator.inject("sendMessage", 500, times=2)
    emulator.inject("sendMessage", 502)
    reader = user(501, "Rex")
    emulator.send_message(reader, "How many people died?")
    emulator.wait_bot_messages(501, 1, timeout=30)
    emulator.wait_for(lambda: len(emulator.calls_of("sendMessage")) >= 4, timeout=5)
    assert texts(emulator, 501) == ["Answer to: How many people died?"]
    assert [c.status for c in emulator.calls_of("sendMessage")] == [500, 500, 502, 200]


def test_fault_dropped_connections_and_delays_each_answer_once_in_order(emulator: BotApiEmulator,
                                                                          bot: RunningBot) -> None:
    """Half of all sends lose their connection or are held up; each question still gets one answer, in order."""
    emulator.chaos(0.5, kinds=("drop", "delay", "500"), methods={"sendMessage"}, delay=(0.1, 0.4), seed=3)
    readers = [user(600 + i, f"R{i}") for i in range(3)]
    asked = {r["id"]: [f"Question {j} from {r['id']}" for j in range(4)] for r in readers}
    for j in range(4):
        for r in readers:
            emulator.send_message(r, asked[r["id"]][j])
    for r in readers:
        emulator.wait_bot_messages(r["id"], 4, timeout=60)
    emulator.chaos(0)
    assert emulator.fault_counts.get("drop", 0) > 0
    for r in readers:
        assert texts(emulator, r["id"]) == [f"Answer to: {q}" for q in asked[r["id"]]]


def test_fault_error_after_the_answer_was_delivered_sends_no_apology(emulator: BotApiEmulator,
                                                                       tmp_path: Path) -> None:
    """An answer in two messages whose second one is refused (400): the user has an answer, no apology."""
    cites = [Citation(n, f"a{n}.md", f"Title {n}", "Outlet", "2024-03-23", f"Sentence {n} " + "word " * 60)
             for n in range(1, 16)]  # about 6,000 characters: two messages
    settings = make_settings(tmp_path / "corpus", tmp_path / "data", TELEGRAM_BOT_TOKEN=emulator.token,
                             TELEGRAM_BASE_URL=emulator.base_url)
    engine = ScriptedEngine(answer_for=lambda q: Answer(question=q, status="answered", answer="First [1].",
                                                                citations=cites))
    running = RunningBot(build_application(settings, engine_factory=lambda s: engine), settings, emulator).start()
    try:
        original = emulator.m_sendmessage
        sent: list[Any] = []

        def refuse_second(p: dict[str, Any]) -> dict[str, Any]:
            sent.append(p)
            if len(sent) == 2:
                raise ValueError("Bad Request: something Telegram did not like")
            return original(p)

        emulator.m_sendmessage = refuse_second  # type: ignore[method-assign]
        emulator.send_message(user(700, "Una"), "Tell me everything")
        emulator.wait_for(lambda: len(sent) >= 2, timeout=30)
        emulator.wait_for(lambda: any(c.method == "sendMessage" and c.status == 400 for c in emulator.calls), 10)
        import time

        time.sleep(0.5)  # the error handler runs right after the refused send
        apology = prompts().render("telegram.error")
        msgs = emulator.bot_messages(700)
        assert len(msgs) == 1 and msgs[0]["raw_html"] != apology
    finally:
        running.stop()


def test_fault_nothing_delivered_gets_the_apology_once(emulator: BotApiEmulator, bot: RunningBot) -> None:
    """When the engine fails, nothing was sent: the apology goes out, once."""
    engine = bot.app.bot_data["crosscheck"].engine
    engine.fail_with = RuntimeError("engine broke")
    emulator.send_message(user(800, "Vic"), "How many people died?")
    (msg,) = emulator.wait_bot_messages(800, 1, timeout=30)
    assert msg["raw_html"] == prompts().render("telegram.error")


def test_fault_lost_answer_to_a_send_the_copy_is_found_and_deleted(emulator: BotApiEmulator, bot: RunningBot) -> None:
    """Telegram accepts a message but the answer never comes back: the retry makes a second copy, the
    bot finds the first one (editMessageText with the same content: "not modified") and deletes it."""
    others = [user(720 + i, f"O{i}") for i in range(3)]  # other private chats take ids in between
    for o in others:
        emulator.send_message(o, f"Warm-up from {o['id']}")
    for o in others:
        emulator.wait_bot_messages(o["id"], 1, timeout=30)
    emulator.lose_answer("sendMessage")
    reader = user(710, "Lia")
    emulator.send_message(reader, "How many people died?")
    emulator.wait_for(lambda: emulator.deleted, timeout=30)
    assert texts(emulator, 710) == ["Answer to: How many people died?"]
    sends = [c for c in emulator.calls_of("sendMessage") if int(c.params["chat_id"]) == 710]
    assert [c.status for c in sends] == [200, 200]  # both reached Telegram: one was a duplicate
    assert emulator.fault_counts.get("lost") == 1 and len(emulator.deleted) == 1
    edits = [c for c in emulator.calls_of("editMessageText") if int(c.params["chat_id"]) == 710]
    assert edits and edits[-1].status == 400 and all(c.status != 200 for c in edits)  # nothing was changed


def test_fault_lost_answer_never_touches_another_message_of_the_chat(emulator: BotApiEmulator,
                                                                      bot: RunningBot) -> None:
    """Two questions sent at once: the second answer's lost copy is deleted, the first answer stays as it was."""
    reader = user(730, "Mo")
    emulator.send_message(reader, "First question")
    emulator.wait_bot_messages(730, 1, timeout=30)
    emulator.lose_answer("sendMessage")
    emulator.send_message(reader, "Second question")
    emulator.wait_for(lambda: emulator.deleted, timeout=30)
    time.sleep(0.3)
    assert texts(emulator, 730) == ["Answer to: First question", "Answer to: Second question"]
    assert all(c.status != 200 for c in emulator.calls_of("editMessageText"))
