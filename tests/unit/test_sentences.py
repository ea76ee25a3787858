"""Sentence spans: exact offsets, abbreviations, headings attached to their section, fragments dropped."""

from __future__ import annotations

from bot.text.sentences import split_sentences

BODY = """What happened?
The U.S. embassy said Dr. Smith arrived at 9 a.m. on Monday. He left at noon!

Who is J. Smith
He is a surgeon. In 2002, .

A hard-wrapped paragraph continues
on the next line and ends here.
"""


def _texts(body: str) -> list[str]:
    return [body[s.start : s.end] for s in split_sentences(body)]


def test_spans_are_exact_text_of_the_body() -> None:
    # every quotable sentence, whole and trimmed, in body order; headings and fragments are not among them
    assert _texts(BODY) == [
        "The U.S. embassy said Dr. Smith arrived at 9 a.m. on Monday.",
        "He left at noon!",
        "He is a surgeon.",
        "A hard-wrapped paragraph continues\non the next line and ends here.",
    ]
    spans = split_sentences(BODY)
    assert [s.start for s in spans] == [BODY.index(t) for t in _texts(BODY)]


def test_abbreviations_and_initials_do_not_end_sentences() -> None:
    texts = _texts(BODY)
    assert "The U.S. embassy said Dr. Smith arrived at 9 a.m. on Monday." in texts
    assert "He left at noon!" in texts


def test_headings_are_not_sentences_but_label_their_section() -> None:
    spans = split_sentences(BODY)
    texts = [BODY[s.start : s.end] for s in spans]
    assert "What happened?" not in texts and "Who is J. Smith" not in texts
    by_text = {BODY[s.start : s.end]: s for s in spans}
    assert by_text["He left at noon!"].heading == "What happened?"
    assert by_text["He is a surgeon."].heading == "Who is J. Smith"


def test_fragments_are_not_quotable() -> None:
    assert "In 2002, ." not in _texts(BODY)


def test_hard_wrapped_lines_stay_one_sentence() -> None:
    assert "A hard-wrapped paragraph continues\non the next line and ends here." in _texts(BODY)


def test_long_question_line_in_prose_is_a_sentence() -> None:
    body = "So why is a group based in Central Asia and busy fighting the Taliban targeting the Russian capital?\n\nBecause it can."
    assert _texts(body)[0].startswith("So why is a group")
