"""What the Telegram bot keeps between updates: answers behind buttons, chat history, rate limits.

Answers and histories live in SQLite under the data directory, so buttons under an old answer
and follow-up questions still work after the bot restarts. Rate limits are in memory.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import secrets
import sqlite3
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from telegram.ext import CallbackContext

from bot.config import Settings
from bot.models import Answer, ArticleMeta, Citation, ClaimRef, Disagreement, Turn

if TYPE_CHECKING:  # bot.ingest.refresh pulls in Chroma; only its report type is needed here
    from bot.ingest.refresh import RefreshReport

MAX_STORED_ANSWERS = 20_000  # answers behind buttons; the oldest are dropped beyond this


class Engine(Protocol):
    """What the bot needs from bot.answering.engine.AnswerEngine (a seam: unit tests pass a scripted one)."""

    def ask(self, question: str, history: Any = ()) -> Answer: ...
    def check_question(self, question: str) -> str: ...
    def refresh(self) -> RefreshReport: ...
    def add_article(self, name: str, data: bytes) -> RefreshReport: ...
    def sources(self) -> list[ArticleMeta]: ...


def _build(cls: type, data: dict[str, Any]) -> Any:
    """A dataclass from a dict, ignoring keys the class no longer has."""
    names = {f.name for f in dataclasses.fields(cls)}
    return cls(**{k: v for k, v in data.items() if k in names})


def answer_from_dict(data: dict[str, Any]) -> Answer:
    """Rebuild an Answer stored with dataclasses.asdict."""
    answer = _build(Answer, data)
    answer.citations = [_build(Citation, c) for c in data.get("citations", [])]
    answer.disagreements = [
        Disagreement(topic=d["topic"], summary=d.get("summary", ""), claims=[_build(ClaimRef, c) for c in d["claims"]])
        for d in data.get("disagreements", [])
    ]
    return answer


class ChatStore:
    """SQLite store of answers (by a short key carried in callback data) and per-chat history."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        # One connection shared by worker threads; the lock serialises use of it.
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._lock = threading.Lock()
        with self._lock:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("CREATE TABLE IF NOT EXISTS answers (id INTEGER PRIMARY KEY, key TEXT UNIQUE, body TEXT)")
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS history (id INTEGER PRIMARY KEY, chat_id INTEGER, question TEXT)"
            )
            self._db.execute("CREATE INDEX IF NOT EXISTS history_chat ON history (chat_id, id)")

    def save_answer(self, answer: Answer) -> str:
        """Store an answer; returns the key that callback data carries (12 URL-safe characters)."""
        key = secrets.token_urlsafe(9)
        body = json.dumps(dataclasses.asdict(answer), ensure_ascii=False)
        with self._lock:
            cur = self._db.execute("INSERT INTO answers (key, body) VALUES (?, ?)", (key, body))
            if cur.lastrowid and cur.lastrowid % 1000 == 0:
                self._db.execute("DELETE FROM answers WHERE id <= ?", (cur.lastrowid - MAX_STORED_ANSWERS,))
        return key

    def load_answer(self, key: str) -> Answer | None:
        """The answer stored under a key, or None when it is unknown or was dropped."""
        with self._lock:
            row = self._db.execute("SELECT body FROM answers WHERE key = ?", (key,)).fetchone()
        return answer_from_dict(json.loads(row[0])) if row else None

    def history(self, chat_id: int, turns: int) -> list[Turn]:
        """The chat's last `turns` turns, oldest first."""
        if turns <= 0:
            return []
        with self._lock:
            rows = self._db.execute(
                "SELECT question FROM history WHERE chat_id = ? ORDER BY id DESC LIMIT ?", (chat_id, turns)
            ).fetchall()
        return [_turn(r[0]) for r in reversed(rows)]

    def remember(self, chat_id: int, turn: Turn, turns: int) -> None:
        """Add a turn to the chat's history, keeping only the last `turns`."""
        with self._lock:
            self._db.execute("INSERT INTO history (chat_id, question) VALUES (?, ?)",
                             (chat_id, json.dumps(turn.to_dict(), ensure_ascii=False)))
            self._db.execute(
                "DELETE FROM history WHERE chat_id = ? AND id NOT IN "
                "(SELECT id FROM history WHERE chat_id = ? ORDER BY id DESC LIMIT ?)",
                (chat_id, chat_id, max(turns, 0)),
            )

    def forget(self, chat_id: int) -> None:
        """Clear a chat's history (/new)."""
        with self._lock:
            self._db.execute("DELETE FROM history WHERE chat_id = ?", (chat_id,))

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            self._db.close()


@dataclass(frozen=True)
class RateDecision:
    """Whether a user may ask now; if not, how long to wait and whether to tell them."""

    allowed: bool
    wait_seconds: int = 0
    warn: bool = False


class UserRateLimit:
    """At most `per_minute` questions per user in any 60 seconds (sliding window).

    `clock` is the seam tests use to move time. Only the first refused question of a burst gets
    a reply, so an over-eager user does not make the bot flood the chat with warnings.
    """

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic, window: float = 60.0) -> None:
        self.per_minute = per_minute
        self.window = window
        self.clock = clock
        self._seen: dict[int, deque[float]] = {}
        self._warned: set[int] = set()

    def check(self, user_id: int) -> RateDecision:
        """Record a question from `user_id` if allowed now."""
        if self.per_minute <= 0:
            return RateDecision(True)
        now = self.clock()
        times = self._seen.setdefault(user_id, deque())
        while times and now - times[0] >= self.window:
            times.popleft()
        if len(times) < self.per_minute:
            times.append(now)
            self._warned.discard(user_id)
            return RateDecision(True)
        wait = max(1, int(times[0] + self.window - now + 0.999))
        warn = user_id not in self._warned
        self._warned.add(user_id)
        return RateDecision(False, wait, warn)


@dataclass
class Services:
    """Everything handlers use, built in post_init and closed in post_shutdown."""

    settings: Settings
    engine: Engine
    store: ChatStore
    limiter: UserRateLimit
    _chat_locks: dict[int, asyncio.Lock] = field(default_factory=dict)

    def chat_lock(self, chat_id: int) -> asyncio.Lock:
        """One lock per chat: questions of one chat are answered in order (history stays right),
        while other chats go on concurrently."""
        lock = self._chat_locks.get(chat_id)
        if lock is None:
            if len(self._chat_locks) > 10_000:  # drop idle locks so the map does not grow forever
                for cid in [c for c, lk in self._chat_locks.items() if not lk.locked()]:
                    del self._chat_locks[cid]
            lock = self._chat_locks[chat_id] = asyncio.Lock()
        return lock


SERVICES_KEY = "crosscheck"


def services(context: CallbackContext[Any, Any, Any, Any]) -> Services:
    """The bot's services from bot_data (set by post_init)."""
    return context.bot_data[SERVICES_KEY]


def _turn(stored: str) -> Turn:
    """A history row as a Turn; rows written before turns were structured hold the plain question."""
    try:
        data = json.loads(stored)
    except ValueError:
        return Turn(stored)
    return Turn.from_dict(data) if isinstance(data, dict) else Turn(stored)
