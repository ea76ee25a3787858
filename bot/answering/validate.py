"""Is a question usable as given? The one check the engine, the bot and the test doubles all apply."""

from __future__ import annotations

import re
import unicodedata

from bot.errors import QuestionError
from bot.prompts import Prompts

_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\u200b\u200c\u200d\u2060\ufeff]")


def check_question(question: str, max_chars: int, p: Prompts) -> str:
    """The question, trimmed; QuestionError (with a message for the user) when unusable."""
    q = " ".join(_INVISIBLE.sub(lambda m: "" if m[0] in _ZERO_WIDTH else " ", question or "").split())
    if not q:
        raise QuestionError(p.render("answer.no_words" if (question or "").strip() else "answer.empty_question"))
    if any("\ud800" <= c <= "\udfff" for c in q):  # undecodable bytes (surrogate-escaped argv or stdin)
        raise QuestionError(p.render("answer.not_text"))
    if len(q) > max_chars:
        raise QuestionError(p.render("answer.too_long", limit=max_chars, length=len(q)))
    if not any(unicodedata.category(c)[0] in "LN" for c in q):  # symbols, emoji, punctuation only
        raise QuestionError(p.render("answer.no_words"))
    return q
