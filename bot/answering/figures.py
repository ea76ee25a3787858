"""Figures about what a question asks, for any countable thing: matched by syntax, not by a word list.

A figure is about what the question asks when the noun it counts ("4.2 million records"), or else
the verb or noun it is a value of ("the population was 1.2 million", "the toll stood at 130"),
shares a word stem with the question's own words ("How many records were exposed?", "What is the
population of Varno?"). A figure that counts something else is never a claim.
"""

from __future__ import annotations

import re

from bot.answering.names import subject_stems
from bot.answering.nameties import mentions, related
from bot.answering.question import how_measure
from bot.models import QuestionAnalysis
from bot.text.lexicon import exact_words, families
from bot.text.numbers import Number, read_numbers, whole
from bot.text.syntax import Figure, Parse
from bot.text.tokens import STOPWORDS, WH_WORDS, raw_words, stem
from bot.text.values import Value
from bot.text.vocab import (
    COUNTS_OF_PEOPLE,
    FRAME_WORDS,
    LINKING_VERBS,
    PEOPLE_NOUNS,
    PERSON_SUFFIXES,
    QUANTITY_NOUNS,
    RATE_WORDS,
    SHARE_NOUNS,
    UNIT_WORDS,
    YEAR,
)

OPEN = "figure"  # the topic family of figures matched by syntax; its label names the asked noun
_KINDS = frozenset({"count", "percent", "money", "measure"})
_PEOPLE_QUANTITIES = frozenset(stem(w) for w in COUNTS_OF_PEOPLE)
_QUANTITIES = frozenset(stem(w) for w in QUANTITY_NOUNS)
_SHARES = frozenset(stem(w) for w in SHARE_NOUNS)
_HOW_MANY_PEOPLE = re.compile(r"\bhow\s+many\s+people\b", re.I)
_NAMED = frozenset({"PERSON", "ORG", "NORP", "GPE", "LOC", "FAC"})  # recogniser labels of names of someone or somewhere
_PER = re.compile(r"\s*(?:per\b|/\s*[^\W\d_])", re.I)  # "people per square mile", "residents/km²"
# a bracket right after a figure that holds a year and at most a few words: the date the figure is as of
# ("1,948 inhabitants (2004)", "9,117 (2011 census)", "1,200 employees (as of 2019)")
_AS_OF = re.compile(r"\s*\((?:[^\W\d_][\w.]*\s+){0,2}(?:%s)(?:\s+[^\W\d_][\w.]*){0,2}\)" % YEAR.pattern.strip("^$"))


def asked_heads(analysis: QuestionAnalysis) -> frozenset[str]:
    """Stems of the question's own words that say what is counted or measured (not names, not frame words)."""
    out = set()
    for i, raw in enumerate(raw_words(analysis.text)):
        w = raw.lower()
        if w in STOPWORDS or w in WH_WORDS or (w in FRAME_WORDS and w not in QUANTITY_NOUNS):
            continue
        if i > 0 and raw[:1].isupper() or w.isdigit():
            continue  # "Varno", "2016": which one, not what
        out.add(stem(w))
    if measure := how_measure(analysis.text):
        out.add(stem(measure))  # "how deep": the articles give its depth
    return frozenset(out)


def asked_noun(analysis: QuestionAnalysis) -> str:
    """The word the answer line names: what "how many" counts, else the quantity noun, else the first head."""
    ws = [w.lower() for w in raw_words(analysis.text)]
    for i, w in enumerate(ws[:-1]):
        if w == "many" and i > 0 and ws[i - 1] == "how":
            return ws[i + 1]
        if w == "much" and i > 0 and ws[i - 1] == "how" and ws[i + 1] not in STOPWORDS:
            return ws[i + 1]  # "how much rent"; "how much was the fee" names its noun later
    for w in ws:
        if w in QUANTITY_NOUNS:
            return w
    if measure := how_measure(analysis.text):
        return measure
    heads = asked_heads(analysis)
    return next((w for w in ws if stem(w) in heads), "")


def _counted_in_question(analysis: QuestionAnalysis) -> str:
    m = re.search(r"\bhow\s+many\s+([^\W\d_][\w'’-]*)", analysis.text, re.I)
    if not m or m.group(1).lower() in STOPWORDS:
        return ""
    return stem(m.group(1).lower())


def _near(word_stem: str) -> frozenset[str]:
    """A stem with its near-synonyms from the optional lexicon ("attackers": "gunmen", "assailants")."""
    fams = families()
    return frozenset({word_stem}).union(*(st for st in fams.values() if word_stem in st))


# "Population (2010) 4,008", "the population about 50,000", "population: 3,849": a quantity noun, a year in
# brackets and punctuation at most, then the figure (infoboxes and terse lines, where parses go astray)
_LABEL_BEFORE = re.compile(r"([^\W\d_]+)(?:\s*\(\s*\d{4}\s*\))?[\s:,=]*$")


def _labelled(text: str, num: Number, heads: frozenset[str]) -> bool:
    """The figure follows the asked quantity noun at once, as a label's value."""
    m = _LABEL_BEFORE.search(text, 0, num.span[0])
    return m is not None and stem(m.group(1).lower()) in heads & _QUANTITIES


def someone_else(text: str, parse: Parse, fig: Figure | None, subject: frozenset[str]) -> bool | None:
    """Whose figure it is: False when its verb's doer names the question's subject ("Karl Dunn took 44%"),
    True when the doer is a name of someone else ("Ada Voss won 52.3% of the vote", asked of Dunn), None
    when the parse names no doer or the question no subject."""
    if fig is None or fig.doer == (0, 0) or not subject:
        return None
    a, b = fig.doer
    if mentions(text[a:b], subject):
        return False
    named = any(lab in _NAMED and s < b and a < e for s, e, lab in parse.entities)
    return True if named else None


def _matches(text: str, num: Number, fig: Figure | None, heads: frozenset[str], counted_q: str,
             whose: bool | None = None) -> bool:
    """The figure counts or measures what was asked, and belongs to what the question says of it.

    "How many hours did firefighters need?" is not answered by "avoid gatherings over the next 48
    hours": the unit fits, but the figure belongs to "avoid", a word the question does not use.
    """
    if whose is True:
        return False  # another person's or body's figure
    if whose is False and num.kind == "percent" and heads & _SHARES:
        return True  # "Karl Dunn took 44.1%": a share the subject got, whatever verb says so
    about = {stem(a) for a in fig.about if a not in LINKING_VERBS} if fig else set()
    if fig is not None and num.kind == "percent" and not heads & _SHARES:
        # "22.3% of the population were under 18" is a share of it, not the population asked for
        about -= {stem(w) for w in fig.of}
    if fig is not None and num.kind == "money" and fig.counted and stem(fig.counted) == stem(num.unit or ""):
        # "asked for 40 million euros": the currency is the money's unit, not a thing it counts, and
        # the figure is what the verb or noun it belongs to says ("appeal")
        about -= {stem(fig.counted)}
        return not counted_q and bool(about & _near_all(heads))
    what = counted_q or (stem(num.unit) if num.unit and stem(num.unit) in heads else "")
    if what and not num.unit and fig is not None and fig.counted and _counts(fig.counted, what):
        if fig.part:
            # "at least two of the assailants had arrived in May" counts the ones who arrived, not the
            # assailants: it answers a question that says what the part did or where it was
            return bool(heads - _near(what) & {stem(w.lower()) for w in raw_words(text)})
        return True  # "four assailants" for a question about raiders
    if what and num.unit and stem(num.unit) in _near(what):
        # a unit fits many things: "how many hours did crews need" must also be what the hours belong to
        rest = heads - _near(what) if counted_q else frozenset()
        return not rest or bool(about - _near(what) & _near_all(rest))
    if fig is not None and fig.counted and not counted_q and fig.counted in PEOPLE_NOUNS:
        # "What is the population?": "3,171 people"; "How many people were displaced?": people the parse
        # makes the asked verb's ("40,000 people had been evacuated")
        if heads & _PEOPLE_QUANTITIES:
            # the population: people counted, not people something is done to ("40,000 people were evacuated")
            # nor a count another family's own word names ("claimed 120 lives")
            return not fig.done_to and not _named_by_another_family(fig.counted, heads)
        return bool((about - {stem(fig.counted)}) & _near_all(heads))
    if fig is not None and fig.counted.lower() in UNIT_WORDS and not counted_q:
        # "the median age was 41.9 years": a measure of the quantity the question names, by its subject
        return bool(about & heads & _QUANTITIES)
    if not counted_q and _labelled(text, num, heads):
        return True
    if num.unit and fig is not None and fig.counted and not counted_q and stem(fig.counted) in heads and heads & _QUANTITIES:
        return True  # "a 996 cc V-twin engine" for "the engine size": a measure of the noun whose size is asked
    if fig is None or fig.counted or counted_q:
        return False  # a figure that counts some other noun is not the figure asked for
    return bool(about & _near_all(heads))


def _named_by_another_family(counted: str, heads: frozenset[str]) -> bool:
    """The counted word is one a lexicon family matches as written and that family is not what is asked ("lives")."""
    fams = families()
    return any(counted.lower() in words and not fams.get(name, frozenset()) & heads for name, words in exact_words().items())


def _named_for_the_asked_verb(num: Number, fig: Figure | None, heads: frozenset[str]) -> bool:
    """"How many people does the plant employ?": "1,150 employees" counts people named for what the question asks
    they do (employ / employees, work / workers): a counted noun sharing its first letters with an asked word."""
    if num.unit or fig is None or not fig.counted or fig.part:
        return False
    # a noun for one who does or undergoes an action ("employees", "residents"), not "lives" for "live"
    if not fig.counted.lower().rstrip("s").endswith(PERSON_SUFFIXES):
        return False
    return any(related(stem(fig.counted), frozenset({h})) for h in heads if len(h) >= 4)


def _counts(counted: str, what: str) -> bool:
    return stem(counted) in _near(what) or (counted in PEOPLE_NOUNS and what in {stem(p) for p in PEOPLE_NOUNS})


def _near_all(stems: set[str] | frozenset[str]) -> frozenset[str]:
    return frozenset().union(*(_near(s) for s in stems)) if stems else frozenset()


def _shown(text: str, num: Number, counted: str) -> tuple[int, int]:
    """The figure's span, with the counted noun when it follows at once ("4.2 million records")."""
    if counted:
        m = re.match(r"\s+((?:[^\W\d_][\w'’-]*\s+){0,1}%s\w*)" % re.escape(counted[:4]), text[num.span[1] :], re.I)
        if m:
            return num.span[0], num.span[1] + m.end()
    return num.span


def find_asked_figures(text: str, parse: Parse | None, analysis: QuestionAnalysis) -> list[Value]:
    """Figures in a sentence about what the question asks, matched through the stored parse."""
    if parse is None or parse.lang != "en":
        return []
    heads = asked_heads(analysis)
    subject = subject_stems(analysis.text)
    people = bool(_HOW_MANY_PEOPLE.search(analysis.text))
    counted_q = _counted_in_question(analysis)
    label = asked_noun(analysis)
    wants_rate = any(w.lower() in RATE_WORDS for w in raw_words(analysis.text))
    measured = bool(how_measure(analysis.text))  # "how deep": a figure with its unit ("40 metres"), not a count
    out = []
    for num in read_numbers(text):
        if num.kind not in _KINDS or (measured and not num.unit):
            continue
        fig = parse.figure(num.span)
        whose = someone_else(text, parse, fig, subject)
        if not _matches(text, num, fig, heads, counted_q, whose) and not (
                people and whose is not True and _named_for_the_asked_verb(num, fig, heads)):
            continue
        span = num.span if num.unit else _shown(text, num, fig.counted if fig else "")  # a measure shows its unit
        if not wants_rate and _PER.match(text, span[1]):
            continue  # a rate of what was asked, not its figure: "a density of 6.6 people per square mile"
        span = dated(text, span)
        out.append(Value("count", text[span[0] : span[1]], whole(num.value), num.qualifier, span, f"{OPEN}:{label}" if label else OPEN))
    return _of_the_subject(text, out, subject)


def dated(text: str, span: tuple[int, int]) -> tuple[int, int]:
    """The figure's span with the bracketed year that dates it, when one follows at once ("1,948
    inhabitants (2004)"): figures of different years are told apart in the answer, in the source's words."""
    m = _AS_OF.match(text, span[1])
    return (span[0], m.end()) if m else span


def family_figures(text: str, parse: Parse | None, topics: set[str], taken: list[Value]) -> list[Value]:
    """Bare counts the parse makes a value of a topic family's word, however far from it they are written
    ("The death toll from Monday's storm in the north has risen to forty-two": a value of "toll")."""
    if parse is None or parse.lang != "en":
        return []
    fams = families()
    out = []
    for num in read_numbers(text):
        if num.kind != "count" or any(v.span[0] < num.span[1] and num.span[0] < v.span[1] for v in taken):
            continue
        fig = parse.figure(num.span)
        if fig is None or fig.counted:
            continue  # a figure that counts a noun is the family reader's (bot/text/values.py) to judge
        about = {stem(a) for a in fig.about if a not in LINKING_VERBS}
        topic = next((t for t in topics if about & fams.get(t, frozenset())), "")
        if topic:
            out.append(Value("count", text[num.span[0] : num.span[1]], whole(num.value), num.qualifier, num.span, topic))
    return out


def _of_the_subject(text: str, values: list[Value], subject: frozenset[str]) -> list[Value]:
    """Of several figures in one sentence, those whose own words name the question's subject: "its total
    population is 14,719 (of which the population of Varno amounts to 7,254, and that of the rural part is
    7,465)" gives Varno 7,254. The own words of a figure run from the figure before it."""
    if len(values) < 2 or not subject:
        return values
    named = []
    for k, v in enumerate(values):
        start = values[k - 1].span[1] if k else 0
        if mentions(text[start : v.span[0]], subject):
            named.append(v)
    return named or values


__all__ = ["OPEN", "asked_heads", "asked_noun", "dated", "family_figures", "find_asked_figures", "someone_else"]
