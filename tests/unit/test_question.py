"""Question analysis: the kind of answer wanted, what it is about, what it counts."""

from __future__ import annotations

import pytest

from bot.answering.question import analyse


@pytest.mark.parametrize(
    ("question", "answer_type", "topic"),
    [
        ("How many people died?", "count", "killed"),
        ("death toll?", "count", "killed"),
        ("how mny people were kiled", "count", "killed"),
        ("How many were wounded in the blast?", "count", "injured"),
        ("How many suspects were arrested?", "count", "arrested"),
        ("When was the group founded?", "year", "founded"),
        ("In what year did the siege happen?", "year", None),
        ("When did the rebels take over the city?", "date", "takeover"),
        ("Where did the attack take place?", "place", "attack"),
        ("Why did they target the stadium?", "reason", None),
        ("What is Hamas?", "definition", None),
        ("What does NATO stand for?", "definition", None),
        ("Which group claimed the bombing?", "organisation", "claimed"),
    ],
)
def test_answer_type_and_topic(question: str, answer_type: str, topic: str | None) -> None:
    a = analyse(question)
    assert a.answer_type == answer_type
    if topic:
        assert topic in a.topics


def test_take_place_is_not_a_takeover() -> None:
    assert "takeover" not in analyse("Where did the attack take place?").topics


def test_counted_noun_classes() -> None:
    assert analyse("How many people died?").noun == ""
    assert analyse("How many children were killed?").noun == "children"
    assert analyse("How many gunmen were killed?").noun == "attackers"
    assert analyse("How many gunmen were arrested?").noun == ""


def test_event_terms_leave_out_what_is_counted_and_asked() -> None:
    a = analyse("How many people died in the 2021 Kabul airport bombing?")
    assert {"2021", "kabul", "airport"} <= set(a.event_terms)
    assert not {"die", "peopl", "mani"} & set(a.event_terms)


def test_what_qualifies_the_counted_noun_is_not_an_event() -> None:
    a = analyse("how many of them were US service members?")
    assert a.noun == "members" and not {"us", "servic"} & set(a.event_terms)
    b = analyse("How many ISIS members were killed by security forces in Dagestan?")
    assert b.noun == "members" and "dagestan" in b.event_terms and "isi" not in b.event_terms


def test_quantity_nouns_and_measures_want_a_figure() -> None:
    from bot.answering.question import analyse, wh_head

    assert wh_head("What was the population of Varno in 2016?") == "population"
    for q in ("What is the population of Varno?", "What was the magnitude of the quake?",
              "What was the turnout in the election?"):
        assert analyse(q).answer_type == "count", q
    assert analyse("Who is the artist of the album Blue Nights?").answer_type == "person"
    assert analyse("What is the capital of Norland?").answer_type != "count"


def test_a_quantity_noun_anywhere_in_the_wh_phrase_asks_for_a_figure() -> None:
    from bot.answering.question import analyse

    assert analyse("What is the estimated population of Varno?").answer_type == "count"
    assert analyse("What is the median age in Halby?").answer_type == "count"
    assert analyse("What is the engine size of the Tarsk T4?").answer_type == "count"
    assert analyse("What is the genre of the film Summer Lanterns?").answer_type != "count"
    assert analyse("When was Anna Price born?").answer_type == "date"  # a name is not a quantity noun


def test_words_inside_a_name_do_not_choose_what_is_asked() -> None:
    # "National" and "House" belong to names here: the question asks when each was formed or built
    assert analyse("When was the National Writers Association formed?").topics == ["founded"]
    assert analyse("When was the Ellery Stone House built?").topics == []


def test_the_question_keeps_its_own_word_for_each_topic() -> None:
    assert analyse("When did the storm hit the coast?").topic_words == {"attack": "storm"}
    assert analyse("In what year was the league established?").topic_words == {"founded": "established"}


def test_living_is_not_a_lost_life() -> None:
    # "lives" (lost lives) is in the death family as written; "live" is another word
    assert "killed" not in analyse("How many people live in Varno?").topics
    assert "killed" in analyse("How many lives did the flood claim?").topics


def test_a_terse_question_asks_for_what_its_first_word_names() -> None:
    assert analyse("magnitude?").answer_type == "count"
    assert analyse("population of Varno").answer_type == "count"
    assert analyse("date of the flood?").answer_type == "date"
    assert analyse("year of the flood?").answer_type == "year"
    assert analyse("Tell me about the flood").answer_type == "other"


def test_a_when_question_asks_for_a_date_whatever_quantity_word_it_uses() -> None:
    assert analyse("When did the regulator fine the bank?").answer_type == "date"  # "fine" is a verb here
    assert analyse("When did the death toll pass 100?").answer_type == "date"
    assert analyse("What was the fine?").answer_type == "count"


def test_an_english_word_is_never_taken_for_a_slip() -> None:
    # "depth" is one letter from "death", but a word of its own; "kiled" is a slip
    assert "killed" not in analyse("What was the depth of the quake?").topics
    assert "killed" in analyse("How many people were kiled?").topics
