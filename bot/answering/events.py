"""Which event a value belongs to: the corpus's main event, or another one it mentions in passing.

Articles about one attack also give figures for earlier ones ("the 2021 suicide bombing at Kabul
airport which killed nearly 200 people"). Those must not be compared with the main event's
figures. The main event is what the articles' opening sentences share (names, dates) and the
years they were published; a value whose sentence names another year, another date or another
place (and none of the main event's places) belongs to another event. A sentence with no such
marker ("The siege ended with more than 300 people killed") takes them from the sentences before it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.text.dates import find_dates
from bot.text.tokens import STOPWORDS, Tok, lex, stem
from bot.text.vocab import MONTHS, PLACE_PREPOSITIONS, WEEKDAYS, YEAR

# "from" is left out: "experts from the UN" names who, not where
_SKIP_BEFORE_NAME = frozenset({"the", "a", "an", "capital", "city", "town", "village", "province", "region"})


@dataclass(frozen=True)
class Markers:
    """Event markers of a text: years, (month, day) dates, capitalised names, and names used as places."""

    years: frozenset[int]
    dates: frozenset[tuple[int, int]]
    names: frozenset[str]
    places: frozenset[str]

    @property
    def pins_event(self) -> bool:
        """True when the text says when or where (so earlier sentences are not needed)."""
        return bool(self.years or self.dates or self.places)


def _name_runs(toks: list[Tok]) -> list[tuple[int, int]]:
    """Runs of capitalised words, leaving out a sentence's first word when it stands alone."""
    runs = []
    i = 0
    while i < len(toks):
        t = toks[i]
        if t.text[0].isupper() and t.low not in STOPWORDS and t.low not in MONTHS and t.low not in WEEKDAYS:
            j = i
            while j < len(toks) and toks[j].text[0].isupper() and toks[j].low not in MONTHS:
                j += 1
            if not (i == 0 and j == 1):
                runs.append((i, j))
            i = j
        else:
            i += 1
    return runs


def _name_key(word: str) -> str:
    return stem(re.sub(r"['’]s$", "", word.lower()))


def markers(text: str, skip: tuple[int, int] | None = None) -> Markers:
    """Event markers in a text; `skip` leaves out the value itself (a year that is the answer)."""
    toks = [t for t in lex(text) if not (skip and skip[0] <= t.start < skip[1])]
    years = {int(t.text) for t in toks if YEAR.match(t.text) and not text[t.end : t.end + 1] == "s"}
    dates = set()
    for v in find_dates(text, None):
        if skip and skip[0] <= v.span[0] < skip[1]:
            continue
        _, mo, d, _ = v.norm  # type: ignore[misc]
        if mo and d:
            dates.add((mo, d))
    names, places = set(), set()
    for i, j in _name_runs(toks):
        run = [_name_key(t.text) for t in toks[i:j]]
        names.update(run)
        for k in range(i - 1, max(i - 5, -1), -1):  # "in Kabul", "in the Afghan capital Kabul"
            low = toks[k].low
            if low in PLACE_PREPOSITIONS:
                places.update(run)
                break
            if low not in _SKIP_BEFORE_NAME and not toks[k].text[0].isupper():
                break
    return Markers(frozenset(years), frozenset(dates), frozenset(names), frozenset(places))


def main_event_markers(leads: Sequence[str], published: Iterable[str | None] = ()) -> dict[str, frozenset]:
    """What the articles' openings share: names in two or more leads, their dates, the publication years."""
    counts: Counter[str] = Counter()
    dates: set[tuple[int, int]] = set()
    for lead in leads:
        m = markers(lead)
        counts.update(m.names)
        dates.update(m.dates)
    need = 2 if len(leads) > 1 else 1
    names = frozenset(n for n, c in counts.items() if c >= need)
    years = frozenset(int(p[:4]) for p in published if p)
    return {"names": names, "years": years, "dates": frozenset(dates)}


def is_other_event(m: Markers, main: dict[str, frozenset]) -> bool:
    """True when markers place a value in another event than the main one."""
    if m.years - main["years"]:
        return True
    if main["dates"] and m.dates and not (m.dates & main["dates"]):
        return True
    return bool(m.places - main["names"]) and not (m.places & main["names"])


def context_markers(sentence: str, before: Sequence[str], skip: tuple[int, int] | None = None) -> Markers:
    """Markers of a sentence, or of the nearest earlier sentence in its paragraph that has some."""
    m = markers(sentence, skip)
    if m.pins_event:
        return m
    for earlier in reversed(list(before)[-2:]):
        em = markers(earlier)
        if em.pins_event:
            return Markers(em.years, em.dates, m.names | em.names, em.places)
    return m
