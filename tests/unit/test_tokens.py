"""The one lexer that numbers, values, dates and event markers read (bot/text/tokens.py)."""

from __future__ import annotations

import pytest

from bot.text.numbers import read_numbers
from bot.text.tokens import lex

pytestmark = pytest.mark.unit


def test_kinds_and_offsets() -> None:
    text = "At least 2,000 people — nearly 7.8% of them — fled (officials said)."
    toks = lex(text)
    assert [(t.text, t.kind) for t in toks[:5]] == [("At", "word"), ("least", "word"), ("2,000", "num"), ("people", "word"), ("—", "sym")]
    assert all(text[t.start : t.end] == t.text for t in toks)
    assert [t.text for t in toks if t.kind == "sym"] == ["—", "%", "—", "(", ")"]


def test_scale_suffix_is_part_of_the_figure() -> None:
    (fig,) = [t for t in lex("The fund holds 2.3bn in reserve.") if t.kind == "num"]
    assert (fig.text, fig.suffix) == ("2.3", "bn")
    km = [(t.text, t.kind, t.suffix) for t in lex("a 5km walk")]
    assert km == [("a", "word", ""), ("5", "num", ""), ("km", "word", ""), ("walk", "word", "")]


def test_digits_glued_to_letters_stay_visible() -> None:
    assert [(t.text, t.kind) for t in lex("the 1990s and the 3rd")] == [
        ("the", "word"), ("1990", "num"), ("s", "word"), ("and", "word"), ("the", "word"), ("3", "num"), ("rd", "word")]


def test_words_of_any_script_with_inner_hyphens() -> None:
    assert [t.text for t in lex("thirty-nine ISIS-K’s Крокус-Сити")] == ["thirty-nine", "ISIS-K’s", "Крокус-Сити"]
    assert [t.text for t in lex("a 7.8-magnitude quake")] == ["a", "7.8", "-", "magnitude", "quake"]


def test_us_dollar_is_one_currency_sign() -> None:
    assert [(t.text, t.kind) for t in lex("US$ 2bn")] == [("US$", "sym"), ("2", "num")]
    (n,) = read_numbers("The bank lent US$ 2bn to the port.")
    assert (n.text, n.kind, n.unit, n.value) == ("US$ 2bn", "money", "US$", 2e9)
    assert [t.text for t in lex("US troops")] == ["US", "troops"]
