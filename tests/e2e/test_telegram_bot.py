"""The real bot over HTTP against the Bot API emulator, answering from the real engine and corpus.

Every message the bot sends passes the emulator's Telegram checks (HTML entities, 4096 characters
after parsing, callback data size) or the emulator answers 400 and the test sees no reply.
"""

from __future__ import annotations

import re
import shutil
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from botapi_emulator import BotApiEmulator, group, user
from conftest import CORPUS, copy_index, free_port, make_settings
from telegram_harness import (
    ARTICLES,
    ESCAPING_ARTICLE,
    LONG_ARTICLE,
    RunningBot,
    SharedEngine,
    guest_book_article,
)

from bot.answering.engine import AnswerEngine
from bot.prompts import prompts
from bot.telegram.app import build_application

ADMIN = user(42, "Ada", "ada")
READER = user(77, "Bob", "bob")
StartBot = Callable[..., RunningBot]


# ---- fixtures ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def e2e_dirs(tmp_path_factory: pytest.TempPathFactory, built_index: Path) -> dict[str, Path]:
    """The project's corpus plus two test articles, indexed once; a pristine copy kept for mutation."""
    root = tmp_path_factory.mktemp("e2e")
    corpus, data = copy_index(built_index, root)  # the session's index: only the two test articles are embedded
    shutil.copy(ARTICLES / ESCAPING_ARTICLE, corpus / ESCAPING_ARTICLE)
    (corpus / LONG_ARTICLE).write_text(guest_book_article(), encoding="utf-8")
    engine = AnswerEngine(make_settings(corpus, data))
    report = engine.refresh()
    assert (report.added, report.unchanged) == (2, len(list(CORPUS.iterdir()))), report.to_json()
    engine.close()
    snapshot = root / "snapshot"
    shutil.copytree(corpus, snapshot / "corpus")
    shutil.copytree(data, snapshot / "data")
    return {"corpus": corpus, "data": data, "snapshot": snapshot}


@pytest.fixture(scope="module")
def engine(e2e_dirs: dict[str, Path]) -> AnswerEngine:
    """The real engine over the e2e corpus (read-only use)."""
    eng = AnswerEngine(make_settings(e2e_dirs["corpus"], e2e_dirs["data"]))
    eng.ensure_index()
    return eng


@pytest.fixture
def private_engine(e2e_dirs: dict[str, Path], tmp_path: Path) -> Iterator[AnswerEngine]:
    """A real engine over a private copy of the indexed corpus, for tests that add articles."""
    shutil.copytree(e2e_dirs["snapshot"], tmp_path / "engine")
    eng = AnswerEngine(make_settings(tmp_path / "engine" / "corpus", tmp_path / "engine" / "data"))
    assert eng.ensure_index() is None  # the copied index is used as it is: nothing re-embedded
    yield eng
    eng.close()


@pytest.fixture
def emulator() -> Iterator[BotApiEmulator]:
    """The Bot API emulator on 127.0.0.1 and a free port."""
    emu = BotApiEmulator().start()
    yield emu
    emu.stop()


@pytest.fixture
def start_bot(emulator: BotApiEmulator, tmp_path: Path) -> Iterator[StartBot]:
    """Start the real bot against the emulator with an engine and settings; stopped after the test."""
    bots: list[RunningBot] = []

    def start(eng: AnswerEngine, **settings: Any) -> RunningBot:
        values = {"TELEGRAM_BOT_TOKEN": emulator.token, "TELEGRAM_BASE_URL": emulator.base_url,
                  "BOT_ADMIN_IDS": "42", **settings}
        # The bot's own state (answers behind buttons, histories) lives in a data dir of its own.
        config = make_settings(tmp_path / "unused-corpus", tmp_path / f"bot-data-{len(bots)}", **values)
        app = build_application(config, engine_factory=lambda s: SharedEngine(eng))
        bot = RunningBot(app, config, emulator).start()
        bots.append(bot)
        return bot

    yield start
    for bot in bots:
        bot.stop()


def ask(emulator: BotApiEmulator, sender: dict[str, Any], text: str, count: int = 1,
        chat: dict[str, Any] | None = None, **kw: Any) -> list[dict[str, Any]]:
    """Send a message as a user and return the bot's next `count` messages in that chat."""
    chat_id = chat["id"] if chat else sender["id"]
    before = len(emulator.bot_messages(chat_id))
    emulator.send_message(sender, text, chat=chat, **kw)
    return emulator.wait_bot_messages(chat_id, count, after=before)


# ---- tests ------------------------------------------------------------------------------------------
def test_start_and_command_menu(emulator: BotApiEmulator, start_bot: StartBot, engine: AnswerEngine) -> None:
    start_bot(engine)
    assert [c["command"] for c in emulator.commands] == ["start", "help", "sources", "about", "new"]
    (reply,) = ask(emulator, READER, "/start")
    assert reply["text"].startswith("Hello, Bob!") and "How many people died?" in reply["text"]
    (sources,) = ask(emulator, READER, "/sources")
    assert "NOS News, 23 March 2024" in sources["text"] and "NLCS Jeju student newspaper, 9 April 2024" in sources["text"]


def test_death_toll_disagreement_then_follow_up(emulator: BotApiEmulator, start_bot: StartBot,
                                               engine: AnswerEngine) -> None:
    start_bot(engine)
    (answer,) = ask(emulator, READER, "How many people died?")
    assert emulator.calls_of("sendChatAction")[0].params == {"chat_id": "77", "action": "typing"}
    text = answer["text"]
    disagree = text.split("Sources disagree", 1)[1].split("\n\n", 1)[0]
    values = re.findall(r"^• (.+?) — (.+?) \[(\d+)\]$", disagree, re.M)
    assert len(values) >= 3
    by_value = {v: src for v, src, _ in values}
    assert any("60" in v and "NLCS Jeju" in src for v, src in by_value.items())
    assert any("139" in v and "Northlines" in src for v, src in by_value.items())
    for _, _, n in values:  # every value's [n] is a numbered quote below
        assert re.search(rf"^\[{n}\] “", text, re.M)
    assert [b["text"] for b in answer["reply_markup"]["inline_keyboard"][0]] == ["Quotes", "Sources", "Compare"]

    (follow,) = ask(emulator, READER, "and how many were injured?")
    assert "injur" in follow["text"].split("\n")[0].lower()
    assert re.search(r"\b(145|150)\b", follow["text"])


def test_each_button_is_answered_and_shows_its_view(emulator: BotApiEmulator, start_bot: StartBot,
                                                    engine: AnswerEngine) -> None:
    start_bot(engine)
    (answer,) = ask(emulator, READER, "How many people died?")
    headings = {"Quotes": "Full quotes for", "Sources": "Articles quoted for", "Compare": "Who says what about"}
    for label, heading in headings.items():
        before = len(emulator.bot_messages(77))
        update = emulator.press_button(READER, answer, label)
        (view,) = emulator.wait_bot_messages(77, 1, after=before)
        assert view["text"].startswith(heading) and view["reply_to_message"]["message_id"] == answer["message_id"]
        qid = update["callback_query"]["id"]
        assert emulator.wait_for(lambda qid=qid: emulator.callbacks[qid].get("answered"))
        if label == "Compare":
            dates = re.findall(r"^(\d{1,2} \w+ 2024) · ", view["text"], re.M)
            assert len(dates) >= 3
            assert view["text"].index("NOS News") < view["text"].index("NLCS Jeju")  # 23 March before 9 April


def test_group_answers_only_when_mentioned(emulator: BotApiEmulator, start_bot: StartBot, engine: AnswerEngine) -> None:
    start_bot(engine)
    chat = group(-100123)
    emulator.send_message(READER, "How many people died?", chat=chat)
    (reply,) = ask(emulator, READER, "@crosscheck_test_bot who claimed the attack?", chat=chat)
    assert reply["reply_to_message"]["text"] == "@crosscheck_test_bot who claimed the attack?"
    assert "ISIS" in reply["text"] or "IS-K" in reply["text"] or "Islamic State" in reply["text"]
    time.sleep(0.3)
    assert len(emulator.bot_messages(-100123)) == 1  # the message without a mention got no answer


def test_admin_uploads_an_article_and_asks_about_it(emulator: BotApiEmulator, start_bot: StartBot,
                                                    private_engine: AnswerEngine) -> None:
    start_bot(private_engine)
    emulator.send_document(ADMIN, "box office.md", (ARTICLES / "box-office.md").read_bytes())
    received, added = emulator.wait_bot_messages(42, 2)
    assert received["text"] == "Adding box office.md to the articles…"
    assert added["text"].startswith("Added Crocus City Hall box office to reopen — Test Gazette, 2 May 2024")
    (answer,) = ask(emulator, ADMIN, "Who is the new manager of the Crocus City Hall box office?")
    assert "Zinaida Fyodorova" in answer["text"] and "Test Gazette" in answer["text"]


def test_non_admins_are_refused(emulator: BotApiEmulator, start_bot: StartBot, private_engine: AnswerEngine) -> None:
    start_bot(private_engine)
    emulator.send_document(READER, "box-office.md", (ARTICLES / "box-office.md").read_bytes())
    (refused,) = emulator.wait_bot_messages(77, 1)
    assert refused["text"] == prompts().render("telegram.not_admin")
    (refused_refresh,) = ask(emulator, READER, "/refresh")
    assert refused_refresh["text"] == prompts().render("telegram.not_admin")
    assert not any(m.source == "box-office.md" for m in private_engine.sources())


def test_admin_refresh_reports_what_changed(emulator: BotApiEmulator, start_bot: StartBot,
                                            private_engine: AnswerEngine) -> None:
    start_bot(private_engine)
    shutil.copy(ARTICLES / "box-office.md", private_engine.settings.corpus_dir / "box-office.md")
    _, report = ask(emulator, ADMIN, "/refresh", count=2)
    assert report["text"].startswith("Index refreshed. Added 1, updated 0, removed 0")
    assert "Added: box-office.md" in report["text"]


def test_answer_longer_than_a_message_arrives_split_and_valid(emulator: BotApiEmulator, start_bot: StartBot,
                                                              engine: AnswerEngine) -> None:
    start_bot(engine)
    before = len(emulator.bot_messages(77))
    emulator.send_message(READER, "Which musicians does the guest book of the concert hall list?")
    emulator.wait_for(lambda: any("reply_markup" in m for m in emulator.bot_messages(77)[before:]))
    parts = emulator.bot_messages(77)[before:]
    assert len(parts) >= 2
    assert all(len(p["text"].encode("utf-16-le")) // 2 <= 4096 for p in parts)
    assert [("reply_markup" in p) for p in parts] == [False] * (len(parts) - 1) + [True]  # buttons on the last
    assert all(c.status == 200 for c in emulator.calls_of("sendMessage"))
    joined = " ".join(p["text"] for p in parts)
    for name in ("Aleksandr Orlov", "Bella Mikhailov", "Gleb Sokolova"):
        assert name in joined
    assert parts[0]["entities"][0]["type"] == "bold" and parts[1]["entities"][0]["type"] == "bold"


def test_article_text_with_markup_characters_arrives_escaped(emulator: BotApiEmulator, start_bot: StartBot,
                                                             engine: AnswerEngine) -> None:
    start_bot(engine)
    (answer,) = ask(emulator, READER, "Why did the sprinkler system at Crocus City Hall fail?")
    assert "valves < 50% open & alarms > 20 minutes late" in answer["text"]
    assert "valves &lt; 50% open &amp; alarms &gt; 20 minutes late" in answer["raw_html"]
    assert "Fire & safety at Crocus: <what> went wrong > what worked" in answer["text"]
    assert "Safety & Rescue <Weekly>" in answer["text"]
    links = [e["url"] for e in answer.get("entities", []) if e["type"] == "text_link"]
    assert "https://safety.example/crocus?id=1&lang=en" in links


def test_a_429_is_waited_out_and_no_reply_is_lost(emulator: BotApiEmulator, start_bot: StartBot,
                                                  engine: AnswerEngine) -> None:
    start_bot(engine)
    emulator.inject("sendMessage", 429, retry_after=1)
    started = time.monotonic()
    (answer,) = ask(emulator, READER, "How many people died?")
    assert time.monotonic() - started >= 1.0
    assert [c.status for c in emulator.calls_of("sendMessage")] == [429, 200]
    assert "Sources disagree" in answer["text"]
    (second,) = ask(emulator, READER, "/help")
    assert len(emulator.bot_messages(77)) == 2


def test_polling_survives_a_server_error(emulator: BotApiEmulator, start_bot: StartBot, engine: AnswerEngine) -> None:
    start_bot(engine)
    emulator.inject("getUpdates", 502, times=2)  # hits the poll after the one already waiting
    ask(emulator, READER, "/help")
    emulator.wait_for(lambda: [c.status for c in emulator.calls_of("getUpdates")].count(502) == 2)
    (reply,) = ask(emulator, READER, "/about")
    assert "How answers are built" in reply["text"]


def test_webhook_mode_checks_the_secret(emulator: BotApiEmulator, start_bot: StartBot, engine: AnswerEngine) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/crosscheck-hook"
    start_bot(engine, TELEGRAM_WEBHOOK_URL=url, TELEGRAM_WEBHOOK_SECRET="s3cret_Token-x",
              TELEGRAM_WEBHOOK_PORT=str(port))
    assert emulator.webhook == {"url": url, "secret_token": "s3cret_Token-x"}
    (reply,) = ask(emulator, READER, "/start")
    assert reply["text"].startswith("Hello, Bob!")
    forged = urllib.request.Request(url, data=b'{"update_id": 999999}', method="POST",
                                    headers={"Content-Type": "application/json"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(forged, timeout=5)
    assert refused.value.code == 403


def test_the_token_never_appears_in_the_logs(emulator: BotApiEmulator, start_bot: StartBot, engine: AnswerEngine,
                                             caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level("DEBUG"):
        bot = start_bot(engine)
        ask(emulator, READER, "How many people died?")
        bot.stop()
    assert "getUpdates" in caplog.text or "get_updates" in caplog.text  # the run was logged in detail
    assert emulator.token not in caplog.text


@pytest.mark.parametrize("text, key", [
    ("\u200b\u200b", "answer.no_words"),
    ("😀🔥👍", "answer.no_words"),
    ("?!… ###", "answer.no_words"),
    ("كم عدد الذين ماتوا؟", "answer.cross_language"),
    ("死了多少人？", "answer.cross_language"),
])
def test_bad_input_in_telegram_gets_ask_in_words_or_the_honest_status(
        emulator: BotApiEmulator, start_bot: StartBot, engine: AnswerEngine, text: str, key: str) -> None:
    """No words to look up: a short reply. Another language: the closest quotes, with no value compared."""
    start_bot(engine)
    (reply,) = ask(emulator, READER, text)
    assert prompts().render(key) in reply["text"]
    # no death toll of another attack (Beslan 2004, Kabul 2021, Kerman): the #13 defect
    assert not re.search(r"\b300\b|\b170\b|\b84\b|nearly 200", reply["text"])
    if key == "answer.no_words":
        assert not re.search(r"\b1[34]\d\b|\b60\b", reply["text"])  # nothing quoted at all


def test_fault_network_down_at_start_is_one_line_without_the_token(tmp_path: Path) -> None:
    """`python -m bot serve` with the Bot API unreachable: one line on stderr, exit 1, no traceback."""
    import os
    import subprocess
    import sys

    from conftest import ROOT

    token = "123456:UNREACHABLE-secret_token_value"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "TELEGRAM_"))}
    env.update(TELEGRAM_BOT_TOKEN=token, TELEGRAM_BASE_URL=f"http://127.0.0.1:{free_port()}/bot",
               BOT_DATA_DIR=str(tmp_path / "data"), BOT_CORPUS_DIR=str(tmp_path / "corpus"))
    result = subprocess.run([sys.executable, "-m", "bot", "serve"], env=env, cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 1 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: cannot reach the Telegram Bot API"), result.stderr
    assert token not in result.stderr
