"""SIGKILL of the serving bot at random points while questions arrive; after restarts, nothing lost or doubled.

Run in both modes: long polling (an update is acknowledged by the next getUpdates offset) and
webhook (an update is acknowledged by the webhook's 200; the emulator POSTs each update to the
bot's webhook server until it is accepted, as Telegram does).

The bot runs as a real subprocess (tests/serve_scripted.py: bot.telegram.app.build_application
and serve, as `python -m bot serve`, with a scripted engine that takes 0.15 s per answer) and
talks HTTP to the Bot API emulator in this process. Each round starts the bot, sends questions
from three users a little apart, and kills the bot with SIGKILL at a random moment. A last run
finishes the work. Then every question (the emulator's acknowledged ones included) has exactly
one answer, in its chat's order, and no apology was sent.

A message whose send was in flight at the moment of the kill (written "sending" in the bot's
state, outcome unknown) is not sent again: for those, "at most once" is what is promised, and the
test checks that.
"""

from __future__ import annotations

import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from botapi_emulator import BotApiEmulator, user
from conftest import ROOT

from bot.prompts import prompts

ROUNDS = 6
USERS = [user(900 + i, f"K{i}") for i in range(3)]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start(emu: BotApiEmulator, data: Path, log: Path, webhook_port: int | None = None) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "TELEGRAM_"))}
    env.update(TELEGRAM_BOT_TOKEN=emu.token, TELEGRAM_BASE_URL=emu.base_url, BOT_DATA_DIR=str(data),
               BOT_CORPUS_DIR=str(data / "corpus"), BOT_USER_RATE_PER_MINUTE="0", CROSSCHECK_ENGINE_DELAY="0.15",
               PYTHONPATH=str(ROOT))
    if webhook_port is not None:
        env.update(TELEGRAM_WEBHOOK_URL=f"http://127.0.0.1:{webhook_port}/hook", TELEGRAM_WEBHOOK_SECRET="crash_Test-1",
                   TELEGRAM_WEBHOOK_LISTEN="127.0.0.1", TELEGRAM_WEBHOOK_PORT=str(webhook_port))
    with open(log, "ab") as out:
        return subprocess.Popen([sys.executable, str(ROOT / "tests" / "serve_scripted.py")], cwd=ROOT,
                                env=env, stdout=out, stderr=subprocess.STDOUT)


def _ready_calls(emu: BotApiEmulator, webhook: bool) -> int:
    """Calls a freshly started bot makes once it can receive updates (getUpdates, or setWebhook)."""
    return len(emu.calls_of("setWebhook" if webhook else "getUpdates"))


def _wait_ready(emu: BotApiEmulator, before: int, proc: subprocess.Popen[bytes], webhook: bool,
                timeout: float = 120) -> None:
    """Until the new process polls for updates, or has registered its webhook."""
    deadline = time.monotonic() + timeout
    while _ready_calls(emu, webhook) <= before:
        assert proc.poll() is None, "the bot exited"
        assert time.monotonic() < deadline, "the bot did not start receiving updates"
        time.sleep(0.02)


@pytest.mark.parametrize("mode", ["polling", "webhook"])
def test_crash_sigkill_at_random_points_every_question_answered_once(tmp_path: Path, mode: str) -> None:
    rng = random.Random(20261201)
    webhook = mode == "webhook"
    port = _free_port() if webhook else None
    emu = BotApiEmulator().start()
    log = tmp_path / "bot.log"
    asked: dict[int, list[str]] = {u["id"]: [] for u in USERS}
    update_of: dict[str, int] = {}
    try:
        for round_no in range(ROUNDS):
            before = _ready_calls(emu, webhook)
            proc = _start(emu, tmp_path, log, port)
            _wait_ready(emu, before, proc, webhook)

            def ask_some(round_no: int = round_no) -> None:
                for j in range(4):
                    for u in USERS:
                        text = f"r{round_no} q{j} from {u['id']}"
                        asked[u["id"]].append(text)
                        update_of[text] = emu.send_message(u, text)["update_id"]
                    time.sleep(rng.uniform(0.02, 0.12))

            sender = threading.Thread(target=ask_some)
            sender.start()
            time.sleep(rng.uniform(0.05, 1.2))  # somewhere in the burst or its answers
            proc.send_signal(signal.SIGKILL)
            proc.wait(10)
            sender.join()

        before = _ready_calls(emu, webhook)
        proc = _start(emu, tmp_path, log, port)
        _wait_ready(emu, before, proc, webhook)
        total = sum(len(v) for v in asked.values())
        try:
            emu.wait_for(lambda: not emu.updates and sum(
                len([m for m in emu.bot_messages(c) if m["text"].startswith("Answer to: ")]) for c in asked) >= total
                - _in_flight_at_kill(tmp_path), timeout=180)
            time.sleep(0.5)  # anything sent twice would arrive now
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(20)

        ambiguous = _ambiguous_updates(tmp_path)
        apology = prompts().render("telegram.error")
        for chat, questions in asked.items():
            msgs = emu.bot_messages(chat)
            assert not [m for m in msgs if m.get("raw_html") == apology]
            answers = [m["text"].removeprefix("Answer to: ") for m in msgs]
            for q in questions:
                n = answers.count(q)
                if update_of[q] in ambiguous:
                    assert n <= 1, (q, n)
                else:
                    assert n == 1, (q, n, log.read_text()[-3000:])
            assert answers == [q for q in questions if q in answers], "answers out of order"
        answered = {m["text"].removeprefix("Answer to: ") for c in asked for m in emu.bot_messages(c)}
        acknowledged = {t for t, uid in update_of.items() if uid in emu.acknowledged}
        assert acknowledged and not {t for t in acknowledged - answered if update_of[t] not in ambiguous}
        if webhook:
            assert emu.webhook and acknowledged == set(update_of)  # every update went through the webhook
            assert [s for _, s in emu.webhook_deliveries if s not in (0, 200)] == []
        assert len(ambiguous) <= len(USERS) * ROUNDS, ambiguous  # only sends in flight at a kill
    finally:
        emu.stop()


def _ambiguous_updates(data: Path) -> set[int]:
    """Updates with a message whose send was in flight when the bot was killed."""
    db = sqlite3.connect(data / "telegram.sqlite3")
    try:
        return {r[0] for r in db.execute("SELECT DISTINCT update_id FROM sent WHERE state = 'sending'")}
    finally:
        db.close()


def _in_flight_at_kill(data: Path) -> int:
    try:
        return len(_ambiguous_updates(data))
    except sqlite3.Error:
        return 0
