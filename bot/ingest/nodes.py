"""Articles as llama-index Documents, and Documents as quotable sentence nodes with their window."""

from __future__ import annotations

import json
from typing import Any

from llama_index.core.schema import (
    Document,
    NodeRelationship,
    TextNode,
    TransformComponent,
)

from bot.models import Article, ArticleMeta, Sentence
from bot.text.sentences import split_sentences

META_KEYS = ("source", "title", "outlet", "author", "published", "url", "language", "translated_from", "notes")
# Only the heading joins the sentence in the embedded text: a heading such as "What is ISIS-K?"
# then lifts the sentences that answer it instead of outranking them as a sentence of its own.
_EMBED_KEYS = {"heading"}


def article_document(article: Article) -> Document:
    """A Document whose id is the corpus-relative path and whose metadata is the front matter only."""
    meta = {k: (getattr(article.meta, k) or "") for k in META_KEYS}
    return Document(
        id_=article.meta.source,
        text=article.body,
        metadata=meta,
        excluded_embed_metadata_keys=list(META_KEYS),
        excluded_llm_metadata_keys=list(META_KEYS),
    )


def meta_from_metadata(md: dict[str, Any]) -> ArticleMeta:
    """ArticleMeta back from node metadata (Chroma returns None as "")."""
    return ArticleMeta(
        source=md.get("source", ""),
        title=md.get("title", ""),
        outlet=md.get("outlet", "") or "",
        author=md.get("author", "") or "",
        published=md.get("published") or None,
        url=md.get("url", "") or "",
        language=md.get("language", ""),
        translated_from=md.get("translated_from", "") or "",
        notes=md.get("notes", "") or "",
    )


def sentence_from_metadata(md: dict[str, Any], text: str) -> Sentence:
    """The quotable Sentence a node stands for."""
    return Sentence(
        source=md["source"],
        idx=int(md["idx"]),
        text=text,
        start=int(md["start"]),
        end=int(md["end"]),
        paragraph=int(md["paragraph"]),
        heading=md.get("heading", "") or "",
    )


class SentenceNodeParser(TransformComponent):
    """One node per sentence: text is the exact span of the article body; neighbours ride in metadata."""

    @classmethod
    def class_name(cls) -> str:
        return "CrosscheckSentenceNodeParser"

    def count_sentences(self, doc: Document) -> int:
        """How many nodes this document will become."""
        return len(split_sentences(doc.text))

    def sentences(self, doc: Document) -> list[Sentence]:
        """The document's sentences as quotable spans."""
        body = doc.text
        return [
            Sentence(doc.doc_id, i, body[s.start : s.end], s.start, s.end, s.paragraph, s.heading)
            for i, s in enumerate(split_sentences(body))
        ]

    def __call__(self, nodes: list[Any], **kwargs: Any) -> list[TextNode]:
        out: list[TextNode] = []
        for doc in nodes:
            sents = self.sentences(doc)
            for i, s in enumerate(sents):
                before = [p.text for p in sents[:i] if p.paragraph == s.paragraph]
                md = dict(doc.metadata)
                md.update(
                    idx=s.idx,
                    start=s.start,
                    end=s.end,
                    paragraph=s.paragraph,
                    heading=s.heading,
                    prev=sents[i - 1].text if i > 0 else "",
                    next=sents[i + 1].text if i + 1 < len(sents) else "",
                    para_before=json.dumps(before[-3:]),  # Chroma metadata takes no lists
                )
                node = TextNode(
                    id_=f"{doc.doc_id}#{s.idx}",
                    text=s.text,
                    metadata=md,
                    excluded_embed_metadata_keys=[k for k in md if k not in _EMBED_KEYS],
                    excluded_llm_metadata_keys=list(md),
                    metadata_template="{value}",
                    metadata_separator=" ",
                    text_template="{metadata_str}\n{content}",
                    relationships={NodeRelationship.SOURCE: doc.as_related_node_info()},
                )
                out.append(node)
        return out
