"""The index catalog: one SQLite file beside the Chroma collection that says which article versions are live.

Chroma has no transactions, so the collection holds vectors of article versions that are not live
(being written, or left in free slots); the catalog decides which of them answer. Chroma stores a
slot number and a vector per sentence and nothing else. Tables:

- `versions`: one row per article version (source, hash) written to the collection, with its node
  count, metadata, lead sentences and content stems. `state` is `writing` (recorded, with its
  sentences and their slots, before the vectors are written, so a crash leaves rows to collect
  them by) or `built` (every vector is in Chroma; a resumed refresh skips it).
- `live`: source → hash, the live set. A refresh flips it, with the document frequencies and the
  generation counter, in ONE SQLite transaction: readers see the old live set or the new one.
- `sent`: every sentence of every recorded version in its slot (the Chroma id): text, offsets,
  paragraph, heading, lexical terms and the terms of its context. What a retrieved id stands for is read here.
- `free`: slots of collected versions. Their vectors stay in Chroma (never live again) until a new
  version overwrites them: HNSW never reuses the place of a deleted vector, so deleting would make
  the index grow with every refresh. Past a reserve they are deleted (bot/ingest/refresh.py).
- `fts`, `ctx`: the lexical (BM25) index over the same sentences (SQLite FTS5 over `sent`, external-
  content tables: a sentence's own terms, and its context's, scored with less weight), maintained per
  article version and persisted; nothing is rebuilt over the whole corpus at start-up.
- `df`: document frequency of each content stem over the live articles (for the scope check).
- `files`: the stat cache (size, mtime) → hash or error, so a refresh reads only changed files.
- `meta`: the generation counter, the next new slot, and `extra`: an upper bound on vectors in the
  collection that are not live (versions written but not flipped yet, or superseded and not yet
  collected, and free slots); a search asks Chroma for that many more results and filters them out.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS files (source TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, hash TEXT, error TEXT);
CREATE TABLE IF NOT EXISTS versions (
    source TEXT NOT NULL, hash TEXT NOT NULL, state TEXT NOT NULL, n_nodes INTEGER NOT NULL,
    meta TEXT NOT NULL, lead TEXT NOT NULL, stems TEXT NOT NULL, PRIMARY KEY (source, hash));
CREATE TABLE IF NOT EXISTS live (source TEXT PRIMARY KEY, hash TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS prints (source TEXT PRIMARY KEY, print TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS df (stem TEXT PRIMARY KEY, n INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS sent (slot INTEGER PRIMARY KEY, source TEXT NOT NULL, hash TEXT NOT NULL,
    idx INTEGER NOT NULL, start INTEGER NOT NULL, stop INTEGER NOT NULL, paragraph INTEGER NOT NULL,
    heading TEXT NOT NULL, text TEXT NOT NULL, terms TEXT NOT NULL, context TEXT NOT NULL);
CREATE UNIQUE INDEX IF NOT EXISTS sent_version ON sent (source, hash, idx);
CREATE TABLE IF NOT EXISTS free (slot INTEGER PRIMARY KEY);
CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(
    terms, content = 'sent', content_rowid = 'slot', tokenize = 'unicode61 remove_diacritics 0');
CREATE VIRTUAL TABLE IF NOT EXISTS ctx USING fts5(
    context, content = 'sent', content_rowid = 'slot', tokenize = 'unicode61 remove_diacritics 0');
"""


PARAGRAPH_BEFORE = 3  # earlier sentences of the same paragraph given with a retrieved one
POSTINGS_BUDGET = 10_000  # sentences a full-text query may score; its commonest words past it are left out
MAX_NAMED = 900  # articles a query names as bound parameters (SQLite allows 32,766)
TIE_MARGIN = 64  # rows ranked past k + the non-live ones, so sentences scoring equal at the cut are all seen
# Weight of a sentence's BM25 score over its context's terms (its article's subject, heading, the
# sentences beside it: bot/ingest/manifest.py context_terms), added to its score over its own words:
# enough to bring a sentence that leans on its context into the ranking, not to let context alone
# outrank a sentence that says it (0.3 left T&P's "The attack killed ... 170 civilians", whose neighbour
# names the Kabul airport, below 20 reports on other Kabul events at 100 distractors; 0.5 brings it in).
# Context is a table of its own (`ctx`): in one table with two
# columns, the words of an article's subject would be in every one of its rows, and their document
# frequency (BM25's idf) would no longer say how rare they are among sentences.
CONTEXT_WEIGHT = 0.5


def slot_id(slot: int) -> str:
    """The Chroma id of a slot."""
    return str(slot)


@dataclass(frozen=True)
class SentenceRow:
    """One stored sentence of a version, with the earlier sentences of its paragraph (nearest last)."""

    source: str
    doc_hash: str
    idx: int
    text: str
    start: int
    end: int
    paragraph: int
    heading: str
    before: tuple[str, ...]


def _sentence_row(rows: list[tuple]) -> SentenceRow:
    """(slot, source, hash, idx, p.idx, start, stop, paragraph, heading, text) rows up to and including
    the sentence, nearest last → the sentence with the earlier ones of its paragraph."""
    _, source, doc_hash, idx, _, start, stop, paragraph, heading, text = rows[-1]
    # a paragraph's sentences are consecutive: its earlier ones are among the few just before
    before = tuple(r[9] for r in rows[:-1] if r[7] == paragraph)
    return SentenceRow(source, doc_hash, idx, text, start, stop, paragraph, heading, before)


class DocFreq(Mapping[str, int]):
    """stem → number of live articles using it; each stem is looked up once (nothing loaded whole at start)."""

    def __init__(self, catalog: Catalog) -> None:
        self._catalog = catalog
        self._seen: dict[str, int] = {}

    def __getitem__(self, stem: str) -> int:
        if stem not in self._seen:
            n = self._catalog._one("SELECT n FROM df WHERE stem = ? AND n > 0", (stem,))
            self._seen[stem] = 0 if n is None else int(n)
        if not self._seen[stem]:
            raise KeyError(stem)
        return self._seen[stem]

    def __iter__(self) -> Iterator[str]:
        return iter([r[0] for r in self._catalog._all("SELECT stem FROM df WHERE n > 0 ORDER BY stem")])

    def __len__(self) -> int:
        return int(self._catalog._one("SELECT COUNT(*) FROM df WHERE n > 0") or 0)


class Catalog:
    """One catalog file; thread-safe (one connection behind a lock; WAL so readers never wait on a refresh)."""

    def __init__(self, path: Path, readonly: bool = False) -> None:
        self.path = path
        self._lock = threading.RLock()
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None, timeout=30)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")  # the flip is durable once committed
        self._db.execute("PRAGMA journal_size_limit=4194304")  # the WAL file shrinks back after checkpoints
        if not readonly:
            self._db.executescript(SCHEMA)
        self._vocab: set[str] = set()
        self._counts: dict[tuple[str, str], int] = {}
        self._counts_gen = -1

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE … COMMIT (ROLLBACK on error): all of it or none of it."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _one(self, sql: str, args: tuple = ()) -> Any:
        with self._lock:
            row = self._db.execute(sql, args).fetchone()
        return row[0] if row else None

    def _all(self, sql: str, args: tuple = ()) -> list[tuple]:
        with self._lock:
            return self._db.execute(sql, args).fetchall()

    # ---- meta ------------------------------------------------------------------------------
    def get(self, key: str, default: int = 0) -> int:
        """An integer from the meta table."""
        v = self._one("SELECT value FROM meta WHERE key = ?", (key,))
        return default if v is None else int(v)

    @staticmethod
    def add_to(db: sqlite3.Connection, key: str, delta: int) -> None:
        """meta[key] += delta inside a transaction."""
        db.execute("INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = value + ?",
                   (key, delta, delta))

    @property
    def generation(self) -> int:
        """Bumped by every flip; readers reload when it changes."""
        return self.get("generation")

    @property
    def extra(self) -> int:
        """Upper bound on nodes in the collection that are not live."""
        return max(0, self.get("extra"))

    # ---- the live set --------------------------------------------------------------------------
    def live(self) -> dict[str, str]:
        """source → hash of every live article version."""
        return dict(self._all("SELECT source, hash FROM live"))

    def live_nodes(self) -> int:
        """Number of live sentence nodes."""
        return int(self._one("SELECT COALESCE(SUM(v.n_nodes), 0) FROM live l JOIN versions v USING (source, hash)") or 0)

    def versions(self, state: str | None = None) -> dict[tuple[str, str], int]:
        """(source, hash) → node count of recorded versions (optionally only those in `state`)."""
        if state is None:
            rows = self._all("SELECT source, hash, n_nodes FROM versions")
        else:
            rows = self._all("SELECT source, hash, n_nodes FROM versions WHERE state = ?", (state,))
        return {(s, h): n for s, h, n in rows}

    def stems_of(self, db: sqlite3.Connection, source: str, doc_hash: str) -> list[str]:
        """The content stems recorded for one version."""
        row = db.execute("SELECT stems FROM versions WHERE source = ? AND hash = ?", (source, doc_hash)).fetchone()
        return json.loads(row[0]) if row else []

    def manifest(self) -> dict[str, Any]:
        """What the answer path needs about the live corpus (metadata, leads, document frequencies)."""
        rows = self._all("SELECT v.meta, v.lead FROM live l JOIN versions v USING (source, hash) ORDER BY l.source")
        df = dict(self._all("SELECT stem, n FROM df WHERE n > 0"))
        return {"articles": [json.loads(m) for m, _ in rows], "leads": [lead for _, lead in rows],
                "df": df, "n_articles": len(rows)}

    def newest_metas(self, limit: int) -> list[dict[str, Any]]:
        """The front matter of the newest live articles (by date, then source; those without a date last)."""
        rows = self._all(
            "SELECT v.meta FROM live l JOIN versions v USING (source, hash) "
            "ORDER BY COALESCE(json_extract(v.meta, '$.published'), '') DESC, l.source DESC LIMIT ?", (limit,))
        return [json.loads(m) for (m,) in rows]

    def stems_within(self, sources: frozenset[str]) -> frozenset[str]:
        """The content stems of those live articles together (empty when they are more than MAX_NAMED)."""
        if not sources or len(sources) > MAX_NAMED:
            return frozenset()
        named = sorted(sources)
        rows = self._all("SELECT v.stems FROM live l JOIN versions v USING (source, hash) "
                         f"WHERE l.source IN ({','.join('?' * len(named))})", tuple(named))
        return frozenset(st for (raw,) in rows for st in json.loads(raw))

    def n_articles(self) -> int:
        """Number of live articles."""
        return int(self._one("SELECT COUNT(*) FROM live") or 0)

    def doc_freq(self) -> DocFreq:
        """Document frequencies of content stems over the live articles, read from disk as asked."""
        return DocFreq(self)

    # ---- the stat cache ------------------------------------------------------------------------
    def file_stats(self) -> dict[str, tuple[int, int, str | None, str | None]]:
        """source → (size, mtime_ns, hash, error) as last read."""
        return {s: (size, mt, h, e) for s, size, mt, h, e in self._all("SELECT source, size, mtime_ns, hash, error FROM files")}

    def fingerprints(self) -> dict[str, str]:
        """source → body fingerprint of the live articles (to find the same text under two names)."""
        return dict(self._all("SELECT source, print FROM prints"))

    # ---- lexical search --------------------------------------------------------------------------
    def lexical(self, terms: Iterable[str], k: int, within: frozenset[str] | None = None,
                context: bool = False) -> list[tuple[str, float]]:
        """(slot id, BM25 score > 0) of live sentences sharing the most terms, best first; `within`: of
        those articles only (every match is ranked then, which the postings budget keeps bounded).
        `context`: a sentence's score is its BM25 over its own terms plus CONTEXT_WEIGHT × its BM25 over
        its context's (else its own terms alone)."""
        wanted = sorted({t for t in terms if t})
        parts, args = [], []
        for table, weight in (("fts", 1.0), ("ctx", CONTEXT_WEIGHT))[: 2 if context else 1]:
            words = self._within_budget(wanted, table)
            if words:
                parts.append(f"SELECT rowid, {weight} * bm25({table}) AS score FROM {table} WHERE {table} MATCH ?")
                args.append(" OR ".join('"' + w.replace('"', '""') + '"' for w in words))
        if not parts:
            return []
        # materialized, so that SQLite never flattens the FTS5 query into the outer one (bm25() is only
        # defined inside its own table's query: a lone part was flattened, and failed)
        scored = (f"WITH m AS MATERIALIZED ({' UNION ALL '.join(parts)}) "  # `total`: ORDER BY score would read m's
                  + ("SELECT rowid, SUM(score) AS total FROM m GROUP BY rowid" if len(parts) > 1
                     else "SELECT rowid, score AS total FROM m"))
        if within is not None:
            # the articles named in SQL when they are few (the usual case: a main event among many others);
            # else every match is read and filtered here. The same rows either way.
            named = sorted(within) if len(within) <= MAX_NAMED else []
            where = f" WHERE s.source IN ({','.join('?' * len(named))})" if named else ""
            rows = self._all(
                f"SELECT s.slot, f.total, s.source FROM ({scored}) f JOIN sent s ON s.slot = f.rowid "
                f"JOIN live l ON l.source = s.source AND l.hash = s.hash{where} "
                "ORDER BY round(f.total, 6), s.source, s.idx", (*args, *named))
            return [(slot_id(slot), -score) for slot, score, source in rows if source in within and -score > 0][:k]
        # the best k plus the non-live rows the tables may hold (with a margin for equal scores at the
        # cut) are ranked first; the live set is joined to those few rows, not to every match
        rows = self._all(
            f"SELECT s.slot, f.total FROM ({scored} ORDER BY round(total, 6) LIMIT ?) f JOIN sent s ON s.slot = f.rowid "
            "JOIN live l ON l.source = s.source AND l.hash = s.hash "
            "ORDER BY round(f.total, 6), s.source, s.idx LIMIT ?", (*args, k + self.extra + TIE_MARGIN, k))
        return [(slot_id(slot), -score) for slot, score in rows if -score > 0]

    def _within_budget(self, words: list[str], table: str = "fts") -> list[str]:
        """The query's words, rarest first, while their sentences add up to POSTINGS_BUDGET (the rarest always).

        FTS5 scores every sentence a word matches before it can rank, so a query costs what its words'
        posting lists add up to: in an archive of 300,000 sentences, "attack" alone is in 110,000 and took
        250-430 ms. The rarest words weigh most in BM25; the commonest are left to the dense search.
        Below the budget (every query of a corpus under ~1,000 articles) nothing changes. Each table
        (own terms, context terms) has its budget."""
        counts = self._doc_counts(words, table)
        kept, total = [], 0
        for w in sorted(words, key=lambda w: (counts[w], w)):
            if counts[w] == 0:
                continue  # in no sentence: nothing to score
            if kept and total + counts[w] > POSTINGS_BUDGET:
                break
            kept.append(w)
            total += counts[w]
        return sorted(kept)

    def _doc_counts(self, words: list[str], table: str = "fts") -> dict[str, int]:
        """word → number of sentences (live or not) holding it in `table`, from FTS5's vocabulary; cached per generation."""
        with self._lock:
            gen = self.generation
            if self._counts_gen != gen:
                self._counts, self._counts_gen = {}, gen
            if table not in self._vocab:
                self._db.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{table}_vocab USING fts5vocab(main, {table}, 'row')")
                self._vocab.add(table)
            for w in words:
                if (table, w) not in self._counts:
                    row = self._db.execute(f"SELECT doc FROM temp.{table}_vocab WHERE term = ?", (w,)).fetchone()
                    self._counts[table, w] = int(row[0]) if row else 0
            return {w: self._counts[table, w] for w in words}

    # ---- stored sentences ----------------------------------------------------------------------
    def live_rows(self, ids: list[str]) -> dict[str, SentenceRow]:
        """slot id → its sentence with the earlier ones of its paragraph, for the ids that hold a live
        sentence; one query for all of them (a search reads hundreds of candidates)."""
        slots = sorted({int(i) for i in ids if i.isdigit()})
        if not slots:
            return {}
        rows = self._all(
            "SELECT s.slot, s.source, s.hash, s.idx, p.idx, p.start, p.stop, p.paragraph, p.heading, p.text "
            "FROM sent s JOIN live l ON l.source = s.source AND l.hash = s.hash "
            "JOIN sent p ON p.source = s.source AND p.hash = s.hash AND p.idx BETWEEN s.idx - ? AND s.idx "
            f"WHERE s.slot IN ({','.join('?' * len(slots))}) ORDER BY s.slot, p.idx", (PARAGRAPH_BEFORE, *slots))
        by_slot: dict[int, list[tuple]] = {}
        for r in rows:
            by_slot.setdefault(r[0], []).append(r)
        return {slot_id(slot): _sentence_row(group) for slot, group in by_slot.items()}

    def versions_of(self, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], tuple[dict[str, Any], str]]:
        """(source, hash) → (front matter, lead) of the recorded versions among keys, in one query."""
        keys = set(keys)
        sources = sorted({src for src, _ in keys})
        if not sources:
            return {}
        # by source alone, so the primary key's index finds the rows; the hashes are checked here
        rows = [r for r in self._all(f"SELECT source, hash, meta, lead FROM versions WHERE source IN "
                                     f"({','.join('?' * len(sources))})", tuple(sources)) if (r[0], r[1]) in keys]
        return {(src, h): (json.loads(m), lead or "") for src, h, m, lead in rows}


    # ---- writing (inside a transaction) ------------------------------------------------------------
    @staticmethod
    def allocate(db: sqlite3.Connection, n: int) -> list[int]:
        """n slots for new sentences: freed ones first (overwriting a vector does not grow the index), then new."""
        reused = [r[0] for r in db.execute("SELECT slot FROM free ORDER BY slot LIMIT ?", (n,))]
        db.executemany("DELETE FROM free WHERE slot = ?", [(x,) for x in reused])
        row = db.execute("SELECT value FROM meta WHERE key = 'next_slot'").fetchone()
        first = int(row[0]) if row else 0
        fresh = list(range(first, first + n - len(reused)))
        Catalog.add_to(db, "next_slot", len(fresh))
        return reused + fresh

    @staticmethod
    def add_sentences(db: sqlite3.Connection, source: str, doc_hash: str, rows: list[tuple[Any, str, str]]) -> list[int]:
        """Store (Sentence, terms, context terms) rows of one version in slots, indexed lexically (earlier rows of it released)."""
        Catalog.release(db, source, doc_hash)
        slots = Catalog.allocate(db, len(rows))
        for slot, (s, terms, context) in zip(slots, rows):
            db.execute(
                "INSERT INTO sent(slot, source, hash, idx, start, stop, paragraph, heading, text, terms, context) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (slot, source, doc_hash, s.idx, s.start, s.end, s.paragraph, s.heading, s.text, terms, context))
            db.execute("INSERT INTO fts(rowid, terms) VALUES (?, ?)", (slot, terms))
            db.execute("INSERT INTO ctx(rowid, context) VALUES (?, ?)", (slot, context))
        return slots

    @staticmethod
    def release(db: sqlite3.Connection, source: str, doc_hash: str) -> None:
        """Drop one version's sentences; their slots become free (their vectors, never live again, are overwritten later)."""
        rows = db.execute("SELECT slot, terms, context FROM sent WHERE source = ? AND hash = ?", (source, doc_hash)).fetchall()
        if rows:
            db.executemany("INSERT INTO fts(fts, rowid, terms) VALUES ('delete', ?, ?)", [r[:2] for r in rows])
            db.executemany("INSERT INTO ctx(ctx, rowid, context) VALUES ('delete', ?, ?)", [(r[0], r[2]) for r in rows])
            db.execute("DELETE FROM sent WHERE source = ? AND hash = ?", (source, doc_hash))
            db.executemany("INSERT OR IGNORE INTO free(slot) VALUES (?)", [(r[0],) for r in rows])

    def free_slots(self) -> list[int]:
        """Slots whose vector in Chroma is dead, lowest first."""
        return [r[0] for r in self._all("SELECT slot FROM free ORDER BY slot")]

    @staticmethod
    def forget_free(db: sqlite3.Connection, slots: list[int]) -> None:
        """Slots deleted from Chroma: no longer free for reuse (their ids are never written again)."""
        db.executemany("DELETE FROM free WHERE slot = ?", [(x,) for x in slots])

    @staticmethod
    def recount(db: sqlite3.Connection) -> None:
        """meta.extra := vectors that are not live: nodes of versions not live, and free slots (what a search over-fetches)."""
        db.execute(
            "INSERT INTO meta(key, value) SELECT 'extra', "
            "(SELECT COALESCE(SUM(v.n_nodes), 0) FROM versions v "
            " WHERE NOT EXISTS (SELECT 1 FROM live l WHERE l.source = v.source AND l.hash = v.hash)) "
            "+ (SELECT COUNT(*) FROM free) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value")
