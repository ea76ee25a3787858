"""Retrieval recall@k on the project's question set: dense, BM25, and the pool claims are read from.

    .venv/bin/python bench/bench_retrieval.py [--set tests/eval/questions.yaml] [--out bench/results/retrieval.json]

A target is one fact of a case, or one source's value in a case's disagreement. It is found at k
when a sentence among the first k that holds the text (and, for a disagreement value, comes from
that source; for a fact of a case that names sources, from one of them) is retrieved. The
"claims pool" is what the engine reads values from for count/year/date/place questions: the dense
pool (40) widened by BM25 (40) on the question's words plus the near-synonyms of its topic. Prints
a table and writes JSON.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from results_io import save_results  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

KS = (1, 3, 5, 10, 20, 40)


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def targets(case) -> list[tuple[str, frozenset[str]]]:  # type: ignore[no-untyped-def]
    """(alternatives, sources) pairs to find for one case; an empty source set means any source."""
    out = []
    for fact in case.facts:
        out.append((tuple(_norm(a) for a in fact.any_of), frozenset(case.sources)))
    if case.disagreement:
        for source, values in case.disagreement.values.items():
            out.append((tuple(_norm(v) for v in values), frozenset({source})))
    return out  # type: ignore[return-value]


def rank_of(ranked: list, alternatives: tuple[str, ...], sources: frozenset[str]) -> int | None:  # type: ignore[type-arg]
    """1-based rank of the first retrieved sentence holding the target, None if absent."""
    for i, ev in enumerate(ranked, 1):
        if sources and ev.sentence.source not in sources:
            continue
        text = _norm(ev.sentence.text)
        if any(a in text for a in alternatives):
            return i
    return None


def main() -> int:
    """Run the benchmark and print/write its results."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--set", type=Path, default=ROOT / "tests" / "eval" / "questions.yaml")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "retrieval.json")
    args = parser.parse_args()

    from bot.answering.compose import VALUE_TYPES
    from bot.answering.engine import AnswerEngine, _lexical_query, _merge
    from bot.answering.question import analyse
    from bot.config import Settings
    from bot.evaluation.cases import load_set

    work = Path(tempfile.mkdtemp(prefix="crosscheck-retrieval-"))
    try:
        shutil.copytree(ROOT / "corpus", work / "corpus")
        settings = Settings(_env_file=None, BOT_CORPUS_DIR=str(work / "corpus"), BOT_DATA_DIR=str(work / "data"))
        engine = AnswerEngine(settings)
        engine.refresh()
        live = engine._current()
        cases = [c for c in load_set(args.set).cases if len(c.turns) == 1 and not c.refusal]
        ranks: dict[str, list[int | None]] = {"dense": [], "bm25": []}
        value_ranks: dict[str, list[int | None]] = {"dense": [], "claims pool": []}
        for case in cases:
            q = case.question
            analysis = analyse(q)
            dense, _ = live.retriever.search(q, limit=settings.top_k)
            lexical = live.retriever.retrieve_lexical(q)
            pool = dense
            if analysis.answer_type in VALUE_TYPES:
                pool = _merge(dense, live.retriever.retrieve_lexical(_lexical_query(q, analysis)))
            for alts, sources in targets(case):
                r_dense, r_bm25, r_pool = (rank_of(x, alts, sources) for x in (dense, lexical, pool))
                ranks["dense"].append(r_dense)
                ranks["bm25"].append(r_bm25)
                if analysis.answer_type in VALUE_TYPES:
                    value_ranks["dense"].append(r_dense)
                    value_ranks["claims pool"].append(r_pool)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    def recall(rs: list[int | None], k: int | None) -> float:
        hit = [r for r in rs if r is not None and (k is None or r <= k)]
        return round(len(hit) / len(rs), 3) if rs else 0.0

    results = {
        "cases": len(cases),
        "targets": len(ranks["dense"]),
        "value_question_targets": len(value_ranks["dense"]),
        "recall_at_k": {name: {str(k): recall(rs, k) for k in KS} for name, rs in ranks.items()},
        "claims_pool_recall": {name: recall(rs, None) for name, rs in value_ranks.items()},
    }
    table = Table(title=f"Retrieval recall@k ({results['targets']} targets from {len(cases)} cases)")
    table.add_column("retriever")
    for k in KS:
        table.add_column(f"R@{k}", justify="right")
    for name in ranks:
        table.add_row(name, *(f"{results['recall_at_k'][name][str(k)]:.3f}" for k in KS))
    Console().print(table)
    Console().print(
        f"value questions ({results['value_question_targets']} targets): values reachable by claims — "
        f"dense pool alone {results['claims_pool_recall']['dense']:.3f}, "
        f"with BM25 widening {results['claims_pool_recall']['claims pool']:.3f}"
    )
    save_results(results, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
