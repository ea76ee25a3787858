"""Which language a text is in: py3langid's model (shipped inside the package) with a guard for short questions.

The question analysis, the lexicon and the claims read English; a question in another language is
answered by meaning alone (bot/answering/crosslingual.py). Long texts (articles) are classified
reliably; a question of three words is not ("death toll?" comes out Scottish Gaelic), so a question
in the Latin script counts as another language only when the classifier is confident (see
`question_language`). Letters of another script (Cyrillic, Arabic, Han) decide by themselves.
"""

from __future__ import annotations

import threading
import unicodedata
from collections import Counter
from typing import Any

from bot.text.tokens import WH_WORDS, words

ANALYSED = "en"  # the language the question analysis, the lexicon and the claims read
UNKNOWN = "und"  # ISO 639-2 "undetermined": letters of another script the classifier does not place

# Measured with py3langid 0.4 (normalised probabilities) on 383 English questions (the two eval sets
# with their paraphrases, the RAMDocs development questions): the highest non-English guess was 0.30
# ("When was Gerhard Meidell Gerhardsen born?" → nl). Questions in Spanish, Dutch, French, German of
# four words or more scored 0.53-1.0. Below CONFIDENT, a guess counts only with letters English does
# not write ("¿Qué es ISIS-K?" 0.33) and no English question word.
CONFIDENT = 0.5
HINTED = 0.25


def script(c: str) -> str:
    """The Unicode script of a letter, from its name ("LATIN", "CYRILLIC", "ARABIC", "CJK", ...)."""
    return unicodedata.name(c, "UNKNOWN ").split()[0]


def main_script(text: str) -> str:
    """The script most of a text's letters are written in; "" when it has no letters."""
    scripts = Counter(script(c) for c in text if c.isalpha())
    return scripts.most_common(1)[0][0] if scripts else ""


_identifier_lock = threading.Lock()  # a start-up thread may be loading it when the first question comes
_loaded: Any = None


def _identifier() -> Any:
    global _loaded
    with _identifier_lock:
        if _loaded is None:
            from py3langid.langid import _load_identifier

            _loaded = _load_identifier(norm_probs=True)
        return _loaded


def preload() -> None:
    """Load the classifier's model now (about 0.3-1.5 s), so that no user's first question waits for it."""
    _identifier()


def detect(text: str) -> tuple[str, float]:
    """ISO 639-1 code of a text's language and the classifier's probability for it (0-1)."""
    code, prob = _identifier().classify(text[:5000])
    return str(code), float(prob)


def _foreign_marks(text: str) -> bool:
    """True when the text has letters with diacritics or inverted marks (¿ ¡), which English does not write."""
    return any(c in "¿¡" or (c.isalpha() and not c.isascii()) for c in text)


def question_language(question: str) -> str:
    """The question's language: ANALYSED unless another one is certain enough to answer by meaning alone."""
    main = main_script(question)
    if not main:
        return ANALYSED
    code, prob = detect(question)
    if main != "LATIN":  # English is not written in Cyrillic, Arabic or Han letters
        return code if code != ANALYSED else UNKNOWN
    if code == ANALYSED:
        return ANALYSED
    if prob >= CONFIDENT:
        return code
    asks_in_english = any(w in WH_WORDS for w in words(question))
    if prob >= HINTED and _foreign_marks(question) and not asks_in_english:
        return code
    return ANALYSED


__all__ = ["ANALYSED", "UNKNOWN", "detect", "preload", "main_script", "question_language", "script"]
