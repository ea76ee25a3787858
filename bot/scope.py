"""Is a question about what the corpus covers, and does the evidence speak to it?"""

from __future__ import annotations

from dataclasses import dataclass

from bot.models import Evidence

# Cosine similarities of multilingual-e5-small sit in a narrow band (unrelated text ≈ 0.70-0.78,
# related ≈ 0.80-0.90). The thresholds below were read off the project's question set
# (tests/eval/questions.yaml): off-subject questions peak below OFF_TOPIC_SCORE, answerable ones above.
OFF_TOPIC_SCORE = 0.80
RELEVANT_SCORE = 0.84
MIN_OVERLAP = 0.34


@dataclass(frozen=True)
class ScopeCheck:
    """Corpus vocabulary (document frequencies of word stems) for lexical checks."""

    df: dict[str, int]
    n_articles: int

    def coverage(self, stems: list[str]) -> float:
        """Share of the question's content stems that occur anywhere in the corpus."""
        if not stems:
            return 0.0
        return sum(1 for s in stems if s in self.df) / len(stems)

    def off_subject(self, stems: list[str], evidence: list[Evidence]) -> bool:
        """Neither the words nor the meaning of the question meet the corpus."""
        best = evidence[0].score if evidence else 0.0
        cov = self.coverage(stems)
        if cov == 0.0:
            return best < RELEVANT_SCORE  # another language, or off subject: meaning decides
        return cov < 0.5 and best < OFF_TOPIC_SCORE
