"""Answer → text: plain text for the terminal, Telegram HTML messages and the button views.

Layouts and labels come from prompts/render.yaml (plain) and prompts/telegram.yaml (HTML). In
Telegram output every piece of article or user text is escaped before it goes into a template,
and messages are split under Telegram's 4096-character limit between paragraphs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from bot.models import Answer, ArticleMeta, Citation, ClaimRef, Disagreement
from bot.prompts import Prompts, prompts
from bot.telegram_html import MAX_MESSAGE, escape, escape_attr, shorten, split_html

# A quote longer than this is shortened (with … at its cut ends) in the answer message; the
# Quotes view and the JSON always carry it whole.
QUOTE_MAX_CHARS = 240

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
    "telegram.answer_line": {"answer"},
    "telegram.disagree_heading": {"heading"},
    "telegram.topic_heading": {"topic"},
    "telegram.claim_line": {"value", "source", "n"},
    "telegram.quote_line": {"n", "quote", "title", "source"},
    "telegram.link": {"url", "text"},
    "telegram.quotes_heading": {"question"},
    "telegram.sources_heading": {"question"},
    "telegram.source_entry": {"markers", "title", "source"},
    "telegram.no_citations": set(),
    "telegram.compare_heading": {"question"},
    "telegram.compare_topic": {"topic"},
    "telegram.compare_row": {"date", "outlet", "value", "n", "quote"},
    "telegram.compare_summary": {"summary"},
    "telegram.compare_none": set(),
    "telegram.sources_heading_all": {"count"},
    "telegram.sources_entry_all": {"title", "source"},
    "telegram.sources_empty": set(),
}

_ISO = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


def check_templates(p: Prompts | None = None) -> None:
    """Fail at start-up, not in front of a reader, when a rendering template is missing or wrong."""
    (p or prompts()).require(TEMPLATES)


def _one_line(text: str) -> str:
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


def _claim_source(claim: ClaimRef, answer: Answer) -> tuple[str, str | None, str]:
    """Outlet, date and title for a claim, taken from its citation when the claim lacks them."""
    cite = next((c for c in answer.citations if c.n == claim.n), None)
    outlet = claim.outlet or (cite.outlet if cite else "")
    published = claim.published or (cite.published if cite else None)
    title = cite.title if cite else claim.source
    return outlet, published, title


def _unique_claims(d: Disagreement) -> list[ClaimRef]:
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
    lines = [_one_line(answer.answer)]
    if answer.disagreements:
        lines += ["", p.render("render.disagree_heading")]
        for d in answer.disagreements:
            if len(answer.disagreements) > 1:
                lines.append(p.render("render.topic_heading", topic=d.topic))
            for c in _unique_claims(d):
                outlet, published, title = _claim_source(c, answer)
                lines.append(p.render("render.claim_line", value=c.value,
                                      source=source_label(outlet, published, title, p), n=c.n))
    if answer.citations:
        lines.append("")
        for cite in answer.citations:
            lines.append(p.render("render.quote_line", n=cite.n, quote=_one_line(cite.quote), title=cite.title,
                                  source=source_label(cite.outlet, cite.published, "", p)))
    return "\n".join(lines)


# ---- Telegram ---------------------------------------------------------------------------------
def _title_html(cite: Citation, p: Prompts) -> str:
    title = escape(_one_line(cite.title or cite.source))
    if cite.url:
        return p.render("telegram.link", url=escape_attr(cite.url), text=title)
    return title


def _source_html(outlet: str, published: str | None, title: str, p: Prompts) -> str:
    return escape(source_label(outlet, published, title, p))


def _focus_by_citation(answer: Answer) -> dict[int, str]:
    """For a citation that carries a disputed value, that value: a shortened quote keeps it."""
    focus: dict[int, str] = {}
    for d in answer.disagreements:
        for c in d.claims:
            focus.setdefault(c.n, c.value)
    return focus


def _disagreement_block(answer: Answer, p: Prompts) -> str:
    lines = [p.render("telegram.disagree_heading", heading=escape(p.render("render.disagree_heading")))]
    for d in answer.disagreements:
        if len(answer.disagreements) > 1:
            lines.append(p.render("telegram.topic_heading", topic=escape(d.topic)))
        for c in _unique_claims(d):
            outlet, published, title = _claim_source(c, answer)
            lines.append(p.render("telegram.claim_line", value=escape(c.value),
                                  source=_source_html(outlet, published, title, p), n=c.n))
    return "\n".join(lines)


def _quote_block(cite: Citation, p: Prompts, max_chars: int | None, focus: str = "") -> str:
    quote = _one_line(cite.quote)
    if max_chars is not None:
        quote = shorten(quote, max_chars, focus)
    return p.render("telegram.quote_line", n=cite.n, quote=escape(quote), title=_title_html(cite, p),
                    source=_source_html(cite.outlet, cite.published, "", p))


def to_telegram(answer: Answer, limit: int = MAX_MESSAGE) -> list[str]:
    """The answer as Telegram HTML messages (GUIDE §1), split between paragraphs under `limit`."""
    p = prompts()
    blocks = [p.render("telegram.answer_line", answer=escape(_one_line(answer.answer)))]
    if answer.disagreements:
        blocks.append(_disagreement_block(answer, p))
    focus = _focus_by_citation(answer)
    blocks += [_quote_block(c, p, QUOTE_MAX_CHARS, focus.get(c.n, "")) for c in answer.citations]
    return split_html("\n\n".join(blocks), limit)


def quotes_view(answer: Answer, limit: int = MAX_MESSAGE) -> list[str]:
    """The [Quotes] button: every quote whole, with its article and a link when there is one."""
    p = prompts()
    blocks = [p.render("telegram.quotes_heading", question=escape(_one_line(answer.question)))]
    blocks += [_quote_block(c, p, None) for c in answer.citations] or [p.render("telegram.no_citations")]
    return split_html("\n\n".join(blocks), limit)


def sources_view(answer: Answer, limit: int = MAX_MESSAGE) -> list[str]:
    """The [Sources] button: the articles this answer quotes, with their citation numbers."""
    p = prompts()
    by_source: dict[str, list[Citation]] = {}
    for c in answer.citations:
        by_source.setdefault(c.source, []).append(c)
    lines = [p.render("telegram.sources_heading", question=escape(_one_line(answer.question)))]
    for cites in by_source.values():
        first = cites[0]
        lines.append(p.render("telegram.source_entry", markers="".join(f"[{c.n}]" for c in cites),
                              title=_title_html(first, p),
                              source=_source_html(first.outlet, first.published, "", p)))
    if not by_source:
        lines.append(p.render("telegram.no_citations"))
    return split_html("\n".join(lines), limit)


def _by_date(claims: Iterable[tuple[ClaimRef, str, str | None, str]]) -> list[tuple[ClaimRef, str, str | None, str]]:
    # Undated reports go last: the order is meant to show how figures changed as reports came in.
    return sorted(claims, key=lambda row: (row[2] is None, row[2] or "", row[0].n))


def compare_view(answer: Answer, limit: int = MAX_MESSAGE) -> list[str]:
    """The [Compare] button: for each disagreement, every source's value and quote, oldest report first."""
    p = prompts()
    blocks = [p.render("telegram.compare_heading", question=escape(_one_line(answer.question)))]
    if not answer.disagreements:
        blocks.append(p.render("telegram.compare_none"))
    for d in answer.disagreements:
        rows = _by_date((c, *_claim_source(c, answer)) for c in _unique_claims(d))
        blocks.append(p.render("telegram.compare_topic", topic=escape(d.topic[:1].upper() + d.topic[1:])))
        for c, outlet, published, title in rows:  # one paragraph per source: messages split between them
            blocks.append(p.render(
                "telegram.compare_row",
                date=escape(format_date(published, p) or p.render("render.no_date")),
                outlet=escape(outlet or title), value=escape(c.value), n=c.n,
                quote=escape(shorten(_one_line(c.quote), QUOTE_MAX_CHARS, c.value)),
            ))
        if d.summary:
            blocks.append(p.render("telegram.compare_summary", summary=escape(_one_line(d.summary))))
    return split_html("\n\n".join(blocks), limit)


def corpus_sources(metas: Sequence[ArticleMeta], limit: int = MAX_MESSAGE) -> list[str]:
    """The /sources command: every indexed article with its outlet, date and link."""
    p = prompts()
    if not metas:
        return [p.render("telegram.sources_empty")]
    lines = [p.render("telegram.sources_heading_all", count=len(metas))]
    for m in metas:
        title = escape(_one_line(m.title or m.source))
        if m.url:
            title = p.render("telegram.link", url=escape_attr(m.url), text=title)
        lines.append(p.render("telegram.sources_entry_all", title=title,
                              source=_source_html(m.outlet, m.published, "", p)))
    return split_html("\n".join(lines), limit)
