"""Finding comparable values in one sentence: counts with qualifiers, years, dates, and venue names.

Everything here works on any English news text: numbers and number words, the qualifiers that
bound them ("at least 137" is a floor), the word each value is attached to (the nearest word of
a near-synonym family, not crossing clause boundaries cheaply), and the noun a count counts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.text.lexicon import exact_words, families, quiet_families
from bot.text.numbers import qualifier_before, read_numbers, whole, words_to_number
from bot.text.tokens import STOPWORDS, Tok, lex, stem
from bot.text.vocab import (
    COUNT_PHRASE_ENDS,
    IRREGULAR_PLURALS,
    NUMBER_WORDS,
    PEOPLE_NOUNS,
    PERPETRATORS,
    ANY_YEAR,
    ERAS_AFTER,
    ERAS_BEFORE_CHRIST,
    ERAS_BEFORE_YEAR,
    UNIT_WORDS,
    VENUE_NOUNS,
    YEAR,
)

_CLAUSE = frozenset({",", ";", ":", "(", ")", "—", "–"})
_RISING = re.compile(r"\b(continu\w* to (rise|climb|grow)|still (rising|climbing)|expected to rise|is rising)\b", re.I)
_DEMONYM = re.compile(r"(an|ian|ese|ish|i)$")


@dataclass(frozen=True)
class Value:
    """One value found in a sentence, before it becomes a Claim."""

    kind: str  # count | year | date | time | name
    text: str  # exactly as written (a span of the sentence)
    norm: object
    qualifier: str
    span: tuple[int, int]
    topic: str  # family name, or "venue" for names
    noun: str = ""  # counted noun class: "" = people in general


def _number(tok: Tok) -> float | None:
    """The value of one figure or number word ("2,000", "six"); None for other tokens."""
    t = tok.low
    if t[0].isdigit():
        return float(t.replace(",", "")) if re.fullmatch(r"\d+(\.\d+)?|\d{1,3}(,\d{3})+(\.\d+)?", t) else None
    return words_to_number(t) if t in NUMBER_WORDS else None



def _family_positions(toks: list[Tok], extra: dict[str, frozenset[str]] | None = None) -> list[tuple[int, str]]:
    fams = {**families(), **(extra or {})}
    exact = exact_words()
    out = []
    for j, t in enumerate(toks):
        if t.text[0].isalpha():
            s = stem(t.low)
            for name, stems in fams.items():
                if s in stems or t.low in exact.get(name, ()):
                    out.append((j, name))
    return out




def nearest_topic(toks: list[Tok], start: int, end: int, allowed: set[str] | None = None, reach: int = 9,
                  extra: dict[str, frozenset[str]] | None = None) -> str:
    """The allowed family whose word is nearest to tokens[start:end], if no other family's word is nearer.

    A word of any family competes ("injuring 145 and killing at least 60": 145 belongs to injuring),
    so a question about deaths never takes the injured figure; crossing a clause mark costs 3.
    """
    best: tuple[float, str] = (float("inf"), "")
    # a word further than `reach` tokens costs more than `reach`: only the window around the value is read
    # (reading the whole sentence for each value made a long table of figures quadratic)
    first = max(0, start - reach - 1)
    window = toks[first:min(len(toks), end + reach + 1)]
    for j, name in [(k + first, name) for k, name in _family_positions(window, extra)]:
        if name in quiet_families() and (allowed is None or name not in allowed):
            continue
        if start <= j < end:
            continue
        lo, hi = (end, j) if j >= end else (j + 1, start)
        between = toks[lo:hi]
        cost = len(between) + 1 + 3 * sum(t.text in _CLAUSE for t in between) + (0.5 if j < start else 0)
        if cost < best[0]:
            best = (cost, name)
    if best[0] > reach or (allowed is not None and best[1] not in allowed):
        return ""
    return best[1]


def _counted_noun(toks: list[Tok], k: int) -> tuple[str, int] | None:
    """The noun class of what a number counts, and the index after the noun phrase; None for units."""
    head, last = "", k
    for j in range(k, min(k + 3, len(toks))):
        t = toks[j]
        low = t.low
        if low in UNIT_WORDS:
            return None
        if low in COUNT_PHRASE_ENDS or t.text in _CLAUSE or _number(t) is not None:
            break
        last = j + 1
        demonym = t.text[0].isupper() and not t.text.isupper() and len(low) > 5 and low.endswith(("ans", "ese", "is"))
        if low in PEOPLE_NOUNS or (demonym and j == k):  # "170 Norwegians", "84 Peruvians": people
            head = ""
            break
        if low in PERPETRATORS or t.text[0].islower() and (low.endswith("s") or low in IRREGULAR_PLURALS) and low not in STOPWORDS:
            head = low
            break
        if t.text[0].islower() and not low.endswith("s"):
            last = j + 1
            continue
    if head in PEOPLE_NOUNS or not head:
        return "", last
    return head, last


def _token_range(toks: list[Tok], span: tuple[int, int]) -> tuple[int, int]:
    """Indexes of the first token inside span and of the first token after it."""
    lo = next((k for k, t in enumerate(toks) if t.start >= span[0]), len(toks))
    hi = next((k for k, t in enumerate(toks) if t.start >= span[1]), len(toks))
    return lo, max(hi, lo + 1)


def find_counts(text: str, allowed: set[str], noun: str = "") -> list[Value]:
    """Counts in a sentence attached to one of the allowed topic families.

    The figures come from bot/text/numbers.py (qualifiers, ranges, scale and number words); measures,
    percentages, money and years are not counts. `noun` is what the question counts ("members"):
    a figure for it stays apart from the figure it would otherwise be joined to.
    """
    toks = lex(text)
    out: list[Value] = []
    rising = bool(_RISING.search(text))
    for num in read_numbers(text):
        if num.kind != "count":
            continue
        qstart, end_i = _token_range(toks, num.span)
        if qstart >= len(toks):
            continue
        counted = _counted_noun(toks, end_i)
        if counted is None:
            continue
        noun_class, noun_end = counted
        topic = nearest_topic(toks, qstart, end_i, allowed)
        if noun_class in PERPETRATORS:
            noun_class = "" if topic == "arrested" else "attackers"
        elif noun_class and topic and stem(noun_class) in families().get(topic, frozenset()):
            noun_class = topic  # "6,000 fighters" counts fighters: the topic itself
        if topic:
            shown_end = max(noun_end, end_i)  # "212 persons", "two Red Hand members": the noun is part of the value
            span = (num.span[0], max(num.span[1], toks[shown_end - 1].end))
            qual = num.qualifier
            if rising and qual in ("exact", "floor"):
                qual = "rising"
            out.append(Value("count", text[span[0] : span[1]], whole(num.value), qual, span, topic, noun_class))
    return _join_composites(text, toks, out, noun)


def _same_noun(a: str, b: str) -> bool:
    return bool(a and b) and (a == b or a[:4] == b[:4])


def _join_composites(text: str, toks: list[Tok], values: list[Value], noun: str = "") -> list[Value]:
    """"170 Norwegians and 13 Dutch soldiers": parts of one figure joined by "and" become one value."""
    out: list[Value] = []
    for v in values:
        prev = out[-1] if out else None
        asked_part = noun and (_same_noun(prev.noun if prev else "", noun) or _same_noun(v.noun, noun))
        if prev and prev.topic == v.topic and prev.kind == "count" and not asked_part:
            gap = text[prev.span[1] : v.span[0]].strip().lower()
            if gap in ("and", "as well as", "plus") and (prev.noun or v.noun or text[prev.span[0]:prev.span[1]] != ""):
                parts = prev.norm if isinstance(prev.norm, frozenset) else frozenset({prev.norm})
                span = (prev.span[0], v.span[1])
                out[-1] = Value("count", text[span[0] : span[1]], parts | {v.norm}, "exact", span, v.topic, "")
                continue
        out.append(v)
    return out


_DURATION = re.compile(r"\b(\w+)\s+for\s+(?:(?:about|around|nearly|almost|some|over|more than)\s+)?(\w+)\s+years\b", re.I)


ASKED = "asked"  # the family made of the question's own words, when no lexicon family fits


def anchor_family(anchors: frozenset[str] | None) -> dict[str, frozenset[str]] | None:
    """The question's own words as an extra family (ASKED) that values may be read next to."""
    return {ASKED: anchors} if anchors else None


def find_years(text: str, allowed: set[str], published: str | None = None,
               anchors: frozenset[str] | None = None) -> list[Value]:
    """Years attached to one of the allowed topic families ("formed in late 2014" → 2014, approx).

    "has existed for seven years" in an article published in 2030 gives 2023, approximately: the
    value shown is the article's own words, the year is counted back from its publication date.
    "from 1979 to 1989" is one value (a span of years); "the 1990s" is a decade.
    """
    toks = lex(text)
    extra = anchor_family(anchors)
    out: list[Value] = []
    if published:
        for m in _DURATION.finditer(text):
            n = _number(Tok(m.group(2), 0, 0))
            verb = lex(m.group(1))
            if n is None or not verb:
                continue
            topic = nearest_topic(verb, 0, 0, allowed, reach=1, extra=extra) if _family_positions(verb, extra) else ""
            if topic:
                out.append(Value("year", m.group(), int(published[:4]) - int(n), "approx", m.span(), topic))
    i = 0
    while i < len(toks):
        t = toks[i]
        if not is_year(toks, i, text):
            i += 1
            continue
        qual, qstart = qualifier_before(toks, i)
        end_i, norm = i + 1, int(t.text)
        sign, era_end = era(text, toks, i)
        if sign:  # "148 BC" is the year -148; the era is shown with it (in "AD 79" the era before it too)
            norm = sign * norm
            while end_i < len(toks) and toks[end_i].start < era_end:
                end_i += 1
            if era_end == t.end and i > 0:
                qstart = min(qstart, i - 1)
        decade = not sign and text[t.end : t.end + 1] == "s"
        if sign:
            pass
        elif decade:
            end_i, qual = (i + 2 if i + 1 < len(toks) and toks[i + 1].text == "s" else i + 1), "approx"
        elif i + 2 < len(toks) and toks[i + 1].low in ("to", "and", "-", "–") and is_year(toks, i + 2):
            end_i, norm, qual = i + 3, (int(t.text), int(toks[i + 2].text)), "range"  # "from 1979 to 1989"
            if qstart > 0 and toks[qstart - 1].low in ("from", "between"):
                qstart -= 1
        elif (i + 2 < len(toks) and toks[i + 1].low in ("-", "–") and re.fullmatch(r"\d\d", toks[i + 2].text)
              and toks[i + 2].start == toks[i + 1].end and dash_end(t.text, toks[i + 2].text)
              and not (i + 3 < len(toks) and toks[i + 3].low in ("-", "–"))):
            end_i, norm, qual = i + 3, (int(t.text), dash_end(t.text, toks[i + 2].text)), "range"  # "1810-11"
        topic = nearest_topic(toks, qstart, end_i, allowed, reach=12 if extra else 9, extra=extra)
        if topic:
            span = (toks[qstart].start, max(toks[end_i - 1].end, era_end) if not decade else t.end + 1)
            out.append(Value("year", text[span[0] : span[1]], norm, qual, span, topic))
        i = end_i
    return out


def dash_end(first: str, second: str) -> int | None:
    """The last year of a dashed span ("1810", "11" → 1811; "1798", "1800" → 1800), None if it is no span."""
    end = int(first[:2] + second) if len(second) == 2 else int(second)
    return end if int(first) < end <= int(first) + 99 else None


# "148 BC", "44 B.C.", "300 BCE", "79 AD", "AD 79", "A.D. 79", "79 CE": an era written beside a number
# (the alternations are dates.py's too)
ERA_AFTER = "|".join(re.escape(e) for e in ERAS_BEFORE_CHRIST + ERAS_AFTER)
ERA_BEFORE = "|".join(re.escape(e) for e in ERAS_BEFORE_YEAR)
_ERA_AFTER = re.compile(rf"\s?({ERA_AFTER})(?![\w])")
_ERA_BEFORE = re.compile(rf"(?<![\w.])({ERA_BEFORE})\s?$")


def era(text: str, toks: list[Tok], i: int) -> tuple[int, int]:
    """(sign, end offset) of a year written with its era at toks[i]: (-1, end) for "148 BC", (1, end) for
    "79 AD" and "AD 79"; (0, 0) for a number with no era."""
    t = toks[i]
    if t.kind != "num" or not t.text.isdigit():
        return 0, 0
    m = _ERA_AFTER.match(text, t.end)
    if m is not None:
        return (-1 if m.group(1) in ERAS_BEFORE_CHRIST else 1), m.end()
    if _ERA_BEFORE.search(text, 0, t.start) is not None:
        return 1, t.end
    return 0, 0


def is_year(toks: list[Tok], i: int, text: str = "") -> bool:
    """toks[i] is a year: 1800-2099 always; 1000-1799 unless a noun follows that it counts ("1500 soldiers");
    with the sentence's text, any number written with an era ("148 BC", "AD 79")."""
    if YEAR.match(toks[i].text):
        return True
    if text and era(text, toks, i)[0]:
        return True
    if not ANY_YEAR.match(toks[i].text):
        return False
    nxt = toks[i + 1] if i + 1 < len(toks) else None
    return nxt is None or not (nxt.text[:1].isalpha() and nxt.text[:1].islower() and nxt.low not in STOPWORDS)


def find_venues(text: str) -> list[Value]:
    """Names of venues: a capitalised name with a venue noun ("Halby Arena Hall", "Norwick theatre")."""
    toks = lex(text)
    out = []
    i = 0
    while i < len(toks):
        if not toks[i].text[0].isupper() or toks[i].low in STOPWORDS:
            i += 1
            continue
        j = i
        while j < len(toks) and toks[j].text[0].isupper() and toks[j].text not in _CLAUSE:
            j += 1
        end = j
        if j < len(toks) and toks[j].low in VENUE_NOUNS:
            end = j + 1  # "Norwick theatre", "Tarsk Opera house"
        name = toks[i:end]
        has_venue = any(t.low in VENUE_NOUNS for t in name)
        proper = [t for t in name if t.low not in VENUE_NOUNS and not _DEMONYM.search(t.low)]
        if has_venue and proper:  # "Norwick theatre", not "Danish chapel"
            span = (name[0].start, name[-1].end)
            key = frozenset(stem(t.low) for t in name if t.low not in VENUE_NOUNS and t.low not in ("city",))
            out.append(Value("name", text[span[0] : span[1]], key, "exact", span, "venue"))
        i = max(end, i + 1)
    return out
