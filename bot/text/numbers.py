"""Sentence → numeric expressions: figures with qualifiers, ranges, scale words, number words, percentages, money and units."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from bot.text.tokens import Tok, lex
from bot.text.vocab import (
    CURRENCY_SIGNS,
    CURRENCY_WORDS,
    FRACTION_WORDS,
    LABEL_BEFORE,
    MONTHS,
    NUMBER_WORDS,
    PERCENT_WORDS,
    PRONOUN_ONE_BEFORE,
    QUALIFIERS,
    SCALES,
    STOPWORDS,
    UNIT_WORDS,
    VAGUE_NUMBERS,
    YEAR,
)

_QUALIFIER_WORDS = frozenset(w for words, _ in QUALIFIERS for w in words)


@dataclass(frozen=True)
class Number:
    """One numeric expression in a sentence, as written and as a value."""

    text: str  # the span as written, qualifier included ("more than 2,000")
    span: tuple[int, int]
    value: float | tuple[float, float]  # a range ("between 4,000 and 6,000") is (low, high)
    qualifier: str  # exact | floor | ceiling | approx | range
    kind: str  # count | percent | money | measure | year
    unit: str = ""  # "magnitude", "km", "$", "%"


def _is_number_word(low: str) -> bool:
    return all(part in NUMBER_WORDS for part in low.split("-"))


@lru_cache(maxsize=4096)
def words_to_number(phrase: str) -> float | None:
    """"one hundred and thirty-nine" → 139 (text2num, English); None when not a number."""
    from text_to_num import text2num

    cleaned = " ".join(w for w in phrase.lower().replace("-", " ").split() if w != "and")
    if cleaned in ("dozen", "a dozen"):
        return 12.0
    try:
        return float(text2num(cleaned, "en"))
    except ValueError:
        return None


def _figure(toks: list[Tok], i: int) -> tuple[float, int] | None:
    """The value of the figure starting at token i and the index after it (scale words included)."""
    t = toks[i]
    if t.kind == "num":
        if "," in t.text and not re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", t.text):
            return None
        value, j = float(t.text.replace(",", "")), i + 1
        if t.suffix:
            return value * SCALES[t.suffix], j
        while j < len(toks) and toks[j].low in SCALES and toks[j].low not in ("k", "m", "mn", "bn", "tn"):
            value *= SCALES[toks[j].low]  # "1.5 million", "2 hundred thousand"
            j += 1
        return value, j
    if t.kind != "word" or not _is_number_word(t.low) or t.low in ("hundred", "thousand", "million", "billion", "trillion"):
        return None
    j = i + 1
    while j < len(toks):
        low = toks[j].low
        if _is_number_word(low) and low != "dozen":
            j += 1
        elif low == "and" and j + 1 < len(toks) and _is_number_word(toks[j + 1].low) and toks[j - 1].low in ("hundred", "thousand", "million", "billion"):
            j += 1
        else:
            break
    value = words_to_number(" ".join(x.text for x in toks[i:j]))
    return (value, j) if value is not None else None


def whole(value: object) -> object:
    """A figure's value as compared: 3.0 → 3 (a float that is a whole number), anything else as it is."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def qualifier_before(toks: Sequence[Tok], i: int) -> tuple[str, int]:
    """The qualifier written before token i ("at least", "nearly") and the index where the value's text starts."""
    for words, kind in QUALIFIERS:
        n = len(words)
        if i - n >= 0 and tuple(t.low for t in toks[i - n : i]) == words:
            return kind, i - n
    return "exact", i


def _not_a_figure(toks: list[Tok], i: int, j: int) -> bool:
    """"one of the largest", "the one that", "22 March", "1990s": words that look like figures but count nothing."""
    first, after = toks[i], toks[j] if j < len(toks) else None
    before = toks[i - 1].low if i > 0 else ""
    if first.low == "one" and j == i + 1:
        if (after and after.low == "of") or before in PRONOUN_ONE_BEFORE:
            return True
    # a scale or a currency after it makes it an amount: "fined Lumora Bank 40 million euros" (after a name)
    amount = after is not None and (after.low in SCALES or after.low in CURRENCY_WORDS)
    if first.kind == "num" and not amount and (
            before in LABEL_BEFORE or (i > 0 and toks[i - 1].text[:1].isupper() and toks[i - 1].kind == "word"
                                       and before not in MONTHS and before not in _QUALIFIER_WORDS and before not in STOPWORDS)):
        return True  # "Route 66", "Flight 370", "No 5": a label, not a figure
    if first.kind == "num" and (before in MONTHS or (after is not None and after.low in MONTHS)):
        return True  # a day of a month: a date, read by dates.py
    if first.kind == "num" and after is not None and after.low == "s" and after.start == first.end:
        return True
    if first.kind == "num" and _clock(toks, i):
        return True  # "21:15", "9:15 p.m.": a time of day
    if first.kind == "num" and after is not None and after.kind == "word" and after.start == first.end:
        return True  # "1st", "10th", "3D": ordinals and codes
    return False


def _clock(toks: list[Tok], i: int) -> bool:
    """toks[i] is an hour or a minute of a time of day written with a colon ("23:40")."""
    t = toks[i]
    nxt = toks[i + 1] if i + 1 < len(toks) else None
    prev = toks[i - 1] if i > 0 else None
    if nxt is not None and nxt.text == ":" and nxt.start == t.end and i + 2 < len(toks) and toks[i + 2].start == nxt.end:
        return toks[i + 2].kind == "num"
    return prev is not None and prev.text == ":" and prev.end == t.start and i > 1 and toks[i - 2].kind == "num" and toks[i - 2].end == prev.start


def _unit(toks: list[Tok], i: int, j: int) -> tuple[str, str, int]:
    """Kind, unit and end index from what surrounds the figure tokens[i:j]."""
    before = toks[i - 1] if i > 0 else None
    if before is not None and (before.text in CURRENCY_SIGNS or before.text == "US$"):
        return "money", before.text, j
    if j < len(toks):
        nxt = toks[j]
        if nxt.text == "%":
            return "percent", "%", j + 1
        if nxt.low in PERCENT_WORDS:
            return "percent", "%", j + 1
        if nxt.low == "per" and j + 1 < len(toks) and toks[j + 1].low == "cent":
            return "percent", "%", j + 2
        if nxt.low in CURRENCY_WORDS:
            return "money", nxt.low, j + 1
        if nxt.text in ("-", "–") and nxt.start == toks[j - 1].end and j + 1 < len(toks) and toks[j + 1].kind == "word":
            unit = toks[j + 1].low.split("-")[0]
            if not _is_number_word(unit):  # "7.8-magnitude", "10-day", "2-year-old": a measure that describes
                return "measure", unit, j + 2
        if nxt.kind == "word" and nxt.start == toks[j - 1].end and "-" in nxt.text:
            return "measure", nxt.low.split("-")[0], j + 1
        if nxt.low in UNIT_WORDS:
            return "measure", nxt.low, j + 1
    if before is not None and before.low in UNIT_WORDS and before.low not in ("times",):
        return "measure", before.low, j  # "magnitude 7.8", "grade 10"
    if (before is not None and before.text in ("-", "–") and i > 1 and toks[i - 2].low in UNIT_WORDS
            and toks[i - 2].end == before.start and before.end == toks[i].start):
        return "measure", toks[i - 2].low, j  # "the magnitude-7.6 earthquake"
    return "count", "", j


def read_numbers(text: str) -> list[Number]:
    """Every numeric expression in a sentence, left to right (memoised: evidence sentences recur)."""
    return list(_read_numbers(text))


@lru_cache(maxsize=16384)
def _read_numbers(text: str) -> tuple[Number, ...]:
    toks = lex(text)
    out: list[Number] = []
    i = 0
    while i < len(toks):
        t = toks[i]
        if t.kind == "word" and t.low in VAGUE_NUMBERS:
            j = i + 1
            lo, hi = VAGUE_NUMBERS[t.low]
            if j + 1 < len(toks) and toks[j].low == "of" and toks[j + 1].low in VAGUE_NUMBERS:
                lo, hi = lo * VAGUE_NUMBERS[toks[j + 1].low][0], hi * VAGUE_NUMBERS[toks[j + 1].low][1]
                j += 2  # "hundreds of thousands"
            out.append(Number(text[t.start : toks[j - 1].end], (t.start, toks[j - 1].end), (lo, hi), "approx", "count"))
            i = j
            continue
        fig = _figure(toks, i)
        if fig is None or _not_a_figure(toks, i, fig[1]):
            i += 1
            continue
        value, j = fig
        signed = i > 0 and (toks[i - 1].text in CURRENCY_SIGNS or toks[i - 1].text == "US$")
        qual, qstart = qualifier_before(toks, i - 1 if signed else i)
        low_val: float | tuple[float, float] = value
        # "between 4,000 and 6,000", "4,000 to 6,000", "4,000-6,000"
        if j + 1 < len(toks) and toks[j].low in ("and", "to", "-", "–") and (qual in ("range", "approx") or toks[j].low != "and"):
            second = _figure(toks, j + 1)
            if second is not None and second[0] > value:
                scales = [SCALES[x.low] for x in toks[j + 2 : second[1]] if x.low in SCALES]
                if fig[1] == i + 1 and not t.suffix and scales and value < second[0] / 1000:
                    value *= scales[0]  # "1 to 2 million": the scale is shared
                low_val, j = (value, second[0]), second[1]
                qual = "range" if qual in ("range", "exact") else qual
        elif qual == "range":
            qual = "exact"
        den = FRACTION_WORDS.get(toks[j].low) if j < len(toks) and not isinstance(low_val, tuple) else None
        if den and 0 < value < den:
            # "nearly two thirds of voters", "three quarters": a share, compared as a percentage
            low_val, kind, unit, end = round(value / den * 100, 1), "percent", "%", j + 1
        else:
            kind, unit, end = _unit(toks, i, j)
        if kind == "count" and t.kind == "num" and j == i + 1 and YEAR.match(t.text):
            kind = "year"
        start = toks[qstart].start
        out.append(Number(text[start : toks[end - 1].end], (start, toks[end - 1].end), low_val, qual, kind, unit))
        i = end
    return tuple(out)


__all__ = ["Number", "read_numbers", "whole", "words_to_number"]
