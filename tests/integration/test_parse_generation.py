"""Stored parses made by an older schema or pipeline are redone at the next refresh, for unchanged articles too.

Invented articles; the real refresh, embedder and parser.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import make_settings

from bot.ingest.annotate import _marker, parses_current
from bot.ingest.refresh import Indexer
from bot.text.syntax import SyntaxCache

pytestmark = pytest.mark.integration

BODY = "The ferry capsized on Lake Orrin on Sunday. At least 14 people died, the coast guard said."


def test_an_older_parse_generation_is_parsed_again_for_unchanged_articles(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "ferry.md").write_text(f"---\ntitle: Ferry capsizes\noutlet: Orrin Daily\n---\n\n{BODY}\n", encoding="utf-8")
    settings = make_settings(corpus, tmp_path / "data")
    Indexer(settings).refresh()
    assert parses_current(settings)
    sentence = "At least 14 people died, the coast guard said."
    cache = SyntaxCache(settings.syntax_path, settings.nlp_pipelines)
    assert cache.peek(sentence) is not None

    # as an upgrade leaves it: the marker names another schema and the parses under this one are missing
    _marker(settings).write_text("0 older-pipeline 0.0", encoding="utf-8")
    settings.syntax_path.unlink()
    report = Indexer(settings).refresh()
    assert report.unchanged == 1 and report.chunks_embedded == 0  # nothing embedded again
    assert parses_current(settings)
    assert SyntaxCache(settings.syntax_path, settings.nlp_pipelines).peek(sentence) is not None
