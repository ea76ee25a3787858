"""Follow-up questions: read "and how many were injured?" in the light of the conversation so far."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.text.tokens import STOPWORDS, stem, words

_LEADS = re.compile(
    r"^\s*(and|but|also|so|then|what about|how about|and what about|and how about|same for|ok,?|okay,?)\b[\s,]*",
    re.IGNORECASE,
)
_PRONOUNS = frozenset("it its they them their theirs he him his she her this that these those there".split())
_WH = frozenset("who whom whose what when where why how which".split())


@dataclass(frozen=True)
class Resolved:
    """A question as asked, and as understood in its conversation."""

    asked: str
    core: str  # the question without a leading "and"/"what about"
    context: str  # words carried over from the earlier question ("" when it stands alone)
    previous: str  # the earlier (resolved) question it follows, or ""

    @property
    def text(self) -> str:
        """The resolved question as one line, kept in the chat's history."""
        return f"{self.core} ({self.context})" if self.context else self.core

    @property
    def query(self) -> str:
        """What retrieval searches for."""
        return f"{self.core} {self.context}".strip()


def _carry_over(previous: str, current_words: set[str]) -> str:
    """Content words of the earlier question that the follow-up leaves implicit."""
    kept = []
    for w in re.findall(r"[\w'’\-]+", previous.split(" (")[0]) + re.findall(r"\(([^)]*)\)", previous):
        lw = w.lower()
        if lw in STOPWORDS or lw in _WH or lw in current_words or stem(lw) in current_words or w in kept:
            continue
        kept.append(w)
    return " ".join(kept)


def is_follow_up(question: str) -> bool:
    """True when the question leans on an earlier one (leading "and", a bare pronoun, or a fragment)."""
    if _LEADS.match(question):
        return True
    ws = words(question)
    if any(w in _PRONOUNS for w in ws) and not any(t[:1].isupper() for t in question.split()[1:]):
        return True
    content = [w for w in ws if w not in STOPWORDS and w not in _WH]
    return len(content) <= 1 and not any(w in _WH for w in ws)


def resolve(question: str, history: Sequence[str] = (), previous_focus: frozenset[str] = frozenset()) -> Resolved:
    """Resolve a question against the conversation's earlier (resolved) questions, most recent last.

    `previous_focus` are the stems the earlier question asked about ("die", "kill"); when the
    follow-up names its own subject they are dropped, so "and how many were injured?" searches
    for injuries in the same event rather than for deaths again.
    """
    q = " ".join(question.split())
    core = _LEADS.sub("", q).strip() or q
    if not history or not is_follow_up(q):
        return Resolved(asked=q, core=q, context="", previous="")
    previous = history[-1]
    own = {w for w in words(core) if w not in STOPWORDS and w not in _WH}
    drop = set(words(core)) | {stem(w) for w in words(core)} | (set(previous_focus) if own else set())
    context = _carry_over(previous, drop)
    return Resolved(asked=q, core=core, context=context, previous=previous)
