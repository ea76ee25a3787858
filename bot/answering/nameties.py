"""How the stored parse ties a proper name to what a who- or where-question asks (bot/answering/names.py).

The question's own word says what is wanted ("artist", "creator", "owner", "led"), and whether a doer is
wanted: then "an album by X", "X's third LP", "X directed it", "the first owner, X" answer it, and "an
album released by X" does too, one step further; "recorded for X", "on the X label", "hosted by X" do not.
A place the parse puts what is asked about in ("a newspaper in Halby") answers "where", and so does the
town that holds a street the sentence names ("at 1 Mill Street in Halby, Ohio").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import NamedTuple

from rapidfuzz.distance import Levenshtein

from bot.models import Evidence
from bot.text.acronyms import spelt_out
from bot.text.morphology import doer_noun
from bot.text.namelinks import Name
from bot.text.syntax import Parse, SyntaxCache
from bot.text.tokens import STOPWORDS, stem
from bot.text.vocab import PLACE_PREPOSITIONS

_TOKEN = re.compile(r"[^\W_][\w'’.\-]*")
_PREFIX = 5  # "director" / "directed", "location" / "located": one word family by its first letters
_SPELT = 5  # a name this long may be spelt one letter apart; shorter ones ("Hill", "Hall") are other names
_ENDING = 7  # a name this long may take another ending: its first letters are enough
_IN = PLACE_PREPOSITIONS | {"of"}  # "in Halby", "the centre of Halby": the place a thing is in


def related(word_stem: str, relation: frozenset[str]) -> bool:
    """One word family by its first letters: "director" / "directed", "location" / "located"."""
    return any(word_stem == r or (len(r) >= _PREFIX and word_stem[:_PREFIX] == r[:_PREFIX]) for r in relation)


def tokens(text: str) -> list[tuple[int, int, str]]:
    """Words with their offsets, lower case."""
    return [(m.start(), m.end(), m.group().lower()) for m in _TOKEN.finditer(text)]


def stems(text: str) -> frozenset[str]:
    """Stems of the words, and of the parts of hyphenated ones ("the Halby News-Courier" names the "News Courier")."""
    return frozenset(stem(p) for _, _, w in tokens(text) for p in (w, *w.split("-")) if p)


def mentions(text: str, subject: frozenset[str]) -> bool:
    """The text names one of the subject's words, however it is spelt: a name of five letters or more
    may be written one letter apart ("Devatha" / "Devata", "Qaddafi" / "Gaddafi": transliterations), and
    one of seven or more with another ending ("Belorussky" / "Belorusskaya"; not "Christ" / "Christian"); an
    initialism names what the text writes out ("UPRA": "the University of Puerto Rico at Aguadilla")."""
    said = stems(text)
    if subject & said or any(spelt_out(s, text) for s in subject):  # "UPRA": "University of Puerto Rico at Aguadilla"
        return True
    long = [s for s in subject if len(s) >= _SPELT]
    return any((len(s) >= _ENDING and w[:_ENDING] == s[:_ENDING]) or Levenshtein.distance(s, w, score_cutoff=1) <= 1
               for s in long for w in said if len(w) >= _SPELT and w[0] == s[0])


class Asked(NamedTuple):
    """What a who-question asks for, read from its parse: its word, that word's lemmas, and whether it wants a doer."""

    word: str
    lemmas: frozenset[str]  # of all the question's words of relation ("led": lead)
    doer: bool
    stems: frozenset[str] = frozenset()  # of the asked word itself and its lemma


def asked_words(question: str, relation: frozenset[str], syntax: SyntaxCache) -> Asked:
    """"Who is the artist of ...": "artist", a doer; "who is the main character in ...": "character", no doer.

    A question asks for a doer with a verb ("who recorded X?") or a noun for one who does something
    ("creator", "artist", "owner": morphology), and then the one a sentence says did something to the
    subject ("an album released by X") answers it; a question for a "character" is not answered so.
    """
    doc = syntax.doc(question)
    toks = [t for t in doc or () if stem(t.lower_) in relation]
    lemmas = frozenset(stem(t.lemma_.lower()) for t in toks)
    first = next((t for t in toks if t.pos_ in ("NOUN", "VERB")), None)
    if first is None:
        return Asked("", lemmas, False)
    return Asked(first.lower_, lemmas, first.pos_ == "VERB" or doer_noun(syntax.name, first.lower_),
                 frozenset({stem(first.lower_), stem(first.lemma_.lower())}))


def subject_kinds(text: str, parse: Parse, subject: frozenset[str]) -> frozenset[str]:
    """Stems of what the sentence says the subject is ("X is John Hartford's third LP": lp): the subject by another word."""
    # an apposition must name the whole subject: "Norwegian Albums (VG-lista)" is not "The Love Album"
    return frozenset(stem(w) for p in parse.predicates
                     if (mentions(text[p.subject[0]:p.subject[1]], subject) if p.copula
                         else subject <= stems(text[p.subject[0]:p.subject[1]]))
                     for w in p.norm)


def link_cost(name: Name, relation: frozenset[str], is_asked: Callable[[str], bool], doer: bool,
              asked: frozenset[str] = frozenset(), subject: frozenset[str] = frozenset()) -> int | None:
    """0 when the parse ties the name to what is asked ("an album by X", "X's third LP", "X directed it",
    "the first owner, X"); 1 through a verb said of the subject ("an album released by X", for a doer, or
    "the X album"); None when it does not. `asked` are the stems of the question's own word ("owner")."""
    costs = []
    for rel, lemmas in name.links:
        if not lemmas:
            continue
        if rel == "by" and is_asked(lemmas[0]):
            costs.append(0)
        elif rel == "by" and doer and any(is_asked(w) for w in lemmas[1:]):
            costs.append(1)
        elif rel == "subj" and (related(stem(lemmas[0]), relation) or any(related(stem(w), asked) for w in lemmas[1:])):
            costs.append(0)  # "X directed it", "X is the director"
        elif rel in ("attr", "appos") and any(related(stem(w), asked) for w in lemmas):
            costs.append(0)  # "the director is X", "director X": X is what is asked (not "the invasion, X")
        elif rel == "poss" and any(is_asked(w) for w in lemmas):
            # "X's third LP" (the subject by another word), before "X's Baby Doll" (whose, not who made it)
            costs.append(1 if all(stem(w) in subject for w in lemmas if is_asked(w)) else 0)
        elif rel == "compound" and (related(stem(lemmas[0]), relation)):
            costs.append(1)  # "the X album"; not "a Disney Channel show" for an album, nor "Best Series Flesh and Bone"
        elif rel in ("of", "to") and related(stem(lemmas[0]), relation):
            costs.append(1)  # "the owner of X", "married to X" (for "the husband", through the lexicon's "married")
        elif rel in ("of", "for") and doer and stem(lemmas[0]) not in subject and is_asked(lemmas[0]):
            # "X is the debut release for Y", "the eighth album of Y": as "Y's eighth album", the work is Y's
            costs.append(1)
    return min(costs, default=None)


def blocked(span: tuple[int, int], parse: Parse, relation: frozenset[str], is_asked: Callable[[str], bool], ask: Asked,
            subject: frozenset[str]) -> bool:
    """The parse ties the name to something the question does not ask about ("released on the X label",
    "recorded for X", "hosted by X", "a game created by X" for its main character): nearness to the
    question's words does not make it an answer then."""
    return any(overlaps(n.span, [span]) and any(rel not in ("subj", "obj", "attr", "appos") for rel, _ in n.links)
               and link_cost(n, relation, is_asked, ask.doer, ask.stems, subject) is None for n in parse.names)


def overlaps(span: tuple[int, int], others: Sequence[tuple[int, int]]) -> bool:
    """The span shares a character with one of the others."""
    return any(span[0] < o[1] and o[0] < span[1] for o in others)


def drop_subject(text: str, span: tuple[int, int], subject: frozenset[str]) -> tuple[int, int] | None:
    """The name without the subject's own name run on at its end ("Symphony X Iconoclast" in a list of
    titles); None when the name is the subject's (or only the subject's words)."""
    toks = [t for t in tokens(text) if span[0] <= t[0] < span[1]]
    ws = [stem(w) for _, _, w in toks]
    if not ws or {s for s, (_, _, w) in zip(ws, toks) if w not in STOPWORDS} <= subject:
        return None
    for k in range(1, len(toks)):
        if set(ws[k:]) >= subject and set(ws[k:]) <= subject | STOPWORDS:
            return (span[0], toks[k - 1][1])
    return span


def containers(text: str, parse: Parse, found: list[tuple[float, tuple[int, int]]],
               loose: list[tuple[int, int]]) -> list[tuple[float, tuple[int, int]]]:
    """"at 1 Mill Street in the centre of Halby, Ohio": the parse puts the street in the town, and the town
    answers "where" at least as well as what it contains (it is what sources name alike or differently)."""
    out = list(found)
    for i, span in enumerate([sp for _, sp in found] + loose):
        links = {stem(ls[0]) for n in parse.names if overlaps(n.span, [span]) for rel, ls in n.links if rel in _IN and ls}
        for other, inner in found:
            last = tokens(text[inner[0]:inner[1]])[-1:]
            if inner == span or not last or stem(last[0][2]) not in links:
                continue
            if i < len(found) and other < out[i][0]:
                out[i] = (other - 0.25, span)
            elif i >= len(found):
                out.append((other - 0.25, span))
    return out


def with_town(span: tuple[int, int], parse: Parse) -> tuple[int, int]:
    """"New Hampshire" in "the District of Bristol, New Hampshire": the parse puts the region in apposition
    to the town; the place named is both ("Bristol, New Hampshire")."""
    for n in parse.names:
        if n.joined != (0, 0) and overlaps(n.span, [span]) and n.joined[0] < span[0]:
            return (n.joined[0], max(span[1], n.joined[1]))
    return span


def placed(span: tuple[int, int], parse: Parse, is_asked: Callable[[str], bool]) -> bool:
    """The parse puts what is asked about in this place: "a newspaper in Halby", "located in Halby", "the district of Halby"."""
    return any(overlaps(n.span, [span]) and rel in _IN and lemmas and is_asked(lemmas[0])
               for n in parse.names for rel, lemmas in n.links)


_NEAR_SENTENCES = 3  # a fuller form of the name from this close in the same article is the same one's
_MORE_WORDS = 2  # "Sergei Rachmaninoff", "Missy "Misdemeanor" Elliott"; more is two names run together


def fullest(best: tuple[float, int, tuple[int, int], Evidence],
            keys: list[tuple[float | None, int, tuple[int, int], Evidence]]) -> tuple[float, int, tuple[int, int], Evidence]:
    """The source's fullest form of the name it gives: "Rachmaninoff composed it" and, a sentence or two
    before, "a work by Sergei Rachmaninoff" name one man, in full in the second. `keys` are the tied
    names of the source and (at cost None) every other proper name of its sentences that name the subject."""
    value = best[3].sentence.text[best[2][0]:best[2][1]]
    fuller = [k for k in keys
              if (v := k[3].sentence.text[k[2][0]:k[2][1]]).endswith(" " + value)
              and len(v.split()) - len(value.split()) <= _MORE_WORDS
              and (k[0] is not None or abs(k[3].sentence.idx - best[3].sentence.idx) <= _NEAR_SENTENCES)]
    return min(fuller, key=lambda k: (k[0] is None, k[0] or 0, k[1])) if fuller else best


__all__ = ["Asked", "asked_words", "blocked", "containers", "drop_subject", "fullest", "link_cost",
           "mentions", "overlaps", "placed", "related", "stems", "subject_kinds", "tokens", "with_town"]
