"""Question → what kind of answer it wants (a count, a year, a date, a place, a name, a reason) and what it is about."""

from __future__ import annotations

import re

from bot.models import AnswerType, QuestionAnalysis
from bot.text.lexicon import families_of_typo
from bot.text.tokens import STOPWORDS, WH_WORDS, raw_words, stem, words
from bot.text.vocab import FRAME_WORDS, HOW_MEASURES, PEOPLE_NOUNS, PERPETRATORS, PLACE_KIND_NOUNS, QUANTITY_NOUNS

_COUNT = re.compile(r"\bhow\s+(many|much)\b|\bnumber\s+of\b|\btoll\b|\bcasualt|\bhow\s+big\b|\bsize\s+of\b", re.I)
_YEAR = re.compile(r"\b(what|which|in\s+what)\s+year\b|\bsince\s+when\b|\byear\W*$", re.I)
_TIME = re.compile(r"\b(what|which)\s+(time|hour)\b|\bat\s+what\s+hour\b|\bwhat\s+o'?clock\b", re.I)
_DATE = re.compile(r"\bwhen\b|\b(what|which)\s+(date|day|month)\b", re.I)
_PLACE = re.compile(
    r"\bwhere\b|\b(what|which)\s+(venue|place|city|town|country|countries|location|building|hall|region|area)\b"
    r"|\bname\s+of\s+the\s+(\w+\s+)?(venue|place|building|hall|theatre|theater)\b", re.I
)
_REASON = re.compile(r"\bwhy\b|\breasons?\b|\bmotiv|\bwhat\s+led\b|\bcaused?\b|\bpurpose\b", re.I)
_DEFINE = re.compile(
    # "who was the husband of X" asks for a person, not for what "the husband" is
    r"^\s*(?:what\s+(?:is|are|was|were)\s+(?!the\s+(?:number|death|toll))|who\s+(?:is|are|was|were)\s+(?!the\s+\S+\s+of\b))"
    r"\S+(\s+\S+){0,3}\s*\??\s*$"
    r"|\bstand\s+for\b|\bstands\s+for\b|\bmean(s|ing)?\b|\brefer(s)?\s+to\b|\bdefin",
    re.I,
)
_ORG = re.compile(r"\b(which|what)\s+(group|organi[sz]ation|branch|faction)\b|\bwho\s+(claimed|was\s+behind|is\s+behind|carried|did|attacked|was\s+responsible)", re.I)
_PERSON = re.compile(r"\bwho\b", re.I)


_TAKE_OVER = re.compile(r"\b(take|took|taken|taking)\s+over\b", re.I)


def wh_head(q: str) -> str:
    """The noun a wh-question asks for: "What was the population of Varno?" → "population"; "" if none."""
    toks = words(q)
    if not toks or toks[0] not in WH_WORDS:
        return ""
    for w in toks[1:6]:
        if w not in STOPWORDS and w not in WH_WORDS:
            return w
    return ""


def how_measure(q: str) -> str:
    """The measure an opening "how <adjective>" asks for ("How deep was it?" → "depth"), or ""."""
    ws = words(q)
    return HOW_MEASURES.get(ws[1], "") if len(ws) > 1 and ws[0] == "how" else ""


def wh_phrase(q: str, size: int = 3) -> list[str]:
    """The content words a wh-question names before "of"/"in": "What is the estimated total population of X?"
    → ["estimated", "total", "population"]; a quantity noun among them asks for a figure."""
    raw = raw_words(q)
    if not raw or raw[0].lower() not in WH_WORDS:
        return []
    out: list[str] = []
    for r in raw[1:8]:
        w = r.lower()
        if w in ("of", "in", "for", "at", "on") and out:
            break
        if r[:1].isupper():
            continue  # a name ("When was Walter Price born?") says which one, not what is asked
        if w not in STOPWORDS and w not in WH_WORDS:
            out.append(w)
        if len(out) == size:
            break
    return out


def _asked_noun(q: str) -> str:
    """The noun right after a wh-word among the first three words ("in which state", "what county"), or ""."""
    ws = [w.lower() for w in raw_words(q)]
    k = next((i for i, w in enumerate(ws[:3]) if w in ("which", "what")), None)
    return ws[k + 1] if k is not None and k + 1 < len(ws) else ""


def _terse_head(q: str) -> str:
    """The first content word of a question written without a wh-word ("magnitude?", "date of the flood?"), or ""."""
    toks = words(q)
    if any(w in WH_WORDS for w in toks):
        return ""
    return next((w for w in toks if w not in STOPWORDS), "")


def _answer_type(q: str, topics: list[str]) -> AnswerType:
    terse = _terse_head(q)
    # "When did the regulator fine the bank?": a quantity noun after "when" is a verb or the setting, not what is asked
    when = re.match(r"\s*when\b", q, re.I) is not None
    if not when and (_COUNT.search(q) or wh_head(q) in QUANTITY_NOUNS or set(wh_phrase(q)) & QUANTITY_NOUNS
                     or terse in QUANTITY_NOUNS):
        return "count"
    if terse in ("date", "day"):
        return "date"  # "date of the flood?"
    if terse == "year":
        return "year"
    if _TIME.search(q):
        return "time"
    if _YEAR.search(q):
        return "year"
    if _DATE.search(q):
        return "year" if any(t == "founded" for t in topics) else "date"
    asked = set(wh_phrase(q))
    if asked & {"date", "day", "month", "birthday"}:  # "What is the birth date of X?", "the founding date"
        return "date"
    if "year" in asked:
        return "year"
    if _PLACE.search(q) or _asked_noun(q) in PLACE_KIND_NOUNS or wh_head(q) in ("location", "whereabouts"):
        return "place"
    if _REASON.search(q):
        return "reason"
    if _DEFINE.search(q):
        return "definition"
    if _ORG.search(q):
        return "organisation"
    if _PERSON.search(q):
        return "person"
    if any(t in ("killed", "injured", "arrested", "fighters") for t in topics):
        return "count"  # "people died?", "death toll", "injured?": a terse question about a countable thing
    return "other"


def _name_words(q: str) -> set[str]:
    """Lower-case words written inside a name: capitalised after the first word, beside another
    capitalised word ("Walter Price", "the Grand Hotel"); a lone capital may be emphasis or a title."""
    raw = raw_words(q)
    caps = [i for i, r in enumerate(raw) if i > 0 and r[:1].isupper()]
    out = set()
    for i in caps:
        if i - 1 in caps or i + 1 in caps:
            out.add(raw[i].lower())
    return out


_OF_THEM = re.compile(r"^of\s+(?:them|those|these|the\s+\w+)\s+(?:were|are|was|is)\s+", re.I)


def _counted_noun(q: str) -> tuple[str, list[str]]:
    """What "how many X" counts, and the words that qualify it ("US service members": "members", [us, service]).

    "" when it counts people in general. "how many of them were X" counts X.
    """
    m = re.search(r"\bhow\s+many\s+(.*)", q, re.I)
    if not m:
        return "", []
    rest = _OF_THEM.sub("", m.group(1))
    seen: list[str] = []
    for raw in raw_words(rest)[:3]:
        w = raw.lower()
        if w in STOPWORDS or w in WH_WORDS:
            return "", []
        if raw[0].isupper() and w not in PERPETRATORS:  # "Red Hand members", "Dutch service members": a name qualifies
            seen.append(w)
            continue
        if w in PERPETRATORS:
            return w, seen
        if w in PEOPLE_NOUNS:
            return "", []
        if len(w) >= 4 and (w.endswith("s") or w in ("children", "staff", "police", "personnel")):
            if families_of_typo(w) and not families_of_typo(w)[0] == "fighters":
                return "", []
            return w, seen
        seen.append(w)
    return "", []


def _noun_class(noun: str, topics: list[str]) -> str:
    """Perpetrators are people when arrested, but a class of their own when killed or injured."""
    if noun in PERPETRATORS:
        return "" if "arrested" in topics else "attackers"
    fams = families_of_typo(noun)
    return fams[0] if fams and fams[0] in topics else noun  # "militants" are counted as "fighters"


def analyse(question: str) -> QuestionAnalysis:
    """The expected answer type, focus stems (with near-synonyms) and event-pinning terms of a question."""
    q = " ".join(question.split())
    # "take over" is one word for what it asks about; "take place" is only the frame of a question
    toks = [w for w in words(_TAKE_OVER.sub("takeover", q)) if w]
    content = [w for w in toks if w not in STOPWORDS and w not in WH_WORDS]
    topics: list[str] = []
    topic_words: dict[str, str] = {}
    named = _name_words(q)
    for w in content:
        if w in named:
            continue  # "the National Rifle Association": a word of a name is not what is asked
        for fam in families_of_typo(w):
            topic_words.setdefault(fam, w)
            if fam not in topics:
                topics.append(fam)
    if "takeover" in topics and "founded" in topics:
        topics.remove("founded")
    answer_type = _answer_type(q, topics)
    if answer_type in ("year", "date", "time") and "venue" in topics:
        # "when did the Halby Arena Hall attack take place": the venue is the setting; the event is asked about
        topics = [t for t in topics if t != "venue"]
    if answer_type == "count" and "venue" in topics and len(topics) > 1:
        topics.remove("venue")  # "how many died at Halby Arena Hall": deaths are counted, not halls
    if answer_type in ("count", "year", "date") and "attack" in topics and len(topics) > 1:
        topics.remove("attack")  # "how many died in the blast": the event is the setting, deaths the topic
    if answer_type == "count" and not (set(topics) & {"killed", "injured", "arrested", "fighters"}):
        if re.search(r"\btoll\b|\bcasualt", q, re.I):
            topics.insert(0, "killed")
    focus: list[str] = []
    for w in content:
        s = stem(w)
        if s not in focus:
            focus.append(s)
    from bot.text.lexicon import families

    for fam in topics:
        for s in sorted(families()[fam]):
            if s not in focus:
                focus.append(s)
    family_stems = {s for fam in topics for s in families()[fam]}
    noun, qualifiers = _counted_noun(q) if answer_type == "count" else ("", [])
    event_terms = [
        stem(w) for w in content
        if w != noun and w not in qualifiers and stem(w) not in family_stems and w not in FRAME_WORDS and w not in PEOPLE_NOUNS and not families_of_typo(w)
    ]
    proper = {stem(w.lower()) for w in re.findall(r"\b(?:[A-Z][\w'’\-]*|\d{4})", q[1:])}
    return QuestionAnalysis(
        text=q,
        event_nouns=[t for t in dict.fromkeys(event_terms) if t not in proper and not t.isdigit()],
        answer_type=answer_type,
        focus=focus,
        event_terms=list(dict.fromkeys(event_terms)),
        topics=topics,
        noun=_noun_class(noun, topics),
        topic_words={f: w for f, w in topic_words.items() if f in topics},
    )
