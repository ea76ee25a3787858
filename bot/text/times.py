"""Times of day in a sentence ("9:15 p.m.", "19:15 GMT", "9 p.m. local time") as comparable values.

A time is read where its form says it is one: hours and minutes joined by a colon, or an hour with
a.m. / p.m. Its norm is (minutes after midnight, zone): the zone is "UTC" when the sentence names
universal time (GMT, UTC), "" otherwise (local time, or none said). Two times in different zones
cannot be compared without the place's offset, which the articles rarely give: they do not disagree.
"""

from __future__ import annotations

import re
from functools import lru_cache

from bot.text.values import ASKED, Value
from bot.text.vocab import APPROX_TIME_WORDS, TIME_WORDS, UTC_NAMES

_AMPM = r"(?P<ampm>[ap])\.?\s?m\.?(?![\w])"
_ZONE = r"(?:\s*(?:(?P<utc>%s)\b|local\s+time\b))?" % "|".join(UTC_NAMES)
_TIME = re.compile(
    r"(?<![\w:.,])(?:(?P<h>[01]?\d|2[0-3]):(?P<m>[0-5]\d)(?:\s*%s)?|(?P<h2>1[0-2]|0?[1-9])(?:[.:](?P<m2>[0-5]\d))?\s*%s)%s"
    % (_AMPM, _AMPM.replace("ampm", "ampm2"), _ZONE),
    re.I,
)
_NAMED = re.compile(r"\b(%s)\b" % "|".join(TIME_WORDS), re.I)  # "before midnight"
_BEFORE = re.compile(r"\b(%s)\s+(?:at\s+)?$" % "|".join(re.escape(w) for w in APPROX_TIME_WORDS), re.I)


def find_times(text: str) -> list[Value]:
    """Every time of day written in the text, in order."""
    return list(_find_times(text))


@lru_cache(maxsize=4096)
def _find_times(text: str) -> tuple[Value, ...]:
    out = []
    for m in _TIME.finditer(text):
        hour = int(m.group("h") or m.group("h2"))
        minute = int(m.group("m") or m.group("m2") or 0)
        ampm = (m.group("ampm") or m.group("ampm2") or "").lower()
        if ampm == "p" and hour < 12:
            hour += 12
        elif ampm == "a" and hour == 12:
            hour = 0  # 12:30 a.m. is half past midnight
        zone = "UTC" if m.group("utc") else ""
        approx = _BEFORE.search(text, 0, m.start()) is not None
        out.append(Value("time", m.group().strip(), (hour * 60 + minute, zone), "approx" if approx else "exact",
                         (m.start(), m.start() + len(m.group().rstrip())), ASKED))
    for m in _NAMED.finditer(text):
        # a word is a vaguer time than a figure: "shortly before midnight" is stated whole
        q = _BEFORE.search(text, 0, m.start())
        start = q.start(1) if q is not None else m.start()
        out.append(Value("time", text[start:m.end()], (TIME_WORDS[m.group().lower()], ""), "approx" if q else "exact",
                         (start, m.end()), ASKED))
    return tuple(sorted(out, key=lambda v: v.span))


def same_moment(a: tuple[int, str], b: tuple[int, str]) -> bool:
    """Two times can be the same moment: equal in one zone, or given in different zones (offset unknown)."""
    return a[1] != b[1] or a[0] == b[0]


__all__ = ["find_times", "same_moment"]
