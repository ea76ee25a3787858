"""Word-level helpers shared by retrieval, scope checks and conversation handling."""

from __future__ import annotations

import re
from functools import lru_cache

_WORD = re.compile(r"[A-Za-zÀ-ÿ0-9][A-Za-zÀ-ÿ0-9'’\-]*")

# General English function words; nothing here is specific to any corpus.
STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had
    has have having he her here hers herself him himself his how i if in into is it its itself just
    me more most my myself no nor not now of off on once only or other our ours ourselves out over
    own same she should so some such than that the their theirs them themselves then there these they
    this those through to too under until up very was we were what when where which while who whom
    why will with would you your yours yourself yourselves tell say says said please know also
    according many much give gave given there's what's who's it's did does do doing one ones
    anything something thing things any people person happened happen happens
    """.split()
)


@lru_cache(maxsize=1)
def _stemmer():  # type: ignore[no-untyped-def]
    import Stemmer

    return Stemmer.Stemmer("english")


def words(text: str) -> list[str]:
    """Lower-case word tokens."""
    return [w.lower().strip("'’-") for w in _WORD.findall(text)]


def stem(word: str) -> str:
    """Snowball stem of one lower-case word."""
    return _stemmer().stemWord(word)


def content_stems(text: str) -> list[str]:
    """Stems of the non-stopword tokens, in order."""
    return [stem(w) for w in words(text) if w and w not in STOPWORDS]
