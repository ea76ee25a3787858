"""Numeric expressions on invented sentences (earthquakes, data breaches, elections, populations)."""

from __future__ import annotations

import pytest

from bot.text.numbers import read_numbers, words_to_number

pytestmark = pytest.mark.unit


def one(text: str, kind: str = "count"):
    found = [n for n in read_numbers(text) if n.kind == kind]
    assert len(found) == 1, found
    return found[0]


def test_floor_with_thousands_separator() -> None:
    n = one("The quake killed more than 2,000 people in the valley.")
    assert (n.text, n.value, n.qualifier) == ("more than 2,000", 2000, "floor")


def test_magnitude_is_a_measure_not_a_count() -> None:
    nums = read_numbers("A 7.8-magnitude earthquake killed more than 2,000 people.")
    assert [(n.kind, n.value) for n in nums] == [("measure", 7.8), ("count", 2000)]
    assert nums[0].unit == "magnitude"
    assert one("The tremor measured magnitude 6.1 on the scale.", "measure").value == 6.1


def test_one_of_the_deadliest_is_not_a_count() -> None:
    assert read_numbers("It was one of the deadliest storms in the region's history.") == []
    assert read_numbers("The one that hit last year was weaker.") == []


def test_scale_words_and_abbreviations() -> None:
    assert one("Hackers exposed 1.5 million records.").value == 1_500_000
    assert one("The city of Varno has about 2.3bn residents, it claims.").value == 2_300_000_000
    n = one("The firm paid $4.5m to settle the breach.", "money")
    assert (n.text, n.value, n.unit) == ("$4.5m", 4_500_000, "$")


def test_number_words_through_text2num() -> None:
    assert words_to_number("one hundred and thirty-nine") == 139
    n = one("Rescuers found one hundred and thirty-nine survivors.")
    assert (n.text, n.value) == ("one hundred and thirty-nine", 139)
    assert one("Forty-two voters complained.").value == 42
    assert one("Nearly three thousand homes collapsed.").value == 3000


def test_ranges() -> None:
    n = one("Between 4,000 and 6,000 fighters joined the militia.")
    assert (n.value, n.qualifier, n.text) == ((4000, 6000), "range", "Between 4,000 and 6,000")
    assert one("Officials expect 10 to 12 seats to change hands.").value == (10, 12)
    assert one("Some 1 to 2 million people were displaced.").value == (1_000_000, 2_000_000)


def test_percentages_and_money() -> None:
    assert one("Turnout rose to 67.5% in the capital.", "percent").value == 67.5
    assert one("The party won 41 per cent of the vote.", "percent").value == 41
    n = one("The company lost up to 300 million euros.", "money")
    assert (n.value, n.qualifier, n.unit) == (300_000_000, "ceiling", "euros")


def test_a_fraction_is_a_share_read_as_a_percentage() -> None:
    n = one("Turnout was nearly two thirds of registered voters.", "percent")
    assert (n.text, n.value, n.qualifier) == ("nearly two thirds", 66.7, "approx")
    assert one("Three quarters of the homes had power.", "percent").value == 75
    assert read_numbers("The third game was cancelled.") == []  # an ordinal alone is no share


def test_qualifiers() -> None:
    assert one("Nearly 200 homes burned.").qualifier == "approx"
    assert one("Up to 50 passengers were aboard.").qualifier == "ceiling"
    assert one("At least six people were hurt.").value == 6


def test_vague_and_years_and_dates() -> None:
    n = one("Dozens of buildings fell.")
    assert (n.value, n.qualifier) == ((24, 99), "approx")
    assert one("The census of 2016 counted them.", "year").value == 2016
    assert [n.kind for n in read_numbers("The vote was held on 22 March.")] == []
    assert read_numbers("It was the 3rd tremor since the 1990s.") == []


def test_spans_are_exact() -> None:
    text = "Voters cast about 4.2 million ballots, up to 12% more than in 2019."
    for n in read_numbers(text):
        assert text[n.span[0] : n.span[1]] == n.text


def test_labels_are_not_counts() -> None:
    assert read_numbers("Pupils in Grade 10 wrote the report.") == []
    assert read_numbers("Flight 370 vanished over the sea.") == []
    assert one("About 300 voters queued.").value == 300
