"""Reading article files: front matter, .txt, .html; every unreadable file named with a reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.errors import ArticleError
from bot.ingest.corpus import (
    parse_article,
    safe_upload_name,
    scan_corpus,
    validate_upload,
    write_article_atomically,
)

GOOD_MD = b"""---
title: Bridge reopens
outlet: Valley Times
published: 2023-05-02
notes: date from the byline
---

The old bridge reopened on Tuesday after two years of repairs.
"""


def test_markdown_front_matter_and_verbatim_body() -> None:
    a = parse_article("bridge.md", GOOD_MD)
    assert a.meta.title == "Bridge reopens" and a.meta.outlet == "Valley Times"
    assert a.meta.published == "2023-05-02" and a.meta.source == "bridge.md"
    assert "The old bridge reopened on Tuesday after two years of repairs." in a.body


def test_hash_ignores_file_name_location_and_time_but_not_words() -> None:
    a = parse_article("bridge.md", GOOD_MD)
    assert a.hash == parse_article("bridge.md", GOOD_MD).hash
    assert a.hash != parse_article("bridge.md", GOOD_MD.replace(b"two years", b"three years")).hash


def test_txt_first_line_is_title() -> None:
    a = parse_article("note.txt", "Flood in the valley\nThe river rose by two metres overnight, officials said.\n".encode())
    assert a.meta.title == "Flood in the valley"
    assert a.body.strip() == "The river rose by two metres overnight, officials said."


def test_html_page_main_text_and_metadata_are_extracted() -> None:
    html = """<html><head><title>Storm hits coast</title><meta property="og:site_name" content="Coast News">
    <meta name="date" content="2023-09-01"></head><body><nav>Home | Sport | Share this</nav>
    <article><h1>Storm hits coast</h1><p>A storm hit the coast on Friday, cutting power to 4,000 homes.</p>
    <p>Crews worked through the night to restore the lines, the utility said in a statement.</p></article>
    <footer>Subscribe to our newsletter</footer></body></html>"""
    a = parse_article("storm.html", html.encode())
    assert a.meta.title == "Storm hits coast"
    assert "cutting power to 4,000 homes" in a.body
    assert "Subscribe" not in a.body


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.md", b"   \n", "empty"),
        ("binary.md", b"\x00\x01\x02abc", "binary"),
        ("latin.txt", "Caf\xe9 story\nbody text that is long enough".encode("latin-1"), "UTF-8"),
        ("nofm.md", b"Just text without front matter, long enough to count.", "front matter"),
        ("half.md", b"---\ntitle: Half written\noutlet: X\n", "not closed"),
        ("broken.md", b"---\ntitle: [unclosed\n---\nBody text long enough to count here.\n", "malformed front matter"),
        ("notitle.md", b"---\noutlet: X\n---\nBody text long enough to count here.\n", "no 'title'"),
        ("baddate.md", b"---\ntitle: T\npublished: last Tuesday\n---\nBody text long enough to count here.\n", "published"),
        ("extra.md", b"---\ntitle: T\ncolour: red\n---\nBody text long enough to count here.\n", "unknown front-matter"),
        ("nobody.md", b"---\ntitle: T\n---\n\n", "no text"),
        ("image.png", b"\x89PNG....", "unsupported file type"),
    ],
)
def test_unreadable_files_are_refused_with_a_reason(name: str, data: bytes, reason: str) -> None:
    with pytest.raises(ArticleError) as err:
        parse_article(name, data)
    assert err.value.source == name
    assert reason in err.value.reason


def test_scan_reports_bad_files_and_reads_the_rest(tmp_path: Path) -> None:
    (tmp_path / "good.md").write_bytes(GOOD_MD)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "also.txt").write_text("Second story\nA second article body with enough words.\n")
    (tmp_path / "bad.md").write_bytes(b"\xff\xfe\x00")
    (tmp_path / ".upload-tmp123").write_bytes(b"half")  # an upload being written: hidden, ignored
    articles, errors = scan_corpus(tmp_path)
    assert sorted(a.meta.source for a in articles) == ["good.md", "sub/also.txt"]
    assert [e.source for e in errors] == ["bad.md"]


def test_upload_names_are_made_safe() -> None:
    assert safe_upload_name("../../etc/passwd.md") == "passwd.md"
    assert safe_upload_name("My Report (final).MD") == "My-Report-final.md"
    with pytest.raises(ArticleError):
        safe_upload_name("???.md")


def test_validate_upload_uses_the_same_rules() -> None:
    assert validate_upload("a b.md", GOOD_MD).meta.source == "a-b.md"
    with pytest.raises(ArticleError, match="front matter"):
        validate_upload("x.md", b"no front matter here at all, just words")


def test_write_is_atomic_and_leaves_no_temp_files(tmp_path: Path) -> None:
    path = write_article_atomically(tmp_path, "new story.md", GOOD_MD)
    assert path.name == "new-story.md" and path.read_bytes() == GOOD_MD
    assert [p.name for p in tmp_path.iterdir()] == ["new-story.md"]
