"""Context terms are stored at refresh, and an index built before them is migrated without embedding again.

Invented articles: a town's census figure in a sentence that names neither the town nor "population".
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from conftest import make_settings

from bot.answering.engine import AnswerEngine
from bot.ingest.migrate import CONTEXT_SUFFIX
from bot.ingest.refresh import INDEX_FORMAT, Indexer
from bot.ingest.store import POINTER, current_generation, set_current

pytestmark = pytest.mark.integration

ARTICLES = {
    "brantley.md": ("Notes from the valley", "Brantley is a small market town on the river Ayle. Its mill closed in 1961. "
                    "The council meets in the old grain store. As of the 2011 count, there were 812 people and 301 "
                    "households. The population density was 40 per square mile."),
    "corran.md": ("Harbour news", "Corran is a fishing port on the west coast. There were 95 boats registered there "
                  "in 2011. The population of Corran was 2,400 in the last census. The harbour wall was rebuilt."),
    "pellam.md": ("Lighthouse", "Pellam has a lighthouse on the cliff. It was built in 1870 by the harbour board. "
                  "Tourists visit it in summer. The lamp has been electric since 1952."),
}
QUESTION = "What is the population of Brantley?"


@pytest.fixture
def towns(tmp_path: Path) -> Any:
    corpus = tmp_path / "articles"
    corpus.mkdir()
    for name, (title, body) in ARTICLES.items():
        (corpus / name).write_text(f"---\ntitle: {title}\noutlet: Test Wire\n---\n\n{body}\n", encoding="utf-8")
    return make_settings(corpus, tmp_path / "data")


def _lexical(settings: Any) -> list[str]:
    engine = AnswerEngine(settings)
    try:
        return [e.sentence.text for e in engine._current().retriever.retrieve_lexical(QUESTION, QUESTION)]
    finally:
        engine.close()


def test_a_sentence_is_found_by_its_articles_subject_after_a_refresh(towns: Any) -> None:
    Indexer(towns).refresh()
    found = _lexical(towns)
    assert "As of the 2011 count, there were 812 people and 301 households." in found


def test_an_index_without_context_is_migrated_in_place(towns: Any) -> None:
    Indexer(towns).refresh()
    gen = current_generation(towns.data_dir)
    # the index as the previous format left it: no context column, no context table, the old format name
    with sqlite3.connect(gen.catalog_path(towns.data_dir)) as db:
        db.execute("DROP TABLE ctx")
        db.execute("ALTER TABLE sent DROP COLUMN context")
    set_current(towns.data_dir, replace(gen, format=gen.format.removesuffix(CONTEXT_SUFFIX)))
    assert json.loads((towns.data_dir / POINTER).read_text())["format"] != INDEX_FORMAT

    report = Indexer(towns).refresh()
    assert report.chunks_embedded == 0 and not report.changed  # nothing embedded again
    now = current_generation(towns.data_dir)
    assert now.format == INDEX_FORMAT and now.collection == gen.collection
    assert "As of the 2011 count, there were 812 people and 301 households." in _lexical(towns)
    assert Indexer(towns).refresh().chunks_embedded == 0  # and it stays migrated
