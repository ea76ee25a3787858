"""Named answers (who / which / where) on invented articles: each source's entity, compared as a value."""

from __future__ import annotations

import pytest

from bot.answering.claims import find_disagreements, main_event_markers
from bot.answering.names import _with_conjuncts, find_names, subject_stems
from bot.answering.question import analyse
from bot.models import ArticleMeta, Evidence, Sentence
from bot.text.morphology import doer_noun
from bot.text.namelinks import Name
from bot.text.syntax import Parse, SyntaxCache

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


# --- the stored parse's proper names and their links (bot/text/namelinks.py) ---------------------------------


def _claims(syntax: SyntaxCache, question: str, *texts: str) -> dict[str, str]:
    pool = [ev(f"{chr(97 + i)}.md", t) for i, t in enumerate(texts)]
    return {c.evidence.sentence.source: c.value for c in find_names(pool, analyse(question), syntax)}


def test_a_regnal_numeral_belongs_to_the_name(syntax: SyntaxCache) -> None:
    got = _claims(syntax, "Who led the Varan invasion of Kelding?",
                  "The first Varan invasion of Kelding by Marten Vosk II in 1204 was meant to punish the raids.")
    assert got == {"a.md": "Marten Vosk II"}


def test_a_nickname_in_quotes_is_part_of_the_name_the_parse_holds_together(syntax: SyntaxCache) -> None:
    got = _claims(syntax, 'Who is the creator of "Glass Harbour"?',
                  'Glass Harbour is the second studio album by American rapper Tessa "Tiny" Marlow, released in 1999.')
    assert got == {"a.md": 'Tessa "Tiny" Marlow'}


def test_the_one_by_introduces_for_the_album_not_the_label_that_released_it(syntax: SyntaxCache) -> None:
    got = _claims(syntax, 'Who is the artist of the album "Glass Harbour"?',
                  "Glass Harbour is a greatest hits album by American rock band The Marrows, released on May 2, 2013 by Harbour Records.",
                  "Glass Harbour is the first compilation album released by The Marrows.",
                  "Glass Harbour collects album tracks originally recorded for Ferrow Records between 1966 and 1968.",
                  "Glass Harbour is the third album by the group Velvetine, released in 1979 on the Solar label.")
    assert got == {"a.md": "The Marrows", "b.md": "The Marrows", "d.md": "Velvetine"}  # c.md names only a label


def test_the_owner_of_the_subject_s_own_kind_of_thing(syntax: SyntaxCache) -> None:
    """"X is Y's third LP": the sentence says what the subject is, and whose."""
    got = _claims(syntax, 'Who is the artist of "The Harbour Album"?', "The Harbour Album is Ada Voss's third LP, released in 1968.")
    assert got == {"a.md": "Ada Voss"}


def test_the_subject_s_kind_of_thing_for_or_of_someone_is_theirs(syntax: SyntaxCache) -> None:
    """"X is the debut release for Y", "the eighth album of Y": said as "Y's eighth album"; not for who is in it."""
    assert _claims(syntax, 'Who is the creator of "Salt Lanterns"?',
                   "Salt Lanterns is the debut release for Tessa Marlow.",
                   "Salt Lanterns is the eighth album of Ingrid Solberg.") == {"a.md": "Tessa Marlow", "b.md": "Ingrid Solberg"}
    assert _claims(syntax, 'Who is the main character in "Salt Lanterns"?', "Salt Lanterns is the debut release for Tessa Marlow.") == {}


def test_a_maker_answers_who_made_it_not_who_its_main_character_is(syntax: SyntaxCache) -> None:
    text = "Tarn Quest is an action video game created for the Orbis console by Kestrel Works and published in 1989."
    assert _claims(syntax, 'Who is the main character in the video game "Tarn Quest"?', text) == {}
    assert _claims(syntax, 'Who is the creator of the video game "Tarn Quest"?', text) == {"a.md": "Kestrel Works"}


def test_the_asked_noun_in_apposition_names_the_answer(syntax: SyntaxCache) -> None:
    got = _claims(syntax, "Who was the owner of the Marrow House?",
                  "The Marrow House's first owner, Peter Lund Marrow, was a wealthy merchant who traded tobacco.")
    assert got == {"a.md": "Peter Lund Marrow"}


def test_a_doer_noun_is_read_from_the_word_index(syntax: SyntaxCache) -> None:
    assert all(doer_noun(syntax.name, w) for w in ("creator", "artist", "owner", "director", "leader"))
    assert not any(doer_noun(syntax.name, w) for w in ("character", "husband", "candidate"))


def test_where_is_the_town_that_holds_the_street_and_the_region_with_it(syntax: SyntaxCache) -> None:
    got = _claims(syntax, "Where is the Halby Grange Depot located?",
                  "The Halby Grange Depot is a former railway station at 1 Mill Street in the center of Dunmore, Kansas.")
    assert got == {"a.md": "Dunmore, Kansas"}
    got = _claims(syntax, "What is the location of the Old Market Historic District?",
                  "The Old Market Historic District of Bristol, Ohio, covers the commercial centre of the town.")
    assert got == {"a.md": "Bristol, Ohio"}


def test_a_hyphenated_name_in_the_sentence_names_the_subject(syntax: SyntaxCache) -> None:
    got = _claims(syntax, "Where is the Harbour Courier published?",
                  "The Halby Harbour-Courier is a daily newspaper in Dunmore, Ohio.")
    assert got == {"a.md": "Dunmore, Ohio"}


def test_a_source_s_fullest_form_of_the_name(syntax: SyntaxCache) -> None:
    """The most relevant sentence gives the surname; another of the same source the full name."""
    pool = [ev("a.md", "Pelle composed the Harbour Mass in July 1910 at his summer estate."),
            ev("a.md", "Harbour Mass is a choral work by Anton Pelle, written for the cathedral.")]
    got = [c.value for c in find_names(pool, analyse("Who composed the Harbour Mass?"), syntax)]
    assert got == ["Anton Pelle"]


def test_the_asked_role_before_whose_title_it_is(syntax: SyntaxCache) -> None:
    """"Tennessee Lund's Baby Lark" says whose it is; "director Ada Voss" says who directed it."""
    text = 'The title card says "Tennessee Lund\'s Baby Lark", and in his memoir director Ada Voss claimed that Lund wrote little of it.'
    assert _claims(syntax, 'Who directed the film "Baby Lark"?', text) == {"a.md": "Ada Voss"}


def test_proper_nouns_side_by_side_before_a_noun_are_one_name(syntax: SyntaxCache) -> None:
    got = _claims(syntax, 'Who is the artist associated with the album "Out of the Harbour"?',
                  "Out of the Harbour (Jade Valerie album) Out Of The Harbour is the title of the debut mini-album.")
    assert got == {"a.md": "Jade Valerie"}


def test_a_name_modifying_another_kind_of_thing_is_not_the_answer(syntax: SyntaxCache) -> None:
    """"a Halby Channel show": the channel of a show, not the artist of an album of that title."""
    got = _claims(syntax, 'Who is the artist of the album "Out of the Harbour"?',
                  "Out of the Harbour was a Halby Channel show for kids aged 3 to 8.")
    assert got == {}


def test_a_fuller_form_from_a_nearby_sentence_of_the_same_article(syntax: SyntaxCache) -> None:
    """Only a sentence or two away: a name far off in the article may be a namesake."""
    def at(idx: int, text: str) -> Evidence:
        meta = ArticleMeta(source="a.md", title="Document a", outlet="A")
        return Evidence(sentence=Sentence("a.md", idx, text, 0, len(text), 0), meta=meta, score=0.9)

    chosen = at(3, "Pelle composed the Harbour Mass in July 1910 at his summer estate.")
    other = "The Harbour Mass was praised by critics, and Anton Pelle wrote to a friend about it."
    question = analyse("Who composed the Harbour Mass?")
    assert [c.value for c in find_names([chosen, at(1, other)], question, syntax)] == ["Anton Pelle"]
    assert [c.value for c in find_names([chosen, at(40, other)], question, syntax)] == ["Pelle"]


def test_a_sentence_s_full_stop_is_not_part_of_the_name(syntax: SyntaxCache) -> None:
    got = _claims(syntax, 'Who is the creator of "Glass Harbour"?', "Glass Harbour is the eighth album by the metal band Symphony X.")
    assert got == {"a.md": "Symphony X"}


def test_a_fuller_form_is_the_same_name_not_two_run_together(syntax: SyntaxCache) -> None:
    """"Julie Chen Moonves Sara Gilbert" (two hosts in a list) is not a fuller "Sara Gilbert"."""
    pool = [ev("a.md", "Halby Talk is an American talk show created by Sara Gilbert for the network."),
            ev("a.md", "Halby Talk Presented by Julie Chen Moonves Sara Gilbert Starring Aisha Tyler")]
    assert [c.value for c in find_names(pool, analyse('Who is the creator of "Halby Talk"?'), syntax)] == ["Sara Gilbert"]


def test_a_separator_is_no_part_of_a_name(syntax: SyntaxCache) -> None:
    text = "Album Search for `` Talk Show '' | AllMusic AllMusic relies heavily on JavaScript ."  # "|" tagged PROPN
    assert not any(text[n.span[0]:n.span[1]].startswith("|") for n in syntax.get(text).names)


def test_a_place_of_the_asked_kind_is_held_to_the_question_s_nouns_when_it_names_nothing(syntax: SyntaxCache) -> None:
    pool = [ev("a.md", "The epicentre was near Orlen, a port city on the southern coast."),
            ev("b.md", "Its epicentre lay some 12 kilometres south of Norwick, a city of 640,000 people."),
            ev("c.md", "Aid flights landed in Tarsk on Friday.")]  # says nothing of the epicentre
    (g,) = find_disagreements(pool, analyse("Near which city was the epicentre of the earthquake?"), MAIN, syntax)
    assert _values([g]) == {"a.md": "Orlen", "b.md": "Norwick"} and g.disagrees
    # "where" names no kind of place: every place near the question's words would answer, so quotes do
    assert not find_disagreements(pool, analyse("Where was the epicentre?"), MAIN, syntax)


def test_a_source_writing_both_names_is_said_to_link_them(syntax: SyntaxCache) -> None:
    pool = [ev("a.md", "The epicentre was near Orlen, the port city that was known as Norwick until 2019."),
            ev("b.md", "Its epicentre lay some 12 kilometres south of Norwick, a city of 640,000 people.")]
    (g,) = find_disagreements(pool, analyse("Near which city was the epicentre of the earthquake?"), MAIN, syntax)
    assert g.disagrees and "writes both Orlen and Norwick" in g.explanation
    # two places in one sentence are two places unless the sentence gives one as the other's name
    pool = [ev("a.md", "The epicentre was near Orlen, a port city 40 kilometres from Norwick."),
            ev("b.md", "Its epicentre lay some 12 kilometres south of Norwick, a city of 640,000 people.")]
    (g,) = find_disagreements(pool, analyse("Near which city was the epicentre of the earthquake?"), MAIN, syntax)
    assert "writes both" not in g.explanation


def test_who_was_the_relation_of_someone_asks_for_a_person() -> None:
    assert analyse("Who was the husband of Marta Velin?").answer_type == "person"
    assert analyse("Who was Marta Velin?").answer_type == "definition"


def test_a_relation_said_the_other_way_round_and_names_joined_by_and_are_one_answer(syntax: SyntaxCache) -> None:
    # the lexicon's near-synonyms: "husband" is asked, "wife of" and "married to" say it
    pool = [
        ev("a.md", "Marta Velin was a singer from Halby, wife of both painters Karl Mortensen and Peter Lund and mother of Ada."),
        ev("b.md", "Marta Velin was married to Tomas Verhoek in 1950."),
        ev("c.md", "Marta Velin was the daughter of Ingrid Solberg."),  # a relation that was not asked
    ]
    groups = find_disagreements(pool, analyse("Who was the husband of Marta Velin?"), MAIN, syntax)
    assert _values(groups) == {"a.md": "Karl Mortensen and Peter Lund", "b.md": "Tomas Verhoek"}


def test_a_place_question_takes_the_town_in_the_region_a_source_also_names(syntax: SyntaxCache) -> None:
    # the nearest words put the university in a region; the same source's lead names the town in it
    pool = [ev("a.md", "Located in northern Velmar, the University of Velmar at Halby (UVH) offers degrees."),
            ev("a.md", "The University of Velmar at Halby is a state university located in the city of Halby, Velmar.")]
    assert [c.value for c in find_names(pool, analyse("Where is the UVH located?"), syntax)] == ["Halby, Velmar"]


def test_a_conjunct_written_with_its_own_kind_is_part_of_the_one_answer() -> None:
    # the parse of "by A and B frontman C" that makes C a conjunct of A, both introduced by "by": one answer,
    # C with the words that say what kind of one C is ("B frontman"), not A alone
    text = "Salt Lanterns is the second solo album by Velvetine and Glass Harbour frontman Tomas Verhoek."
    at = lambda words: (text.index(words), text.index(words) + len(words))  # noqa: E731
    by = ("by", ("album",))
    parse = Parse(names=(Name(at("Velvetine"), "ORG", (by,)),
                         Name(at("Glass Harbour"), "GPE", (("compound", ("frontman",)),)),
                         Name(at("Tomas Verhoek"), "PERSON", (("appos", ("frontman",)), by))))
    span = _with_conjuncts(text, at("Velvetine"), parse, (by,))
    assert text[span[0]:span[1]] == "Velvetine and Glass Harbour frontman Tomas Verhoek"
    # a name tied to something else after "and" is another answer's, not part of this one
    other = Parse(names=(Name(at("Velvetine"), "ORG", (by,)), Name(at("Tomas Verhoek"), "PERSON", (("for", ("record",)),))))
    assert _with_conjuncts(text, at("Velvetine"), other, (by,)) == at("Velvetine")


def test_a_verb_after_who_is_no_plural_noun_asking_for_a_list(syntax: SyntaxCache) -> None:
    # "which countries" asks for a list (quoted); "who leads" asks for one name per source
    pool = [ev("a.md", "Halvorsen Freight is led by chief executive Ingrid Solberg."),
            ev("b.md", "Karl Mortensen leads Halvorsen Freight from its Oslo office.")]
    assert _values(find_disagreements(pool, analyse("Who leads Halvorsen Freight?"), MAIN, syntax)) == {
        "a.md": "Ingrid Solberg", "b.md": "Karl Mortensen"}
    assert find_names(pool, analyse("Which countries does Halvorsen Freight serve?"), syntax) == []
