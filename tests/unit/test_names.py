"""Named answers (who / which / where) on invented articles: each source's entity, compared as a value."""

from __future__ import annotations

import pytest

from bot.answering.claims import find_disagreements, main_event_markers
from bot.answering.names import find_names, subject_stems
from bot.answering.question import analyse
from bot.models import ArticleMeta, Evidence, Sentence
from bot.text.syntax import SyntaxCache

pytestmark = pytest.mark.unit
MAIN = main_event_markers(["Document one", "Document two"], [])



def ev(source: str, text: str) -> Evidence:
    meta = ArticleMeta(source=source, title=f"Document {source}", outlet=source.split(".")[0].title())
    return Evidence(sentence=Sentence(source, 0, text, 0, len(text), 0), meta=meta, score=0.9)


def _values(groups) -> dict[str, str]:
    return {c.evidence.sentence.source: c.value for g in groups for c in g.claims}


def test_the_subject_is_the_names_and_titles_the_question_contains() -> None:
    assert subject_stems('Who is the director of the film "Summer Lanterns"?') == {"summer", "lantern"}
    assert subject_stems("Where was Halvorsen Freight based?") == {"halvorsen", "freight"}
    assert subject_stems("Who claimed the attack?") == frozenset()


def test_sources_naming_different_directors_disagree(syntax: SyntaxCache) -> None:
    pool = [
        ev("a.md", "Summer Lanterns is a 1998 Danish drama film directed by Karl Mortensen."),
        ev("b.md", "Summer Lanterns, a drama film directed by Ingrid Solberg, opened in Oslo."),
        ev("c.md", "Ingrid Solberg directed Summer Lanterns with a small crew."),
        ev("d.md", "The festival also showed films by Peter Lund."),  # not about the subject
    ]
    groups = find_disagreements(pool, analyse('Who is the director of the film "Summer Lanterns"?'), MAIN, syntax)
    assert _values(groups) == {"a.md": "Karl Mortensen", "b.md": "Ingrid Solberg", "c.md": "Ingrid Solberg"}
    g = groups[0]
    assert g.disagrees and len(g.clusters) == 2


def test_one_name_from_several_sources_is_agreement(syntax: SyntaxCache) -> None:
    pool = [
        ev("a.md", "Glass Harbour is the second album by the Welsh band Marrow Lane."),
        ev("b.md", "Glass Harbour was recorded by Marrow Lane in 2004."),
    ]
    (g,) = find_disagreements(pool, analyse('Who recorded the album "Glass Harbour"?'), MAIN, syntax)
    assert not g.disagrees and {c.value for c in g.claims} == {"Marrow Lane"}


def test_a_place_question_takes_the_place_name_with_its_region(syntax: SyntaxCache) -> None:
    pool = [
        ev("a.md", "Halvorsen Freight was a cargo airline based in Tulsa, Oklahoma."),
        ev("b.md", "Halvorsen Freight was a cargo airline based in Fresno, California."),
    ]
    groups = find_disagreements(pool, analyse("Where was Halvorsen Freight based?"), MAIN, syntax)
    assert _values(groups) == {"a.md": "Tulsa, Oklahoma", "b.md": "Fresno, California"}
    assert groups[0].disagrees


def test_which_city_wants_a_place_name_not_a_venue(syntax: SyntaxCache) -> None:
    pool = [ev("a.md", "The Grand Norwick Theatre in Halby was attacked by gunmen on Monday.")]
    groups = find_disagreements(pool, analyse("In which city is the Grand Norwick Theatre?"), MAIN, syntax)
    assert _values(groups) == {"a.md": "Halby"}


def test_no_name_without_a_tie_to_the_question(syntax: SyntaxCache) -> None:
    """A name the sentence does not tie to what is asked (no asked word near it, no "by") is not an answer."""
    pool = [ev("a.md", "Summer Lanterns was shown in Oslo, where Peter Lund gave a talk about winter light that evening.")]
    assert find_names(pool, analyse('Who is the director of "Summer Lanterns"?'), syntax) == []
    assert find_disagreements(pool, analyse("Who claimed the attack?"), MAIN, syntax) == []


def test_the_name_by_introduces_comes_before_a_label_or_a_host(syntax: SyntaxCache) -> None:
    pool = [ev("a.md", "Direct Lines is a greatest hits album by the rock band Marrow Lane, released in 2013 by Harbour Records.")]
    assert _values(find_disagreements(pool, analyse('Who is the artist of the album "Direct Lines"?'), MAIN, syntax)) == {"a.md": "Marrow Lane"}


def test_a_name_that_shares_the_subjects_word_is_not_the_answer(syntax: SyntaxCache) -> None:
    """"Varan Empire" beside the "Varan invasion", "Interstate 80" beside "Interstate 235": other things, not answers."""
    pool = [ev("a.md", "The Varan invasion of Kelding was led by the Varan Empire under Tessaly."),
            ev("b.md", "Marten Vosk led the Varan invasion of Kelding for the Varan Empire.")]
    got = [c.value for c in find_names(pool, analyse("Who led the Varan invasion of Kelding?"), syntax)]
    assert "Empire" not in got and "Varan Empire" not in got
    road = [ev("c.md", "Interstate 235 is a highway in Iowa that meets Interstate 80 Highway.")]
    got = [c.value for c in find_names(road, analyse("Where is Interstate 235 located?"), syntax)]
    assert not any(v.startswith("80") for v in got)


def test_a_name_introduced_by_by_is_a_candidate_whatever_the_recogniser_labels_it(syntax: SyntaxCache) -> None:
    """Short band names are often missed or taken for places; "by" and the parse still say who made it,
    in a sentence using the question's word ("song") or saying what the subject is ("a single by")."""
    pool = [
        ev("a.md", 'Paper Moths "Paper Moths" is a song recorded by English girl group Larkspur.'),
        ev("b.md", '"Paper Moths" is a single by South Korean girl group Velvetine.'),
    ]
    groups = find_disagreements(pool, analyse('Who is the artist of the song "Paper Moths"?'), MAIN, syntax)
    assert _values(groups) == {"a.md": "Larkspur", "b.md": "Velvetine"}
    assert groups[0].disagrees


def test_a_question_with_its_wh_word_last_names_its_subject_first() -> None:
    assert subject_stems("2nd district is located in which city?") == {"2nd", "district"}
    assert analyse("2nd district is located in which city?").answer_type == "place"
    assert analyse("In which state is Marrow Lane School located?").answer_type == "place"
    assert analyse("What is the location of Marrow Lane School?").answer_type == "place"


def test_where_a_named_school_is_is_a_town_and_its_region_per_source(syntax: SyntaxCache) -> None:
    pool = [
        ev("a.md", "Marrow Lane School (Ohio) Marrow Lane School is a public high school located in Marrow, Ohio."),
        ev("b.md", "Marrow Lane School is a small school located in Dunmore, Kansas, near the river."),
        ev("c.md", "It belongs to the Dunmore County School District located in the west of the county."),
    ]
    groups = find_disagreements(pool, analyse("Where is Marrow Lane School located?"), MAIN, syntax)
    assert _values(groups) == {"a.md": "Marrow, Ohio", "b.md": "Dunmore, Kansas"}  # not a venue, not the district
    assert groups[0].disagrees
