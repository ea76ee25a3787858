"""Helpers for end-to-end tests of the Telegram bot: the real bot in a thread, test articles.

The bot is built by bot.telegram.app.build_application and run by bot.telegram.app.serve (the
same path as `python -m bot serve`), pointed at the Bot API emulator with TELEGRAM_BASE_URL.
(Not a conftest.py: a second conftest module would shadow `from conftest import ...` elsewhere.)
"""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path
from typing import Any

from botapi_emulator import BotApiEmulator
from telegram.ext import Application

from bot.telegram.app import serve

ARTICLES = Path(__file__).parent / "e2e" / "articles"
ESCAPING_ARTICLE = "zz-fire-safety.md"  # its title, outlet and text hold <, & and >
LONG_ARTICLE = "zz-guest-book.md"  # one sentence of about 6,000 characters


def guest_book_article() -> str:
    """An article whose key sentence is longer than a Telegram message (names, no numbers)."""
    first = ["Aleksandr", "Boris", "Dmitri", "Elena", "Galina", "Ivan", "Katya", "Leonid", "Marina", "Nikolai",
             "Olga", "Pavel", "Svetlana", "Timur", "Vera", "Yuri", "Zoya", "Arkady", "Bella", "Gleb"]
    last = ["Orlov", "Sokolova", "Volkov", "Lebedeva", "Kozlov", "Novikova", "Morozov", "Petrova", "Zaytsev",
            "Pavlova", "Semyonov", "Golubeva", "Vinogradov", "Bogdanova", "Vorobyov", "Fyodorova", "Mikhailov"]
    names = [f"{f} {l}" for f in first for l in last][:330]
    sentence = ("The guest book of the Crocus City Hall concert hall lists the musicians who played there over the "
                "years, among them " + ", ".join(names) + ", and many others.")
    return (f"---\ntitle: The guest book of the concert hall\noutlet: Guest Book Test Outlet\n"
            f"published: '2024-04-02'\nurl: ''\nlanguage: en\n---\n\n{sentence}\n\n"
            "Visitors still sign the guest book in the foyer.\n")


class SharedEngine:
    """The session's engine for one bot run; the bot's shutdown must not close it for the next test."""

    def __init__(self, engine: Any) -> None:
        self._engine = engine

    def __getattr__(self, name: str) -> Any:
        if name == "close":
            raise AttributeError(name)
        return getattr(self._engine, name)


class RunningBot:
    """The real bot (bot.telegram.app.serve) running in a thread against the emulator."""

    def __init__(self, app: Application, settings: Any, emulator: BotApiEmulator) -> None:
        self.app, self.settings, self.emulator = app, settings, emulator
        self.error: BaseException | None = None
        self.loop: asyncio.AbstractEventLoop | None = None
        self.thread = threading.Thread(target=self._run, name="crosscheck-bot", daemon=True)

    def _run(self) -> None:
        self.loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self.loop)
        try:
            serve(self.app, self.settings, stop_signals=None)  # signal handlers belong to the main thread
        except BaseException as exc:  # reported by start()/stop() in the test's thread
            self.error = exc

    def start(self, timeout: float = 60.0) -> RunningBot:
        """Start and wait until the bot is running (polling, or webhook registered)."""
        self.thread.start()
        deadline = time.monotonic() + timeout
        while not self.app.running:
            if self.error or not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"bot did not start: {self.error!r}")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        """Stop the way a signal would, and wait for the shutdown to finish."""
        if self.loop and self.thread.is_alive():
            self.loop.call_soon_threadsafe(self.app.stop_running)
        self.thread.join(30)
        assert not self.thread.is_alive(), "bot did not stop"
        if self.error:
            raise self.error


