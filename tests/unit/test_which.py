"""Names of the asked kind ("what river does X flow into?") on invented articles."""

from __future__ import annotations

import pytest

from bot.answering.claims import find_disagreements, main_event_markers
from bot.answering.question import analyse
from bot.answering.which import asked_kind_noun, named_of_kind
from bot.models import ArticleMeta, Evidence, Sentence
from bot.text.syntax import SyntaxCache

pytestmark = pytest.mark.unit
MAIN = main_event_markers(["Document one", "Document two"], [])


def ev(source: str, text: str) -> Evidence:
    meta = ArticleMeta(source=source, title=f"Document {source}", outlet=source.split(".")[0].title())
    return Evidence(sentence=Sentence(source, 0, text, 0, len(text), 0), meta=meta, score=0.9)


def test_the_noun_a_which_question_asks_a_name_of(syntax: SyntaxCache) -> None:
    assert asked_kind_noun(analyse("What river does Marrow Creek flow into?"), syntax) == "river"
    assert asked_kind_noun(analyse("What political party is Ada Voss a member of?"), syntax) == "party"
    assert asked_kind_noun(analyse("Which city is Marrow Creek in?"), syntax) == ""  # a place: names.py
    assert asked_kind_noun(analyse("What is the genre of Marrow Creek?"), syntax) == ""
    # a sport or a language is named by a common noun or an adjective, never by a proper name ending in "sport"
    assert asked_kind_noun(analyse("What sport is Ada Voss associated with?"), syntax) == ""
    assert asked_kind_noun(analyse("What language is the film Marrow Creek in?"), syntax) == ""


def _named(syntax: SyntaxCache, text: str, noun: str, subject: set[str]) -> list[str]:
    return [text[s:e] for s, e in named_of_kind(text, syntax.get(text), noun, frozenset(subject))]


def test_a_name_ending_in_the_asked_noun_not_the_subject_s_own(syntax: SyntaxCache) -> None:
    text = "Marrow Creek (Tarsk River tributary) Marrow Creek is a tributary of the Tarsk River."
    assert _named(syntax, text, "river", {"marrow", "creek"}) == ["Tarsk River", "Tarsk River"]
    assert _named(syntax, "The river floods in spring.", "river", {"marrow"}) == []
    assert _named(syntax, "Marrow River runs north.", "river", {"marrow"}) == []  # the subject itself


def test_sources_naming_different_rivers_disagree(syntax: SyntaxCache) -> None:
    pool = [
        ev("a.md", "Marrow Creek is a long tributary of the Tarsk River in Valdor."),
        ev("b.md", "Marrow Creek is a tributary river of the Orlen River, in the south."),
        ev("c.md", "The Tarsk River floods every spring."),  # does not name the subject
    ]
    (g,) = find_disagreements(pool, analyse("What river does Marrow Creek flow into?"), MAIN, syntax)
    assert {c.evidence.sentence.source: c.value for c in g.claims} == {"a.md": "Tarsk River", "b.md": "Orlen River"}
    assert g.disagrees


def test_a_possessive_ends_the_name(syntax: SyntaxCache) -> None:
    assert _named(syntax, "Marrow is a station on the Tarsk Metro's Ring line.", "line", {"marrow"}) == ["Ring line"]


def test_a_name_the_parse_puts_before_the_asked_noun(syntax: SyntaxCache) -> None:
    """"the Koltsevaya line": the noun is lower case, the name its modifier; a capitalised run that the
    parse does not tie to the noun ("Tarsk" before a date) is not one."""
    text = "Marrow is a station on the Koltsevaya line of the Tarsk Metro, opened in May 1954."
    assert _named(syntax, text, "line", {"marrow"}) == ["Koltsevaya line"]


def test_a_name_of_the_kind_ends_with_its_kind_noun(syntax: SyntaxCache) -> None:
    """A list the parser runs into one name ("the First Varan War Treaty of Halby") holds the name up to its noun."""
    text = "Halby peace agreement may refer to : Tarsk Convention : treaty that ended the First Varan War Treaty of Halby ( 1902 )"
    assert _named(syntax, text, "war", {"halby", "peac", "agreement"}) == ["First Varan War"]


def test_a_file_name_or_a_code_is_no_part_of_the_name(syntax: SyntaxCache) -> None:
    text = "Willie Marrow File : Wilbur Marrow-HOF-8x10.jpg Position ( s ) Safety Jersey 24"
    assert _named(syntax, text, "position", {"richard", "marrow"}) == []


def test_a_group_the_subject_belongs_to_answers_where_no_name_of_the_kind_is_given(syntax: SyntaxCache) -> None:
    # "elected as a Republican", "Voss, a Democrat": the recogniser's political group, tied to the subject;
    # a group the sentence gives someone else is no answer
    pool = [
        ev("a.md", "In 1882, Voss was elected as a Republican to the Halby Senate."),
        ev("b.md", "Ada Voss, a Democrat, served two terms in the Halby Senate."),
        ev("c.md", "Voss defeated the Republican candidate Karl Dunn in 1990."),
        ev("d.md", "Ada Voss was a member of the Halby Labour Party until 1994."),
    ]
    (g,) = find_disagreements(pool, analyse("What political party was Ada Voss affiliated with?"), MAIN, syntax)
    assert {c.evidence.sentence.source: c.value for c in g.claims} == {
        "a.md": "Republican", "b.md": "Democrat", "d.md": "Halby Labour Party"}
