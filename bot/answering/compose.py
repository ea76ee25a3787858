"""Evidence and claims → Answer: the extractive answerer (the default, no LLM).

Every sentence of the answer is either a verbatim quote with its [n] marker or a template from
prompts/answer.yaml filled with values that occur in the cited quotes. Nothing else is written.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.answering.claims import topic_label
from bot.models import (
    Answer,
    ArticleMeta,
    Citation,
    ClaimGroup,
    ClaimRef,
    Disagreement,
    Evidence,
    QuestionAnalysis,
)
from bot.prompts import Prompts
from bot.text.lexicon import families
from bot.text.tokens import STOPWORDS, content_stems

VALUE_TYPES = {"count", "year", "date", "place", "person", "organisation"}
MAX_CITATIONS = 8
MAX_GROUPS = 3
MAX_TITLES = 3  # article titles named when a question is off-subject
SUPPORT_MARGIN = 0.05  # a second quote joins the answer line only when nearly as relevant as the first


@dataclass
class Citations:
    """Numbered citations, one per distinct sentence, in order of first use."""

    items: list[Citation] = field(default_factory=list)
    _by_key: dict[tuple[str, int], int] = field(default_factory=dict)

    def cite(self, ev: Evidence) -> int:
        """The number of this sentence's citation, adding it if new."""
        key = (ev.sentence.source, ev.sentence.idx)
        if key not in self._by_key:
            n = len(self.items) + 1
            self._by_key[key] = n
            m = ev.meta
            self.items.append(
                Citation(n=n, source=m.source, title=m.title, outlet=m.outlet, published=m.published,
                         quote=ev.sentence.text, url=m.url)
            )
        return self._by_key[key]


def focus_overlap(ev: Evidence, stems: set[str]) -> float:
    """Share of the question's content stems that the sentence (with its heading) contains, or a near-synonym of."""
    if not stems:
        return 0.0
    have = set(content_stems(ev.sentence.text + " " + ev.sentence.heading))
    fams = families()
    hit = 0
    for s in stems:
        if s in have or any(s in members and members & have for members in fams.values()):
            hit += 1
    return hit / len(stems)


def _markers(ns: Sequence[int]) -> str:
    return "".join(f"[{n}]" for n in dict.fromkeys(ns))


def _value_list(group: ClaimGroup, cites: Citations) -> str:
    """Each value once, as its first source writes it, with the markers of every source that gives it."""
    clusters = group.clusters or [[c] for c in group.claims]
    out = []
    for cl in clusters:
        # compatible values ("84 people", "dozens") each keep their own words; equal ones share them
        # each source's own words ("at least six fatalities", "6 people"); identical wordings share markers
        by_words: dict[str, list] = {}
        for c in sorted(cl, key=lambda c: c.qualifier == "approx"):
            by_words.setdefault(" ".join(c.value.lower().split()), []).append(c)
        out.append(", ".join(f"{cs[0].value} {_markers([cites.cite(c.evidence) for c in cs])}" for cs in by_words.values()))
    return "; ".join(out)


_NAMES = re.compile(r"\bnames?\s+of\b|\bwhat\s+(are|were)\s+(they|the\s+\w+)\s+called\b", re.I)
_PROPER_NAME = re.compile(r"(?<=[a-z,;:] )[A-Z][a-z]+(?:\s+(?:al-|bin\s+|van\s+)?[A-Z][a-z]+)+")


def _has_name(evidence: list[Evidence]) -> bool:
    """True when a sentence names someone or something: two capitalised words inside it ("Abu Bakr")."""
    return any(_PROPER_NAME.search(ev.sentence.text) for ev in evidence)


_DEFINED = re.compile(r"^\s*(?:what|who)\s+(?:is|are|was|were)\s+(?:the\s+|an?\s+)?(.+?)\s*\??\s*$", re.I)
_DEFINING = r"[^.]{{0,90}}?\b(?:is|are|was|stands for|refers to|means|also known as)\b"


def definitions_first(question: str, relevant: list[Evidence]) -> list[Evidence]:
    """For "What is X?", sentences that say what X is ("X, also known as ..., is a branch of ...") come first."""
    m = _DEFINED.match(question)
    if not m:
        return relevant
    term = re.escape(m.group(1))
    pattern = re.compile(rf"^\W*{term}\b{_DEFINING.format()}", re.I)
    return sorted(relevant, key=lambda ev: 0 if pattern.search(ev.sentence.text) else 1)


def _cite_more(cites: Citations, more: Sequence[Evidence], limit: int = 5) -> None:
    """The next closest sentences as sources to read on, up to `limit` citations in all."""
    for ev in more:
        if len(cites.items) >= min(MAX_CITATIONS, limit):
            break
        cites.cite(ev)


class Composer:
    """Builds Answers from analysed questions, evidence and claim groups."""

    def __init__(self, prompts: Prompts) -> None:
        self.p = prompts

    def subject(self, sources: Sequence[ArticleMeta] = (), setting: str = "", total: int | None = None) -> str:
        """What the corpus covers: the configured subject, else named from the newest articles' titles
        (`sources` newest first: at least the first MAX_TITLES; `total`: how many there are, len(sources) if None)."""
        if setting.strip():
            return setting.strip()
        total = len(sources) if total is None else total
        shown = [self.p.render("answer.subject_title", title=m.title, outlet=m.outlet or m.source) for m in sources[:MAX_TITLES]]
        if total > MAX_TITLES:
            shown.append(self.p.render("answer.subject_more", count=total - MAX_TITLES))
        return self.p.render("answer.subject", titles="; ".join(shown))

    def out_of_scope(self, question: str, sources: Sequence[ArticleMeta] = (), setting: str = "",
                     total: int | None = None) -> Answer:
        """The question is not about what the corpus covers: say what it covers (arguments as for `subject`)."""
        subject = self.subject(sources, setting, total)
        text = self.p.render("answer.out_of_scope", subject=subject, examples=self.p.render("answer.examples"))
        return Answer(question=question, status="out_of_scope", answer=text)

    def compose(
        self,
        question: str,
        analysis: QuestionAnalysis,
        evidence: list[Evidence],
        groups: list[ClaimGroup],
        relevant: list[Evidence],
        missing: Sequence[str] = (),
        absent_years: Sequence[str] = (),
    ) -> Answer:
        """An answer from claim groups when the question asks for a value, else from the best quotes.

        `missing` are words the question turns on that no article uses, `absent_years` years it pins
        that no relevant sentence gives: then the articles cannot hold the answer, and the reply says
        so before quoting what they do say.
        """
        cites = Citations()
        if groups:
            return self._from_groups(question, analysis, groups[:MAX_GROUPS], relevant, cites)
        if not relevant:
            return self._not_found(question, evidence, cites)
        if missing:
            what = ", ".join(f"\u201c{w}\u201d" for w in missing[:4])
            return self._partial(question, relevant, cites, self.p.render("answer.missing", terms=what))
        if absent_years:
            what = ", ".join(f"\u201c{y}\u201d" for y in absent_years)
            return self._partial(question, relevant, cites, self.p.render("answer.absent_years", years=what))
        if _NAMES.search(question) and analysis.answer_type not in ("place", "definition") and not _has_name(relevant[:3]):
            return self._partial(question, relevant, cites, self.p.render("answer.no_names"))
        if analysis.answer_type in ("count", "year", "date", "time"):
            kind = {"count": "what_count", "year": "what_year", "date": "what_date", "time": "what_time"}[analysis.answer_type]
            focus = " ".join(w for w in question.rstrip("?").split() if w.lower() not in STOPWORDS)[:80] or question
            lead = self.p.render("answer.partial", what=self.p.render(f"answer.{kind}", focus=focus))
            return self._partial(question, relevant, cites, lead)
        if analysis.answer_type == "definition":
            relevant = definitions_first(question, relevant)
        return self._quoted(question, relevant, cites)

    def _from_groups(
        self, question: str, analysis: QuestionAnalysis, groups: list[ClaimGroup],
        relevant: list[Evidence], cites: Citations,
    ) -> Answer:
        lines: list[str] = []
        disagreements: list[Disagreement] = []
        for g in groups:
            values = _value_list(g, cites)
            sources = {c.evidence.sentence.source for c in g.claims}
            if g.disagrees:
                expl = f" {g.explanation}" if g.explanation else ""
                lines.append(self.p.render("answer.disagree", topic=topic_label(self.p, g.topic, plural=True, kind=g.claims[0].kind, word=g.word),
                                          values=values, explanation=expl))
                disagreements.append(
                    Disagreement(
                        topic=topic_label(self.p, g.topic, plural=False, kind=g.claims[0].kind, word=g.word),
                        summary=" ".join(s for s in (g.summary, g.explanation) if s),
                        claims=[
                            ClaimRef(value=str(c.value), source=c.evidence.sentence.source,
                                     n=cites.cite(c.evidence), quote=c.evidence.sentence.text,
                                     outlet=c.evidence.meta.outlet, published=c.evidence.meta.published)
                            for c in g.claims
                        ],
                    )
                )
            elif len(sources) > 1:
                lines.append(self.p.render("answer.agree", count=len(sources), topic=topic_label(self.p, g.topic, plural=False, kind=g.claims[0].kind, word=g.word), value=values))
            else:
                lines.append(self.p.render("answer.single", topic=topic_label(self.p, g.topic, plural=False, kind=g.claims[0].kind, word=g.word), value=values))
            if g.explanation and not g.disagrees:
                lines.append(g.explanation)  # what an agreement rests on ("19:15 GMT is in universal time")
        best = max((ev.score for ev in relevant), default=0.0)
        for ev in relevant:  # close context from sources the claims did not already cite
            if len(cites.items) >= MAX_CITATIONS or ev.score < best - SUPPORT_MARGIN:
                break
            if ev.sentence.source not in {c.source for c in cites.items}:
                cites.cite(ev)
        return Answer(question=question, status="answered", answer=" ".join(lines),
                      citations=cites.items, disagreements=disagreements)

    def _quoted(self, question: str, relevant: list[Evidence], cites: Citations) -> Answer:
        best = relevant[0]
        lines = [self.p.render("answer.quoted", quote=best.sentence.text, markers=_markers([cites.cite(best)]))]
        for ev in relevant[1:]:
            if ev.sentence.source != best.sentence.source and ev.score >= best.score - SUPPORT_MARGIN:
                lines.append(self.p.render("answer.quoted", quote=ev.sentence.text, markers=_markers([cites.cite(ev)])))
                break
        _cite_more(cites, relevant[1:])
        return Answer(question=question, status="answered", answer=" ".join(lines), citations=cites.items)

    def _partial(self, question: str, relevant: list[Evidence], cites: Citations, lead: str) -> Answer:
        lines = [lead]
        for ev in relevant[:2]:
            lines.append(self.p.render("answer.quoted", quote=ev.sentence.text, markers=_markers([cites.cite(ev)])))
        _cite_more(cites, relevant[2:])
        return Answer(question=question, status="partial", answer=" ".join(lines), citations=cites.items)

    def _not_found(self, question: str, evidence: list[Evidence], cites: Citations) -> Answer:
        lines = [self.p.render("answer.not_found")]
        if evidence:
            best = evidence[0]
            lines.append(self.p.render("answer.not_found_related"))
            lines.append(self.p.render("answer.quoted", quote=best.sentence.text, markers=_markers([cites.cite(best)])))
        return Answer(question=question, status="not_found", answer=" ".join(lines), citations=cites.items)
