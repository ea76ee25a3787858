"""At refresh: each article's language (py3langid) and the parse of every English sentence, cached for answering."""

from __future__ import annotations

import logging
from typing import Any

from bot.config import Settings
from bot.models import Article
from bot.text.languages import detect
from bot.text.syntax import SyntaxCache

log = logging.getLogger(__name__)


def detect_language(text: str) -> str:
    """ISO 639-1 code of a text's language ("en", "es"), from py3langid's model shipped in the package."""
    return detect(text)[0]


def annotate(settings: Settings, articles: list[Article], parser: Any) -> int:
    """Parse the sentences of every article not parsed yet (by language); returns how many were parsed."""
    from bot.ingest.nodes import article_document

    cache = SyntaxCache(settings.syntax_path, settings.nlp_pipelines)
    done = 0
    for article in articles:
        lang = detect_language(article.body)
        sents = [s.text for s in parser.sentences(article_document(article))]
        done += cache.fill(sents, lang if lang != "en" and cache.available else "en")
    log.info("parsed %d new sentences", done)
    return done


__all__ = ["annotate", "detect_language"]
