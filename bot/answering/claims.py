"""Evidence → comparable claims → groups by what they are about → disagreements, with what may explain them.

For a question that wants a value (a count, a year, a date, a venue), every evidence sentence is
searched for values of that kind attached to what the question asks about. Values of other events
are kept apart (events.py). Claims about the same thing are grouped; two or more different values
from different sources make a disagreement. Publication dates and qualifiers ("at least",
"continues to rise") that may explain a difference are stated, never judged.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from bot.answering.events import (
    context_markers,
    is_other_event,
    main_event_markers,
    markers,
)
from bot.answering.explain import chronology, explain
from bot.answering.figures import OPEN as FIGURE
from bot.answering.figures import family_figures, find_asked_figures
from bot.answering.kinds import find_kinds
from bot.answering.names import asks_place_kind, find_names, subject_stems, wanted_labels
from bot.answering.question import how_measure
from bot.answering.when import answering_dates, nouns_of, of_another_verb, of_the_asked_occasion
from bot.answering.which import find_named_kind
from bot.models import Claim, ClaimGroup, Evidence, QuestionAnalysis
from bot.prompts import Prompts, prompts
from bot.text.dates import find_dates, with_full_dates
from bot.text.lexicon import families
from bot.text.syntax import SyntaxCache
from bot.text.times import find_times, same_moment
from bot.text.morphology import verb_forms
from bot.text.tokens import content_stems, lex, stem, words
from bot.text.values import (
    ASKED,
    Value,
    find_counts,
    find_venues,
    find_years,
    nearest_topic,
)

COUNT_TOPICS = {"killed", "injured", "arrested", "fighters"}
__all__ = ["find_disagreements", "main_event_markers", "extract_claims", "group_claims"]


def _anchors(analysis: QuestionAnalysis, syntax: SyntaxCache | None) -> frozenset[str] | None:
    """With no lexicon family to go by, the question's own words a year or date is read next to; None otherwise."""
    if set(analysis.topics) - {"attack"}:
        return None
    anchors = frozenset(analysis.event_terms)
    if anchors and syntax is not None and syntax.available:
        # "When did the quake strike?" is answered by "struck on 3 May": irregular forms join the stems
        anchors |= {stem(f) for w in words(analysis.text) if stem(w) in anchors for f in verb_forms(syntax.name, w)}
    return anchors


def _values(ev: Evidence, analysis: QuestionAnalysis, syntax: SyntaxCache | None,
            anchors: frozenset[str] | None) -> list[Value]:
    text = ev.sentence.text
    topics = set(analysis.topics)
    kind = analysis.answer_type
    if syntax is not None and not compared(syntax, text):
        return []  # a language no installed pipeline reads: quoted, not compared
    if kind == "count" and syntax is not None and not topics & COUNT_TOPICS:
        # no near-synonym family for what is counted: the parse says what each figure counts
        return find_asked_figures(text, syntax.get(text), analysis)
    if kind == "count":
        asked = topics & COUNT_TOPICS or topics
        found = find_counts(text, asked, analysis.noun)
        if syntax is not None:
            found = [v for v in found if not _of_another_family(syntax, text, v, asked)]
        if syntax is not None and not analysis.noun:
            found += family_figures(text, syntax.get(text), asked, found)
        return found
    if kind == "year":
        return with_full_dates(text, find_years(text, (topics - {"attack"} or topics) | {ASKED}, ev.meta.published, anchors))
    if kind == "date":
        return find_dates(text, (topics - {"attack"} or topics) | {ASKED}, anchors)
    if kind == "time":
        # a time of day answers when its sentence names what was asked ("the dam failed at 9:15 p.m.")
        terms = anchors if anchors is not None else frozenset(analysis.focus)
        if not terms & set(content_stems(text)):
            return []
        # "the fire broke out before midnight and was contained by 6 a.m.": 6 a.m. is the containing's time
        return [v for v in find_times(text) if not of_another_verb(text, v.span, analysis, syntax)]
    if kind == "place" and _asks_for_venue(analysis):
        focus = set(analysis.focus)
        if focus & set(content_stems(text)):
            return [v for v in find_venues(text) if _attacked(text, v)]
    return []


def _of_another_family(syntax: SyntaxCache, text: str, v: Value, asked: set[str]) -> bool:
    """The parse gives a count that the nearest word gave an asked family to another family's word: in "the
    number killed has risen to eleven after two injured workers died", eleven and two are deaths, not injuries."""
    parse = syntax.get(text)
    fig = parse.figure(v.span) if parse is not None else None
    if fig is None:
        return False
    fams = families()
    about = {stem(a) for a in fig.about}
    mine = set().union(*(fams.get(t, frozenset()) for t in asked))
    other = set().union(*(fams.get(t, frozenset()) for t in COUNT_TOPICS - asked))
    return bool(about & other) and not about & mine


def compared(syntax: SyntaxCache, text: str) -> bool:
    """False when the sentence's article is in a language whose values are not compared."""
    parse = syntax.peek(text)
    return parse is None or parse.lang == "en"


def _attacked(text: str, venue: Value) -> bool:
    """The venue is a scene, not an actor: "The Danish Embassy in Tarsk has warned ..." names a place
    as the subject of the sentence; "The Halby Arena Hall attack came after ..." names the scene."""
    toks = lex(text)
    inside = [k for k, t in enumerate(toks) if venue.span[0] <= t.start < venue.span[1]]
    if not inside or any(t.low not in ("the", "a", "an") for t in toks[: inside[0]]):
        return bool(inside)
    return nearest_topic(toks, inside[0], inside[-1] + 1, {"attack", "venue"}, reach=2) in ("attack", "venue")


def _asks_for_venue(analysis: QuestionAnalysis) -> bool:
    """"Where did the attack take place?", "name of the venue": not where a group operates, or which town."""
    if asks_place_kind(analysis) or (subject_stems(analysis.text) and "attack" not in analysis.topics):
        return False  # "which city", "where is Halby Arena" (not where an event was): a place name (names.py)
    return "venue" in analysis.topics or (analysis.topics == ["attack"] and not analysis.event_terms)


def asks_main_date(analysis: QuestionAnalysis, main: dict[str, frozenset], syntax: SyntaxCache | None) -> bool:
    """"On what date did the flood strike?": a question that names the main event by a noun its titles
    share, and no other name, asks that event's date, and a date of another event ("the last flood here, in 1957")
    gives itself away by its markers."""
    if analysis.answer_type not in ("year", "date") or not main.get("years") or syntax is None or not syntax.available:
        return False
    common = set(main.get("common", ()))
    names = {stem(n) for n in main.get("names", ())}
    named = subject_stems(analysis.text) - common - names
    doc = syntax.doc(analysis.text)
    verbs = {stem(t.lower_) for t in doc or () if t.pos_ in ("VERB", "AUX")}
    # any other word ("When did the last major flood strike?") may say which flood: not the main one
    other = set(analysis.event_terms) - common - verbs - names
    return not named and not other and bool({stem(n) for n in nouns_of(analysis, syntax)} & common)


def extract_claims(pool: Sequence[Evidence], analysis: QuestionAnalysis, main: dict[str, frozenset],
                   syntax: SyntaxCache | None = None, main_date: bool | None = None) -> list[Claim]:
    """Every value of the wanted kind in the evidence, with its source, qualifier and event.

    `main_date`: asks_main_date's answer when the caller has it."""
    claims: list[Claim] = []
    seen: set[tuple[str, int, tuple[int, int]]] = set()
    if main_date is None:
        main_date = asks_main_date(analysis, main, syntax)
    anchors = _anchors(analysis, syntax)
    for ev in pool:
        for v in _values(ev, analysis, syntax, anchors):
            key = (ev.sentence.source, ev.sentence.idx, v.span)
            if key in seen:
                continue
            seen.add(key)
            # "in which year did the Red Hand bomb the Norwick airport": a year read next to the
            # question's own words is the event's year, and marks which event it is
            # figures matched by syntax keep their own years ("the 2010 census"): shown, not taken for another event
            about_event = ((v.kind in ("count", "name") and not v.topic.startswith(FIGURE)) or v.topic == "attack"
                           or (v.topic == ASKED and ("attack" in analysis.topics or main_date)))
            # a year that is the answer ("formed in 2014") does not mark the event, unless the question
            # asks when the event itself happened, where a year of another event gives it away
            skip = v.span if v.kind in ("year", "date") and not about_event else None
            m = context_markers(ev.sentence.text, ev.paragraph_before, skip, ev.article_event)
            other = is_other_event(m, main) if about_event else False
            event = tuple(sorted(m.names | {str(y) for y in m.years})) if other else ()
            topic = "attack" if v.topic == ASKED and "attack" in analysis.topics else v.topic
            topic = topic if not v.noun else f"{topic}:{v.noun}"
            claims.append(Claim(kind=v.kind, value=v.text, norm=v.norm, qualifier=v.qualifier,  # type: ignore[arg-type]
                                topic=topic, evidence=ev, span=v.span, event=event))
    return claims


def _event_overlap(c: Claim, terms: set[str]) -> int:
    """How many of the question's event terms the claim's sentence names (or, if none, the two before it)."""
    own = len(terms & set(content_stems(c.evidence.sentence.text + " " + c.evidence.sentence.heading)))
    if own or markers(c.evidence.sentence.text).pins_event:
        return own
    return len(terms & set(content_stems(" ".join(c.evidence.paragraph_before[-2:]))))


def _best_overlap(claims: list[Claim], analysis: QuestionAnalysis, terms: set[str], main_stems: set[str]) -> list[Claim]:
    """Claims whose sentences name what was asked: its kind of thing first ("airport", "occupation"), then most terms."""
    nouns = set(analysis.event_nouns) - main_stems
    of_kind = [c for c in claims if nouns and _event_overlap(c, nouns)] or claims
    scored = [(_event_overlap(c, terms), c) for c in of_kind]
    best = max((s for s, _ in scored), default=0)
    return [c for s, c in scored if s > 0 and s >= 0.5 * best]


def select_event(claims: list[Claim], analysis: QuestionAnalysis, main: dict[str, frozenset]) -> list[Claim]:
    """The claims about the event the question asks about: one it names, else the main event."""
    # the main event's names and years pick no event; nor do words the titles share ("Red Hand",
    # "concert": the corpus's subject)
    main_stems = {stem(n) for n in main["names"]} | {str(y) for y in main["years"]}
    subject = set(main.get("common", ()))
    terms = [t for t in analysis.event_terms if t not in main_stems and t not in subject]
    if terms and analysis.answer_type in ("year", "date") and "attack" not in analysis.topics:
        # the value is a year or date, so it cannot mark the event: keep the claims about what was asked;
        # dates marked as another event's (asks_main_date) are not the main event's
        claims = [c for c in claims if not c.event] or claims
        return _best_overlap(claims, analysis, set(terms), main_stems) or claims
    if terms:
        # What kind of event ("embassy", "airport") tells events in one city apart; places nest
        # ("Halby" is in "Karvenia"), so they only rank the claims that are left.
        nouns = set(analysis.event_nouns) - main_stems
        of_kind = [c for c in claims if nouns and _event_overlap(c, nouns)]
        claims_for_terms = of_kind or claims
        scored = [(_event_overlap(c, set(terms)), c) for c in claims_for_terms]
        best = max((s for s, _ in scored), default=0)
        named = [c for s, c in scored if s > 0 and s >= 0.5 * best]
        # Terms that appear around a main-event value ("Halby Arena Hall") name the main event;
        # only terms found solely around other events' values ("Norwick airport") pick another event.
        if named and all(c.event for c in named):
            return named
    return [c for c in claims if not c.event]


def _within(n: object, rng: object) -> bool:
    total = sum(n) if isinstance(n, frozenset) else n  # "12 soldiers as well as 30 civilians" is 42
    return isinstance(total, (int, float)) and isinstance(rng, tuple) and rng[0] <= total <= rng[1]


def _dated(c: Claim) -> tuple:
    """A date's norm with the year its article implies: "14 October" in a report published in October 2031
    is 14 October 2031 (so not "1957"); a bare weekday stays open."""
    y, mo, *rest = c.norm
    pub = c.evidence.meta.published or ""
    if y is None and mo is not None and pub[:4].isdigit() and int(pub[5:7] or 0) >= mo:
        y = int(pub[:4])  # a month after the publication's is last year's: left open
    return (y, mo, *rest)


def _compatible(a: Claim, b: Claim) -> bool:
    if a.kind in ("count", "year") and "approx" not in (a.qualifier, b.qualifier) and (_within(a.norm, b.norm) or _within(b.norm, a.norm)):
        return True  # a stated range holds an exact figure; "dozens" against "84" is shown as two values
    if a.kind == "date":
        return all(x is None or y is None or x == y for x, y in zip(_dated(a), _dated(b)))
    if a.kind == "time":
        return same_moment(a.norm, b.norm)
    if a.kind == "name":
        return a.norm <= b.norm or b.norm <= a.norm
    return a.norm == b.norm


def _clusters(claims: list[Claim]) -> list[list[Claim]]:
    out: list[list[Claim]] = []
    for c in claims:
        for cl in out:
            if all(_compatible(c, o) for o in cl):
                cl.append(c)
                break
        else:
            out.append([c])
    return out


def _sort_key(c: Claim) -> float:
    n = c.norm
    if c.kind == "name":
        return float(len(n))
    if isinstance(n, frozenset):
        return float(sum(n))
    if c.kind == "time":
        return float(n[0])
    if isinstance(n, tuple):
        if c.kind == "count":
            return float(n[-1])  # a range sorts by its upper bound
        # a year range is (first, last); a date is (year, month, day, weekday): sort by what is given
        y, mo, d = (list(n) + [None, None, None])[:3]
        return float((y or 0) * 10000 + (mo or 0) * 100 + (d or 0)) if c.kind == "date" else float(y or 0)
    if isinstance(n, (int, float)):
        return float(n)
    return 0.0


def topic_label(p: Prompts, topic: str, plural: bool, kind: str = "", word: str = "") -> str:
    """The readable name of a topic ("death tolls", "the venue"), from prompts/topics.yaml.

    A family may name its values by kind ("attack" counts attackers, "killed" dates are dates of death);
    other dates and years are named by the question's own word for the family (`word`), or as asked.
    """
    family, _, noun = topic.partition(":")
    form = "plural" if plural else "one"
    if noun and f"topics.{family}_noun_{form}" in p:
        return p.render(f"topics.{family}_noun_{form}", noun=noun)
    if kind and f"topics.{family}_{kind}_{form}" in p:
        return p.render(f"topics.{family}_{kind}_{form}")
    if kind in ("date", "year") and family in families():
        return p.render(f"topics.dated_{kind}_{form}", word=word) if word else p.render(f"topics.asked_{kind}_{form}")
    key = f"topics.{family}_{form}"
    return p.render(key) if key in p else p.render(f"topics.other_{form}", topic=family)


def group_claims(claims: list[Claim], p: Prompts | None = None, words: dict[str, str] | None = None) -> list[ClaimGroup]:
    """Group claims by topic; a group disagrees when different sources give incompatible values.

    `words`: the question's own word for each family it names, for the answer line's label."""
    p = p or prompts()
    words = words or {}
    by_topic: dict[str, list[Claim]] = {}
    for c in claims:
        by_topic.setdefault(c.topic, []).append(c)
    groups = []
    for topic, cs in by_topic.items():
        cs = sorted(cs, key=_sort_key, reverse=True)
        clusters = _clusters(cs)
        sources = {c.evidence.sentence.source for c in cs}
        disagrees = len(clusters) > 1 and len(sources) > 1
        word = words.get(topic.partition(":")[0], "")
        if disagrees:
            explanation = explain(p, cs, clusters)
            summary = p.render("claims.summary_disagree", sources=len(sources), values=len(clusters),
                               topic=topic_label(p, topic, plural=False, kind=cs[0].kind, word=word))
            if cs[0].kind == "count":
                summary = " ".join(x for x in (summary, chronology(p, cs)) if x)
        else:
            explanation = _zones(p, cs) if cs[0].kind == "time" else ""
            summary = p.render("claims.summary_agree", sources=len(sources),
                               topic=topic_label(p, topic, plural=False, kind=cs[0].kind, word=word),
                               value=cs[0].value)
        kept: list[list[Claim]] = []
        for cl in clusters:  # each source once per value, with its best sentence
            cited: set[str] = set()
            kept.append([])
            for c in cl:
                if c.evidence.sentence.source not in cited:
                    cited.add(c.evidence.sentence.source)
                    kept[-1].append(c)
        ordered = [c for cl in kept for c in cl]
        groups.append(ClaimGroup(topic=topic, claims=ordered, disagrees=disagrees, explanation=explanation,
                                 summary=summary, clusters=kept, word=word))
    return groups


def _zones(p: Prompts, claims: list[Claim]) -> str:
    """Said when times of day agree only because some are in universal time and the others are not."""
    utc = list(dict.fromkeys(c.value for c in claims if c.norm[1]))
    if not utc or len(utc) == len({c.value for c in claims}):
        return ""
    return p.render("claims.time_zones", values=", ".join(utc))


def _people_kinds_join(claims: list[Claim]) -> None:
    """For a question about people in general and an event the articles mention in passing, a sentence
    that gives no general figure gives its count of a kind of people ("an attack on the consulate led to
    the death of three guards") as its figure, in its own words, compared with the others. The main
    event is reported in general figures by every source: there a count of a kind of people is a part
    or another figure ("40 children", "two members of the group"), kept apart, as is a count next to
    a general figure. Counts of who did it ("two gunmen") always stay apart."""
    general = {(c.evidence.sentence.source, c.evidence.sentence.idx, c.topic) for c in claims if ":" not in c.topic}
    for c in claims:
        family, _, noun = c.topic.partition(":")
        if (noun and c.kind == "count" and c.event and noun not in ("attackers", family) and not family.startswith(FIGURE)
                and (c.evidence.sentence.source, c.evidence.sentence.idx, family) not in general):
            c.topic = family


def find_disagreements(
    pool: Sequence[Evidence], analysis: QuestionAnalysis, main_markers: dict[str, frozenset],
    syntax: SyntaxCache | None = None,
) -> list[ClaimGroup]:
    """Claim groups for a question that wants a value, most relevant first; [] for other questions."""
    if analysis.answer_type == "other" and how_measure(analysis.text):
        # "how deep is the lake": the measure ("a depth of 40 metres") where the articles give one as a figure;
        # where none does ("how long did they roam"), the quotes answer
        measured = select_event(extract_claims(pool, replace(analysis, answer_type="count"), main_markers, syntax),
                                analysis, main_markers)
        if measured:
            return group_claims(measured, words=analysis.topic_words)
    if analysis.answer_type in ("other", "definition"):
        # "what is the genre of X": what each source says X is, compared like any other value; "which line is
        # X on": a name of that kind ("the Ring line") first, what X is only when no source names one
        common = frozenset(main_markers.get("common", ()))
        kinds = find_named_kind(pool, analysis, syntax, common) or find_kinds(pool, analysis, syntax, common)
        return group_claims(kinds) if kinds else []
    if analysis.answer_type not in ("count", "year", "date", "time", "place", "person", "organisation"):
        return []
    claims = []
    if analysis.answer_type != "person" and analysis.answer_type != "organisation":
        main_date = asks_main_date(analysis, main_markers, syntax)
        found = extract_claims(pool, analysis, main_markers, syntax, main_date)
        claims = select_event(found, analysis, main_markers)
        claims = (answering_dates(found, claims, pool, analysis, syntax, main_markers if main_date else None)  # one tied date per source
                  or of_the_asked_occasion(claims, analysis, syntax))
    if not claims and wanted_labels(analysis):
        # who / which band / where-based: the named entity each source gives about the question's subject
        return group_claims(find_names(pool, analysis, syntax, frozenset(main_markers.get("common", ()))))
    if not analysis.noun:
        _people_kinds_join(claims)
    groups = group_claims(claims, words=analysis.topic_words)
    wanted = [t for t in analysis.topics] + ["venue"]
    noun = analysis.noun

    def rank(g: ClaimGroup) -> tuple[int, int, int]:
        family, _, gnoun = g.topic.partition(":")
        fam_rank = wanted.index(family) if family in wanted else len(wanted)
        noun_match = 0 if gnoun == noun or (noun and noun.startswith(gnoun[:4]) and gnoun) else 1
        return (noun_match, fam_rank, -len({c.evidence.sentence.source for c in g.claims}))

    groups.sort(key=rank)
    if noun:
        groups = [g for g in groups if rank(g)[0] == 0]
    named_event = any(c.event for g in groups for c in g.claims)
    if groups and noun == "" and not named_event and not groups[0].topic.partition(":")[2]:
        # a question about people in general: groups counting something else ("members") are beside the point
        groups = [g for g in groups if not g.topic.partition(":")[2]] or groups
    return groups
