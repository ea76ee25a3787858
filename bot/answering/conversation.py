"""Follow-up questions: read "and how many were injured?" in the light of the conversation so far."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.models import Turn
from bot.text.tokens import STOPWORDS, WH_WORDS, stem, words
from bot.text.vocab import FOLLOW_UP_OPENERS, PRONOUNS

# A follow-up opens with one of these ("and how many were injured?"), tried in their listed order.
_LEADS = re.compile(
    r"^\s*(" + "|".join(re.escape(p).replace(r"\ ", r"\s") for p in FOLLOW_UP_OPENERS) + r")\b[\s,]*",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Resolved:
    """A question as asked, and as understood in its conversation."""

    asked: str
    core: str  # the question without a leading "and"/"what about"
    context: str  # words carried over from the earlier question ("" when it stands alone)
    previous: Turn | None  # the earlier turn it follows, or None

    @property
    def turn(self) -> Turn:
        """What the conversation keeps of this question for the next follow-up."""
        return Turn(self.core, self.context)

    @property
    def query(self) -> str:
        """What retrieval searches for."""
        return f"{self.core} {self.context}".strip()


def _carry_over(previous: Turn, current_words: set[str]) -> str:
    """Content words of the earlier question that the follow-up leaves implicit."""
    kept: list[str] = []
    for w in words(previous.question) + ([previous.context] if previous.context else []):
        if w in STOPWORDS or w in WH_WORDS or w in current_words or stem(w) in current_words or w in kept:
            continue
        kept.append(w)
    return " ".join(kept)


def is_follow_up(question: str) -> bool:
    """True when the question leans on an earlier one (leading "and", a bare pronoun, or a fragment)."""
    if _LEADS.match(question):
        return True
    ws = words(question)
    if any(w in PRONOUNS for w in ws) and not any(t[:1].isupper() for t in question.split()[1:]):
        return True
    content = [w for w in ws if w not in STOPWORDS and w not in WH_WORDS]
    return len(content) <= 1 and not any(w in WH_WORDS for w in ws)


def resolve(question: str, history: Sequence[Turn] = (), previous_focus: frozenset[str] = frozenset()) -> Resolved:
    """Resolve a question against the conversation's earlier turns, most recent last.

    `previous_focus` are the stems the earlier question asked about ("die", "kill"); when the
    follow-up names its own subject they are dropped, so "and how many were injured?" searches
    for injuries in the same event rather than for deaths again.
    """
    q = " ".join(question.split())
    core = _LEADS.sub("", q).strip() or q
    if not history or not is_follow_up(q):
        return Resolved(asked=q, core=q, context="", previous=None)
    previous = history[-1]
    own = {w for w in words(core) if w not in STOPWORDS and w not in WH_WORDS}
    drop = set(words(core)) | {stem(w) for w in words(core)} | (set(previous_focus) if own else set())
    context = _carry_over(previous, drop)
    return Resolved(asked=q, core=core, context=context, previous=previous)
