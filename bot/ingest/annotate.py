"""At refresh: each article's language (declared, else detected by py3langid) and the parse of every English sentence, cached for answering."""

from __future__ import annotations

import logging
import re
from typing import Any

from bot.config import Settings
from bot.models import Article
from bot.text.languages import detect
from bot.text.syntax import SyntaxCache

log = logging.getLogger(__name__)


def detect_language(text: str) -> str:
    """ISO 639-1 code of a text's language ("en", "es"), from py3langid's model shipped in the package."""
    return detect(text)[0]


def article_language(article: Article) -> str:
    """The language an article declares in its front matter ("en", "pt-BR" → "pt"), else the one detected.

    A curator's declaration wins: short or noisy English text (lists, tables, names) is often taken for
    another language by the detector, and its values would then never be compared."""
    declared = article.meta.language.strip().lower().replace("_", "-").split("-")[0]
    return declared if re.fullmatch(r"[a-z]{2,3}", declared) else detect_language(article.body)


def annotate(settings: Settings, articles: list[Article], parser: Any) -> int:
    """Parse the sentences of every article not parsed yet (by language); returns how many were parsed."""
    from bot.ingest.nodes import article_document

    cache = SyntaxCache(settings.syntax_path, settings.nlp_pipelines)
    done = 0
    for article in articles:
        lang = article_language(article)
        sents = [s.text for s in parser.sentences(article_document(article))]
        done += cache.fill(sents, lang if lang != "en" and cache.available else "en")
    log.info("parsed %d new sentences", done)
    return done


__all__ = ["annotate", "article_language", "detect_language"]
