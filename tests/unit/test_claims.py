"""Claims and disagreements on text the project has never seen (an earthquake, a bridge, a stadium).

The mechanism must be general: these tests use invented articles on other subjects, so a rule
written for the Crocus City Hall articles would not pass them.
"""

from __future__ import annotations

import pytest

from bot.answering.claims import find_disagreements, main_event_markers
from bot.answering.question import analyse
from bot.models import ArticleMeta, Evidence, Sentence


def ev(source: str, text: str, published: str | None = None, before: tuple[str, ...] = (), outlet: str = "") -> Evidence:
    meta = ArticleMeta(source=source, title=f"Report {source}", outlet=outlet or source.split(".")[0].title(),
                       published=published)
    return Evidence(sentence=Sentence(source, 0, text, 0, len(text), 0), meta=meta, score=0.9,
                    paragraph_before=before)


LEADS = [
    "A powerful earthquake struck the city of Norwick on Monday, toppling buildings.",
    "Rescuers in Norwick searched the rubble on Monday night after the earthquake.",
    "The earthquake that hit Norwick on Monday was the strongest in a century.",
]
MAIN = main_event_markers(LEADS, ["2023-02-07", "2023-02-08", "2023-02-20"])

QUAKE = [
    ev("a.md", "At least 2,000 people died when the earthquake struck Norwick on Monday.", "2023-02-07"),
    ev("b.md", "The death toll in Norwick has risen to more than 2,300 and continues to rise.", "2023-02-08"),
    ev("c.md", "Officials said 2,450 people were killed and 9,000 injured in Norwick.", "2023-02-20"),
    ev("d.md", "The 1998 earthquake in Halby killed nearly 500 people.", "2023-02-08"),
    ev("d.md", "Rescuers pulled survivors from the rubble in Norwick, where 2,450 were dead.", "2023-02-08"),
]


def _values(group) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for c in group.claims:
        out.setdefault(c.evidence.sentence.source, set()).add(c.value)
    return out


def test_death_toll_disagreement_lists_every_source_with_qualifiers() -> None:
    groups = find_disagreements(QUAKE, analyse("How many people died?"), MAIN)
    g = groups[0]
    assert g.disagrees and g.topic == "killed"
    vals = _values(g)
    assert vals["a.md"] == {"At least 2,000 people"}
    assert vals["b.md"] == {"more than 2,300"}
    assert vals["c.md"] == {"2,450 people"} and vals["d.md"] == {"2,450"}
    quals = {c.value: c.qualifier for c in g.claims}
    assert quals["At least 2,000 people"] == "floor" and quals["more than 2,300"] == "rising"
    assert "later reports give the higher figures" in g.explanation
    assert "still rising" in g.explanation


def test_a_figure_of_another_event_is_kept_apart() -> None:
    g = find_disagreements(QUAKE, analyse("How many people died?"), MAIN)[0]
    assert all("500" not in c.value for c in g.claims)
    named = find_disagreements(QUAKE, analyse("How many died in the 1998 Halby earthquake?"), MAIN)
    assert [c.value for c in named[0].claims] == ["nearly 500 people"]
    assert not named[0].disagrees


def test_injured_figure_is_not_taken_for_a_death_toll() -> None:
    injured = find_disagreements(QUAKE, analyse("and how many were injured?"), MAIN)
    assert [c.value for c in injured[0].claims] == ["9,000"]
    deaths = find_disagreements(QUAKE, analyse("death toll?"), MAIN)[0]
    assert "9,000" not in {c.value for c in deaths.claims}


def test_agreement_is_not_a_disagreement() -> None:
    same = [ev("a.md", "The bridge was opened in 1932 by the mayor.", "2020-01-01"),
            ev("b.md", "Opened in 1932, the bridge carries 40,000 cars a day.", "2021-01-01")]
    g = find_disagreements(same, analyse("When was the bridge opened?"), main_event_markers(["The bridge"], []))
    # one value from two sources: an agreement, said as such, not a disagreement and not nothing
    assert len(g) == 1 and not g[0].disagrees
    assert sorted((c.value, c.evidence.sentence.source) for c in g[0].claims) == [("1932", "a.md"), ("1932", "b.md")]
    founded = [ev("a.md", "The club was founded in 1878 by railway workers.", "2020-01-01"),
               ev("b.md", "Founded in 1880, the club moved to its stadium in 1910.", "2021-01-01"),
               ev("c.md", "The club was formed in 1878.", "2022-01-01")]
    g = find_disagreements(founded, analyse("When was the club founded?"), main_event_markers(["The club"], []))[0]
    assert g.disagrees
    assert {c.value for c in g.claims} == {"1878", "1880"}
    assert {c.evidence.sentence.source for c in g.claims} == {"a.md", "b.md", "c.md"}


def test_venue_names_disagree_but_a_shorter_form_of_the_same_name_agrees() -> None:
    ev_ = [ev("a.md", "Gunmen stormed the Riverside Arena during the final on Monday.", "2023-02-07"),
           ev("b.md", "The attack on Riverside Arena lasted an hour.", "2023-02-08"),
           ev("c.md", "Gunmen stormed the Palace theatre, a famous venue, during the attack.", "2023-02-09")]
    g = find_disagreements(ev_, analyse("Where did the attack take place?"), MAIN)[0]
    assert g.topic == "venue" and g.disagrees
    assert [len(cl) for cl in g.clusters] == [2, 1]


def test_parts_of_one_figure_are_one_value_and_vague_words_are_ranges() -> None:
    parts = [ev("a.md", "The blast killed 12 soldiers as well as 30 civilians in Norwick.", "2023-02-07"),
             ev("b.md", "In Norwick the blast killed 30 civilians and 12 soldiers.", "2023-02-08"),
             ev("c.md", "The blast in Norwick killed dozens of people.", "2023-02-09")]
    g = find_disagreements(parts, analyse("How many people died in the blast?"), MAIN)[0]
    # 12 + 30 in both: one value; "dozens" is a value of its own, shown as approximate
    assert sorted(len(cl) for cl in g.clusters) == [1, 2] and g.disagrees
    pair = next(cl for cl in g.clusters if len(cl) == 2)
    assert {c.value for c in pair} == {"12 soldiers as well as 30 civilians", "30 civilians and 12 soldiers"}
    assert "approximate" in g.explanation


def test_counts_of_something_specific_are_not_the_general_toll() -> None:
    ev_ = [ev("a.md", "Police said they had killed two gunmen in a raid in Norwick.", "2023-02-07"),
           ev("b.md", "At least 40 people died in Norwick.", "2023-02-08")]
    general = find_disagreements(ev_, analyse("How many people died?"), MAIN)
    assert [c.value for g in general for c in g.claims] == ["At least 40 people"]
    children = find_disagreements(ev_, analyse("How many children died?"), MAIN)
    assert children == []


def test_years_and_dates_are_not_counts() -> None:
    ev_ = [ev("a.md", "On March 3, 2023, the dam in Norwick failed and 14 people were killed over 48 hours.", "2023-03-04")]
    g = find_disagreements(ev_, analyse("How many people were killed?"), main_event_markers(["The dam in Norwick failed on March 3"], ["2023-03-04"]))
    assert [c.value for c in g[0].claims] == ["14 people"]


def test_duration_is_counted_back_from_publication() -> None:
    ev_ = [ev("a.md", "The club has existed for nine years.", "2024-03-26"),
           ev("b.md", "The club was founded in 2015.", "2024-03-20")]
    g = find_disagreements(ev_, analyse("When was the club founded?"), main_event_markers(["The club"], []))[0]
    assert not g.disagrees and {c.value for c in g.claims} == {"existed for nine years", "2015"}


def test_questions_that_want_no_value_make_no_claims() -> None:
    assert find_disagreements(QUAKE, analyse("Why did the buildings collapse?"), MAIN) == []


def test_periods_are_one_value_and_the_asked_event_picks_its_year() -> None:
    pool = [
        ev("a.md", "The floods of the 1950s and early 1960s in Halby destroyed the old harbour.", "2023-02-08"),
        ev("b.md", "Halby was flooded repeatedly in the 1950s.", "2023-02-08"),
        ev("c.md", "The Norwick dam failed in 1971, and the bridge at Halby collapsed in 1988.", "2023-02-09"),
    ]
    floods = find_disagreements(pool, analyse("When were the Halby floods?"), MAIN)
    values = {c.value for g in floods for c in g.claims}
    assert "1950s and early 1960s" in values and not any(g.disagrees for g in floods)
    dam = find_disagreements(pool, analyse("In which year did the Norwick dam fail?"), MAIN)
    assert {c.value for g in dam for c in g.claims} == {"1971"}


def test_a_place_that_acts_is_not_where_it_happened() -> None:
    pool = [
        ev("a.md", "Gunmen stormed the Grand Norwick Theatre on Monday evening.", "2023-02-07"),
        ev("b.md", "The U.S. Embassy in Norwick has warned travellers to stay away after the attack.", "2023-02-08"),
        ev("c.md", "The attack on the Norwick Opera House began shortly after eight.", "2023-02-08"),
    ]
    groups = find_disagreements(pool, analyse("Where did the attack take place?"), MAIN)
    values = {c.value for g in groups for c in g.claims}
    assert {"Grand Norwick Theatre", "Norwick Opera House"} <= values
    assert not any("Embassy" in v for v in values)


def test_year_ranges_and_single_years_sort_together() -> None:
    """A year question whose sources give a span of years and a single year (a norm of two parts) is grouped, not a crash."""
    pool = [
        ev("a.md", "The regiment was raised from 1853 to 1855 in the northern counties.", "2023-02-07"),
        ev("b.md", "The regiment was raised in 1861 by a local landowner.", "2023-02-08"),
    ]
    groups = find_disagreements(pool, analyse("In which year was the regiment raised?"), main_event_markers(["The regiment"], []))
    values = {c.value for g in groups for c in g.claims}
    assert {"from 1853 to 1855", "1861"} <= values
    assert groups[0].disagrees


def test_a_source_counting_a_kind_of_people_gives_that_count_for_another_event() -> None:
    """"the death of two employees" is that source's toll for an event mentioned in passing; gunmen stay apart."""
    pool = [
        ev("a.md", "In 2019 a blast at the Halby depot led to the death of two employees.", "2023-02-07"),
        ev("b.md", "Six people were killed in 2019 in the blast at the Halby depot.", "2023-02-08"),
        ev("c.md", "In 2019 police killed two gunmen near the Halby depot.", "2023-02-08"),
    ]
    q = analyse("How many people died in the blast at the Halby depot?")
    g = find_disagreements(pool, q, MAIN)[0]
    assert g.disagrees and {c.value for c in g.claims} == {"two employees", "Six people"}
    # the main event's toll is given in general figures: a count of a kind of people stays apart there
    main = [ev("a.md", "The earthquake in Norwick killed two employees of the bank.", "2023-02-07"),
            ev("b.md", "At least 2,000 people died in Norwick.", "2023-02-08")]
    g = find_disagreements(main, analyse("How many people died?"), MAIN)[0]
    assert [c.value for c in g.claims] == ["At least 2,000 people"]


def test_years_before_1800_are_years_and_counts_of_that_size_are_not() -> None:
    """"died in 1786" and "(1105)" are years; "1500 soldiers" counts soldiers, so it is never a year."""
    from bot.text.dates import find_dates
    from bot.text.values import find_years

    assert [v.norm[0] for v in find_dates("The abbot died in 1786 at Halby.", None)] == [1786]
    assert [v.norm[0] for v in find_dates("The siege of Norwick (1105) lasted a month.", None)] == [1105]
    assert [v.norm[0] for v in find_dates("The chapel was begun in the 1250s.", None)] == [1250]
    assert find_dates("The garrison had 1500 soldiers.", None) == []
    assert [v.norm for v in find_years("The fort was built from 1642 to 1648 by the duke.", {"asked"}, None,
                                       frozenset({"built"}))] == [(1642, 1648)]
    assert find_years("The duke built it with 1500 soldiers.", {"asked"}, None, frozenset({"built"})) == []
    pool = [ev("a.md", "The abbey at Halby was founded in 1132 by monks.", "2023-02-07"),
            ev("b.md", "The abbey at Halby was founded in 1140.", "2023-02-08")]
    groups = find_disagreements(pool, analyse("In which year was the abbey at Halby founded?"), main_event_markers(["The abbey"], []))
    assert {c.value for g in groups for c in g.claims} == {"1132", "1140"} and groups[0].disagrees


def test_dates_are_labelled_with_the_question_s_word_never_a_default_event() -> None:
    from bot.answering.claims import topic_label
    from bot.prompts import prompts

    p = prompts()
    assert topic_label(p, "founded", plural=True, kind="year", word="established") == "years for \u201cestablished\u201d"
    assert topic_label(p, "attack", plural=False, kind="date", word="storm") == "the date for \u201cstorm\u201d"
    # no word of the question names the family: the label says only that it is what was asked
    assert topic_label(p, "founded", plural=True, kind="year") == "years for what was asked"
    assert topic_label(p, "killed", plural=False, kind="count") == "the death toll"


@pytest.mark.parametrize(
    ("sentence", "text", "first", "last"),
    [
        ("The mill was rebuilt in 1810-11 by its owner.", "1810-11", 1810, 1811),
        ("The chapel was rebuilt in 1798–1800 by its owner.", "1798–1800", 1798, 1800),
        ("He was rebuilt as a player in the 2008-09 season.", "2008-09", 2008, 2009),
    ],
)
def test_a_dashed_span_of_years_is_one_value_with_both_ends(sentence: str, text: str, first: int, last: int) -> None:
    from bot.text.dates import find_dates
    from bot.text.values import find_years

    years = find_years(sentence, {"asked"}, None, frozenset({"rebuilt"}))
    assert [(v.text, v.norm, v.qualifier) for v in years] == [(text, (first, last), "range")]
    dates = find_dates(sentence, None)
    assert [(v.text, v.norm[0], v.qualifier) for v in dates] == [(text, first, "range")]


def test_an_iso_date_and_a_backwards_pair_are_no_span() -> None:
    from bot.text.dates import find_dates

    assert [v.text for v in find_dates("Recorded on 1862-01-01 in the register.", None)] == ["1862"]
    assert [v.text for v in find_dates("Scores were 1990-85 that night.", None)] == ["1990"]


def test_a_date_keeps_its_approximation_and_a_year_its_whole_date() -> None:
    from bot.text.dates import find_dates, with_full_dates
    from bot.text.values import find_years

    (d,) = find_dates("The barn was built about 1898 by a farmer.", None)
    assert (d.text, d.qualifier) == ("about 1898", "approx")
    (c,) = find_dates("The chapel was completed circa 1250.", None)
    assert (c.text, c.qualifier) == ("circa 1250", "approx")
    text = "The corps was established on 21 December 1906 by the navy."
    (y,) = with_full_dates(text, find_years(text, {"founded"}, None, None))
    assert (y.text, y.norm) == ("21 December 1906", 1906)  # compared by its year, shown as written
    text = "It was founded in September 2010, and rebuilt from 2012 to 2014."
    assert [(v.text, v.norm) for v in with_full_dates(text, find_years(text, {"founded"}, None, None))][0] == ("September 2010", 2010)


def test_a_date_without_its_year_takes_its_report_s_year_when_compared() -> None:
    from bot.answering.claims import group_claims
    from bot.models import Claim

    def claim(source: str, value: str, norm: tuple, published: str) -> Claim:
        e = ev(source, f"It struck on {value}.", published)
        return Claim(kind="date", value=value, norm=norm, qualifier="exact", topic="asked", evidence=e, span=(13, 13 + len(value)))

    oct14 = claim("a.md", "14 October", (None, 10, 14, None), "2031-10-15")
    friday = claim("b.md", "Friday", (None, None, None, 5), "2031-10-16")
    (same,) = group_claims([oct14, friday])
    assert not same.disagrees  # a weekday says nothing against a date
    (apart,) = group_claims([oct14, claim("c.md", "1957", (1957, None, None, None), "2031-10-20")])
    assert apart.disagrees  # "14 October" in a 2031 report is not in 1957


def test_when_dates_that_share_nothing_are_not_one_date() -> None:
    from bot.answering.when import _compatible

    assert _compatible((1677, None, None, None), (1677, 2, 9, None))
    assert not _compatible((1957, None, None, None), (None, 10, 13, None))


def test_a_word_that_takes_a_value_only_when_asked_leaves_it_to_the_question_s_words() -> None:
    from bot.text.values import find_years

    # "Succeeded by" in a list of office holders stands next to the term's years; its family ("became")
    # takes them only when the question asks when someone became something
    text = "Preceded by Ada Lind Mayor of Halby 1884–1886 Succeeded by Tom Berg"
    assert [v.text for v in find_years(text, {"asked"}, None, frozenset({"mayor"}))] == ["1884–1886"]
    assert [v.text for v in find_years(text, {"became"}, None, None)] == ["1884–1886"]
