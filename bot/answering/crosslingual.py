"""Questions in a language the question analysis does not read: answered by meaning, with quotes, no value compared.

The embedder (multilingual-e5-small) places "Сколько человек погибло?" near "At least 133 people
have died.", so dense retrieval finds the passages; but what the question asks for (a count, a
date, of what) is read by English rules, so no value is stated or compared. The reply says so and
quotes the closest sentences. Two guards keep it from the unrelated-figure failure (a death toll
from another flood for "how many people drowned"):

- below the score where the question meets nothing in the corpus (scope.FLOOR_SCORE, the same
  floor English questions have; the best cross-language scores measured 0.805-0.866 for questions
  in Russian, Spanish and Dutch the articles answer, 0.775-0.787 for off-subject ones), not_found;
- a sentence about another event than the corpus's main one (events.is_other_event: another year,
  date or place) is quoted only when the question names that event in words any language writes
  the same way (a year, a date in digits, a name in Latin letters such as "Kabul").
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.answering.compose import SUPPORT_MARGIN, Citations
from bot.answering.events import Markers, context_markers, is_other_event, markers
from bot.answering.scope import FLOOR_SCORE, pinned_years
from bot.models import Answer, Evidence
from bot.prompts import Prompts

MAX_QUOTED = 2  # sentences in the answer line
MAX_CITED = 5  # sentences cited in all, the closest from each source first


def _names_event(asked: Markers, ev: Evidence) -> bool:
    """The question names what pins this sentence to its event (its year, date or a place or name)."""
    m = context_markers(ev.sentence.text, ev.paragraph_before, article=ev.article_event)
    return bool(asked.years & m.years or asked.dates & m.dates or asked.names & (m.names | m.places))


def on_the_question(question: str, pool: Sequence[Evidence], main: dict[str, frozenset]) -> list[Evidence]:
    """Pool sentences that may be quoted: about the main event, or about another one the question names."""
    asked = markers(question)
    return [ev for ev in pool
            if not is_other_event(context_markers(ev.sentence.text, ev.paragraph_before, article=ev.article_event), main)
            or _names_event(asked, ev)]


def _closest_per_source(kept: list[Evidence]) -> list[Evidence]:
    """Best first, but each source's best sentence before any source's second: every article is heard."""
    seen: set[str] = set()
    firsts, rest = [], []
    for ev in kept:
        (rest if ev.sentence.source in seen else firsts).append(ev)
        seen.add(ev.sentence.source)
    return firsts + rest


class CrossLingual:
    """Answers a question written in another language than the one the analysis reads."""

    def __init__(self, prompts: Prompts) -> None:
        self.p = prompts

    def answer(self, question: str, pool: Sequence[Evidence], main: dict[str, frozenset]) -> Answer:
        """partial with the closest quotes about the question's event; not_found when nothing is close."""
        ranked = sorted(pool, key=lambda ev: (-ev.score, ev.sentence.source, ev.sentence.idx))
        kept = [ev for ev in on_the_question(question, ranked, main) if ev.score >= FLOOR_SCORE]
        if not kept:
            return Answer(question=question, status="not_found", answer=self.p.render("answer.unread_script"))
        kept, absent_years = pinned_years(question, kept)
        ordered = _closest_per_source(kept)
        lines = [self.p.render("answer.cross_language")]
        if absent_years:  # a year in digits reads the same in every language
            years = ", ".join(f"\u201c{y}\u201d" for y in absent_years)
            lines.append(self.p.render("answer.absent_years", years=years))
        else:
            lines.append(self.p.render("answer.cross_language_quotes"))
        cites = Citations()
        best = ordered[0]
        for ev in ordered[:MAX_QUOTED]:
            if ev is best or ev.score >= best.score - SUPPORT_MARGIN:
                lines.append(self.p.render("answer.quoted", quote=ev.sentence.text, markers=f"[{cites.cite(ev)}]"))
        for ev in ordered:  # then the closest of the other sources, as passages to read on
            if len(cites.items) >= MAX_CITED:
                break
            cites.cite(ev)
        return Answer(question=question, status="partial", answer=" ".join(lines), citations=cites.items)


__all__ = ["CrossLingual", "on_the_question"]
