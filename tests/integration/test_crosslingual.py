"""Questions in Russian, Spanish, Dutch (and Arabic, Chinese) against the English seed corpus: real embedder, real Chroma.

The analysis reads English only, so these get the closest quotes by meaning with the honest status
(partial, "no value was compared or stated"), never a value of the bot's own and never a figure of
another attack (the #13 defect); questions the articles have nothing close to get not_found.
"""

from __future__ import annotations

import re

import pytest

from bot.ingest.corpus import read_article
from bot.prompts import prompts
from conftest import CORPUS

TOLL = re.compile(r"\b(139|137|133|130|60)\b")
# sentences about other attacks the articles mention (Beslan 2004, Kabul 2021 and 2022, Kerman, the 2015 jet)
OTHER_EVENTS = re.compile(r"\b(300|170|84|186)\b|nearly 200|six fatalities|Beslan|Kabul|Kerman|charter jet")


def _norm(s: str) -> str:
    return " ".join(s.split())


@pytest.fixture(scope="module")
def ask(built_engine):
    def run(question: str) -> dict:
        data = built_engine.ask(question).to_json()
        for c in data["citations"]:  # every quote verbatim from the article it cites
            assert _norm(c["quote"]) in _norm(read_article(CORPUS / c["source"], CORPUS).body), c
        assert data["disagreements"] == []
        outside = re.sub(r"\u201c[^\u201d]*\u201d", "", data["answer"])  # what the bot says in its own words
        assert not re.search(r"\d", re.sub(r"\[\d+\]", "", outside)), data["answer"]  # states no value itself
        return data

    return run


def _quoted(data: dict) -> list[str]:
    """The quotes in the answer line, in order."""
    return re.findall(r"\u201c([^\u201d]*)\u201d", data["answer"])


def _partial_by_meaning(data: dict) -> None:
    assert data["status"] == "partial", data
    assert data["answer"].startswith(prompts().render("answer.cross_language")), data["answer"]
    assert data["citations"] and not any(OTHER_EVENTS.search(c["quote"]) for c in data["citations"]), data


@pytest.mark.parametrize("question", ["Сколько человек погибло в Крокусе?", "Сколько человек погибло?",
                                      "¿Cuántas personas murieron?", "Hoeveel mensen zijn er omgekomen?",
                                      "كم عدد الذين ماتوا؟", "死了多少人？"])
def test_how_many_died_in_another_language_quotes_a_death_toll_of_this_attack(ask, question: str) -> None:
    data = ask(question)
    _partial_by_meaning(data)
    assert TOLL.search(_quoted(data)[0]), data["answer"]


@pytest.mark.parametrize("question", ["¿Cuántos heridos hubo?", "Hoeveel gewonden waren er?"])
def test_injured_in_another_language_quotes_the_injured(ask, question: str) -> None:
    data = ask(question)
    _partial_by_meaning(data)
    assert "injured" in _quoted(data)[0]


def test_who_claimed_it_in_russian_quotes_the_claim(ask) -> None:
    data = ask("Кто взял на себя ответственность за нападение?")
    _partial_by_meaning(data)
    assert "IS-K" in _quoted(data)[0] and "responsibility" in _quoted(data)[0]


@pytest.mark.parametrize("question", ["Что такое ИГИЛ-К?", "¿Qué es ISIS-K?"])
def test_what_is_isis_k_in_another_language_quotes_a_definition(ask, question: str) -> None:
    data = ask(question)
    _partial_by_meaning(data)
    assert any(q.startswith("ISIS-K") and re.search(r" is a |stands for", q) for q in _quoted(data)), data["answer"]


def test_a_question_naming_another_attack_in_latin_letters_gets_that_attack(ask) -> None:
    data = ask("¿Cuántas personas murieron en el atentado de Kabul en 2021?")
    assert data["status"] == "partial" and "Kabul" in _quoted(data)[0]


@pytest.mark.parametrize("question", ["Какая погода завтра в Париже?", "¿Cuál es la receta de la paella?",
                                      "Wat is de hoofdstad van Australië?"])
def test_nothing_close_in_another_language_is_not_found_without_quotes(ask, question: str) -> None:
    data = ask(question)
    assert data["status"] == "not_found" and data["citations"] == []
    assert data["answer"] == prompts().render("answer.unread_script")


def test_english_question_keeps_its_disagreement(built_engine) -> None:
    data = built_engine.ask("How many people died?").to_json()
    assert data["status"] == "answered" and data["disagreements"]


# ---- an article in a language with no installed pipeline (invented text, not the seed corpus)

FERRY_EN = """---
title: Ferry capsizes on Lake Orrin
outlet: Orrin Daily
published: '2030-06-03'
---

At least 14 people died when a passenger ferry capsized on Lake Orrin on Sunday, the coast guard said.

Divers were still searching the lake for 6 missing passengers on Monday.

The ferry was carrying 80 people, twice its permitted load, according to the harbour office.
"""
FERRY_ES = """---
title: Naufragio en el lago Orrin
outlet: Diario del Lago
published: '2030-06-04'
---

Al menos diecisiete personas murieron en el naufragio del transbordador en el lago Orrin el domingo, según la guardia costera.

Los buzos rescataron ayer nueve cuerpos del fondo del lago.

El transbordador llevaba el doble de los pasajeros permitidos.
"""
ES_TOLL = "Al menos diecisiete personas murieron en el naufragio del transbordador en el lago Orrin el domingo, según la guardia costera."


@pytest.fixture(scope="module")
def ferry(tmp_path_factory: pytest.TempPathFactory):
    from bot.answering.engine import AnswerEngine
    from conftest import make_settings

    base = tmp_path_factory.mktemp("ferry")
    (base / "corpus").mkdir()
    (base / "corpus" / "ferry-en.md").write_text(FERRY_EN, encoding="utf-8")
    (base / "corpus" / "ferry-es.md").write_text(FERRY_ES, encoding="utf-8")  # no `language:` given
    engine = AnswerEngine(make_settings(base / "corpus", base / "data"))
    engine.ensure_index()
    return engine


def test_an_articles_language_is_detected_at_refresh(ferry) -> None:
    syntax = ferry._current().syntax
    assert syntax.peek(ES_TOLL).lang == "es"
    assert syntax.peek("Divers were still searching the lake for 6 missing passengers on Monday.").lang == "en"


def test_values_of_an_article_no_pipeline_reads_are_not_compared(ferry) -> None:
    data = ferry.ask("How many people died when the ferry capsized?").to_json()
    assert data["status"] == "answered" and "14" in data["answer"]
    assert data["disagreements"] == [] and "diecisiete" not in data["answer"]  # never read as a value


def test_an_article_no_pipeline_reads_is_quoted_and_the_answer_says_it_was_not_compared(ferry) -> None:
    data = ferry.ask("How many bodies were recovered from the lake?").to_json()
    assert "Los buzos rescataron ayer nueve cuerpos del fondo del lago." in _quoted(data)
    assert data["answer"].endswith(prompts().render("answer.not_compared", outlets="Diario del Lago"))
    assert data["disagreements"] == []


def test_a_spanish_question_hears_the_spanish_article_and_the_english_one(ferry) -> None:
    data = ferry.ask("¿Cuántas personas murieron en el naufragio?").to_json()
    assert data["status"] == "partial" and data["answer"].startswith(prompts().render("answer.cross_language"))
    assert {c["source"] for c in data["citations"]} == {"ferry-en.md", "ferry-es.md"}
    assert ES_TOLL in _quoted(data)
