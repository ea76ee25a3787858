"""Noun-phrase answers ("what is the genre of X", "what sport is X associated with") on invented articles."""

from __future__ import annotations

import pytest

from bot.answering.claims import find_disagreements, main_event_markers
from bot.answering.kinds import asked_kind, find_kinds
from bot.answering.question import analyse
from bot.models import ArticleMeta, Evidence, Sentence
from bot.text.syntax import Parse, SyntaxCache

pytestmark = pytest.mark.unit
MAIN = main_event_markers(["Document one", "Document two"], [])



def ev(source: str, text: str, idx: int = 0, before: tuple[str, ...] = ()) -> Evidence:
    meta = ArticleMeta(source=source, title=f"Document {source}", outlet=source.split(".")[0].title())
    return Evidence(sentence=Sentence(source, idx, text, 0, len(text), 0), meta=meta, score=0.9,
                    paragraph_before=before)


def test_what_a_question_asks_its_subject_to_be(syntax: SyntaxCache) -> None:
    assert asked_kind(analyse('What is the genre of the film "Summer Lanterns"?'), syntax) == "genre"
    assert asked_kind(analyse("What sport is Tomas Verhoek associated with?"), syntax) == "sport"
    assert asked_kind(analyse("What is Marta Velin's profession?"), syntax) == "profession"
    assert asked_kind(analyse("What is Marta Velin known for?"), syntax) == "known"
    # the answer is what the subject acts on, or a definition of a name: not a predicate of the subject
    assert asked_kind(analyse("What war did the Treaty of Osk end?"), syntax) == ""
    assert asked_kind(analyse("What is Marrow Lane?"), syntax) == ""


def test_the_parse_stores_what_a_sentence_says_its_subject_is(syntax: SyntaxCache) -> None:
    text = "Marta Velin is a Norwegian politician and lawyer; Ingrid Solberg, a retired judge, chaired the panel."
    parse = syntax.get(text)
    assert parse is not None
    said = {text[p.span[0]:p.span[1]]: (text[p.subject[0]:p.subject[1]], p.copula) for p in parse.predicates}
    assert said["Norwegian politician and lawyer"] == ("Marta Velin", True)
    assert said["retired judge"] == ("Ingrid Solberg", False)
    assert Parse.from_json(parse.to_json()) == parse  # the cache keeps them


def test_a_word_the_tagger_set_apart_still_belongs_to_the_phrase(syntax: SyntaxCache) -> None:
    # the small pipeline ends these phrases early: "short" as a trailing adjective, "linebacker" as an
    # apposition of "football" with no comma between
    said = {}
    for text in ("Lanterns is a 1931 silent cartoon short by Harrow Studios featuring a crow.",
                 "Tomas Verhoek is a former American football All-Conference linebacker who played for Halby.",
                 "Marta Velin is a football player active in the 1990s.",
                 "Ingrid Solberg, a judge since 2010, chaired the panel."):
        parse = syntax.get(text)
        assert parse is not None
        said.update({text[p.subject[0]:p.subject[1]]: text[p.span[0]:p.span[1]] for p in parse.predicates})
    assert said["Lanterns"] == "1931 silent cartoon short"
    assert said["Tomas Verhoek"] == "former American football All-Conference linebacker"
    # an adjective with a complement of its own says how, and a comma sets an apposition apart
    assert said["Marta Velin"] == "football player"
    assert said["Ingrid Solberg"] == "judge"


def test_sources_saying_different_kinds_disagree_and_wordings_of_one_kind_agree(syntax: SyntaxCache) -> None:
    pool = [
        ev("a.md", "Summer Lanterns is a 1998 Danish drama film directed by Karl Mortensen."),
        ev("b.md", "Summer Lanterns is a drama film set on the coast."),
        ev("c.md", "Summer Lanterns (documentary) Summer Lanterns is a documentary film about lighthouse keepers."),
        ev("d.md", "The festival is an annual event in Oslo."),  # says nothing of the subject
    ]
    (g,) = find_disagreements(pool, analyse('What is the genre of the film "Summer Lanterns"?'), MAIN, syntax)
    values = {c.evidence.sentence.source: c.value for c in g.claims}
    assert values == {"a.md": "1998 Danish drama film", "b.md": "drama film", "c.md": "documentary film"}
    assert g.disagrees and len(g.clusters) == 2


def test_one_phrase_per_source_the_article_s_first_statement_first(syntax: SyntaxCache) -> None:
    pool = [
        ev("a.md", "Tomas Verhoek was the best player of the season.", idx=7),
        ev("a.md", "Tomas Verhoek is a Dutch speed skater.", idx=0),
        ev("b.md", "She is a former footballer.", idx=2, before=("Tomas Verhoek trained in Leiden.",)),
    ]
    claims = find_kinds(pool, analyse("What sport is Tomas Verhoek associated with?"), syntax)
    assert {c.evidence.sentence.source: c.value for c in claims} == {"a.md": "speed skater", "b.md": "football"}


def test_no_phrase_when_the_question_acts_on_something(syntax: SyntaxCache) -> None:
    pool = [ev("a.md", "The Treaty of Osk was the peace treaty that ended the Long War.")]
    assert find_kinds(pool, analyse("What war did the Treaty of Osk end?"), syntax) == []
    # what it acts on is a name of the asked kind (bot/answering/which.py), not what the treaty is
    (g,) = find_disagreements(pool, analyse("What war did the Treaty of Osk end?"), MAIN, syntax)
    assert [c.value for c in g.claims] == ["Long War"]


def test_questions_for_a_place_a_time_or_a_figure_are_not_asking_what_kind(syntax: SyntaxCache) -> None:
    assert asked_kind(analyse("What is the location of Halby Grammar School?"), syntax) == ""
    assert asked_kind(analyse("What is the founding date of the Red Hand?"), syntax) == ""
    assert asked_kind(analyse("What is the estimated population of Halby?"), syntax) == ""


def test_a_title_with_an_indefinite_article_is_what_the_subject_is(syntax: SyntaxCache) -> None:
    pool = [ev("a.md", "Anton Berg is a retired Vice Admiral in the Karvenian Navy.")]
    (c,) = find_kinds(pool, analyse("What was the rank of Admiral Berg?"), syntax)
    assert c.value.startswith("retired Vice Admiral")


def test_a_person_noun_is_compared_and_stated_by_the_activity_it_is_named_after(syntax: SyntaxCache) -> None:
    from bot.text.morphology import activities

    assert activities(syntax.name, "footballer") == ["football"]
    assert activities(syntax.name, "boxer")[0] == "boxing"
    assert activities(syntax.name, "swimmer")[0] == "swimming"
    assert activities(syntax.name, "judge") == []
    pool = [
        ev("a.md", "Tomas Verhoek is a Dutch professional footballer.", idx=0),
        ev("b.md", "Tomas Verhoek is a former English cricketer.", idx=0),
        ev("c.md", "Tomas Verhoek is a Dutch basketball player.", idx=0),
        ev("d.md", "Tomas Verhoek is a retired basketball coach.", idx=0),
    ]
    (g,) = find_disagreements(pool, analyse("What sport is Tomas Verhoek associated with?"), MAIN, syntax)
    values = {c.evidence.sentence.source: c.value for c in g.claims}
    assert values["a.md"] == "football" and values["b.md"] == "cricket"  # as written inside the person noun
    assert values["c.md"] == "Dutch basketball" and values["d.md"] == "basketball"  # the modifier, as written
    assert len(g.clusters) == 3  # football, cricket, basketball (player and coach agree)


def test_what_sport_states_the_activity_a_phrase_names_and_only_that(syntax: SyntaxCache) -> None:
    ask = analyse("What sport is Oren Falk associated with?")
    cases = {
        "Oren Falk is a Canadian former professional ice hockey defenceman.": ["ice hockey"],
        "Oren Falk is a former American football offensive lineman.": ["American football"],
        "Oren Falk was the first Finnish sumo wrestler.": ["Finnish sumo"],
        "Oren Falk is a prominent figure in volleyball.": ["volleyball"],
        "Oren Falk was a WTA Tour tennis event held in May.": ["tennis"],
        "Oren Falk is a former college football player and professional baseball player.": ["college football", "baseball"],
        # names no sport: a plain noun, a measure, the asked kind itself
        "Oren Falk is a term.": [],
        "Oren Falk's best in the league was a 23-point performance.": [],
        "Oren Falk is a legendary figure in Chinese sports history.": [],
    }
    for text, want in cases.items():
        assert [c.value for c in find_kinds([ev("a.md", text)], ask, syntax)] == want, text


def test_a_phrase_naming_no_sport_gives_way_to_one_that_does(syntax: SyntaxCache) -> None:
    pool = [ev("a.md", "Oren Falk is a term used by fans.", idx=0), ev("a.md", "Oren Falk is a retired handball coach.", idx=4),
            ev("b.md", "Oren Falk is a former speed skater.", idx=0), ev("c.md", "Oren Falk is a figure skater.", idx=0),
            ev("d.md", "Oren Falk is a handball player.", idx=0)]
    (g,) = find_disagreements(pool, analyse("What sport is Oren Falk associated with?"), MAIN, syntax)
    values = {c.evidence.sentence.source: c.value for c in g.claims}
    assert values == {"a.md": "handball", "b.md": "speed skater", "c.md": "figure skater", "d.md": "handball"}
    assert len(g.clusters) == 3  # handball (coach and player agree); speed and figure skating differ


def test_what_sport_passes_over_generic_person_nouns_and_particular_objects(syntax: SyntaxCache) -> None:
    ask = analyse("What sport is Oren Falk associated with?")
    cases = {
        "Oren Falk became the first Finnish player ever drafted.": [],  # "player": one who plays, no sport named
        "Oren Falk is a winner.": [],
        "Oren Falk was a 19-point performer in his last regular season game.": [],  # a particular game, not a field
        "Reg Falk : Rugby league player who won the Challenge Cup with Barrow.": ["Rugby league player"],  # a headline's capital
        "Oren Falk is a Welsh former footballer.": ["football"],
    }
    for text, want in cases.items():
        assert [c.value for c in find_kinds([ev("a.md", text)], ask, syntax)] == want, text


def test_a_sentence_using_the_asked_noun_says_which_one(syntax: SyntaxCache) -> None:
    pool = [ev("a.md", "KVRN (1420 AM) is a radio station broadcasting a Cumbian Folk format.", idx=3),
            ev("b.md", "KVRN is a radio station broadcasting a Smooth Jazz format."),
            ev("c.md", "KVRN is an AM radio station.")]
    claims = find_kinds(pool, analyse("What is the broadcast format of KVRN?"), syntax)
    assert {c.evidence.sentence.source: c.value for c in claims} == {
        "a.md": "Cumbian Folk", "b.md": "Smooth Jazz", "c.md": "AM radio station"}
    rank = analyse("What was the rank of Ada Holm?")
    (c,) = find_kinds([ev("a.md", "Ada Holm held the rank of captain until 1990.")], rank, syntax)
    assert c.value == "captain"
    # the question's own wording is no value, nor is a word that says how the noun is ("the highest rank")
    assert find_kinds([ev("a.md", "The rank of Ada Holm was the highest rank in the fleet.")], rank, syntax) == []


def test_a_bare_apposition_names_the_activity_itself(syntax: SyntaxCache) -> None:
    ask = analyse("What sport is Oren Falk associated with?")
    for text, want in {"Oren Falk (ice hockey) In 1992, Falk was drafted.": ["ice hockey"],
                       "Oren Falk (footballer, born 1988) played for Leiden.": ["football"]}.items():
        assert [c.value for c in find_kinds([ev("a.md", text)], ask, syntax)] == want, text


def test_the_activity_a_subject_does_is_what_it_is(syntax: SyntaxCache) -> None:
    assert asked_kind(analyse("What sport does Oren Falk play?"), syntax) == "sport"
    (c,) = find_kinds([ev("a.md", "Oren Falk is a semi-professional footballer.")], analyse("What sport does Oren Falk play?"), syntax)
    assert c.value == "football"
    # not what it specialises in, nor what a thing acts on
    assert asked_kind(analyse("What sport does Oren Falk specialize in?"), syntax) == ""
    assert asked_kind(analyse("What war did the Treaty of Osk end?"), syntax) == ""


def test_a_subject_spelt_one_letter_apart_is_the_same_subject(syntax: SyntaxCache) -> None:
    # transliterations: the question writes "Kalinath", the articles "Kalinat"; a short name is never stretched
    pool = [ev("a.md", "Kalinat is a 1952 musical drama film directed by R. Varman."),
            ev("b.md", "Kalinath is a 1974 documentary film about river ferries.")]
    (g,) = find_disagreements(pool, analyse('What is the genre of the film "Kalinath"?'), MAIN, syntax)
    assert {c.evidence.sentence.source for c in g.claims} == {"a.md", "b.md"}
    assert not find_disagreements([ev("a.md", "Hall is a 1998 drama film.")],
                                  analyse('What is the genre of the film "Hill"?'), MAIN, syntax)


def test_a_language_or_nationality_is_what_the_capitalised_modifiers_say(syntax: SyntaxCache) -> None:
    pool = [ev("a.md", "Kalinat is a 1952 Hindi drama film directed by R. Varman."),
            ev("b.md", "Kalinat is a 1952 Tamil drama film directed by R. Varman."),
            ev("c.md", "Kalinat is a 1960 Hindi film about river ferries.")]
    (g,) = find_disagreements(pool, analyse('What is the language of the film "Kalinat"?'), MAIN, syntax)
    assert {c.evidence.sentence.source: c.value for c in g.claims} == {"a.md": "Hindi", "b.md": "Tamil", "c.md": "Hindi"}
    assert g.disagrees and len(g.clusters) == 2
    pool = [ev("a.md", "Kalinat is a 1952 Indian Hindi-language film."), ev("b.md", "Kalinat is a 1952 Indian Tamil-language film.")]
    (g,) = find_disagreements(pool, analyse('What is the language of the film "Kalinat"?'), MAIN, syntax)
    assert [c.value for c in g.claims] == ["Indian Hindi-language", "Indian Tamil-language"] and g.disagrees
    (g,) = find_disagreements([ev("a.md", "Marta Velin is a Norwegian politician and lawyer.")],
                              analyse("What is the nationality of Marta Velin?"), MAIN, syntax)
    assert [c.value for c in g.claims] == ["Norwegian"]


def test_what_someone_plays_is_what_they_are(syntax: SyntaxCache) -> None:
    assert asked_kind(analyse("What position did Tomas Verhoek play?"), syntax) == "position"
    pool = [ev("a.md", "Tomas Verhoek is a former American football quarterback and coach."),
            ev("b.md", "Tomas Verhoek (born 1953) is a former American football linebacker.")]
    (g,) = find_disagreements(pool, analyse("What position did Tomas Verhoek play in American football?"), MAIN, syntax)
    assert [c.value for c in g.claims] == ["former American football quarterback and coach", "former American football linebacker"]
    assert g.disagrees
