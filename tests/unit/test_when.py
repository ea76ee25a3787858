"""When-questions on invented articles: the date each source ties to what is asked, and life dates after a name."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.answering.claims import find_disagreements, main_event_markers
from bot.answering.question import analyse
from bot.answering.lifedates import life_dates, life_role
from bot.models import ArticleMeta, Evidence, Sentence
from bot.text.syntax import SyntaxCache

pytestmark = pytest.mark.unit
MAIN = main_event_markers(["Document one", "Document two"], [])


def ev(source: str, text: str, idx: int = 0) -> Evidence:
    meta = ArticleMeta(source=source, title=f"Document {source}", outlet=source.split(".")[0].title())
    return Evidence(sentence=Sentence(source, idx, text, 0, len(text), 0), meta=meta, score=0.9)


def roles(text: str) -> list[tuple[str, str]]:
    return [(v.text, r) for v, r in life_dates(text)]


def test_life_dates_after_a_name_are_a_birth_and_a_death() -> None:
    assert roles("Ada Voss (4 March 1951 – 2 May 2019) was a Tallinn architect.") == [
        ("4 March 1951", "start"), ("2 May 2019", "end")]
    assert roles("Her teacher Ivo Lind (1849–1930) built the hall.") == [("1849", "start"), ("1930", "end")]
    assert roles("Ada Voss (19 April 1918 in Orlen – 30 April 1984 in Tarsk) was a composer.") == [
        ("19 April 1918", "start"), ("30 April 1984", "end")]
    assert roles("Ivo Lind (, born 11 June 1955) is a Valdor politician.") == [("11 June 1955", "start")]
    assert roles("Ivo Lind (died 1677) was a lawyer.") == [("1677", "end")]
    # a period in office, or dates in running text, are not a life
    assert roles("Ivo Lind (in office 1990–1994) was mayor.") == []
    assert roles("The bridge was open from 1990 to 1994.") == []


def test_what_a_question_asks_of_a_life() -> None:
    assert life_role(frozenset({"bear"})) == "start"
    assert life_role(frozenset({"die"})) == "end"
    assert life_role(frozenset({"build"})) == ""


def test_each_source_gives_the_birth_date_its_subject_s_life_dates_give(syntax: SyntaxCache) -> None:
    pool = [
        ev("a.md", "Ada Voss (4 March 1951 – 2 May 2019) was a Tallinn architect.", idx=0),
        ev("a.md", "In 1975 she moved to Orlen, where her son was born in 1980.", idx=3),
        ev("b.md", "Ada Voss (1890–1960) was a Valdor painter.", idx=0),
        ev("b.md", "Ada Voss was born in Tarsk on 12 June 1890.", idx=2),
    ]
    (g,) = find_disagreements(pool, analyse("When was Ada Voss born?"), MAIN, syntax)
    values = {c.evidence.sentence.source: c.value for c in g.claims}
    assert values == {"a.md": "4 March 1951", "b.md": "12 June 1890"}  # b: the more precise of its compatible dates
    assert g.disagrees


def test_the_date_the_parse_puts_under_the_asked_verb_answers(syntax: SyntaxCache) -> None:
    pool = [
        ev("a.md", "The Lind House was built in 1829 by a merchant from Orlen.", idx=0),
        ev("a.md", "It was restored in 1990 and listed in 1995.", idx=4),
        ev("b.md", "The Lind House, restored in 1985, was built in 1831.", idx=0),
    ]
    (g,) = find_disagreements(pool, analyse("When was the Lind House built?"), MAIN, syntax)
    assert sorted(c.value for c in g.claims) == ["1829", "1831"]


def test_a_date_noun_in_the_wh_phrase_asks_for_a_date() -> None:
    assert analyse("What is the birth date of Ada Voss?").answer_type == "date"
    assert analyse("What is the founding date of the Lind Society?").answer_type == "date"


def test_a_weekday_inside_a_title_names_no_day() -> None:
    from bot.text.dates import find_dates

    assert [v.text for v in find_dates("The Lazy Sunday revue opened in 2016.", None)] == ["2016"]
    assert [v.text for v in find_dates("The revue opened on Sunday.", None)] == ["Sunday"]


def test_a_source_without_a_tied_date_gives_the_date_of_its_sentence_naming_the_subject(syntax: SyntaxCache) -> None:
    pool = [
        ev("a.md", "Valdor passed a similar law in 1884, and Orlen in 1889.", idx=9),
        ev("b.md", "The Lind Property Act 1870 was an Act of the Valdor parliament on wages.", idx=0),
        ev("b.md", "A first draft had been discussed in 1861 without a vote.", idx=3),
    ]
    (g,) = find_disagreements(pool, analyse("What year was the Lind Property Act passed?"), MAIN, syntax)
    assert {c.evidence.sentence.source: c.value for c in g.claims} == {"a.md": "1884", "b.md": "1870"}


def test_the_source_s_sentence_naming_the_subject_beats_a_date_next_to_the_verb_in_one_that_names_none(
        syntax: SyntaxCache) -> None:
    # c.md's nearest "passed" is another law's; its lead names the Act with its year. A law "enacted" was passed.
    pool = [
        ev("b.md", "The Lind Property Act 1870 was an Act of the Valdor parliament on wages.", idx=0),
        ev("c.md", "The Lind Property Act 1882 was an Act of the Valdor parliament on estates.", idx=0),
        ev("c.md", "For example, Orlen passed legislation in 1884, and Tarsk in 1889.", idx=6),
        ev("d.md", "The Lind Property Act was enacted on April 7, 1848, as part of a wider reform.", idx=2),
        # a day after a name is no year the name carries: a timetable
        ev("e.md", "Lind Property Act pages: Exams 28 Apr 2025 , Trips 29 Apr 2025 , Lind Property Act quiz.", idx=0),
    ]
    (g,) = find_disagreements(pool, analyse("What year was the Lind Property Act passed?"), MAIN, syntax)
    assert {c.evidence.sentence.source: c.value for c in g.claims} == {"b.md": "1870", "c.md": "1882", "d.md": "April 7, 1848"}


def test_a_source_saying_the_asked_action_was_done_again_gives_both_dates(syntax: SyntaxCache) -> None:
    pool = [
        ev("a.md", "The Lind North electoral district was first created in 1959 from two rural ridings.", idx=0),
        replace(ev("a.md", "It was abolished in 1963, and then re-created in 2010.", idx=1),
                paragraph_before=("The Lind North electoral district was first created in 1959 from two rural ridings.",)),
        ev("b.md", "The Lind North electoral district was created in 1913.", idx=0),
        ev("b.md", "It was renamed in 1921.", idx=1),  # done to it, not done again
    ]
    (g,) = find_disagreements(pool, analyse("When was the Lind North electoral district created?"), MAIN, syntax)
    assert sorted((c.evidence.sentence.source, c.value) for c in g.claims) == [("a.md", "1959"), ("a.md", "2010"), ("b.md", "1913")]


def test_an_abbreviation_does_not_end_the_question() -> None:
    from bot.answering.engine import last_question

    assert last_question("When was Halby F.C. founded?") == "When was Halby F.C. founded?"
    assert last_question("Where is St. Olaf College?") == "Where is St. Olaf College?"
    assert last_question("New source added: a report. How many died?") == "How many died?"


def test_an_event_s_date_takes_no_date_from_another_event_naming_the_same_place(syntax: SyntaxCache) -> None:
    """A sentence naming the subject but no tied date gives its date for a thing's founding, not for when an
    event (a setting family: "the bombing") happened; that is the event logic's to judge."""
    from bot.answering.claims import extract_claims
    from bot.answering.when import answering_dates

    pool = [ev("b.md", "In 2022, the Lind Society claimed a deadly attack on the embassy in Tarsk.", idx=0)]
    event = analyse("In which year did the Lind Society carry out the bombing at Tarsk airport?")
    assert answering_dates(extract_claims(pool, event, MAIN, syntax), [], pool, event, syntax) == []
    pool = [ev("b.md", "The Lind Society of Tarsk was formed when its teachers met in 1921.", idx=0)]
    founding = analyse("In which year was the Lind Society of Tarsk formed?")
    found = extract_claims(pool, founding, MAIN, syntax)
    assert [c.value for c in answering_dates(found, [], pool, founding, syntax)] == ["1921"]


def test_a_verb_alone_does_not_tie_a_date_to_the_question(syntax: SyntaxCache) -> None:
    """"conducted attacks ... in 2020" does not answer when someone was seen conducting surveillance."""
    from bot.answering.claims import extract_claims
    from bot.answering.when import answering_dates

    pool = [ev("a.md", "In Valdor, it has conducted several attacks, the latest occurring in 2020.")]
    analysis = analyse("When was the suspect seen conducting surveillance of the port?")
    found = extract_claims(pool, analysis, MAIN, syntax)
    assert answering_dates(found, [], pool, analysis, syntax) == []


def test_a_date_tied_to_the_verb_in_a_report_of_another_event_is_not_the_asked_event_s(syntax: SyntaxCache) -> None:
    main = main_event_markers(["Gunmen attacked the Halby Arena in Norwick on 3 May 2030.",
                               "The attack on the Halby Arena in Norwick killed 40."], ["2030-05-05", "2030-05-06"])
    pool = [
        ev("a.md", "The gunmen attacked the Halby Arena in Norwick on Friday, 3 May.", idx=0),
        ev("b.md", "The same group attacked the Danish embassy in Tarsk in 2027.", idx=4),
        ev("c.md", "The attack on the Halby Arena began on Friday evening.", idx=1),
    ]
    groups = find_disagreements(pool, analyse("When did the attack on the arena take place?"), main, syntax)
    values = {c.value for g in groups for c in g.claims}
    assert "2027" not in values and values & {"3 May", "Friday"}


def test_a_date_the_parse_ties_to_the_asked_verb_answers_however_far_from_it(syntax: SyntaxCache) -> None:
    pool = [
        ev("a.md", "The school was founded as Lind County High School for Boys (LCHS) in 1912 by the town council.", idx=3),
        ev("b.md", "Lind Grammar School was established in 1850.", idx=0),
    ]
    (g,) = find_disagreements(pool, analyse("When was Lind Grammar School established?"), MAIN, syntax)
    assert {c.evidence.sentence.source: c.value for c in g.claims} == {"a.md": "1912", "b.md": "1850"}
    assert g.disagrees


def test_a_pronoun_after_a_sentence_naming_the_subject_speaks_of_it(syntax: SyntaxCache) -> None:
    def after(source: str, before: str, text: str) -> Evidence:
        meta = ArticleMeta(source=source, title=f"Document {source}", outlet=source.split(".")[0].title())
        return Evidence(sentence=Sentence(source, 1, text, 0, len(text), 0), meta=meta, score=0.9, paragraph_before=(before,))

    pool = [
        after("a.md", "The Lind Rowing Club is a rowing club in Orlen.", "It was established in 1897."),
        after("b.md", "The Orlen Chess Society meets on Fridays.", "It was established in 1950."),
        ev("c.md", "The Lind Rowing Club was founded in 1878 by students.", idx=0),
    ]
    (g,) = find_disagreements(pool, analyse("When was the Lind Rowing Club founded?"), MAIN, syntax)
    assert {c.evidence.sentence.source: c.value for c in g.claims} == {"a.md": "1897", "c.md": "1878"}


def test_the_main_event_s_date_asked_by_its_common_noun_leaves_another_event_s_year_out(syntax: SyntaxCache) -> None:
    main = main_event_markers(["A flood struck Varno on 3 May 2030.", "The Varno flood of 3 May 2030 left 40 dead."],
                              ["2030-05-04", "2030-05-06"])
    main["common"] = frozenset({"flood", "varno"})  # the noun the titles share (summary.py)
    pool = [
        ev("a.md", "The flood struck Varno early on Friday, 3 May.", idx=0),
        ev("b.md", "The last great flood struck the valley in 1957, and engineers had warned of another.", idx=6),
    ]
    groups = find_disagreements(pool, analyse("When did the flood hit Varno?"), main, syntax)
    values = {c.value for g in groups for c in g.claims}
    assert "1957" not in values and values & {"3 May", "Friday"}
    # words that say which flood ("the last great flood") ask about another one
    groups = find_disagreements(pool, analyse("When did the last great flood strike the valley?"), main, syntax)
    assert "1957" in {c.value for g in groups for c in g.claims}


def test_years_with_an_era_and_seasons_are_dates() -> None:
    from bot.text.dates import find_dates
    from bot.text.values import ASKED, find_years

    def dates(text: str) -> list[tuple[str, object]]:
        return [(v.text, v.norm[0]) for v in find_dates(text, None)]  # type: ignore[index]

    assert dates("Marcus Orlo was elected consul in the year 148 BC.") == [("148 BC", -148)]
    assert dates("The villa was buried in AD 79; its mosaic dates from 12 B.C.") == [("AD 79", 79), ("12 B.C.", -12)]
    assert dates("The school opened with two grades in the fall of 2010.") == [("fall of 2010", 2010)]
    assert dates("An ad ran in 1999.") == [("1999", 1999)]  # "ad" in lower case is a word, not an era
    years = find_years("He was consul in 112 BCE, and again in 108 BCE.", {ASKED}, None, frozenset({"consul"}))
    assert [(v.text, v.norm) for v in years] == [("112 BCE", -112), ("108 BCE", -108)]


def test_sources_giving_years_before_christ_disagree(syntax: SyntaxCache) -> None:
    pool = [ev("a.md", "Marcus Orlo was elected consul in 148 BC."),
            ev("b.md", "Marcus Orlo (consul 112 BC) was elected consul in 112 BC with Drusus.")]
    (g,) = find_disagreements(pool, analyse("What year was Marcus Orlo elected consul?"), MAIN, syntax)
    assert {c.evidence.sentence.source: c.value for c in g.claims} == {"a.md": "148 BC", "b.md": "112 BC"}
    assert g.disagrees


def test_a_date_of_the_event_s_own_verb_answers_whatever_verb_the_question_uses(syntax: SyntaxCache) -> None:
    # "when did the flood happen": the flood's own verb ("struck", "hit") carries its date, however far
    pool = [ev("a.md", "The flood that swept through the lower Varno valley after two days of rain on 3 May killed 40 people."),
            ev("b.md", "A flood hit the valley of the Varno river and its three largest towns early on 4 May.")]
    (g,) = find_disagreements(pool, analyse("When did the flood happen?"), MAIN, syntax)
    assert {c.evidence.sentence.source: c.value for c in g.claims} == {"a.md": "3 May", "b.md": "4 May"}
    assert g.disagrees


def test_a_month_alone_is_a_date_after_a_preposition_of_time() -> None:
    from bot.text.dates import find_dates

    def dates(text: str) -> list[tuple[str, object]]:
        return [(v.text, v.norm) for v in find_dates(text, None)]

    assert dates("The director resigned in April.") == [("April", (None, 4, None, None))]
    assert dates("She may resign in May.") == [("May", (None, 5, None, None))]  # the verb "may" is no month
    assert dates("Protesters march on the square.") == []


def test_an_abbreviated_month_s_full_stop_stays_inside_the_date() -> None:
    from bot.text.dates import find_dates

    def dates(text: str) -> list[tuple[str, object]]:
        return [(v.text, v.norm) for v in find_dates(text, None)]

    assert dates("He was made a baronet on 11 Nov. 1808 by the king.") == [("11 Nov. 1808", (1808, 11, 11, None))]
    assert dates("The bridge closed in Feb. 2001.") == [("Feb. 2001", (2001, 2, None, None))]
    assert dates("The bridge closed on 3 May, 2001.") == [("3 May, 2001", (2001, 5, 3, None))]


def test_a_source_s_first_dated_sentence_answers_only_if_its_date_is_not_another_action_s(syntax: SyntaxCache) -> None:
    from bot.answering.claims import extract_claims
    from bot.answering.when import answering_dates

    # a.md ties a date to the forming; b.md's only dated sentence naming the group is about a claimed attack,
    # which the parse makes the group's (its doer's): it does not answer a question with a verb of its own
    pool = [ev("a.md", "The Lind group was formed in 1921.", idx=0),
            ev("b.md", "In 2022, the Lind group claimed a deadly attack on the embassy.", idx=0)]
    founding = analyse("When was the Lind group formed?")
    found = extract_claims(pool, founding, MAIN, syntax)
    assert [c.value for c in answering_dates(found, [], pool, founding, syntax)] == ["1921"]


def test_a_date_of_someone_named_through_the_subject_is_not_the_subject_s(syntax: SyntaxCache) -> None:
    # b.md names Tomas Verhoek in a sentence about his father's death, which comes first and names more of
    # him; his own death is in a later sentence
    pool = [ev("a.md", "Tomas Verhoek died on 3 May 1787 in Halby.", idx=0),
            ev("b.md", "Tomas Verhoek's father died in 1741, leaving his son Tomas the farm.", idx=0),
            ev("b.md", "Verhoek died on 12 June 1790 at the age of 61.", idx=4)]
    (g,) = find_disagreements(pool, analyse("When did Tomas Verhoek die?"), MAIN, syntax)
    assert {c.evidence.sentence.source: c.value for c in g.claims} == {"a.md": "3 May 1787", "b.md": "12 June 1790"}
    # asked of the father, the father's date answers
    (g,) = find_disagreements(pool, analyse("When did Tomas Verhoek's father die?"), MAIN, syntax)
    assert "1741" in {c.value for c in g.claims}


def test_taking_a_title_is_becoming_it_and_a_school_that_opened_was_established(syntax: SyntaxCache) -> None:
    # the lexicon's near-synonyms: succeeding to a title is becoming it; opening a school is establishing it
    pool = [ev("a.md", "Tomas Verhoek succeeded his uncle as Count of Halby in 1872.", idx=0),
            ev("b.md", "Tomas Verhoek became Count of Halby in 1874 and married in 1880.", idx=0)]
    (g,) = find_disagreements(pool, analyse("When did Tomas Verhoek become the Count of Halby?"), MAIN, syntax)
    assert {c.evidence.sentence.source: c.value for c in g.claims} == {"a.md": "1872", "b.md": "1874"}
    pool = [ev("a.md", "Lind Creek High School opened with just freshmen in the fall of 2010.", idx=0),
            ev("b.md", "Lind Creek High School was established in September 2010.", idx=0)]
    (g,) = find_disagreements(pool, analyse("When was Lind Creek High School established?"), MAIN, syntax)
    assert {c.evidence.sentence.source: c.value for c in g.claims} == {"a.md": "fall of 2010", "b.md": "September 2010"}


def test_a_sentence_naming_the_asked_noun_by_a_near_synonym_speaks_of_it(syntax: SyntaxCache) -> None:
    # the lexicon's "election" family: "the vote held on 13 June" is the election's date
    pool = [ev("a.md", "Supporters of Karl Dunn said that the presidential vote held on 13 June had been marred by fraud."),
            ev("b.md", "The election was held on 14 June, officials said.")]
    (g,) = find_disagreements(pool, analyse("When was the election held?"), MAIN, syntax)
    assert {c.evidence.sentence.source: c.value for c in g.claims} == {"a.md": "13 June", "b.md": "14 June"}


def test_a_weekday_of_another_action_does_not_answer(syntax: SyntaxCache) -> None:
    pool = [ev("a.md", "A fire swept through the Lind plant in Halby on Sunday night, killing nine workers."),
            ev("b.md", "The Lind plant in Halby was built in 1987 and expanded in 2009.")]
    (g,) = find_disagreements(pool, analyse("When was the Lind plant built?"), MAIN, syntax)
    assert {c.evidence.sentence.source: c.value for c in g.claims} == {"b.md": "1987"}
    pool = [ev("a.md", "Supporters of Karl Dunn said on Tuesday that the vote had been rigged."),
            ev("b.md", "Karl Dunn conceded defeat on 17 June in a televised statement.")]
    (g,) = find_disagreements(pool, analyse("When did Karl Dunn concede?"), MAIN, syntax)
    assert {c.evidence.sentence.source: c.value for c in g.claims} == {"b.md": "17 June"}


def test_an_earlier_occasion_answers_only_a_question_about_it(syntax: SyntaxCache) -> None:
    pool = [ev("a.md", "Turnout was 61 percent, slightly higher than at the last presidential election in 2028."),
            ev("b.md", "The presidential election was held on 13 June, officials said.")]
    (g,) = find_disagreements(pool, analyse("When was the presidential election held?"), MAIN, syntax)
    assert {c.evidence.sentence.source: c.value for c in g.claims} == {"b.md": "13 June"}
    (g,) = find_disagreements(pool, analyse("When was the last presidential election?"), MAIN, syntax)
    assert {c.evidence.sentence.source: c.value for c in g.claims} == {"a.md": "2028"}
    # "last" before a noun of time means final: "the last day of the festival, 3 May" is the festival's own
    pool = [ev("a.md", "The festival ended on its last day, 3 May, with a parade.")]
    (g,) = find_disagreements(pool, analyse("When did the festival end?"), MAIN, syntax)
    assert [c.value for c in g.claims] == ["3 May"]
