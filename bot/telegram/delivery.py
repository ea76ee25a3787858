"""Delivery under faults and crashes: every update handled at least once, every reply sent at most once.

How an update travels:

1. `InboxRequest` (the getUpdates transport) writes each update it receives to the SQLite inbox
   *before* python-telegram-bot sees it. Telegram is told an update was received only by the next
   getUpdates call (its offset), which comes after this write: an update Telegram forgets is on disk.
   In webhook mode `InboxQueue` (the Application's update queue) does the same: python-telegram-bot's
   webhook handler awaits the queue's `put` before it answers 200, and `put` writes the update to the
   inbox first; when the write fails the webhook answers 500 and Telegram delivers the update again.
2. `ChatOrderedProcessor` (the Application's update processor) runs updates concurrently across
   chats and one at a time within a chat (order kept), skips an update already handled (one replayed
   from the inbox and redelivered by Telegram), and marks it done when its handlers have finished.
3. `RetryingRequest` (the transport for every other call) retries 5xx answers, timeouts and dropped
   connections with exponential backoff (429 is the AIORateLimiter's job). For each message sent
   while handling an update it records, per update id and position, that it is being sent and then
   what Telegram answered: when the update is handled again after a restart, the messages already
   sent are not sent again (their recorded answer is returned instead).
4. At start-up the updates still pending in the inbox are put on the update queue before polling
   starts (`replay_pending`), so they are finished first, in their order.

A send whose outcome is unknown because the process died between writing "sending" and recording
Telegram's answer is not sent again (at most once). Telegram's API has no idempotency key: a send
retried after a failure that may have come *after* Telegram accepted it (no answer on an open
connection, a read timeout) can arrive twice. Failures that prove the request never left (no
connection, a full pool, a write that failed) are retried without that doubt; after the others,
bot/telegram/duplicates.py looks for the earlier copy and deletes it where the API allows.
"""

from __future__ import annotations

import asyncio
import contextvars
import json
import logging
import random
import sqlite3
import threading
import time
from collections.abc import Awaitable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from telegram import Update
from telegram.error import NetworkError
from telegram.ext import Application, BaseUpdateProcessor
from telegram.request import HTTPXRequest, RequestData

from bot.telegram.duplicates import SeenIds, message_id_of, remove_earlier_copies

log = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({500, 502, 503, 504})
SEND_METHODS = frozenset({"sendMessage", "sendDocument", "sendPhoto"})
KEEP_DONE = 50_000  # handled updates remembered (dedup of redeliveries); older ones are dropped


class Inbox:
    """SQLite record of received updates (pending → done) and of the messages sent for each."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=30)
        self._lock = threading.Lock()
        with self._lock:
            self._db.execute("PRAGMA journal_mode=WAL")
            # FULL: a commit is on disk (WAL synced) before the update is acknowledged, power cut included.
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.execute("CREATE TABLE IF NOT EXISTS inbox (update_id INTEGER PRIMARY KEY, body TEXT, "
                             "state TEXT NOT NULL DEFAULT 'pending')")
            self._db.execute("CREATE TABLE IF NOT EXISTS sent (update_id INTEGER, seq INTEGER, state TEXT, "
                             "response BLOB, PRIMARY KEY (update_id, seq))")
            # Per chat: the last message id the bot knows it sent, and whether a send's outcome is unknown.
            self._db.execute("CREATE TABLE IF NOT EXISTS chats (chat_id INTEGER PRIMARY KEY, last_id INTEGER, "
                             "unknown INTEGER NOT NULL DEFAULT 0)")

    def receive(self, updates: list[dict[str, Any]]) -> None:
        """Keep updates just fetched (before they are acknowledged); known ones are left as they are."""
        rows = [(u["update_id"], json.dumps(u, ensure_ascii=False)) for u in updates if "update_id" in u]
        if not rows:
            return
        with self._lock:
            self._db.executemany("INSERT OR IGNORE INTO inbox (update_id, body) VALUES (?, ?)", rows)

    def pending(self) -> list[dict[str, Any]]:
        """Updates received but not handled, oldest first."""
        with self._lock:
            rows = self._db.execute("SELECT body FROM inbox WHERE state = 'pending' ORDER BY update_id").fetchall()
        return [json.loads(r[0]) for r in rows]

    def is_done(self, update_id: int) -> bool:
        """True when the update was handled already."""
        with self._lock:
            row = self._db.execute("SELECT state FROM inbox WHERE update_id = ?", (update_id,)).fetchone()
        return bool(row and row[0] == "done")

    def done(self, update_id: int) -> None:
        """The update is handled: never handle it again."""
        with self._lock:
            self._db.execute("INSERT INTO inbox (update_id, body, state) VALUES (?, NULL, 'done') "
                             "ON CONFLICT (update_id) DO UPDATE SET state = 'done', body = NULL", (update_id,))
            if update_id % 1000 == 0:
                self._db.execute("DELETE FROM inbox WHERE state = 'done' AND update_id <= ?", (update_id - KEEP_DONE,))
                self._db.execute("DELETE FROM sent WHERE update_id <= ?", (update_id - KEEP_DONE,))

    def sent_record(self, update_id: int, seq: int) -> tuple[str, bytes | None] | None:
        """("sending" | "sent", Telegram's answer) for the update's seq-th message, or None if never tried."""
        with self._lock:
            row = self._db.execute("SELECT state, response FROM sent WHERE update_id = ? AND seq = ?",
                                   (update_id, seq)).fetchone()
        return (row[0], row[1]) if row else None

    def mark_sending(self, update_id: int, seq: int) -> None:
        """About to send: from now on, the outcome of this message is unknown until recorded."""
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO sent (update_id, seq, state, response) VALUES (?, ?, 'sending', NULL)",
                             (update_id, seq))

    def mark_sent(self, update_id: int, seq: int, response: bytes) -> None:
        """Telegram accepted the message."""
        with self._lock:
            self._db.execute("UPDATE sent SET state = 'sent', response = ? WHERE update_id = ? AND seq = ?",
                             (response, update_id, seq))

    def clear_sending(self, update_id: int, seq: int) -> None:
        """Telegram refused the message (or it never left): it was not delivered."""
        with self._lock:
            self._db.execute("DELETE FROM sent WHERE update_id = ? AND seq = ? AND state = 'sending'", (update_id, seq))

    def chat_before_send(self, chat_id: int) -> tuple[int | None, bool]:
        """(last message id known sent in the chat, an earlier send's outcome unknown); marks this one unknown."""
        with self._lock:
            row = self._db.execute("SELECT last_id, unknown FROM chats WHERE chat_id = ?", (chat_id,)).fetchone()
            self._db.execute("INSERT INTO chats (chat_id, unknown) VALUES (?, 1) "
                             "ON CONFLICT (chat_id) DO UPDATE SET unknown = 1", (chat_id,))
        return (row[0], bool(row[1])) if row else (None, False)

    def chat_after_send(self, chat_id: int, message_id: int | None, unknown: bool) -> None:
        """Record a send's outcome: the message it made (every earlier one is below it), or whether it may exist."""
        with self._lock:
            if message_id is not None:
                self._db.execute("UPDATE chats SET last_id = MAX(COALESCE(last_id, 0), ?), unknown = 0 "
                                 "WHERE chat_id = ?", (message_id, chat_id))
            else:
                self._db.execute("UPDATE chats SET unknown = ? WHERE chat_id = ?", (int(unknown), chat_id))

    def delivered(self, update_id: int) -> bool:
        """True when any message was (or may have been) sent while handling the update."""
        with self._lock:
            return self._db.execute("SELECT 1 FROM sent WHERE update_id = ? LIMIT 1", (update_id,)).fetchone() is not None

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            self._db.close()


@dataclass
class _Handling:
    """The update whose handlers are running in this task, and how many messages it has sent."""

    update_id: int
    seq: int = 0
    keep_pending: bool = False  # set when it failed for want of a network: finish it after a restart
    question_id: int | None = None  # the message being answered (no reply of ours can be below it)
    doubt: _Doubt | None = None  # copies the current message may already have, from calls that got no answer


@dataclass
class _Doubt:
    """What was known before a message was first tried, kept while copies of it may exist."""

    last_id: int | None  # the last message id the bot knew it had sent in the chat
    unknown: bool  # an earlier send in the chat had an unknown outcome: probing is not safe
    highest: int | None  # highest id of our private-chat sends answered before this one left
    text: Any = None  # the message's text: a doubt is about copies of this content only
    copies: int = 0  # calls that failed after Telegram may have acted on them


_HANDLING: contextvars.ContextVar[_Handling | None] = contextvars.ContextVar("crosscheck_handling", default=None)


def keep_pending() -> None:
    """Leave the update being handled pending in the inbox (it is tried again at the next start)."""
    handling = _HANDLING.get()
    if handling is not None:
        handling.keep_pending = True


def _backoff(attempt: int, base: float, cap: float) -> float:
    return min(cap, base * 2**attempt) * (0.5 + random.random() / 2)


# httpx failures that prove the request never reached Telegram: no connection was made, no
# connection was free, or the request could not be written whole (a server acts on whole requests).
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.WriteError, httpx.WriteTimeout)


def _maybe_processed(exc: NetworkError) -> bool:
    """True when Telegram may have acted on the request although no answer came back."""
    return not isinstance(exc.__cause__, _NOT_SENT)


@dataclass
class _Attempts:
    """What the retries of one call found out."""

    maybe_processed: int = 0  # attempts that failed after the request may have been acted on


class RetryingRequest(HTTPXRequest):
    """HTTPXRequest that retries 5xx, timeouts and dropped connections, and sends each reply at most once."""

    def __init__(self, inbox: Inbox | None = None, attempts: int = 6, backoff: float = 0.2,
                 max_backoff: float = 5.0, seen: SeenIds | None = None, remove_duplicates: bool = True,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.inbox, self.attempts, self.backoff, self.max_backoff = inbox, max(1, attempts), backoff, max_backoff
        self.seen = seen if seen is not None else SeenIds()
        self.remove_duplicates = remove_duplicates
        self.duplicates_removed = 0

    async def _with_retries(self, url: str, method: str, request_data: RequestData | None,
                            tried: _Attempts | None = None, **kwargs: Any) -> tuple[int, bytes]:
        api_method = url.rsplit("/", 1)[-1]
        for attempt in range(self.attempts):
            last = attempt == self.attempts - 1
            try:
                code, payload = await super().do_request(url, method, request_data, **kwargs)
            except NetworkError as exc:  # TimedOut included: no answer from Telegram
                if tried is not None and _maybe_processed(exc):
                    tried.maybe_processed += 1
                if last:
                    raise
                wait = _backoff(attempt, self.backoff, self.max_backoff)
                log.info("%s: %s; retrying in %.1f s", api_method, exc, wait)
                await asyncio.sleep(wait)
                continue
            if code in RETRY_STATUSES and not last:
                wait = _backoff(attempt, self.backoff, self.max_backoff)
                log.info("%s: HTTP %s; retrying in %.1f s", api_method, code, wait)
                await asyncio.sleep(wait)
                continue
            return code, payload
        raise AssertionError("unreachable")

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         **kwargs: Any) -> tuple[int, bytes]:
        """One Bot API call, retried; a message already sent for the update being handled is not sent again."""
        handling = _HANDLING.get()
        if self.inbox is None or handling is None or url.rsplit("/", 1)[-1] not in SEND_METHODS:
            return await self._with_retries(url, method, request_data, **kwargs)
        uid, seq = handling.update_id, handling.seq
        record = self.inbox.sent_record(uid, seq)
        if record is not None:
            handling.seq += 1
            state, response = record
            log.info("update %s: message %s was %s before; not sending it again", uid, seq, state)
            return 200, response or _unknown_message(request_data)
        params = request_data.parameters if request_data else {}
        chat_id = params.get("chat_id")
        chat_id = chat_id if isinstance(chat_id, int) else None
        before = handling.doubt  # an earlier call for this message (before a 429 the rate limiter retried)
        if before is not None and before.text != params.get("text"):
            before = None  # another message (the apology after a failed answer): the chat is in doubt, no probing
        if before is None:
            last_id, unknown = self.inbox.chat_before_send(chat_id) if chat_id is not None else (None, True)
            # ours, answered before this send left: below any copy of it (private chats share one sequence)
            before = _Doubt(last_id, unknown, self.seen.highest_sent if chat_id is not None and chat_id > 0 else None,
                            params.get("text"))
        elif chat_id is not None:
            self.inbox.chat_before_send(chat_id)
        self.inbox.mark_sending(uid, seq)
        tried = _Attempts()
        try:
            code, payload = await self._with_retries(url, method, request_data, tried, **kwargs)
        except BaseException:
            self._not_sent(handling, uid, seq, chat_id, before, tried)
            raise
        if code != 200:
            self._not_sent(handling, uid, seq, chat_id, before, tried)
            return code, payload
        self.inbox.mark_sent(uid, seq, payload)
        handling.seq += 1
        handling.doubt = None
        message_id = message_id_of(payload)
        if chat_id is None or message_id is None:
            return code, payload
        self.inbox.chat_after_send(chat_id, message_id, False)
        if chat_id > 0:
            self.seen.add(message_id, ours=True)
        copies = tried.maybe_processed + before.copies
        floors = [f for f in (handling.question_id, before.last_id) if f is not None]
        if copies and floors and not before.unknown and self.remove_duplicates and url.endswith("/sendMessage"):
            floor = max(floors + ([before.highest] if before.highest is not None else []))
            found = await remove_earlier_copies(self._probe, url.rsplit("/", 1)[0], params, message_id, floor,
                                                self.seen, copies=copies)
            self.duplicates_removed += len(found)
        return code, payload

    def _not_sent(self, handling: _Handling, uid: int, seq: int, chat_id: int | None, before: _Doubt,
                  tried: _Attempts) -> None:
        """The call ended without Telegram's answer or with an error; it may still have made copies."""
        self.inbox.clear_sending(uid, seq)
        before.copies += tried.maybe_processed
        handling.doubt = before if before.copies else None  # the next call for this message looks for them
        if chat_id is not None:
            self.inbox.chat_after_send(chat_id, None, before.unknown or before.copies > 0)

    async def _probe(self, url: str, data: RequestData) -> tuple[int, bytes]:
        """One call of the duplicate search: retried like any call, 429 waited out (it bypasses the
        rate limiter); a failure counts as "not found"."""
        for _ in range(3):
            try:
                code, payload = await self._with_retries(url, "POST", data)
            except NetworkError as exc:
                return 0, json.dumps({"description": str(exc)}).encode()
            if code != 429:
                return code, payload
            await asyncio.sleep(_retry_after(payload))
        return code, payload


def _retry_after(payload: bytes) -> float:
    """The seconds a 429 answer asks to wait (1 when it does not say)."""
    try:
        return float(json.loads(payload).get("parameters", {}).get("retry_after", 1))
    except (ValueError, AttributeError, TypeError):
        return 1.0


def _unknown_message(request_data: RequestData | None) -> bytes:
    """A stand-in answer for a message whose delivery is unknown (it is not sent twice)."""
    chat_id = (request_data.parameters if request_data else {}).get("chat_id", 0)
    return json.dumps({"ok": True, "result": {"message_id": 0, "date": int(time.time()),
                                              "chat": {"id": chat_id, "type": "private"}}}).encode()


class InboxQueue(asyncio.Queue):  # type: ignore[type-arg]
    """The update queue in webhook mode: an update is on disk before the webhook tells Telegram it arrived."""

    def __init__(self, inbox: Inbox) -> None:
        super().__init__()
        self.inbox = inbox

    async def put(self, item: Any) -> None:
        """Write the update to the inbox, then queue it (a failed write reaches Telegram as HTTP 500)."""
        if isinstance(item, Update):
            self.inbox.receive([item.to_dict()])
        await super().put(item)


class InboxRequest(HTTPXRequest):
    """The getUpdates transport: writes every update it fetches to the inbox before handing it on."""

    def __init__(self, inbox: Inbox, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.inbox = inbox

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         **kwargs: Any) -> tuple[int, bytes]:
        """Fetch, then keep what was fetched (an update is on disk before it is acknowledged)."""
        code, payload = await super().do_request(url, method, request_data, **kwargs)
        if code == 200 and url.endswith("/getUpdates"):
            try:
                result = json.loads(payload).get("result")
            except ValueError:
                result = None
            if isinstance(result, list):
                self.inbox.receive([u for u in result if isinstance(u, dict)])
        return code, payload


class ChatOrderedProcessor(BaseUpdateProcessor):
    """Concurrent across chats, in order within a chat; each update handled once, then marked done."""

    def __init__(self, inbox: Inbox | None, max_concurrent_updates: int = 4096, seen: SeenIds | None = None) -> None:
        super().__init__(max_concurrent_updates)
        self.inbox = inbox
        self.seen = seen
        self._locks: dict[int, asyncio.Lock] = {}
        self._started: set[int] = set()

    def _lock(self, key: int) -> asyncio.Lock:
        lock = self._locks.get(key)
        if lock is None:
            if len(self._locks) > 10_000:  # drop idle locks so the map does not grow forever
                for k in [k for k, lk in self._locks.items() if not lk.locked()]:
                    del self._locks[k]
            lock = self._locks[key] = asyncio.Lock()
        return lock

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Run the update's handlers under its chat's lock, unless it was handled already."""
        if not isinstance(update, Update):
            await coroutine
            return
        uid = update.update_id
        if uid in self._started or (self.inbox is not None and self.inbox.is_done(uid)):
            log.info("update %s was handled already; skipped", uid)
            close = getattr(coroutine, "close", None)
            if callable(close):
                close()
            return
        self._started.add(uid)
        chat = update.effective_chat
        key = chat.id if chat else (update.effective_user.id if update.effective_user else 0)
        question = update.message.message_id if update.message else None
        if question is not None and self.seen is not None and chat is not None and chat.type == "private":
            self.seen.add(question)  # an id of another chat, as far as every other chat's probes go
        async with self._lock(key):
            handling = _Handling(uid, question_id=question)
            token = _HANDLING.set(handling)
            try:
                await coroutine
            finally:
                _HANDLING.reset(token)
            if self.inbox is not None and not handling.keep_pending:
                self.inbox.done(uid)
                self._started.discard(uid)

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to close (the inbox is closed with the bot's other state)."""


async def replay_pending(app: Application, inbox: Inbox) -> int:
    """Queue the updates received but not handled before the last stop (called before polling starts)."""
    pending = inbox.pending()
    for data in pending:
        update = Update.de_json(data, app.bot)
        if update is not None:
            await app.update_queue.put(update)
    if pending:
        log.info("finishing %d update(s) received before the last stop", len(pending))
    return len(pending)
