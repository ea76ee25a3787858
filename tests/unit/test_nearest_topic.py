"""nearest_topic reads only the window a value can reach; it must give what reading the whole sentence gives."""

from __future__ import annotations

import pytest

from bot.text.lexicon import quiet_families
from bot.text.tokens import lex
from bot.text.values import _CLAUSE, _family_positions, nearest_topic

pytestmark = pytest.mark.unit

SENTENCES = [
    "The flood killed at least 40 people and injured 120 others in Varno, officials said on Monday.",
    "Police arrested six suspects; the attack, which killed 12, was claimed by the Red Hand group in 2029.",
    "In 1990 there were 3,162 residents, in 2000 some 3,351 and in 2010 about 3,307, the census said, "
    "while the storm of 2011 injured 14 and killed 2 and the fire of 2015 killed 9 firefighters at the depot.",
]


def _whole_sentence(toks, start, end, allowed, reach):  # the reading before the window: every family word
    best = (float("inf"), "")
    for j, name in _family_positions(toks):
        if name in quiet_families() and (allowed is None or name not in allowed):
            continue
        if start <= j < end:
            continue
        lo, hi = (end, j) if j >= end else (j + 1, start)
        between = toks[lo:hi]
        cost = len(between) + 1 + 3 * sum(t.text in _CLAUSE for t in between) + (0.5 if j < start else 0)
        if cost < best[0]:
            best = (cost, name)
    if best[0] > reach or (allowed is not None and best[1] not in allowed):
        return ""
    return best[1]


@pytest.mark.parametrize("text", SENTENCES)
def test_the_window_gives_what_the_whole_sentence_gives(text: str) -> None:
    toks = lex(text)
    for allowed in (None, {"killed"}, {"injured", "arrested"}):
        for reach in (3, 9, 13):
            for i in range(len(toks)):
                assert nearest_topic(toks, i, i + 1, allowed, reach) == _whole_sentence(toks, i, i + 1, allowed, reach)
