"""Answer → Telegram HTML messages: the answer, and the [Quotes] [Sources] [Compare] button views.

Layouts come from prompts/telegram.yaml. Every piece of article or user text is escaped before it
goes into a template, and messages are split under Telegram's 4096-character limit between paragraphs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from bot.models import Answer, ArticleMeta, Citation, ClaimRef
from bot.prompts import Prompts, prompts
from bot.render import check_templates as check_plain_templates
from bot.render import claim_source, format_date, one_line, source_label, unique_claims
from bot.telegram.html import MAX_MESSAGE, escape, escape_attr, shorten, split_html

# A quote longer than this is shortened (with … at its cut ends) in the answer message; the
# Quotes view and the JSON always carry it whole.
QUOTE_MAX_CHARS = 240

TEMPLATES: dict[str, set[str]] = {
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


def check_templates(p: Prompts | None = None) -> None:
    """Fail at start-up, not in front of a reader, when a template the bot shows is missing or wrong."""
    check_plain_templates(p)
    (p or prompts()).require(TEMPLATES)


def _title_html(cite: Citation, p: Prompts) -> str:
    title = escape(one_line(cite.title or cite.source))
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
        for c in unique_claims(d):
            outlet, published, title = claim_source(c, answer)
            lines.append(p.render("telegram.claim_line", value=escape(c.value),
                                  source=_source_html(outlet, published, title, p), n=c.n))
    return "\n".join(lines)


def _quote_block(cite: Citation, p: Prompts, max_chars: int | None, focus: str = "") -> str:
    quote = one_line(cite.quote)
    if max_chars is not None:
        quote = shorten(quote, max_chars, focus)
    return p.render("telegram.quote_line", n=cite.n, quote=escape(quote), title=_title_html(cite, p),
                    source=_source_html(cite.outlet, cite.published, "", p))


def to_telegram(answer: Answer, limit: int = MAX_MESSAGE) -> list[str]:
    """The answer as Telegram HTML messages (GUIDE §1), split between paragraphs under `limit`."""
    p = prompts()
    blocks = [p.render("telegram.answer_line", answer=escape(one_line(answer.answer)))]
    if answer.disagreements:
        blocks.append(_disagreement_block(answer, p))
    focus = _focus_by_citation(answer)
    blocks += [_quote_block(c, p, QUOTE_MAX_CHARS, focus.get(c.n, "")) for c in answer.citations]
    return split_html("\n\n".join(blocks), limit)


def quotes_view(answer: Answer, limit: int = MAX_MESSAGE) -> list[str]:
    """The [Quotes] button: every quote whole, with its article and a link when there is one."""
    p = prompts()
    blocks = [p.render("telegram.quotes_heading", question=escape(one_line(answer.question)))]
    blocks += [_quote_block(c, p, None) for c in answer.citations] or [p.render("telegram.no_citations")]
    return split_html("\n\n".join(blocks), limit)


def sources_view(answer: Answer, limit: int = MAX_MESSAGE) -> list[str]:
    """The [Sources] button: the articles this answer quotes, with their citation numbers."""
    p = prompts()
    by_source: dict[str, list[Citation]] = {}
    for c in answer.citations:
        by_source.setdefault(c.source, []).append(c)
    lines = [p.render("telegram.sources_heading", question=escape(one_line(answer.question)))]
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
    blocks = [p.render("telegram.compare_heading", question=escape(one_line(answer.question)))]
    if not answer.disagreements:
        blocks.append(p.render("telegram.compare_none"))
    for d in answer.disagreements:
        rows = _by_date((c, *claim_source(c, answer)) for c in unique_claims(d))
        blocks.append(p.render("telegram.compare_topic", topic=escape(d.topic[:1].upper() + d.topic[1:])))
        for c, outlet, published, title in rows:  # one paragraph per source: messages split between them
            blocks.append(p.render(
                "telegram.compare_row",
                date=escape(format_date(published, p) or p.render("render.no_date")),
                outlet=escape(outlet or title), value=escape(c.value), n=c.n,
                quote=escape(shorten(one_line(c.quote), QUOTE_MAX_CHARS, c.value)),
            ))
        if d.summary:
            blocks.append(p.render("telegram.compare_summary", summary=escape(one_line(d.summary))))
    return split_html("\n\n".join(blocks), limit)


def corpus_sources(metas: Sequence[ArticleMeta], limit: int = MAX_MESSAGE) -> list[str]:
    """The /sources command: every indexed article with its outlet, date and link."""
    p = prompts()
    if not metas:
        return [p.render("telegram.sources_empty")]
    lines = [p.render("telegram.sources_heading_all", count=len(metas))]
    for m in metas:
        title = escape(one_line(m.title or m.source))
        if m.url:
            title = p.render("telegram.link", url=escape_attr(m.url), text=title)
        lines.append(p.render("telegram.sources_entry_all", title=title,
                              source=_source_html(m.outlet, m.published, "", p)))
    return split_html("\n".join(lines), limit)
