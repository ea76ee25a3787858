"""Proper names in a parsed sentence and how the sentence ties each one to its other words.

A name is a run of proper nouns the dependency parse holds together ("Missy "Misdemeanor" Elliott",
"Slim the Mobster", "Kulothunga Chola I"), whatever the recogniser made of it. Its links say what it
is to the rest of the sentence, from the parse: the one "by" introduces ("an album by X", "released by
X"), the subject of a verb ("X directed ..."), the owner ("X's third LP"), a modifier of a common noun
("the X label"), the object of another preposition ("recorded for X", "in X"). A common noun in
apposition ("rapper X", "the owner, X", "the band, X") is what kind of thing the name is; the links of
that noun phrase are the name's links too ("an album by American rock band X").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.text.vocab import NAME_JOINERS

# Dependencies that make a token part of the proper name its head belongs to.
_INNER = frozenset({"compound", "flat", "nmod", "det", "amod", "nummod", "poss", "case", "punct", "prep", "pobj", "appos"})
_ROMAN = re.compile(r"[IVX]{1,4}")  # a regnal or sequel numeral after a name ("Chola I", "Leon Sylvers III")


@dataclass(frozen=True)
class Name:
    """A proper name's span, the recogniser's label of its head ("" when none) and its links.

    Each link is (relation, lemmas): relation "by", "subj", "attr", "obj", "poss", "compound",
    "appos" or another preposition ("in", "for", "on"); lemmas are the words it ties the name to,
    nearest first ("by", ("release", "album")): the verb, and the noun that verb says something of.
    """

    span: tuple[int, int]
    label: str
    links: tuple[tuple[str, tuple[str, ...]], ...]
    # "Bristol, New Hampshire": the name with the one it stands in apposition to after a comma
    # (a town and its region), from the start of that one's own words; (0, 0) when none
    joined: tuple[int, int] = (0, 0)

    def to_list(self) -> list[Any]:
        """Compact form for the JSON cache."""
        return [*self.span, self.label, [[r, list(ls)] for r, ls in self.links], *self.joined]

    @staticmethod
    def from_list(row: list[Any]) -> Name:
        """The inverse of to_list."""
        return Name((row[0], row[1]), row[2], tuple((r, tuple(ls)) for r, ls in row[3]), (row[4], row[5]))


def _lemma(tok: Any) -> str:
    return str(tok.lemma_ or tok.text).lower()


def _is_name_word(tok: Any) -> bool:
    if not any(c.isalnum() for c in tok.text):
        return False  # "| AllMusic": a separator the tagger took for a proper noun
    return tok.pos_ == "PROPN" or (tok.text[:1].isupper() and tok.pos_ in ("NOUN", "ADJ", "NUM", "X")) or tok.text == "The"


def _span(doc: Any, head: Any) -> tuple[int, int]:
    """Token range [lo, hi] of the name headed by `head`: name words of its subtree, contiguous with it."""
    inside = {t.i for t in head.subtree}
    if head.dep_ in ("compound", "nmod"):
        # "(Jade Valerie album)": proper nouns side by side, each a modifier of the same noun, are one name
        for sib in head.head.lefts:
            if sib.dep_ == head.dep_ and sib.pos_ == "PROPN":
                inside.update(t.i for t in sib.subtree)

    def ok(i: int) -> bool:
        t = doc[i]
        return i in inside and (_is_name_word(t) or t.i == head.i)

    lo = hi = head.i
    while True:
        if lo - 1 >= 0 and ok(lo - 1):
            lo -= 1
            continue
        # a joiner or a quote inside the name: "Slim the Mobster", "Missy "Misdemeanor" Elliott", "Walley-Beckett"
        j = lo - 1
        while j >= 0 and j in inside and (doc[j].lower_ in NAME_JOINERS or doc[j].is_quote or doc[j].text == "-") and lo - j <= 2:
            j -= 1
        if j >= 0 and j < lo - 1 and ok(j) and doc[j + 1].lower_ != "'s":
            lo = j
            continue
        break
    while True:
        if hi + 1 < len(doc) and ok(hi + 1):
            hi += 1
            continue
        j = hi + 1
        while j < len(doc) and j in inside and (doc[j].lower_ in NAME_JOINERS or doc[j].is_quote or doc[j].text == "-") and j - hi <= 2:
            j += 1
        if j < len(doc) and j > hi + 1 and ok(j):
            hi = j
            continue
        break
    nxt = doc[hi + 1] if hi + 1 < len(doc) else None
    if nxt is not None and _ROMAN.fullmatch(nxt.text) and nxt.dep_ not in ("nsubj", "nsubjpass"):
        hi += 1  # "Kulothunga Chola I in 1097": the numeral is part of the name (not "I" the subject of a verb)
    return lo, hi


def _attach(prep: Any) -> tuple[str, ...]:
    """The word a preposition hangs on, then what that word is said of: "album released by" → (release, album)."""
    head = prep.head
    out = [_lemma(head)]
    if head.pos_ in ("VERB", "AUX"):
        while head.dep_ == "conj" and head.head is not head:
            head = head.head  # "a film written and directed by X": the film
        if head.dep_ in ("acl", "relcl") and head.head is not head:
            out.append(_lemma(head.head))  # "an album released by X": the album
        else:
            subj = next((c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subj is not None:
                out.append(_lemma(subj))  # "the soundtrack was released by X": the soundtrack
    return tuple(out)


def _links(doc: Any, node: Any, seen: int = 0) -> list[tuple[str, tuple[str, ...]]]:
    """The links of the noun phrase headed by `node` (a name's head, or the common noun it is in apposition with)."""
    out: list[tuple[str, tuple[str, ...]]] = []
    if seen > 3:
        return out
    dep, head = node.dep_, node.head
    if dep == "conj" and head is not node:
        return _links(doc, head, seen + 1)  # "by Lagwagon and Joey Cape": both are what "by" introduces
    if dep == "pobj" and head is not node:
        rel = head.lower_  # "by", "in", "for", "on" ...
        out.append((rel, _attach(head)))
        if head.head.dep_ == "pobj" and head.head.head is not head.head and rel == "of":
            out += _links(doc, head.head, seen + 1)  # "in the centre of X": where X is, too
    elif dep in ("nsubj", "nsubjpass"):
        attr = [_lemma(c) for c in head.children if c.dep_ in ("attr", "acomp")]
        out.append(("subj", (_lemma(head), *attr)))
    elif dep == "attr":
        subj = [_lemma(c) for c in head.children if c.dep_ in ("nsubj", "nsubjpass")]
        out.append(("attr", tuple(subj)))
    elif dep in ("dobj", "obj"):
        out.append(("obj", (_lemma(head),)))
    elif dep == "poss":
        # "X is Y's third LP": the LP is X
        subj = [_lemma(c) for c in head.head.children if c.dep_ in ("nsubj", "nsubjpass")] if head.dep_ == "attr" else []
        out.append(("poss", (_lemma(head), *subj)))
    elif dep in ("compound", "nmod", "amod") and head.pos_ == "NOUN":
        out.append(("compound", (_lemma(head),)))
    elif dep == "appos" and head.pos_ == "NOUN":
        out.append(("appos", (_lemma(head),)))  # "the first owner, X": X is the owner
        if seen == 0:  # once: a chain of appositions is a list the parser ran together
            out += _links(doc, head, seen + 1)
    return out


def _capitalised_the(tok: Any) -> bool:
    """"released by The Who": a capital "The" inside a sentence makes a name of whatever word it opens."""
    return tok.i > 1 and tok.text[:1].isupper() and any(c.text == "The" and c.i == tok.i - 1 for c in tok.lefts)


def _capitalised_head(tok: Any) -> bool:
    """"by rapper Tessa Marlow" with "Marlow" tagged a common noun: a capital inside the sentence and a proper
    noun before it make it the name's head."""
    return (tok.pos_ == "NOUN" and tok.i > 0 and tok.text[:1].isupper()
            and any(c.pos_ == "PROPN" and c.dep_ in ("compound", "nmod") for c in tok.lefts))


def _joined(doc: Any, tok: Any, lo: int, end: int) -> tuple[int, int]:
    """"Bristol, New Hampshire": the span from the town's first word when the name is in apposition to it."""
    head = tok.head
    if tok.dep_ != "appos" or head.pos_ != "PROPN" or head.i != lo - 2 or doc[lo - 1].text != ",":
        return (0, 0)
    first = head.i
    while first > 0 and doc[first - 1].pos_ == "PROPN" and doc[first - 1].head.i == head.i and doc[first - 1].dep_ == "compound":
        first -= 1  # "Van Horn, Texas": the town's own words, not a name it ends ("the District of Bristol")
    return (int(doc[first].idx), end)


def names(doc: Any) -> tuple[Name, ...]:
    """Every proper name of the sentence with its label and links."""
    ent_label = {t.i: t.ent_type_ for t in doc if t.ent_type_}
    out: list[Name] = []
    taken: set[int] = set()
    for tok in doc:
        if tok.i in taken or not (_is_name_word(tok) and tok.pos_ == "PROPN" or _capitalised_the(tok) or _capitalised_head(tok)):
            continue
        if (tok.dep_ in _INNER and tok.head is not tok and (tok.head.pos_ == "PROPN" or _capitalised_head(tok.head))
                and tok.dep_ not in ("appos", "conj", "pobj", "poss")):
            continue  # part of a longer name; its head makes the name
        lo, hi = _span(doc, tok)
        if any(i in taken for i in range(lo, hi + 1)):
            continue
        taken.update(range(lo, hi + 1))
        links = _links(doc, tok)
        # a common noun before the name is what kind of thing it is ("American rapper Missy Elliott")
        kinds = [t for t in doc[max(lo - 3, 0):lo] if t.pos_ == "NOUN" and (t.head.i == tok.i or t.head.i in range(lo, hi + 1))]
        before = doc[lo - 1] if lo > 0 and doc[lo - 1].pos_ == "NOUN" else None
        if not kinds and before is not None and before.head.i != tok.head.i:
            # a common noun right before a name is in apposition with it, where the parser lost that:
            # "an album by rapper | Slim the Mobster" (two roots), "by rock band | The Marrows" (put with "album")
            kinds = [before]
        for k in kinds:
            links.insert(0, ("appos", (_lemma(k),)))
            if k.head.i not in range(lo, hi + 1):
                links += _links(doc, k)
        start = int(doc[lo].idx)
        end = int(doc[hi].idx + len(doc[hi].text))
        if (hi == len(doc) - 1 or doc[hi + 1].is_sent_start) and doc[hi].text.endswith(".") and len(doc[hi].text) > 1:
            end -= 1  # "by the band Symphony X.": the sentence's full stop, which the tokenizer left on the initial
        label = ent_label.get(tok.i) or ent_label.get(hi, "")  # "(Jade Valerie album)": the recogniser's label is on the last word
        out.append(Name((start, end), label, tuple(dict.fromkeys(links)), _joined(doc, tok, lo, end)))
    return tuple(out)


__all__ = ["Name", "names"]
