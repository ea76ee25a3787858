"""The duplicate a retried send can leave, found and deleted where the Bot API allows it.

The Bot API has no idempotency key and no way to read a chat. When a sendMessage is retried after
a failure that may have happened *after* Telegram accepted it (the connection dropped while waiting
for the answer, a read timeout), the first copy may be in the chat with an id we never saw. What
the API does allow: `editMessageText` with exactly the content a message already has fails with
"message is not modified" only for our own message with that content; it fails with "message to
edit not found" / "message can't be edited" for an id in another chat or a user's message, and
changes nothing. So after the retry succeeds (message id M), ids below M are probed with the same
content, nearest first, down to the last message the bot is known to have sent in the chat; the
first "not modified" is the earlier copy, and it is deleted.

Probing never edits a message of ours with other content, because only ids above the last message
the bot is known to have sent in this chat are probed (a chat's updates are handled one at a time,
so nothing else of ours can be there), and not at all when an earlier send in the chat has an
unknown outcome (a crash mid-send). What remains: an earlier copy more than MAX_PROBES unknown ids
below M (a busy bot: private chats share one id sequence), a first attempt Telegram processes only
after the retry, and sends other than sendMessage.
"""

from __future__ import annotations

import json
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any

from telegram.request import RequestData
from telegram.request._requestparameter import RequestParameter  # the one way to build RequestData

log = logging.getLogger(__name__)

MAX_PROBES = 12  # editMessageText calls per suspected duplicate (each one is an API call)
_EDIT_KEYS = ("chat_id", "text", "parse_mode", "entities", "reply_markup", "link_preview_options")
Call = Callable[[str, RequestData], Awaitable[tuple[int, bytes]]]


class SeenIds:
    """Message ids of private chats this process has seen (its own sends, incoming questions).

    Telegram numbers all private chats of an account in one sequence: an id seen in another chat
    cannot be the lost copy, so the probe skips it instead of spending a call on it.
    """

    def __init__(self, keep: int = 20_000) -> None:
        self._ids: set[int] = set()
        self._order: deque[int] = deque()
        self._keep = keep
        self.highest_sent = 0  # the highest id among our own sends whose answer came back

    def add(self, message_id: int, ours: bool = False) -> None:
        """Remember one id (the oldest are forgotten beyond `keep`)."""
        if ours:
            self.highest_sent = max(self.highest_sent, message_id)
        if message_id in self._ids:
            return
        self._ids.add(message_id)
        self._order.append(message_id)
        while len(self._order) > self._keep:
            self._ids.discard(self._order.popleft())

    def __contains__(self, message_id: object) -> bool:
        return message_id in self._ids


def _data(params: dict[str, Any]) -> RequestData:
    return RequestData([RequestParameter.from_input(k, v) for k, v in params.items()])


def _description(payload: bytes) -> str:
    try:
        return str(json.loads(payload).get("description", ""))
    except (ValueError, AttributeError):
        return ""


def message_id_of(payload: bytes) -> int | None:
    """The message id in a send's answer, or None."""
    try:
        result = json.loads(payload).get("result")
    except (ValueError, AttributeError):
        return None
    return result.get("message_id") if isinstance(result, dict) else None


async def remove_earlier_copies(call: Call, base_url: str, sent: dict[str, Any], kept_id: int, floor: int,
                                seen: SeenIds | None = None, copies: int = 1) -> list[int]:
    """Find up to `copies` earlier copies of a message just sent again (as `kept_id`) and delete them.

    `sent`: the sendMessage parameters; `floor`: no id at or below it is probed. Returns the ids deleted.
    """
    deleted: list[int] = []
    edit = {k: sent[k] for k in _EDIT_KEYS if k in sent}
    chat_id = sent.get("chat_id")
    private = isinstance(chat_id, int) and chat_id > 0
    probes = 0
    for candidate in range(kept_id - 1, floor, -1):
        if probes >= MAX_PROBES:
            break
        if private and seen is not None and candidate in seen:
            continue
        probes += 1
        code, payload = await call(f"{base_url}/editMessageText", _data({**edit, "message_id": candidate}))
        if code == 200:  # cannot happen by construction (see the module docstring); say so loudly
            log.error("probing for a duplicate edited message %s in chat %s; stopped", candidate, chat_id)
            return deleted
        if "message is not modified" not in _description(payload):
            continue
        code, payload = await call(f"{base_url}/deleteMessage", _data({"chat_id": chat_id, "message_id": candidate}))
        if code == 200 or "message to delete not found" in _description(payload):  # gone (a retried delete)
            log.info("chat %s: message %s was a copy of %s sent before a retry; deleted", chat_id, candidate, kept_id)
            deleted.append(candidate)
            if len(deleted) >= copies:
                return deleted
            continue
        log.warning("chat %s: could not delete the duplicate %s: %s", chat_id, candidate, _description(payload))
        return deleted
    log.info("chat %s: %d of up to %d earlier copies of message %s found in %d probe(s)", chat_id, len(deleted),
             copies, kept_id, probes)
    return deleted
