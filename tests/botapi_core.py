"""A local Telegram Bot API emulator for tests: the server side a bot talks to, and a user side.

    core = BotApiCore(token)                       # in-process: used by RecordingRequest in unit tests
    emu = BotApiEmulator(token); emu.start()       # aiohttp on 127.0.0.1:<free port> in its own thread
    bot base_url = emu.base_url, base_file_url = emu.base_file_url
    emu.send_message(user, "How many people died?"); emu.wait_bot_messages(chat_id, 1)
    emu.press_button(user, message, "Quotes"); emu.send_document(user, "a.md", data)
    emu.inject("sendMessage", 429, retry_after=1)  # the next sendMessage answers 429
    emu.chaos(0.15, seed=1)                        # 15% of all calls fail: 429/500/502, delays, dropped connections

What it checks like Telegram: HTML entities (botapi_html), 4096 characters after entity parsing,
callback_data ≤ 64 bytes, known chats, bot command names; getUpdates long-polls with timeout,
offset and limit; setWebhook delivers updates by POST with the secret-token header.
"""

from __future__ import annotations

import itertools
import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from botapi_html import check_message_text

BOT_ID = 7000001
_COMMAND = re.compile(r"^[a-z0-9_]{1,32}$")
_CHAT_ACTIONS = {"typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
                 "upload_document", "choose_sticker", "find_location", "record_video_note", "upload_video_note"}
# Parameters the Bot API takes as JSON-serialized objects (forms carry them as strings).
_JSON_PARAMS = {"reply_markup", "reply_parameters", "commands", "scope", "allowed_updates", "link_preview_options",
                "entities"}


class ApiError(Exception):
    """A Bot API error answer: HTTP status, description, optional parameters."""

    def __init__(self, status: int, description: str, parameters: dict[str, Any] | None = None) -> None:
        super().__init__(description)
        self.status, self.description, self.parameters = status, description, parameters


@dataclass
class Fault:
    """An injected failure for the next call(s) of one method."""

    status: int
    retry_after: int | None = None
    times: int = 1


FAULT_KINDS = ("429", "500", "502", "delay", "drop")
# "lost" (the call is processed, then the connection drops before the answer) is not in the default
# mix: no client can tell whether such a send went through. bench/load.py --lost adds it.
ALL_FAULT_KINDS = (*FAULT_KINDS, "lost")


@dataclass
class Chaos:
    """Random faults on a share of all calls (or of some methods), reproducible by seed.

    Kinds: "429" (with retry_after), "500", "502", "delay" (the call is answered late, normally),
    "drop" (the connection is closed before the call is processed: HTTP layer only), "lost" (the
    call is processed, then the connection is closed before the answer: HTTP layer only).
    """

    rate: float
    kinds: tuple[str, ...] = FAULT_KINDS
    methods: frozenset[str] | None = None  # None: every method
    retry_after: int = 1
    delay: tuple[float, float] = (0.05, 1.0)
    seed: int = 0

    def __post_init__(self) -> None:
        import random

        self.rng = random.Random(self.seed)

    def draw(self, method: str) -> str | None:
        """The fault for this call, or None."""
        if self.methods is not None and method not in self.methods:
            return None
        if self.rng.random() >= self.rate:
            return None
        return self.rng.choice(self.kinds)


@dataclass
class Call:
    """One Bot API call the bot made."""

    method: str
    params: dict[str, Any]
    status: int
    at: float = field(default_factory=time.monotonic)


def user(uid: int, first_name: str = "Ann", username: str | None = None) -> dict[str, Any]:
    """A Telegram User object for a human."""
    u: dict[str, Any] = {"id": uid, "is_bot": False, "first_name": first_name, "language_code": "en"}
    if username:
        u["username"] = username
    return u


def group(chat_id: int, title: str = "Reading group") -> dict[str, Any]:
    """A supergroup Chat object."""
    return {"id": chat_id, "type": "supergroup", "title": title}


class BotApiCore:
    """The Bot API's state and methods, independent of HTTP; thread-safe."""

    def __init__(self, token: str = "123456:TEST-token_abcdefghijklmnop", username: str = "crosscheck_test_bot") -> None:
        self.token = token
        self.bot_user = {"id": BOT_ID, "is_bot": True, "first_name": "Crosscheck", "username": username,
                         "can_join_groups": True, "can_read_all_group_messages": False,
                         "supports_inline_queries": False}
        self.lock = threading.RLock()
        self.changed = threading.Condition(self.lock)
        self.calls: list[Call] = []
        self.faults: dict[str, list[Fault]] = {}
        self.random_faults: Chaos | None = None
        self.fault_counts: dict[str, int] = {}
        self.acknowledged: set[int] = set()  # update ids confirmed by a later getUpdates offset or a webhook 2xx
        self.updates: list[dict[str, Any]] = []
        self.chats: dict[int, dict[str, Any]] = {}
        self.messages: dict[int, list[dict[str, Any]]] = {}
        self.files: dict[str, tuple[str, bytes]] = {}  # file_id -> (file_path, data)
        self.callbacks: dict[str, dict[str, Any]] = {}  # callback query id -> its answer (or {})
        self.commands: list[dict[str, str]] = []
        self.webhook: dict[str, Any] = {}
        self._update_ids = itertools.count(1)
        self._ids = itertools.count(1)
        self._message_ids: dict[int, itertools.count[int]] = {}
        # Telegram numbers the messages of all of an account's private chats in one sequence (groups
        # have their own): a bot's answers in one private chat are not consecutive when others talk to it.
        self._private_ids = itertools.count(1)
        self.deleted: list[tuple[int, int]] = []  # (chat id, message id) removed by deleteMessage
        self.lose: dict[str, int] = {}  # method -> how many of its next answers are lost (lose_answer)

    # ---- faults and records -----------------------------------------------------------------------
    def inject(self, method: str, status: int, retry_after: int | None = None, times: int = 1) -> None:
        """Make the next `times` calls of `method` fail with `status` (429 carries retry_after)."""
        with self.lock:
            self.faults.setdefault(method, []).append(Fault(status, retry_after, times))

    def lose_answer(self, method: str, times: int = 1) -> None:
        """Process the next `times` calls of `method`, then drop each connection before its answer (HTTP only)."""
        with self.lock:
            self.lose[method] = self.lose.get(method, 0) + times

    def chaos(self, rate: float, kinds: tuple[str, ...] = FAULT_KINDS, methods: set[str] | None = None,
              retry_after: int = 1, delay: tuple[float, float] = (0.05, 1.0), seed: int = 0) -> None:
        """Fail a share `rate` of calls at random with one of `kinds` (0 turns it off)."""
        with self.lock:
            self.random_faults = Chaos(rate, tuple(kinds), frozenset(methods) if methods else None, retry_after,
                                       delay, seed) if rate > 0 else None

    def draw_fault(self, method: str, http: bool = True) -> str | None:
        """The random fault for one call (counted); "delay"/"drop" only where the HTTP layer can act them."""
        with self.lock:
            if http and self.lose.get(method):
                self.lose[method] -= 1
                self.fault_counts["lost"] = self.fault_counts.get("lost", 0) + 1
                return "lost"
            if self.random_faults is None:
                return None
            kind = self.random_faults.draw(method)
            if kind in ("delay", "drop", "lost") and not http:
                return None
            if kind:
                self.fault_counts[kind] = self.fault_counts.get(kind, 0) + 1
            return kind

    def fault_delay(self) -> float:
        """How long a "delay" fault holds a call."""
        with self.lock:
            assert self.random_faults is not None
            low, high = self.random_faults.delay
            return self.random_faults.rng.uniform(low, high)

    def record_drop(self, method: str, raw: dict[str, str]) -> None:
        """A call whose connection was dropped before it was processed."""
        with self.lock:
            self.calls.append(Call(method, dict(raw), 0))
            self.changed.notify_all()

    def calls_of(self, method: str) -> list[Call]:
        """Calls of one method, in order."""
        with self.lock:
            return [c for c in self.calls if c.method == method]

    def _fault(self, method: str, drawn: str | None = None) -> None:
        if drawn in ("429", "500", "502"):
            fault = Fault(int(drawn), self.random_faults.retry_after if self.random_faults else 1)
        else:
            queue = self.faults.get(method)
            if not queue:
                return
            fault = queue[0]
            fault.times -= 1
            if fault.times <= 0:
                queue.pop(0)
        if fault.status == 429:
            wait = fault.retry_after or 1
            raise ApiError(429, f"Too Many Requests: retry after {wait}", {"retry_after": wait})
        if fault.status == 403:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        raise ApiError(fault.status, {500: "Internal Server Error", 502: "Bad Gateway"}.get(fault.status, "Server Error"))

    # ---- dispatch ---------------------------------------------------------------------------------
    def call(self, method: str, raw: dict[str, str], fault: str | None = None) -> tuple[int, dict[str, Any]]:
        """Run one Bot API method with form-style parameters; returns (HTTP status, JSON body).

        `fault` is a random fault drawn by the HTTP layer; in-process callers get one drawn here.
        """
        params = {k: (json.loads(v) if k in _JSON_PARAMS and isinstance(v, str) else v) for k, v in raw.items()}
        if fault is None:
            fault = self.draw_fault(method, http=False)
        with self.lock:
            try:
                self._fault(method, fault)
                handler = getattr(self, f"m_{method.lower()}", None)
                if handler is None:
                    raise ApiError(404, "Not Found: method not found")
                result = handler(params)
                status, body = 200, {"ok": True, "result": result}
            except ApiError as exc:
                status = exc.status
                body = {"ok": False, "error_code": exc.status, "description": exc.description}
                if exc.parameters:
                    body["parameters"] = exc.parameters
            except ValueError as exc:  # a check like Telegram's failed: 400 with its description
                status, body = 400, {"ok": False, "error_code": 400, "description": str(exc)}
            self.calls.append(Call(method, params, status))
            self.changed.notify_all()
            return status, body

    # ---- methods ----------------------------------------------------------------------------------
    def m_getme(self, p: dict[str, Any]) -> dict[str, Any]:
        return dict(self.bot_user)

    def m_logout(self, p: dict[str, Any]) -> bool:
        return True

    def m_close(self, p: dict[str, Any]) -> bool:
        return True

    def m_deletewebhook(self, p: dict[str, Any]) -> bool:
        if str(p.get("drop_pending_updates", "")).lower() == "true":
            self.updates.clear()
        self.webhook = {}
        return True

    def m_setwebhook(self, p: dict[str, Any]) -> bool:
        secret = p.get("secret_token") or ""
        if secret and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", secret):
            raise ValueError("Bad Request: secret token contains unallowed characters")
        self.webhook = {"url": p["url"], "secret_token": secret}
        self._wake()
        return True

    def m_getwebhookinfo(self, p: dict[str, Any]) -> dict[str, Any]:
        return {"url": self.webhook.get("url", ""), "has_custom_certificate": False,
                "pending_update_count": len(self.updates)}

    def m_setmycommands(self, p: dict[str, Any]) -> bool:
        commands = p.get("commands") or []
        for c in commands:
            if not _COMMAND.fullmatch(c.get("command", "")):
                raise ValueError("Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(c.get("description", "")) <= 256:
                raise ValueError("Bad Request: command description must be 1-256 characters")
        self.commands = commands
        return True

    def m_getmycommands(self, p: dict[str, Any]) -> list[dict[str, str]]:
        return self.commands

    def m_sendchataction(self, p: dict[str, Any]) -> bool:
        self._chat(p["chat_id"])
        if p.get("action") not in _CHAT_ACTIONS:
            raise ValueError("Bad Request: wrong parameter action in request")
        return True

    def m_sendmessage(self, p: dict[str, Any]) -> dict[str, Any]:
        chat = self._chat(p["chat_id"])
        plain, entities = check_message_text(p.get("text", ""), p.get("parse_mode"))
        markup = self._check_markup(p.get("reply_markup"))
        reply = self._reply_target(chat["id"], p)
        msg = self._new_message(chat, self.bot_user, plain, entities=entities, reply_to=reply)
        msg["raw_html"] = p.get("text", "")  # kept for assertions about escaping; not part of the API
        if markup:
            msg["reply_markup"] = markup
        return self._public(msg)

    def m_editmessagetext(self, p: dict[str, Any]) -> dict[str, Any]:
        chat = self._chat(p["chat_id"])
        msg = self._find(chat["id"], int(p["message_id"]))
        if msg is None:
            raise ValueError("Bad Request: message to edit not found")
        if msg["from"]["id"] != BOT_ID:
            raise ValueError("Bad Request: message can't be edited")
        plain, entities = check_message_text(p.get("text", ""), p.get("parse_mode"))
        markup = self._check_markup(p.get("reply_markup"))
        if plain == msg["text"] and entities == msg.get("entities", []) and markup == msg.get("reply_markup"):
            raise ValueError("Bad Request: message is not modified: specified new message content and reply "
                             "markup are exactly the same as a current content and reply markup of the message")
        msg.update(text=plain, entities=entities, raw_html=p.get("text", ""), edit_date=int(time.time()))
        msg.pop("reply_markup", None)
        if markup:
            msg["reply_markup"] = markup
        return self._public(msg)

    def m_deletemessage(self, p: dict[str, Any]) -> bool:
        chat = self._chat(p["chat_id"])
        msg = self._find(chat["id"], int(p["message_id"]))
        if msg is None:
            raise ValueError("Bad Request: message to delete not found")
        if msg["from"]["id"] != BOT_ID and chat["type"] != "private":
            raise ValueError("Bad Request: message can't be deleted")
        self.messages[chat["id"]].remove(msg)
        self.deleted.append((chat["id"], msg["message_id"]))
        return True

    def m_answercallbackquery(self, p: dict[str, Any]) -> bool:
        qid = str(p["callback_query_id"])
        if qid not in self.callbacks or self.callbacks[qid]:
            raise ValueError("Bad Request: query is too old and response timeout expired or query ID is invalid")
        if len(p.get("text") or "") > 200:
            raise ValueError("Bad Request: MESSAGE_TOO_LONG")
        self.callbacks[qid] = {"answered": True, "text": p.get("text"), "show_alert": p.get("show_alert")}
        return True

    def m_getfile(self, p: dict[str, Any]) -> dict[str, Any]:
        fid = p["file_id"]
        if fid not in self.files:
            raise ValueError("Bad Request: invalid file_id")
        path, data = self.files[fid]
        return {"file_id": fid, "file_unique_id": f"u{fid}", "file_size": len(data), "file_path": path}

    def file_bytes(self, path: str) -> bytes | None:
        """The content behind a getFile file_path, or None."""
        with self.lock:
            return next((d for p, d in self.files.values() if p == path), None)

    # ---- helpers ----------------------------------------------------------------------------------
    def _chat(self, chat_id: Any) -> dict[str, Any]:
        try:
            return self.chats[int(chat_id)]
        except (KeyError, ValueError):
            raise ValueError("Bad Request: chat not found") from None

    def _find(self, chat_id: int, message_id: int) -> dict[str, Any] | None:
        return next((m for m in self.messages.get(chat_id, []) if m["message_id"] == message_id), None)

    def _reply_target(self, chat_id: int, p: dict[str, Any]) -> dict[str, Any] | None:
        rp = p.get("reply_parameters") or {}
        mid = rp.get("message_id") or p.get("reply_to_message_id")
        if not mid:
            return None
        target = self._find(int(rp.get("chat_id", chat_id)), int(mid))
        if target is None and not rp.get("allow_sending_without_reply"):
            raise ValueError("Bad Request: message to be replied not found")
        return target

    @staticmethod
    def _check_markup(markup: Any) -> dict[str, Any] | None:
        if not markup:
            return None
        for row in markup.get("inline_keyboard", []):
            for button in row:
                if not button.get("text"):
                    raise ValueError("Bad Request: text buttons are unallowed in the inline keyboard")
                data = button.get("callback_data")
                if data is not None and not 1 <= len(data.encode("utf-8")) <= 64:
                    raise ValueError("Bad Request: BUTTON_DATA_INVALID")
        return markup

    def _new_message(self, chat: dict[str, Any], sender: dict[str, Any], text: str | None, *,
                     entities: list[dict[str, Any]] | None = None, reply_to: dict[str, Any] | None = None,
                     **extra: Any) -> dict[str, Any]:
        counter = (self._private_ids if chat["type"] == "private"
                   else self._message_ids.setdefault(chat["id"], itertools.count(1)))
        msg: dict[str, Any] = {"message_id": next(counter), "from": sender, "chat": chat, "date": int(time.time())}
        if text is not None:
            msg["text"] = text
        if entities:
            msg["entities"] = entities
        if reply_to is not None:
            msg["reply_to_message"] = self._public(reply_to, nested=False)
        msg.update(extra)
        self.messages.setdefault(chat["id"], []).append(msg)
        return msg

    @staticmethod
    def _public(msg: dict[str, Any], nested: bool = True) -> dict[str, Any]:
        out = {k: v for k, v in msg.items() if k != "raw_html"}
        if not nested:
            out.pop("reply_to_message", None)
        return out

    def _push(self, update: dict[str, Any]) -> dict[str, Any]:
        update = {"update_id": next(self._update_ids), **update}
        self.updates.append(update)
        self.changed.notify_all()
        self._wake()
        return update

    def _wake(self) -> None:
        """Hook for the HTTP layer: an update arrived (or the webhook changed)."""

    # ---- the user side ----------------------------------------------------------------------------
    def send_message(self, sender: dict[str, Any], text: str, chat: dict[str, Any] | None = None,
                     reply_to: dict[str, Any] | None = None) -> dict[str, Any]:
        """A user writes `text` (in a private chat unless `chat` is a group); returns the update."""
        with self.lock:
            chat = chat or {"id": sender["id"], "type": "private", "first_name": sender["first_name"]}
            self.chats[chat["id"]] = chat
            entities = _auto_entities(text)
            msg = self._new_message(chat, sender, text, entities=entities, reply_to=reply_to)
            return self._push({"message": self._public(msg)})

    def send_document(self, sender: dict[str, Any], file_name: str, data: bytes, mime_type: str = "text/markdown",
                      chat: dict[str, Any] | None = None, caption: str | None = None) -> dict[str, Any]:
        """A user sends a file; getFile and the file URL serve its bytes. Returns the update."""
        with self.lock:
            chat = chat or {"id": sender["id"], "type": "private", "first_name": sender["first_name"]}
            self.chats[chat["id"]] = chat
            fid = f"doc{next(self._ids)}"
            self.files[fid] = (f"documents/{fid}_{file_name}", data)
            doc = {"file_id": fid, "file_unique_id": f"u{fid}", "file_name": file_name, "mime_type": mime_type,
                   "file_size": len(data)}
            extra: dict[str, Any] = {"document": doc}
            if caption:
                extra["caption"] = caption
            msg = self._new_message(chat, sender, None, **extra)
            return self._push({"message": self._public(msg)})

    def press_button(self, sender: dict[str, Any], message: dict[str, Any], label: str) -> dict[str, Any]:
        """A user presses the inline button labelled `label` under a bot message; returns the update."""
        with self.lock:
            current = self._find(message["chat"]["id"], message["message_id"]) or message
            buttons = [b for row in current.get("reply_markup", {}).get("inline_keyboard", []) for b in row]
            match = [b for b in buttons if b["text"] == label]
            if not match:
                raise AssertionError(f"no button {label!r} under the message; buttons: {[b['text'] for b in buttons]}")
            qid = str(next(self._ids) + 900000)
            self.callbacks[qid] = {}
            query = {"id": qid, "from": sender, "message": self._public(current), "data": match[0]["callback_data"],
                     "chat_instance": str(abs(hash(current["chat"]["id"])))}
            return self._push({"callback_query": query})

    def bot_messages(self, chat_id: int) -> list[dict[str, Any]]:
        """The bot's messages in a chat, oldest first (with `raw_html`, the text as sent)."""
        with self.lock:
            return [dict(m) for m in self.messages.get(chat_id, []) if m["from"]["id"] == BOT_ID]

    def wait_for(self, predicate: Callable[[], Any], timeout: float = 15.0) -> Any:
        """Wait until `predicate()` (run under the lock) is truthy; returns its value."""
        deadline = time.monotonic() + timeout
        with self.changed:
            while True:
                value = predicate()
                if value:
                    return value
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"emulator: condition not met in {timeout} s; last calls: "
                                       f"{[(c.method, c.status) for c in self.calls[-8:]]}")
                self.changed.wait(min(left, 0.1))

    def wait_bot_messages(self, chat_id: int, count: int, after: int = 0, timeout: float = 15.0) -> list[dict[str, Any]]:
        """Wait until the bot has sent `count` messages in the chat after the first `after` ones."""
        def enough() -> list[dict[str, Any]] | None:
            msgs = self.bot_messages(chat_id)[after:]
            return msgs if len(msgs) >= count else None

        return self.wait_for(enough, timeout)

    def callback_answer(self, query_id: str) -> dict[str, Any]:
        """How the bot answered a button press ({} while unanswered)."""
        with self.lock:
            return dict(self.callbacks.get(query_id, {}))


def _auto_entities(text: str) -> list[dict[str, Any]]:
    """Entities Telegram's clients add: a leading /command and @mentions."""
    entities = []
    for m in re.finditer(r"(?:^/[A-Za-z0-9_]+(?:@[A-Za-z0-9_]+)?)|(?:(?<![\w@])@[A-Za-z0-9_]{5,32})", text):
        offset = len(text[: m.start()].encode("utf-16-le")) // 2
        length = len(m.group(0).encode("utf-16-le")) // 2
        entities.append({"type": "bot_command" if m.group(0).startswith("/") else "mention",
                         "offset": offset, "length": length})
    return entities
