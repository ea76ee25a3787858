"""Question → evidence sentences from the live index (dense retrieval over Chroma, sentences from the catalog)."""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

from llama_index.core.bridge.pydantic import Field
from llama_index.core.postprocessor.types import BaseNodePostprocessor
from llama_index.core.schema import NodeWithScore, QueryBundle, TextNode

from bot.answering.events import ArticleEvent, Markers, article_event, markers, off_event
from bot.answering.leads import ArticleMarkersCache, article_markers
from bot.ingest.nodes import meta_from_metadata, sentence_from_metadata
from bot.models import Evidence

# How far a search widens to find sentences about the main event past those of reports on other events
WIDEN, MAX_WIDEN = 4, 16

# Sentences the lexical search adds from the ranking that hears each sentence's context, past those its own words found
CONTEXT_K = 20

# Scores are compared rounded: float noise between CPUs, BLAS builds and SIMD paths sits far below
# this, and equal rounded scores are then ordered by article and sentence, never by arrival order.
SCORE_DECIMALS = 6


def _score(n: NodeWithScore) -> float:
    return round(n.score or 0.0, SCORE_DECIMALS)


def rank_key(n: NodeWithScore) -> tuple[float, str, int]:
    """Best score first; equal scores in article order (source, then sentence position)."""
    md = n.node.metadata
    return (-_score(n), str(md.get("source", "")), int(md.get("idx", 0) or 0))


class SourceDiversityPostprocessor(BaseNodePostprocessor):
    """Keep the best sentences while letting every article that speaks to the question be heard.

    Pure top-k lets one long article crowd out the others, and the product's point is to show
    what each source says; so each source keeps at most `per_source` sentences, and a source's
    best sentence is kept if it is within `margin` of the overall best score.
    """

    per_source: int = Field(default=4)
    margin: float = Field(default=0.08)
    limit: int = Field(default=16)

    @classmethod
    def class_name(cls) -> str:
        return "SourceDiversityPostprocessor"

    def _postprocess_nodes(
        self, nodes: list[NodeWithScore], query_bundle: QueryBundle | None = None
    ) -> list[NodeWithScore]:
        if not nodes:
            return []
        ranked = sorted(nodes, key=rank_key)
        best = _score(ranked[0])
        taken: dict[str, int] = defaultdict(int)
        kept: list[NodeWithScore] = []
        for n in ranked:
            src = n.node.metadata.get("source", "")
            if taken[src] >= self.per_source:
                continue
            if taken[src] == 0 or _score(n) >= round(best - self.margin, SCORE_DECIMALS):
                taken[src] += 1
                kept.append(n)
            if len(kept) >= self.limit:
                break
        return kept


def to_evidence(n: NodeWithScore) -> Evidence:
    """A retrieved node as Evidence with its article metadata and neighbours."""
    md = n.node.metadata
    return Evidence(
        sentence=sentence_from_metadata(md, n.node.get_content()),
        meta=meta_from_metadata(md),
        score=_score(n),
        paragraph_before=tuple(md.get("before") or ()),
    )


class Retriever:
    """Dense sentence retrieval over the live index's Chroma collection, and BM25 over the same sentences for claims.

    Dense retrieval ranks the quotes. Claims must hear every source that states a value, and a
    sentence such as "a fighting force of approximately 4,000 and 6,000 fighters" can sit outside
    the dense pool for "How many fighters does ISIS-K have?"; BM25 on the question's focus words
    (with near-synonyms) widens the pool that claims are read from, never the quote ranking.

    Chroma holds slot ids and vectors only; the catalog says which sentence of which article
    version a slot holds. The collection also holds vectors that are not live (a version being
    written by a refresh, or free slots of collected versions waiting to be overwritten): the
    catalog says how many at most, the dense search asks for that many more and keeps only slots
    of live versions. The
    lexical index is persisted in the catalog (SQLite FTS5) at refresh: nothing is rebuilt over the
    corpus when an engine loads.

    Each sentence found carries the event its article is about when that is not the main one (`main`:
    the corpus's main-event markers), read from the article's title and lead once per article.
    """

    def __init__(self, collection: Any, embedder: Any, catalog: Any, pool: int = 40, lexical_k: int = 40,
                 main: dict[str, frozenset] | None = None, article_cache: ArticleMarkersCache | None = None,
                 context_k: int = CONTEXT_K) -> None:
        self.embedder = embedder
        self.collection = collection
        self.catalog = catalog
        self.pool = pool
        self.lexical_k = lexical_k
        self.context_k = context_k
        self.main = main or {}
        self.article_cache = article_cache  # each article's markers as the refresh stored them
        self.count = catalog.live_nodes()
        self._metas: dict[str, dict[str, Any]] = {}
        self._events: dict[str, ArticleEvent | None] = {}

    def _article_events(self, versions: dict[tuple[str, str], tuple[dict[str, Any], str]]) -> None:
        """Record the metadata of newly seen articles, and the other event each is about (None for the
        main event's articles), from their titles and leads."""
        for (source, _), (meta, _) in versions.items():
            self._metas[source] = meta
        if not self.main.get("anchor"):  # no article stands out as the main event's: every one is about it
            self._events.update({source: None for source, _ in versions})
            return
        pairs = [(str(meta.get("title", "")), lead) for meta, lead in versions.values()]
        found = (self.article_cache.get_many(pairs) if self.article_cache
                 else [article_markers(title, lead)[1] for title, lead in pairs])
        for ((source, _), (meta, _)), m in zip(versions.items(), found):
            self._events[source] = article_event(m, meta.get("published") or None, self.main)

    def _read(self, hits: list[tuple[str, float]], memo: dict[str, Any], asked: Markers) -> None:
        """Read the sentences of hits not read yet for this question (one query), and judge each once:
        memo[id] is its row when it is evidence for the question, False when it is a report on an event
        the question does not name, None when it holds no live sentence (a free slot, a version being
        written or superseded)."""
        new = [nid for nid, _ in hits if nid not in memo]
        if not new:
            return
        rows = self.catalog.live_rows(new)
        unseen = {(r.source, r.doc_hash) for r in rows.values() if r.source not in self._metas}
        if unseen:
            self._article_events(self.catalog.versions_of(unseen))
        for nid in new:
            row = rows.get(nid)
            memo[nid] = None if row is None else (
                False if off_event(row.text, row.before, self._events.get(row.source), asked, self.main) else row)

    def _node(self, row: Any, score: float) -> NodeWithScore:
        """One stored sentence as a scored node with its article's metadata."""
        md = {**self._metas.setdefault(row.source, {"source": row.source}), "idx": row.idx, "start": row.start,
              "end": row.end, "paragraph": row.paragraph, "heading": row.heading, "before": row.before}
        return NodeWithScore(node=TextNode(id_=f"{row.source}#{row.idx}", text=row.text, metadata=md), score=score)

    def _widening(self, fetch: Any, k: int, query: str, once: bool = False, among_main: Any = None) -> list[NodeWithScore]:
        """The k best nodes about the question; when reports on other events took places among them, look
        further down the ranking (WIDEN times as far, up to MAX_WIDEN) for the ones they pushed out.
        once: fetch the widest ranking at once and take its prefixes (a full-text query costs the same
        however many results it returns: at 300,000 sentences each one took ~0.3 s). Only the sentences
        kept become nodes: in an archive of other events' reports, most candidates are not.
        among_main: a fetch over the main event's articles alone, for when even the widest ranking left
        fewer than k (their sentences ranked below hundreds of other events' ones); still judged one by one."""
        asked = markers(query)
        memo: dict[str, Any] = {}
        nodes: dict[tuple[str, float], NodeWithScore] = {}
        widest = fetch(min(k * MAX_WIDEN, self.count)) if once else []
        n = k
        while True:
            hits = widest[:n] if once else fetch(n)
            self._read(hits, memo, asked)
            for nid, score in hits:  # a wider round ranks the same (id, score) pairs again: one node each
                if memo[nid] and (nid, score) not in nodes:
                    nodes[nid, score] = self._node(memo[nid], score)
            kept = [nodes[nid, score] for nid, score in hits if memo[nid]]
            live = sum(1 for nid, _ in hits if memo[nid] is not None)
            if len(kept) >= k or len(kept) == live or n >= self.count:
                return sorted(kept, key=rank_key)[:k]
            if n >= k * MAX_WIDEN:
                break
            n *= WIDEN
        # the first n of them may all have been read (and judged) already: skip those; read k * WIDEN new ones
        # at most (a sentence of a main-event article can still be about another event)
        extra = [(nid, score) for nid, score in (among_main(n + k * WIDEN) if among_main else [])
                 if nid not in memo][:k * WIDEN]
        self._read(extra, memo, asked)
        kept += [self._node(memo[nid], score) for nid, score in extra if memo[nid]]
        return sorted(kept, key=rank_key)[:k]

    def retrieve_lexical(self, terms: str, query: str = "") -> list[Evidence]:
        """Sentences sharing the most (stemmed) words with `terms`, best first; BM25 scores, not cosine."""
        if self.count == 0 or not terms.strip():
            return []
        from bot.ingest.manifest import lexical_terms

        words = lexical_terms([terms])[0]
        k = min(self.lexical_k, self.count)
        main = self.main.get("sources")
        found = self._widening(
            lambda n: self.catalog.lexical(words, n), k, query or terms, once=True,
            among_main=(lambda n: self.catalog.lexical(words, n, within=main)) if main else None)
        # then the best of a ranking that also hears each sentence's context (its article's subject, its
        # neighbours): sentences that lean on it for what they are about. They widen the pool; none of
        # those ranked by their own words gives its place up
        seen = {n.node.node_id for n in found}
        more = self._widening(lambda n: self.catalog.lexical(words, n, context=True), min(self.context_k, self.count),
                              query or terms, once=True)
        return [self._evidence(n) for n in found + [n for n in more if n.node.node_id not in seen]]

    def _evidence(self, n: NodeWithScore) -> Evidence:
        ev = to_evidence(n)
        ev.article_event = self._events.get(ev.sentence.source)
        return ev

    def search(self, query: str, limit: int = 16, per_source: int = 4) -> tuple[list[Evidence], list[Evidence]]:
        """One dense search: the whole candidate pool, and the best sentences diversified across sources."""
        if self.count == 0:
            return [], []
        bundle = QueryBundle(query_str=query)
        vector = self.embedder.get_agg_embedding_from_queries(bundle.embedding_strs)

        def fetch(n: int) -> list[tuple[str, float]]:
            got = self.collection.query(query_embeddings=[vector], n_results=n + self.catalog.extra,
                                        include=["distances"])
            # exp(-distance): the similarity llama-index's Chroma store reported, so scores and margins keep their meaning
            return [(nid, math.exp(-d)) for nid, d in zip(got["ids"][0], got["distances"][0])]

        nodes = self._widening(fetch, self.pool, query)
        post = SourceDiversityPostprocessor(per_source=per_source, limit=limit)
        return [self._evidence(n) for n in nodes], [self._evidence(n) for n in post.postprocess_nodes(nodes, query_bundle=bundle)]
