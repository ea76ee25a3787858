"""A report weeks after the event, naming its place, is heard as the main event's: its sentences answer and its
words are not "missing". Invented articles (a bank breach); the real refresh, embedder, parser and engine.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import make_settings

from bot.answering.engine import AnswerEngine

pytestmark = pytest.mark.integration

ARTICLES = {
    "first.md": ("Hackers steal data of 4.2 million Lumora Bank customers", "Harbour Ledger", "2032-03-05",
                 "Hackers stole the personal data of 4.2 million customers of Lumora Bank, the lender said on Thursday. "
                 "The bank said the intrusion was discovered on 28 February."),
    "second.md": ("Lumora breach: what we know", "Valdor Tribune", "2032-03-07",
                  "About 3.9 million accounts were exposed in the breach at Lumora Bank, the authority said. "
                  "The bank has set aside about 60 million euros for compensation."),
    "later.md": ("Regulator fines Lumora Bank over data breach", "Orlen Post", "2032-04-20",
                 "The data protection authority fined Lumora Bank 40 million euros over the breach. "
                 "Investigators said the hackers had entered the bank's systems on 6 February. "
                 "The bank's chief executive resigned in April."),
}


def _engine(tmp_path: Path, articles: dict[str, tuple[str, str, str, str]]) -> AnswerEngine:
    """A refreshed engine over the articles, written as corpus files with their front matter."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, (title, outlet, published, body) in articles.items():
        (corpus / name).write_text(f"---\ntitle: '{title}'\noutlet: {outlet}\npublished: '{published}'\n---\n\n{body}\n",
                                   encoding="utf-8")
    engine = AnswerEngine(make_settings(corpus, tmp_path / "data"))
    engine.refresh()
    return engine


def test_a_later_report_naming_the_event_s_place_answers(tmp_path: Path) -> None:
    engine = _engine(tmp_path, ARTICLES)
    try:
        fined = engine.ask("Why was Lumora Bank fined?")
        assert "do not mention" not in fined.answer and any(c.source == "later.md" for c in fined.citations)
        access = engine.ask("When did the hackers first get into the bank's systems?")
        assert access.status == "answered" and "6 February" in access.answer
        assert "40 million euros" in engine.ask("How much was the bank fined?").answer
    finally:
        engine.close()


VOTE = {
    "first.md": ("Voss leads as Tarsk counts presidential votes", "Harbour Ledger", "2033-06-15",
                 "Ada Voss has won Tarsk's presidential election with 52.3% of the vote, preliminary results showed. "
                 "Her rival, former minister Karl Dunn, took 44.1%. Turnout was 61 percent."),
    "second.md": ("Dunn camp alleges fraud as Tarsk tallies votes", "Valdor Tribune", "2033-06-16",
                  "Supporters of Karl Dunn said on Tuesday that the presidential vote held on 13 June had been marred "
                  "by fraud. The commission said Ada Voss had received about 52 percent of the vote. "
                  "Eight people were arrested on Monday over ballot tampering, police said."),
    "later.md": ("Final count confirms Voss victory; Dunn concedes", "Orlen Post", "2033-06-18",
                 "The commission published final results on Wednesday confirming that Ada Voss won the presidency "
                 "with 51.8 percent of the vote. Karl Dunn conceded defeat on 17 June. "
                 "The commission put turnout at 63.4 percent. Police arrested 12 people on suspicion of ballot tampering."),
}


def test_a_later_turn_of_the_story_that_does_not_name_the_place_answers(tmp_path: Path) -> None:
    # later.md names the main event's people, not its place, and a later date (the concession): the same story
    engine = _engine(tmp_path, VOTE)
    try:
        arrested = engine.ask("How many people were arrested?")
        assert {c.value for d in arrested.disagreements for c in d.claims} >= {"12 people", "Eight people"}
        share = engine.ask("What share of the vote did Ada Voss get?")
        assert {c.value for d in share.disagreements for c in d.claims} == {"52.3%", "about 52 percent", "51.8 percent"}
        turnout = engine.ask("What was the turnout?")
        assert {c.value for d in turnout.disagreements for c in d.claims} == {"61 percent", "63.4 percent"}
        conceded = engine.ask("When did Karl Dunn concede?")
        assert "17 June" in conceded.answer and "Tuesday" not in conceded.answer
    finally:
        engine.close()
