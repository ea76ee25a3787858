"""Answers to "which N" questions that are names of that kind: "What river does X flow into?" → "the Green River".

The question's wh-word determines a common noun ("what river", "which line", "what political party");
a source answers with a proper name whose last word is that noun ("the Snake River", "the Koltsevaya
line", "the First Boer War", "the Republican Party"), in a sentence that names the question's subject.
Each source gives one such name, from its most relevant sentence; different names disagree.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.answering.names import NAME, subject_stems
from bot.models import Claim, Evidence, QuestionAnalysis
from bot.text.syntax import SyntaxCache
from bot.text.tokens import STOPWORDS, raw_words, stem
from bot.text.vocab import PLACE_KIND_NOUNS, QUANTITY_NOUNS, WHERE_WHEN_NOUNS

_WORD = re.compile(r"[^\W_][\w'’.\-]*")
_CAPITALISED = re.compile(r"[A-Z][^\W\d_]*(?:[-'’][^\W\d_]+)*")
_PREFIX = 6  # "Belorussky" / "Belorusskaya": one name written two ways shares its first letters
_MAX_NAME = 6  # words in a name before its kind noun


def asked_kind_noun(analysis: QuestionAnalysis, syntax: SyntaxCache | None) -> str:
    """The common noun a "which N" / "what N" question asks a name of ("river", "party"); "" if none."""
    if syntax is None or not syntax.available:
        return ""
    doc = syntax.doc(analysis.text)
    wh = next((t for t in doc or () if t.lower_ in ("what", "which") and t.i < 3), None)
    if wh is None or wh.dep_ != "det" or wh.head.pos_ != "NOUN":
        return ""
    noun = wh.head.lower_
    if noun in QUANTITY_NOUNS or noun in PLACE_KIND_NOUNS or noun in WHERE_WHEN_NOUNS or noun in STOPWORDS:
        return ""  # a figure, a place, a time: answered elsewhere
    return noun


def _stems(text: str) -> list[str]:
    return [stem(w.lower()) for w in raw_words(text)]


def _names_subject(text: str, subject: frozenset[str]) -> bool:
    said = set(_stems(text))
    return bool(subject & said) or any(
        len(s) >= _PREFIX and any(w[:_PREFIX] == s[:_PREFIX] for w in said) for s in subject)


def named_of_kind(text: str, noun: str, subject: frozenset[str]) -> list[tuple[int, int]]:
    """Spans of proper names ending in the noun ("the Green River", "Koltsevaya line"), not the subject's own name."""
    # a word's closing full stop ends the sentence, not the word ("the Tarsk River.")
    toks = [(m.start(), m.start() + len(m.group().rstrip(".")), m.group().rstrip(".")) for m in _WORD.finditer(text)]
    out = []
    for j, (_, end, w) in enumerate(toks):
        if w.lower() != noun:
            continue  # the word as asked: "what sport" is not answered by a heading "Other Sports"
        k = j
        # a run of capitalised words, only spaces between them ("Henrys Fork (Green River": the name is "Green River")
        # a possessive ends it too ("the Tarsk Metro's Ring line": the line's name is "Ring line")
        while (k > 0 and j - k < _MAX_NAME and _CAPITALISED.fullmatch(toks[k - 1][2])
               and not toks[k - 1][2].lower().endswith(("'s", "’s"))
               and not text[toks[k - 1][1]:toks[k][0]].strip()):
            k -= 1
        if k == j:
            continue  # "the river": no name
        words = {stem(t[2].lower()) for t in toks[k:j]}
        if words <= subject or all(t[2].lower() in STOPWORDS for t in toks[k:j]):
            continue  # the subject's own name, or a capitalised sentence opening ("The river")
        out.append((toks[k][0], end))
    return out


def find_named_kind(pool: Sequence[Evidence], analysis: QuestionAnalysis, syntax: SyntaxCache | None,
                    common: frozenset[str] = frozenset()) -> list[Claim]:
    """One name of the asked kind per source, from its most relevant sentence naming the subject; [] if none."""
    noun = asked_kind_noun(analysis, syntax)
    subject = subject_stems(analysis.text) - common - {stem(noun)}
    if not noun or not subject:
        return []
    claims: dict[str, Claim] = {}
    for ev in pool:
        source, text = ev.sentence.source, ev.sentence.text
        if source in claims or not _names_subject(" ".join([ev.sentence.heading, *ev.paragraph_before[-1:], text]), subject):
            continue
        parse = syntax.peek(text) if syntax is not None else None
        if parse is not None and parse.lang != "en":
            continue
        spans = named_of_kind(text, noun, subject)
        if spans:
            s, e = spans[0]
            value = text[s:e]
            if value.lower().startswith("the "):
                s, value = s + 4, value[4:]
            claims[source] = Claim(kind="name", value=value, norm=frozenset(_stems(value)), qualifier="exact",
                                   topic=f"{NAME}:{noun}", evidence=ev, span=(s, e), event=())
    return list(claims.values())


__all__ = ["asked_kind_noun", "find_named_kind", "named_of_kind"]
