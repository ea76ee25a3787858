"""What the answer path needs about the whole corpus, computed per article at refresh, not per question.

Each article version contributes its metadata (for /sources and citations), its opening sentences
(whose names and years mark the corpus's main event), its content stems (summed into document
frequencies, to tell an off-subject question from one the articles might answer) and the terms of
each sentence for the lexical index. The catalog (bot/ingest/catalog.py) keeps them per version, so
a refresh computes them only for the articles that changed.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from bot.models import Article, ArticleMeta, Sentence
from bot.text.tokens import content_stems

LEAD_SENTENCES = 3
_stemmer: Any = None


def article_entry(article: Article, sentences: list[Sentence]) -> dict[str, Any]:
    """Metadata, lead and content stems of one article version."""
    return {
        "meta": asdict(article.meta),
        "lead": " ".join(s.text for s in sentences[:LEAD_SENTENCES]),
        "stems": sorted(set(content_stems(article.meta.title + " " + article.body))),
    }


def lexical_terms(texts: list[str]) -> list[list[str]]:
    """BM25 terms of each text: bm25s's tokenizer with English stop words and the Snowball stemmer.

    The same tokenization the earlier in-memory BM25Retriever used, so the persisted index (SQLite
    FTS5 over these terms) finds the same sentences.
    """
    global _stemmer
    import logging

    import bm25s
    import Stemmer

    logging.getLogger("bm25s").setLevel(logging.WARNING)  # bm25s sets itself to DEBUG on import
    if _stemmer is None:
        _stemmer = Stemmer.Stemmer("english")
    if not texts:
        return []
    out = bm25s.tokenize(texts, stopwords="en", stemmer=_stemmer, return_ids=False, show_progress=False)
    return [list(t) for t in out]


def article_metas(manifest: dict[str, Any]) -> list[ArticleMeta]:
    """The indexed articles, newest first."""
    metas = [ArticleMeta(**m) for m in manifest["articles"]]
    return sorted(metas, key=lambda m: (m.published or "", m.source), reverse=True)
