"""A scripted stand-in for AnswerEngine in handler unit tests: real Answer objects, recorded calls.

It checks questions with the project's own templates and limits, so the bot's handling of
QuestionError is exercised with real messages. Tests of the real engine through the bot are in
tests/e2e.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from bot.answering.compose import Composer
from bot.answering.validate import check_question
from bot.errors import ArticleError
from bot.ingest.refresh import RefreshReport
from bot.models import Answer, ArticleMeta, Citation, ClaimRef, Disagreement, Turn
from bot.prompts import prompts


def death_toll_answer(question: str = "How many people died?") -> Answer:
    """An answer shaped like the real one for the corpus's death-toll disagreement."""
    cites = [
        Citation(1, "northlines.md", "IS-K, the Terrorist Islamic group behind Moscow concert attack is a big threat",
                 "The Northlines (IPA Service)", "2024-03-26",
                 "Despite efforts by President Vladimir Putin and Russian state-controlled media to attribute "
                 "Friday's fatal Moscow theatre attack killing 139 persons to Ukraine, additional information is "
                 "surfacing about the jihadist organization IS-K, which has declared responsibility for the incident."),
        Citation(2, "tp.md", "Why did ISIS’ Afghanistan affiliate target Moscow?", "Task & Purpose", "2024-03-24",
                 "At least 137 people are dead after gunmen stormed the Crocus City Hall concert venue in Moscow Friday.",
                 url="https://taskandpurpose.example/news/isis-k-moscow?ref=a&b=<c>"),
        Citation(3, "nos.md", "Why would IS attack Moscow? Four questions and answers", "NOS News", "2024-03-23",
                 "At least 133 people have died."),
        Citation(4, "nlcs.md", "ISIS-K Involvement in Terrorist Attack in Moscow", "NLCS Jeju student newspaper",
                 "2024-04-09", "The assailants opened gunfire and lit the building on fire, injuring 145 and killing at least 60."),
    ]
    claims = [ClaimRef("139", "northlines.md", 1, cites[0].quote, "The Northlines (IPA Service)", "2024-03-26"),
              ClaimRef("at least 137", "tp.md", 2, cites[1].quote, "Task & Purpose", "2024-03-24"),
              ClaimRef("at least 133", "nos.md", 3, cites[2].quote, "NOS News", "2024-03-23"),
              ClaimRef("at least 60", "nlcs.md", 4, cites[3].quote, "NLCS Jeju student newspaper", "2024-04-09")]
    return Answer(
        question=question, status="answered",
        answer="The articles give different figures (killed): 139 [1]; at least 137 [2]; at least 133 [3]; at least 60 [4].",
        citations=cites,
        disagreements=[Disagreement("killed", "Later reports give higher figures; 60 is a floor.", claims)],
        turn=Turn(question),
    )


@dataclass
class ScriptedEngine:
    """Answers every question with `answer_for(question)`; records what the bot asked."""

    answer_for: Callable[[str], Answer] = death_toll_answer
    max_question_chars: int = 500
    asked: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    uploads: list[tuple[str, bytes]] = field(default_factory=list)
    refreshes: int = 0
    metas: list[ArticleMeta] = field(default_factory=lambda: [
        ArticleMeta("nlcs.md", "ISIS-K Involvement in Terrorist Attack in Moscow", "NLCS Jeju student newspaper",
                    published="2024-04-09"),
        ArticleMeta("nos.md", "Why would IS attack Moscow?", "NOS News", published="2024-03-23",
                    url="https://nos.example/artikel?x=1&y=2"),
    ])
    fail_with: Exception | None = None
    subject_setting: str = ""

    def check_question(self, question: str) -> str:
        """The real engine's rules, from the same function."""
        return check_question(question, self.max_question_chars, prompts())

    def ask(self, question: str, history: Sequence[Turn] = ()) -> Answer:
        """The scripted answer; a follow-up's turn carries the previous question as its context."""
        self.asked.append((question, tuple(history)))
        if self.fail_with is not None:
            raise self.fail_with
        answer = self.answer_for(question)
        answer.question = question
        answer.turn = Turn(question, history[-1].question) if history else Turn(question)
        return answer

    def refresh(self) -> RefreshReport:
        """A refresh that found one new and one unreadable file."""
        self.refreshes += 1
        return RefreshReport(added=1, unchanged=5, chunks_embedded=12, added_sources=["new <one>.md"],
                             errors=[ArticleError("broken.md", "not UTF-8 & unreadable")])

    def add_article(self, name: str, data: bytes) -> RefreshReport:
        """Accept .md files; refuse anything else the way the real engine does (ArticleError)."""
        if not name.endswith(".md"):
            raise ArticleError(name, "only .md, .txt and .html files can be added <sorry>")
        self.uploads.append((name, data))
        self.metas.append(ArticleMeta(name, "Uploaded & new", "Test Outlet", published="2024-03-30"))
        return RefreshReport(added=1, unchanged=len(self.metas) - 1, added_sources=[name])

    def sources(self) -> list[ArticleMeta]:
        """The scripted article list."""
        return list(self.metas)

    def subject(self) -> str:
        """What the scripted articles cover, named from their titles as the real engine does."""
        return Composer(prompts()).subject(self.sources(), self.subject_setting)
