"""Which event a value belongs to: the corpus's main event, or another one it mentions in passing.

Articles about one attack also give figures for earlier ones ("the 2021 suicide bombing at Kabul
airport which killed nearly 200 people"). Those must not be compared with the main event's
figures. The main event is what the openings of the articles about it share (names, dates) and
the years they were published; a value whose sentence names another year, another date or another
place (and none of the main event's places) belongs to another event. A sentence with no such
marker ("The siege ended with more than 300 people killed") takes them from the sentences before it.

Beside the corpus there may be articles about other events altogether (an archive of nearby news:
"Gunmen storm a stadium in Tallinn"). Which articles are about the main event is read from their
titles and leads (main_cluster): the place whose burst of coverage stands out most.
An article outside it whose title and lead place it elsewhere lends its event to each of its
sentences that does not name the main event's place (ArticleEvent), as its readers would read them.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.text.dates import find_dates
from bot.text.tokens import STOPWORDS, Tok, lex, stem
from bot.text.vocab import MONTHS, PLACE_PREPOSITIONS, WEEKDAYS, YEAR

# Reports on one event come within weeks of it; a place named again years later is another event there.
EVENT_WINDOW_DAYS = 31
# "from" is left out: "experts from the UN" names who, not where
_SKIP_BEFORE_NAME = frozenset({"the", "a", "an", "capital", "city", "town", "village", "province", "region"})


@dataclass(frozen=True)
class Markers:
    """Event markers of a text: years, (month, day) dates, capitalised names, and names used as places
    (word by word, and whole: "Union Concert Hall" is named by a text naming all three words, not by "hall")."""

    years: frozenset[int]
    dates: frozenset[tuple[int, int]]
    names: frozenset[str]
    places: frozenset[str]
    place_runs: frozenset[tuple[str, ...]] = frozenset()

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
            # a capitalised stop word ends the run: "... in Surrey He was" and "The Peerage The Peerage"
            # (text joined without its sentence breaks) do not make "he" or "the" a name or a place
            while (j < len(toks) and toks[j].text[0].isupper() and toks[j].low not in MONTHS
                   and toks[j].low not in STOPWORDS):
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
    return _markers(text, skip)


@lru_cache(maxsize=8192)
def _markers(text: str, skip: tuple[int, int] | None) -> Markers:  # memoised: sentences recur across answers
    toks = [t for t in lex(text) if not (skip and skip[0] <= t.start < skip[1])]
    years = {int(t.text) for t in toks if YEAR.match(t.text) and not text[t.end : t.end + 1] == "s"}
    dates = set()
    for v in find_dates(text, None):
        if skip and skip[0] <= v.span[0] < skip[1]:
            continue
        _, mo, d, _ = v.norm  # type: ignore[misc]
        if mo and d:
            dates.add((mo, d))
    names, places, runs = set(), set(), set()
    for i, j in _name_runs(toks):
        run = [_name_key(t.text) for t in toks[i:j]]
        names.update(run)
        for k in range(i - 1, max(i - 5, -1), -1):  # "in Kabul", "in the Afghan capital Kabul"
            low = toks[k].low
            if low in PLACE_PREPOSITIONS:
                places.update(run)
                runs.add(tuple(run))
                break
            if low not in _SKIP_BEFORE_NAME and not toks[k].text[0].isupper():
                break
    return Markers(frozenset(years), frozenset(dates), frozenset(names), frozenset(places), frozenset(runs))


def main_event_markers(leads: Sequence[str], published: Iterable[str | None] = (),
                       titles: Sequence[str] | None = None) -> dict[str, frozenset]:
    """What the openings of the main event's articles share: names in two or more leads, their dates, the
    publication years; with `titles`, only the articles main_cluster finds about the main event count."""
    published = list(published)
    lead_markers = [markers(lead) for lead in leads]
    if titles is None:
        return aggregate(lead_markers, published)
    members, anchor, span = main_cluster([merge(markers(t), m) for t, m in zip(titles, lead_markers)], published)
    return aggregate([lead_markers[k] for k in members], [published[k] for k in members], anchor, span)


def merge(a: Markers, b: Markers) -> Markers:
    """The markers of two texts together (a title and its lead)."""
    return Markers(a.years | b.years, a.dates | b.dates, a.names | b.names, a.places | b.places,
                   a.place_runs | b.place_runs)


def aggregate(leads: Sequence[Markers], published: Iterable[str | None], anchor: frozenset[str] = frozenset(),
              span: tuple[int, int] | None = None) -> dict[str, frozenset]:
    """Main-event markers from the leads of the articles about it."""
    counts: Counter[str] = Counter()
    dates: set[tuple[int, int]] = set()
    for m in leads:
        counts.update(m.names)
        dates.update(m.dates)
    need = 2 if len(leads) > 1 else 1
    names = frozenset(n for n, c in counts.items() if c >= need)
    years = frozenset(int(p[:4]) for p in published if p)
    return {"names": names, "years": years, "dates": frozenset(dates), "anchor": anchor,
            "span": frozenset({span}) if span else frozenset()}


def is_other_event(m: Markers, main: dict[str, frozenset]) -> bool:
    """True when markers place a value in another event than the main one."""
    if m.years - main["years"]:
        return True
    if main["dates"] and m.dates and not (m.dates & main["dates"]):
        return True
    return bool(m.places - main["names"]) and not (m.places & main["names"])


@dataclass(frozen=True)
class ArticleEvent:
    """The other event an article is about (its title's and lead's markers), and the main event's place names."""

    markers: Markers
    anchor: frozenset[str]


def context_markers(sentence: str, before: Sequence[str], skip: tuple[int, int] | None = None,
                    article: ArticleEvent | None = None) -> Markers:
    """Markers of a sentence, or of the nearest earlier sentence in its paragraph that has some; in an
    article about another event, that event's unless the sentence names the main event's place."""
    m = _own_markers(sentence, before, skip)
    if article is None or m.names & article.anchor:
        return m
    a = article.markers  # "Police in the country arrested six": the article's event, whatever else is named
    return Markers(a.years, a.dates, m.names | a.names, a.places, a.place_runs)


def off_event(sentence: str, before: Sequence[str], article: ArticleEvent | None, asked: Markers,
              main: dict[str, frozenset]) -> bool:
    """True when a sentence of an article about another event speaks of that event and the question does not
    name it (by a year, a date or a whole place name of it): not evidence for a question about the main event."""
    if article is None:
        return False
    # a question naming what the article's lead names (a person, a title; not a place, not a word the corpus's
    # titles share) asks about that article's subject: "When was Ada Voss born?" and a lead on another Ada Voss
    own = asked.names - asked.places - main.get("common", frozenset())
    if own and own <= article.markers.names:
        return False
    # parsing the sentence only matters if it may name the main event's place (then its own markers count)
    near = (*before[-2:], sentence)
    # a stem's first letters are the word's: no anchor's in the text, no need to tokenise it (most sentences)
    low = " ".join(near).lower()
    may_name = any(a[:4] in low for a in article.anchor) and any(
        t.text[:1].isupper() and _name_key(t.text) in article.anchor for x in near for t in lex(x))
    m = context_markers(sentence, before, article=article) if may_name else article.markers
    if not is_other_event(m, main):
        return False
    named = any(set(run) <= asked.names for run in m.place_runs)  # "Halby City Hall" does not name "Union Concert Hall"
    # a year or date names it only when the question places nothing elsewhere ("in Moscow in 2002" is not Kazan's 2002)
    when = bool(asked.years & m.years or asked.dates & m.dates) and not asked.places - m.places
    return not (named or when)


def _own_markers(sentence: str, before: Sequence[str], skip: tuple[int, int] | None) -> Markers:
    m = markers(sentence, skip)
    if m.pins_event:
        return m
    for earlier in reversed(list(before)[-2:]):
        em = markers(earlier)
        if em.pins_event:
            return Markers(em.years, em.dates, m.names | em.names, em.places)
    return m


def _year(published: str | None) -> int | None:
    return int(published[:4]) if published and published[:4].isdigit() else None


def _day(published: str | None) -> int | None:
    try:
        return dt.date.fromisoformat((published or "")[:10]).toordinal()
    except ValueError:
        return None


def main_cluster(articles: Sequence[Markers], published: Sequence[str | None]) -> tuple[list[int], frozenset[str], tuple[int, int] | None]:
    """The articles about the main event (indices), its place names and the days its coverage spans.

    An event is a burst of coverage: many articles naming its place within weeks, few naming it at
    other times. The main event's place is the name used as a place in some title or lead that
    scores best on w × w / total, where w is how many titles and leads name it within
    EVENT_WINDOW_DAYS of each other (undated articles count in any window) and total how many name
    it at all: the size of its burst times the share of its mentions the burst holds, so a country
    or a common venue name, named across years of other events, does not outweigh one event's place.
    With no place named by two dated articles in one window, every article is about the main event.
    """
    days = [_day(p) for p in published]
    postings: dict[str, list[int]] = {}
    for k, m in enumerate(articles):
        for name in m.names | m.places:
            postings.setdefault(name, []).append(k)
    candidates = sorted({p for m in articles for p in m.places})
    best: tuple[float, str, tuple[int, int] | None] = (0.0, "", None)
    for place in candidates:
        dated = sorted(d for k in postings.get(place, []) if (d := days[k]) is not None)
        undated = len(postings.get(place, [])) - len(dated)
        lo, top, span = 0, 0, None
        for hi, d in enumerate(dated):  # the densest window of publication days
            while d - dated[lo] > EVENT_WINDOW_DAYS:
                lo += 1
            if hi - lo + 1 > top:
                top, span = hi - lo + 1, (dated[lo], d)
        burst, total = top + undated, len(postings.get(place, []))
        # a burst is seen in publication dates: two dated articles within the window at least. Undated
        # articles join a burst but cannot make one; with none, nothing tells coverage of one event from
        # articles on namesakes (two pages on two people of one name both naming their birthplace)
        if top >= 2 and burst * burst / total > best[0]:
            best = (burst * burst / total, place, span)
    _, place, span = best
    if not place:
        return list(range(len(articles))), frozenset(), None
    members = [k for k in postings[place]
               if days[k] is None or span is None or span[0] <= days[k] <= span[1]]  # type: ignore[operator]
    return members, frozenset({place}), span


def article_event(m: Markers, published: str | None, main: dict[str, frozenset]) -> ArticleEvent | None:
    """The other event an article is about (m: its title's and lead's markers), or None when it is about the main
    event or pins none: outside the main event's articles, a place it names that the main event's leads do not
    share is enough ("in Orlen, Valdor"), unless it names the main event's place too."""
    if not m.pins_event or in_main_cluster(m, published, main) or _follows_up(m, published, main):
        return None
    anchor = main.get("anchor", frozenset())
    names_anchor = bool((m.names | m.places) & anchor)
    if names_anchor and not m.years - main["years"] and _year(published) in main["years"]:
        # a later report naming the main event's place in the event's year, with no other year: a follow-up
        # ("Regulator fines Lumora Bank", six weeks on, recalling the 6 February intrusion), not another event
        return None
    elsewhere = bool(m.places - main["names"]) and not names_anchor
    if not (elsewhere or is_other_event(m, main)):
        return None
    # the places it shares with the main event ("Valdor") do not say where its event was
    names = main["names"]
    return ArticleEvent(Markers(m.years, m.dates, m.names, m.places - names,
                                frozenset(r for r in m.place_runs if not set(r) <= names)), anchor)


def _follows_up(m: Markers, published: str | None, main: dict[str, frozenset]) -> bool:
    """True when an article appeared during the main event's coverage (or within EVENT_WINDOW_DAYS after it)
    and pins no year or date of its own: a follow-up naming a place the leads did not share (the venue's
    town, a hospital) is still about the main event, as coverage bursts are."""
    day, span = _day(published), next(iter(main.get("span", ())), None)
    if day is None or span is None or not span[0] <= day <= span[1] + EVENT_WINDOW_DAYS:
        return False
    if not is_other_event(Markers(m.years, m.dates, frozenset(), frozenset()), main):
        return True
    # a later turn of the same story ("Venn conceded on 17 June", "will be sworn in on 1 July"): its lead names
    # the main event's people (two of the names its leads share, besides its place), in none but its years,
    # and dates nothing before it; a report of another event there dates its own day or names its own people
    shared = m.names & main["names"] - main.get("anchor", frozenset())
    first = min(main["dates"], default=None)
    return (len(shared) >= 2 and not m.years - main["years"] and first is not None
            and all(d >= first for d in m.dates))


def in_main_cluster(m: Markers, published: str | None, main: dict[str, frozenset]) -> bool:
    """True when an article (its title's and lead's markers) is about the main event, as main_cluster decided."""
    anchor = main.get("anchor", frozenset())
    if not anchor:
        return True
    day, span = _day(published), next(iter(main.get("span", ())), None)
    return bool((m.names | m.places) & anchor) and (day is None or span is None or span[0] <= day <= span[1])
