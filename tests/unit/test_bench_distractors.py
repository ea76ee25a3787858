"""bench_scale's distractor articles: reports on other events throughout, deterministic, readable as corpus files."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from typing import Any

import pytest

from bot.ingest.corpus import read_article, scan_corpus
from bot.text.sentences import split_sentences

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def gen() -> Any:
    spec = importlib.util.spec_from_file_location("distractors", ROOT / "bench" / "distractors.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["distractors"] = module
    spec.loader.exec_module(module)
    return module


def test_the_same_article_for_the_same_number(gen: Any) -> None:
    assert gen.distractor(7) == gen.distractor(7)
    assert gen.distractor(7) != gen.distractor(8)


def test_each_report_names_its_own_event_in_title_lead_and_body(gen: Any, tmp_path: Path) -> None:
    for i in range(12):
        path = tmp_path / f"gen-{i}.md"
        path.write_text(gen.distractor(i, 32), encoding="utf-8")
        article = read_article(path, tmp_path)
        ev = gen._event(i // gen.REPORTS_PER_EVENT)
        assert ev["city"] in article.meta.title or ev["venue"] in article.meta.title or ev["kind"] in article.meta.title
        sentences = [article.body[s.start : s.end] for s in split_sentences(article.body)]
        assert 28 <= len(sentences) <= 34, len(sentences)
        lead = " ".join(sentences[:3])
        assert ev["city"] in lead and ev["venue"] in lead and str(ev["when"].year) in lead
        named = [s for s in sentences if ev["city"] in s or ev["venue"] in s or ev["country"] in s]
        assert len(named) >= len(sentences) // 3, (i, len(named))  # named often, not in every sentence
        assert article.meta.published and article.meta.published > ev["when"].isoformat()


def test_reports_on_one_event_differ_and_events_differ(gen: Any) -> None:
    k = gen.REPORTS_PER_EVENT
    same_event = [gen.distractor(i) for i in range(k)]
    assert len(set(same_event)) == k
    titles = {re.search(r"title: '(.*)'", gen.distractor(i)).group(1) for i in range(0, 30 * k, k)}  # type: ignore[union-attr]
    assert len(titles) == 30


def test_no_place_of_the_real_corpus(gen: Any) -> None:
    real, _ = scan_corpus(ROOT / "corpus")
    text = " ".join(a.meta.title + " " + a.body for a in real)
    for city, country in gen.CITIES:
        assert not re.search(rf"\b{city}\b", text), city
