"""Words a question turns on that no article uses: typos of corpus words are not missing, other words are."""

from __future__ import annotations

from bot.answering.scope import ScopeCheck
from bot.text.tokens import stem


def _scope(*words: str) -> ScopeCheck:
    return ScopeCheck({stem(w): 1 for w in words}, n_articles=3)


def test_a_word_no_article_uses_is_missing() -> None:
    scope = _scope("ferry", "harbour", "passengers", "capsized")
    assert scope.missing_terms("Which orchestra played on the ferry?") == ["orchestra", "played"]


def test_one_slip_in_a_long_word_is_taken_for_the_corpus_word() -> None:
    scope = _scope("ferry", "harbour", "passengers", "capsized")
    assert scope.missing_terms("How many pasengers were on the ferry?") == []
    assert scope.missing_terms("When had the harbor closed?") == ["closed"]


def test_short_words_differ_by_meaning_not_by_a_slip() -> None:
    assert _scope("band", "ferry").missing_terms("Was there a bank on the ferry?") == ["bank"]


def test_the_near_match_scales_to_a_large_vocabulary() -> None:
    """200,000 invented stems: the typo still finds its word, an unrelated word still is missing."""
    vocab = {f"w{i:06d}x": 1 for i in range(200_000)} | {stem("earthquake"): 1, stem("strong"): 1}
    scope = ScopeCheck(vocab, n_articles=10_000)
    assert scope.missing_terms("How strong was the earthquak?") == []
    assert scope.missing_terms("How strong was the tsunami?") == ["tsunami"]


def test_a_word_only_reports_on_other_events_use_is_missing_for_the_main_event() -> None:
    """The archive speaks of a band (at another concert); the main event's articles do not."""
    everywhere = {stem(w): 1 for w in ("ferry", "harbour", "capsized", "band", "orchestra", "passengers")}
    main = frozenset(stem(w) for w in ("ferry", "harbour", "capsized", "passengers"))
    scope = ScopeCheck(everywhere, n_articles=40, main_vocabulary=lambda: main)
    assert scope.missing_terms("Which band played on the ferry?", about_main=True) == ["band", "played"]
    assert scope.missing_terms("Which band played on the ferry?", about_main=False) == ["played"]
    assert scope.missing_terms("How many pasengers were on the ferry?", about_main=True) == []  # a slip still


def test_without_a_main_event_every_article_counts() -> None:
    scope = ScopeCheck({stem("band"): 1, stem("ferry"): 1}, n_articles=3, main_vocabulary=frozenset)
    assert scope.missing_terms("Which band was on the ferry?", about_main=True) == []


def _evidence(text: str, score: float):
    from bot.models import ArticleMeta, Evidence, Sentence

    meta = ArticleMeta(source="a.md", title="Report", outlet="Outlet")
    return Evidence(sentence=Sentence("a.md", 0, text, 0, len(text), 0), meta=meta, score=score)


def test_the_head_of_each_name_in_a_question() -> None:
    from bot.answering.scope import name_heads

    assert name_heads("What party did Ada Mae Kerr join?") == {stem("kerr")}
    assert name_heads("Who won the 2030 Harbour Sailing Cup?") == {stem("cup")}
    assert name_heads("How many ferries sailed?") == frozenset()


def test_a_name_the_best_sentences_give_ties_a_question_to_the_articles() -> None:
    from bot.answering.scope import name_heads

    # few articles use the question's words and the meaning is only weakly close (0.82): off the subject,
    # unless a best sentence gives the question's name as a name
    scope = _scope("ferry", "harbour", "passengers", "capsized", "kerr")
    stems = [stem(w) for w in ("party", "ada", "kerr", "join")]
    about = [_evidence("In 1990 Kerr was elected for the Harbour party.", 0.82)]
    assert not scope.off_subject(stems, about, name_heads("What party did Ada Kerr join?"))
    assert scope.off_subject(stems, about, frozenset())
    lower = [_evidence("The sailors said the kerr of the boat was loose.", 0.82)]
    assert scope.off_subject(stems, lower, name_heads("What party did Ada Kerr join?"))


def test_the_measure_a_how_question_names_is_never_missing() -> None:
    scope = _scope("ferry", "harbour", "depth", "capsized")
    assert scope.missing_terms("How deep was the harbour?") == []  # "a depth of 12 metres"
    assert scope.missing_terms("How deep was the lagoon?") == ["lagoon"]
    assert scope.missing_terms("How high was the harbour wall?") == ["high", "wall"]  # no height given anywhere


def test_a_name_after_a_preposition_is_the_setting_not_the_subject() -> None:
    from bot.answering.scope import name_heads

    assert name_heads("What is the weather in Port Orrin today?") == frozenset()
    assert name_heads("What is the capital of Australia?") == frozenset()
    assert name_heads("When did Ada Kerr move to Orlen?") == {stem("kerr")}


def test_a_verb_said_in_other_words_is_not_missing_when_the_sentence_names_everything_else() -> None:
    from bot.answering.scope import said_otherwise
    from bot.text.tokens import content_stems

    question = "Were the guards carrying rifles?"
    stems = content_stems(question)
    named = [_evidence("The guards were not armed with rifles, the police said.", 0.86)]
    assert said_otherwise(["carrying"], frozenset({"carrying"}), stems, named) == []
    # a sentence that does not name the rest leaves the verb missing, and a missing noun always stays
    other = [_evidence("The guards left the building at night.", 0.86)]
    assert said_otherwise(["carrying"], frozenset({"carrying"}), stems, other) == ["carrying"]
    assert said_otherwise(["rifles"], frozenset({"carrying"}), stems, named) == ["rifles"]


def test_an_irregular_form_of_the_question_s_verb_is_not_missing() -> None:
    # "break out" / "broke out": a stemmer does not join them, the pipeline's irregular forms do
    scope = _scope("fire", "broke", "plant")
    assert scope.missing_terms("When did the fire break out?") == []
    assert scope.missing_terms("When did the fire spread?") == ["spread"]


def test_a_light_verb_is_not_a_missing_word() -> None:
    # "came second" is said "finished second": the light verb takes its meaning from what follows it
    scope = _scope("finished", "second", "race")
    assert scope.missing_terms("Who came second in the race?") == []
    assert scope.missing_terms("Who organised the race?") == ["organised"]
