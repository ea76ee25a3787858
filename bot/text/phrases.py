"""Noun phrases a parsed sentence gives (bot/text/syntax.py stores them): what it says its subject is
(copula complements, appositions), the words that say which one a noun is, and the names "by" introduces."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.text.vocab import LINKING_VERBS


def lemma(tok: Any) -> str:
    """A token's lemma in lower case (its text where the lemmatizer gives none)."""
    return str(tok.lemma_ or tok.text).lower()


@dataclass(frozen=True)
class Predicate:
    """A noun phrase said of a subject: "X is a Danish drama film", "Y, a retired judge, ...".

    `span` is the phrase without its determiner and without what follows its head ("directed by ..."),
    `subject` the span of what it is said of ((0, 0) when the parse gives none), `norm` the lemmas that
    say what kind of thing it is (head, compounds, lower-case modifiers, conjoined heads), for comparing.
    """

    span: tuple[int, int]
    subject: tuple[int, int]
    norm: tuple[str, ...]
    copula: bool = True  # said by a copula ("is a ..."), not by an apposition
    # the phrase word by word, for reading a kind inside it (bot/answering/kinds.py): per head noun
    # ("coach", and "quarterback" in "coach and former quarterback") a group "head" ("bare" for an
    # apposition without a determiner, "X (ice hockey)"), per bare object of an "in" after a head ("a
    # figure in basketball") a group "in"; a group is its head's run of adjacent modifiers, then the head,
    # each as (start, end, "dep/POS"), the head's role being "head"; a role ending in "^" is a word that
    # opens the sentence or a part of it (its capital is no name's)
    parts: tuple[tuple[str, tuple[tuple[int, int, str], ...]], ...] = ()


def which(doc: Any) -> tuple[tuple[str, int, int], ...]:
    """Per common noun, the words that say which one it is: the modifiers before it ("Spanish Tropical
    format", "comedy genre"; not a lower-case adjective, "a new format", which says how it is), or else a
    bare object of its "of" ("the rank of captain"; not "the genre of the film", which names a thing)."""
    out = []
    for tok in doc:
        if tok.pos_ != "NOUN" or not tok.text[:1].islower():
            continue
        lo = tok.i
        while lo > 0 and doc[lo - 1].dep_ in _KIND_DEPS and tok.i >= doc[lo - 1].head.i >= lo:
            if doc[lo - 1].pos_ == "ADJ" and doc[lo - 1].text[:1].islower():
                break
            lo -= 1
        if lo < tok.i:
            out.append((lemma(tok), int(doc[lo].idx), _end(doc[tok.i - 1])))
            continue
        pp = next((c for c in tok.rights if c.dep_ == "prep" and c.lower_ == "of"), None)
        obj = next((c for c in pp.children if c.dep_ == "pobj"), None) if pp is not None else None
        if obj is not None and obj.pos_ in ("NOUN", "PROPN") and not any(c.dep_ in ("det", "poss") for c in obj.children):
            out.append((lemma(tok), int(obj.left_edge.idx), _end(obj.right_edge)))
    return tuple(out)


AGENT = "AGENT"  # pseudo entity label: a proper name introduced by "by", whatever the recogniser made of it


def agents(doc: Any) -> tuple[tuple[int, int, str], ...]:
    """Proper names that "by" introduces ("a single by girl group Larkspur"), as (start, end, AGENT).

    The recogniser misses or mislabels short band and stage names ("Larkspur" as a place); the parse
    still says that a run of proper nouns is the object of "by".
    """
    out = []
    for tok in doc:
        if tok.lower_ != "by" or tok.dep_ not in ("agent", "prep"):
            continue
        obj = next((c for c in tok.children if c.dep_ == "pobj" and c.pos_ == "PROPN"), None)
        if obj is None:
            continue
        lo = hi = obj.i
        while lo > 0 and doc[lo - 1].pos_ == "PROPN" and doc[lo - 1].i > tok.i:
            lo -= 1  # "Miles Davis", "The Killers": the name's run of proper nouns
        while hi + 1 < len(doc) and doc[hi + 1].pos_ == "PROPN":
            hi += 1
        out.append((int(doc[lo].idx), _end(doc[hi]), AGENT))
    return tuple(out)


# Left dependents that open a noun phrase but say nothing of what kind of thing it is.
_OPENERS = frozenset({"det", "poss", "predet", "case", "punct", "cc", "prep"})
# Left dependents whose lemmas say what kind of thing the head is ("comedy film", "all-girls school").
_KIND_DEPS = frozenset({"compound", "amod", "nmod"})
_OF_IN = frozenset({"of", "in", "on"})
_PP_TOKENS = 5  # a longer phrase after the head is a description, not part of the answer


def _end(tok: Any) -> int:
    return int(tok.idx + len(tok.text))


def _kind_lemmas(tok: Any) -> list[str]:
    """The head's lemma and those of its kind-giving modifiers; names and nationalities ("British") left out."""
    out = [lemma(c) for c in tok.lefts if c.dep_ in _KIND_DEPS and c.text[:1].islower()]
    return [*out, lemma(tok)]


def _run(tok: Any) -> tuple[tuple[int, int, str], ...]:
    """A noun with the words right before it that modify it ("former college football" before "player")."""
    doc, words = tok.doc, [(int(tok.idx), _end(tok), "head")]
    for i in range(tok.i - 1, tok.left_edge.i - 1, -1):
        t = doc[i]
        if t.dep_ in _OPENERS and t.text != "-":  # a determiner, a comma: the run ends ("23-point" goes on)
            break
        # "^": the word opens the sentence or a headline's part, so its capital says nothing of a name
        first = i == 0 or doc[i - 1].is_punct and doc[i - 1].text != "-"
        words.insert(0, (int(t.idx), _end(t), f"{t.dep_}/{t.pos_}{'^' if first else ''}"))
    return tuple(words)


def _parts(heads: list[Any]) -> tuple[tuple[str, tuple[tuple[int, int, str], ...]], ...]:
    """Predicate.parts for a phrase's head nouns."""
    out = []
    for tok in heads:
        # "Hill (ice hockey)": an apposition without a determiner may name a field, not a member of a kind
        bare = tok.dep_ == "appos" and not any(c.dep_ in ("det", "poss") for c in tok.children)
        out.append(("bare" if bare else "head", _run(tok)))
        pp = next((c for c in tok.rights if c.dep_ == "prep" and c.lower_ == "in"), None)
        obj = next((c for c in pp.children if c.dep_ == "pobj" and c.pos_ == "NOUN"), None) if pp is not None else None
        # "a figure in basketball": a bare object names a field; "in his last game", "in the league" a thing
        if obj is not None and not any(c.dep_ in ("det", "poss") for c in obj.children):
            out.append(("in", _run(obj)))
    return tuple(out)


def _noun_too(word: str) -> bool:
    """The default pipeline's word index lists the word as a noun ("short", "general")."""
    from bot.text.morphology import dictionary_noun  # morphology loads pipelines through syntax.py, which reads this module

    return dictionary_noun(word)


def _glued(node: Any) -> Any:
    """The word right after a noun that the parse wrongly set apart from it: a bare adjective after it
    ("cartoon short", "attorney general") or a noun it calls an apposition with no comma between
    ("football All-American linebacker"); None when there is none."""
    for c in node.rights:
        if c.dep_ == "amod" and c.i == node.i + 1 and c.pos_ == "ADJ" and c.text.isalpha() and c.text.islower() \
                and not any(d.dep_ == "prep" for d in c.children) and _noun_too(c.lower_):
            # "a player active in the 1990s": an adjective with its own complement says how, not what
            return c
        if c.dep_ == "appos" and c.pos_ == "NOUN" and c.left_edge.i == node.i + 1 and not c.left_edge.is_punct:
            return c
    return None


def predicates(doc: Any) -> tuple[Predicate, ...]:
    """Noun phrases a sentence says its subject is: copula complements and appositions of common nouns."""
    out = []
    for tok in doc:
        # "is a single": a word the tagger took for an adjective heads a noun phrase when it has a determiner
        # and so does a title with an indefinite article ("is a retired Vice Admiral"), unlike a name ("is Halby")
        dets = {c.lower_ for c in tok.children if c.dep_ == "det"}
        nominal = tok.pos_ == "NOUN" or (tok.pos_ == "ADJ" and dets) or (tok.pos_ == "PROPN" and dets & {"a", "an"})
        if not nominal:
            continue
        if tok.dep_ == "attr" and tok.head.lemma_ in LINKING_VERBS:
            subj = next((c for c in tok.head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            # no subject found (a title run into the sentence: "Glass Harbour (album) Glass Harbour is ..."):
            # what precedes the verb is what the phrase is said of
            sspan = (subj.left_edge.idx, _end(subj)) if subj is not None else (0, tok.head.idx)
            copula = True
        elif tok.dep_ == "appos" and tok.head.pos_ == "PROPN":
            sspan = (tok.head.left_edge.idx, _end(tok.head))  # "Ingrid Solberg, a retired judge, ..."
            copula = False
        else:
            continue
        lefts = [c for c in tok.lefts if c.dep_ not in _OPENERS]
        start = min((c.left_edge.idx for c in lefts), default=tok.idx)
        end, norm, node, heads = _end(tok), _kind_lemmas(tok), tok, [tok]
        while (glued := _glued(node)) is not None:
            # "a 1928 silent cartoon short", "a former football All-American linebacker": the tagger ended the
            # phrase early, but a word written onto it with no comma still belongs to it
            end, norm = _end(glued), norm + _kind_lemmas(glued)
            if glued.dep_ == "appos":
                node, heads = glued, [*heads[:-1], glued]
            else:
                node = glued
        while (more := [c for c in node.rights if c.dep_ == "conj" and c.pos_ == "NOUN"]):
            node = more[0]  # "politician and lawyer": one phrase, both heads
            end, norm = _end(node), norm + _kind_lemmas(node)
            heads.append(node)
        pp = next((c for c in node.rights if c.dep_ == "prep" and c.lower_ in _OF_IN), None)
        if pp is not None and len(list(pp.subtree)) <= _PP_TOKENS:
            end = _end(pp.right_edge)  # "a figure in basketball", "a station on the ring line": said with its phrase
        kinds = tuple(dict.fromkeys(w for w in norm if any(ch.isalpha() for ch in w)))
        out.append(Predicate((int(start), end), (int(sspan[0]), int(sspan[1])), kinds, copula, _parts(heads)))
    return tuple(out)


__all__ = ["AGENT", "Predicate", "agents", "lemma", "predicates", "which"]
