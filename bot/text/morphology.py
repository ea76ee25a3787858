"""Derivational morphology from the pipeline's own word index: the activity a person noun is named after.

"footballer" is one who plays football, "boxer" one who boxes (boxing), "violinist" one who plays the
violin. The English pipeline's lemmatizer ships WordNet's lists of nouns, verbs and adjectives
(`lemma_index`); an agent suffix (-er, -ist) is taken off a word, and the base is kept when the
index knows it: as the activity noun itself ("football", "violin") when it is a noun and no verb,
or as its -ing noun ("boxing", "skating") when it is a verb. No list of sports or instruments.
"""

from __future__ import annotations

from functools import lru_cache

from bot.config import DEFAULT_PIPELINES
from bot.text.syntax import _load, resolve_pipeline
from bot.text.vocab import AGENT_SUFFIXES



@lru_cache(maxsize=2)
def _index(pipeline: str) -> dict[str, frozenset[str]]:
    """WordNet's nouns, verbs and adjectives as the pipeline's lemmatizer ships them; {} when it has none."""
    try:
        table = _load(pipeline).get_pipe("lemmatizer").lookups.get_table("lemma_index")
        return {pos: frozenset(table.get(pos) or ()) for pos in ("noun", "verb", "adj")}
    except (KeyError, ValueError):
        return {}


def known(pipeline: str, word: str, pos: str) -> bool:
    """The pipeline's word index lists `word` as a `pos` ("noun", "verb", "adj")."""
    return word in _index(pipeline).get(pos, frozenset())


@lru_cache(maxsize=1)
def _default() -> str:
    """The default pipeline's name, resolved once (an import lookup and a metadata read); "" when none is installed."""
    return resolve_pipeline(DEFAULT_PIPELINES)[0]


@lru_cache(maxsize=1)
def _english_words() -> frozenset[str]:
    """Every noun, verb and adjective of the default pipeline's index (looked up once, not per question word)."""
    name = _default()
    return frozenset().union(*_index(name).values()) if name else frozenset()


def dictionary_word(word: str) -> bool:
    """An English word the default pipeline's index lists as a noun, verb or adjective ("depth"; not "kiled")."""
    return word in _english_words()


def dictionary_noun(word: str) -> bool:
    """A word the default pipeline's index lists as a noun ("short" is one, "active" is not)."""
    return bool(_default()) and known(_default(), word, "noun")


def _ing(verb: str) -> str:
    return (verb[:-1] if verb.endswith("e") and not verb.endswith("ee") else verb) + "ing"


def activities(pipeline: str, agent: str) -> list[str]:
    """The activities an agent noun may be named after, most likely first: "boxer" → ["boxing", "box"],
    "footballer" → ["football"], "skater" → ["skating", "skate"]; [] when it is no agent noun the index explains."""
    idx = _index(pipeline)
    if not idx:
        return []
    out: list[str] = []
    for suffix in AGENT_SUFFIXES:
        if not agent.endswith(suffix) or len(agent) - len(suffix) < 3:
            continue
        stem = agent[: -len(suffix)]
        bases = [(stem, _ing(stem)), (stem + "e", _ing(stem + "e"))]
        if len(stem) > 3 and stem[-1] == stem[-2]:
            bases.append((stem[:-1], stem + "ing"))  # "swimmer": swim, swimming
        for base, ing in bases:
            verb, noun = base in idx["verb"], base in idx["noun"]
            if verb and ing in idx["noun"]:
                out += [ing, base]  # one who boxes: boxing
            elif noun and base != agent:
                out.append(base)  # one who plays football: football
    return list(dict.fromkeys(out))


def doer_noun(pipeline: str, word: str) -> bool:
    """A noun for one who does what its base names, by the index: "creator" (create), "artist" (art),
    "owner" (own), "winner" (win); not "character" or "husband"."""
    for suffix in AGENT_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            base = word[: -len(suffix)]
            undoubled = base[:-1] if base[-1] == base[-2] else ""
            if any(b and (known(pipeline, b, "verb") or known(pipeline, b, "noun")) for b in (base, base + "e", undoubled)):
                return True
    return False


@lru_cache(maxsize=2)
def _irregular(pipeline: str) -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """The lemmatizer's irregular verb forms both ways: form → lemmas ("struck" → strike), lemma → forms."""
    try:
        table = _load(pipeline).get_pipe("lemmatizer").lookups.get_table("lemma_exc").get("verb") or {}
    except (KeyError, ValueError):
        return {}, {}
    forms: dict[str, list[str]] = {}
    for form, lemmas in table.items():
        for lemma in lemmas:
            forms.setdefault(lemma, []).append(form)
    return {f: tuple(ls) for f, ls in table.items()}, {lemma: tuple(fs) for lemma, fs in forms.items()}


def verb_forms(pipeline: str, word: str) -> frozenset[str]:
    """A verb's irregular forms with its lemma ("strike" → strike, struck, stricken; "began" → begin, began,
    begun), which a stemmer does not join; {word} when it has none."""
    to_lemma, to_forms = _irregular(pipeline)
    lemmas = to_lemma.get(word, (word,))
    return frozenset({word, *lemmas, *(f for lemma in lemmas for f in to_forms.get(lemma, ()))})


def irregular_forms(word: str) -> frozenset[str]:
    """verb_forms with the default pipeline ("break" → break, broke, broken); {word} without one."""
    return verb_forms(_default(), word) if _default() else frozenset({word})


__all__ = ["activities", "dictionary_noun", "dictionary_word", "doer_noun", "irregular_forms", "known", "verb_forms"]
