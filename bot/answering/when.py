"""When-questions: which of a source's dates answers, from the verb a date belongs to and from life dates.

A source names many dates near its subject ("born in 1916 to a father who died in 1866", "served from
1959 to 1975"). The one that answers is tied to what the question asks: the parse says which verb a
date belongs to ("was built in 1829": build), and the reference-work convention says what a pair of
dates after a name is (bot/answering/lifedates.py). Each source then gives one value, from its earliest
sentence with a tied date (where a report or a reference article says what its subject is), the most
precise of the compatible dates it gives there ("1677" in a heading, "9 February 1677" in the lead), and
a second one where it says the action was done again ("re-created in 2010"). Sources with no tied date
keep what the general reading found in them, unless that is someone else's doing and the source names
the subject with a date (bot/answering/bynames.py).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from bot.answering.bynames import done_by_another, in_a_name, named_dates
from bot.answering.events import context_markers, is_other_event
from bot.answering.lifedates import life_claims, life_role
from bot.answering.names import subject_stems
from bot.models import Claim, Evidence, QuestionAnalysis
from bot.text.dates import find_dates
from bot.text.lexicon import families, setting_families, with_near_synonyms
from bot.text.syntax import SyntaxCache
from bot.text.tokens import STOPWORDS, raw_words, stem
from bot.text.vocab import FINAL_NOUNS, FRAME_WORDS, LINKING_VERBS, PRIOR_WORDS

_SKIP_VERBS = frozenset({"be", "do", "have"})
_PRONOUN_SUBJECTS = frozenset({"it", "he", "she", "they"})


def asked_verbs(analysis: QuestionAnalysis, syntax: SyntaxCache) -> frozenset[str]:
    """Lemmas of the question's own verbs and nouns ("built" → build, "birth" → birth), and its topics' stems."""
    doc = syntax.doc(analysis.text)
    lemmas = {t.lemma_.lower() for t in doc or () if t.pos_ in ("VERB", "NOUN") and t.lemma_.lower() not in _SKIP_VERBS}
    return frozenset(lemmas)


def nouns_of(analysis: QuestionAnalysis, syntax: SyntaxCache) -> frozenset[str]:
    """The question's common nouns, lower case ("surveillance", "venue"); not its frame words."""
    doc = syntax.doc(analysis.text)
    return frozenset(t.lower_ for t in doc or () if t.pos_ == "NOUN" and t.lower_ not in FRAME_WORDS)


def _tied(c: Claim, verbs: frozenset[str], topic_stems: frozenset[str], syntax: SyntaxCache) -> bool:
    """The parse puts the claim's date under one of the question's verbs (or a near-synonym of them)."""
    parse = syntax.get(c.evidence.sentence.text)
    if parse is None:
        return False
    for f in parse.figures:
        if f.span[0] < c.span[1] and c.span[0] < f.span[1]:
            # "re-created in 2010" is a creation too
            if any(a in verbs or a.removeprefix("re-") in verbs or stem(a) in topic_stems for a in f.about):
                return True
    return False


def _speaks_of(ev: Evidence, nouns: frozenset[str]) -> bool:
    """The sentence names the subject or a noun of the question; or opens on a pronoun ("It was built in
    1829") after a sentence or heading that names one: a reference article's sentences about its subject."""
    said = {stem(w.lower()) for w in raw_words(ev.sentence.text)}
    if nouns & said:
        return True
    first = raw_words(ev.sentence.text)[:1]
    if not first or first[0].lower() not in _PRONOUN_SUBJECTS:
        return False
    around = " ".join([ev.sentence.heading, *ev.paragraph_before[-1:]])
    return bool(nouns & {stem(w.lower()) for w in raw_words(around)})


def _precision(norm: object) -> int:
    return sum(x is not None for x in norm) if isinstance(norm, tuple) else 1


def _compatible(a: object, b: object) -> bool:
    """Two dates that may be one: no part differs and one part is shared ("1677" and "9 February 1677";
    not "1960" and "3 May", which say nothing of each other)."""
    if isinstance(a, tuple) and isinstance(b, tuple):
        pairs = [(x, y) for x, y in zip(a, b) if x is not None and y is not None]
        return bool(pairs) and all(x == y for x, y in pairs)
    return a == b


def answering_dates(claims: list[Claim], selected: list[Claim], pool: Sequence[Evidence], analysis: QuestionAnalysis,
                    syntax: SyntaxCache | None, main: dict[str, frozenset] | None = None) -> list[Claim]:
    """One date per source where the source ties one to the question, the `selected` claims of the other sources;
    [] when no source ties one (or the question is not a when-question). `claims`: every date found."""
    if analysis.answer_type not in ("date", "year") or syntax is None or not syntax.available:
        return []
    return of_the_asked_occasion(_answering_dates(claims, selected, pool, analysis, syntax, main), analysis, syntax)


def of_the_asked_occasion(found: list[Claim], analysis: QuestionAnalysis, syntax: SyntaxCache | None) -> list[Claim]:
    """"the last presidential election, in 2028" is an earlier occasion than the one reported: its date answers a
    question about the last one ("When was the last election?"), and no other (PRIOR_WORDS)."""
    if syntax is None or not syntax.available or analysis.answer_type not in ("date", "year"):
        return found
    earlier = [c for c in found if _prior(c.evidence.sentence.text, c.span, syntax)]
    if _prior_asked(analysis, syntax):
        return earlier or found
    return [c for c in found if c not in earlier]


def _prior_asked(analysis: QuestionAnalysis, syntax: SyntaxCache) -> bool:
    return any(t.lower_ in PRIOR_WORDS and t.dep_ == "amod" and t.head.lower_ not in FINAL_NOUNS
               for t in syntax.doc(analysis.text) or ())


def _prior(text: str, span: tuple[int, int], syntax: SyntaxCache) -> bool:
    """The noun a date belongs to is set before the reported one by a word like "last" ("the last flood, in 1957")."""
    if not PRIOR_WORDS & {w.lower() for w in raw_words(text)}:
        return False  # parsing now is for the few sentences that use such a word
    tok = _token_at(text, span, syntax)
    for _ in range(4):  # up through "in" to the noun it is a date of, or to the verb whose doer it dates
        if tok is None or tok.head is tok:
            return False
        tok = tok.head
        if tok.pos_ == "NOUN":
            return _set_before(tok)
        if tok.pos_ in ("VERB", "AUX"):  # "The last major earthquake on this coast struck in 1957"
            return any(_set_before(c) for c in tok.children if c.dep_ in ("nsubj", "nsubjpass") and c.pos_ == "NOUN")
    return False


def _set_before(noun: Any) -> bool:
    return noun.lower_ not in FINAL_NOUNS and any(c.dep_ == "amod" and c.lower_ in PRIOR_WORDS for c in noun.children)


def _answering_dates(claims: list[Claim], selected: list[Claim], pool: Sequence[Evidence], analysis: QuestionAnalysis,
                     syntax: SyntaxCache, main: dict[str, frozenset] | None = None) -> list[Claim]:
    """answering_dates before the occasion is checked."""
    verbs = asked_verbs(analysis, syntax)
    role = life_role(verbs)
    topic_stems = frozenset(s for fam in analysis.topics if fam != "attack" for s in families().get(fam, ()))
    subject = subject_stems(analysis.text)
    # the sentence speaks of what was asked: it names the subject or one of the question's nouns ("bridge"),
    # not only its verb ("opened a school" for "When was the bridge opened?")
    nouns = subject | with_near_synonyms(frozenset(stem(w) for w in nouns_of(analysis, syntax)))  # "election": "the vote"
    # main: the main event's markers, given when the question asks that event's date (claims.asks_main_date)
    event_question = bool(set(analysis.topics) & setting_families()) or main is not None
    # a date the parse puts under the asked verb answers however far from it it is written ("was founded as
    # the Lind County School for Boys in 1912"); an event's dates keep the event logic's reading
    if main is not None:  # the parse ties a date the general reading gave to a nearer word ("on 3 May killed")
        extra = [c for c in _every_date(pool, claims, analysis, syntax) if not _of_another_event(c, main)]
    else:
        extra = [] if event_question else _every_date(pool, claims, analysis, syntax)
    candidates = claims + extra
    tying = _tying_words(analysis, syntax, verbs)
    tied = [c for c in candidates if _tied(c, tying, topic_stems, syntax) and _speaks_of(c.evidence, nouns)]
    if not _asks_of_kin(analysis, syntax):
        # "Lind's father died in 1685" names Lind, but the death is the father's
        tied = [c for c in tied if not _of_kin(c, syntax)]
    if selected:
        # a date tied to the question's verb in a report of another event ("their attack on the embassy
        # in 2022") is that event's: only the events the claims were selected for stay
        events = {c.event for c in selected}
        tied = [c for c in tied if c.event in events]
    if role:
        tied += life_claims(pool, analysis, role)
    if not tied and event_question:
        return []
    topic = (selected or tied or claims)[0].topic if (selected or tied or claims) else "asked"

    terms = frozenset(analysis.event_terms)

    def order(c: Claim) -> tuple[int, int, int, int]:
        # the sentence naming most of the subject ("the Party was founded in 1972", not "the first group in
        # 1967 founded another party"); a question naming no subject, most of its other words ("the last
        # major flood on this coast"); then the article's earliest
        said = {stem(w.lower()) for w in raw_words(c.evidence.sentence.text)}
        return (-len(subject & said), -len(terms & said) if not subject else 0, c.evidence.sentence.idx, c.span[0])

    ranked = sorted(tied, key=order)
    best: dict[str, Claim] = {}
    for c in ranked:
        src = c.evidence.sentence.source
        if src not in best:
            best[src] = c
        elif c.evidence.sentence.idx == best[src].evidence.sentence.idx or _compatible(c.norm, best[src].norm):
            if _compatible(c.norm, best[src].norm) and _precision(c.norm) > _precision(best[src].norm):
                best[src] = c  # "(died 1677)" then "(3 March 1605 – 9 February 1677)": the full date
    kept = {src: replace(c, topic=topic, event=()) for src, c in best.items()}
    rest = [c for c in selected if c.evidence.sentence.source not in kept]
    if event_question:
        return list(kept.values()) + rest  # an event's date: other sources' dates are the event logic's to pick
    # "first created in 1959 ... re-created in 2010": a source saying the asked action was done again gives
    # that date too (one more per source)
    again: dict[str, Claim] = {}
    for c in ranked:
        src = c.evidence.sentence.source
        if src in best and src not in again and not _compatible(c.norm, best[src].norm) and _done_again(c, verbs):
            again[src] = replace(c, topic=topic, event=())
    # a day named without a figure ("on Sunday night") is the general reading's weakest pick: it stays only when
    # its own verb is not another action ("A fire swept through the plant on Sunday" says nothing of when the
    # plant was built)
    rest = [c for c in rest if not _weekday_of_another_verb(c, verbs, topic_stems, syntax)]
    # a date the general reading found next to the asked verb whose doer is someone else, by name ("Victoria
    # passed legislation in 1884") is weaker than one in the source's sentence naming the whole subject ("The
    # Lind Act 1882 was an Act of Parliament"): that source is answered by name
    # (a date the general reading left out counts here where it is written into a name)
    def usable(c: Claim) -> bool:
        return (not _of_another_verb(c, verbs, topic_stems, syntax) and not _of_kin(c, syntax)
                and not _weekday_of_another_verb(c, verbs, topic_stems, syntax))

    named = {c.evidence.sentence.source: c for c in named_dates(claims + [c for c in extra if in_a_name(c, syntax)],
                                                                 set(kept), subject, topic) if usable(c)}
    rest = [c for c in rest if c.evidence.sentence.source not in named or not done_by_another(c, subject, syntax)]
    answered = {c.evidence.sentence.source for c in rest}
    more = [c for src, c in named.items() if src not in answered]
    return list(kept.values()) + list(again.values()) + rest + more if kept or more else []


_AGAIN = re.compile(r"\bre-([^\W\d_]+)", re.I)


def _done_again(c: Claim, verbs: frozenset[str]) -> bool:
    """The claim's sentence says, before the date, that one of the asked actions was done again ("re-created in
    2010", "re-established in 1990")."""
    text = c.evidence.sentence.text
    asked = {stem(v) for v in verbs}
    return any(m.end() <= c.span[0] and stem(m.group(1).lower()) in asked for m in _AGAIN.finditer(text))


def _asks_of_kin(analysis: QuestionAnalysis, syntax: SyntaxCache) -> bool:
    """The question's own doer is named through someone else ("When did Lind's father die?")."""
    doc = syntax.doc(analysis.text)
    return any(t.dep_ in ("nsubj", "nsubjpass") and any(c.dep_ == "poss" for c in t.children) for t in doc or ())


def _of_kin(c: Claim, syntax: SyntaxCache) -> bool:
    """The parse gives the claim's date to a doer named through someone else ("her father", "Lind's wife")."""
    parse = syntax.get(c.evidence.sentence.text)
    fig = parse.figure(c.span) if parse else None
    return fig is not None and fig.kin


def _of_another_event(c: Claim, main: dict[str, frozenset]) -> bool:
    """The claim's sentence places its date in another event than the main one (its own year among them)."""
    ev = c.evidence
    return is_other_event(context_markers(ev.sentence.text, ev.paragraph_before, None, ev.article_event), main)


def _every_date(pool: Sequence[Evidence], known: list[Claim], analysis: QuestionAnalysis,
                syntax: SyntaxCache) -> list[Claim]:
    """The dates of the evidence the general reading left out (too far from a word it knows), as claims
    of the asked kind; which of them answers is the parse's to say (`_tied`)."""
    seen = {(c.evidence.sentence.source, c.evidence.sentence.idx, c.span) for c in known}
    year = analysis.answer_type == "year"
    out = []
    for ev in pool:
        parse = syntax.peek(ev.sentence.text)
        if parse is not None and parse.lang != "en":
            continue  # a language no pipeline reads: quoted, not compared
        for v in find_dates(ev.sentence.text, None):
            if (ev.sentence.source, ev.sentence.idx, v.span) in seen or (year and v.norm[0] is None):  # type: ignore[index]
                continue  # a year question is not answered by "3 May"
            seen.add((ev.sentence.source, ev.sentence.idx, v.span))
            out.append(Claim(kind="year" if year else "date", value=v.text, norm=v.norm[0] if year else v.norm,  # type: ignore[index]
                             qualifier=v.qualifier, topic="asked", evidence=ev, span=v.span, event=()))
    return out


def _tying_words(analysis: QuestionAnalysis, syntax: SyntaxCache, verbs: frozenset[str]) -> frozenset[str]:
    """The question's words a date is tied by. With a verb of its own ("When was the group formed?") the question's
    subject is not one of them: "In 2022, the group claimed an attack" (the parse makes the date the group's, as
    the doer's) says nothing of when it was formed. With none ("When did the flood happen?") the subject's own
    verb gives its date ("the flood that swept the valley on 3 May")."""
    doc = syntax.doc(analysis.text)
    if not any(t.pos_ == "VERB" and t.lemma_.lower() not in _SKIP_VERBS and t.lemma_.lower() not in FRAME_WORDS
               and t.lower_ not in FRAME_WORDS and t.lower_ not in STOPWORDS for t in doc or ()):
        return verbs
    doers = {w.lemma_.lower() for t in doc or () if t.dep_ in ("nsubj", "nsubjpass") for w in t.subtree}
    return frozenset(v for v in verbs if v not in doers)


def _other_action(verb: str, about: Sequence[str], verbs: frozenset[str], topic_stems: frozenset[str]) -> bool:
    """A value's verb is an action the question does not ask about: not a verb of being or happening, not the
    question's verb (or a near-synonym of its topic), nor a verb whose value is about one of those."""
    if verb in _SKIP_VERBS or verb in LINKING_VERBS or verb in FRAME_WORDS:
        return False
    if any(a in verbs or stem(a) in topic_stems for a in about):
        return False
    return stem(verb.removeprefix("re-")) not in {stem(v) for v in verbs}


def _token_at(text: str, span: tuple[int, int], syntax: SyntaxCache) -> Any | None:
    """The first token at span of a parse made now (the stored parse keeps figures only); None without one."""
    return next((t for t in syntax.doc(text) or () if t.idx >= span[0]), None)


def _verb_of(text: str, span: tuple[int, int], syntax: SyntaxCache) -> Any | None:
    """The first verb above the token at span, in a parse made now; None when there is none."""
    tok = _token_at(text, span, syntax)
    while tok is not None and tok.pos_ not in ("VERB", "AUX") and tok.head is not tok:
        tok = tok.head
    return tok if tok is not None and tok.pos_ in ("VERB", "AUX") else None


def _of_another_verb(c: Claim, verbs: frozenset[str], topic_stems: frozenset[str], syntax: SyntaxCache) -> bool:
    """The parse gives the claim's date to an action the question does not ask about: "In 2022, the group claimed
    an attack" says nothing of when the group was formed. A date in a name ("the Lind Act 1870"), after "be",
    or of a verb of happening ("occurred in 1921") is not such a date."""
    parse = syntax.get(c.evidence.sentence.text)
    fig = parse.figure(c.span) if parse else None
    if fig is None or not fig.verb or fig.verb in STOPWORDS:
        return False
    return _other_action(fig.verb, fig.about, verbs, topic_stems)


def _weekday_of_another_verb(c: Claim, verbs: frozenset[str], topic_stems: frozenset[str], syntax: SyntaxCache) -> bool:
    """The claim is a weekday alone ("Sunday") whose verb, read from a parse made now, is an action the question
    does not ask about."""
    if not (isinstance(c.norm, tuple) and len(c.norm) == 4 and c.norm[3] is not None and c.norm[2] is None):
        return False  # not a weekday alone ("in the 1990s" keeps the general reading's pick)
    tok = _verb_of(c.evidence.sentence.text, c.span, syntax)
    return tok is not None and _other_action(tok.lemma_.lower(), (tok.lemma_.lower(),), verbs, topic_stems)


def of_another_verb(text: str, span: tuple[int, int], analysis: QuestionAnalysis, syntax: SyntaxCache | None) -> bool:
    """The parse gives the value at span to a verb the question does not use (nor one of being or happening),
    in a sentence that uses the question's verb for another value ("broke out before midnight and was contained
    by 6 a.m.")."""
    if syntax is None or not syntax.available:
        return False
    parse = syntax.get(text)
    fig = parse.figure(span) if parse else None
    verbs = asked_verbs(analysis, syntax)
    if fig is None or not fig.verb or not _other_action(fig.verb, fig.about, verbs, frozenset()):
        return False
    # only where the sentence uses the asked verb for something else: "struck at 23:40" answers "when did it hit?"
    said = {t.lemma_.lower() for t in syntax.doc(text) or () if t.pos_ == "VERB"}
    return bool(said & verbs)


__all__ = ["answering_dates", "asked_verbs", "of_another_verb", "of_the_asked_occasion"]
