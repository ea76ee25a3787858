"""The closed-class word lists the text analysis still needs, each in one place.

These are function words and calendar words of English, true of any text; nothing here names a
subject, an event or a sentence of the corpus. Near-synonym families live in data/lexicon.yaml.
"""

from __future__ import annotations

import re

# General English function words.
STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had
    has have having he her here hers herself him himself his how i if in into is it its itself just
    me more most my myself no nor not now of off on once only or other our ours ourselves out over
    own same she should so some such than that the their theirs them themselves then there these they
    this those through to too under until up very was we were what when where why will with would you
    your yours yourself yourselves tell say says said please know also according many much give gave
    given there's what's who's it's one ones anything something thing things people person happened
    happen happens which while who whom
    """.split()
)

# Question words: what a question asks with, never what it is about.
WH_WORDS = frozenset("who whom whose what when where why how which".split())

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

# Month names and their abbreviations → month number.
MONTHS: dict[str, int] = {m: i for i, m in enumerate(
    "january february march april may june july august september october november december".split(), 1)}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())} | {"sept": 9})

# Prepositions that put a name in the role of a place ("in Moscow", "near Kabul").
PLACE_PREPOSITIONS = frozenset({"in", "at", "near", "outside", "inside"})

# Nouns that count people in general (a count of "people" and of "victims" is the same count).
PEOPLE_NOUNS = frozenset(
    """people persons person individuals victims civilians others men women adults dead casualties
    fatalities deaths lives""".split()
)

# A four-digit year of the last two centuries, alone ("2021") or inside text (YEAR_IN_TEXT).
YEAR = re.compile(r"^(1[89]\d\d|20\d\d)$")
YEAR_IN_TEXT = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
