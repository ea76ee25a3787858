"""The bot's handlers on the real python-telegram-bot Application, through a socket-free transport.

Updates are built with Update.de_json and fed to application.process_update; every Bot API call
the bot makes is answered (and checked like Telegram would) by an in-process BotApiCore.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from botapi_core import BotApiCore, group, user
from botapi_html import parse_html
from conftest import make_settings
from recording_request import BASE_URL, RecordingRequest
from scripted_engine import ScriptedEngine, death_toll_answer
from telegram import Update
from telegram.ext import Application

from bot.errors import ConfigError
from bot.models import Answer, Turn
from bot.prompts import prompts
from bot.telegram.app import (
    build_application,
    install_log_redaction,
    remove_log_redaction,
)

ADMIN = user(42, "Ada", "ada")
READER = user(77, "<Bob> & co", "bob")


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@dataclass
class Bot:
    """An initialised Application with its fake Telegram and scripted engine."""

    app: Application
    core: BotApiCore
    engine: ScriptedEngine
    clock: Clock

    async def feed(self, update: dict[str, Any]) -> None:
        """Hand one update to the application, as the updater would."""
        await self.app.process_update(Update.de_json(update, self.app.bot))

    def sent(self, chat_id: int) -> list[dict[str, Any]]:
        """The bot's messages in a chat."""
        return self.core.bot_messages(chat_id)

    def text(self, chat_id: int, index: int = -1) -> str:
        """Plain text (after entity parsing) of one bot message."""
        return self.sent(chat_id)[index]["text"]


async def start_bot(tmp_path: Path, engine: ScriptedEngine, core: BotApiCore | None = None, **settings: Any) -> Bot:
    """Build and initialise the application the way run_polling does (initialize, then post_init)."""
    core = core or BotApiCore()
    clock = Clock()
    values = {"TELEGRAM_BOT_TOKEN": core.token, "TELEGRAM_BASE_URL": BASE_URL, "BOT_ADMIN_IDS": "42", **settings}
    app = build_application(make_settings(tmp_path / "corpus", tmp_path / "data", **values),
                            engine_factory=lambda s: engine, clock=clock, request=RecordingRequest(core))
    await app.initialize()
    assert app.post_init is not None
    await app.post_init(app)
    return Bot(app, core, engine, clock)


async def stop_bot(bot: Bot) -> None:
    """Shut down the way run_polling does."""
    await bot.app.shutdown()
    assert bot.app.post_shutdown is not None
    await bot.app.post_shutdown(bot.app)


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[Bot]:
    b = await start_bot(tmp_path, ScriptedEngine())
    yield b
    await stop_bot(b)


async def test_start_up_registers_the_command_menu(bot: Bot) -> None:
    (call,) = bot.core.calls_of("setMyCommands")
    assert [c["command"] for c in call.params["commands"]] == ["start", "help", "sources", "about", "new"]


async def test_start_greets_with_escaped_name_and_examples(bot: Bot) -> None:
    await bot.feed(bot.core.send_message(READER, "/start"))
    msg = bot.sent(77)[-1]
    assert msg["text"].startswith("Hello, <Bob> & co!")  # the name arrives as typed, not as markup
    assert "&lt;Bob&gt; &amp; co" in msg["raw_html"]
    assert "How many people died?" in msg["text"]
    # the subject is named from the indexed articles' titles, not written into the template
    assert "ISIS-K Involvement in Terrorist Attack in Moscow" in msg["text"]


async def test_a_configured_subject_replaces_the_titles_and_is_escaped(bot: Bot) -> None:
    bot.engine.subject_setting = "the <Norwick> floods & their aftermath"
    for command in ("/start", "/help"):
        await bot.feed(bot.core.send_message(READER, command))
        msg = bot.sent(77)[-1]
        assert "the <Norwick> floods & their aftermath" in msg["text"]
        assert "&lt;Norwick&gt; floods &amp; their" in msg["raw_html"]
        assert "ISIS-K Involvement" not in msg["text"]


@pytest.mark.parametrize("command, expected", [
    ("/help", "Ask a question in plain words"),
    ("/about", "What I can't do"),
    ("/sources", "Why would IS attack Moscow? — NOS News, 23 March 2024"),
])
async def test_commands_reply_with_valid_html(bot: Bot, command: str, expected: str) -> None:
    await bot.feed(bot.core.send_message(READER, command))
    assert expected in bot.text(77)


async def test_question_gets_typing_then_answer_with_three_buttons(bot: Bot) -> None:
    await bot.feed(bot.core.send_message(READER, "  How many people died?  "))
    assert bot.engine.asked == [("How many people died?", ())]
    (action,) = bot.core.calls_of("sendChatAction")
    assert action.params["action"] == "typing"
    assert [c.method for c in bot.core.calls if c.method in ("sendChatAction", "sendMessage")] == [
        "sendChatAction", "sendMessage"]
    msg = bot.sent(77)[-1]
    plain, entities = parse_html(msg["raw_html"])
    assert plain.startswith("The articles give different figures")
    assert entities[0]["type"] == "bold" and "Sources disagree" in plain and "[4] “The assailants" in plain
    buttons = msg["reply_markup"]["inline_keyboard"][0]
    assert [b["text"] for b in buttons] == ["Quotes", "Sources", "Compare"]
    assert all(len(b["callback_data"].encode()) <= 64 for b in buttons)
    assert "reply_to_message" not in msg  # private chats are not cluttered with quoted replies


async def test_follow_ups_get_the_chat_history_bounded_by_history_turns(tmp_path: Path) -> None:
    bot = await start_bot(tmp_path, ScriptedEngine(), BOT_HISTORY_TURNS="2")
    try:
        for q in ("How many people died?", "and how many were injured?", "and arrested?", "and when?"):
            await bot.feed(bot.core.send_message(READER, q))
        await bot.feed(bot.core.send_message(ADMIN, "Who claimed it?"))  # another chat has its own memory
    finally:
        await stop_bot(bot)
    histories = [h for _, h in bot.engine.asked]
    assert histories[0] == ()
    assert histories[1] == (Turn("How many people died?"),)
    assert len(histories[3]) == 2 and histories[3][-1].question == "and arrested?"
    assert histories[4] == ()


async def test_new_forgets_the_conversation(bot: Bot) -> None:
    await bot.feed(bot.core.send_message(READER, "How many people died?"))
    await bot.feed(bot.core.send_message(READER, "/new"))
    await bot.feed(bot.core.send_message(READER, "and injured?"))
    assert bot.engine.asked[-1] == ("and injured?", ())


async def test_group_messages_are_answered_only_when_addressed(bot: Bot) -> None:
    chat = group(-1001)
    await bot.feed(bot.core.send_message(READER, "How many people died?", chat=chat))
    assert bot.engine.asked == [] and bot.sent(-1001) == []
    await bot.feed(bot.core.send_message(READER, "@crosscheck_test_bot how many died?", chat=chat))
    assert bot.engine.asked == [("how many died?", ())]
    answer = bot.sent(-1001)[-1]
    assert answer["reply_to_message"]["text"] == "@crosscheck_test_bot how many died?"  # says whom it answers
    await bot.feed(bot.core.send_message(READER, "and injured?", chat=chat, reply_to=answer))
    assert bot.engine.asked[-1][0] == "and injured?"
    await bot.feed(bot.core.send_message(READER, "@someone_else hi there", chat=chat))
    assert len(bot.engine.asked) == 2


async def test_empty_and_too_long_questions_get_the_engine_message(bot: Bot) -> None:
    chat = group(-1002)
    await bot.feed(bot.core.send_message(READER, "@crosscheck_test_bot", chat=chat))
    assert bot.text(-1002) == prompts().render("answer.empty_question")
    await bot.feed(bot.core.send_message(READER, "<b>x</b> " * 100))
    assert bot.text(77) == prompts().render("answer.too_long", limit=500, length=899)
    assert bot.engine.asked == []


async def test_every_button_is_acknowledged_and_shows_its_view(bot: Bot) -> None:
    await bot.feed(bot.core.send_message(READER, "How many <people> died?"))
    answer = bot.sent(77)[-1]
    expected = {"Quotes": "Full quotes for “How many <people> died?”",
                "Sources": "Articles quoted for “How many <people> died?”",
                "Compare": "Who says what about “How many <people> died?”"}
    for label, heading in expected.items():
        update = bot.core.press_button(READER, answer, label)
        await bot.feed(update)
        assert bot.core.callback_answer(update["callback_query"]["id"])["answered"]
        view = bot.sent(77)[-1]
        assert view["text"].startswith(heading)
        assert view["reply_to_message"]["message_id"] == answer["message_id"]
    assert "23 March 2024 · NOS News: at least 133 [3]" in bot.text(77)


async def test_buttons_still_work_after_a_restart(tmp_path: Path) -> None:
    core = BotApiCore()
    first = await start_bot(tmp_path, ScriptedEngine(), core)
    await first.feed(core.send_message(READER, "How many people died?"))
    await stop_bot(first)
    answer = core.bot_messages(77)[-1]
    second = await start_bot(tmp_path, ScriptedEngine(), core)  # same data dir, fresh process state
    try:
        await second.feed(core.press_button(READER, answer, "Compare"))
        assert "at least 60 [4]" in second.text(77)
        await second.feed(core.send_message(READER, "and injured?"))
        assert second.engine.asked == [("and injured?", (Turn("How many people died?"),))]
    finally:
        await stop_bot(second)


async def test_an_unknown_button_is_still_acknowledged(bot: Bot) -> None:
    await bot.feed(bot.core.send_message(READER, "How many people died?"))
    answer = bot.sent(77)[-1]
    answer["reply_markup"]["inline_keyboard"][0][0]["callback_data"] = "q:no-such-key"
    with bot.core.lock:
        bot.core.messages[77][-1]["reply_markup"] = answer["reply_markup"]
    update = bot.core.press_button(READER, answer, "Quotes")
    count = len(bot.sent(77))
    await bot.feed(update)
    reply = bot.core.callback_answer(update["callback_query"]["id"])
    assert reply["answered"] and reply["text"] == prompts().render("telegram.button_expired")
    assert len(bot.sent(77)) == count


async def test_rate_limit_answers_politely_once_then_recovers(tmp_path: Path) -> None:
    bot = await start_bot(tmp_path, ScriptedEngine(), BOT_USER_RATE_PER_MINUTE="2")
    try:
        for q in ("q one", "q two", "q three", "q four"):
            await bot.feed(bot.core.send_message(READER, q))
            bot.clock.now += 1
        assert [q for q, _ in bot.engine.asked] == ["q one", "q two"]
        texts = [m["text"] for m in bot.sent(77)]
        assert texts[-1] == prompts().render("telegram.rate_limited", seconds=58)
        assert sum("faster than I can keep up" in t for t in texts) == 1
        await bot.feed(bot.core.send_message(ADMIN, "another user is not limited"))
        bot.clock.now += 60
        await bot.feed(bot.core.send_message(READER, "q five"))
        assert bot.engine.asked[-1][0] == "q five"
    finally:
        await stop_bot(bot)


async def test_errors_are_logged_with_context_and_reported_without_internals(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    bot = await start_bot(tmp_path, ScriptedEngine(fail_with=RuntimeError("boom in /srv/secret/path")))
    try:
        with caplog.at_level(logging.ERROR, logger="bot.telegram.app"):
            await bot.feed(bot.core.send_message(READER, "How many people died?"))
    finally:
        await stop_bot(bot)
    assert bot.text(77) == prompts().render("telegram.error")
    record = next(r for r in caplog.records if r.name == "bot.telegram.app")
    assert "chat 77" in record.getMessage() and "user 77" in record.getMessage()
    assert record.exc_info and "boom" in str(record.exc_info[1])


async def test_a_failing_button_is_acknowledged_and_reported(tmp_path: Path) -> None:
    def broken(question: str) -> Answer:
        answer = death_toll_answer(question)
        answer.disagreements[0].claims[0].quote = None  # type: ignore[assignment]  # breaks only the Compare view
        return answer

    bot = await start_bot(tmp_path, ScriptedEngine(answer_for=broken))
    try:
        await bot.feed(bot.core.send_message(READER, "How many people died?"))
        update = bot.core.press_button(READER, bot.sent(77)[-1], "Compare")
        await bot.feed(update)
    finally:
        await stop_bot(bot)
    assert bot.core.callback_answer(update["callback_query"]["id"])["answered"]
    assert bot.text(77) == prompts().render("telegram.error")


async def test_a_blocked_bot_does_not_crash(bot: Bot) -> None:
    bot.core.inject("sendMessage", 403)
    await bot.feed(bot.core.send_message(READER, "How many people died?"))
    assert bot.sent(77) == []
    await bot.feed(bot.core.send_message(ADMIN, "How many people died?"))
    assert bot.sent(42)[-1]["text"].startswith("The articles give")


async def test_refresh_is_for_admins_and_reports_what_changed(bot: Bot) -> None:
    await bot.feed(bot.core.send_message(READER, "/refresh"))
    assert bot.text(77) == prompts().render("telegram.not_admin") and bot.engine.refreshes == 0
    await bot.feed(bot.core.send_message(ADMIN, "/refresh"))
    assert bot.engine.refreshes == 1
    report = bot.text(42)
    assert "Added 1, updated 0, removed 0, unchanged 5; 12 sentences embedded" in report
    assert "Added: new <one>.md" in report and "Skipped broken.md: not UTF-8 & unreadable" in report


async def test_admin_uploads_an_article_and_non_admins_are_refused(bot: Bot) -> None:
    data = b"---\ntitle: Uploaded\n---\nBody text."
    await bot.feed(bot.core.send_document(READER, "new.md", data))
    assert bot.text(77) == prompts().render("telegram.not_admin") and bot.engine.uploads == []
    await bot.feed(bot.core.send_document(ADMIN, "../new.md", data))
    assert bot.engine.uploads == [("new.md", data)]  # no folders from the sender's file name
    assert "Added Uploaded & new — Test Outlet, 30 March 2024 (new.md)" in bot.text(42)
    await bot.feed(bot.core.send_document(ADMIN, "notes.pdf", b"%PDF", mime_type="application/pdf"))
    assert bot.text(42) == "I could not add notes.pdf: only .md, .txt and .html files can be added <sorry>"


async def test_documents_in_groups_are_ignored(bot: Bot) -> None:
    await bot.feed(bot.core.send_document(ADMIN, "new.md", b"x", chat=group(-1003)))
    assert bot.sent(-1003) == [] and bot.engine.uploads == []


def test_without_a_token_the_bot_says_what_to_set(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, tmp_path)
    with pytest.raises(ConfigError, match="TELEGRAM_BOT_TOKEN is not set.*@BotFather"):
        build_application(settings)


@pytest.mark.parametrize("secret, message", [("", "TELEGRAM_WEBHOOK_SECRET is not"), ("has space", "may only use")])
def test_webhook_mode_requires_a_valid_secret(tmp_path: Path, secret: str, message: str) -> None:
    settings = make_settings(tmp_path, tmp_path, TELEGRAM_BOT_TOKEN="1:x", TELEGRAM_WEBHOOK_URL="https://x.example/hook",
                             TELEGRAM_WEBHOOK_SECRET=secret)
    with pytest.raises(ConfigError, match=message):
        build_application(settings)


def test_the_token_never_reaches_the_logs(caplog: pytest.LogCaptureFixture) -> None:
    token = "123456:SECRET-token_value"
    install_log_redaction(token)
    try:
        assert logging.getLogger("httpx").getEffectiveLevel() >= logging.WARNING
        with caplog.at_level(logging.INFO):
            logging.getLogger("some.lib").warning("HTTP Request: POST %s \"200 OK\"",
                                                  f"https://api.telegram.org/bot{token}/getMe")
            try:
                raise RuntimeError(f"failed https://api.telegram.org/bot{token}/sendMessage")
            except RuntimeError:
                logging.getLogger("some.lib").exception("request failed")
        output = caplog.text
    finally:
        remove_log_redaction(token)
    assert "getMe" in output and "sendMessage" in output
    assert token not in output and "<token>" in output


async def test_a_slow_question_does_not_stall_another_chat(tmp_path: Path) -> None:
    import asyncio
    import threading

    release = threading.Event()

    def answer_for(question: str) -> Answer:
        if "slow" in question:
            assert release.wait(10), "the slow question was never released"
        return death_toll_answer(question)

    bot = await start_bot(tmp_path, ScriptedEngine(answer_for=answer_for))
    try:
        slow = asyncio.create_task(bot.feed(bot.core.send_message(READER, "a slow question about the attack")))
        await asyncio.sleep(0.05)
        # the answering thread of chat 77 is blocked; chat 42 must still get its answer meanwhile
        await asyncio.wait_for(bot.feed(bot.core.send_message(ADMIN, "How many people died?")), timeout=5)
        assert bot.sent(42) and not bot.sent(77)
        release.set()
        await asyncio.wait_for(slow, timeout=5)
        assert bot.sent(77)
    finally:
        release.set()
        await stop_bot(bot)
