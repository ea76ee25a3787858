"""Answers to "which N" questions that are names of that kind: "What river does X flow into?" → "the Green River".

The question's wh-word determines a common noun ("what river", "which line", "what political party");
a source answers with a proper name of that kind, in a sentence that names the question's subject: a name
the stored parse ends with the noun ("the Snake River", "the First Boer War", "the Republican Party") or
puts before the noun as its modifier ("the Koltsevaya line").
Each source gives one such name, from its most relevant sentence; different names disagree.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.answering.names import NAME, subject_stems
from bot.answering.nameties import mentions
from bot.models import Claim, Evidence, QuestionAnalysis
from bot.text.syntax import Parse, Predicate, SyntaxCache
from bot.text.tokens import STOPWORDS, raw_words, stem
from bot.text.vocab import ACTIVITY_NOUNS, PLACE_KIND_NOUNS, PROPER_ATTRIBUTE_NOUNS, QUANTITY_NOUNS, WHERE_WHEN_NOUNS

_WORD = re.compile(r"[^\W_][\w'’.\-]*")
_PLAIN = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")  # a word of letters, hyphens and apostrophes


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
    if noun in ACTIVITY_NOUNS or noun in PROPER_ATTRIBUTE_NOUNS:
        return ""  # a sport, a language: named by a common noun or an adjective, not a proper name (kinds.py)
    return noun


def _stems(text: str) -> list[str]:
    return [stem(w.lower()) for w in raw_words(text)]


def named_of_kind(text: str, parse: Parse, noun: str, subject: frozenset[str]) -> list[tuple[int, int]]:
    """Spans of proper names of the noun's kind, not the subject's own name: a name the parse ends with the
    noun ("the Green River") or puts before it as its modifier ("the Koltsevaya line"; a possessive is no
    such modifier: "the Tarsk Metro's Ring line" is the "Ring line")."""
    out = []
    for name in parse.names:
        s, e = name.span
        found = [m for m in _WORD.finditer(text, s, e)]
        words = [m.group().rstrip(".") for m in found]
        at = max((k for k, w in enumerate(words) if w.lower() == noun), default=None)
        if at is not None:
            # "the First Boer War Treaty of Vereeniging": a list the parser ran into one name; the name ends with its kind
            body, e = words[:at], found[at].start() + len(words[at])
        elif ("compound", (noun,)) in name.links and (m := re.match(rf"\s+{re.escape(noun)}\b", text[e:], re.IGNORECASE)):
            body, e = words, e + m.end()
        else:
            continue
        clean = len(body)
        while clean > 0 and _PLAIN.fullmatch(body[clean - 1]):
            clean -= 1
        if clean:  # "File: Wilbur Wood-HOF-8x10.jpg Position": a file name or a code is no part of a name
            s, body = found[clean].start(), body[clean:]
        if not body or {stem(w.lower()) for w in body} <= subject or all(w.lower() in STOPWORDS for w in body):
            continue  # "the River" alone, or the subject's own name ("Marrow River" for Marrow River)
        out.append((s, e))
    return out


def group_of(text: str, parse: Parse, subject: frozenset[str]) -> list[tuple[int, int]]:
    """A political, religious or national group the sentence says the subject belongs to, where no name of the
    asked kind is given ("Hogan was elected as a Republican", "Hogan, a Democrat, ..."):
    the recogniser's NORP entity, tied to the subject as what it is or was elected as."""
    groups = [(s, e) for s, e, label in parse.entities if label == "NORP"]
    out = []
    for s, e in groups:
        tied = any(n.span == (s, e) and any(rel in ("as", "attr", "appos") and {stem(w) for w in ws} & subject
                                            for rel, ws in n.links) for n in parse.names)
        # "Hogan, a Democrat": the phrase said of the subject is the group itself (as a modifier, "a former
        # American football linebacker", it says something else of a kind)
        said = any(mentions(text[p.subject[0]:p.subject[1]], subject) and _head(p) == (s, e) for p in parse.predicates)
        if tied or said:
            out.append((s, e))
    return out


def _head(pred: Predicate) -> tuple[int, int]:
    """The span of a predicate's head word (the last word of its first phrase)."""
    words = pred.parts[0][1] if pred.parts else ()
    return (words[-1][0], words[-1][1]) if words else pred.span


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
        if source in claims or not mentions(" ".join([ev.sentence.heading, *ev.paragraph_before[-1:], text]), subject):
            continue
        parse = syntax.get(text) if syntax is not None else None
        if parse is None or parse.lang != "en":
            continue
        spans = named_of_kind(text, parse, noun, subject) or group_of(text, parse, subject)
        if spans:
            s, e = spans[0]
            value = text[s:e]
            if value.lower().startswith("the "):
                s, value = s + 4, value[4:]
            claims[source] = Claim(kind="name", value=value, norm=frozenset(_stems(value)), qualifier="exact",
                                   topic=f"{NAME}:{noun}", evidence=ev, span=(s, e), event=())
    return list(claims.values())


__all__ = ["asked_kind_noun", "find_named_kind", "group_of", "named_of_kind"]
