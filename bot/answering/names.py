"""Named answers for "who", "which band", "where" questions: the entity each source gives, as a comparable value.

A sentence speaks to the question when it names the question's subject (the names and titles the
question contains: "Shy Boy", "Kasuri", "Airways International"). Its answer is a proper name of the
kind the question wants (a person or organisation for "who", a place for "where"), read from the parse
stored at refresh: the names the parse holds together and how it ties each to the sentence
(bot/text/namelinks.py). A who-answer is a name the parse ties to what is asked (bot/answering/nameties.py:
"an album by X", "X's third LP", "X directed it"); failing that, a recognised entity next to one of the
question's other words, unless the parse ties it elsewhere ("on the X label", "recorded for X"). A place
is one put "in", or next to, what is asked, the town before the street, with its region ("Bristol, Ohio").
Each source gives one value, from its best sentence (in its fullest form), so that different sources
naming different entities make a disagreement and the same entity named by several sources is agreement.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from bot.answering.nameties import (Asked, asked_words, blocked, containers, drop_subject, fullest, link_cost, mentions,
                                    overlaps, placed, related, stems, subject_kinds, tokens, with_town)
from bot.models import Claim, Evidence, QuestionAnalysis
from bot.text.lexicon import with_near_synonyms
from bot.text.namelinks import Name
from bot.text.syntax import AGENT, Parse, SyntaxCache
from bot.text.tokens import STOPWORDS, WH_WORDS, raw_words, stem
from bot.text.vocab import AGENT_MARKERS, COMPASS_WORDS, FRAME_WORDS, PLACE_KIND_NOUNS, PLACE_PREPOSITIONS

NAME = "name"  # the topic family of named answers; its label names what the question asks for
# Entity labels (spaCy's English scheme) each kind of question is answered with.
_LABELS = {
    "person": frozenset({"PERSON", "ORG", AGENT}),  # "who recorded it?": a singer or a band
    "organisation": frozenset({"ORG", "PERSON", "NORP", AGENT}),
    "place": frozenset({"GPE", "LOC", "FAC"}),
}
# spaCy's labels for values that are no names (a date, a figure)
_NOT_NAMES = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"})
_REACH = 6  # tokens between a value and the word it is tied to
_COMPASS_STEMS = frozenset(stem(w) for w in COMPASS_WORDS)
_QUESTION_VERBS = frozenset({"is", "are", "was", "were", "does", "do", "did", "has", "have", "had"})


def wanted_labels(analysis: QuestionAnalysis) -> frozenset[str]:
    """The entity labels that answer the question; empty when it does not ask for a name."""
    return _LABELS.get(analysis.answer_type, frozenset())


def asks_place_kind(analysis: QuestionAnalysis) -> bool:
    """"Which city", "what country": the question wants a place name, not a venue."""
    return wh_noun(analysis.text) in PLACE_KIND_NOUNS


def wh_noun(question: str) -> str:
    """The word right after the question's wh-word ("which city", "in what country", "who is"), or ""."""
    ws = [w.lower() for w in raw_words(question)]
    k = next((i for i, w in enumerate(ws[:3]) if w in WH_WORDS), None)
    return ws[k + 1] if k is not None and k + 1 < len(ws) else ""


def subject_stems(question: str) -> frozenset[str]:
    """Stems of the names the question contains: capitalised words after the first, and quoted titles."""
    out = set()
    for m in re.finditer(r"[\"“”']([^\"“”']+)[\"“”']", question):
        out.update(stem(w.lower()) for w in raw_words(m.group(1)) if w.lower() not in STOPWORDS)
    ws = raw_words(question)
    for i, w in enumerate(ws):
        if i > 0 and w[:1].isupper() and w.lower() not in STOPWORDS and w.lower() not in WH_WORDS:
            out.add(stem(w.lower()))
    low = [w.lower() for w in ws]
    verb = next((i for i, w in enumerate(low) if w in _QUESTION_VERBS), None)
    if low and low[0] not in STOPWORDS and low[0] not in WH_WORDS and verb and any(w in WH_WORDS for w in low[verb:]):
        # the wh-word comes last ("1st arrondissement is located in which city?"): what precedes the verb is the subject
        out.update(stem(w) for w in low[:verb] if w not in STOPWORDS)
    return frozenset(out)


def relation_stems(question: str, subject: frozenset[str]) -> frozenset[str]:
    """Stems of what the question asks about its subject ("artist", "album", "located")."""
    out = set()
    for w in raw_words(question):
        low = w.lower()
        if low in STOPWORDS or low in WH_WORDS or low in FRAME_WORDS or len(low) < 3 or low.isdigit():
            continue
        s = stem(low)
        if s not in subject:
            out.add(s)
    return frozenset(out)


def _merge_places(text: str, ents: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """"Miami, Florida": places joined by a comma are one value (a town and its region)."""
    out: list[tuple[int, int, str]] = []
    for e in ents:
        if out and out[-1][2] in _LABELS["place"] and e[2] in _LABELS["place"] and text[out[-1][1]:e[0]].strip() == ",":
            out[-1] = (out[-1][0], e[1], out[-1][2])
            continue
        out.append(e)
    return out


def _candidates(text: str, parse: Parse, labels: frozenset[str], subject: frozenset[str]) -> list[tuple[tuple[int, int], str]]:
    """Entity spans of the wanted labels that are not the question's own subject."""
    ents = sorted(e for e in parse.entities if e[2] in labels)
    ents = _lists(text, _merge_places(text, ents) if "GPE" in labels else ents)
    out = []
    for s, e, label in ents:
        while (m := re.search(r"[\s,]+([\w'’]+)\W*$", text[s:e])) and m.group(1).lower() in STOPWORDS:
            e = s + m.start()  # "Islamic State or": the parser's span ran on into the next phrase
        stems = {stem(w) for _, _, w in tokens(text[s:e]) if w not in STOPWORDS}
        if stems and not stems <= subject and not _modifier(text, e):  # "War Music" is what is asked about
            out.append(((s, e), label))
    return out


def _modifier(text: str, end: int) -> bool:
    """The name qualifies a noun that follows it ("the Welsh band ...", "South Korean girl group"): not the answer."""
    m = re.match(r"\s+([a-z][a-z'’-]*)", text[end:])
    return bool(m) and m.group(1) not in STOPWORDS and not m.group(1).endswith(("ed", "ing", "s"))


def _tie(text: str, span: tuple[int, int], relation: frozenset[str], agent: bool, place: bool = False) -> int | None:
    """How far the entity is from the question's own word it is tied to (tokens); None when nothing ties it.

    A word of the question next to the name ties it ("directed by Frank Oz", "based in Miami"); for
    a person or organisation, "by" just before the name does too ("a single by Secret").
    """
    toks = tokens(text)
    inside = [k for k, t in enumerate(toks) if span[0] <= t[0] < span[1]]
    if not inside:
        return None
    first, last = inside[0], inside[-1]
    near: int | None = None
    introduced = False
    for k, (_, _, w) in enumerate(toks):
        if first <= k <= last:
            continue
        gap = first - k if k < first else k - last
        if gap > _REACH:
            continue
        if related(stem(w), relation):
            near = gap if near is None else min(near, gap)
        elif agent and k < first and gap <= 4 and w in AGENT_MARKERS:
            introduced = True
        elif place and k == first - 1 and w in PLACE_PREPOSITIONS:
            introduced = True  # "located in Van Horn, Texas": a place the sentence puts something in
    if near is None and not introduced:
        return None
    # "an album by Greg Koch ... on Columbia Records": the name "by" introduces comes first, then the nearest
    return (0 if introduced else _REACH + 1) + (near if near is not None else _REACH)


def _trim(text: str, span: tuple[int, int], known: frozenset[str]) -> tuple[tuple[int, int], bool]:
    """"Prime Minister Elena Varga" for "who is the prime minister": the title is the question's, the name the answer."""
    toks = [t for t in tokens(text) if span[0] <= t[0] < span[1]]
    k = 0
    titled = False
    while k < len(toks) - 1 and (stem(toks[k][2]) in known or toks[k][2] in STOPWORDS):
        titled = titled or stem(toks[k][2]) in known
        k += 1
    return ((toks[k][0], span[1]), True) if titled else (span, False)


def _lists(text: str, ents: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """"Germany, India and Turkey": names of one kind joined by commas and "and" are one value."""
    out: list[tuple[int, int, str]] = []
    for e in ents:
        if out and out[-1][2] == e[2] and text[out[-1][1]:e[0]].strip(" ,") in ("", "and", "or") and text[out[-1][1]:e[0]].strip():
            out[-1] = (out[-1][0], e[1], e[2])
            continue
        out.append(e)
    return out


def _norm(value: str) -> frozenset[str]:
    return frozenset(w for _, _, w in tokens(value.replace("-", " ")) if w not in STOPWORDS)


def _linked_names(text: str, parse: Parse, subject: frozenset[str], relation: frozenset[str],
                  is_asked: Callable[[str], bool], ask: Asked) -> list[tuple[float, tuple[int, int]]]:
    """Proper names the parse ties to what is asked, with their cost (below any tie by nearness)."""
    out: list[tuple[float, tuple[int, int]]] = []
    for name in parse.names:
        if name.label in _NOT_NAMES or name.label in ("GPE", "LOC", "FAC") and not any(r == "by" for r, _ in name.links):
            continue  # a place is a person or a band only where "by" introduces it ("a single by Larkspur")
        cost = link_cost(name, relation, is_asked, ask.doer, ask.stems, subject)
        if cost is None:
            continue
        span = drop_subject(text, name.span, subject)
        if span is None:
            continue
        trimmed, titled = _trim(text, span, relation | subject)
        if titled and not _trim(text, span, relation)[1]:
            continue  # "Chola Empire" for the "Chola invasion": a sibling of the subject
        if not any(c.isalpha() for c in text[trimmed[0]:trimmed[1]]):
            continue
        out.append((cost - 2, _with_conjuncts(text, trimmed, parse, name.links)))
    return out


def _asks_many(analysis: QuestionAnalysis, syntax: SyntaxCache) -> bool:
    """The wh-word asks for a plural noun ("which countries", "what cities"); not a verb ("who chairs")."""
    doc = syntax.doc(analysis.text)
    wh = next((t for t in doc or () if t.lower_ in WH_WORDS), None)
    nxt = doc[wh.i + 1] if wh is not None and wh.i + 1 < len(doc) else None
    return nxt is not None and nxt.tag_ in ("NNS", "NNPS")


def _with_conjuncts(text: str, span: tuple[int, int], parse: Parse,
                    links: tuple[tuple[str, tuple[str, ...]], ...]) -> tuple[int, int]:
    """"wife of both kings Ada and Tomas": names joined to the tied one by "and" or a comma, with no tie
    but those the parse gives the tied one (`links`), are part of one answer (as _lists joins the recogniser's names)."""
    later = sorted((n for n in parse.names if n.span[0] >= span[1]), key=lambda n: n.span)
    k = 0
    while k < len(later):
        name, gap_end, kinds = later[k], later[k].span[0], ()
        # "by Lagwagon and Bad Astronaut frontman Joey Cape": the conjunct is written with what kind of one it
        # is ("frontman", and the names that modify that word); those words are no tie of their own
        while k + 1 < len(later) and (kind := _kind_before(text, name, later[k + 1])):
            kinds += (kind,)
            k += 1
            name = later[k]
        own = {ln for ln in name.links if not (ln[0] == "appos" and ln[1] in {(w,) for w in kinds})}
        if not own <= set(links):
            break
        gap = text[span[1]:gap_end]
        if gap.strip(" ,") not in ("and", "or", "") or not gap.strip():
            break
        span = (span[0], name.span[1])
        k += 1
    return span


def _kind_before(text: str, modifier: Name, name: Name) -> str:
    """The common noun between a name that modifies it and the name it is the kind of ("Bad Astronaut frontman
    Joey Cape": "frontman"); "" when the words between are not one such noun."""
    between = text[modifier.span[1]:name.span[0]].strip().lower()
    mods = {ws for rel, ws in modifier.links if rel == "compound"}
    kinds = {ws for rel, ws in name.links if rel == "appos"}
    return between if (between,) in mods and (between,) in kinds else ""


def find_names(pool: Sequence[Evidence], analysis: QuestionAnalysis, syntax: SyntaxCache | None,
               common: frozenset[str] = frozenset()) -> list[Claim]:
    """One named value per source for a question that asks for a name; [] when it asks for none.

    `common` are the words the articles' titles share (the corpus's own subject): naming it picks
    out no sentence, so it does not count as the question's subject.
    """
    labels = wanted_labels(analysis)
    if not labels or syntax is None or not syntax.available:
        return []
    subject = subject_stems(analysis.text) - common
    if not subject and "GPE" in labels and asks_place_kind(analysis):
        # "Near which city was the epicentre?": a place of the asked kind is held to what the question names by
        # its nouns ("where did it happen?" names no kind, and every place near its words would answer: quoted)
        from bot.answering.when import nouns_of  # when.py reads names.py: imported where needed

        subject = frozenset(stem(n) for n in nouns_of(analysis, syntax) if n != wh_noun(analysis.text)) - common
    if not subject:
        return []  # nothing to hold a name to: "who claimed it?" is answered by quotes
    if _asks_many(analysis, syntax):
        return []  # "which countries": a list, which one value per source would misrepresent; quoted instead
    relation = relation_stems(analysis.text, subject)
    # "the husband of X" is said as "X, wife of Y", "X married Y": the lexicon's near-synonyms of what is asked
    relation = with_near_synonyms(relation)
    ask = asked_words(analysis.text, relation, syntax)
    relation = relation | ask.lemmas  # "who led": the sentence says "lead"
    head = wh_noun(analysis.text)
    asked = head if head and head not in STOPWORDS and head not in FRAME_WORDS else ""
    asked = asked or ask.word or next((w.lower() for w in raw_words(analysis.text) if stem(w.lower()) in relation), "")
    topic = f"{NAME}:{asked}" if asked else NAME
    place = "GPE" in labels
    best: dict[str, tuple[float, int, tuple[int, int], Evidence]] = {}
    tied: dict[str, list[tuple[float | None, int, tuple[int, int], Evidence]]] = {}  # every name, per source
    for rank, ev in enumerate(pool):
        text = ev.sentence.text
        # the subject may be named in the sentence, its heading or the sentence before ("He ...")
        around = " ".join([text, ev.sentence.heading, *ev.paragraph_before[-1:]])
        if not mentions(around, subject):
            continue
        parse = syntax.get(text)
        if parse is None or parse.lang != "en":
            continue
        kinds = subject_kinds(text, parse, subject)

        def is_asked(word: str, kinds: frozenset[str] = kinds) -> bool:
            w = stem(word)
            return related(w, relation) or w in kinds or w in subject

        found: list[tuple[float, tuple[int, int]]] = []
        loose: list[tuple[int, int]] = []  # towns nothing ties to the question but what they contain
        if not place:
            found = _linked_names(text, parse, subject, relation, is_asked, ask)
        taken = [sp for _, sp in found] + [n.span for n in parse.names if not place and overlaps(n.span, [sp for _, sp in found])]
        # "by" alone ties a name only in a sentence that uses one of the question's words
        # or in a sentence that says what the subject is ("X is a single by Y": Y made it)
        agent = not place and (any(related(stem(w), relation) for _, _, w in tokens(text))
                               or any(mentions(text[p.subject[0]:p.subject[1]], subject) for p in parse.predicates))
        for span, label in _candidates(text, parse, labels, subject):
            if not place and (overlaps(span, taken) or blocked(span, parse, relation, is_asked, ask, subject)):
                continue  # the parse has its own reading of this name (above), or ties it to what is not asked
            if place:
                span = with_town(span, parse)
            cost = _entity_cost(text, parse, span, label, subject, relation, agent, place, rank, is_asked)
            if cost is not None:
                found.append(cost)
            elif place and label == "GPE" and not stems(text[span[0]:span[1]]) <= subject:
                loose.append(span)
        if not place:  # every name of the sentence, for the fullest form of the one chosen
            tied.setdefault(ev.sentence.source, []).extend((None, rank, n.span, ev) for n in parse.names
                                                           if n.label not in _NOT_NAMES)
        for cost, span in containers(text, parse, found, loose) if place else found:
            key = (cost, rank, _widen(text, span), ev)
            tied.setdefault(ev.sentence.source, []).append(key)
            if ev.sentence.source not in best or key[:2] < best[ev.sentence.source][:2]:
                best[ev.sentence.source] = key
    if place:
        best = {src: _most_precise(key, tied[src]) for src, key in best.items()}
    claims = []
    for _, _, span, ev in sorted((fullest(best[src], tied[src]) for src in best), key=lambda k: k[1]):
        value = ev.sentence.text[span[0]:span[1]]
        claims.append(Claim(kind="name", value=value, norm=_norm(value), qualifier="exact", topic=topic,
                            evidence=ev, span=span, event=()))
    return claims


def _most_precise(best: tuple[float, int, tuple[int, int], Evidence],
                  keys: list[tuple[float | None, int, tuple[int, int], Evidence]]) -> tuple[float, int, tuple[int, int], Evidence]:
    """Of the places a source ties to the question, one that names a town in the chosen one's region
    ("Aguadilla, Puerto Rico" over "northwestern Puerto Rico"): the same answer, said more precisely."""
    def words(key: tuple[float | None, int, tuple[int, int], Evidence]) -> frozenset[str]:
        return stems(key[3].sentence.text[key[2][0]:key[2][1]]) - _COMPASS_STEMS

    region = words(best)
    finer = [k for k in keys if k[0] is not None and words(k) > region] if region else []
    return min(finer, key=lambda k: (k[0], k[1])) if finer else best  # type: ignore[return-value]


def _entity_cost(text: str, parse: Parse, span: tuple[int, int], label: str, subject: frozenset[str],
                 relation: frozenset[str], agent: bool, place: bool, rank: int,
                 is_asked: Callable[[str], bool]) -> tuple[float, tuple[int, int]] | None:
    """How well a recognised entity answers (lower is better) and the span to quote; None when nothing ties it."""
    whole = span
    if place and "," in text[span[0]:span[1]]:
        titled = False  # "Van Horn, Texas" for Van Horn High School: a town and its region, named whole
    else:
        span, titled = _trim(text, whole, relation | subject)
    if titled and not _trim(text, whole, relation)[1]:
        return None  # "Chola Empire" for the "Chola invasion": a name sharing the subject's word is a sibling
    if not any(c.isalpha() for c in text[span[0]:span[1]]):
        return None  # a figure left after the question's own word is not a name
    # a place is tied to the subject itself too ("the Grand Theatre in Halby")
    cost: float | None = 0 if titled else _tie(text, span, relation | subject if place else relation, agent, place)
    if cost is None and agent and (whole[0], whole[1], AGENT) in parse.entities:
        cost = _REACH  # the parse says "by" introduces it, however many words stand between
    if cost is None:
        return None
    if place:
        if cost <= _REACH:
            cost = -_REACH - 1 + rank / 1000  # a place put "in" by the source's most relevant sentence, not the nearest word
        if placed(span, parse, is_asked):
            cost -= _REACH  # "a newspaper in Halby": the parse puts the subject (or what is asked) there
        if label != "GPE":
            cost += 0.5  # "at 1 Mill Street in Halby, Ohio": the town, not the street or the building
    return cost, span


def _widen(text: str, span: tuple[int, int]) -> tuple[int, int]:
    """"eastern Afghanistan": a compass word just before a place is part of the place named."""
    m = re.search(r"\b([a-z]+)\s+$", text[: span[0]])
    return (m.start(1), span[1]) if m and m.group(1) in COMPASS_WORDS else span


__all__ = ["NAME", "asks_place_kind", "find_names", "relation_stems", "subject_stems", "wanted_labels", "wh_noun"]
