"""The Bot API emulator over HTTP behaves like Telegram where the bot's tests depend on it."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from botapi_emulator import BotApiEmulator, user


@pytest.fixture
def emu() -> Iterator[BotApiEmulator]:
    e = BotApiEmulator().start()
    yield e
    e.stop()


def api(emu: BotApiEmulator, method: str, **params: Any) -> tuple[int, dict[str, Any]]:
    """POST a form like python-telegram-bot does; returns (HTTP status, JSON body)."""
    form = {k: v if isinstance(v, str) else json.dumps(v) for k, v in params.items()}
    req = urllib.request.Request(f"{emu.base_url}{emu.token}/{method}",
                                 data=urllib.parse.urlencode(form).encode(), method="POST")
    try:
        with urllib.request.urlopen(req, timeout=15) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as err:
        body = err.read()
        try:
            return err.code, json.loads(body)
        except ValueError:
            return err.code, {"text": body.decode()}


def test_get_me_and_wrong_token(emu: BotApiEmulator) -> None:
    status, body = api(emu, "getMe")
    assert status == 200 and body["result"]["is_bot"] is True and body["result"]["username"]
    req = urllib.request.Request(f"{emu.base_url}1:wrong/getMe", data=b"", method="POST")
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(req, timeout=5)
    assert err.value.code == 401


def test_get_updates_long_polls_until_an_update_or_the_timeout(emu: BotApiEmulator) -> None:
    started = time.monotonic()
    assert api(emu, "getUpdates", timeout=1)[1]["result"] == []
    assert 0.9 <= time.monotonic() - started < 3

    threading.Timer(0.3, lambda: emu.send_message(user(5), "hello")).start()
    started = time.monotonic()
    (update,) = api(emu, "getUpdates", timeout=10)[1]["result"]
    assert time.monotonic() - started < 3  # answered when the update arrived, not at the timeout
    assert update["message"]["text"] == "hello"


def test_offset_confirms_and_limit_caps(emu: BotApiEmulator) -> None:
    for text in ("one", "two", "three"):
        emu.send_message(user(5), text)
    first = api(emu, "getUpdates", limit=2)[1]["result"]
    assert [u["message"]["text"] for u in first] == ["one", "two"]
    again = api(emu, "getUpdates")[1]["result"]
    assert len(again) == 3  # nothing is confirmed until a later offset is given
    rest = api(emu, "getUpdates", offset=first[-1]["update_id"] + 1)[1]["result"]
    assert [u["message"]["text"] for u in rest] == ["three"]
    assert api(emu, "getUpdates", offset=rest[-1]["update_id"] + 1)[1]["result"] == []


def test_send_message_checks_html_and_length(emu: BotApiEmulator) -> None:
    emu.send_message(user(5), "hi")
    ok = api(emu, "sendMessage", chat_id=5, text="<b>a &lt; b</b>", parse_mode="HTML")
    assert ok[0] == 200 and ok[1]["result"]["text"] == "a < b" and ok[1]["result"]["date"] < 10**10
    bad = api(emu, "sendMessage", chat_id=5, text="a < b & c", parse_mode="HTML")
    assert bad == (400, {"ok": False, "error_code": 400,
                         "description": bad[1]["description"]})
    assert bad[1]["description"].startswith("Bad Request: can't parse entities")
    long = api(emu, "sendMessage", chat_id=5, text="x" * 4097)
    assert long[0] == 400 and long[1]["description"] == "Bad Request: message is too long"
    assert api(emu, "sendMessage", chat_id=999, text="x")[1]["description"] == "Bad Request: chat not found"
    markup = {"inline_keyboard": [[{"text": "b", "callback_data": "x" * 65}]]}
    assert api(emu, "sendMessage", chat_id=5, text="x", reply_markup=markup)[1]["description"].endswith(
        "BUTTON_DATA_INVALID")


def test_injected_faults(emu: BotApiEmulator) -> None:
    emu.send_message(user(5), "hi")
    emu.inject("sendMessage", 429, retry_after=3)
    emu.inject("sendMessage", 403)
    emu.inject("sendMessage", 502)
    assert api(emu, "sendMessage", chat_id=5, text="x") == (429, {
        "ok": False, "error_code": 429, "description": "Too Many Requests: retry after 3",
        "parameters": {"retry_after": 3}})
    assert api(emu, "sendMessage", chat_id=5, text="x")[1]["description"] == "Forbidden: bot was blocked by the user"
    assert api(emu, "sendMessage", chat_id=5, text="x")[0] == 502
    assert api(emu, "sendMessage", chat_id=5, text="x")[0] == 200


def test_buttons_files_and_unknown_methods(emu: BotApiEmulator) -> None:
    emu.send_message(user(5), "hi")
    markup = {"inline_keyboard": [[{"text": "Quotes", "callback_data": "q:1"}]]}
    sent = api(emu, "sendMessage", chat_id=5, text="answer", reply_markup=markup)[1]["result"]
    query = emu.press_button(user(5), sent, "Quotes")["callback_query"]
    assert query["data"] == "q:1" and query["chat_instance"]
    assert api(emu, "answerCallbackQuery", callback_query_id=query["id"])[1]["result"] is True
    assert api(emu, "answerCallbackQuery", callback_query_id=query["id"])[0] == 400  # only once

    doc = emu.send_document(user(5), "a.md", b"# hello")["message"]["document"]
    path = api(emu, "getFile", file_id=doc["file_id"])[1]["result"]["file_path"]
    with urllib.request.urlopen(f"{emu.base_file_url}{emu.token}/{path}", timeout=5) as resp:
        assert resp.read() == b"# hello"
    assert api(emu, "noSuchMethod")[0] == 404


def test_get_updates_conflicts_with_a_webhook(emu: BotApiEmulator) -> None:
    assert api(emu, "setWebhook", url="http://127.0.0.1:9/hook", secret_token="abc")[0] == 200
    assert api(emu, "getUpdates")[0] == 409
    assert api(emu, "deleteWebhook")[0] == 200
    assert api(emu, "getUpdates")[0] == 200
