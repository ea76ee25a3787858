"""A sentence is found by the words of its context: its article's subject, its heading, its neighbours.

Invented articles: a town's census figures in a sentence that names neither the town nor "population",
and a toll in a sentence whose neighbour names the place; the lexical index (SQLite FTS5 in the
catalog) matches such a sentence through its context, with less weight than through its own words.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.ingest.catalog import Catalog
from bot.ingest.manifest import context_terms, lexical_terms
from bot.models import Sentence

pytestmark = pytest.mark.unit


def _sentences(source: str, paragraphs: list[list[str]], heading: str = "") -> list[Sentence]:
    out, start = [], 0
    for p, texts in enumerate(paragraphs):
        for text in texts:
            out.append(Sentence(source, len(out), text, start, start + len(text), p, heading))
            start += len(text) + 1
    return out


def _index(catalog: Catalog, articles: dict[str, tuple[str, list[Sentence]]]) -> None:
    """Store each article as the refresh does (own terms, context terms) and make it live."""
    with catalog.transaction() as db:
        for source, (title, sentences) in articles.items():
            own = lexical_terms([s.text for s in sentences])
            rows = [(s, " ".join(t), " ".join(c)) for s, t, c in zip(sentences, own, context_terms(title, sentences, own))]
            Catalog.add_sentences(db, source, "h", rows)
            db.execute("INSERT INTO versions(source, hash, state, n_nodes, meta, lead, stems) VALUES (?, 'h', 'built', ?, ?, '', '[]')",
                       (source, len(sentences), json.dumps({"source": source, "title": title})))
            db.execute("INSERT INTO live(source, hash) VALUES (?, 'h')", (source,))


def _found(catalog: Catalog, question: str, k: int = 10) -> list[tuple[str, int]]:
    hits = catalog.lexical(lexical_terms([question])[0], k, context=True)
    rows = catalog.live_rows([h for h, _ in hits])
    return [(rows[h].source, rows[h].idx) for h, _ in hits]


BRANTLEY = ("Notes from the valley", _sentences("brantley.md", [[
    "Brantley is a small market town on the river Ayle.",
    "Its mill closed in 1961.",
    "The council meets in the old grain store.",
    "Most families keep sheep.",
    "As of the 2011 count, there were 812 people and 301 households.",
    "The population density was 40 per square mile."]]))
OTHER = ("Harbour news", _sentences("corran.md", [[
    "Corran is a fishing port on the west coast.",
    "There were 95 boats registered there in 2011.",
    "The population of Corran was 2,400 in the last census."]]))


def test_context_holds_the_subject_the_heading_and_the_neighbours_but_not_the_sentences_own_words() -> None:
    sentences = _sentences("a.md", [["Velmont opened a ferry line.", "It carried 300 cars a day."],
                                    ["Fares rose in spring."]], heading="Transport")
    own = lexical_terms([s.text for s in sentences])
    context = context_terms("The Velmont ferry", sentences, own)
    carried = set(context[1])
    assert {"velmont", "ferri", "transport", "line"} <= carried  # title, opening sentence, heading, neighbour
    assert not carried & set(own[1])  # its own words are scored in its own table
    assert "fare" not in carried  # the next paragraph's sentence is not its neighbour
    assert "fare" not in set(context[0]) and "carri" in set(context[0])


def test_a_sentence_is_found_through_its_articles_subject(tmp_path: Path) -> None:
    catalog = Catalog(tmp_path / "catalog.sqlite3")
    _index(catalog, {"brantley.md": BRANTLEY, "corran.md": OTHER})
    found = _found(catalog, "What is the population of Brantley?")
    assert ("brantley.md", 4) in found  # "there were 812 people" says neither "Brantley" nor "population"
    # sentences that say a word of the question themselves rank above those found through context alone
    assert found.index(("brantley.md", 0)) < found.index(("brantley.md", 4))
    assert found.index(("corran.md", 2)) < found.index(("brantley.md", 4))


def test_a_sentence_is_found_through_its_neighbour_with_less_weight_than_its_own_words(tmp_path: Path) -> None:
    toll = ("Two disasters", _sentences("toll.md", [
        ["The storm reached the coast on Monday."],
        ["A levee broke north of Pellam harbour.", "The flood killed 23 fishermen."],
        ["Inland, a landslide killed 4 hikers."]]))
    catalog = Catalog(tmp_path / "catalog.sqlite3")
    _index(catalog, {"toll.md": toll})
    found = _found(catalog, "How many were killed at Pellam harbour?")
    # both sentences say "killed"; the one beside the harbour's name ranks first, the sentence naming it above both
    assert found.index(("toll.md", 1)) < found.index(("toll.md", 2)) < found.index(("toll.md", 3))
    assert found[0] == ("toll.md", 1)


def test_context_words_do_not_make_a_rare_word_common(tmp_path: Path) -> None:
    """The subject's words are in every sentence's context, in a table of their own: in the sentences'
    own table a word stays as rare as the sentences that say it, so the one that names the town
    keeps its full weight and ranks first, and the others are still found through their context."""
    catalog = Catalog(tmp_path / "catalog.sqlite3")
    _index(catalog, {"brantley.md": BRANTLEY, "corran.md": OTHER, "pellam.md": ("Pellam", _sentences("pellam.md", [[
        "Pellam has a lighthouse.", "It was built in 1870.", "Tourists visit in summer.", "The lamp is electric now."]]))})
    own_only = catalog._all("SELECT rowid, bm25(fts) FROM fts WHERE fts MATCH 'brantley'")
    assert len(own_only) == 1 and own_only[0][1] < -1.0  # 1 sentence of 13 names it: a rare word
    hits = catalog.lexical(lexical_terms(["Brantley"])[0], 10, context=True)
    assert len(hits) == len(BRANTLEY[1]) and all(score > 0.01 for _, score in hits)
    assert _found(catalog, "Brantley")[0] == ("brantley.md", 0)
    assert hits[0][1] > 2 * hits[1][1]


def test_released_versions_leave_neither_table(tmp_path: Path) -> None:
    catalog = Catalog(tmp_path / "catalog.sqlite3")
    _index(catalog, {"brantley.md": BRANTLEY})
    with catalog.transaction() as db:
        Catalog.release(db, "brantley.md", "h")
    for table in ("fts", "ctx"):
        assert catalog._all(f"SELECT rowid FROM {table} WHERE {table} MATCH 'brantley'") == []


def test_a_word_found_only_in_context_is_searched_alone_and_among_named_articles(tmp_path: Path) -> None:
    """A query whose only word is in no sentence's own terms (the title's "valley") still runs, over
    every article or over the ones named; each table's part is scored inside its own FTS5 query."""
    catalog = Catalog(tmp_path / "catalog.sqlite3")
    _index(catalog, {"brantley.md": BRANTLEY, "corran.md": OTHER})
    for within in (None, frozenset({"brantley.md"}), frozenset({"corran.md"})):
        found = {source for source, _ in (_found_within(catalog, "valley", within))}
        assert found == ({"brantley.md"} if within != frozenset({"corran.md"}) else set())


def _found_within(catalog: Catalog, question: str, within: frozenset[str] | None) -> list[tuple[str, int]]:
    hits = catalog.lexical(lexical_terms([question])[0], 10, within=within, context=True)
    rows = catalog.live_rows([h for h, _ in hits])
    return [(rows[h].source, rows[h].idx) for h, _ in hits]


def test_context_finds_widen_the_lexical_pool_and_displace_none_of_the_own_word_finds(tmp_path: Path) -> None:
    from bot.answering.retrieve import Retriever

    catalog = Catalog(tmp_path / "catalog.sqlite3")
    _index(catalog, {"brantley.md": BRANTLEY, "corran.md": OTHER})
    question = "What is the population of Brantley?"
    alone = Retriever(None, None, catalog, lexical_k=2, context_k=0).retrieve_lexical(question, question)
    widened = Retriever(None, None, catalog, lexical_k=2, context_k=5).retrieve_lexical(question, question)
    key = [(e.sentence.source, e.sentence.idx) for e in alone]
    assert [(e.sentence.source, e.sentence.idx) for e in widened][:2] == key  # own-word finds first, unchanged
    assert ("brantley.md", 4) not in key
    assert "there were 812 people" in " ".join(e.sentence.text for e in widened[2:])


def test_the_best_k_are_the_first_k_of_the_whole_ranking(tmp_path: Path) -> None:
    """A sentence matched in both tables ranks by the sum of its two scores, also when only the best
    few are asked for (the query's cut orders by the sum, not by one of its parts)."""
    catalog = Catalog(tmp_path / "catalog.sqlite3")
    _index(catalog, {"brantley.md": BRANTLEY, "corran.md": OTHER})
    for question in ("What is the population of Brantley?", "Brantley mill population census", "Corran boats 2011"):
        words = lexical_terms([question])[0]
        whole = catalog.lexical(words, 100, context=True)
        assert all(a[1] >= b[1] for a, b in zip(whole, whole[1:]))
        for k in (1, 2, 3, 5):
            assert catalog.lexical(words, k, context=True) == whole[:k], (question, k)
