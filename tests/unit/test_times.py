"""Times of day as values: read, tied to what was asked, compared only within one time zone (invented reports)."""

from __future__ import annotations

import pytest

from bot.answering.claims import find_disagreements, main_event_markers
from bot.answering.question import analyse
from bot.models import ArticleMeta, Evidence, Sentence
from bot.text.syntax import SyntaxCache
from bot.text.times import find_times

pytestmark = pytest.mark.unit
MAIN = main_event_markers(["A dam failed above Orlen.", "The Orlen dam failed."], ["2031-04-02"])


def ev(source: str, text: str) -> Evidence:
    meta = ArticleMeta(source=source, title=f"Report {source}", outlet=source.split(".")[0].title(), published="2031-04-02")
    return Evidence(sentence=Sentence(source, 0, text, 0, len(text), 0), meta=meta, score=0.9)


def test_times_of_day_are_read_in_their_written_forms() -> None:
    def read(text: str) -> list[tuple[str, object, str]]:
        return [(v.text, v.norm, v.qualifier) for v in find_times(text)]

    assert read("The dam failed at 9:15 p.m. local time.") == [("9:15 p.m. local time", (21 * 60 + 15, ""), "exact")]
    assert read("It failed at 19:15 GMT on Tuesday.") == [("19:15 GMT", (19 * 60 + 15, "UTC"), "exact")]
    assert read("Shortly after 10 pm the sirens sounded.") == [("10 pm", (22 * 60, ""), "approx")]
    assert read("The 12:30 a.m. train") == [("12:30 a.m.", (30, ""), "exact")]
    # no time: a decimal, a score, a figure
    assert read("The level rose 2.5 metres to 10.30 m; the vote was 5:3; 12 people") == []


def test_sources_giving_other_times_disagree_and_one_moment_agrees(syntax: SyntaxCache) -> None:
    pool = [ev("a.md", "The Orlen dam failed at 9:15 p.m. on Tuesday."),
            ev("b.md", "The dam failed at 21:15, officials said."),
            ev("c.md", "Witnesses said the dam failed at about 10 p.m."),
            ev("d.md", "The evacuation order came at 11 p.m.")]  # not what was asked
    (g,) = find_disagreements(pool, analyse("At what time did the dam fail?"), MAIN, syntax)
    assert {c.evidence.sentence.source: c.value for c in g.claims} == {"a.md": "9:15 p.m.", "b.md": "21:15",
                                                                      "c.md": "10 p.m."}
    assert g.disagrees and len(g.clusters) == 2


def test_universal_time_and_local_time_are_not_compared(syntax: SyntaxCache) -> None:
    pool = [ev("a.md", "The dam failed at 9:15 p.m. local time."), ev("b.md", "The dam failed at 19:15 GMT.")]
    (g,) = find_disagreements(pool, analyse("At what time did the dam fail?"), MAIN, syntax)
    assert not g.disagrees and "19:15 GMT" in g.explanation


def test_no_time_is_no_claim(syntax: SyntaxCache) -> None:
    pool = [ev("a.md", "The dam failed on Tuesday evening, officials said.")]
    assert find_disagreements(pool, analyse("At what time did the dam fail?"), MAIN, syntax) == []


def test_a_time_named_by_a_word_and_a_time_of_another_action(syntax: SyntaxCache) -> None:
    assert [(v.text, v.norm, v.qualifier) for v in find_times("It failed shortly before midnight.")] == [
        ("shortly before midnight", (0, ""), "approx")]
    # the sentence says when the dam failed and, with a figure, when the flooding stopped: only the first answers
    pool = [ev("a.md", "The Orlen dam failed shortly before midnight and the flooding was contained by 6 a.m.")]
    (g,) = find_disagreements(pool, analyse("At what time did the dam fail?"), MAIN, syntax)
    assert [c.value for c in g.claims] == ["shortly before midnight"]
    # a sentence that does not use the asked verb keeps its time ("struck at 23:40" for "when did it hit?")
    pool = [ev("a.md", "The flood that swept Orlen at 23:40 GMT killed four people.")]
    (g,) = find_disagreements(pool, analyse("At what time did the flood hit Orlen?"), MAIN, syntax)
    assert [c.value for c in g.claims] == ["23:40 GMT"]
