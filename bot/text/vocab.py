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

# Prepositions that put a name in the role of a place ("in Tarsk", "near Halby").
PLACE_PREPOSITIONS = frozenset({"in", "at", "near", "outside", "inside"})
# Prepositions that make a name the setting of a question rather than what it asks about ("the weather in
# Orlen", "the harbour of Velmar").
PREPOSITIONS = PLACE_PREPOSITIONS | frozenset({"of", "from", "to", "on", "for", "about", "across", "around"})

# Nouns that count people in general (a count of "people" and of "victims" is the same count).
PEOPLE_NOUNS = frozenset(
    """people persons person individuals victims civilians others men women adults dead casualties
    fatalities deaths lives inhabitants residents""".split()
)

# A four-digit year of the last two centuries, alone ("2021") or inside text (YEAR_IN_TEXT).
YEAR = re.compile(r"^(1[89]\d\d|20\d\d)$")
# Any year a date question may be answered with (1000-2099); a four-digit figure before 1800 is a year
# only where no noun follows it (bot/text/values.py: "in 1786." is a year, "1500 soldiers" a count).
ANY_YEAR = re.compile(r"^(1\d\d\d|20\d\d)$")
YEAR_IN_TEXT = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
# Eras written after a year ("148 BC") or before it ("AD 79"); any number of digits is then a year
# as written, in capitals ("an ad" is a word), longest first; only these two stand before a year ("AD 79")
ERAS_BEFORE_CHRIST = ("B.C.E.", "B.C.", "BCE", "BC")
ERAS_AFTER = ("A.D.", "AD", "C.E.", "CE")
ERAS_BEFORE_YEAR = ("A.D.", "AD")
# Words by which a sentence gives one thing a second name ("Orlen, a town known as Marsk until 1990")
ALIAS_CUES = ("known as", "formerly", "also called", "renamed", "previously called", "now called", "a.k.a.",
              "called", "named")
# Auxiliaries that open a yes/no question ("Were the guards carrying rifles?")
YES_NO_OPENERS = frozenset("is are was were did does do has have had can could will would should".split())
# Seasons that place a date within its year ("the fall of 2010", "spring 1999")
SEASONS = ("spring", "summer", "autumn", "fall", "winter")

# --- numbers (bot/text/numbers.py) -------------------------------------------------------------
# English number words that start or continue a written number ("one hundred and thirty-nine").
NUMBER_WORDS = frozenset(
    """zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen
    sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred
    thousand million billion trillion dozen""".split()
)
# Scale words after a figure ("1.5 million") and their attached abbreviations ("2.3bn", "$5m").
SCALES: dict[str, float] = {
    "hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
    "k": 1e3, "m": 1e6, "mn": 1e6, "bn": 1e9, "tn": 1e12,
}
# Qualifiers written before a figure, longest first: floor, ceiling, approx, range.
QUALIFIERS: list[tuple[tuple[str, ...], str]] = [
    (("no", "fewer", "than"), "floor"), (("not", "less", "than"), "floor"), (("at", "least"), "floor"),
    (("more", "than"), "floor"), (("upwards", "of"), "floor"), (("in", "excess", "of"), "floor"),
    (("over",), "floor"), (("above",), "floor"), (("exceeding",), "floor"),
    (("at", "most"), "ceiling"), (("up", "to"), "ceiling"), (("fewer", "than"), "ceiling"),
    (("less", "than"), "ceiling"), (("under",), "ceiling"), (("below",), "ceiling"),
    (("close", "to"), "approx"), (("an", "estimated"), "approx"), (("nearly",), "approx"),
    (("almost",), "approx"), (("approximately",), "approx"), (("about",), "approx"),
    (("around",), "approx"), (("some",), "approx"), (("roughly",), "approx"), (("estimated",), "approx"),
    (("approx",), "approx"), (("between",), "range"), (("late",), "approx"), (("early",), "approx"),
    (("mid",), "approx"), (("circa",), "approx"),
]
# Words before a time of day that make it approximate ("shortly after 9 p.m."), and names of universal time
APPROX_TIME_WORDS = ("shortly after", "shortly before", "just after", "just before", "about", "around", "approximately",
                     "roughly", "some time after", "soon after")
UTC_NAMES = ("GMT", "UTC")
# Endings of nouns for one who does what the base names ("creator", "artist", "owner"), and of nouns for people
# by what they do or undergo ("employee", "resident", "participant").
AGENT_SUFFIXES = ("er", "ist", "or")
PERSON_SUFFIXES = (*AGENT_SUFFIXES, "ee", "ant", "ent")
# Light verbs: they take their meaning from the words after them ("came second" is "finished second"), so a
# question's light verb that no article uses is not a missing word.
LIGHT_VERBS = frozenset({"come", "comes", "came", "coming", "get", "gets", "got", "getting", "go", "goes", "went",
                         "going", "make", "makes", "made", "making"})
# Words that set an event before the one reported ("the last presidential election, in 2028", "the previous
# flood"), and nouns after which "last" means final instead ("on the last day of the festival").
PRIOR_WORDS = frozenset({"last", "previous", "prior", "preceding", "earlier"})
FINAL_NOUNS = frozenset({"day", "days", "week", "weekend", "month", "year", "night", "hour", "minute", "moment",
                         "time", "stage", "phase", "round", "leg", "match", "game", "episode", "chapter"})
# Times of day named by a word, in minutes after midnight ("shortly before midnight").
TIME_WORDS = {"midnight": 0, "noon": 12 * 60, "midday": 12 * 60}
# Plural number words that give an order of magnitude, not a figure.
VAGUE_NUMBERS: dict[str, tuple[int, int]] = {
    "dozens": (24, 99), "scores": (40, 99), "hundreds": (200, 999), "thousands": (2000, 9999),
    "millions": (2_000_000, 9_999_999),
}
# Words after a figure that make it a measure, not a count of things (lower case).
UNIT_WORDS = frozenset(
    """hour hours day days week weeks month months year years decade decades minute minutes second
    seconds km kilometers kilometres kilometer kilometre sq square mile miles metres meters metre meter
    m2 km2 ha hectares acres feet foot ft inch inches cm mm kg kilograms grams g tons tonnes pounds lb
    lbs degrees °c °f celsius fahrenheit magnitude richter times century centuries mph kph
    kmh gb tb mb mw gw kw volts percent percentage cc litres liters hp bhp""".split()
)
PERCENT_WORDS = frozenset({"percent", "percentage", "pct"})
# Nouns a question asks a share by ("what share of the vote", "the percentage of voters"): a percentage of a
# thing answers it, but not a question about the thing itself ("22.3% of the population" is no population).
SHARE_NOUNS = frozenset({"share", "percentage", "percent", "proportion", "fraction", "portion", "majority"})
# Fraction nouns after a number ("two thirds", "three quarters") → the denominator: a share, read as a percentage.
FRACTION_WORDS = {"third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fifth": 5, "fifths": 5, "sixth": 6,
                  "sixths": 6, "eighth": 8, "eighths": 8, "tenth": 10, "tenths": 10}
# Currencies written before ("$5m", "US$ 2bn", "€40") or after ("40 euros") a figure.
CURRENCY_SIGNS = frozenset({"$", "€", "£", "¥", "₹", "₽"})
CURRENCY_WORDS = frozenset(
    """dollars dollar euros euro pounds sterling yen rupees rubles roubles pesos yuan francs usd eur
    gbp""".split()
)
# Determiners before "one" that make it a pronoun ("the one that", "this one"), not a figure.
PRONOUN_ONE_BEFORE = frozenset({"the", "this", "that", "which", "every", "no", "any", "each", "another"})
# Words after which a figure is a label, not a count ("No. 5", "number 7").
LABEL_BEFORE = frozenset({"no", "nos", "number", "#"})
# Verbs that state a value of their subject ("the toll stood at 130", "turnout reached 67%").
LINKING_VERBS = frozenset(
    """be stand rise climb reach total number exceed top hit fall drop grow increase decrease jump
    surge soar remain become hover amount""".split()
)
# Nouns that name a quantity: "what is the population of X?" wants a figure, not a definition.
QUANTITY_NOUNS = frozenset(
    """population magnitude length height width depth area size total amount number toll cost price
    value turnout share percentage rate age distance speed weight capacity budget revenue salary
    income debt fine sum count tally majority margin score attendance temperature duration""".split()
)

# Words that say what kind of answer is wanted rather than what it is about.
FRAME_WORDS = frozenset(
    """number many much toll count figure figures total year date day time place location happen
    happened occur occurred take took reason reasons exactly approximately roughly motivated motive
    motives cause caused explain explained describe tell name names kind sort happening meaning mean
    means full like whose long big size type exactly earlier later recent recently last ago today
    yesterday tomorrow week weeks month months years days money""".split()
)
# What a question asks of a life (lemmas): its start or its end, the two dates after a name in reference
# works ("Ada Voss (4 March 1951 – 2 May 2019)"; "(born 1951)", "(died 2019)").
LIFE_START = frozenset({"bear", "born", "birth", "b"})
LIFE_END = frozenset({"die", "died", "death", "d"})
# Quantity nouns whose figure is a number of people: "a population of 3,171" is "3,171 people".
COUNTS_OF_PEOPLE = frozenset({"population", "populace", "inhabitants", "residents", "headcount", "attendance", "crowd"})
# "How deep", "how high": the adjective of a how-question names the measure asked for, which articles give
# as a noun ("a depth of 15 km"). English morphology, not a topic list.
HOW_MEASURES: dict[str, str] = {
    "deep": "depth", "high": "height", "tall": "height", "long": "length", "wide": "width", "far": "distance",
    "heavy": "weight", "old": "age", "big": "size", "large": "size", "strong": "strength", "fast": "speed",
}
# Words by which a question asks for a rate ("the population density", "deaths per day"): only then is a
# figure written as a rate ("6.6 people per square mile") an answer.
RATE_WORDS = frozenset("per density rate ratio average speed frequency".split())

# --- values (bot/text/values.py) ----------------------------------------------------------------
# Who did it: counted with people when arrested, but never part of a death or injury toll.
PERPETRATORS = frozenset("gunmen gunman assailants attackers suspects terrorists bombers".split())
# Plural nouns that do not end in -s ("12 children", "40 staff").
IRREGULAR_PLURALS = frozenset("children staff personnel police crew".split())
# Words that end the noun phrase after a figure: the counted noun is not read past them.
COUNT_PHRASE_ENDS = frozenset(
    """were was are is have had has be been being died killed dead injured wounded and or in at on of
    who that which while during after before with by from to for""".split()
)
# Nouns that make a capitalised name a venue ("Halby Arena Hall", "Norwick theatre").
VENUE_NOUNS = frozenset(
    """hall theatre theater house venue arena stadium centre center airport embassy school synagogue
    mosque church cathedral club mall cinema hotel station market museum""".split()
)

# --- sentences (bot/text/sentences.py) ---------------------------------------------------------
# Abbreviations after which a full stop does not end a sentence.
ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof st jr sr gen col lt sgt capt gov sen rep rev no nos vs etc e.g i.e al
    jan feb mar apr jun jul aug sep sept oct nov dec inc ltd co corp dept est approx fig u.s u.k
    u.n e.u a.m p.m""".split()
)

# --- named answers (bot/answering/names.py) ----------------------------------------------------
# Words that may stand inside a proper name between its capitalised words ("Slim the Mobster",
# "Republic of Honduras", "Simon & Garfunkel"; a possessive ends a name: bot/text/namelinks.py).
NAME_JOINERS = frozenset({"the", "of", "de", "&", "'s", "’s"})
# Words that introduce a name as the one who did something ("directed by Frank Oz", "a song by Secret").
AGENT_MARKERS = frozenset({"by"})
# Nouns a question uses to ask for a place name rather than a venue ("which city", "what country").
# Nouns that ask what someone does rather than what they are: "what sport is X associated with?" is answered
# by "football" where the source says "footballer" (bot/text/morphology.py derives it).
ACTIVITY_NOUNS = frozenset({"sport", "game", "instrument", "discipline"})
# Nouns asking for what a proper adjective says of a kind ("a 1941 Hindi drama film", "a Canadian writer"):
# the answer is the phrase's capitalised modifiers, not the kind (bot/answering/kinds.py)
PROPER_ATTRIBUTE_NOUNS = frozenset({"language", "nationality", "citizenship", "ethnicity"})
# Nouns that ask for a place, a time or a figure, not for what kind of thing something is:
# "what is the location of X", "the founding date of X" (bot/answering/kinds.py leaves them be).
WHERE_WHEN_NOUNS = frozenset("""location place site address date year day month time period era""".split())
PLACE_KIND_NOUNS = frozenset(
    """city cities town towns village villages country countries region regions province provinces state
    states county counties nation nations capital district municipality continent island""".split()
)
# Compass words that are part of a place named after them ("eastern Afghanistan", "northern Syria").
COMPASS_WORDS = frozenset(
    """north south east west northern southern eastern western central northeastern northwestern
    southeastern southwestern""".split()
)

# --- conversation (bot/answering/conversation.py) ---------------------------------------------------
# Words that open a follow-up question ("and how many were injured?", "what about the injured?").
FOLLOW_UP_OPENERS = (
    "and", "but", "also", "so", "then", "what about", "how about", "and what about", "and how about",
    "same for", "ok,", "ok", "okay,", "okay",  # "ok,?" as two entries: the comma is optional
)
# Pronouns that point back to an earlier question's subject ("who claimed it?").
PRONOUNS = frozenset("it its they them their theirs he him his she her this that these those there".split())
