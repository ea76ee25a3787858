"""Noun-phrase answers for "what is the genre of X", "what sport is X associated with": what each source says X is.

The question asks what kind of thing its subject is when it is built on "be" (or a passive: "is
associated with", "is known for") and names a common noun for the answer ("what sport", "the
profession of", "X's rank"), or asks what the subject is known or associated for without one. The
answer in a sentence is a predicate noun phrase stored with its parse (bot/text/syntax.py): a copula
complement or an apposition ("X is a 1998 Danish drama film", "X, a retired judge, ..."), said of a
subject that names the question's own subject. Each source gives one phrase, from its most relevant
sentence; phrases that name different kinds of thing ("drama film" / "documentary film") disagree,
and one that only adds to another ("drama film" / "Danish drama film") agrees with it. A sentence
that uses the asked noun itself says which one in its modifiers ("broadcasting a Spanish Tropical
format"), and that comes first.

For an activity ("what sport", "what instrument") the phrase is read word by word (the parts the
parse stores): what is stated is the activity it names, in the source's words ("basketball" from
"South Korean basketball player", "football" from "footballer"), two when it names two; a phrase
that names none ("a term", "a 23-point performance") is no claim, and the source's next one is read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any

from bot.answering.names import subject_stems
from bot.answering.nameties import mentions
from bot.models import Claim, Evidence, QuestionAnalysis
from bot.text.syntax import Predicate, SyntaxCache
from bot.text.tokens import raw_words, stem
from bot.text.morphology import activities, known
from bot.text.vocab import ACTIVITY_NOUNS, PLACE_KIND_NOUNS, PROPER_ATTRIBUTE_NOUNS, QUANTITY_NOUNS, WHERE_WHEN_NOUNS

_JOINED = re.compile(r"-[^\W\d_]+")
KIND = "kind"  # the topic family of noun-phrase answers; its label names what the question asks for
_ASKING = frozenset({"what", "which"})
_PRONOUNS = frozenset({"he", "she", "it", "they", "this", "who", "which", "that"})


def _asked_noun(doc: Any) -> str:
    """The word naming what is asked ("sport", "profession"), or a participle ("known"); "" if none."""
    wh = next((t for t in doc if t.lower_ in _ASKING), None)
    if wh is None:
        return ""
    if wh.dep_ == "det" and wh.head.dep_ == "dobj" and (wh.head.lower_ in ACTIVITY_NOUNS or wh.head.head.lemma_ == "play"):
        # "what sport does X play", "what position did X play": what X plays is said by what X is
        # ("a footballer", "a quarterback")
        return wh.head.lower_
    # built on "be" ("what is", "what sport is X associated with"), not on do-support and a verb
    # ("what war did X end": the answer is what X acts on, not what X is)
    if not any(t.lemma_ == "be" for t in doc) or any(t.lemma_ == "do" for t in doc):
        return ""
    root = next((t for t in doc if t.dep_ == "ROOT"), wh)
    if wh.dep_ == "det" and wh.head.pos_ == "NOUN":
        return wh.head.lower_  # "what sport is X associated with"
    nouns = [c for c in root.children if c.dep_ in ("nsubj", "attr") and c is not wh and c.pos_ == "NOUN" and c.text[:1].islower()]
    if nouns:
        return nouns[0].lower_  # "what is the profession of X", "what is X's rank"
    participle = next((t for t in doc if t.tag_ in ("VBN", "VBD") and t.lemma_ != "be" and t.i > wh.i), None)
    return participle.lower_ if participle is not None else ""  # "what is X known for"


def asked_kind(analysis: QuestionAnalysis, syntax: SyntaxCache | None) -> str:
    """What a question about its subject's kind asks for ("genre"); "" when it asks something else."""
    if analysis.answer_type not in ("other", "definition") or syntax is None or not syntax.available:
        return ""
    if not any(w.lower() in _ASKING for w in raw_words(analysis.text)[:2]):
        return ""
    doc = syntax.doc(analysis.text)
    asked = _asked_noun(doc) if doc is not None else ""
    if asked in QUANTITY_NOUNS or asked in PLACE_KIND_NOUNS or asked in WHERE_WHEN_NOUNS:
        return ""  # "the estimated population", "which state", "the founding date": a figure, a place, a time
    return asked


def _said_of_subject(pool: Sequence[Evidence], syntax: SyntaxCache,
                     subject: frozenset[str]) -> Iterator[tuple[tuple[int, int, int, int], Evidence, Predicate]]:
    """Each predicate noun phrase said of the question's subject, with its rank key (lower is better)."""
    for rank, ev in enumerate(pool):
        text = ev.sentence.text
        parse = syntax.get(text)
        if parse is None or parse.lang != "en":
            continue
        around = " ".join([ev.sentence.heading, *ev.paragraph_before[-1:]])
        for pred in parse.predicates:
            said_of = text[pred.subject[0]:pred.subject[1]].strip().lower()
            named = mentions(said_of, subject)
            # "He is a retired judge": a pronoun's subject is named before it, in the sentence or the one before
            if not pred.norm or not (named or (said_of in _PRONOUNS and mentions(f"{around} {text[:pred.subject[0]]}", subject))):
                continue
            # what a copula says of the subject by name comes first, then the article's earliest sentence
            # (where an article says what its subject is), then relevance
            yield (0 if pred.copula else 1, 0 if named else 1, ev.sentence.idx, rank), ev, pred


def find_kinds(pool: Sequence[Evidence], analysis: QuestionAnalysis, syntax: SyntaxCache | None,
               common: frozenset[str] = frozenset()) -> list[Claim]:
    """One predicate noun phrase per source about the question's subject (for "what sport", the activities
    it names); [] when the question asks for none."""
    asked = asked_kind(analysis, syntax)
    subject = subject_stems(analysis.text) - common
    if not asked or not subject or syntax is None:
        return []
    topic = f"{KIND}:{asked}"
    best: dict[str, tuple[tuple[int, int, int, int], list[Claim]]] = {}
    for key, ev, pred in _said_of_subject(pool, syntax, subject):
        source, text = ev.sentence.source, ev.sentence.text
        if source in best and best[source][0] <= key:
            continue
        if asked in ACTIVITY_NOUNS:
            # a phrase that names no activity ("a term", "a 23-point performance") is passed over
            found = [(span, frozenset(norm)) for span, norm in activities_in(text, pred, syntax.name, asked)]
        elif asked in PROPER_ATTRIBUTE_NOUNS:
            found = proper_modifiers(text, pred)
        else:
            found = [(pred.span, frozenset(pred.norm))]
        if found:
            best[source] = (key, [Claim(kind="name", value=text[a:b], norm=norm, qualifier="exact", topic=topic,
                                        evidence=ev, span=(a, b), event=()) for (a, b), norm in found])
    if asked not in ACTIVITY_NOUNS:  # ("known" is no noun: a sentence never uses it as the asked noun)
        best.update(_by_the_asked_noun(pool, syntax, asked, subject, topic))
    return [c for _, cs in sorted(best.values(), key=lambda kc: kc[0][3]) for c in cs]


def _by_the_asked_noun(pool: Sequence[Evidence], syntax: SyntaxCache, asked: str, subject: frozenset[str],
                       topic: str) -> dict[str, tuple[tuple[int, int, int, int], list[Claim]]]:
    """What a sentence about the subject says with the asked noun itself, per source: "a radio station
    broadcasting a Spanish Tropical format" (the format: "Spanish Tropical"), "holds the rank of captain"."""
    out: dict[str, tuple[tuple[int, int, int, int], list[Claim]]] = {}
    for rank, ev in enumerate(pool):
        source, text = ev.sentence.source, ev.sentence.text
        parse = syntax.get(text)
        if source in out or parse is None or not mentions(text, subject):
            continue
        for lemma, a, b in parse.which:
            value = text[a:b]
            # "the rank of Ada Holm": the question's own wording, not a value
            if lemma == asked and not mentions(value, subject):
                out[source] = ((-1, 0, ev.sentence.idx, rank), [Claim(
                    kind="name", value=value, norm=frozenset(w.lower() for w in raw_words(value)), qualifier="exact",
                    topic=topic, evidence=ev, span=(a, b), event=())])
                break
    return out


def proper_modifiers(text: str, pred: Predicate) -> list[tuple[tuple[int, int], frozenset[str]]]:
    """The capitalised words modifying a predicate's head ("Hindi" in "a 1941 Hindi drama film", "French-born
    Canadian" in "a French-born Canadian writer"), as one span per head; a word opening the sentence is no name."""
    out = []
    for group, words in pred.parts:
        if group == "in":
            continue
        caps = [(a, b) for a, b, role in words[:-1] if text[a:a + 1].isupper() and not role.endswith("^")]
        if caps:
            # "Punjabi-language": the word the capital is written onto goes with it
            end = m.end() if (m := _JOINED.match(text, caps[-1][1])) else caps[-1][1]
            out.append(((caps[0][0], end), frozenset(text[a:b].lower() for a, b in caps)))
    return out


def activities_in(text: str, pred: Predicate, pipeline: str, asked: str) -> list[tuple[tuple[int, int], set[str]]]:
    """The activities a predicate names, each as (span, lemmas to compare by), in the source's words.

    Per head noun: the nouns modifying it ("basketball" in "South Korean basketball player", "ice hockey",
    two in "a football player and baseball player"), else the activity the head is named after ("football"
    inside "footballer"); a bare apposition is itself one ("X (ice hockey)"). Only when no head gives one,
    the object of an "in" after it ("a figure in basketball"). A phrase naming the asked kind itself
    ("sports history", "the game") names no instance of it.
    """
    out: dict[frozenset[str], tuple[int, int]] = {}
    for group in ("head", "in"):
        for g, words in pred.parts:
            if g != group and not (g == "bare" and group == "head"):
                continue
            # "X (ice hockey)": a bare apposition not naming a person ("footballer") is the activity itself
            whole = g == "in" or (g == "bare" and not activities(pipeline, _singular(text[words[-1][0]:words[-1][1]].lower())))
            found = _activity(text, words, pipeline, whole=whole)
            if found and not {stem(w) for w in found[1]} & ({stem(asked)} | {stem(n) for n in ACTIVITY_NOUNS}):
                out.setdefault(frozenset(found[1]), found[0])
        if out:
            break
    return [(span, set(norm)) for norm, span in out.items()]


def _activity(text: str, words: tuple[tuple[int, int, str], ...], pipeline: str,
              whole: bool) -> tuple[tuple[int, int], list[str]] | None:
    """The activity one noun and its modifiers name; `whole`: the noun is part of it ("in ice hockey")."""
    *run, head = words
    word = text[head[0]:head[1]]
    if whole:
        if not word[:1].islower() or any(ch.isdigit() for ch in word):
            return None
        run = [*run, (head[0], head[1], "compound/NOUN")]  # the object itself may be the activity
    picked: list[tuple[int, int, str]] = []
    j = len(run) - 1
    while j >= 0:
        w = text[run[j][0]:run[j][1]]
        if _nounish(w, run[j][2], pipeline):
            picked.insert(0, run[j])
        elif picked or not known(pipeline, w.lower(), "adj"):
            break  # "offensive" in "football offensive lineman" is passed over, "former" ends the run
        j -= 1
    if picked and j >= 0 and (run[j][2].rstrip("^").endswith("/NUM") or text[run[j][0]:run[j][1]] == "-"):
        return None  # a measure ("23-point", "four-time"), not an activity
    if not picked:
        # a person noun alone names its activity when it holds the activity's name ("football" inside
        # "footballer"); one named after a verb ("player", "winner", "boxer") names no kind of it
        acts = [] if whole else activities(pipeline, _singular(word.lower()))
        m = re.compile(rf"\b{re.escape(acts[0])}(?=(?:er|ist|or)s?\b)", re.I).match(text, head[0], head[1]) if acts else None
        return ((m.start(), m.end()), [acts[0]]) if m else None
    norm = [text[a:b].lower() for a, b, _ in picked]
    acts = [] if whole else activities(pipeline, _singular(word.lower()))
    if acts and known(pipeline, norm[-1], "verb"):
        # "speed skater": the modifier says how the head's own activity is done; stated with the head
        return (picked[0][0], head[1]), [*norm, acts[0]]
    while j >= 0 and run[j][2].rstrip("^").endswith("/ADJ") and text[run[j][0]:run[j][0] + 1].isupper():
        picked.insert(0, run[j])  # "American football": the source's own words before the activity, stated with it
        j -= 1
    return (picked[0][0], picked[-1][1]), norm


def _nounish(word: str, role: str, pipeline: str) -> bool:
    """A modifier that is a noun: a lower-case compound ("ice hockey", "swimming coach"), or an "adjective"
    the index knows only as a noun ("sumo"); not a word the index also knows as an adjective ("offensive")."""
    w = word.lower()
    # a capital on a common noun, or on a word opening a headline ("Rugby league player"), is no name's
    if not word[:1].isalpha() or not (word[:1].islower() or role.endswith("/NOUN") or
                                      (role.endswith("^") and known(pipeline, w, "noun"))):
        return False
    if role.startswith(("compound/", "nmod/")):
        return w.endswith("ing") or not known(pipeline, w, "adj")
    return role.startswith("amod/") and known(pipeline, w, "noun") and not known(pipeline, w, "adj")


def _singular(word: str) -> str:
    return word[:-1] if word.endswith(("ers", "ists", "ors")) else word


__all__ = ["KIND", "activities_in", "asked_kind", "find_kinds", "proper_modifiers"]
