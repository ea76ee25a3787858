"""Initialisms a sentence spells out: "the University of Puerto Rico at Aguadilla" is the "UPRA".

A question may name its subject by the initials of a name the articles write in full. A name here is a maximal run of capitalised words, with lower-case function words inside it
("of", "at", "and"); its initialism is the first letters of its content words, lower case. Punctuation ends a run,
and a capitalised function word ("The", "A") opens a new one, so "... at Aguadilla The University ..." is two names.
"""

from __future__ import annotations

import re
from functools import lru_cache

from bot.text.tokens import STOPWORDS

_WORD = re.compile(r"[^\W_][\w'’]*")

MIN_LETTERS = 3  # two letters name too many things ("US", "UN" are written as such by the articles)
MAX_LETTERS = 8


@lru_cache(maxsize=16384)
def initialisms(text: str) -> frozenset[str]:
    """The initialisms of the names written out in the text ("upra"), lower case."""
    out: set[str] = set()
    run: list[str] = []

    def close() -> None:
        letters = "".join(w[0] for w in run if w.lower() not in STOPWORDS).lower()
        if MIN_LETTERS <= len(letters) <= MAX_LETTERS:
            out.add(letters)
        run.clear()

    end = 0
    for m in _WORD.finditer(text):
        w, low = m.group(), m.group().lower()
        if text[end:m.start()].strip():
            close()  # a comma, a bracket, a dash: the name ends there ("Aguadilla, Puerto Rico", "Service (KES)")
        end = m.end()
        if w[:1].isupper() and w[:1].isalpha():
            if low in STOPWORDS and run:
                close()  # "... at Aguadilla The University": a capitalised article opens another name
            if low not in STOPWORDS or not run:
                run.append(w)
        elif low in STOPWORDS and run:
            run.append(w)  # "of", "at": inside a name
        else:
            close()
    close()
    return frozenset(out)


def spelt_out(word: str, text: str) -> bool:
    """The text writes out a name whose initials are the word (lower case): "upra" in "the University of
    Puerto Rico at Aguadilla"."""
    return MIN_LETTERS <= len(word) <= MAX_LETTERS and word.isalpha() and word in initialisms(text)


__all__ = ["initialisms", "spelt_out"]
