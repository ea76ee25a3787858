"""Question → evidence sentences from the live index (dense retrieval through llama-index over Chroma)."""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from llama_index.core.bridge.pydantic import Field
from llama_index.core.postprocessor.types import BaseNodePostprocessor
from llama_index.core.schema import NodeWithScore, QueryBundle

from bot.ingest.nodes import meta_from_metadata, sentence_from_metadata
from bot.models import Evidence

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
    try:
        before = tuple(json.loads(md.get("para_before") or "[]"))
    except ValueError:
        before = ()
    return Evidence(
        sentence=sentence_from_metadata(md, n.node.get_content()),
        meta=meta_from_metadata(md),
        score=_score(n),
        paragraph_before=before,
    )


class Retriever:
    """Dense sentence retrieval over the live index's Chroma collection, and BM25 over the same sentences for claims.

    Dense retrieval ranks the quotes. Claims must hear every source that states a value, and a
    sentence such as "a fighting force of approximately 4,000 and 6,000 fighters" can sit outside
    the dense pool for "How many fighters does ISIS-K have?"; BM25 on the question's focus words
    (with near-synonyms) widens the pool that claims are read from, never the quote ranking.

    The collection may also hold article versions that are not live (being written by a refresh,
    or superseded and not yet deleted): the catalog says how many at most, the dense search asks
    for that many more and keeps only live versions. The lexical index is persisted in the catalog
    (SQLite FTS5) at refresh: nothing is rebuilt over the corpus when an engine loads.
    """

    def __init__(self, collection: Any, embedder: Any, catalog: Any, pool: int = 40, lexical_k: int = 40) -> None:
        from llama_index.core import VectorStoreIndex
        from llama_index.vector_stores.chroma import ChromaVectorStore

        self.embedder = embedder
        self.collection = collection
        self.catalog = catalog
        self.pool = pool
        self.lexical_k = lexical_k
        self.live = catalog.live()
        self.count = catalog.live_nodes()
        self._index = VectorStoreIndex.from_vector_store(ChromaVectorStore(chroma_collection=collection),
                                                         embed_model=embedder)
        self._retriever = self._index.as_retriever(similarity_top_k=pool)

    def _is_live(self, n: NodeWithScore) -> bool:
        """A node of a live article version; a record a killed refresh left without metadata is not."""
        md = n.node.metadata
        source, doc_hash = md.get("source"), md.get("doc_hash")
        return bool(source) and bool(doc_hash) and self.live.get(source) == doc_hash

    def retrieve_lexical(self, terms: str) -> list[Evidence]:
        """Sentences sharing the most (stemmed) words with `terms`, best first; BM25 scores, not cosine."""
        if self.count == 0 or not terms.strip():
            return []
        from llama_index.core.vector_stores.utils import metadata_dict_to_node

        from bot.ingest.manifest import lexical_terms

        hits = self.catalog.lexical(lexical_terms([terms])[0], min(self.lexical_k, self.count))
        if not hits:
            return []
        got = self.collection.get(ids=[nid for nid, _ in hits], include=["metadatas", "documents"])
        by_id = {i: (md, doc) for i, md, doc in zip(got["ids"], got["metadatas"], got["documents"])}
        out = []
        for nid, score in hits:
            if nid in by_id:
                md, doc = by_id[nid]
                out.append(NodeWithScore(node=metadata_dict_to_node(md, text=doc), score=score))
        return [to_evidence(n) for n in sorted(out, key=rank_key)]

    def search(self, query: str, limit: int = 16, per_source: int = 4) -> tuple[list[Evidence], list[Evidence]]:
        """One dense search: the whole candidate pool, and the best sentences diversified across sources."""
        if self.count == 0:
            return [], []
        bundle = QueryBundle(query_str=query)
        extra = self.catalog.extra
        retriever = self._retriever if extra == 0 else self._index.as_retriever(similarity_top_k=self.pool + extra)
        nodes = sorted((n for n in retriever.retrieve(bundle) if self._is_live(n)), key=rank_key)[: self.pool]
        post = SourceDiversityPostprocessor(per_source=per_source, limit=limit)
        return [to_evidence(n) for n in nodes], [to_evidence(n) for n in post.postprocess_nodes(nodes, query_bundle=bundle)]
