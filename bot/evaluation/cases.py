"""The answer-quality test set: its YAML schema, loaded and checked into typed cases.

A set file is a mapping:

    version: 1
    sources:                      # optional short names for corpus files, used in the cases
      jeju: nlcs-jeju-isis-k-involvement.md
    cases:
      - id: death-toll            # unique, lower-case letters, digits and dashes
        category: disagreement    # one of CATEGORIES
        question: How many people died?       # or `turns: [first, follow-up, ...]` (checks apply to the last)
        status: answered          # or a list of acceptable statuses
        facts:                    # every fact must appear in the answer text; a fact is a string
          - any_of: ["139"]       #   or {any_of: [alternatives]} (case- and whitespace-insensitive)
        sources: [northlines]     # each must be cited (file name or short name)
        disagreement:             # `none`: no disagreement may be reported (an agreement case)
          about: death toll       #   or: the disagreement that must be surfaced, value by value
          values:
            jeju: ["at least 60"]  #   source → acceptable values; one claim of that source must match one
        must_not_contain: ["500"]  # never in what the bot says itself: answer text, disagreement summaries
                                   # and values; quotes of the articles and echoes of the question in “…”
                                   # don't count (quotes are the articles' words, checked verbatim)
        group: death-toll          # paraphrase group: answers in a group must give the same facts
        paraphrases: ["death toll?"]  # expands into one extra case per phrasing (category paraphrase,
                                      # same expectations, id <id>-p1, ..., group = this group or id)
        note: why this case exists

Any mistake is reported as an EvalSetError naming the file and the case.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from bot.errors import CrosscheckError

CATEGORIES = (
    "agreement", "single_source", "disagreement", "not_in_corpus", "off_subject",
    "paraphrase", "follow_up", "injection", "other_language",
)
STATUSES = ("answered", "partial", "not_found", "out_of_scope")
CASE_KEYS = frozenset(
    "id category question turns status facts sources disagreement must_not_contain group paraphrases note".split()
)
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class EvalSetError(CrosscheckError):
    """The question set file cannot be used; the message names the file and the case."""


@dataclass(frozen=True)
class Fact:
    """A fact the answer must state: any one of the alternatives."""

    any_of: tuple[str, ...]

    @property
    def label(self) -> str:
        """The first alternative, naming the fact in reports."""
        return self.any_of[0]


@dataclass(frozen=True)
class ExpectedDisagreement:
    """A disagreement that must be surfaced: for each source, the values it may be listed with."""

    about: str
    values: dict[str, tuple[str, ...]]  # corpus file name → acceptable values


@dataclass(frozen=True)
class Case:
    """One question (or conversation) with what a good answer must and must not hold."""

    id: str
    category: str
    turns: tuple[str, ...]
    status: tuple[str, ...]
    facts: tuple[Fact, ...] = ()
    sources: tuple[str, ...] = ()
    disagreement: ExpectedDisagreement | None = None
    no_disagreement: bool = False  # an agreement case: any reported disagreement is a false alarm
    must_not_contain: tuple[str, ...] = ()
    group: str = ""
    note: str = ""

    @property
    def question(self) -> str:
        """The last question asked (the one the checks apply to)."""
        return self.turns[-1]

    @property
    def refusal(self) -> bool:
        """True when a good answer says the articles do not hold it, or that it is off-subject."""
        return self.category in ("not_in_corpus", "off_subject")


@dataclass
class EvalSet:
    """A loaded, checked question set."""

    path: Path
    cases: list[Case] = field(default_factory=list)

    def groups(self) -> dict[str, list[Case]]:
        """Paraphrase groups with at least two members."""
        out: dict[str, list[Case]] = {}
        for c in self.cases:
            if c.group:
                out.setdefault(c.group, []).append(c)
        return {g: cs for g, cs in out.items() if len(cs) > 1}


# ---- the schema of one case, as pydantic models (the YAML as written, before expansion) ----------


def _text(value: Any, what: str) -> str:
    if not isinstance(value, (str, int, float)) or isinstance(value, bool) or not str(value).strip():
        raise ValueError(f"{what} must be a non-empty string, got {value!r}")
    return str(value)


def _texts(value: Any, what: str) -> tuple[str, ...]:
    items = [value] if isinstance(value, (str, int, float)) and not isinstance(value, bool) else value
    if not isinstance(items, list) or not items:
        raise ValueError(f"{what} must be a string or a non-empty list of strings, got {value!r}")
    return tuple(_text(v, what) for v in items)


class _RawFact(BaseModel):
    model_config = ConfigDict(extra="forbid")
    any_of: Any

    @field_validator("any_of")
    @classmethod
    def _alternatives(cls, v: Any) -> tuple[str, ...]:
        return _texts(v, "facts.any_of")


class _RawCase(BaseModel):
    """One case mapping of the YAML file; validators give the messages EvalSetError shows."""

    model_config = ConfigDict(extra="forbid", validate_default=True)
    id: Any
    category: Any
    status: Any
    question: Any = None
    turns: Any = None
    facts: Any = None
    sources: Any = None
    disagreement: Any = None
    must_not_contain: Any = None
    group: Any = None
    paraphrases: Any = None
    note: Any = ""

    @field_validator("id")
    @classmethod
    def _id(cls, v: Any) -> str:
        cid = _text(v, "id")
        if not _ID.match(cid):
            raise ValueError(f"id {cid!r} must be lower-case letters, digits and dashes")
        return cid

    @field_validator("category")
    @classmethod
    def _category(cls, v: Any) -> str:
        category = _text(v, "category")
        if category not in CATEGORIES:
            raise ValueError(f"category {category!r} is not one of {', '.join(CATEGORIES)}")
        return category

    @field_validator("status")
    @classmethod
    def _status(cls, v: Any) -> tuple[str, ...]:
        status = _texts(v, "status")
        bad = [s for s in status if s not in STATUSES]
        if bad:
            raise ValueError(f"status {bad[0]!r} is not one of {', '.join(STATUSES)}")
        return status

    @field_validator("facts")
    @classmethod
    def _facts(cls, v: Any) -> tuple[Fact, ...]:
        if v is None:
            return ()
        if not isinstance(v, list):
            raise ValueError(f"facts must be a list, got {v!r}")
        out = []
        for item in v:
            if isinstance(item, dict):
                if set(item) != {"any_of"}:
                    raise ValueError(f"a fact mapping takes only 'any_of', got {sorted(item)}")
                out.append(Fact(_RawFact(**item).any_of))
            else:
                out.append(Fact((_text(item, "a fact"),)))
        return tuple(out)

    @field_validator("must_not_contain", "paraphrases")
    @classmethod
    def _optional_texts(cls, v: Any, info: ValidationInfo) -> tuple[str, ...]:
        return () if v is None else _texts(v, info.field_name or "")

    @model_validator(mode="after")
    def _shape(self) -> "_RawCase":
        if (self.question is None) == (self.turns is None):
            raise ValueError("give exactly one of 'question' and 'turns'")
        self.turns = (_text(self.question, "question"),) if self.question is not None else _texts(self.turns, "turns")
        if self.category == "follow_up" and len(self.turns) < 2:
            raise ValueError("a follow_up case needs 'turns' with at least two questions")
        if self.paraphrases and len(self.turns) > 1:
            raise ValueError("paraphrases apply to single questions, not to 'turns'")
        return self


def _message(err: ValidationError) -> str:
    """The first schema problem in the words of the set file."""
    e = err.errors()[0]
    field = ".".join(str(x) for x in e.get("loc", ()))
    if e["type"] == "missing":
        return f"missing {field!r}"
    if e["type"] == "extra_forbidden":
        return f"unknown key(s) [{field!r}]; allowed: {sorted(CASE_KEYS)}"
    return str(e.get("msg", "")).removeprefix("Value error, ")


class _Sources:
    """Short names and corpus files: resolves a case's source names, naming what is unknown."""

    def __init__(self, aliases: dict[str, str], corpus_files: frozenset[str] | None) -> None:
        self.aliases, self.corpus_files = aliases, corpus_files

    def __call__(self, name: Any) -> str:
        name = _text(name, "a source")
        resolved = self.aliases.get(name, name)
        if self.corpus_files is not None and resolved not in self.corpus_files:
            known = ", ".join(sorted(set(self.aliases) | set(self.corpus_files)))
            raise ValueError(f"source {name!r} is neither a short name nor a file of the corpus ({known})")
        return resolved

    def disagreement(self, value: Any) -> tuple[ExpectedDisagreement | None, bool]:
        if value is None:
            return None, False
        if value == "none":
            return None, True
        if not isinstance(value, dict) or set(value) - {"about", "values"} or "values" not in value:
            raise ValueError("disagreement must be 'none' or a mapping with 'about' and 'values'")
        values = value["values"]
        if not isinstance(values, dict) or len(values) < 2:
            raise ValueError("disagreement.values must map at least two sources to their values")
        resolved = {self(src): _texts(vals, f"disagreement.values.{src}") for src, vals in values.items()}
        return ExpectedDisagreement(_text(value.get("about", "?"), "disagreement.about"), resolved), False


def _case(raw: Any, sources: _Sources) -> list[Case]:
    """One case mapping → the case and its paraphrase expansions (ValueError with the problem)."""
    if not isinstance(raw, dict):
        raise ValueError(f"a case must be a mapping, got {raw!r}")
    try:
        rc = _RawCase(**raw)
    except ValidationError as exc:
        raise ValueError(_message(exc)) from None
    disagreement, none = sources.disagreement(rc.disagreement)
    group = _text(rc.group, "group") if rc.group is not None else (rc.id if rc.paraphrases else "")
    base = Case(
        id=rc.id, category=rc.category, turns=rc.turns, status=rc.status, facts=rc.facts,
        sources=tuple(sources(s) for s in (rc.sources or [])),
        disagreement=disagreement, no_disagreement=none, must_not_contain=rc.must_not_contain,
        group=group, note=str(rc.note or ""),
    )
    expanded = [base]
    for i, text in enumerate(rc.paraphrases, 1):
        expanded.append(Case(**{**base.__dict__, "id": f"{rc.id}-p{i}", "category": "paraphrase", "turns": (text,)}))
    return expanded


def load_set(path: Path, corpus_files: Iterable[str] | None = None) -> EvalSet:
    """Read and check a question set; `corpus_files` (names relative to the corpus dir) checks sources."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise EvalSetError(f"question set {path} does not exist") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise EvalSetError(f"question set {path} cannot be read: {exc}") from None
    except yaml.YAMLError as exc:
        raise EvalSetError(f"{path.name}: not valid YAML: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("cases"), list) or not data["cases"]:
        raise EvalSetError(f"{path.name}: expected a mapping with a non-empty 'cases' list")
    if data.get("version", 1) != 1:
        raise EvalSetError(f"{path.name}: version {data.get('version')!r} is not supported (expected 1)")
    unknown = set(data) - {"version", "sources", "cases"}
    if unknown:
        raise EvalSetError(f"{path.name}: unknown top-level key(s) {sorted(unknown)}")
    files = frozenset(corpus_files) if corpus_files is not None else None
    aliases = data.get("sources") or {}
    if not isinstance(aliases, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in aliases.items()):
        raise EvalSetError(f"{path.name}: 'sources' must map short names to corpus file names")
    if files is not None:
        missing = sorted(v for v in aliases.values() if v not in files)
        if missing:
            raise EvalSetError(f"{path.name}: sources not in the corpus: {', '.join(missing)}")
    sources = _Sources(aliases, files)
    cases: list[Case] = []
    seen: set[str] = set()
    for i, raw in enumerate(data["cases"], 1):
        label = raw.get("id") if isinstance(raw, dict) and isinstance(raw.get("id"), str) else f"#{i}"
        try:
            expanded = _case(raw, sources)
        except ValueError as exc:
            raise EvalSetError(f"{path.name}: case {label}: {exc}") from None
        for case in expanded:
            if case.id in seen:
                raise EvalSetError(f"{path.name}: case {case.id}: duplicate id")
            seen.add(case.id)
            cases.append(case)
    return EvalSet(path=path, cases=cases)
