"""Core benchmark: refresh from scratch and with nothing changed, warm `ask` latency, peak memory.

    .venv/bin/python bench/bench_core.py [--repeat 3] [--out bench/results/core.json]

Prints a table and writes JSON. Targets on a 2-core machine: warm answer p95 < 100 ms,
no-change refresh < 1 s.
"""

from __future__ import annotations

import argparse
import platform
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from results_io import save_results  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

QUESTIONS = [
    "How many people died?",
    "How many people were injured?",
    "Where did the attack take place?",
    "What is ISIS-K?",
    "When was ISIS-K founded?",
    "Who claimed responsibility for the attack?",
    "Why did ISIS-K target Russia?",
    "How many suspects were arrested?",
    "Did the US warn Russia before the attack?",
    "What did Putin say about Ukraine?",
    "How many people died in the 2021 Kabul airport bombing?",
    "Where does ISIS-K operate?",
    "What happened at the Russian embassy in Kabul?",
    "How many fighters does ISIS-K have?",
    "What is the weather in Paris?",
    "death toll?",
    "What weapons did the attackers use?",
    "Who is Michael Kugelman?",
    "When did the Taliban take over Afghanistan?",
    "What does Khorasan refer to?",
]


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, int(round(q / 100 * len(ordered) + 0.5)) - 1))
    return ordered[k]


def main() -> int:
    """Run the benchmark and print/write its results."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5, help="passes over the question list")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "core.json")
    args = parser.parse_args()

    from bot.answering.engine import AnswerEngine
    from bot.config import Settings

    work = Path(tempfile.mkdtemp(prefix="crosscheck-bench-"))
    try:
        corpus = work / "corpus"
        shutil.copytree(ROOT / "corpus", corpus)
        settings = Settings(_env_file=None, BOT_CORPUS_DIR=str(corpus), BOT_DATA_DIR=str(work / "data"))

        t = time.perf_counter()
        engine = AnswerEngine(settings)
        scratch = engine.refresh()
        scratch_s = time.perf_counter() - t

        nochange = []
        for _ in range(3):
            t = time.perf_counter()
            r = engine.refresh()
            nochange.append(time.perf_counter() - t)
            assert r.chunks_embedded == 0

        engine.ask(QUESTIONS[0])  # warm-up: loads the collection and the embedder
        latencies = []
        for _ in range(args.repeat):
            for q in QUESTIONS:
                t = time.perf_counter()
                engine.ask(q)
                latencies.append((time.perf_counter() - t) * 1000)
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    finally:
        shutil.rmtree(work, ignore_errors=True)

    results = {
        "articles": scratch.added,
        "sentences": scratch.chunks_embedded,
        "refresh_scratch_s": round(scratch_s, 3),
        "refresh_nochange_s": round(statistics.median(nochange), 4),
        "ask_warm_p50_ms": round(percentile(latencies, 50), 2),
        "ask_warm_p95_ms": round(percentile(latencies, 95), 2),
        "ask_warm_max_ms": round(max(latencies), 2),
        "questions_timed": len(latencies),
        "peak_rss_mb": round(peak_mb, 1),
        "machine": {"cpus": __import__("os").cpu_count(), "python": platform.python_version()},
        "targets": {"ask_warm_p95_ms": 100, "refresh_nochange_s": 1.0},
    }
    table = Table(title="Crosscheck core benchmark")
    table.add_column("measure")
    table.add_column("value", justify="right")
    table.add_column("target", justify="right")
    for key, label, target in [
        ("refresh_scratch_s", f"refresh from scratch ({results['articles']} articles, {results['sentences']} sentences), s", ""),
        ("refresh_nochange_s", "refresh, nothing changed (median of 3), s", "< 1"),
        ("ask_warm_p50_ms", "warm ask p50, ms", ""),
        ("ask_warm_p95_ms", f"warm ask p95 ({len(latencies)} questions), ms", "< 100"),
        ("ask_warm_max_ms", "warm ask max, ms", ""),
        ("peak_rss_mb", "peak memory (RSS), MB", ""),
    ]:
        table.add_row(label, str(results[key]), target)
    Console().print(table)
    save_results(results, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
