"""What each figure in a sentence is about, from a dependency parse (spaCy), kept in a persistent per-sentence cache.

The parse runs at refresh time (`SyntaxCache.fill`) and is stored in SQLite keyed by a hash of the
sentence text and the pipeline's name and version, so answering only reads it. A miss at answer
time is parsed then (the pipeline loads once, lazily).
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import sqlite3
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from bot.text.namelinks import Name, names
from bot.text.phrases import AGENT, Predicate, lemma, agents, predicates, which
from bot.text.vocab import CURRENCY_WORDS, FRACTION_WORDS, LINKING_VERBS, MONTHS, PERCENT_WORDS, QUANTITY_NOUNS, UNIT_WORDS

SCHEMA = 26  # bump when what a Parse holds changes: older rows are then never read
_QUESTIONS_KEPT = 8  # questions whose parse SyntaxCache.doc keeps
# Dependencies by which a figure stands for the thing it counts ("killing 60", "population of 52,000").
_INSIDE_FIGURE = frozenset({"compound", "quantmod", "nmod"})


@dataclass(frozen=True)
class Figure:
    """A figure's span in the sentence and the lemmas of what it is about, nearest first."""

    span: tuple[int, int]
    about: tuple[str, ...]
    counted: str = ""  # the noun the figure counts, as written ("records"); "" when it stands for a noun itself
    part: bool = False  # it counts a part of what it names ("two of the gunmen"), not the whole
    verb: str = ""  # the lemma of the verb it belongs to ("claim" in "In 2022, the group claimed an attack")
    # the verb's doer is named through someone else ("Ada Lind's father died in 1685", "his wife was born in
    # 1950"): the date is that other person's, not the named one's
    kin: bool = False
    of: tuple[str, ...] = ()  # what the figure is a share of ("vote" in "52.3% of the vote")
    # where the sentence names its verb's doer ("Her rival, Karl Dunn" in "Her rival, Karl Dunn, took 44%"); (0, 0): nowhere
    doer: tuple[int, int] = (0, 0)
    # what it counts is the passive subject of its verb, something done to ("40,000 people were evacuated")
    done_to: bool = False


@dataclass(frozen=True)
class Parse:
    """The stored analysis of one sentence: its language, figures, named entities, predicate nouns and proper names."""

    lang: str = "en"
    figures: tuple[Figure, ...] = ()
    entities: tuple[tuple[int, int, str], ...] = field(default=())  # (start, end, label); empty: NER is not run
    predicates: tuple[Predicate, ...] = ()
    # which one a common noun is, as the sentence says it: (the noun's lemma, start, end of the words that
    # say it): "Spanish Tropical" for "format" in "a Spanish Tropical format", "captain" in "the rank of captain"
    which: tuple[tuple[str, int, int], ...] = ()
    names: tuple[Name, ...] = ()  # proper names with their links (bot/text/namelinks.py)

    def figure(self, span: tuple[int, int]) -> Figure | None:
        """The figure overlapping span; None when the parse has no such figure."""
        return next((f for f in self.figures if f.span[0] < span[1] and span[0] < f.span[1]), None)

    def about(self, span: tuple[int, int]) -> tuple[str, ...]:
        """What the figure overlapping span is about; () when the parse has no such figure."""
        f = self.figure(span)
        return f.about if f is not None else ()

    def to_json(self) -> str:
        """Compact JSON for the cache."""
        return json.dumps({"lang": self.lang, "f": [[*f.span, list(f.about), f.counted, f.part, f.verb, f.kin, list(f.of), *f.doer, f.done_to]
                                 for f in self.figures],
                           "e": [list(e) for e in self.entities],
                           "p": [[*p.span, *p.subject, list(p.norm), p.copula,
                                  [[g, [list(w) for w in ws]] for g, ws in p.parts]] for p in self.predicates],
                           "w": [list(w) for w in self.which],
                           "n": [n.to_list() for n in self.names]})

    @staticmethod
    def from_json(data: str) -> Parse:
        """The inverse of to_json."""
        d = json.loads(data)
        return Parse(d["lang"], tuple(Figure((s, e), tuple(a), c, p, v, k, tuple(o), (x, y), t) for s, e, a, c, p, v, k, o, x, y, t in d["f"]),
                     tuple((s, e, lab) for s, e, lab in d["e"]),
                     tuple(Predicate((s, e), (a, b), tuple(n), c, tuple((g, tuple((x, y, r) for x, y, r in ws)) for g, ws in parts))
                           for s, e, a, b, n, c, parts in d.get("p", [])),
                     tuple((lemma, s, e) for lemma, s, e in d.get("w", [])),
                     tuple(Name.from_list(row) for row in d.get("n", [])))


def resolve_pipeline(names: str) -> tuple[str, str]:
    """The first installed pipeline of a comma-separated list, and its version ("", "") when none is."""
    for name in (n.strip() for n in names.split(",")):
        if name and importlib.util.find_spec(name) is not None:
            try:
                return name, metadata.version(name.replace("_", "-"))
            except metadata.PackageNotFoundError:
                return name, "unknown"
    return "", ""


@lru_cache(maxsize=2)
def _load(name: str) -> Any:
    import spacy

    # The recogniser stays: named answers (bot/answering/names.py) read its entities, though
    # excluding it would parse about twice as fast (measured).
    return spacy.load(name)


_DOER_WORDS = 12  # a longer subject ("the man who ...") is cut: its first words name the doer


def _doer_span(tok: Any) -> tuple[int, int]:
    """The characters of a subject noun phrase, at most _DOER_WORDS words ("Her main rival, Karl Dunn")."""
    words = list(tok.subtree)[:_DOER_WORDS]
    return int(words[0].idx), int(words[-1].idx + len(words[-1].text))


def _said_of(subjects: list[Any]) -> list[str]:
    """The lemmas of a verb's subjects, and what a quantity noun among them counts ("the number of people
    killed has risen to eleven": number, people, kill)."""
    out = []
    for c in subjects:
        out.append(lemma(c))
        if c.lemma_.lower() in QUANTITY_NOUNS:
            out.extend(_counted_by(c))
    return out


def _counted_by(noun: Any) -> list[str]:
    """What a quantity noun counts: its "of" object and what that object's participle or clause says of it
    ("the number of people killed": people, kill)."""
    out = []
    for pp in (c for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"):
        for obj in (c for c in pp.children if c.dep_ == "pobj" and c.pos_ == "NOUN"):
            out.append(lemma(obj))
            out.extend(w for v in obj.children if v.dep_ in ("acl", "relcl") and v.pos_ == "VERB" for w in (lemma(v), v.lower_))
    return out


def _own(found: list[str], shared: list[str]) -> list[str]:
    """What the figure was found to be about before its verb, less what a share of it is of."""
    return [w for w in found if w not in shared]


def figure_about(tok: Any) -> tuple[tuple[str, ...], str, bool, str, bool, tuple[str, ...], tuple[int, int], bool]:
    """Lemmas a figure is about: the noun it counts, the verb it belongs to, the noun it is a value of;
    the noun as written; whether it counts a part of that noun ("300 of its staff"); the verb's lemma;
    whether the verb's doer is named through someone else ("her father"); what it is a share of; the doer's span;
    whether what it counts is the verb's passive subject ("40,000 people were evacuated")."""
    top = tok
    while top.dep_ in _INSIDE_FIGURE and top.head is not top and (top.head.like_num or top.head.pos_ == "NUM"):
        top = top.head  # "4.2" → "million"
    out: list[str] = []
    counted, part, verb, kin, joined = "", False, "", False, False
    money: list[str] = []  # a currency the figure is written in ("euros") is its unit, not what it is about
    doer = (0, 0)
    done_to = False
    shared: list[str] = []  # what a share is of ("52.3% of the vote")
    node = top
    if node.dep_ == "conj":  # "injuring 145 and killing 60": the conjunct's own verb first
        node = node.head
    if node.dep_ == "nummod" and node.head is not node:
        noun = node.head
        # "67%", "67 percent", "67 per cent": the sign, written or spelt out, is part of the figure
        # ("two thirds": a share, read as a percentage)
        sign = noun.lower_ in PERCENT_WORDS or noun.lower_ in FRACTION_WORDS or (
            noun.lower_ == "cent" and noun.nbor(-1).lower_ == "per")
        if noun.is_alpha and not sign:
            out.append(lemma(noun))
            counted = noun.text.lower()
            if counted in CURRENCY_WORDS:
                money.append(lemma(noun))
        # "52.3% of the vote", "two thirds of voters": what the share is of
        share = sign or not noun.is_alpha
        of = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"), None) if share else None
        shared = [lemma(c) for c in (of.children if of is not None else ()) if c.dep_ == "pobj" and c.pos_ == "NOUN"]
        out.extend(shared)
        node = noun
    elif (pp := next((c for c in top.children if c.dep_ == "prep" and c.lower_ == "of"), None)) is not None:
        # "300 of its staff and volunteers were on duty": a part of what the "of" names is counted
        obj = next((c for c in pp.children if c.dep_ == "pobj" and c.pos_ == "NOUN"), None)
        if obj is not None:
            out.extend(lemma(n) for n in (obj, *(c for c in obj.children if c.dep_ == "conj" and c.pos_ == "NOUN")))
            counted, part = obj.text.lower(), True
    for _ in range(4):  # climb through "of" and prepositions to the verb and the noun of which it is a value
        head = node.head
        if head is node:
            break
        if head.pos_ in ("VERB", "AUX"):
            found = out[:]  # what the figure was found to be about before its verb
            out.append(lemma(head))
            verb = lemma(head)
            done_to = bool(counted) and node.dep_ == "nsubjpass"
            subj = next((c for c in head.children if c.dep_ in ("nsubj", "nsubjpass") and c.pos_ in ("NOUN", "PROPN")), None)
            doer = _doer_span(subj) if subj is not None else (0, 0)
            if head.dep_ == "advcl" and head.head.pos_ == "VERB" and any(
                    c.dep_ in ("mark", "advmod") and c.lower_ == "when" for c in head.children):
                # "was formed when its teachers met in 1921": the forming's date too ("Born in 1975, he played
                # in 1996" is no such clause)
                out.append(lemma(head.head))
                joined = True
            if head.pos_ == "VERB" and head.lower_ != lemma(head):
                out.append(head.lower_)  # the lemmatizer slips on rarer verbs ("fined" → "fin"): the word as written too
            # "the toll stood at 130", "the median age was 41.9 years": a value (or measure) of the subject
            # (what a share is of says nothing of whose value it is: "turnout was 61 percent of voters")
            if head.lemma_ in LINKING_VERBS and (not _own(found, shared) or counted.lower() in UNIT_WORDS):
                out.extend(_said_of([c for c in head.children if c.dep_ in ("nsubj", "nsubjpass") and c is not node]))
            elif node.dep_ == "prep" and node.lower_ in ("at", "to") and not _own(found, [*shared, *money]) and any(
                    c.dep_ in ("dobj", "nsubjpass") for c in head.children):
                # "put its magnitude at 7.6", "raised the toll to 42", "put the damage at 25 million euros": a value
                # of the verb's object; "the damage was estimated at 18 million euros": of its passive subject
                out.extend(lemma(c) for c in head.children if c.dep_ in ("dobj", "nsubjpass"))
            elif head.pos_ == "VERB" and (not counted or counted in MONTHS):
                # a date or year of an event's verb is the event's: "the flood that swept the valley on 3 May"
                # answers when the earthquake happened, whatever verb the question uses
                doers = [c for c in head.children if c.dep_ in ("nsubj", "nsubjpass") and c.pos_ in ("NOUN", "PROPN")]
                if head.dep_ == "relcl" and head.head.pos_ in ("NOUN", "PROPN"):
                    doers.append(head.head)
                out.extend(_said_of(doers))
                # (a date of a "when" clause is the main verb's too: "formed when its teachers met in 1921")
                kin = not joined and any(c.pos_ == "NOUN" and any(d.dep_ == "poss" for d in c.children) for c in doers)
            break
        if head.pos_ in ("NOUN", "PROPN") and node.dep_ in ("pobj", "prep", "appos", "compound", "nmod"):
            out.append(lemma(head))
        node = head
    return (tuple(dict.fromkeys(w for w in out if w.isalpha() or "-" in w)), counted, part, verb, kin, tuple(shared),
            doer, done_to)


def parse_doc(doc: Any, lang: str = "en") -> Parse:
    """A spaCy Doc → Parse (figures grouped by their top token, entities as spans)."""
    figures: dict[int, Figure] = {}
    for tok in doc:
        if not (tok.like_num or tok.pos_ == "NUM"):
            continue
        top = tok
        while top.dep_ in _INSIDE_FIGURE and top.head is not top and (top.head.like_num or top.head.pos_ == "NUM"):
            top = top.head
        lo = min(tok.idx, figures[top.i].span[0]) if top.i in figures else tok.idx
        hi = max(tok.idx + len(tok.text), figures[top.i].span[1]) if top.i in figures else tok.idx + len(tok.text)
        figures[top.i] = Figure((lo, hi), *figure_about(top))
    ents = tuple((e.start_char, e.end_char, e.label_) for e in doc.ents) + agents(doc)
    return Parse(lang, tuple(sorted(figures.values(), key=lambda f: f.span)), ents, predicates(doc), which(doc),
                 names(doc))


class SyntaxCache:
    """Per-sentence parses in SQLite (BOT_DATA_DIR/syntax.sqlite3), keyed by text and pipeline."""

    def __init__(self, path: Path, pipelines: str) -> None:
        self.path = path
        self.name, self.version = resolve_pipeline(pipelines)
        self._lock = threading.Lock()
        self._memo: dict[str, Parse] = {}
        self._questions: dict[str, Any] = {}  # the last questions parsed (doc), oldest first
        self._db: sqlite3.Connection | None = None

    @property
    def available(self) -> bool:
        """True when an English pipeline is installed."""
        return bool(self.name)

    def _conn(self) -> sqlite3.Connection:
        if self._db is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(str(self.path), check_same_thread=False, timeout=30)
            self._db.execute("CREATE TABLE IF NOT EXISTS parses (key TEXT PRIMARY KEY, data TEXT NOT NULL)")
        return self._db

    def _key(self, text: str) -> str:
        return hashlib.sha1(f"{SCHEMA}\0{self.name}\0{self.version}\0{text}".encode()).hexdigest()

    def get(self, text: str) -> Parse | None:
        """The stored parse of a sentence, parsed now on a miss; None without a pipeline."""
        if not self.available:
            return None
        parse = self.peek(text)
        if parse is None:
            self.fill([text])
            with self._lock:
                return self._memo.get(self._key(text))
        with self._lock:
            self._memo[self._key(text)] = parse
        return parse

    def doc(self, text: str) -> Any | None:
        """A question parsed now (not stored: questions are short); None without a pipeline. The last few are
        kept: one answer reads its question's parse in several places (when, kinds, names, the main event)."""
        if not self.available:
            return None
        with self._lock:
            hit = self._questions.get(text)
        if hit is None:
            hit = _load(self.name)(text)
            with self._lock:
                self._questions[text] = hit
                while len(self._questions) > _QUESTIONS_KEPT:
                    self._questions.pop(next(iter(self._questions)))
        return hit

    def peek(self, text: str) -> Parse | None:
        """The stored parse of a sentence, or None; never parses."""
        if not self.available:
            return None
        key = self._key(text)
        with self._lock:
            if key in self._memo:
                return self._memo[key]
            row = self._conn().execute("SELECT data FROM parses WHERE key = ?", (key,)).fetchone()
        return Parse.from_json(row[0]) if row else None

    def fill(self, texts: Iterable[str], lang: str = "en") -> int:
        """Parse and store the sentences not stored yet; returns how many were parsed."""
        if not self.available:
            return 0
        todo: dict[str, str] = {}
        with self._lock:
            db = self._conn()
            for text in texts:
                key = self._key(text)
                if key not in todo.values() and db.execute("SELECT 1 FROM parses WHERE key = ?", (key,)).fetchone() is None:
                    todo[text] = key
        if not todo:
            return 0
        if lang == "en":
            parses = [parse_doc(doc) for doc in _load(self.name).pipe(list(todo), batch_size=64)]
        else:  # no pipeline for this language: its values are not compared
            parses = [Parse(lang) for _ in todo]
        with self._lock:
            db = self._conn()
            db.executemany("INSERT OR REPLACE INTO parses VALUES (?, ?)",
                           [(key, p.to_json()) for key, p in zip(todo.values(), parses)])
            db.commit()
            self._memo.update(dict(zip(todo.values(), parses)))
        return len(todo)


__all__ = ["AGENT", "agents", "which", "Figure", "Parse", "Predicate", "predicates", "SyntaxCache", "parse_doc", "resolve_pipeline"]
