"""Is a question about what the corpus covers, and does the evidence speak to it?"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from rapidfuzz import fuzz, process

from bot.answering.question import how_measure
from bot.models import Evidence
from bot.text.syntax import SyntaxCache
from bot.text.lexicon import families_of_typo
from bot.text.morphology import irregular_forms
from bot.text.tokens import STOPWORDS, raw_words, stem, words
from bot.text.vocab import FRAME_WORDS, LIGHT_VERBS, PREPOSITIONS, YEAR_IN_TEXT

# Cosine similarities of multilingual-e5-small sit in a narrow band (unrelated text ≈ 0.78-0.835,
# related ≈ 0.84-0.94). The thresholds below were read off the project's question set
# (tests/eval/questions.yaml): every off-subject question there peaks below 0.835 with a corpus
# centrality under 0.35, every in-subject one (answerable or not) at 0.842 or above.
FLOOR_SCORE = 0.80
OFF_TOPIC_SCORE = 0.84
RELEVANT_SCORE = 0.84
MIN_OVERLAP = 0.34
CENTRAL = 0.35
NAME_DEPTH = 3  # how many of the best sentences a question's name is looked for in


@dataclass
class ScopeCheck:
    """Corpus vocabulary (document frequencies of word stems) for lexical checks; `main_vocabulary`
    reads the stems of the main event's articles (empty when no article stands out as its)."""

    df: dict[str, int]
    n_articles: int
    main_vocabulary: Callable[[], frozenset[str]] = field(default=frozenset)

    def centrality(self, stems: list[str]) -> float:
        """Mean share of articles that use each of the question's content stems (0 = none, 1 = all)."""
        if not stems or not self.n_articles:
            return 0.0
        # numbers ("22", "2024") are rare in any corpus, yet a date the articles use ties the question
        # to them: they count as central when the corpus has them, and the words decide otherwise
        named = [s for s in stems if not s.isdigit()]
        if not named:
            return sum(1 for s in stems if s in self.df) / len(stems)
        return sum(self.df.get(s, 0) for s in named) / (len(named) * self.n_articles)

    def off_subject(self, stems: list[str], evidence: list[Evidence], names: frozenset[str] = frozenset()) -> bool:
        """Neither the words nor the meaning of the question meet the corpus.

        `names`: stems of the heads of the question's names (name_heads). A name that one of the best
        sentences also gives as a name ("When did Ada Kerr retire?", "Kerr retired in 1990") ties the
        question to what the articles report, however few of them use its other words."""
        best = evidence[0].score if evidence else 0.0
        if best < FLOOR_SCORE:
            return True
        if best >= OFF_TOPIC_SCORE or self.centrality(stems) >= CENTRAL:
            return False
        said = {stem(w.lower()) for ev in evidence[:NAME_DEPTH] for w in raw_words(ev.sentence.text) if w[:1].isupper()}
        return not names & said

    @cached_property
    def _vocabulary(self) -> list[str]:
        # read once per live index, on the first question with an unknown word (not at start-up)
        return sorted(self.df)

    @cached_property
    def _main(self) -> frozenset[str]:
        return self.main_vocabulary()  # once per live index, on the first question that needs it

    @cached_property
    def _main_sorted(self) -> list[str]:
        return sorted(self._main)

    def _has(self, stem_: str, about_main: bool) -> bool:
        return stem_ in self._main if about_main else stem_ in self.df

    def _near(self, stem_: str, about_main: bool) -> bool:
        """A corpus stem within one slip of this one (rapidfuzz: C speed over 100,000s of stems)."""
        vocabulary = self._main_sorted if about_main else self._vocabulary
        return process.extractOne(stem_, vocabulary, scorer=fuzz.ratio, score_cutoff=86) is not None

    def missing_terms(self, question: str, about_main: bool = False) -> list[str]:
        """Words the question turns on that no article uses, even misspelt ("band", "auditorium").

        Near-synonyms the lexicon knows and words that frame a question ("number", "reason") are not
        counted; a word within one slip of a corpus word is taken to be that word. about_main: the
        question names no other event, so only the main event's articles can answer it, and a word
        only reports on other events use (the band of another concert) is missing all the same.
        """
        about_main = about_main and bool(self._main)
        missing: list[str] = []
        measure = how_measure(question)
        asked_by = words(question)[1] if measure else ""  # "how deep": the adjective that names the measure
        for w in words(question):
            # years are conditions, checked against the evidence by pinned_years
            if len(w) < 4 or w in STOPWORDS or w in FRAME_WORDS or w in LIGHT_VERBS or not re.search("[a-z]", w):
                continue
            s = stem(w)
            if self._has(s, about_main) or families_of_typo(w):
                continue
            if any(self._has(stem(f), about_main) for f in irregular_forms(w)):
                continue  # "break out": the articles say "broke out"
            if w == asked_by and self._has(stem(measure), about_main):
                continue  # "how deep": articles give the measure as a noun ("a depth of 15 km")
            # one slip in a long word ("Kugleman") is a typo; short words differ by meaning ("band", "ban")
            if len(s) >= 5 and not w.isdigit() and self._near(s, about_main):
                continue
            if w not in missing:
                missing.append(w)
        return missing




def question_verbs(syntax: SyntaxCache, question: str) -> frozenset[str]:
    """The question's verbs as written, lower case ("wearing")."""
    return frozenset(t.lower_ for t in syntax.doc(question) or () if t.pos_ == "VERB")


def said_otherwise(missing: list[str], verbs: frozenset[str], stems: list[str], relevant: list[Evidence]) -> list[str]:
    """The missing words left once verbs a relevant sentence says in other words are dropped: "Were the attackers
    carrying rifles?" and "the guards were not armed with rifles" (every other word of the
    question is in the sentence). A missing noun stays missing: "the band" is no thing the articles name."""
    said_as = [w for w in missing if w in verbs]
    if not said_as or not relevant:
        return missing
    rest = set(stems) - {stem(w) for w in missing}
    if not rest:
        return missing
    covered = any(rest <= {stem(w.lower()) for w in raw_words(ev.sentence.text)} for ev in relevant[:NAME_DEPTH])
    return [w for w in missing if w not in said_as] if covered else missing


def pinned_years(question: str, relevant: list[Evidence]) -> tuple[list[Evidence], list[str]]:
    """Sentences naming the years the question pins ("in 2002") first; the pinned years none names.

    A year in the question is a condition, not a topic: a sentence about Moscow in general does not
    answer "What happened in Moscow in 2002?", so a year no relevant sentence gives is reported missing.
    """
    years = list(dict.fromkeys(YEAR_IN_TEXT.findall(question)))
    if not years:
        return relevant, []
    naming = [ev for ev in relevant if any(y in ev.sentence.text for y in years)]
    rest = [ev for ev in relevant if ev not in naming]
    absent = [y for y in years if not any(_in_year(ev, y) for ev in relevant)]
    return naming + rest, absent



def _in_year(ev: Evidence, year: str) -> bool:
    """The sentence names the year, or names none and its article was published that year ("last Friday")."""
    text = ev.sentence.text
    if year in text:
        return True
    return not YEAR_IN_TEXT.search(text) and (ev.meta.published or "").startswith(year)


def name_heads(question: str) -> frozenset[str]:
    """Stems of the last word of each name in a question: its head ("Daniel Hogan" → hogan, "the Tour Cup" →
    cup), the word a later mention keeps ("Hogan was elected"). A name is a run of capitalised words after
    the first word; one after a preposition ("in Orlen", "of Velmar") is the question's setting."""
    ws = raw_words(question)
    heads = set()
    for i, w in enumerate(ws):
        if i == 0 or not w[:1].isupper() or w.lower() in STOPWORDS:
            continue
        if i + 1 >= len(ws) or not ws[i + 1][:1].isupper():
            start = i
            while start > 1 and ws[start - 1][:1].isupper():
                start -= 1
            if ws[start - 1].lower() not in PREPOSITIONS:  # "the weather in Orlen": a setting, not the subject
                heads.add(stem(w.lower()))
    return frozenset(heads)

