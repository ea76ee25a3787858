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
        ranked = sorted(nodes, key=lambda n: n.score or 0.0, reverse=True)
        best = ranked[0].score or 0.0
        taken: dict[str, int] = defaultdict(int)
        kept: list[NodeWithScore] = []
        for n in ranked:
            src = n.node.metadata.get("source", "")
            if taken[src] >= self.per_source:
                continue
            if taken[src] == 0 or (n.score or 0.0) >= best - self.margin:
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
        score=float(n.score or 0.0),
        paragraph_before=before,
    )


class Retriever:
    """Dense sentence retrieval over one Chroma collection, and BM25 over the same sentences for claims.

    Dense retrieval ranks the quotes. Claims must hear every source that states a value, and a
    sentence such as "a fighting force of approximately 4,000 and 6,000 fighters" can sit outside
    the dense pool for "How many fighters does ISIS-K have?"; BM25 on the question's focus words
    (with near-synonyms) widens the pool that claims are read from, never the quote ranking.
    """

    def __init__(self, collection: Any, embedder: Any, pool: int = 40, lexical_k: int = 40) -> None:
        from llama_index.core import VectorStoreIndex
        from llama_index.vector_stores.chroma import ChromaVectorStore

        self.embedder = embedder
        store = ChromaVectorStore(chroma_collection=collection)
        index = VectorStoreIndex.from_vector_store(store, embed_model=embedder)
        self._retriever = index.as_retriever(similarity_top_k=pool)
        self.count = collection.count()
        self._bm25 = self._build_bm25(store, lexical_k) if self.count else None

    @staticmethod
    def _build_bm25(store: Any, k: int) -> Any:
        import logging

        import Stemmer
        from llama_index.retrievers.bm25 import BM25Retriever

        logging.getLogger("bm25s").setLevel(logging.WARNING)  # bm25s sets itself to DEBUG on import

        nodes = store.get_nodes(node_ids=None)
        return BM25Retriever.from_defaults(nodes=nodes, stemmer=Stemmer.Stemmer("english"),
                                           similarity_top_k=min(k, len(nodes)))

    def retrieve_lexical(self, terms: str) -> list[Evidence]:
        """Sentences sharing the most (stemmed) words with `terms`, best first; BM25 scores, not cosine."""
        if self._bm25 is None or not terms.strip():
            return []
        return [to_evidence(n) for n in self._bm25.retrieve(QueryBundle(query_str=terms)) if (n.score or 0) > 0]

    def search(self, query: str, limit: int = 16, per_source: int = 4) -> tuple[list[Evidence], list[Evidence]]:
        """One dense search: the whole candidate pool, and the best sentences diversified across sources."""
        if self.count == 0:
            return [], []
        bundle = QueryBundle(query_str=query)
        nodes = self._retriever.retrieve(bundle)
        post = SourceDiversityPostprocessor(per_source=per_source, limit=limit)
        return [to_evidence(n) for n in nodes], [to_evidence(n) for n in post.postprocess_nodes(nodes, query_bundle=bundle)]
