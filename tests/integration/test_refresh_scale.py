"""The refresh mechanism at scale, proven on small corpora (not timed): batches the store accepts, writes in
proportion to the change, a data dir that does not grow with refreshes, crash safety, resumable builds.

Real Chroma (embedded and a `chroma run` server) and the real embedder; the corpora are short
articles written here so each test embeds little.
"""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from chromadb.api.models.Collection import Collection
from conftest import make_settings

from bot.answering.engine import AnswerEngine
from bot.errors import IndexMissingError
from bot.ingest.catalog import Catalog
from bot.ingest.refresh import Indexer
from bot.ingest.store import PENDING, POINTER, current_generation, make_client

pytestmark = pytest.mark.integration

PLACES = ["Ardmore", "Belcastel", "Corvin", "Dunmere", "Elstow", "Farrow", "Glenrock", "Harwick"]
LONG = 100  # sentences of the article a killed refresh was adding


def article(i: int, version: int = 0, sentences: int = 6) -> str:
    """A short article about a flood in one town; `version` changes its figures."""
    town = PLACES[i % len(PLACES)]
    body = [f"Floodwater reached the centre of {town} on day {i + 1} of the storm."]
    body += [f"Officials in {town} said {10 * i + k + version} homes on street {k} were damaged." for k in range(sentences - 1)]
    return f"---\ntitle: Flood report {i} from {town}\noutlet: Test Wire\npublished: 2024-04-{(i % 27) + 1:02d}\n---\n\n" + " ".join(body) + "\n"


def write_corpus(corpus: Path, n: int, sentences: int = 6) -> None:
    corpus.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (corpus / f"flood-{i:03d}.md").write_text(article(i, sentences=sentences), encoding="utf-8")


@pytest.fixture
def small(tmp_path: Path, request: pytest.FixtureRequest) -> Any:
    """Settings over a small written corpus; embedded unless the test asks for the server too."""
    corpus = tmp_path / "articles"
    write_corpus(corpus, 4)
    extra: dict[str, Any] = {}
    if getattr(request, "param", "embedded") == "server":
        host, port = request.getfixturevalue("chroma_server")
        extra = {"BOT_CHROMA_HOST": host, "BOT_CHROMA_PORT": port, "BOT_COLLECTION_PREFIX": f"t{os.urandom(4).hex()}"}
    return make_settings(corpus, tmp_path / "data", **extra)


class StoreSpy:
    """Wraps Chroma's Collection writes: records every call's size and refuses batches over `limit`."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, limit: int | None = None) -> None:
        self.limit = limit
        self.calls: list[tuple[str, list[str]]] = []
        for name in ("add", "upsert", "update", "delete"):
            original = getattr(Collection, name)
            monkeypatch.setattr(Collection, name, self._wrap(name, original))

    def _wrap(self, name: str, original: Any) -> Any:
        spy = self

        def method(coll: Any, *args: Any, **kwargs: Any) -> Any:
            ids = list(kwargs.get("ids") or (args[0] if args else []) or [])
            if spy.limit is not None and len(ids) > spy.limit:
                raise ValueError(f"Batch size of {len(ids)} is greater than max batch size of {spy.limit}")
            spy.calls.append((name, ids))
            return original(coll, *args, **kwargs)

        return method

    def written(self) -> list[str]:
        return [i for name, ids in self.calls if name in ("add", "upsert", "update") for i in ids]


def small_limit_indexer(settings: Any, limit: int, monkeypatch: pytest.MonkeyPatch) -> Indexer:
    indexer = Indexer(settings)
    client = make_client(settings)
    monkeypatch.setattr(client, "get_max_batch_size", lambda: limit)
    indexer._client = client
    return indexer


def live_state(settings: Any) -> tuple[dict[str, str], int, int]:
    """(live set, live node count, collection count less the free slots' dead vectors) of the current index."""
    gen = current_generation(settings.data_dir)
    catalog = Catalog(gen.catalog_path(settings.data_dir))
    try:
        count = make_client(settings).get_collection(gen.collection).count()
        return catalog.live(), catalog.live_nodes(), count - len(catalog.free_slots())
    finally:
        catalog.close()


def slot_owners(settings: Any, ids: list[str]) -> list[str]:
    """The article each written slot id holds now (per the catalog)."""
    gen = current_generation(settings.data_dir)
    with sqlite3.connect(gen.catalog_path(settings.data_dir)) as db:
        return [row[0] for i in ids for row in db.execute("SELECT source FROM sent WHERE slot = ?", (int(i),))]


def dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


@pytest.mark.parametrize("small", ["embedded", "server"], indirect=True)
def test_refresh_larger_than_the_store_batch_limit(small: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    write_corpus(small.corpus_dir, 8)  # 48 sentences
    spy = StoreSpy(monkeypatch, limit=10)
    indexer = small_limit_indexer(small, 10, monkeypatch)
    with pytest.raises(ValueError, match="max batch size"):  # the spy really refuses oversize batches
        indexer.client.get_or_create_collection("probe_batch").upsert(
            ids=[str(i) for i in range(11)], embeddings=[[0.0, 1.0]] * 11)

    report = indexer.refresh()
    assert (report.added, report.chunks_embedded) == (8, 48)
    sizes = [len(ids) for name, ids in spy.calls if name == "upsert" and ids and ids[0].isdigit()]
    assert sum(sizes) == 48 and max(sizes) <= 10
    live, nodes, count = live_state(small)
    assert len(live) == 8 and nodes == count == 48
    answer = AnswerEngine(small).ask("How many homes were damaged in Corvin?")
    assert any(c.source == "flood-002.md" for c in answer.citations)


def test_adding_one_article_writes_only_its_nodes(small: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    Indexer(small).refresh()
    spy = StoreSpy(monkeypatch)
    (small.corpus_dir / "flood-100.md").write_text(article(100, sentences=5), encoding="utf-8")
    report = Indexer(small).refresh()
    assert (report.added, report.unchanged, report.chunks_embedded) == (1, 4, 5)
    written = spy.written()
    assert len(written) == 5 and slot_owners(small, written) == ["flood-100.md"] * 5
    assert not [ids for name, ids in spy.calls if name == "delete" and ids]  # nothing to collect

    spy.calls.clear()  # editing one article writes its new version in 6 new slots; the old 6 become free
    (small.corpus_dir / "flood-001.md").write_text(article(1, version=7), encoding="utf-8")
    report = Indexer(small).refresh()
    assert (report.updated, report.unchanged, report.chunks_embedded) == (1, 4, 6)
    first_edit = spy.written()
    assert len(first_edit) == 6 and slot_owners(small, first_edit) == ["flood-001.md"] * 6
    assert not [ids for name, ids in spy.calls if name == "delete" and ids]  # freed slots are reused, not deleted
    live, nodes, count = live_state(small)
    assert nodes == count == 4 * 6 + 5

    spy.calls.clear()  # the next edit overwrites the freed slots: the collection does not grow
    (small.corpus_dir / "flood-001.md").write_text(article(1, version=8), encoding="utf-8")
    Indexer(small).refresh()
    second_edit = spy.written()
    assert len(second_edit) == 6 and not set(second_edit) & set(first_edit)
    assert slot_owners(small, second_edit) == ["flood-001.md"] * 6
    gen = current_generation(small.data_dir)
    assert make_client(small).get_collection(gen.collection).count() == 4 * 6 + 5 + 6

    spy.calls.clear()  # nothing changed: nothing written, nothing read but stats
    report = Indexer(small).refresh()
    assert (report.unchanged, report.chunks_embedded) == (5, 0) and spy.calls == []


def test_twenty_refreshes_do_not_grow_the_data_dir(tmp_path: Path, corpus_copy: Path) -> None:
    settings = make_settings(corpus_copy, tmp_path / "data")  # the five real articles and one that keeps changing
    indexer = Indexer(settings)
    target = corpus_copy / "flood-000.md"
    target.write_text(article(0, version=0), encoding="utf-8")
    indexer.refresh()
    first = dir_size(settings.data_dir)
    for v in range(1, 21):
        target.write_text(article(0, version=v), encoding="utf-8")
        report = indexer.refresh()
        assert (report.updated, report.unchanged, report.chunks_embedded) == (1, 5, 6)
    assert dir_size(settings.data_dir) <= first * 1.10, (first, dir_size(settings.data_dir))
    live, nodes, count = live_state(settings)
    assert nodes == count and len(live) == 6
    quotes = " ".join(c.quote for c in AnswerEngine(settings).ask("How many homes were damaged in Ardmore?").citations)
    found = [(int(n), int(k)) for n, k in re.findall(r"said (\d+) homes on street (\d+)", quotes)]
    assert found and all(n - k == 20 for n, k in found)  # only the last version (20) answers


def test_sigkill_during_an_add_leaves_the_old_state_answering(small: Any) -> None:
    Indexer(small).refresh()
    before, nodes_before, _ = live_state(small)
    # long enough that the child is still embedding it when killed (the kill follows within one poll
    # of the new version being recorded)
    para = " ".join(f"Volunteers in Ardmore filled sandbag number {i} near the river." for i in range(LONG))
    (small.corpus_dir / "long.md").write_text(f"---\ntitle: Sandbags\noutlet: Test\n---\n\n{para}\n", encoding="utf-8")
    env = {**os.environ, "BOT_CORPUS_DIR": str(small.corpus_dir), "BOT_DATA_DIR": str(small.data_dir)}
    child = subprocess.Popen([sys.executable, "-m", "bot", "refresh", "--json"], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    catalog_path = current_generation(small.data_dir).catalog_path(small.data_dir)
    deadline = time.monotonic() + 120
    while True:  # wait until the child has started writing the new article
        assert child.poll() is None, child.stderr.read().decode()
        assert time.monotonic() < deadline
        with sqlite3.connect(catalog_path) as db:
            writing = db.execute("SELECT COUNT(*) FROM versions WHERE source = 'long.md'").fetchone()[0]
        if writing:
            break
        time.sleep(0.05)
    child.send_signal(signal.SIGKILL)
    child.wait()

    live, nodes, count = live_state(small)
    assert live == before and nodes == nodes_before and count >= nodes  # whatever was written, none of it live
    engine = AnswerEngine(small)
    answer = engine.ask("How many homes were damaged in Corvin?")
    assert answer.citations and "long.md" not in {c.source for c in answer.citations}
    assert "long.md" not in {m.source for m in engine.sources()}

    report = engine.refresh()  # the next refresh collects what the killed one left and completes the add
    assert (report.added, report.unchanged, report.chunks_embedded) == (1, 4, LONG)
    live, nodes, count = live_state(small)
    assert "long.md" in live and nodes == count == 4 * 6 + LONG
    assert "long.md" in {c.source for c in engine.ask("How many sandbags did volunteers fill?").citations}


def test_interrupted_scratch_build_resumes(small: Any) -> None:
    write_corpus(small.corpus_dir, 8)

    class Stop(RuntimeError):
        pass

    def stop_after_first_batches(stage: str, done: int, total: int) -> None:
        if done >= 24:
            raise Stop("interrupted")

    with pytest.raises(Stop):
        Indexer(small, batch_sentences=12).refresh(progress=stop_after_first_batches)
    assert (small.data_dir / PENDING).exists() and not (small.data_dir / POINTER).exists()
    with pytest.raises(IndexMissingError):  # nothing half-built is visible
        AnswerEngine(small).sources()

    report = Indexer(small, batch_sentences=12).refresh()
    assert report.added == 8
    assert report.chunks_embedded == 48 - 12  # the first committed batch (two articles) is not embedded again
    assert not (small.data_dir / PENDING).exists()
    live, nodes, count = live_state(small)
    assert len(live) == 8 and nodes == count == 48
    assert AnswerEngine(small).ask("How many homes were damaged in Harwick?").citations


def test_format_change_rebuilds_and_leaves_no_dead_folders(small: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    Indexer(small).refresh()
    old = current_generation(small.data_dir)
    chroma = small.data_dir / "chroma"
    folders = {p.name for p in chroma.iterdir() if p.is_dir()}
    monkeypatch.setattr("bot.ingest.refresh.INDEX_FORMAT", "another-embedder/sentences-0")
    report = Indexer(small).refresh()
    assert report.added == 4
    new = current_generation(small.data_dir)
    assert new.collection != old.collection and not old.catalog_path(small.data_dir).exists()
    now = {p.name for p in chroma.iterdir() if p.is_dir()}
    assert len(now) == len(folders) and not (now & folders)  # the dropped collection's folders are gone
    assert AnswerEngine(small).ask("How many homes were damaged in Dunmere?").citations


def test_a_refresh_reads_only_the_files_that_changed(small: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import bot.ingest.scan as scan_module

    past = time.time() - 60  # settled mtimes: the stat cache trusts them
    for f in small.corpus_dir.iterdir():
        os.utime(f, (past, past))
    Indexer(small).refresh()
    reads: list[str] = []
    real_read = scan_module.read_article
    monkeypatch.setattr(scan_module, "read_article", lambda path, corpus: reads.append(path.name) or real_read(path, corpus))

    assert Indexer(small).refresh().unchanged == 4 and reads == []  # stat only
    target = small.corpus_dir / "flood-002.md"
    os.utime(target, (past + 10, past + 10))  # touched: read and hashed, found unchanged, nothing embedded
    report = Indexer(small).refresh()
    assert (report.unchanged, report.chunks_embedded, reads) == (4, 0, ["flood-002.md"])
    reads.clear()
    assert Indexer(small).refresh().unchanged == 4 and reads == []
    (small.corpus_dir / "bad.md").write_bytes(b"\x00 binary")
    os.utime(small.corpus_dir / "bad.md", (past, past))
    assert [e.source for e in Indexer(small).refresh().errors] == ["bad.md"]
    reads.clear()
    assert [e.source for e in Indexer(small).refresh().errors] == ["bad.md"] and reads == []  # reported from the cache


def test_chroma_keeps_only_ids_and_vectors(small: Any) -> None:
    Indexer(small).refresh()
    gen = current_generation(small.data_dir)
    got = make_client(small).get_collection(gen.collection).get(include=["metadatas", "documents"])
    assert len(got["ids"]) == 24 and all(i.isdigit() for i in got["ids"])
    assert not any(got["metadatas"]) and not any(got["documents"])  # the sentences are in the catalog, once
    answer = AnswerEngine(small).ask("How many homes were damaged in Corvin?")
    body = (small.corpus_dir / "flood-002.md").read_text(encoding="utf-8")
    cited = [c for c in answer.citations if c.source == "flood-002.md"]
    assert cited and all(c.quote in body and c.title == "Flood report 2 from Corvin" for c in cited)


def test_an_engine_starts_without_reading_every_article(small: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.answering.summary import prime

    Indexer(small).refresh()
    prime(small.data_dir)  # what `python -m bot refresh` does after a change
    expected = AnswerEngine(small).ask("How many homes were damaged in Elstow?").to_json()

    def whole_corpus(self: Catalog) -> Any:
        raise AssertionError("an engine start read every article's row")

    monkeypatch.setattr(Catalog, "manifest", whole_corpus)
    monkeypatch.setattr(Catalog, "live", whole_corpus)
    engine = AnswerEngine(small)
    engine.load()
    got = engine.ask("How many homes were damaged in Elstow?").to_json()
    assert {k: v for k, v in got.items() if k != "timings_ms"} == {k: v for k, v in expected.items() if k != "timings_ms"}


def test_refresh_parses_every_changed_sentence(small: Any) -> None:
    from bot.text.syntax import SyntaxCache

    Indexer(small).refresh()
    (small.corpus_dir / "flood-003.md").write_text(article(3, version=5), encoding="utf-8")
    Indexer(small).refresh()
    cache = SyntaxCache(small.syntax_path, small.nlp_pipelines)
    gen = current_generation(small.data_dir)
    with sqlite3.connect(gen.catalog_path(small.data_dir)) as db:
        texts = [r[0] for r in db.execute("SELECT s.text FROM sent s JOIN live l USING (source, hash)")]
    assert len(texts) == 24 and all(cache.peek(t) is not None for t in texts)  # answering never parses them


def test_free_slots_past_the_reserve_are_deleted(small: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("bot.ingest.refresh.FREE_RESERVE", 8)
    monkeypatch.setattr("bot.ingest.refresh.FREE_SHARE", 0.0)
    Indexer(small).refresh()
    for i in (0, 1, 2):  # 18 sentences freed: 8 kept for reuse, 10 deleted from Chroma
        (small.corpus_dir / f"flood-{i:03d}.md").unlink()
    Indexer(small).refresh()
    gen = current_generation(small.data_dir)
    catalog = Catalog(gen.catalog_path(small.data_dir))
    try:
        assert len(catalog.free_slots()) == 8 and catalog.extra == 8
    finally:
        catalog.close()
    assert make_client(small).get_collection(gen.collection).count() == 6 + 8
    (small.corpus_dir / "flood-005.md").write_text(article(5), encoding="utf-8")  # 6 of the 8 reused
    Indexer(small).refresh()
    assert make_client(small).get_collection(gen.collection).count() == 12 + 2
    answer = AnswerEngine(small).ask("How many homes were damaged in Farrow?")
    assert {c.source for c in answer.citations} <= {"flood-003.md", "flood-005.md"} and answer.citations


def test_a_full_text_query_scores_at_most_its_budget_of_sentences(small: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Full-text ranking scores every sentence a word matches: words are taken rarest first while their
    sentences add up to POSTINGS_BUDGET; the commoner ones are dropped, but the rarest is always searched."""
    import bot.ingest.catalog as catalog_module
    from bot.ingest.manifest import lexical_terms

    Indexer(small).refresh()
    gen = current_generation(small.data_dir)
    catalog = Catalog(gen.catalog_path(small.data_dir))
    try:
        common, rare = lexical_terms(["homes"])[0][0], lexical_terms(["Belcastel"])[0][0]
        both = catalog.lexical([common, rare], 100)
        assert len(both) == 4 * 5 + 1  # "homes" is in 5 of each article's 6 sentences, plus Belcastel's first
        monkeypatch.setattr(catalog_module, "POSTINGS_BUDGET", 12)
        only_rare = catalog.lexical([common, rare], 100)
        texts = [catalog.live_rows([i])[i].text for i, _ in only_rare]
        assert texts and all("Belcastel" in t for t in texts)
        assert len(catalog.lexical([common], 100)) == 4 * 5  # alone, it is still searched: every sentence with it
    finally:
        catalog.close()
