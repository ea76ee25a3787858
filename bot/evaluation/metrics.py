"""Checking answers (JSON objects of GUIDE §3) against test-set cases, and the metrics over a run.

No LLM judges anything here: facts, values and quotes are matched as text (case-, whitespace- and
quote-style-insensitive, on word boundaries), and quotes are looked up verbatim in the article files.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.evaluation.cases import Case

ANSWER_KEYS = frozenset({"question", "status", "answer", "citations", "disagreements", "timings_ms"})
CITATION_KEYS = frozenset({"n", "source", "title", "outlet", "published", "quote"})
CLAIM_KEYS = frozenset({"value", "source", "n", "quote"})
_MARKER = re.compile(r"\[(\d+)\]")
_PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")
_FOLD = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " "})

BodyLookup = Callable[[str], "str | None"]  # corpus-relative source → whitespace-normalised body, None if absent


def squash(text: str) -> str:
    """Whitespace runs → one space, trimmed (how quotes are compared with article bodies)."""
    return " ".join(text.split())


def fold(text: str) -> str:
    """Lower case, whitespace squashed, typographic quotes and dashes made plain (how facts are compared)."""
    return squash(text.translate(_FOLD).lower())


def contains(haystack: str, needle: str) -> bool:
    """`needle` occurs in `haystack` (both folded), not inside a longer word or number."""
    n = fold(needle)
    if not n:
        return False
    pattern = (r"(?<![\w])" if n[0].isalnum() else "") + re.escape(n) + (r"(?![\w])" if n[-1].isalnum() else "")
    return re.search(pattern, fold(haystack)) is not None


def percentile(values: Sequence[float], q: float) -> float | None:
    """Nearest-rank percentile (q in 0..1); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


@dataclass
class CaseCheck:
    """What one case's answer got right and wrong; counts feed the run's metrics."""

    case: Case
    answer: dict[str, Any]
    failures: list[str] = field(default_factory=list)
    status_ok: bool = False
    facts_found: list[str] = field(default_factory=list)  # labels of facts stated in the answer
    facts_missing: list[str] = field(default_factory=list)
    relevant: int = 0  # found facts whose cited quote contains them
    quotes: int = 0
    quotes_ok: int = 0
    claims: int = 0
    claims_supported: int = 0
    sources_expected: int = 0
    sources_cited: int = 0
    disagreement_surfaced: bool | None = None  # None: no disagreement expected
    values_expected: int = 0
    values_found: int = 0
    false_alarm: bool | None = None  # None: not an agreement case
    forbidden_hits: list[str] = field(default_factory=list)
    integrity_ok: bool = True
    latency_ms: list[float] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        """Every applicable check passed."""
        return not self.failures

    @property
    def reported(self) -> bool:
        """The answer reports at least one disagreement."""
        return bool(self.answer.get("disagreements"))

    def signature(self) -> tuple[Any, ...]:
        """What paraphrases of one question must share: status, facts stated, disagreement surfaced."""
        return (self.answer.get("status"), frozenset(self.facts_found), self.disagreement_surfaced, self.reported)


def _fail(check: CaseCheck, msg: str) -> None:
    check.failures.append(msg)


def check_quotes(answer: dict[str, Any], bodies: BodyLookup) -> tuple[int, int, list[str]]:
    """Quotes (citations and disagreement claims) found verbatim in their source: (ok, total, problems)."""
    ok, total, problems = 0, 0, []
    items = [("citation", c) for c in answer.get("citations") or []]
    items += [("claim", c) for d in answer.get("disagreements") or [] for c in d.get("claims") or []]
    for kind, item in items:
        total += 1
        source, quote = str(item.get("source", "")), str(item.get("quote", ""))
        body = bodies(source)
        if body is None:
            problems.append(f"{kind} [{item.get('n')}] cites {source!r}, which is not in the corpus")
        elif not squash(quote) or squash(quote) not in body:
            problems.append(f"{kind} [{item.get('n')}] quote is not verbatim in {source}: {quote[:120]!r}")
        else:
            ok += 1
    return ok, total, problems


def check_integrity(answer: dict[str, Any]) -> list[str]:
    """The JSON contract holds: keys, numbering, markers and claims that point at real citations."""
    problems: list[str] = []
    if set(answer) != ANSWER_KEYS:
        problems.append(f"answer keys {sorted(answer)} differ from the contract {sorted(ANSWER_KEYS)}")
        if "error" in answer:
            return problems
    cites = answer.get("citations") or []
    by_n = {c.get("n"): c for c in cites}
    if [c.get("n") for c in cites] != list(range(1, len(cites) + 1)):
        problems.append(f"citations are not numbered 1..{len(cites)}: {[c.get('n') for c in cites]}")
    for c in cites:
        if set(c) != CITATION_KEYS:
            problems.append(f"citation [{c.get('n')}] keys {sorted(c)} differ from the contract")
    text = str(answer.get("answer", ""))
    for n in _MARKER.findall(text):
        if int(n) not in by_n:
            problems.append(f"the answer text cites [{n}], which is not a citation")
    for d in answer.get("disagreements") or []:
        claims = d.get("claims") or []
        if len({c.get("source") for c in claims}) < 2 or len({fold(str(c.get("value"))) for c in claims}) < 2:
            problems.append(f"disagreement {d.get('topic')!r} does not have two sources with different values")
        for c in claims:
            if set(c) != CLAIM_KEYS:
                problems.append(f"claim {c.get('value')!r} keys {sorted(c)} differ from the contract")
            cited = by_n.get(c.get("n"))
            if cited is None or cited.get("source") != c.get("source"):
                problems.append(f"claim {c.get('value')!r} ({c.get('source')}) points at citation [{c.get('n')}] of another source")
    for piece in [text] + [str(d.get("summary", "")) for d in answer.get("disagreements") or []]:
        if _PLACEHOLDER.search(piece):
            problems.append(f"unfilled template placeholder in {piece[:120]!r}")
    return problems


def _cited_quotes(answer: dict[str, Any]) -> list[str]:
    """Quotes the answer text points at with [n] markers (all citations when it has none)."""
    cites = answer.get("citations") or []
    marked = {int(n) for n in _MARKER.findall(str(answer.get("answer", "")))}
    return [str(c.get("quote", "")) for c in cites if not marked or c.get("n") in marked]


def _check_facts(check: CaseCheck) -> None:
    text = str(check.answer.get("answer", ""))
    quotes = _cited_quotes(check.answer)
    for fact in check.case.facts:
        hit = next((alt for alt in fact.any_of if contains(text, alt)), None)
        if hit is None:
            check.facts_missing.append(fact.label)
            _fail(check, f"fact missing: any of {list(fact.any_of)}")
            continue
        check.facts_found.append(fact.label)
        if any(contains(q, alt) for q in quotes for alt in fact.any_of):
            check.relevant += 1
        else:
            _fail(check, f"fact {hit!r} is in the answer but in none of the quotes it cites")


def _check_disagreement(check: CaseCheck) -> None:
    case, found = check.case, check.answer.get("disagreements") or []
    if case.no_disagreement:
        check.false_alarm = bool(found)
        if found:
            _fail(check, "false alarm: disagreement reported on an agreement case: "
                  + "; ".join(f"{d.get('topic')}" for d in found))
    if case.disagreement is None:
        return
    expected = case.disagreement.values
    check.values_expected = len(expected)
    best: set[str] = set()
    for d in found:
        matched = {
            src for src, alts in expected.items()
            if any(c.get("source") == src and any(contains(str(c.get("value", "")), a) for a in alts)
                   for c in d.get("claims") or [])
        }
        if len(matched) > len(best):
            best = matched
    check.values_found = len(best)
    check.disagreement_surfaced = len(best) == len(expected)
    if not check.disagreement_surfaced:
        missing = [f"{src}: {list(expected[src])}" for src in expected if src not in best]
        _fail(check, f"disagreement on {case.disagreement.about} not surfaced; missing " + ", ".join(missing))


def _check_claims(check: CaseCheck) -> None:
    for d in check.answer.get("disagreements") or []:
        for c in d.get("claims") or []:
            check.claims += 1
            if contains(str(c.get("quote", "")), str(c.get("value", ""))):
                check.claims_supported += 1
            else:
                _fail(check, f"claim value {c.get('value')!r} is not in its quote")


_QUOTED = re.compile(r"“([^”]*)”")


def _asserted(answer: dict[str, Any]) -> str:
    """What the bot states in its own words: the answer line, disagreement summaries and values.

    A “…” span in the answer line that repeats an article quote it cites, or words of the question
    (“The articles do not mention “innocent””), is not the bot's own statement and is left out.
    """
    quotes = [fold(str(c.get("quote", ""))) for c in answer.get("citations") or []]
    question = fold(str(answer.get("question", "")))

    def keep(m: re.Match[str]) -> str:
        span = fold(m.group(1)).strip(" .,;:!?\"'")
        echoed = bool(span) and (span in question or any(span in q for q in quotes))
        return " " if echoed else m.group(0)

    parts = [_QUOTED.sub(keep, str(answer.get("answer", "")))]
    for d in answer.get("disagreements") or []:
        parts.append(str(d.get("summary", "")))
        parts += [str(c.get("value", "")) for c in d.get("claims") or []]
    return "\n".join(parts)


def check_case(case: Case, answer: dict[str, Any], bodies: BodyLookup,
               earlier: Sequence[dict[str, Any]] = (), latency_ms: Sequence[float] = ()) -> CaseCheck:
    """Check the last answer of a case (earlier turns' answers are checked for quotes and integrity only)."""
    check = CaseCheck(case=case, answer=answer, latency_ms=list(latency_ms))
    for turn in [*earlier, answer]:
        label = "" if turn is answer else "(earlier turn) "
        if "error" in turn:
            _fail(check, f"{label}no answer: {turn['error']}")
            check.integrity_ok = False
            continue
        ok, total, problems = check_quotes(turn, bodies)
        check.quotes += total
        check.quotes_ok += ok
        for p in problems:
            _fail(check, label + p)
        for p in check_integrity(turn):
            check.integrity_ok = False
            _fail(check, label + p)
    if "error" in answer:
        check.facts_missing = [f.label for f in case.facts]
        return check
    check.status_ok = answer.get("status") in case.status
    if not check.status_ok:
        _fail(check, f"status {answer.get('status')!r}, expected {' or '.join(case.status)}")
    _check_facts(check)
    cited = {c.get("source") for c in answer.get("citations") or []}
    cited |= {c.get("source") for d in answer.get("disagreements") or [] for c in d.get("claims") or []}
    check.sources_expected = len(case.sources)
    check.sources_cited = sum(1 for s in case.sources if s in cited)
    for s in case.sources:
        if s not in cited:
            _fail(check, f"source not cited: {s}")
    _check_disagreement(check)
    _check_claims(check)
    asserted = _asserted(answer)
    check.forbidden_hits = [s for s in case.must_not_contain if contains(asserted, s)]
    for s in check.forbidden_hits:
        _fail(check, f"contains forbidden {s!r}")
    return check


def _ratio(num: float, den: float) -> float | None:
    return round(num / den, 4) if den else None


def compute_metrics(checks: Sequence[CaseCheck]) -> dict[str, float | None]:
    """The run's metrics (None where no case exercises a metric)."""
    facts = sum(len(c.case.facts) for c in checks)
    found = sum(len(c.facts_found) for c in checks)
    with_dis = [c for c in checks if c.disagreement_surfaced is not None]
    agreement = [c for c in checks if c.false_alarm is not None]
    true_pos = sum(1 for c in with_dis if c.reported)
    false_pos = sum(1 for c in agreement if c.false_alarm)
    refusals = [c for c in checks if c.case.refusal]
    forbidding = [c for c in checks if c.case.must_not_contain]
    latencies = [ms for c in checks for ms in c.latency_ms]
    return {
        "case_pass_rate": _ratio(sum(c.passed for c in checks), len(checks)),
        "status_accuracy": _ratio(sum(c.status_ok for c in checks), len(checks)),
        "fact_accuracy": _ratio(found, facts),
        "quote_fidelity": _ratio(sum(c.quotes_ok for c in checks), sum(c.quotes for c in checks)),
        "citation_relevance": _ratio(sum(c.relevant for c in checks), found),
        "claim_support": _ratio(sum(c.claims_supported for c in checks), sum(c.claims for c in checks)),
        "source_recall": _ratio(sum(c.sources_cited for c in checks), sum(c.sources_expected for c in checks)),
        "disagreement_recall": _ratio(sum(bool(c.disagreement_surfaced) for c in with_dis), len(with_dis)),
        "disagreement_value_recall": _ratio(sum(c.values_found for c in with_dis), sum(c.values_expected for c in with_dis)),
        "disagreement_precision": _ratio(true_pos, true_pos + false_pos),
        "refusal_accuracy": _ratio(sum(c.status_ok for c in refusals), len(refusals)),
        "no_forbidden": _ratio(sum(not c.forbidden_hits for c in forbidding), len(forbidding)),
        "integrity": _ratio(sum(c.integrity_ok for c in checks), len(checks)),
        "paraphrase_consistency": paraphrase_consistency(checks)[0],
        "latency_p50_ms": percentile(latencies, 0.50),
        "latency_p95_ms": percentile(latencies, 0.95),
    }


def paraphrase_consistency(checks: Sequence[CaseCheck]) -> tuple[float | None, dict[str, bool]]:
    """Share of paraphrase groups whose members all give the same facts, status and disagreement."""
    groups: dict[str, list[CaseCheck]] = {}
    for c in checks:
        if c.case.group:
            groups.setdefault(c.case.group, []).append(c)
    verdict = {g: len({m.signature() for m in members}) == 1 for g, members in groups.items() if len(members) > 1}
    return _ratio(sum(verdict.values()), len(verdict)), verdict


METRICS = (
    "case_pass_rate", "status_accuracy", "fact_accuracy", "quote_fidelity", "citation_relevance", "claim_support",
    "source_recall", "disagreement_recall", "disagreement_value_recall", "disagreement_precision",
    "refusal_accuracy", "no_forbidden", "integrity", "paraphrase_consistency", "latency_p50_ms", "latency_p95_ms",
)
