"""Sentence → dates: "22 March", "March 7", "early March", "2021", "the 1990s", "from 1979 to 1989", "Friday",
"148 BC", "the fall of 2010".

Each date carries the topic family it is read next to (as counts and years in bot/text/values.py do);
its norm is (year, month, day, weekday) with None for what the text leaves unsaid.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache

from bot.text.numbers import qualifier_before
from bot.text.tokens import lex
from bot.text.values import ERA_AFTER, ERA_BEFORE, Value, anchor_family, dash_end, nearest_topic
from bot.text.vocab import ERAS_BEFORE_CHRIST, MONTHS, SEASONS, STOPWORDS, WEEKDAYS

_DATE_PATTERNS = [
    # (regex, groups → (year, month, day, qualifier))
    (re.compile(r"\b(early|mid|late|the beginning of|the start of|the end of)[\s-]+(%s)\b(?:\s+(\d{4}))?" % "|".join(MONTHS), re.I), "part"),
    (re.compile(r"\b(%s)\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(\d{4}))?" % "|".join(MONTHS), re.I), "md"),
    # "11 Nov. 1808", "Feb. 2001": an abbreviated month's full stop (the sentence splitter reads it as one)
    (re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(%s)\b(?:\.?,?\s+(\d{4}))?" % "|".join(MONTHS), re.I), "dm"),
    (re.compile(r"\b(%s)\b\.?\s+(\d{4})\b" % "|".join(MONTHS), re.I), "my"),
    # "resigned in April": a month alone, capitalised, after a preposition of time ("may" is a verb)
    (re.compile(r"\b(%s)\b(?!\s*\d)" % "|".join(m.title() for m in MONTHS if len(m) > 3 or m == "may")), "m"),
    (re.compile(r"\b((?:early|mid|late)[\s-]+)?(1\d\d0|20\d0)s\b", re.I), "decade"),
    # "148 BC", "AD 79": a year of any length with its era (in capitals: "an ad" is no era)
    (re.compile(rf"(?<![\w.])(?:(?:{ERA_BEFORE})\s?(\d{{1,4}})|(\d{{1,4}})\s?({ERA_AFTER}))(?![\w])"), "era"),
    # "the fall of 2010", "spring 1999": a season of a year
    (re.compile(r"\b(%s)\s+(?:of\s+)?(1\d\d\d|20\d\d)\b" % "|".join(SEASONS), re.I), "season"),
    (re.compile(r"\b(?:from|between)\s+(1\d\d\d|20\d\d)\s*(?:to|and|-|–)\s*(1\d\d\d|20\d\d)\b", re.I), "span"),
    # "1810-11", "1926–27", "1798-1800": a span written with a dash, the second year often cut to its last digits
    (re.compile(r"\b(1\d\d\d|20\d\d)\s?[-–]\s?(\d\d|1\d\d\d|20\d\d)\b(?![-–/]\d)"), "dash"),
    # a year before 1800 is read only where no lower-case word follows that it would count ("1500 soldiers")
    (re.compile(r"\b(1[89]\d\d|20\d\d)\b(?!s)|\b(1[0-7]\d\d)\b(?![s,.]\d|s\b)(?!\s+(?!(?:%s)\b)[a-z])" % "|".join(sorted(STOPWORDS)), re.I), "y"),
    (re.compile(r"\b(%s)\b" % "|".join(WEEKDAYS), re.I), "wd"),
]


_MONTH_BEFORE = re.compile(r"\b(?:in|since|until|by|during|from|last|next|early|late)\s+$", re.I)


def find_dates(text: str, allowed: set[str] | None, anchors: frozenset[str] | None = None) -> list[Value]:
    """Dates, years and weekdays attached to an allowed topic; the norm is (year, month, day, weekday), None where unsaid."""
    if allowed is None and anchors is None:
        return list(_every_date(text))  # memoised: an answer reads every date of its evidence several times
    return _find_dates(text, allowed, anchors)


@lru_cache(maxsize=8192)
def _every_date(text: str) -> tuple[Value, ...]:
    return tuple(_find_dates(text, None, None))


def _find_dates(text: str, allowed: set[str] | None, anchors: frozenset[str] | None) -> list[Value]:
    toks = lex(text)
    starts = [t.start for t in toks]
    extra = anchor_family(anchors)
    taken: list[tuple[int, int]] = []
    out = []
    for rx, shape in _DATE_PATTERNS:
        for m in rx.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            g = m.groups()
            qual = "exact"
            if shape == "part":
                y, mo, d, qual = g[2], MONTHS[g[1].lower()], None, "approx"
            elif shape == "md":
                y, mo, d = g[2], MONTHS[g[0].lower().rstrip(".")], int(g[1])
            elif shape == "dm":
                y, mo, d = g[2], MONTHS[g[1].lower()], int(g[0])
            elif shape == "my":
                y, mo, d = g[1], MONTHS[g[0].lower()], None
            elif shape == "m":
                if not _MONTH_BEFORE.search(text, 0, m.start()):
                    continue  # "March" and "May" are words too: a month alone only after "in", "since", ...
                y, mo, d = None, MONTHS[g[0].lower()], None
            elif shape == "wd":
                if _in_name(text, m.start()):
                    continue  # "Freaky Friday", "Black Monday Records": a weekday inside a title names no day
                y, mo, d = None, None, None
            elif shape == "decade":  # "the 1990s", "early 2000s": a decade, compared by its first year
                y, mo, d, qual = g[1], None, None, "approx"
            elif shape == "era":  # "148 BC" is the year -148
                bc = g[2] in ERAS_BEFORE_CHRIST
                y, mo, d = str(-int(g[1]) if bc else int(g[0] or g[1])), None, None
            elif shape == "season":  # "the fall of 2010": within its year, not a day of it
                y, mo, d, qual = g[1], None, None, "approx"
            elif shape == "span":  # "from 1979 to 1989": shown whole, compared by its first year
                y, mo, d, qual = g[0], None, None, "range"
            elif shape == "dash":
                if dash_end(g[0], g[1]) is None:
                    continue  # "1990-85" is no span (an ISO "2010-05-01" is never matched: a digit follows)
                y, mo, d, qual = g[0], None, None, "range"
            else:
                y, mo, d = g[0] or g[1], None, None
            wd = WEEKDAYS.index(g[0].lower()) + 1 if shape == "wd" else None
            taken.append((m.start(), m.end()))
            ti = range(bisect_left(starts, m.start()), bisect_left(starts, m.end()))  # the tokens inside the match
            if not ti:
                continue
            # a date often closes its clause ("the attack that took place last Friday, 22 March"): reach further
            # the question's own rare words ("Soviet occupation") bind across a longer clause
            topic = nearest_topic(toks, ti[0], ti[-1] + 1, allowed, reach=13 if extra else 11, extra=extra)
            if topic or allowed is None:  # None: every date, whatever it is about (event markers)
                norm = (int(y) if y else None, mo, d, wd)
                start = m.start()
                said, q = qualifier_before(toks, ti[0])
                if said == "approx" and qual == "exact":  # "about 1898", "circa 1870": shown with the date
                    start, qual = toks[q].start, "approx"
                out.append(Value("date", text[start:m.end()], norm, qual, (start, m.end()), topic))
    return _join_periods(text, sorted(out, key=lambda v: v.span))


def _in_name(text: str, start: int) -> bool:
    """The word before `start` is a capitalised word of the same name (not the sentence's first word)."""
    m = re.search(r"(\S+)\s+$", text[:start])
    if m is None or not m.group(1)[:1].isupper() or not m.group(1)[-1:].isalnum():
        return False
    return bool(text[: m.start()].strip()) and text[: m.start()].rstrip()[-1:] not in ".!?"


def _join_periods(text: str, values: list[Value]) -> list[Value]:
    """"in the 1990s and early 2000s": two periods joined by "and"/"to" are one span of time."""
    out: list[Value] = []
    for v in values:
        prev = out[-1] if out else None
        bare = prev is not None and all(x.norm[1] is None and x.norm[3] is None for x in (prev, v))
        if prev is not None and bare and prev.topic == v.topic and text[prev.span[1] : v.span[0]].strip().lower() in ("and", "to", "-", "–"):
            span = (prev.span[0], v.span[1])
            out[-1] = Value("date", text[span[0] : span[1]], prev.norm, "range", span, prev.topic)
            continue
        out.append(v)
    return out


def with_full_dates(text: str, years: list[Value]) -> list[Value]:
    """Years shown as the sentence writes their date ("1906" in "on 21 December 1906" → "21 December 1906"):
    a year question is answered by the year, and the reader sees the source's whole date."""
    if not years:
        return years
    dates = [d for d in find_dates(text, None) if d.qualifier != "range" and d.norm[0] is not None]  # type: ignore[index]
    out = []
    for v in years:
        whole = next((d for d in dates if d.span[1] == v.span[1] and d.span[0] < v.span[0]), None)
        if whole is None or isinstance(v.norm, tuple):
            out.append(v)
            continue
        out.append(Value(v.kind, whole.text, v.norm, v.qualifier, whole.span, v.topic, v.noun))
    return out
