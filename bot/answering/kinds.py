"""Noun-phrase answers for "what is the genre of X", "what sport is X associated with": what each source says X is.

The question asks what kind of thing its subject is when it is built on "be" (or a passive: "is
associated with", "is known for") and names a common noun for the answer ("what sport", "the
profession of", "X's rank"), or asks what the subject is known or associated for without one. The
answer in a sentence is a predicate noun phrase stored with its parse (bot/text/syntax.py): a copula
complement or an apposition ("X is a 1998 Danish drama film", "X, a retired judge, ..."), said of a
subject that names the question's own subject. Each source gives one phrase, from its most relevant
sentence; phrases that name different kinds of thing ("drama film" / "documentary film") disagree,
and one that only adds to another ("drama film" / "Danish drama film") agrees with it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from bot.answering.names import subject_stems
from bot.models import Claim, Evidence, QuestionAnalysis
from bot.text.syntax import SyntaxCache
from bot.text.tokens import raw_words, stem
from bot.text.morphology import activities, known
from bot.text.vocab import ACTIVITY_NOUNS, PLACE_KIND_NOUNS, QUANTITY_NOUNS, WHERE_WHEN_NOUNS

KIND = "kind"  # the topic family of noun-phrase answers; its label names what the question asks for
_ASKING = frozenset({"what", "which"})
_PRONOUNS = frozenset({"he", "she", "it", "they", "this", "who", "which", "that"})


def _asked_noun(doc: Any) -> str:
    """The word naming what is asked ("sport", "profession"), or a participle ("known"); "" if none."""
    wh = next((t for t in doc if t.lower_ in _ASKING), None)
    if wh is None:
        return ""
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


def _names_subject(text: str, subject: frozenset[str]) -> bool:
    return bool(subject & {stem(w.lower()) for w in raw_words(text)})


def find_kinds(pool: Sequence[Evidence], analysis: QuestionAnalysis, syntax: SyntaxCache | None,
               common: frozenset[str] = frozenset()) -> list[Claim]:
    """One predicate noun phrase per source about the question's subject; [] when the question asks for none."""
    asked = asked_kind(analysis, syntax)
    subject = subject_stems(analysis.text) - common
    if not asked or not subject or syntax is None:
        return []
    best: dict[str, tuple[tuple[int, int, int, int], Claim]] = {}
    for rank, ev in enumerate(pool):
        source, text = ev.sentence.source, ev.sentence.text
        parse = syntax.get(text)
        if parse is None or parse.lang != "en":
            continue
        around = " ".join([ev.sentence.heading, *ev.paragraph_before[-1:]])
        for pred in parse.predicates:
            said_of = text[pred.subject[0]:pred.subject[1]].strip().lower()
            named = _names_subject(said_of, subject)
            # "He is a retired judge": a pronoun's subject is named before it, in the sentence or the one before
            if not pred.norm or not (named or (said_of in _PRONOUNS and _names_subject(f"{around} {text[:pred.subject[0]]}", subject))):
                continue
            # what a copula says of the subject by name comes first, then the article's earliest sentence
            # (where an article says what its subject is), then relevance
            key = (0 if pred.copula else 1, 0 if named else 1, ev.sentence.idx, rank)
            if source in best and best[source][0] <= key:
                continue
            value = text[pred.span[0]:pred.span[1]]
            best[source] = (key, Claim(kind="name", value=value, norm=frozenset(pred.norm), qualifier="exact",
                                       topic=f"{KIND}:{asked}", evidence=ev, span=pred.span, event=()))
    claims = [c for _, c in sorted(best.values(), key=lambda kc: kc[0][3])]
    return [_as_activity(c, pool, syntax.name) for c in claims] if asked in ACTIVITY_NOUNS else claims


def _as_activity(c: Claim, pool: Sequence[Evidence], pipeline: str) -> Claim:
    """For "what sport": phrases are compared by the activity they name ("basketball player" and "basketball
    coach" agree; "footballer" and "cricketer" do not), and a person noun that holds its activity's name is
    stated as that name, as the source writes it ("football" in "Welsh professional footballer"); a phrase
    with more to it ("ice hockey defenceman", "speed skater") is stated whole."""
    text = c.evidence.sentence.text
    order = tuple(_lemma_words(text[c.span[0]:c.span[1]]))
    if not order:
        return c
    head = order[-1]
    mods = [m for m in order[:-1] if known(pipeline, m, "noun") and not known(pipeline, m, "adj")]
    acts = activities(pipeline, head)
    activity = (mods[-1:] or acts[:1] or [""])[0]
    if not activity:
        return c
    if not mods and known(pipeline, activity, "noun"):  # "football" written inside "footballer"
        m = re.compile(rf"\b{re.escape(activity)}(?=(?:er|ist|or)s?\b)", re.I).search(text, c.span[0], c.span[1])
        if m:
            return Claim(kind="name", value=m.group(), norm=frozenset({activity}), qualifier="exact",
                         topic=c.topic, evidence=c.evidence, span=m.span(), event=())
    return Claim(kind="name", value=c.value, norm=frozenset({activity}), qualifier=c.qualifier, topic=c.topic,
                 evidence=c.evidence, span=c.span, event=c.event)


def _lemma_words(phrase: str) -> list[str]:
    """The lower-case words of a phrase (names and nationalities left out), singular."""
    return [w.lower().rstrip("s") if w.lower().endswith(("ers", "ists")) else w.lower()
            for w in raw_words(phrase) if w[:1].islower()]


__all__ = ["KIND", "asked_kind", "find_kinds"]
