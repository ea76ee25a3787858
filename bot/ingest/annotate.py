"""At refresh: each article's language (declared, else detected by py3langid) and the parse of every English sentence, cached for answering."""

from __future__ import annotations

import logging
import re
from pathlib import Path
from collections.abc import Callable
from typing import Any

from bot.config import Settings
from bot.ingest.atomic import write_bytes_atomically
from bot.models import Article
from bot.text.languages import detect
from bot.text.syntax import SCHEMA, SyntaxCache, resolve_pipeline

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


def _generation(settings: Settings) -> str:
    """What the stored parses were made by: the Parse schema and the pipeline with its version."""
    name, version = resolve_pipeline(settings.nlp_pipelines)
    return f"{SCHEMA} {name} {version}"


def _marker(settings: Settings) -> Path:
    return settings.syntax_path.with_name(settings.syntax_path.name + ".generation")


def parses_current(settings: Settings) -> bool:
    """The stored parses are this code's and this pipeline's: only changed articles need parsing at refresh."""
    try:
        return _marker(settings).read_text(encoding="utf-8") == _generation(settings)
    except OSError:
        return False


def mark_parsed(settings: Settings) -> None:
    """Record that every live article is parsed by this code's schema and pipeline."""
    write_bytes_atomically(_marker(settings), _generation(settings).encode())


def annotate(settings: Settings, articles: list[Article], parser: Any,
             unchanged: Callable[[], list[Article]] = list) -> int:
    """Parse the sentences of every article not parsed yet (by language); returns how many were parsed.

    `articles`: the changed ones. When the stored parses are an older schema's or pipeline's (an upgrade),
    the `unchanged` ones are parsed too, once, so that answering never parses a corpus sentence."""
    from bot.ingest.nodes import article_document

    current = parses_current(settings)
    if not current:
        articles = [*articles, *unchanged()]
    cache = SyntaxCache(settings.syntax_path, settings.nlp_pipelines)
    done = 0
    for article in articles:
        lang = article_language(article)
        sents = [s.text for s in parser.sentences(article_document(article))]
        done += cache.fill(sents, lang if lang != "en" and cache.available else "en")
    log.info("parsed %d new sentences", done)
    if not current:
        mark_parsed(settings)
    return done


__all__ = ["annotate", "article_language", "detect_language", "mark_parsed", "parses_current"]
