"""Which articles are about the main event, and sentences that take their event from their article.

Invented corpus: three reports on a flood in Norwick (May 2031) beside an archive of reports on
other events (a stadium fire in Tallinn, bridge collapses elsewhere), some naming the same country.
"""

from __future__ import annotations

from bot.answering.claims import find_disagreements
from bot.answering.events import (
    ArticleEvent,
    article_event,
    context_markers,
    in_main_cluster,
    is_other_event,
    main_event_markers,
    markers,
    merge,
    off_event,
)
from bot.answering.leads import ArticleMarkersCache, article_markers, main_event_markers_cached
from bot.answering.question import analyse
from bot.answering.retrieve import Retriever
from bot.ingest.catalog import SentenceRow
from bot.models import ArticleMeta, Evidence, Sentence

MAIN = [  # (title, lead, published)
    ("Flood in Norwick leaves town under water",
     "The river burst its banks in Norwick on 3 May 2031. Rescuers from Valdor reached the town by boat.", "2031-05-04"),
    ("Norwick flood: what we know",
     "At least 40 people died when the river flooded Norwick. The mayor asked Valdor for help.", "2031-05-06"),
    ("Why Norwick was not ready",
     "Engineers had warned Norwick for years. The flood of 3 May killed dozens in Valdor's worst disaster.", "2031-05-20"),
]
OTHERS = [  # reports on other events: each place named within a few days, across years
    ("Fire at the Polar Stadium in Tallinn", "A fire swept through the Polar Stadium in Tallinn on 9 June 2027. "
     "Firefighters from across Valdor were called in.", "2027-06-10"),
    ("Tallinn stadium fire toll rises", "The fire at the Polar Stadium in Tallinn killed 31 people. "
     "Valdor declared a day of mourning.", "2027-06-12"),
    ("Bridge collapses in Orlen", "A bridge fell into the river in Orlen on 2 March 2029. "
     "Officials in Valdor blamed old steel.", "2029-03-03"),
    ("Orlen bridge: engineers blamed", "The collapse in Orlen killed 12. Inspectors in Valdor opened an inquiry.",
     "2029-03-05"),
    ("Storm hits Valdor coast", "A storm struck the coast in Valdor on 8 October 2030. Ports closed.", "2030-10-09"),
]


def _main(articles: list[tuple[str, str, str]]) -> dict[str, frozenset]:
    return main_event_markers([a[1] for a in articles], [a[2] for a in articles], [a[0] for a in articles])


def test_the_main_event_is_the_burst_of_coverage_not_the_country_every_report_names() -> None:
    alone, with_archive = _main(MAIN), _main(MAIN + OTHERS)
    assert with_archive["anchor"] == frozenset({"norwick"})
    for key in ("names", "years", "dates"):  # the archive beside the corpus changes nothing about its main event
        assert with_archive[key] == alone[key], key
    assert 2027 not in with_archive["years"] and "tallinn" not in with_archive["names"]


def test_without_distinct_articles_every_article_is_about_the_main_event() -> None:
    one = main_event_markers([MAIN[0][1]], [MAIN[0][2]], [MAIN[0][0]])
    assert not one["anchor"]
    _, m = article_markers(*OTHERS[0][:2])
    assert in_main_cluster(m, OTHERS[0][2], one)



def test_a_later_report_naming_the_main_event_s_place_in_its_year_is_a_follow_up() -> None:
    main = _main(MAIN + OTHERS)
    # six weeks on, recalling an earlier date of the same flood: still the Norwick flood
    _, later = article_markers("Inquiry into Norwick flood opens",
                               "Engineers in Norwick had raised the alarm on 28 April, the inquiry heard.")
    assert article_event(later, "2031-06-20", main) is None
    # the same town in another year's report is another event there
    _, old = article_markers("Norwick flood of 2027 remembered", "Floods in Norwick in 2027 killed nine.")
    assert article_event(old, "2027-06-01", main) is not None
    assert article_event(later, "2029-06-20", main) is not None


def test_a_capitalised_stop_word_ends_a_name() -> None:
    # text joined without its sentence breaks: "He" and "The" start sentences, they are not places
    m = markers("He sat for Orlen in Valdor He was born at Upper Norwick. Stated in The Ledger The Ledger entry")
    assert not {"he", "the"} & (m.names | m.places)
    assert {"valdor", "upper", "norwick", "ledger"} <= m.places


def test_undated_pages_naming_one_place_make_no_main_event() -> None:
    # pages on two namesakes, without publication dates: two name a birthplace, the third is about another
    # Ada Voss; nothing in dates says which is "the" event, so every page is heard
    pages = [("Page one", "Ada Voss was born in Harlow in 1901. She wrote novels.", ""),
             ("Page two", "Ada Voss (1901-1960), born in Harlow, was a novelist.", ""),
             ("Page three", "Ada Voss is a cyclist from Norwick who won in 2019.", "")]
    assert not _main(pages)["anchor"]
    dated = [(t, lead, "2031-05-04") for t, lead, _ in pages]  # the same pages dated within days: a burst
    assert _main(dated)["anchor"] == frozenset({"harlow"})
    one_dated = [pages[0][:2] + ("2031-05-04",), pages[1], pages[2]]  # one dated page and an undated one: no burst
    assert not _main(one_dated)["anchor"]

def test_the_cache_gives_the_same_markers_and_the_main_articles(tmp_path) -> None:
    articles = OTHERS[:2] + MAIN + OTHERS[2:]
    leads, published, titles = [a[1] for a in articles], [a[2] for a in articles], [a[0] for a in articles]
    for _ in range(2):  # computed, then read back
        cached, members = main_event_markers_cached(leads, published, tmp_path / "cache.sqlite3", titles)
        assert cached == main_event_markers(leads, published, titles)
        assert members == [2, 3, 4]
    stored = ArticleMarkersCache(tmp_path / "cache.sqlite3")  # what answering reads, the articles a search met
    pairs = list(zip(titles, leads)) + [("Unseen title", "A fire in Orlen.")]  # the last one is computed
    assert stored.get_many(pairs) == [article_markers(t, lead)[1] for t, lead in pairs]
    stored.close()


def test_a_report_elsewhere_is_outside_the_main_event_even_in_the_same_country() -> None:
    main = _main(MAIN + OTHERS)
    for title, lead, published in OTHERS[:4]:  # "in Orlen", "Officials in Valdor": Orlen places it elsewhere
        _, m = article_markers(title, lead)
        assert not in_main_cluster(m, published, main) and article_event(m, published, main), title
    for title, lead, published in MAIN:
        _, m = article_markers(title, lead)
        assert in_main_cluster(m, published, main) and article_event(m, published, main) is None, title


def _ev(source: str, text: str, published: str, article: ArticleEvent | None = None) -> Evidence:
    return Evidence(Sentence(source, 5, text, 0, len(text), 2), ArticleMeta(source, source, published=published),
                    0.8, (), article)


def test_a_sentence_naming_nothing_takes_the_event_of_its_article() -> None:
    main = _main(MAIN + OTHERS)
    _, m = article_markers(*OTHERS[1][:2])
    tallinn = article_event(m, OTHERS[1][2], main)
    plain = "Officials said 35 people were killed."
    assert not is_other_event(context_markers(plain, ()), main)  # read alone, nothing places it elsewhere
    assert is_other_event(context_markers(plain, (), article=tallinn), main)
    # a country both events share does not bring it back to the main event; the main event's place does
    assert is_other_event(context_markers("Police in Valdor said 35 people were killed.", (), article=tallinn), main)
    assert not is_other_event(context_markers("In Norwick, 44 people were killed.", (), article=tallinn), main)


def test_values_from_a_report_on_another_event_are_not_compared_with_the_main_event() -> None:
    main = _main(MAIN + OTHERS)
    _, m = article_markers(*OTHERS[1][:2])
    pool = [_ev("a.md", "At least 40 people were killed, officials said.", "2031-05-04"),
            _ev("b.md", "The death toll rose to 46 people killed.", "2031-05-06"),
            _ev("tallinn.md", "Officials said 35 people were killed.", "2027-06-12", article_event(m, "2027-06-12", main))]
    groups = find_disagreements(pool, analyse("How many people were killed?"), main)
    values = {c.value for g in groups for c in g.claims}
    assert any("40" in v for v in values) and any("46" in v for v in values)
    assert not any("35" in v for v in values), values


class _Catalog:
    """The catalog calls the retriever makes, over a ranked list of (source, sentence) pairs."""

    def __init__(self, ranked: list[tuple[str, str]], articles: dict[str, tuple[str, str, str]]) -> None:
        self.ranked, self.articles, self.extra = ranked, articles, 0

    def live_nodes(self) -> int:
        return len(self.ranked)

    def lexical(self, words: list[str], k: int, within: frozenset[str] | None = None,
                context: bool = False) -> list[tuple[str, float]]:
        if context:  # no sentence here leans on its context: that ranking adds nothing
            return []
        ranked = [(str(i), 10.0 - i / 100) for i in range(len(self.ranked))]
        return [h for h in ranked if within is None or self.ranked[int(h[0])][0] in within][:k]

    def live_rows(self, ids: list[str]) -> dict[str, SentenceRow]:
        out = {}
        for i in ids:
            source, text = self.ranked[int(i)]
            out[i] = SentenceRow(source, "h", int(i), text, 0, len(text), 1, "", ())
        return out

    def versions_of(self, keys: set[tuple[str, str]]) -> dict[tuple[str, str], tuple[dict, str]]:
        out = {}
        for source, full in keys:
            title, lead, published = self.articles[source]
            out[(source, full)] = ({"source": source, "title": title, "published": published}, lead)
        return out


def test_the_search_looks_past_reports_on_events_the_question_does_not_name() -> None:
    articles = {f"other-{k}.md": a for k, a in enumerate(OTHERS)} | {f"main-{k}.md": a for k, a in enumerate(MAIN)}
    main = _main(list(articles.values()))
    ranked = [(f"other-{k % 4}.md", f"Officials said {30 + k} people were killed.") for k in range(12)]
    ranked += [("main-1.md", "Officials said 44 people were killed."), ("main-2.md", "The flood killed 47 people.")]
    retriever = Retriever(None, None, _Catalog(ranked, articles), lexical_k=2, main=main)
    found = retriever.retrieve_lexical("kill", "How many people were killed?")
    assert [e.sentence.source for e in found] == ["main-1.md", "main-2.md"]
    # the question names the other event: its reports are evidence again
    found = retriever.retrieve_lexical("kill", "How many people were killed in Tallinn?")
    assert {e.sentence.source for e in found} == {"other-0.md", "other-1.md"}


def test_past_the_widest_ranking_the_search_looks_among_the_main_events_articles() -> None:
    """Reports on other events fill the whole widened ranking (lexical_k 2: 32 places); the main event's
    sentences below it are found by a search over its articles alone, and still judged one by one."""
    articles = {f"other-{k}.md": a for k, a in enumerate(OTHERS)} | {f"main-{k}.md": a for k, a in enumerate(MAIN)}
    main = _main(list(articles.values()))
    ranked = [(f"other-{k % 4}.md", f"Officials said {30 + k} people were killed.") for k in range(40)]
    ranked += [("main-1.md", "Officials said 44 people were killed."), ("main-2.md", "The flood killed 47 people.")]
    retriever = Retriever(None, None, _Catalog(ranked, articles), lexical_k=2, main=main)
    assert [e.sentence.source for e in retriever.retrieve_lexical("kill", "How many people were killed?")] == []
    retriever = Retriever(None, None, _Catalog(ranked, articles), lexical_k=2,
                          main={**main, "sources": frozenset({"main-1.md", "main-2.md", "other-0.md"})})
    found = retriever.retrieve_lexical("kill", "How many people were killed?")
    assert [e.sentence.source for e in found] == ["main-1.md", "main-2.md"]  # other-0's were judged and left out


def test_a_question_names_another_event_by_its_whole_place_name_not_a_shared_word() -> None:
    main = _main(MAIN + OTHERS)
    _, m = article_markers(*OTHERS[0][:2])  # "the Polar Stadium in Tallinn"
    fire = article_event(m, OTHERS[0][2], main)
    plain = "Officials said 35 people were killed."
    assert off_event(plain, (), fire, markers("How many died at the Riverside Stadium?"), main)
    assert not off_event(plain, (), fire, markers("How many died at the Polar Stadium?"), main)
    assert not off_event(plain, (), fire, markers("How many died in 2027?"), main)
    assert off_event(plain, (), fire, markers("What happened in Orlen in 2027?"), main)  # another place's 2027
    assert not off_event(plain, (), None, markers("How many died?"), main)  # the main event's articles: always evidence


def test_a_follow_up_during_the_coverage_naming_another_place_is_about_the_main_event() -> None:
    """A vigil in a neighbouring town a week later names no date of its own: the same event. The same
    headline three years on is another one."""
    main = _main(MAIN + OTHERS)
    title, lead = "Vigil held in Ashby for the flood's victims", "Hundreds laid flowers by the river in Ashby on Saturday."
    m = merge(markers(title), markers(lead))
    assert article_event(m, "2031-05-27", main) is None
    assert article_event(m, "2034-05-27", main) is not None
    dated = merge(markers(title), markers("Hundreds laid flowers by the river in Ashby on 12 April 2029."))
    assert article_event(dated, "2031-05-27", main) is not None  # it says when: another event


def test_a_question_naming_the_person_an_article_is_about_keeps_that_article() -> None:
    """Reports on several people of one name: the one about another Ada Voss, dated and placed elsewhere, still
    answers "When was Ada Voss born?"; a question that does not name her leaves it out as before."""
    lead = "Ada Voss (born 4 March 1951) is a Tallinn architect who designed the Polar Stadium in 1990."
    main = _main(MAIN + [("Ada Voss (architect)", lead, "2027-06-10")] + OTHERS)
    _, m = article_markers("Ada Voss (architect)", lead)
    other = article_event(m, "2027-06-10", main)
    assert other is not None
    plain = "She trained in Orlen before moving to Tallinn."
    assert not off_event(plain, (), other, markers("When was Ada Voss born?"), main)
    assert off_event(plain, (), other, markers("How many died at the Riverside Stadium?"), main)


def test_a_later_turn_of_the_story_naming_its_people_is_a_follow_up() -> None:
    vote = [("Voss leads as Tarsk counts votes", "Ada Voss won the presidential vote in Tarsk on 13 June, "
             "ahead of Karl Dunn.", "2033-06-14"),
            ("Dunn camp cries fraud in Tarsk", "Karl Dunn said the Tarsk vote of 13 June was rigged against him, "
             "as Ada Voss claimed victory.", "2033-06-15")]
    main = _main(vote)
    # days later, not naming the place: Dunn's concession and the swearing-in are the same story
    _, later = article_markers("Dunn concedes; Voss to be sworn in",
                               "Karl Dunn conceded defeat on 17 June, and Ada Voss will be sworn in on 1 July.")
    assert article_event(later, "2033-06-18", main) is None
    # the same people at an earlier date, or in another year, are another event
    _, earlier = article_markers("Voss and Dunn debate", "Ada Voss and Karl Dunn met in Orlen on 2 May for a debate.")
    assert article_event(earlier, "2033-06-18", main) is not None
    _, other_year = article_markers("Voss and Dunn again", "Ada Voss faced Karl Dunn in Orlen in 2029.")
    assert article_event(other_year, "2033-06-18", main) is not None
