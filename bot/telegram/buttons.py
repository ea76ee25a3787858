"""The buttons under an answer: [Quotes] [Sources] [Compare].

Callback data names a view and a stored answer ("q:<key>"); the answer comes back from the
SQLite store, so the buttons of an answer sent before a restart still work. Every press is
acknowledged with query.answer(), or Telegram keeps a spinner on the button.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from telegram import ReplyParameters, Update
from telegram.error import BadRequest
from telegram.ext import Application, CallbackQueryHandler, ContextTypes

from bot.models import Answer
from bot.prompts import prompts
from bot.telegram.questions import VIEW_CODES
from bot.telegram.state import services
from bot.telegram.views import compare_view, quotes_view, sources_view

log = logging.getLogger(__name__)

TEMPLATES: dict[str, set[str]] = {"telegram.button_expired": set()}
VIEWS: dict[str, Callable[[Answer], list[str]]] = {
    VIEW_CODES["quotes"]: quotes_view,
    VIEW_CODES["sources"]: sources_view,
    VIEW_CODES["compare"]: compare_view,
}
_PATTERN = rf"^[{''.join(VIEWS)}]:"


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Show the view a button asks for, as new messages replying to the answer."""
    query = update.callback_query
    if query is None:
        return
    code, _, key = (query.data or "").partition(":")
    answer = services(context).store.load_answer(key) if code in VIEWS else None
    if answer is None:
        # Telegram shows this text as a small notice; it is plain text, not HTML.
        await query.answer(prompts().render("telegram.button_expired"))
        return
    try:
        await query.answer()
    except BadRequest as exc:  # too old (e.g. finished after a restart): the view is still worth sending
        log.info("button press could not be acknowledged: %s", exc)
    chat_id = query.message.chat.id if query.message else query.from_user.id
    reply = ReplyParameters(query.message.message_id, allow_sending_without_reply=True) if query.message else None
    for i, part in enumerate(VIEWS[code](answer)):
        await context.bot.send_message(chat_id, part, reply_parameters=reply if i == 0 else None)


async def on_unknown_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A press with callback data this bot does not know (an old layout): still acknowledge it."""
    if update.callback_query:
        await update.callback_query.answer(prompts().render("telegram.button_expired"))


def register(app: Application) -> None:
    """Add the button handlers; the catch-all goes last so every press gets an answer."""
    app.add_handler(CallbackQueryHandler(on_button, pattern=_PATTERN))
    app.add_handler(CallbackQueryHandler(on_unknown_button))
