"""The question's language (py3langid with a guard for short questions) and the cross-language answer's choice of quotes."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.answering.crosslingual import CrossLingual, on_the_question
from bot.answering.events import main_event_markers
from bot.models import ArticleMeta, Evidence, Sentence
from bot.prompts import prompts
from bot.text.languages import ANALYSED, detect, main_script, question_language

ROOT = Path(__file__).resolve().parents[2]


def _english_questions() -> list[str]:
    """Every English question of both eval sets (paraphrases and conversation turns too) and invented ones of other shapes."""
    out: list[str] = []
    for name in ("questions.yaml", "quake.yaml"):
        for case in yaml.safe_load((ROOT / "tests/eval" / name).read_text(encoding="utf-8"))["cases"]:
            if case["category"] == "other_language":
                continue
            out += [case["question"]] if "question" in case else []
            out += case.get("paraphrases") or []
            out += [t["question"] for t in case.get("turns") or [] if isinstance(t, dict) and "question" in t]
    invented = (Path(__file__).parent / "fixtures" / "english_questions.txt").read_text(encoding="utf-8")
    out += [line for line in invented.splitlines() if line.strip() and not line.startswith("#")]
    return out


def test_no_english_question_of_the_test_sets_is_taken_for_another_language() -> None:
    questions = _english_questions()
    assert len(questions) > 200
    wrong = [q for q in questions if question_language(q) != ANALYSED]
    assert wrong == []


@pytest.mark.parametrize("question", ["death toll?", "magnitude?", "why russia??", "Who is Bibi van Ginkel?",
                                      "iran kerman bombing death toll"])
def test_short_english_questions_the_classifier_misplaces_stay_english(question: str) -> None:
    assert detect(question)[0] != "en"  # the classifier alone would take it for another language
    assert question_language(question) == ANALYSED


@pytest.mark.parametrize("question, lang", [
    ("Сколько человек погибло в Крокусе?", "ru"),
    ("Кто взял на себя ответственность за нападение?", "ru"),
    ("Когда?", "ru"),  # one word, but English is not written in Cyrillic letters
    ("¿Cuántas personas murieron?", "es"),
    ("¿Quién reivindicó el atentado?", "es"),
    ("¿Qué es ISIS-K?", "es"),  # unsure (0.33), but with letters English does not write
    ("Hoeveel mensen zijn er omgekomen?", "nl"),
    ("Wie heeft de aanslag opgeëist?", "nl"),
    ("Combien de personnes sont mortes ?", "fr"),
    ("Wie viele Menschen starben?", "de"),
    ("كم عدد الذين ماتوا؟", "ar"),
    ("死了多少人？", "zh"),
])
def test_questions_in_other_languages_are_recognised(question: str, lang: str) -> None:
    assert question_language(question) == lang


def test_no_letters_means_no_language_to_detect() -> None:
    assert main_script("?!… 2024") == ""
    assert question_language("?!… 2024") == ANALYSED
    assert main_script("Сколько Crocus") == "CYRILLIC" and main_script("死了 Crocus") == "LATIN"


# ---- which sentences a question in another language may be answered with (invented text)

LEADS = ["Gunmen attacked the Varno Arena in Teslin on Friday, killing at least 40 people.",
         "The Varno Arena attack in Teslin left 41 people dead, officials said."]
MAIN = main_event_markers(LEADS, ["2030-05-04", "2030-05-05"])


def ev(text: str, score: float, source: str = "a.md", before: tuple[str, ...] = ()) -> Evidence:
    meta = ArticleMeta(source=source, title="t", outlet=source, published="2030-05-05")
    return Evidence(sentence=Sentence(source, hash(text) % 1000, text, 0, len(text), 0), meta=meta, score=score,
                    paragraph_before=before)


TOLL = ev("At least 40 people died in the attack.", 0.83, "a.md")
OTHER = ev("The siege ended with more than 300 people killed.", 0.84, "b.md",
           before=("Rebels seized a school in Dorvin in 2012.",))
KABUL = ev("In 2021 a bombing at Kabul airport killed nearly 200 people.", 0.85, "c.md")


def test_sentences_about_another_event_are_left_out_unless_the_question_names_it() -> None:
    assert on_the_question("Сколько человек погибло?", [KABUL, OTHER, TOLL], MAIN) == [TOLL]
    assert on_the_question("¿Cuántas personas murieron en Kabul?", [KABUL, OTHER, TOLL], MAIN) == [KABUL, TOLL]
    assert on_the_question("Сколько человек погибло в 2012 году?", [KABUL, OTHER, TOLL], MAIN) == [OTHER, TOLL]


def test_cross_language_answer_quotes_the_main_event_and_states_no_value_of_its_own() -> None:
    p = prompts()
    answer = CrossLingual(p).answer("Сколько человек погибло?", [KABUL, OTHER, TOLL], MAIN)
    assert answer.status == "partial"
    assert answer.answer.startswith(p.render("answer.cross_language"))
    assert [c.quote for c in answer.citations] == [TOLL.sentence.text]
    assert "300" not in answer.answer and "200" not in answer.answer


def test_cross_language_answer_is_not_found_when_nothing_is_close() -> None:
    far = ev("At least 40 people died in the attack.", 0.77)
    answer = CrossLingual(prompts()).answer("Какая погода завтра?", [far], MAIN)
    assert answer.status == "not_found" and answer.citations == []
    assert answer.answer == prompts().render("answer.unread_script")
