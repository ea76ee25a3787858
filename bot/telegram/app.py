"""The Telegram bot: builds the python-telegram-bot Application and runs it.

    python -m bot serve         # long polling; webhook mode when TELEGRAM_WEBHOOK_URL is set

Needs TELEGRAM_BOT_TOKEN (from @BotFather). The answer engine is built in post_init (building
the index first if there is none) and closed in post_shutdown. Handlers live in
bot/telegram/commands.py, telegram_questions.py, telegram_buttons.py and telegram_admin.py.
"""

from __future__ import annotations

import asyncio
import html
import logging
import re
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import quote, urlparse

from telegram import LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    Forbidden,
    InvalidToken,
    NetworkError,
    TelegramError,
)
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    ContextTypes,
    Defaults,
)
from telegram.request import BaseRequest

from bot.config import Settings
from bot.errors import ConfigError, CrosscheckError
from bot.prompts import prompts
from bot.telegram import admin as telegram_admin
from bot.telegram import buttons as telegram_buttons
from bot.telegram import commands as telegram_commands
from bot.telegram import questions as telegram_questions
from bot.telegram.delivery import (
    ChatOrderedProcessor,
    Inbox,
    InboxQueue,
    InboxRequest,
    RetryingRequest,
    keep_pending,
    replay_pending,
)
from bot.telegram.duplicates import SeenIds
from bot.telegram.state import SERVICES_KEY, ChatStore, Engine, Services, UserRateLimit
from bot.telegram.views import check_templates

log = logging.getLogger(__name__)

EngineFactory = Callable[[Settings], Engine]
STATE_FILE = "telegram.sqlite3"
INBOX_KEY = "crosscheck.inbox"
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY]
_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")  # what Telegram accepts as a webhook secret token


def default_engine(settings: Settings) -> Engine:
    """The real answer engine, with its index built if there is none yet."""
    from bot.answering import warmup

    warmup.start(settings.embed_threads)
    from bot.answering.engine import (
        AnswerEngine,  # heavy (Chroma, the embedder): imported when the bot starts
    )

    engine = AnswerEngine(settings)
    engine.ensure_index()
    engine.load()  # loads the live index now, so the first reader does not wait for it
    return engine


def check_settings(settings: Settings) -> None:
    """Refuse to start without a token, or in webhook mode without a usable secret."""
    if not settings.telegram_bot_token.strip():
        raise ConfigError(
            "TELEGRAM_BOT_TOKEN is not set: create a bot with @BotFather in Telegram and put its token in .env "
            "(TELEGRAM_BOT_TOKEN=123456:ABC...) or in the environment"
        )
    if settings.telegram_webhook_url:
        if not settings.telegram_webhook_secret:
            raise ConfigError(
                "TELEGRAM_WEBHOOK_URL is set but TELEGRAM_WEBHOOK_SECRET is not: webhook mode needs a secret "
                "(1-256 characters A-Z a-z 0-9 _ -) so that only Telegram can post updates"
            )
        if not _SECRET.fullmatch(settings.telegram_webhook_secret):
            raise ConfigError("TELEGRAM_WEBHOOK_SECRET may only use A-Z a-z 0-9 _ - and be 1-256 characters long")
        if urlparse(settings.telegram_webhook_url).scheme not in ("http", "https"):
            raise ConfigError("TELEGRAM_WEBHOOK_URL must be a full URL such as https://example.org/crosscheck")


def check_prompts() -> None:
    """Fail at start-up when a template the bot uses is missing or takes other values."""
    check_templates()
    p = prompts()
    for module in (telegram_questions, telegram_buttons, telegram_commands, telegram_admin):
        p.require(module.TEMPLATES)
    p.require({"telegram.error": set(), "answer.no_words": set(), "answer.not_text": set(),
               "answer.unread_script": set()})


_TOKENS: set[str] = set()
_factory_lock = threading.Lock()
_factory_installed = False


def _safe_repr(value: Any) -> str:
    try:
        return repr(value)
    except Exception:  # a repr that raises must not stop the record from being redacted
        return f"<{type(value).__name__} object>"


def _redact(text: str) -> str:
    for token in list(_TOKENS):
        text = text.replace(token, "<token>")
    return text


def _scrub(record: logging.LogRecord) -> None:
    """Replace any registered token in a record's message, stack and traceback text.

    The message is formatted here, once; a record whose arguments do not fit its format string is
    turned into a plain description of both (redacted too), so no later handler formats the raw
    arguments, and logging's own "--- Logging error ---" report never prints them.
    """
    try:
        message = record.getMessage()
    except Exception as exc:
        message = (f"(log record could not be formatted: {type(exc).__name__}) msg={_safe_repr(record.msg)} "
                   f"args={_safe_repr(record.args)}")
    record.msg, record.args = _redact(message), None
    if record.stack_info:
        record.stack_info = _redact(record.stack_info)
    if record.exc_info:
        try:
            text = logging.Formatter().formatException(record.exc_info)
        except Exception as exc:
            text = f"(traceback could not be formatted: {type(exc).__name__})"
        record.exc_text = _redact(text)  # formatters use exc_text when it is set
        if any(t in _safe_repr(record.exc_info[1]) for t in _TOKENS):
            record.exc_info = None  # exc_text above still carries the (redacted) traceback


def install_log_redaction(token: str) -> None:
    """Keep the token out of every log record from now on; quiet httpx's per-request INFO lines.

    python-telegram-bot logs the API URL (which contains the token) at DEBUG when the bot is
    built, and httpx logs request URLs at INFO. Records are scrubbed when they are created, so
    every handler, including ones added later, only ever sees "<token>".
    """
    global _factory_installed
    logging.getLogger("httpx").setLevel(logging.WARNING)
    with _factory_lock:
        if token:
            _TOKENS.update({token, quote(token, safe=""), quote(token)})  # as is, and as URLs carry it
        if _factory_installed:
            return
        previous = logging.getLogRecordFactory()

        def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
            record = previous(*args, **kwargs)
            if _TOKENS:
                _scrub(record)
            return record

        logging.setLogRecordFactory(factory)
        _factory_installed = True


def remove_log_redaction(token: str) -> None:
    """Stop redacting a token (tests run several bots in one process)."""
    with _factory_lock:
        _TOKENS.difference_update({token, quote(token, safe=""), quote(token)})


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the error with what was being handled; tell the user something went wrong, nothing more."""
    err = context.error
    if update is None and isinstance(err, NetworkError):  # fetching updates failed; the updater retries
        log.warning("fetching updates failed (retrying): %s", err)
        return
    if isinstance(err, Forbidden):  # blocked by the user or removed from the group: nobody to tell
        log.info("cannot write to a chat any more: %s", err)
        return
    where = ""
    if isinstance(update, Update):
        chat, user = update.effective_chat, update.effective_user
        kind = "button" if update.callback_query else "message"
        where = f" (update {update.update_id}, {kind}, chat {chat.id if chat else '?'}, user {user.id if user else '?'})"
    inbox: Inbox | None = context.application.bot_data.get(INBOX_KEY)
    if isinstance(update, Update) and inbox is not None and inbox.delivered(update.update_id):
        # The answer (or part of it) went out: an apology now would contradict it.
        log.error("error after the reply was sent%s", where, exc_info=err)
        return
    if isinstance(update, Update) and isinstance(err, NetworkError) and not isinstance(err, BadRequest):
        # Telegram could not be reached even after retries: keep the update and answer it at the next start.
        log.warning("Telegram unreachable while handling%s: %s; kept for the next start", where, err)
        keep_pending()
        return
    log.error("error while handling an update%s", where, exc_info=err)
    if not isinstance(update, Update):
        return
    text = prompts().render("telegram.error")
    if update.callback_query:
        try:  # stops the button's spinner; fails harmlessly when the press was already answered
            await update.callback_query.answer(html.unescape(re.sub(r"<[^>]+>", "", text))[:200])
        except TelegramError as exc:
            log.debug("callback query already answered or expired: %s", exc)
    if update.effective_chat:
        try:
            await context.bot.send_message(update.effective_chat.id, text)
        except TelegramError as exc:  # the error may be that Telegram cannot be reached at all
            log.warning("could not tell the user about the error: %s", exc)


def _file_url(base_url: str) -> str:
    """Telegram serves files under /file/bot<token>/ next to /bot<token>/."""
    return re.sub(r"/bot$", "/file/bot", base_url.rstrip("/"))


def build_application(
    settings: Settings,
    engine_factory: EngineFactory = default_engine,
    clock: Callable[[], float] = time.monotonic,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
    remove_duplicates: bool = True,
) -> Application:
    """The Application with handlers, defaults, rate limiting and start-up/shutdown hooks.

    `remove_duplicates=False` turns off the search for copies left by retried sends (bench/load.py
    measures the window with and without it).
    """
    check_settings(settings)
    check_prompts()
    install_log_redaction(settings.telegram_bot_token.strip())  # building the bot logs its URL
    # Updates are kept here before Telegram is told they arrived, and what was sent for each.
    inbox = Inbox(settings.data_dir / STATE_FILE)
    seen = SeenIds()  # message ids of private chats, shared by the processor and the duplicate search

    async def post_init(app: Application) -> None:
        # Building the engine may build the index (seconds to minutes): keep the loop free.
        engine = await asyncio.to_thread(engine_factory, settings)
        store = ChatStore(settings.data_dir / STATE_FILE)
        app.bot_data[SERVICES_KEY] = Services(settings, engine, store, UserRateLimit(settings.user_rate_per_minute, clock))
        await app.bot.set_my_commands(telegram_commands.bot_commands())
        await replay_pending(app, inbox)  # before polling starts: the oldest updates are finished first
        log.info("bot @%s ready", app.bot.username)

    async def post_shutdown(app: Application) -> None:
        s: Services | None = app.bot_data.pop(SERVICES_KEY, None)
        if s is not None:
            s.store.close()
            close = getattr(s.engine, "close", None)
            if callable(close):
                close()
        inbox.close()

    builder = (
        ApplicationBuilder()
        .token(settings.telegram_bot_token.strip())
        .defaults(Defaults(parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True)))
        # Telegram's flood limits (30 messages/s, 20/min per group); retry after a 429 instead of losing a reply.
        .rate_limiter(AIORateLimiter(max_retries=3))
        # Concurrent across chats, in order within a chat; each update handled once, then marked done.
        .concurrent_updates(ChatOrderedProcessor(inbox, seen=seen))
        .post_init(post_init)
        .post_shutdown(post_shutdown)
    )
    if settings.telegram_webhook_url:  # the webhook answers 200 only once the update is in the inbox
        builder = builder.update_queue(InboxQueue(inbox))
    if settings.telegram_base_url:
        builder = builder.base_url(settings.telegram_base_url).base_file_url(_file_url(settings.telegram_base_url))
    if request is None:  # retries 5xx/timeouts/dropped connections; sends each reply at most once
        request = RetryingRequest(inbox, seen=seen, remove_duplicates=remove_duplicates)
        get_updates_request = get_updates_request or InboxRequest(inbox, connection_pool_size=1)
    builder = builder.request(request).get_updates_request(get_updates_request or request)
    app = builder.build()
    app.bot_data[INBOX_KEY] = inbox
    # Order matters: commands and the admin document handler come before the catch-all text
    # handler for questions.
    telegram_commands.register(app)
    telegram_admin.register(app)
    telegram_buttons.register(app)
    telegram_questions.register(app)
    app.add_error_handler(on_error)
    return app


class _QuietNetworkErrors(logging.Filter):
    """Drop python-telegram-bot's ERROR records (with tracebacks) about a failed network call.

    Our own code reports these: `serve` turns a start-up failure into one line, the error handler
    logs a failed poll in one line, and RetryingRequest logs each retry. `--verbose` keeps them.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        unreadable = isinstance(exc, ValueError) and record.name.endswith("BaseRequest")  # a proxy's 5xx page
        if unreadable or (isinstance(exc, NetworkError) and not isinstance(exc, BadRequest)):
            return logging.getLogger("bot").isEnabledFor(logging.DEBUG)
        return True


_QUIET = _QuietNetworkErrors()
_PTB_LOGGERS = ("telegram.ext", "telegram.ext.Updater", "telegram.ext.Application", "telegram.ext.ExtBot",
                "telegram.Bot", "telegram.ext._utils.networkloop", "telegram.request.BaseRequest")


def serve(app: Application, settings: Settings, stop_signals: Sequence[int] | None | Any = ...) -> None:
    """Run a built application until stopped: webhook mode when TELEGRAM_WEBHOOK_URL is set, else long polling.

    The token is kept out of the logs, and the start-up failures a user can fix (a rejected token, Telegram unreachable) become CrosscheckErrors with a plain message.
    """
    token = settings.telegram_bot_token.strip()
    extra: dict[str, Any] = {} if stop_signals is ... else {"stop_signals": stop_signals}
    install_log_redaction(token)
    for name in _PTB_LOGGERS:
        if _QUIET not in logging.getLogger(name).filters:
            logging.getLogger(name).addFilter(_QUIET)
    try:
        if settings.telegram_webhook_url:
            path = urlparse(settings.telegram_webhook_url).path.strip("/")
            log.info("webhook mode: listening on %s:%s/%s", settings.telegram_webhook_listen,
                     settings.telegram_webhook_port, path)
            app.run_webhook(
                listen=settings.telegram_webhook_listen, port=settings.telegram_webhook_port, url_path=path,
                webhook_url=settings.telegram_webhook_url, secret_token=settings.telegram_webhook_secret,
                allowed_updates=ALLOWED_UPDATES, **extra,
            )
        else:
            log.info("long polling")
            app.run_polling(allowed_updates=ALLOWED_UPDATES, **extra)
    except InvalidToken:
        # PTB's message quotes the token; say what to do instead.
        raise ConfigError("Telegram rejected TELEGRAM_BOT_TOKEN: copy the token again from @BotFather") from None
    except NetworkError as exc:
        raise CrosscheckError(f"cannot reach the Telegram Bot API: {str(exc).replace(token, '<token>')}") from None


def run(settings: Settings) -> None:
    """Build and run the bot (`python -m bot serve`)."""
    serve(build_application(settings), settings)
