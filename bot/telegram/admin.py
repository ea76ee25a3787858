"""Admin actions: /refresh, and sending an article file (.md, .txt, .html) to add it.

Only user ids in BOT_ADMIN_IDS may change the corpus; anyone else is told why not. Indexing
runs in a worker thread, like answering.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from telegram import Update
from telegram.ext import (
    Application,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.errors import ArticleError, IndexBusyError
from bot.prompts import prompts
from bot.render import source_label
from bot.telegram.html import escape
from bot.telegram.questions import send_parts, typing
from bot.telegram.state import services

if TYPE_CHECKING:  # bot.ingest.refresh pulls in Chroma; only the report type is needed here
    from bot.ingest.refresh import RefreshReport

log = logging.getLogger(__name__)

# Checked before downloading (Telegram lets bots fetch up to 20 MB); the engine checks again.
MAX_UPLOAD_BYTES = 2_000_000
TEMPLATES: dict[str, set[str]] = {
    "telegram.not_admin": set(),
    "telegram.refresh_started": set(),
    "telegram.refresh_report": {"added", "updated", "removed", "unchanged", "chunks"},
    "telegram.refresh_unchanged": {"unchanged"},
    "telegram.report_added": {"names"},
    "telegram.report_updated": {"names"},
    "telegram.report_removed": {"names"},
    "telegram.report_error": {"source", "reason"},
    "telegram.upload_received": {"name"},
    "telegram.upload_added": {"title", "source", "name"},
    "telegram.upload_updated": {"name"},
    "telegram.upload_unchanged": {"name"},
    "telegram.upload_rejected": {"name", "reason"},
    "telegram.upload_too_big": {"name", "limit_kb"},
    "telegram.index_busy": set(),
}


def _is_admin(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    user = update.effective_user
    return user is not None and user.id in services(context).settings.admin_id_set


def _error_lines(errors: Sequence[ArticleError]) -> list[str]:
    """Files a refresh could not read, with the reason, one line each."""
    p = prompts()
    return [p.render("telegram.report_error", source=escape(e.source), reason=escape(e.reason)) for e in errors]


def _report_lines(report: RefreshReport) -> list[str]:
    """Which articles changed and which could not be read, one line each."""
    p = prompts()
    lines = []
    for key, names in (("report_added", report.added_sources), ("report_updated", report.updated_sources),
                       ("report_removed", report.removed_sources)):
        if names:
            lines.append(p.render(f"telegram.{key}", names=escape(", ".join(names))))
    return lines + _error_lines(report.errors)


def describe_refresh(report: RefreshReport) -> str:
    """The reply to /refresh: counts, then the names of what changed."""
    p = prompts()
    if report.changed:
        head = p.render("telegram.refresh_report", added=report.added, updated=report.updated,
                        removed=report.removed, unchanged=report.unchanged, chunks=report.chunks_embedded)
    else:
        head = p.render("telegram.refresh_unchanged", unchanged=report.unchanged)
    return "\n".join([head, *_report_lines(report)])


async def refresh(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/refresh: bring the index in line with the corpus directory and say what changed."""
    message = update.effective_message
    if message is None:
        return
    p = prompts()
    if not _is_admin(update, context):
        await send_parts(message, [p.render("telegram.not_admin")])
        return
    await send_parts(message, [p.render("telegram.refresh_started")])
    try:
        async with typing(context.bot, message.chat_id):
            report = await asyncio.to_thread(services(context).engine.refresh)
    except IndexBusyError:
        await send_parts(message, [p.render("telegram.index_busy")])
        return
    log.info("refresh by admin %s: %s", update.effective_user.id if update.effective_user else "?", report.to_json())
    await send_parts(message, [describe_refresh(report)])


async def upload(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A document from an admin in a private chat: validate, save into the corpus, index."""
    message = update.effective_message
    if message is None or message.document is None:
        return
    p = prompts()
    doc = message.document
    name = Path((doc.file_name or "article").replace("\\", "/")).name
    if not _is_admin(update, context):
        await send_parts(message, [p.render("telegram.not_admin")])
        return
    if doc.file_size and doc.file_size > MAX_UPLOAD_BYTES:
        await send_parts(message, [p.render("telegram.upload_too_big", name=escape(name),
                                            limit_kb=MAX_UPLOAD_BYTES // 1000)])
        return
    await send_parts(message, [p.render("telegram.upload_received", name=escape(name))])
    s = services(context)
    async with typing(context.bot, message.chat_id):
        data = bytes(await (await doc.get_file()).download_as_bytearray())
        try:
            report = await asyncio.to_thread(s.engine.add_article, name, data)
        except ArticleError as exc:
            await send_parts(message, [p.render("telegram.upload_rejected", name=escape(name), reason=escape(exc.reason))])
            return
        except IndexBusyError:
            await send_parts(message, [p.render("telegram.index_busy")])
            return
        metas = {m.source: m for m in await asyncio.to_thread(s.engine.sources)}
    log.info("article %r uploaded by admin %s: %s", name, update.effective_user.id if update.effective_user else "?",
             report.to_json())
    lines = []
    for source in report.added_sources:
        meta = metas.get(source)
        title = meta.title if meta else source
        label = source_label(meta.outlet, meta.published, "", p) if meta else ""
        lines.append(p.render("telegram.upload_added", title=escape(title), source=escape(label), name=escape(source)))
    lines += [p.render("telegram.upload_updated", name=escape(src)) for src in report.updated_sources]
    if not lines:
        lines.append(p.render("telegram.upload_unchanged", name=escape(name)))
    lines += _error_lines(report.errors)
    await send_parts(message, ["\n".join(lines)])


def register(app: Application) -> None:
    """Add /refresh and the document handler."""
    app.add_handler(CommandHandler("refresh", refresh))
    # Private chats only: in a group, members share files with each other, not with the bot.
    app.add_handler(MessageHandler(filters.Document.ALL & filters.ChatType.PRIVATE, upload))
