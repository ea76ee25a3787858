"""Data types shared along the pipeline: article → sentence → evidence → claim → answer."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Status = Literal["answered", "partial", "not_found", "out_of_scope"]
AnswerType = Literal[
    "count", "year", "date", "time", "place", "person", "organisation", "reason", "definition", "other"
]
Qualifier = Literal["exact", "floor", "ceiling", "approx", "range", "rising"]


@dataclass(frozen=True)
class ArticleMeta:
    """Front-matter metadata of one article; `source` is its path relative to the corpus dir."""

    source: str
    title: str
    outlet: str = ""
    author: str = ""
    published: str | None = None  # ISO date "2024-03-23" or None
    url: str = ""
    language: str = ""  # as declared ("en"); "" = detected from the text at refresh
    translated_from: str = ""
    notes: str = ""


@dataclass(frozen=True)
class Article:
    """One article file read from the corpus: metadata, verbatim body, and where the body sits in the file."""

    meta: ArticleMeta
    body: str  # the article's own words, exactly as in the file (quotes are spans of this)
    hash: str  # sha256 of body + metadata (not file size or mtime)


@dataclass(frozen=True)
class SentenceSpan:
    """A sentence as a character span of an article body, with the heading of its section."""

    start: int
    end: int
    paragraph: int
    heading: str = ""  # the question-like or section heading that introduces this paragraph


@dataclass(frozen=True)
class Sentence:
    """A quotable sentence: `text == article.body[start:end]`."""

    source: str
    idx: int
    text: str
    start: int
    end: int
    paragraph: int
    heading: str = ""


@dataclass
class Evidence:
    """A retrieved sentence with its article metadata, neighbours and retrieval score."""

    sentence: Sentence
    meta: ArticleMeta
    score: float
    paragraph_before: tuple[str, ...] = ()  # earlier sentences of the same paragraph, in order
    article_event: Any = None  # events.ArticleEvent when the article is about another event than the main one


@dataclass
class QuestionAnalysis:
    """What a question asks for: expected answer type and the words it is about."""

    text: str
    answer_type: AnswerType
    focus: list[str]  # lower-case content words and near-synonyms the question asks about
    event_terms: list[str] = field(default_factory=list)  # stems of names/years/things that may pin an event
    event_nouns: list[str] = field(default_factory=list)  # the common nouns among them ("embassy", "airport")
    topics: list[str] = field(default_factory=list)  # near-synonym families the question asks about ("killed")
    noun: str = ""  # what a count question counts ("people", "members"); "" = people in general
    topic_words: dict[str, str] = field(default_factory=dict)  # family → the question's own word for it ("storm")


@dataclass
class Claim:
    """A comparable value pulled from one evidence sentence."""

    kind: Literal["count", "year", "date", "time", "name"]
    value: str  # as written in the sentence, e.g. "at least 137"
    norm: Any  # comparable form: int/float for counts, "2014" for years, ISO date, (minutes, zone) for a time, normalised name
    qualifier: Qualifier
    topic: str  # what the value is about, e.g. "killed", "injured", "venue"
    evidence: Evidence
    span: tuple[int, int]  # offsets of `value` within evidence.sentence.text
    event: tuple[str, ...] = ()  # markers of the event this value belongs to; () = the corpus's main event


@dataclass
class ClaimGroup:
    """Claims about one topic; disagreeing when different sources give different values."""

    topic: str
    claims: list[Claim]
    disagrees: bool
    explanation: str  # plain sentence (from prompts/) saying what may explain the difference, or ""
    summary: str  # plain sentence (from prompts/) stating who says what, or the agreement
    clusters: list[list[Claim]] = field(default_factory=list)  # claims with compatible values, best first
    word: str = ""  # the question's own word for the topic, named in the answer line ("founded")


@dataclass
class Citation:
    """A numbered verbatim quote."""

    n: int
    source: str
    title: str
    outlet: str
    published: str | None
    quote: str
    url: str = ""


@dataclass
class ClaimRef:
    """One source's value inside a disagreement."""

    value: str
    source: str
    n: int
    quote: str
    outlet: str = ""
    published: str | None = None


@dataclass
class Disagreement:
    """Different values for the same thing, value by value with who says what."""

    topic: str
    summary: str
    claims: list[ClaimRef]


@dataclass(frozen=True)
class Turn:
    """One question of a conversation as the engine understood it, kept as history for follow-ups."""

    question: str  # the question without a leading "and"/"what about"
    context: str = ""  # words carried over from the earlier turn ("" when the question stands alone)

    @property
    def text(self) -> str:
        """The turn on one line, for people reading logs and reports."""
        return f"{self.question} ({self.context})" if self.context else self.question

    def to_dict(self) -> dict[str, str]:
        """Plain JSON-able form (the Telegram bot stores histories in SQLite)."""
        return {"question": self.question, "context": self.context}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Turn":
        """The inverse of to_dict."""
        return cls(str(data.get("question", "")), str(data.get("context", "")))


@dataclass
class Answer:
    """The answer object of GUIDE §3."""

    question: str
    status: Status
    answer: str
    citations: list[Citation] = field(default_factory=list)
    disagreements: list[Disagreement] = field(default_factory=list)
    timings_ms: dict[str, float] = field(default_factory=dict)
    turn: Turn | None = None  # the question after follow-up resolution (not part of the JSON contract)

    def to_json(self) -> dict[str, Any]:
        """The JSON contract: exactly the keys other tools rely on."""
        data = asdict(self)
        data.pop("turn", None)
        for c in data["citations"]:
            c.pop("url", None)
        for d in data["disagreements"]:
            for c in d["claims"]:
                c.pop("outlet", None)
                c.pop("published", None)
        return data
