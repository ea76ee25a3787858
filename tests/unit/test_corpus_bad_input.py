"""Bad article files: each is one clear reason naming the file, never a crash, and the rest still reads."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.errors import ArticleError
from bot.ingest.corpus import parse_article, scan_corpus

BODY = "The bridge over the river was opened on a cold morning, and the mayor cut the ribbon.\n"


def md(front: str, body: str = BODY) -> bytes:
    return f"---\n{front}\n---\n{body}".encode()


BAD_FILES = [
    ("month 13", "a.md", md("title: T\npublished: 2024-13-45"), "'published' must be a real date"),
    ("30 February", "a.md", md("title: T\npublished: 2024-02-30"), "'published' must be a real date"),
    ("time 25:61", "a.md", md("title: T\npublished: 2024-03-02 25:61"), "'published' must be a real date"),
    ("words for a date", "a.md", md("title: T\npublished: last Friday"), "'published' must be a real date"),
    ("3,000 nested brackets", "a.md", md("title: T\nnotes: " + "[" * 3000), "malformed front matter"),
    ("a 5,000-digit date", "a.md", md("title: T\npublished: " + "9" * 5000), "'published' must be a real date"),
    ("huge front matter", "a.md", md("title: T\nnotes: " + "x" * 30_000), "front matter is over"),
    ("recursive alias", "a.md", md("title: &a [*a]"), "malformed front matter"),
    ("list as title", "a.md", md("title: [a, b]"), "'title' must be text, got a list"),
    ("mapping as outlet", "a.md", md("title: T\noutlet: {a: 1}"), "'outlet' must be text, got a mapping"),
    ("unknown field", "a.md", md("title: T\ncolour: red"), "unknown front-matter field(s) colour"),
    ("no title", "a.md", md("outlet: X"), "has no 'title'"),
    ("front matter not closed", "a.md", b"---\ntitle: T\n" + BODY.encode(), "not closed"),
    ("no front matter", "a.md", BODY.encode(), "must start with YAML front matter"),
    ("unbalanced quotes", "a.md", md('title: "T'), "malformed front matter"),
    ("front matter only", "a.md", md("title: T", ""), "no text"),
    ("empty file", "a.md", b"", "empty"),
    ("whitespace only", "a.txt", b"  \n\t\n", "empty"),
    ("binary", "a.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary file"),
    ("not UTF-8", "a.txt", "Título\nEl puente fue inaugurado una mañana fría de invierno.".encode("latin-1"), "not UTF-8"),
    ("too large", "a.txt", b"T\n" + b"word " * 500_000, "bytes; articles over"),
    ("unsupported type", "a.pdf", b"%PDF-1.4 something", "unsupported file type '.pdf'"),
    ("no suffix", "README", b"T\n" + BODY.encode(), "unsupported file type 'none'"),
    ("title line only", "a.txt", b"Just a title\n", "no text"),
    ("html without text", "a.html", b"<html><head><title>T</title></head><body></body></html>", "HTML page"),
]


@pytest.mark.parametrize("name, data, reason", [c[1:] for c in BAD_FILES], ids=[c[0] for c in BAD_FILES])
def test_bad_input_article_is_one_clear_reason(name: str, data: bytes, reason: str) -> None:
    with pytest.raises(ArticleError) as err:
        parse_article(name, data)
    assert str(err.value).startswith(f"{name}: ") and reason in str(err.value), str(err.value)
    assert err.value.keep_previous  # a broken file keeps its earlier good version in the index
    assert "\n" not in str(err.value)


def test_good_front_matter_values_are_read_as_written() -> None:
    a = parse_article("a.md", md("title: yes\noutlet: 1e400\npublished: 2024-03-02T10:00:00+01:00"))
    assert (a.meta.title, a.meta.outlet, a.meta.published) == ("yes", "1e400", "2024-03-02")


def _write(corpus: Path, name: str, data: bytes) -> None:
    (corpus / name).parent.mkdir(parents=True, exist_ok=True)
    (corpus / name).write_bytes(data)


def test_bad_input_scan_reports_each_file_and_reads_the_rest(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    for i, (_, name, data, _) in enumerate(BAD_FILES[:12]):
        _write(corpus, f"bad-{i}-{name}", data)
    _write(corpus, "good.md", md("title: Good"))
    articles, errors = scan_corpus(corpus)
    assert [a.meta.source for a in articles] == ["good.md"]
    assert len(errors) == 12 and all(e.keep_previous for e in errors)


def test_security_links_are_not_followed_in_or_out(tmp_path: Path) -> None:
    corpus, outside = tmp_path / "corpus", tmp_path / "outside"
    _write(outside, "secret.md", md("title: Secret", "The password of the server is written on a note here.\n"))
    _write(corpus, "good.md", md("title: Good"))
    os.symlink(outside / "secret.md", corpus / "link.md")
    os.symlink(outside, corpus / "folder")
    os.symlink(corpus / "good.md", corpus / "inner.md")
    articles, errors = scan_corpus(corpus)
    assert [a.meta.source for a in articles] == ["good.md"]
    assert {e.source for e in errors} == {"link.md", "folder", "inner.md"}
    assert all("link" in e.reason and not e.keep_previous for e in errors)


def test_bad_input_the_same_text_twice_is_one_article(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    _write(corpus, "a.md", md("title: Bridge opened"))
    _write(corpus, "copy/b.md", md("title: Another title", BODY.replace(" ", "  ")))  # spacing differs only
    _write(corpus, "c.md", md("title: Other", "A different article about the same bridge and its long history.\n"))
    articles, errors = scan_corpus(corpus)
    assert [a.meta.source for a in articles] == ["a.md", "c.md"]
    (dup,) = errors
    assert dup.source == "copy/b.md" and "same text as a.md" in dup.reason and not dup.keep_previous


def test_bad_input_unreadable_file_is_reported_not_dropped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = tmp_path / "corpus"
    _write(corpus, "a.md", md("title: A"))
    _write(corpus, "locked.md", md("title: Locked", "Another article about a different bridge in another town.\n"))
    real = Path.read_bytes

    def read_bytes(self: Path) -> bytes:  # root ignores chmod 000, so the permission error is raised here
        if self.name == "locked.md":
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    articles, errors = scan_corpus(corpus)
    assert [a.meta.source for a in articles] == ["a.md"]
    (e,) = errors
    assert e.source == "locked.md" and "cannot be read (Permission denied)" in e.reason and e.keep_previous
