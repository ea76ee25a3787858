"""Questions: a text message (in a group, only one that mentions or replies to the bot) → answer.

The engine is CPU-bound, so it runs in a worker thread: one chat's question never stalls another
chat. Within one chat, questions are answered in order so follow-ups see the right history.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import AsyncIterator

from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    MessageEntity,
    ReplyParameters,
    Update,
)
from telegram.constants import ChatAction, ChatType
from telegram.error import TelegramError
from telegram.ext import Application, ContextTypes, MessageHandler, filters

from bot.errors import IndexBusyError, QuestionError
from bot.models import Answer, Turn
from bot.prompts import prompts
from bot.telegram.html import escape
from bot.telegram.state import Services, services
from bot.telegram.views import to_telegram

log = logging.getLogger(__name__)

TYPING_EVERY = 4.5  # seconds; Telegram shows a chat action for about 5 s
TEMPLATES: dict[str, set[str]] = {
    "telegram.button_quotes": set(),
    "telegram.button_sources": set(),
    "telegram.button_compare": set(),
    "telegram.rate_limited": {"seconds"},
    "telegram.index_busy": set(),
}
# Callback data is "<view>:<answer key>": a letter and a 12-character key, far below 64 bytes.
VIEW_CODES = {"quotes": "q", "sources": "s", "compare": "c"}


class AddressedToBot(filters.MessageFilter):
    """Private messages, and group messages that @mention the bot or reply to one of its messages."""

    def filter(self, message: Message) -> bool:
        """True when the bot should treat the message as a question for it."""
        if message.chat.type == ChatType.PRIVATE:
            return True
        bot = message.get_bot()
        replied = message.reply_to_message
        if replied and replied.from_user and replied.from_user.id == bot.id:
            return True
        return _mentions_bot(message, bot)


def _mentions_bot(message: Message, bot: Bot) -> bool:
    name = f"@{bot.username}".lower() if bot.username else None
    for entity, text in message.parse_entities([MessageEntity.MENTION, MessageEntity.TEXT_MENTION]).items():
        if entity.type == MessageEntity.TEXT_MENTION and entity.user and entity.user.id == bot.id:
            return True
        if name and text.lower() == name:
            return True
    return False


def question_text(message: Message, bot_username: str | None) -> str:
    """The message text without the bot's @mention."""
    text = message.text or ""
    if bot_username:
        text = re.sub(rf"@{re.escape(bot_username)}\b", " ", text, flags=re.IGNORECASE)
    return " ".join(text.split())


def answer_keyboard(key: str) -> InlineKeyboardMarkup:
    """[Quotes] [Sources] [Compare] under an answer; each button names the stored answer."""
    p = prompts()
    return InlineKeyboardMarkup([[
        InlineKeyboardButton(p.render(f"telegram.button_{view}"), callback_data=f"{code}:{key}")
        for view, code in VIEW_CODES.items()
    ]])


@contextlib.asynccontextmanager
async def typing(bot: Bot, chat_id: int) -> AsyncIterator[None]:
    """Show "typing…" in the chat until the block ends (re-sent while the work lasts)."""

    async def keep_typing() -> None:
        while True:
            try:
                await bot.send_chat_action(chat_id, ChatAction.TYPING)
            except TelegramError as exc:  # a missing typing indicator must not cost the answer
                log.debug("chat action failed in chat %s: %s", chat_id, exc)
            await asyncio.sleep(TYPING_EVERY)

    task = asyncio.create_task(keep_typing())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


def _answer_and_store(s: Services, chat_id: int, question: str) -> tuple[Answer, str]:
    """Worker-thread part: answer with the chat's history, remember it, store it for the buttons."""
    turns = s.settings.history_turns
    answer = s.engine.ask(question, s.store.history(chat_id, turns))
    s.store.remember(chat_id, answer.turn or Turn(question), turns)
    return answer, s.store.save_answer(answer)


async def send_parts(message: Message, parts: list[str], markup: InlineKeyboardMarkup | None = None) -> list[Message]:
    """Send HTML parts in order, replying to `message` in groups; `markup` goes under the last part."""
    sent: list[Message] = []
    quote = message.chat.type != ChatType.PRIVATE
    for i, part in enumerate(parts):
        reply = ReplyParameters(message.message_id, allow_sending_without_reply=True) if quote and i == 0 else None
        sent.append(await message.get_bot().send_message(
            message.chat_id, part, reply_parameters=reply,
            reply_markup=markup if i == len(parts) - 1 else None,
        ))
    return sent


async def on_question(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a question with quotes, disagreements and buttons."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    s = services(context)
    p = prompts()
    decision = s.limiter.check(user.id)
    if not decision.allowed:
        if decision.warn:
            await send_parts(message, [p.render("telegram.rate_limited", seconds=decision.wait_seconds)])
        return
    try:
        question = s.engine.check_question(question_text(message, context.bot.username))
    except QuestionError as exc:
        await send_parts(message, [escape(str(exc))])
        return
    async with s.chat_lock(message.chat_id), typing(context.bot, message.chat_id):
        try:
            answer, key = await asyncio.to_thread(_answer_and_store, s, message.chat_id, question)
        except QuestionError as exc:
            await send_parts(message, [escape(str(exc))])
            return
        except IndexBusyError:
            await send_parts(message, [p.render("telegram.index_busy")])
            return
    log.info("answered in chat %s: status=%s, %s ms", message.chat_id, answer.status,
             answer.timings_ms.get("total"))
    await send_parts(message, to_telegram(answer), answer_keyboard(key))


def register(app: Application) -> None:
    """Add the question handler (after the command handlers: commands are not questions)."""
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND & AddressedToBot(), on_question))
