"""Claims for any countable thing, matched by syntax, on invented articles (data breach, population, earthquake)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import pipelines

from bot.answering.claims import find_disagreements, main_event_markers
from bot.answering.question import analyse
from bot.models import ArticleMeta, Evidence, Sentence
from bot.text.syntax import SyntaxCache

pytestmark = pytest.mark.unit


def ev(source: str, text: str, published: str = "2025-05-02") -> Evidence:
    meta = ArticleMeta(source=source, title=f"Report {source}", outlet=source.split(".")[0].title(), published=published)
    return Evidence(sentence=Sentence(source, 0, text, 0, len(text), 0), meta=meta, score=0.9)


MAIN = main_event_markers(["Hackers broke into Lumora Bank in May.", "Lumora Bank said hackers broke in."],
                          ["2025-05-02"])


def test_records_exposed_disagree_by_source(syntax: SyntaxCache) -> None:
    pool = [
        ev("a.md", "Hackers exposed 4.2 million records of Lumora Bank customers."),
        ev("b.md", "About 3 million records were exposed, the bank said."),
        ev("c.md", "The breach cost the bank $40 million in fines."),
        ev("c.md", "It was one of the largest breaches in the country."),
    ]
    groups = find_disagreements(pool, analyse("How many records were exposed?"), MAIN, syntax)
    assert len(groups) == 1 and groups[0].disagrees
    values = {c.evidence.sentence.source: c.value for c in groups[0].claims}
    assert values == {"a.md": "4.2 million records", "b.md": "About 3 million records"}


def test_population_is_a_quantity_and_agreement_is_counted(syntax: SyntaxCache) -> None:
    q = analyse("What is the population of Varno?")
    assert q.answer_type == "count"
    pool = [
        ev("a.md", "Varno has a population of 52,000, according to officials."),
        ev("b.md", "The population of Varno is 52,000."),
        ev("b.md", "Varno has 14 schools and 3 hospitals."),
    ]
    groups = find_disagreements(pool, q, MAIN, syntax)
    assert len(groups) == 1 and not groups[0].disagrees
    assert {c.evidence.sentence.source for c in groups[0].claims} == {"a.md", "b.md"}


def test_what_a_census_counts_is_the_population(syntax: SyntaxCache) -> None:
    # the lexicon's near-synonyms: a census, inhabitants and residents are the population
    pool = [
        ev("a.md", "Varno is a village with a population of 571."),
        ev("b.md", "The 2010 census of Varno reported 3,307."),
        ev("c.md", "Varno has 14 schools and 3 hospitals."),
    ]
    (g,) = find_disagreements(pool, analyse("What is the population of Varno?"), MAIN, syntax)
    assert g.disagrees
    assert {c.evidence.sentence.source: c.value for c in g.claims} == {"a.md": "571", "b.md": "3,307"}


def test_a_share_is_read_as_written_and_as_what_it_is_a_share_of(syntax: SyntaxCache) -> None:
    pool = [
        ev("a.md", "Ada Voss has won Tarsk's presidential election with 52.3% of the vote, the commission said."),
        ev("b.md", "The commission confirmed that Ada Voss won the presidency with 51.8 percent of the vote."),
        ev("c.md", "It said Ada Voss had received about 52 percent of the vote and that turnout was nearly two thirds."),
        ev("d.md", "Her rival Karl Dunn took 44.1%."),  # a share of the vote, but not Voss's
    ]
    (g,) = find_disagreements(pool, analyse("What share of the vote did Ada Voss get?"), MAIN, syntax)
    assert {c.evidence.sentence.source: c.value for c in g.claims} == {
        "a.md": "52.3%", "b.md": "51.8 percent", "c.md": "about 52 percent"}
    pool = [
        ev("a.md", "Turnout was 61 percent, slightly higher than at the last election."),
        ev("b.md", "The commission put turnout at 63.4 percent, with 3.4 million ballots cast."),
        ev("c.md", "The commission said that turnout was nearly two thirds of registered voters."),
    ]
    (g,) = find_disagreements(pool, analyse("What was the turnout?"), MAIN, syntax)
    assert {c.evidence.sentence.source: c.value for c in g.claims} == {
        "a.md": "61 percent", "b.md": "63.4 percent", "c.md": "nearly two thirds"}
    # a share of the population is not the population
    pool = [ev("a.md", "Varno has a population of 4,000."), ev("b.md", "In 2010, 22.3% of the population of Varno were under 18.")]
    (g,) = find_disagreements(pool, analyse("What is the population of Varno?"), MAIN, syntax)
    assert [c.value for c in g.claims] == ["4,000"]


def test_a_figure_whose_doer_is_someone_else_is_not_the_subject_s(syntax: SyntaxCache) -> None:
    pool = [
        ev("a.md", "Ada Voss has won Tarsk's presidential election with 52.3% of the vote, the commission said."),
        ev("b.md", "Her main rival, former finance minister Karl Dunn, took 44.1%, the commission said."),
        ev("c.md", "Karl Dunn finished second with 45.0 percent."),
    ]
    (g,) = find_disagreements(pool, analyse("What percentage of the vote did Karl Dunn get?"), MAIN, syntax)
    assert {c.evidence.sentence.source: c.value for c in g.claims} == {"b.md": "44.1%", "c.md": "45.0 percent"}
    pool = [ev("a.md", "Ada Voss won 1.9 million votes in the first round."),
            ev("b.md", "Karl Dunn won 1.6 million votes in the first round."),
            ev("c.md", "In the first round Karl Dunn received 1.5 million votes.")]
    (g,) = find_disagreements(pool, analyse("How many votes did Karl Dunn win?"), MAIN, syntax)
    assert {c.evidence.sentence.source: c.value for c in g.claims} == {"b.md": "1.6 million votes", "c.md": "1.5 million votes"}


def test_ballots_cast_are_votes_cast(syntax: SyntaxCache) -> None:
    pool = [ev("a.md", "The commission put turnout at 63 percent, with 3.4 million ballots cast."),
            ev("b.md", "Some 3.3 million votes were cast, the commission said.")]
    (g,) = find_disagreements(pool, analyse("How many votes were cast?"), MAIN, syntax)
    assert {c.evidence.sentence.source: c.value for c in g.claims} == {"a.md": "3.4 million ballots", "b.md": "Some 3.3 million votes"}


def test_the_number_of_people_killed_has_risen_to_a_figure_of_the_killed(syntax: SyntaxCache) -> None:
    pool = [ev("a.md", "The number of people killed in the fire at the Lind plant has risen to eleven, officials said."),
            ev("b.md", "Nine people died in the fire at the Lind plant.")]
    (g,) = find_disagreements(pool, analyse("How many people died in the fire?"), MAIN, syntax)
    assert {c.evidence.sentence.source: c.value for c in g.claims} == {"a.md": "eleven", "b.md": "Nine people"}


def test_money_put_at_or_estimated_at_is_a_value_of_what_was_put(syntax: SyntaxCache) -> None:
    pool = [ev("a.md", "Damage was estimated at 18 million euros."),
            ev("b.md", "Insurers put the damage at 25 million euros."),
            ev("c.md", "The company lost 3 million euros in orders.")]  # money, but not the damage
    (g,) = find_disagreements(pool, analyse("How much damage did the fire cause?"), MAIN, syntax)
    assert {c.evidence.sentence.source: c.value for c in g.claims} == {"a.md": "18 million euros", "b.md": "25 million euros"}


def test_counts_the_parse_gives_to_another_family_are_not_the_asked_family_s(syntax: SyntaxCache) -> None:
    # "injured" is the nearest family word to eleven and two, but the parse makes them deaths
    pool = [ev("a.md", "The number of people killed in the fire has risen to eleven after two injured workers died in hospital."),
            ev("b.md", "Thirty people were injured in total, the ministry said.")]
    (g,) = find_disagreements(pool, analyse("How many people were injured?"), MAIN, syntax)
    assert {c.evidence.sentence.source: c.value for c in g.claims} == {"b.md": "Thirty people"}


def test_people_named_for_what_the_question_asks_they_do_are_counted(syntax: SyntaxCache) -> None:
    pool = [ev("a.md", "The Lind plant employs around 1,200 people."),
            ev("b.md", "The Lind plant has 1,150 employees at the site, a spokesman said."),
            ev("c.md", "The Lind plant has 14 buildings and receives 300 visitors a day.")]
    (g,) = find_disagreements(pool, analyse("How many people does the Lind plant employ?"), MAIN, syntax)
    assert {c.evidence.sentence.source: c.value for c in g.claims} == {"a.md": "around 1,200 people",
                                                                      "b.md": "1,150 employees"}


def test_magnitude_is_read_from_its_unit(syntax: SyntaxCache) -> None:
    pool = [ev("a.md", "A 7.8-magnitude earthquake killed more than 2,000 people."),
            ev("b.md", "The quake, of magnitude 7.5, toppled homes.")]
    groups = find_disagreements(pool, analyse("What was the magnitude of the earthquake?"), MAIN, syntax)
    assert groups and groups[0].disagrees
    assert sorted(c.norm for c in groups[0].claims) == [7.5, 7.8]


def test_no_claim_when_no_figure_is_about_the_question(syntax: SyntaxCache) -> None:
    pool = [ev("a.md", "It was one of the deadliest quakes, and 40 schools closed."),
            ev("b.md", "Two ministers visited the region.")]
    assert find_disagreements(pool, analyse("How many bridges collapsed?"), MAIN, syntax) == []


def test_cache_is_persistent(tmp_path: Path, syntax: SyntaxCache) -> None:
    text = "Officials counted 310 ballots."
    syntax.fill([text])
    again = SyntaxCache(syntax.path, pipelines())
    parse = again.get(text)
    assert parse is not None and parse.figures and parse.figures[0].counted == "ballots"


def test_language_detection_and_uncompared_articles(syntax: SyntaxCache) -> None:
    from bot.ingest.annotate import detect_language

    spanish = "Al menos 2.300 personas murieron en el terremoto que sacudió la ciudad el lunes por la mañana."
    assert detect_language(spanish) == "es"
    assert detect_language("At least 2,300 people died when the earthquake shook the city on Monday.") == "en"
    syntax.fill([spanish], "es")
    pool = [ev("a.md", "At least 2,300 people died in the earthquake."), ev("es.md", spanish)]
    groups = find_disagreements(pool, analyse("How many people died?"), MAIN, syntax)
    assert [c.evidence.sentence.source for g in groups for c in g.claims] == ["a.md"]


def test_a_russian_sentence_has_its_figure_read() -> None:
    from bot.text.numbers import read_numbers

    nums = read_numbers("В результате теракта погибли по меньшей мере 137 человек.")
    assert [(n.value, n.kind) for n in nums] == [(137, "count")]


def test_a_unit_alone_does_not_make_a_claim(syntax: SyntaxCache) -> None:
    pool = [ev("a.md", "Residents were told to avoid the coast over the next 48 hours."),
            ev("b.md", "Crews needed 12 hours to clear the main road.")]
    groups = find_disagreements(pool, analyse("How many hours did crews need to clear the road?"), MAIN, syntax)
    assert [c.value for g in groups for c in g.claims] == ["12 hours"]


def test_a_declared_language_wins_over_detection() -> None:
    from bot.ingest.annotate import article_language
    from bot.models import Article, ArticleMeta

    # a short list of names and figures: the kind of English text a detector often takes for another language
    body = "Population 1,204. Mayor Jan Kees. Area 12 km2. Postcode 8012."

    def article(language: str) -> Article:
        return Article(meta=ArticleMeta(source="a.md", title="A", language=language), body=body, hash="")

    assert article_language(article("en")) == "en"
    assert article_language(article("pt-BR")) == "pt"
    assert article_language(article("")) == article_language(article("not a code")) != ""


def test_a_rate_is_no_answer_to_a_figure_but_answers_a_rate(syntax: SyntaxCache) -> None:
    pool = [
        ev("a.md", "The population of Varno was 3,171 people at the 2020 census."),
        ev("b.md", "The population density of Varno was 6.6 people per square mile."),
    ]
    groups = find_disagreements(pool, analyse("What is the population of Varno?"), MAIN, syntax)
    assert [c.value for g in groups for c in g.claims] == ["3,171 people"]
    groups = find_disagreements(pool, analyse("What is the population density of Varno?"), MAIN, syntax)
    assert "6.6 people" in {c.value for g in groups for c in g.claims}


def test_a_figure_a_verb_of_amount_gives_is_a_value_of_its_subject(syntax: SyntaxCache) -> None:
    pool = [ev("a.md", "As of 2020 the total population of the district is 14,700, of which the population of Varno "
                       "amounts to 7,250.")]
    groups = find_disagreements(pool, analyse("What is the population of Varno?"), MAIN, syntax)
    assert "7,250" in {c.value for g in groups for c in g.claims}


def test_a_measure_of_the_asked_quantity_is_its_value_and_no_other_measure_is(syntax: SyntaxCache) -> None:
    pool = [ev("a.md", "The median age in Varno was 41.9 years."), ev("b.md", "A 6.1-magnitude earthquake shook Varno.")]
    groups = find_disagreements(pool, analyse("What is the median age in Varno?"), MAIN, syntax)
    assert [c.value for g in groups for c in g.claims] == ["41.9 years"]
    assert not find_disagreements(pool, analyse("How many people were displaced in Varno?"), MAIN, syntax)


def test_of_several_figures_in_a_sentence_the_one_said_of_the_subject_answers(syntax: SyntaxCache) -> None:
    pool = [ev("a.md", "As of 2020 the district's total population is 14,700 (of which the population of Varno is "
                       "7,250, and the population of the rural part is 7,450).")]
    groups = find_disagreements(pool, analyse("What is the population of Varno?"), MAIN, syntax)
    assert [c.value for g in groups for c in g.claims] == ["7,250"]


def test_a_bare_count_the_parse_makes_a_value_of_the_toll_is_the_toll(syntax: SyntaxCache) -> None:
    text = ("The death toll from Monday's storm in the northern province of Ulm has risen to forty-two, the ministry "
            "said on Wednesday, and 350 people are being treated in hospital.")
    groups = find_disagreements([ev("a.md", text)], analyse("How many people died in the storm?"), MAIN, syntax)
    assert [c.value for g in groups for c in g.claims] == ["forty-two"]


def test_a_time_of_day_and_a_magnitude_are_no_counts() -> None:
    from bot.text.numbers import read_numbers

    text = "The magnitude-7.6 quake struck at 23:40 GMT and 12 people died."
    assert [(n.kind, n.unit) for n in read_numbers(text)] == [("measure", "magnitude"), ("count", "")]


def test_a_figure_a_verb_puts_its_object_at_is_a_value_of_that_object(syntax: SyntaxCache) -> None:
    pool = [ev("a.md", "The seismic centre put its magnitude at 6.4 on Monday."),
            ev("b.md", "The quake had a magnitude of 6.1, the institute said.")]
    groups = find_disagreements(pool, analyse("What was the magnitude of the earthquake?"), MAIN, syntax)
    assert {c.value for g in groups for c in g.claims} >= {"6.4", "6.1"}



def test_a_how_adjective_names_its_measure() -> None:
    from bot.answering.question import how_measure

    assert how_measure("How deep was the quake?") == "depth" and how_measure("how high was it") == "height"
    assert how_measure("How many died?") == "" and how_measure("Deep in the night?") == ""


def test_people_the_parse_makes_the_asked_verb_s_are_its_count(syntax: SyntaxCache) -> None:
    pool = [ev("a.md", "The agency said 40,000 people had been evacuated from the valley."),
            ev("b.md", "About 2,000 people attended the funeral on Sunday.")]
    groups = find_disagreements(pool, analyse("How many people were evacuated?"), MAIN, syntax)
    assert [c.value for g in groups for c in g.claims] == ["40,000 people"]


def test_money_is_matched_by_what_it_is_for_not_by_its_currency(syntax: SyntaxCache) -> None:
    pool = [ev("a.md", "The bank has set aside 75 million euros to compensate customers."),
            ev("b.md", "Lumora Bank set aside about 60 million euros for compensation, a spokesman said."),
            ev("c.md", "The bank paid 12 million euros in dividends last year.")]
    (g,) = find_disagreements(pool, analyse("How much money did the bank set aside?"), MAIN, syntax)
    assert {c.evidence.sentence.source: c.value for c in g.claims} == {"a.md": "75 million euros",
                                                                      "b.md": "about 60 million euros"}
    assert g.disagrees


def test_a_part_of_what_of_names_is_counted(syntax: SyntaxCache) -> None:
    pool = [ev("a.md", "The bank said 1,900 of its staff and contractors were questioned."),
            ev("b.md", "It was one of the largest breaches in the country.")]
    (g,) = find_disagreements(pool, analyse("How many staff and contractors were questioned?"), MAIN, syntax)
    assert [c.value for c in g.claims] == ["1,900"]
    # a part of them counts the part: no answer to how many there were, an answer to what the part did
    pool = [ev("a.md", "At least two of the contractors had recently arrived from Orlen.")]
    assert not find_disagreements(pool, analyse("How many contractors were there?"), MAIN, syntax)
    (g,) = find_disagreements(pool, analyse("How many contractors arrived from Orlen?"), MAIN, syntax)
    assert [c.value for c in g.claims] == ["At least two"]


def test_a_figure_right_after_the_asked_quantity_is_its_value(syntax: SyntaxCache) -> None:
    pool = [ev("a.md", "With the population about 50,000, it is the fifth town in the district."),
            ev("b.md", "Country Valdor Population (2010) 4,008 Density 95.4/sq mi Area 42 km2"),
            ev("c.md", "Varno Population: 3,849 Time zone UTC+2")]
    (g,) = find_disagreements(pool, analyse("What is the population of Varno?"), MAIN, syntax)
    assert {c.evidence.sentence.source: c.value for c in g.claims} == {"a.md": "about 50,000", "b.md": "4,008",
                                                                      "c.md": "3,849"}


def test_people_who_live_somewhere_are_no_death_toll(syntax: SyntaxCache) -> None:
    pool = [ev("a.md", "About 640,000 people live in Varno, the region's largest city."),
            ev("b.md", "The flood claimed 42 lives in Varno.")]
    groups = find_disagreements(pool, analyse("How many people live in Varno?"), MAIN, syntax)
    assert [c.value for g in groups for c in g.claims] == ["About 640,000 people"]
    (g,) = find_disagreements(pool, analyse("How many lives did the flood claim?"), MAIN, syntax)
    assert [c.value for c in g.claims] == ["42 lives"]


def test_an_amount_after_a_name_is_a_figure_and_a_verb_is_read_as_written(syntax: SyntaxCache) -> None:
    # "Lumora Bank 40 million euros" is no label like "Flight 370"; "fined" may be lemmatised badly ("fin")
    pool = [ev("a.md", "The regulator fined Lumora Bank 40 million euros on Monday over the breach."),
            ev("b.md", "Flight 370 landed safely.")]
    (g,) = find_disagreements(pool, analyse("How much was the bank fined?"), MAIN, syntax)
    assert [c.value for c in g.claims] == ["40 million euros"]


def test_a_measure_of_the_noun_whose_size_is_asked_answers(syntax: SyntaxCache) -> None:
    pool = [ev("a.md", "The Orlo 900 is a touring motorcycle with a 996 cc twin-cylinder engine."),
            ev("b.md", "The Orlo 900 weighs 210 kg and has a top speed of 200 km/h.")]
    (g,) = find_disagreements(pool, analyse("What is the engine size of the Orlo 900?"), MAIN, syntax)
    assert [c.value for c in g.claims] == ["996 cc"]


def test_a_how_adjective_question_is_answered_by_its_measure_where_one_is_given(syntax: SyntaxCache) -> None:
    pool = [ev("a.md", "The quake struck at a depth of 15 kilometres, the institute said."),
            ev("b.md", "The quake hit at a depth of about 10 kilometres.")]
    (g,) = find_disagreements(pool, analyse("How deep was the quake?"), MAIN, syntax)
    assert [c.value for c in g.claims] == ["15 kilometres", "about 10 kilometres"] and g.disagrees
    # no figure of the measure: no claim, the quotes answer
    assert find_disagreements([ev("a.md", "The gunmen roamed the hall freely before police arrived.")],
                              analyse("How long did the gunmen roam the hall?"), MAIN, syntax) == []


def test_a_bracketed_year_after_a_figure_dates_it_in_the_answer(syntax: SyntaxCache) -> None:
    # two counts of different years are told apart in the sources' own words; a bracket that is no date is not taken
    pool = [
        ev("a.md", "Varno is a town in Halby County with 1,948 inhabitants (2004)."),
        ev("b.md", "Varno had a population of 1,971 (2011 census), the office said."),
        ev("c.md", "Varno has a population of 2,050 (see below)."),
    ]
    (g,) = find_disagreements(pool, analyse("What is the population of Varno?"), MAIN, syntax)
    values = {c.evidence.sentence.source: c.value for c in g.claims}
    assert values == {"a.md": "1,948 inhabitants (2004)", "b.md": "1,971 (2011 census)", "c.md": "2,050"}
    assert all(c.value == c.evidence.sentence.text[c.span[0]:c.span[1]] for c in g.claims)  # still the source's words


def test_the_population_is_people_counted_not_people_something_is_done_to(syntax: SyntaxCache) -> None:
    # people evacuated (a passive subject) and lives a quake claimed (the death toll's own word) are no population
    pool = [
        ev("a.md", "Its epicentre lay 12 kilometres south of Varno, a port city of 640,000 people."),
        ev("b.md", "The 2010 census counted 3,171 people in Varno."),
        ev("c.md", "The quake claimed 120 lives in Varno."),
        ev("d.md", "Some 40,000 people were evacuated from Varno."),
    ]
    (g,) = find_disagreements(pool, analyse("What is the population of Varno?"), MAIN, syntax)
    assert {c.evidence.sentence.source: c.value for c in g.claims} == {"a.md": "640,000 people", "b.md": "3,171 people"}
