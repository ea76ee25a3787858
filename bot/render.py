"""Answer → plain text for the terminal, and the labels every front end shares (dates, sources).

Layouts and labels come from prompts/render.yaml. Telegram's HTML views are in bot/telegram/views.py.
"""

from __future__ import annotations

import re

from bot.models import Answer, ClaimRef, Disagreement
from bot.prompts import Prompts, prompts

TEMPLATES: dict[str, set[str]] = {
    "render.disagree_heading": set(),
    "render.topic_heading": {"topic"},
    "render.claim_line": {"value", "source", "n"},
    "render.quote_line": {"n", "quote", "title", "source"},
    "render.source_with_date": {"outlet", "date"},
    "render.date": {"day", "month", "year"},
    "render.month_year": {"month", "year"},
    "render.months": set(),
    "render.no_date": set(),
    "render.chat_intro": {"subject"},
}

_ISO = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


def check_templates(p: Prompts | None = None) -> None:
    """Fail at start-up, not in front of a reader, when a rendering template is missing or wrong."""
    (p or prompts()).require(TEMPLATES)


def one_line(text: str) -> str:
    """Article text on one line: the quote is exact "whitespace aside" (GUIDE §1)."""
    return " ".join(text.split())


def format_date(published: str | None, p: Prompts | None = None) -> str:
    """An ISO date as words ("23 March 2024"); "" when there is none."""
    p = p or prompts()
    m = _ISO.match(published or "")
    if not m:
        return published or ""
    year, month, day = m.groups()
    months = p.render("render.months").split()
    if not month or not 1 <= int(month) <= 12:
        return year
    name = months[int(month) - 1]
    if not day:
        return p.render("render.month_year", month=name, year=year)
    return p.render("render.date", day=str(int(day)), month=name, year=year)


def source_label(outlet: str, published: str | None, title: str = "", p: Prompts | None = None) -> str:
    """Who published it and when, as plain text: "NOS News, 23 March 2024"."""
    p = p or prompts()
    name = outlet or title
    date = format_date(published, p)
    if name and date:
        return p.render("render.source_with_date", outlet=name, date=date)
    return name or date


def claim_source(claim: ClaimRef, answer: Answer) -> tuple[str, str | None, str]:
    """Outlet, date and title for a claim, taken from its citation when the claim lacks them."""
    cite = next((c for c in answer.citations if c.n == claim.n), None)
    outlet = claim.outlet or (cite.outlet if cite else "")
    published = claim.published or (cite.published if cite else None)
    title = cite.title if cite else claim.source
    return outlet, published, title


def unique_claims(d: Disagreement) -> list[ClaimRef]:
    """A disagreement's claims without repeats of the same value from the same citation."""
    seen: set[tuple[str, int]] = set()
    out = []
    for c in d.claims:
        if (c.value, c.n) not in seen:
            seen.add((c.value, c.n))
            out.append(c)
    return out


# ---- terminal ---------------------------------------------------------------------------------
def to_terminal(answer: Answer) -> str:
    """Plain text for the command line: answer line, disagreements value by value, numbered quotes."""
    p = prompts()
    lines = [one_line(answer.answer)]
    if answer.disagreements:
        lines += ["", p.render("render.disagree_heading")]
        for d in answer.disagreements:
            if len(answer.disagreements) > 1:
                lines.append(p.render("render.topic_heading", topic=d.topic))
            for c in unique_claims(d):
                outlet, published, title = claim_source(c, answer)
                lines.append(p.render("render.claim_line", value=c.value,
                                      source=source_label(outlet, published, title, p), n=c.n))
    if answer.citations:
        lines.append("")
        for cite in answer.citations:
            lines.append(p.render("render.quote_line", n=cite.n, quote=one_line(cite.quote), title=cite.title,
                                  source=source_label(cite.outlet, cite.published, "", p)))
    return "\n".join(lines)
