"""Initialisms of names a sentence writes out, and questions that name their subject by one."""

from __future__ import annotations

import pytest

from bot.answering.nameties import mentions
from bot.text.acronyms import initialisms, spelt_out

pytestmark = pytest.mark.unit


def test_the_initials_of_a_name_s_content_words() -> None:
    text = "Rescue work is led by the Halby Emergency Service (HES), with the Port Authority of Velmar."
    assert initialisms(text) == {"hes", "pav"}
    assert spelt_out("hes", text) and spelt_out("pav", text)


def test_punctuation_and_a_capitalised_article_end_a_name() -> None:
    # "Aguadilla, Puerto Rico" is two names; a heading run into the lead ("... Halby The University ...") is two
    text = "University of Velmar at Halby The University of Velmar at Halby is located in Halby, North Velmar."
    assert initialisms(text) == {"uvh"}
    assert not spelt_out("hnv", text) and not spelt_out("uvhuvh", text)


def test_two_letters_or_a_word_are_no_initialism() -> None:
    assert not spelt_out("us", "the United States said")
    assert not spelt_out("hes", "Halby's emergency service said")  # lower-case words are no name


def test_a_subject_named_by_its_initials_is_mentioned_where_it_is_written_out() -> None:
    assert mentions("The University of Velmar at Halby is a state university.", frozenset({"uvh"}))
    assert not mentions("The University of Velmar is a state university.", frozenset({"uvh"}))
