"""Commands everyone may use: /start /help /sources /about /new."""

from __future__ import annotations

import asyncio

from telegram import BotCommand, Update
from telegram.ext import Application, CommandHandler, ContextTypes

from bot.prompts import prompts
from bot.telegram.html import escape
from bot.telegram.questions import send_parts
from bot.telegram.state import services
from bot.telegram.views import corpus_sources

# (command, template of its description in the / menu), in menu order.
COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", "telegram.command_start"),
    ("help", "telegram.command_help"),
    ("sources", "telegram.command_sources"),
    ("about", "telegram.command_about"),
    ("new", "telegram.command_new"),
)
TEMPLATES: dict[str, set[str]] = {
    **{key: set() for _, key in COMMANDS},
    "telegram.start": {"name", "subject"},
    "telegram.default_name": set(),
    "telegram.help": {"subject"},
    "telegram.about": {"count"},
    "telegram.new_conversation": set(),
}


def bot_commands() -> list[BotCommand]:
    """The command menu registered with set_my_commands."""
    p = prompts()
    return [BotCommand(name, p.render(key)) for name, key in COMMANDS]


async def _subject(context: ContextTypes.DEFAULT_TYPE) -> str:
    """What the articles cover (BOT_SUBJECT or their titles), escaped for HTML."""
    return escape(await asyncio.to_thread(services(context).engine.subject))


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Greet and say what the bot covers, with example questions."""
    if not update.effective_message:
        return
    p = prompts()
    user = update.effective_user
    name = escape(user.first_name) if user and user.first_name else p.render("telegram.default_name")
    subject = await _subject(context)
    await send_parts(update.effective_message, [p.render("telegram.start", name=name, subject=subject)])


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """What the bot covers, how it answers, three example questions."""
    if update.effective_message:
        subject = await _subject(context)
        await send_parts(update.effective_message, [prompts().render("telegram.help", subject=subject)])


async def sources_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The indexed articles with outlet and date."""
    if update.effective_message:
        metas = await asyncio.to_thread(services(context).engine.sources)
        await send_parts(update.effective_message, corpus_sources(metas))


async def about(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """How answers are built and what the bot cannot do."""
    if update.effective_message:
        metas = await asyncio.to_thread(services(context).engine.sources)
        await send_parts(update.effective_message, [prompts().render("telegram.about", count=len(metas))])


async def new_conversation(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Forget the chat's earlier questions: the next one is not read as a follow-up."""
    if update.effective_message:
        services(context).store.forget(update.effective_message.chat_id)
        await send_parts(update.effective_message, [prompts().render("telegram.new_conversation")])


def register(app: Application) -> None:
    """Add the command handlers."""
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CommandHandler("help", help_command))
    app.add_handler(CommandHandler("sources", sources_command))
    app.add_handler(CommandHandler("about", about))
    app.add_handler(CommandHandler("new", new_conversation))
