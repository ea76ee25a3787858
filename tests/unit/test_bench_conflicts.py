"""The conflicting-documents benchmark's scoring: what counts as stated, how answers are matched, and
the corpus files it writes (neutral titles: nothing tells a document's type or answer)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

import pytest

from bot.ingest.corpus import scan_corpus

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.fixture(scope="module")
def bench() -> Any:
    spec = importlib.util.spec_from_file_location("bench_conflicts", BENCH / "bench_conflicts.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_conflicts"] = module
    spec.loader.exec_module(module)
    return module


def _answer(line: str, *claims: tuple[str, str]) -> dict[str, Any]:
    dis = [{"topic": "x", "summary": "s", "claims": [{"value": v, "source": s, "n": i + 1, "quote": "q"}
                                                      for i, (v, s) in enumerate(claims)]}] if claims else []
    return {"question": "q", "status": "answered", "answer": line, "citations": [], "disagreements": dis}


ITEM = {"question": "When was the house built?", "gold_answers": ["1810-11", "1790s"], "wrong_answers": ["1910-11"],
        "documents": [{"text": "a", "type": "correct", "answer": "1810-11"},
                      {"text": "b", "type": "misinfo", "answer": "1910-11"},
                      {"text": "c", "type": "correct", "answer": "1790s"},
                      {"text": "d", "type": "noise", "answer": "unknown"}]}


def test_matching_ignores_case_punctuation_accents_and_thousands_separators(bench: Any) -> None:
    assert bench.mentions("It was built in 1810–11 [1].", "1810-11")
    assert bench.mentions("About 1,500 people", "1500")
    assert bench.mentions("the city of MÁLAGA", "Malaga")
    assert not bench.mentions("a Parisian suburb", "Paris")  # word boundaries
    assert not bench.mentions("in 18101", "1810")


def test_a_wrong_answer_listed_as_disputed_is_honest_but_not_an_exact_match(bench: Any) -> None:
    answer = _answer("The articles give different years: 1810-11 [1]; 1790s [2]; 1910-11 [3].",
                     ("1810-11", "doc-01.md"), ("1790s", "doc-03.md"), ("1910-11", "doc-02.md"))
    s = bench.score(ITEM, answer)
    assert s["gold_recall"] and s["complete_and_honest"] and s["flagged"] and s["multi_answer"]
    assert not s["exact_match"] and s["wrong_stated"] == ["1910-11"]


def test_a_wrong_answer_asserted_alone_is_not_honest(bench: Any) -> None:
    s = bench.score(ITEM, _answer("It was built in 1910-11, and a wing in the 1790s, extended 1810-11 [1]."))
    assert s["gold_recall"] and not s["complete_and_honest"] and s["wrong_alone"] == ["1910-11"]


def test_only_what_the_bot_states_counts_not_its_quotes(bench: Any) -> None:
    answer = _answer("“The house was built in 1810-11.” [1]")
    answer["citations"] = [{"n": 1, "quote": "built in 1790s"}]
    s = bench.score(ITEM, answer)
    assert s["gold_found"] == 1 and not s["gold_recall"]  # 1790s is only in a quote
    assert bench.score(ITEM, _answer("1810-11 and 1790s"))["exact_match"]


def test_the_corpus_files_are_readable_articles_with_neutral_titles(bench: Any, tmp_path: Path) -> None:
    texts = [f"Document text number {i}: the house on the hill was built by a local family of farmers." for i in range(4)]
    item = {**ITEM, "documents": [{**d, "text": t} for d, t in zip(ITEM["documents"], texts)]}
    bench.write_corpus(item, tmp_path)
    articles, errors = scan_corpus(tmp_path)
    assert not errors and len(articles) == 4
    for a in articles:
        shown = f"{a.meta.source} {a.meta.title} {a.meta.outlet}".lower()
        assert not any(word in shown for word in ("correct", "misinfo", "noise", "1810", "1910"))
    assert sorted(a.body.strip() for a in articles) == texts
