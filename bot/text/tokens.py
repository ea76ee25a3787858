"""Words: the one tokenizer and stemmer that retrieval, scope checks, questions and conversation share."""

from __future__ import annotations

import re
from functools import lru_cache

from bot.text.vocab import STOPWORDS, WH_WORDS

__all__ = ["STOPWORDS", "WH_WORDS", "raw_words", "words", "stem", "content_stems"]

# Letters and digits of any script, with inner apostrophes and hyphens ("ISIS-K", "Крокус").
_WORD = re.compile(r"[^\W_][\w'’\-]*")



@lru_cache(maxsize=1)
def _stemmer():  # type: ignore[no-untyped-def]
    import Stemmer

    return Stemmer.Stemmer("english")


def raw_words(text: str) -> list[str]:
    """Word tokens as written (case kept: a capital can mark a name)."""
    return [w.strip("'’-") for w in _WORD.findall(text)]


def words(text: str) -> list[str]:
    """Lower-case word tokens."""
    return [w.lower() for w in raw_words(text)]


def stem(word: str) -> str:
    """Snowball stem of one lower-case word."""
    return _stemmer().stemWord(word)


def content_stems(text: str) -> list[str]:
    """Stems of the non-stopword tokens, in order."""
    return [stem(w) for w in words(text) if w and w not in STOPWORDS]
