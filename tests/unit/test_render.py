"""Rendering answers: terminal text, Telegram HTML (escaped, split under 4096, valid), button views.

Telegram validity is judged by the emulator's own parser (tests/botapi_html.py), not by the
bot's helpers.
"""

from __future__ import annotations

import re

import pytest
from botapi_html import EntityParseError, check_message_text, parse_html, utf16_len
from scripted_engine import death_toll_answer

from bot.models import Answer, ArticleMeta, Citation, ClaimRef, Disagreement
from bot.prompts import prompts
from bot.render import format_date, to_terminal
from bot.telegram.html import shorten, split_html, visible_length
from bot.telegram.views import (
    QUOTE_MAX_CHARS,
    compare_view,
    corpus_sources,
    quotes_view,
    sources_view,
    to_telegram,
)

NASTY = 'Tom & Jerry <script>alert("x")</script> a > b && c < d'


def assert_valid(parts: list[str]) -> list[str]:
    """Every part is a message Telegram accepts; returns the plain texts."""
    assert parts, "no messages"
    plains = []
    for part in parts:
        plain, _ = check_message_text(part, "HTML")
        plains.append(plain)
    return plains


def nasty_answer() -> Answer:
    quote = f"The report said {NASTY} and 42 people were hurt."
    return Answer(
        question="<b>How</b> many & why?", status="answered", answer=f"“{quote}” [1]",
        citations=[Citation(1, "a<b>.md", "Title <i>with</i> & tags", "Outlet & <Co>", "2024-03-23", quote,
                            url='https://example.org/?q=1&r="2"')],
        disagreements=[Disagreement("hurt <people>", "One says 42 & another <7>.", [
            ClaimRef("42 & more", "a<b>.md", 1, quote, "Outlet & <Co>", "2024-03-23")])],
    )


def test_article_and_question_text_is_escaped_in_every_view() -> None:
    answer = nasty_answer()
    for view in (to_telegram, quotes_view, sources_view, compare_view):
        parts = view(answer)
        plains = assert_valid(parts)  # any unescaped < or & would fail to parse
        raw = "\n".join(parts)
        assert "<script>" not in raw and "<Co>" not in raw and "<b>How" not in raw, view.__name__
        if view is not sources_view:  # the reader sees the characters themselves
            assert "<script>alert" in "\n".join(plains), view.__name__
    quotes_text = "\n".join(assert_valid(quotes_view(answer)))
    assert NASTY in quotes_text
    assert "<b>How</b> many & why?" in quotes_text  # the question is echoed as typed, not as markup
    sources_text = "\n".join(assert_valid(sources_view(answer)))
    assert "Title <i>with</i> & tags" in sources_text and "Outlet & <Co>" in sources_text
    _, entities = parse_html(sources_view(answer)[0])
    assert {"type": "text_link", "url": 'https://example.org/?q=1&r="2"'}.items() <= next(
        e for e in entities if e["type"] == "text_link").items()


def test_answer_message_layout_matches_the_guide() -> None:
    parts = to_telegram(death_toll_answer())
    assert len(parts) == 1
    plain, entities = parse_html(parts[0])
    first_line = plain.split("\n")[0]
    assert first_line.startswith("The articles give different figures")
    assert any(e["type"] == "bold" and e["offset"] == 0 and e["length"] == utf16_len(first_line) for e in entities)
    assert "⚖️ Sources disagree" in plain
    for line in ("• 139 — The Northlines (IPA Service), 26 March 2024 [1]",
                 "• at least 137 — Task & Purpose, 24 March 2024 [2]",
                 "• at least 133 — NOS News, 23 March 2024 [3]",
                 "• at least 60 — NLCS Jeju student newspaper, 9 April 2024 [4]"):
        assert line in plain
    assert re.search(r"^\[2\] “At least 137 people are dead.*” — Why did ISIS’ Afghanistan affiliate target Moscow\?, "
                     r"Task & Purpose, 24 March 2024$", plain, re.M)
    links = [e for e in entities if e["type"] == "text_link"]
    assert [e["url"] for e in links] == ["https://taskandpurpose.example/news/isis-k-moscow?ref=a&b=<c>"]


def test_long_quote_is_shortened_around_the_disputed_value_in_messages_only() -> None:
    answer = death_toll_answer()
    long_quote = answer.citations[0].quote
    assert len(long_quote) > QUOTE_MAX_CHARS
    plain = parse_html(to_telegram(answer)[0])[0]
    line = next(x for x in plain.split("\n") if x.startswith("[1]"))
    assert line.startswith("[1] “…") and "…”" in line and "killing 139 persons" in line
    inner = line.split("“", 1)[1].split("”", 1)[0].strip("…")
    assert inner in long_quote  # a shortened quote is still an exact span of the article
    full = "\n".join(assert_valid(quotes_view(answer)))
    assert long_quote in full


def test_shorten_keeps_the_focus_and_words_whole() -> None:
    text = " ".join(f"word{i}" for i in range(100)) + " the toll was 139 people " + " ".join(f"w{i}" for i in range(100))
    short = shorten(text, 120, "139")
    assert short.startswith("…") and short.endswith("…") and "139" in short
    assert short.strip("…") in text and len(short) <= 122
    assert shorten("short", 120, "x") == "short"


def test_long_answer_is_split_between_paragraphs_and_every_part_is_valid() -> None:
    cites = [Citation(i, f"s{i}.md", f"Title {i} <&>", f"Outlet {i}", "2024-03-2" + str(i % 9 + 1),
                      f"Sentence {i} & more: " + "lorem ipsum dolor sit amet " * 30, url=f"https://x.example/{i}?a=1&b=2")
             for i in range(1, 31)]
    answer = Answer("q", "answered", "Answer line [1].", citations=cites)
    parts = to_telegram(answer)
    assert len(parts) > 1
    plains = assert_valid(parts)
    assert all(utf16_len(p) <= 4096 for p in plains)
    for plain in plains[1:]:
        assert plain.startswith("["), "a later part starts with a whole quote, not mid-paragraph"
    numbers = [int(n) for p in plains for n in re.findall(r"^\[(\d+)\]", p, re.M)]
    assert numbers == list(range(1, 31))  # nothing lost, nothing repeated, in order
    full = quotes_view(answer)
    assert len(full) > len(parts)  # whole quotes take more messages than shortened ones
    assert_valid(full)


def test_a_single_paragraph_over_the_limit_is_cut_between_words_with_tags_reopened() -> None:
    words = " ".join(f"w{i}&amp;x" for i in range(2000))  # about 14,000 visible characters in one bold paragraph
    parts = split_html(f"<b>{words}</b>\n\n<i>tail</i>")
    assert len(parts) >= 4
    for part in parts:
        plain, entities = check_message_text(part, "HTML")
        assert utf16_len(plain) <= 4096
    rebuilt = " ".join(parse_html(p)[0] for p in parts)
    assert rebuilt.split() == [f"w{i}&x" for i in range(2000)] + ["tail"]
    for part in parts[:-1]:
        assert parse_html(part)[1][0]["type"] == "bold"  # the bold is closed and reopened around each cut


def test_length_is_measured_after_entity_parsing_and_in_utf16() -> None:
    escaped = "&amp;" * 4000  # 20,000 characters of HTML, 4,000 characters of message
    assert visible_length(escaped) == 4000
    assert split_html(escaped) == [escaped]
    emoji = "😀" * 2100  # 2,100 code points but 4,200 UTF-16 units
    parts = split_html(emoji)
    assert len(parts) == 2
    assert_valid(parts)


def test_terminal_text_lists_every_value_with_its_source_and_numbered_quotes() -> None:
    text = to_terminal(death_toll_answer())
    lines = text.split("\n")
    assert lines[0].startswith("The articles give different figures (killed): 139 [1]")
    assert "⚖️ Sources disagree" in lines
    assert "• at least 60 — NLCS Jeju student newspaper, 9 April 2024 [4]" in lines
    assert "• 139 — The Northlines (IPA Service), 26 March 2024 [1]" in lines
    assert ('[3] "At least 133 people have died." — Why would IS attack Moscow? Four questions and answers, '
            "NOS News, 23 March 2024") in lines
    assert "<" not in text.replace("<c>", "")  # plain text: no markup


def test_terminal_text_without_citations_is_just_the_answer() -> None:
    answer = Answer("q", "out_of_scope", "I can only answer questions about the attack.")
    assert to_terminal(answer) == "I can only answer questions about the attack."


def test_sources_view_groups_citations_by_article() -> None:
    answer = death_toll_answer()
    answer.citations.append(Citation(5, "nos.md", answer.citations[2].title, "NOS News", "2024-03-23", "Another."))
    plain = "\n".join(assert_valid(sources_view(answer)))
    assert "[3][5] Why would IS attack Moscow? Four questions and answers — NOS News, 23 March 2024" in plain
    assert plain.count("NOS News") == 1


def test_compare_view_orders_reports_by_date_with_values_and_summary() -> None:
    plain = "\n".join(assert_valid(compare_view(death_toll_answer())))
    order = [plain.index(s) for s in ("23 March 2024 · NOS News: at least 133 [3]",
                                      "24 March 2024 · Task & Purpose: at least 137 [2]",
                                      "26 March 2024 · The Northlines (IPA Service): 139 [1]",
                                      "9 April 2024 · NLCS Jeju student newspaper: at least 60 [4]")]
    assert order == sorted(order)
    assert "Later reports give higher figures; 60 is a floor." in plain
    agreed = death_toll_answer()
    agreed.disagreements = []
    assert prompts().render("telegram.compare_none") in "\n".join(assert_valid(compare_view(agreed)))


def test_corpus_sources_lists_every_article_with_outlet_date_and_link() -> None:
    metas = [ArticleMeta("a.md", "A <title>", "Outlet & Co", published="2024-03-25", url="https://a.example/?x=1&y=2"),
             ArticleMeta("b.md", "B title", "", published=None)]
    parts = corpus_sources(metas)
    plain = "\n".join(assert_valid(parts))
    assert "A <title> — Outlet & Co, 25 March 2024" in plain and "• B title" in plain
    assert [e["url"] for e in parse_html(parts[0])[1] if e["type"] == "text_link"] == ["https://a.example/?x=1&y=2"]
    assert assert_valid(corpus_sources([])) == [prompts().render("telegram.sources_empty")]


@pytest.mark.parametrize("published, words", [("2024-03-23", "23 March 2024"), ("2024-04", "April 2024"),
                                              ("2024", "2024"), (None, ""), ("late March", "late March")])
def test_format_date(published: str | None, words: str) -> None:
    assert format_date(published) == words


def test_every_telegram_template_is_valid_html_with_hostile_values() -> None:
    p = prompts()
    for key in p.keys():
        if not key.startswith("telegram."):
            continue
        template = p.get(key)
        text = template.render(**{v: "x &lt;y&gt; &amp; z" for v in template.vars})
        if key.startswith(("telegram.button_", "telegram.command_")):
            assert "<" not in text and len(text) <= 64, key  # buttons and menu entries are plain text
            continue
        try:
            check_message_text(text, "HTML")
        except (EntityParseError, ValueError) as exc:
            pytest.fail(f"{key}: {exc}")
