"""Dates a source gives by name: the date of its sentence naming the whole subject ("The Lind Act 1870 was an
Act of Parliament"), which answers a when-question for a source that ties no date to the asked verb, or
whose only date next to that verb is someone else's doing ("Victoria passed legislation in 1884").
"""

from __future__ import annotations

from dataclasses import replace

from bot.answering.figures import someone_else
from bot.models import Claim
from bot.text.syntax import SyntaxCache
from bot.text.tokens import raw_words, stem


def done_by_another(c: Claim, subject: frozenset[str], syntax: SyntaxCache) -> bool:
    """The parse names the doer of the date's verb, and it is a name other than the subject's."""
    text = c.evidence.sentence.text
    parse = syntax.get(text)
    return parse is not None and someone_else(text, parse, parse.figure(c.span), subject) is True


def in_a_name(c: Claim, syntax: SyntaxCache) -> bool:
    """The date is written into a name, the way a law or an event is named by its year ("the Lind Act 1870"):
    right after a proper name, or inside a name the recogniser holds together with it."""
    text = c.evidence.sentence.text
    parse = syntax.get(text)
    if parse is None or not c.value.isdigit():
        return False  # a name takes a year, not a day or a span ("Exams 28 Apr 2025" is a timetable)
    a, b = c.span
    after = any(n.span[1] <= a and not text[n.span[1]:a].strip() for n in parse.names)
    inside = any(s < a and b <= e and label not in ("DATE", "CARDINAL") for s, e, label in parse.entities)
    return after or inside


def named_dates(claims: list[Claim], have: set[str], subject: frozenset[str], topic: str) -> list[Claim]:
    """For a source left without a date, the first date of its earliest sentence naming the whole subject
    ("The Lind Act 1870 (...) was an Act of Parliament"): what it says of what was asked, by name."""
    out: dict[str, Claim] = {}
    for c in sorted(claims, key=lambda c: (c.evidence.sentence.idx, c.span[0])):
        src = c.evidence.sentence.source
        if src in have or src in out or not subject:
            continue
        if subject <= {stem(w.lower()) for w in raw_words(c.evidence.sentence.text)}:
            out[src] = replace(c, topic=topic, event=())
    return list(out.values())


__all__ = ["done_by_another", "in_a_name", "named_dates"]
