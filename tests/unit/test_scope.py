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
