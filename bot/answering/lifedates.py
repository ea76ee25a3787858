"""Life dates: the reference-work convention of the dates after a name ("Ada Voss (4 March 1951 – 2 May 2019)":
the first is the birth, the second the death; "(born 1951)", "(died 2019)"), read as answers to when-questions
about a birth or a death.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.answering.names import subject_stems
from bot.answering.nameties import mentions
from bot.models import Claim, Evidence, QuestionAnalysis
from bot.text.dates import find_dates
from bot.text.tokens import raw_words, stem
from bot.text.values import Value
from bot.text.vocab import LIFE_END, LIFE_START

_DASH = re.compile(r"\s*[–—-]\s*")
_SUBJECT_REACH = 8  # words between the subject's name and the parenthesis that gives its life dates
_BRACKETED = re.compile(r"\[[^\]]*\]")
_PAIR_GAP = 5  # words between a birth date and the dash: its place ("19 April 1918 in Edinburgh – ...")


def life_role(question_lemmas: frozenset[str]) -> str:
    """"start" for a question about a birth, "end" for one about a death, "" otherwise."""
    if question_lemmas & LIFE_START:
        return "start"
    if question_lemmas & LIFE_END:
        return "end"
    return ""


def _split(v: Value, text: str) -> list[Value]:
    """A joined period ("1916–2010") as its two ends; any other value as itself."""
    m = _DASH.search(v.text)
    if v.qualifier != "range" or m is None:
        return [v]
    a, b = v.text[: m.start()], v.text[m.end():]
    out = []
    for part, start in ((a, v.span[0]), (b, v.span[0] + m.end())):
        found = find_dates(part, None)
        if len(found) == 1 and found[0].text == part:
            out.append(Value("date", part, found[0].norm, "exact", (start, start + len(part)), ""))
    return out if len(out) == 2 else [v]


def _opening_words(text: str, v: Value) -> list[str] | None:
    """The words between the parenthesis a date is in and the date (after its last ";"); None outside one."""
    opening = text.rfind("(", 0, v.span[0])
    if opening < 0 or ")" in text[opening:v.span[0]]:
        return None
    inside = _BRACKETED.sub(" ", text[opening + 1:v.span[0]]).split(";")[-1]
    return [w.lower().rstrip(".") for w in raw_words(inside)]


def life_dates(text: str) -> list[tuple[Value, str]]:
    """Dates in parentheses that give a life's ends, each with its role ("start" or "end").

    "(4 March 1951 – 2 May 2019)", "(1849–1930)", "(4 March 1951 in Orlen – 2 May 2019)", "(, born 11
    June 1955)", "(died 1677)"; a date inside a parenthesis with other words before it ("(in office
    1990–1994)") gives none.
    """
    values = [p for v in find_dates(text, None) for p in _split(v, text)]
    start_stems = {stem(w) for w in LIFE_START}
    end_stems = {stem(w) for w in LIFE_END}
    out: list[tuple[Value, str]] = []
    for k, v in enumerate(values):
        lead = _opening_words(text, v)
        if lead is None:
            continue
        nxt = values[k + 1] if k + 1 < len(values) else None
        gap = text[v.span[1]:nxt.span[0]] if nxt is not None else ""
        paired = nxt is not None and ")" not in gap and _DASH.search(gap) is not None and len(raw_words(gap)) <= _PAIR_GAP
        said = {stem(w) for w in lead}
        if paired and nxt is not None and (not lead or lead in (["c"], ["ca"], ["circa"]) or said & start_stems):
            out += [(v, "start"), (nxt, "end")]
        elif not paired and 0 < len(lead) <= 2 and said & (start_stems | end_stems):
            out.append((v, "start" if said & start_stems else "end"))
    return out


def _after_subject(text: str, span: tuple[int, int], subject: frozenset[str]) -> bool:
    """The parenthesis holding span follows a name of the question's subject ("Ada Voss (1951–2019)")."""
    opening = text.rfind("(", 0, span[0])
    before = raw_words(text[:opening])[-_SUBJECT_REACH:]
    return mentions(" ".join(before), subject)


def life_claims(pool: Sequence[Evidence], analysis: QuestionAnalysis, role: str) -> list[Claim]:
    """The dates after the subject's name that give the asked end of its life, as claims of the asked kind."""
    subject = subject_stems(analysis.text)
    out = []
    for ev in pool:
        text = ev.sentence.text
        for v, r in life_dates(text):
            if r != role or not _after_subject(text, v.span, subject):
                continue
            norm: object = v.norm if analysis.answer_type == "date" else v.norm[0]  # type: ignore[index]
            if norm is None:
                continue
            out.append(Claim(kind="date" if analysis.answer_type == "date" else "year", value=v.text, norm=norm,
                             qualifier="exact", topic="asked", evidence=ev, span=v.span, event=()))
    return out


__all__ = ["life_claims", "life_dates", "life_role"]
