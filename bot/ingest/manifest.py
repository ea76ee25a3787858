"""What the answer path needs about the whole corpus, computed per article at refresh, not per question.

Each article version contributes its metadata (for /sources and citations), its opening sentences
(whose names and years mark the corpus's main event), its content stems (summed into document
frequencies, to tell an off-subject question from one the articles might answer) and the terms of
each sentence for the lexical index, with the terms of its context (`context_terms`). The catalog
(bot/ingest/catalog.py) keeps them per version, so a refresh computes them only for the articles
that changed.
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


def context_terms(title: str, sentences: list[Sentence], own: list[list[str]]) -> list[list[str]]:
    """Per sentence, the lexical terms of what it leans on and does not say itself: its article's subject
    (title and opening sentence), its heading, and the sentences beside it in its paragraph.

    A sentence deep in an article rarely repeats what it is about ("there were 812 people" in an
    article that opened on the town's name, or just before "The population density was..."; "The
    attack killed 170 civilians" after a sentence that named the airport): the lexical index matches
    these words too, with a lower weight than the sentence's own (bot/ingest/catalog.py
    CONTEXT_WEIGHT). `own`: each sentence's terms, in order.
    """
    if not sentences:
        return []
    headings = sorted({s.heading for s in sentences if s.heading})
    heading_terms = dict(zip(headings, lexical_terms(headings)))
    subject = [*lexical_terms([title])[0], *own[0]]
    out = []
    for i, s in enumerate(sentences):
        beside = [t for j in (i - 1, i + 1) if 0 <= j < len(sentences) and sentences[j].paragraph == s.paragraph
                  for t in own[j]]
        mine = set(own[i])
        # each word once: context says what a sentence is about, not how often its neighbours repeat it
        out.append([t for t in dict.fromkeys([*subject, *heading_terms.get(s.heading, []), *beside]) if t not in mine])
    return out


def article_metas(manifest: dict[str, Any]) -> list[ArticleMeta]:
    """The indexed articles, newest first."""
    metas = [ArticleMeta(**m) for m in manifest["articles"]]
    return sorted(metas, key=lambda m: (m.published or "", m.source), reverse=True)
