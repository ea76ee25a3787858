"""Words and tokens: the word tokenizer and stemmer that retrieval, scope checks, questions and conversation
share, and the one lexer (figures, words, symbols with their offsets) that numbers, values and dates read."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from bot.text.vocab import CURRENCY_SIGNS, STOPWORDS, WH_WORDS

__all__ = ["STOPWORDS", "WH_WORDS", "Tok", "lex", "raw_words", "words", "stem", "content_stems"]

# Letters and digits of any script, with inner apostrophes and hyphens ("ISIS-K", "Крокус").
_WORD = re.compile(r"[^\W_][\w'’\-]*")

# A sentence's tokens, for reading values: figures ("2,000", "7.8", "2.3bn"; the digits of "1990s" and
# "1st" too, so the readers can see what is glued to them), words of any script (hyphens between
# letters kept: "thirty-nine", "ISIS-K"), and the symbols that qualify or separate values (tried before
# words, so that "US$" is one currency sign rather than the word "US").
_LEX = re.compile(
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?:(?P<suffix>bn|mn|tn|k|m)(?!\w)|(?!\d))"
    r"|(?P<sym>US\$|" + "|".join(re.escape(c) for c in sorted(CURRENCY_SIGNS)) + r"|[%°\-–—,;:()\"“”])"
    r"|(?P<word>[^\W\d_][\w'’]*(?:-[^\W\d_][\w'’]*)*)"
)


@dataclass(frozen=True)
class Tok:
    """A token of a sentence with its character span: a figure (num), a word or a symbol (sym)."""

    text: str  # a figure without its scale suffix ("2.3" of "2.3bn"); the span covers both
    start: int
    end: int
    kind: str = "word"  # num | word | sym
    suffix: str = ""  # bn | mn | tn | k | m, lower case

    @property
    def low(self) -> str:
        return self.text.lower()


def lex(text: str) -> list[Tok]:
    """Figure, word and symbol tokens of a sentence, left to right, with their offsets."""
    return list(_lex(text))  # memoised: an answer reads each evidence sentence's tokens many times


@lru_cache(maxsize=16384)
def _lex(text: str) -> tuple[Tok, ...]:
    out = []
    for m in _LEX.finditer(text):
        if m.group("num"):
            out.append(Tok(m.group("num"), m.start(), m.end(), "num", (m.group("suffix") or "").lower()))
        elif m.group("word"):
            out.append(Tok(m.group("word"), m.start(), m.end(), "word"))
        else:
            out.append(Tok(m.group(), m.start(), m.end(), "sym"))
    return tuple(out)


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
