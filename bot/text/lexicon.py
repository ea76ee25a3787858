"""Near-synonym families (bot/text/data/lexicon.yaml), matched on word stems (or as written), with typo tolerance."""

from __future__ import annotations

import difflib
from functools import lru_cache
from pathlib import Path

import yaml

from bot.text.morphology import dictionary_word
from bot.text.tokens import stem

LEXICON_PATH = Path(__file__).resolve().parent / "data" / "lexicon.yaml"


@lru_cache(maxsize=1)
def _data() -> dict[str, dict[str, object]]:
    """The lexicon file, read once: family name → {"words": [...], "setting": bool, "asked_only": bool}.

    A family is a list of words, or a mapping with `words` and flags (`setting: true`, `asked_only: true`).
    """
    data = yaml.safe_load(LEXICON_PATH.read_text(encoding="utf-8")) or {}
    out: dict[str, dict[str, object]] = {}
    for name, entry in data.items():
        entry = entry if isinstance(entry, dict) else {"words": entry}
        out[str(name)] = {"words": tuple(str(w) for w in entry.get("words") or ()), "setting": bool(entry.get("setting")),
                          "asked_only": bool(entry.get("asked_only"))}
    return out


@lru_cache(maxsize=1)
def _lexicon() -> dict[str, tuple[str, ...]]:
    """Family name → its words as written (without the "=" that marks a word matched as written)."""
    return {name: tuple(w.lstrip("=") for w in entry["words"]) for name, entry in _data().items()}  # type: ignore[union-attr]


@lru_cache(maxsize=1)
def exact_words() -> dict[str, frozenset[str]]:
    """Family name → its words matched only as written ("=lives": the stem "live" is another word, "people
    live in the city")."""
    return {name: frozenset(w[1:].lower() for w in entry["words"] if w.startswith("="))  # type: ignore[union-attr]
            for name, entry in _data().items()}


@lru_cache(maxsize=1)
def setting_families() -> frozenset[str]:
    """Families flagged `setting`: words that describe the setting of almost every sentence ("the
    attack", "the hall") rather than what a number measures; they compete for a value only when asked about."""
    return frozenset(name for name, entry in _data().items() if entry["setting"])


@lru_cache(maxsize=1)
def quiet_families() -> frozenset[str]:
    """Families whose words compete for a value only when the question asks about them: the `setting`
    ones, and those flagged `asked_only` (words that stand beside many values they say nothing of)."""
    return setting_families() | frozenset(name for name, entry in _data().items() if entry["asked_only"])


@lru_cache(maxsize=1)
def families() -> dict[str, frozenset[str]]:
    """Family name → the stems of its words."""
    return {name: frozenset(stem(w.lower()) for w in entry["words"] if not w.startswith("="))  # type: ignore[union-attr]
            for name, entry in _data().items()}


def with_near_synonyms(stems: frozenset[str]) -> frozenset[str]:
    """The stems with every stem of the (non-setting) families they belong to ("husband" → "wife", "married")."""
    fams = families()
    quiet = setting_families()
    return stems.union(*(st for name, st in fams.items() if name not in quiet and st & stems))


@lru_cache(maxsize=1)
def _all_words() -> dict[str, str]:
    return {w.lower(): name for name, ws in _lexicon().items() for w in ws}


def families_of(word: str) -> list[str]:
    """The families a lower-case word belongs to (by stem), in lexicon order."""
    s, exact = stem(word), exact_words()
    return [name for name, stems in families().items() if s in stems or word in exact[name]]


def families_of_typo(word: str) -> list[str]:
    """Families of a word, allowing one slip of the keyboard for longer words ("injurd", "kiled")."""
    found = families_of(word)
    if found or len(word) < 5:
        return found  # a short word one slip from a family word is most often another word ("size", "seize")
    if dictionary_word(word):
        return []  # a word of its own, not a slip: "depth" is not "death"
    # a slip keeps the first letter and about the length ("kiled"); "firefighters" is not "fighters"
    near = [w for w in _all_words() if w[0] == word[0] and abs(len(w) - len(word)) <= 1]
    close = difflib.get_close_matches(word, near, n=1, cutoff=0.8)
    return [_all_words()[close[0]]] if close else []


def family_words(name: str) -> tuple[str, ...]:
    """The words of one family as written in the lexicon (for lexical search)."""
    return _lexicon().get(name, ())
