"""Article files → Article: .md with YAML front matter, .txt with the title on the first line, saved .html pages.

A file that cannot be read becomes an ArticleError naming the file and the reason; the caller
reports it and goes on with the rest. The article id is the path relative to the corpus dir, and
the hash covers body and metadata only, so touching or moving files re-embeds nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
from dataclasses import asdict
from pathlib import Path
from typing import Any

import yaml

from bot.errors import ArticleError
from bot.ingest.atomic import write_bytes_atomically
from bot.models import Article, ArticleMeta

ARTICLE_SUFFIXES = (".md", ".markdown", ".txt", ".html", ".htm")
MAX_ARTICLE_BYTES = 2_000_000
MIN_BODY_CHARS = 20
_META_FIELDS = ("title", "outlet", "author", "published", "url", "language", "translated_from", "notes")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATE_OR_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$")
MAX_FRONT_MATTER_CHARS = 20_000
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def _decode(source: str, data: bytes) -> str:
    """Bytes → text, or an ArticleError saying why not."""
    if not data.strip():
        raise ArticleError(source, "the file is empty")
    if len(data) > MAX_ARTICLE_BYTES:
        raise ArticleError(source, f"the file is {len(data):,} bytes; articles over {MAX_ARTICLE_BYTES:,} bytes are refused")
    if b"\x00" in data:
        raise ArticleError(source, "binary file (contains NUL bytes), not an article")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ArticleError(source, f"not UTF-8 text (bad byte at position {exc.start}); save it as UTF-8") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _iso_date(source: str, value: Any) -> str | None:
    """A front-matter date ('2024-03-23', or an ISO date and time) as 'YYYY-MM-DD', or None when absent."""
    if value in (None, ""):
        return None
    text = str(value).strip()
    if _DATE_OR_TIME.match(text):
        try:
            return dt.datetime.fromisoformat(text).date().isoformat()
        except ValueError:
            pass  # 2024-13-45, 2024-02-30, 25:61: the shape of a date but not a real one
    shown = text if len(text) <= 40 else text[:40] + "…"
    raise ArticleError(source, f"'published' must be a real date like 2024-03-23, got {shown!r}")


def _meta(source: str, fields: dict[str, Any]) -> ArticleMeta:
    """Front-matter fields → ArticleMeta, checking types."""
    unknown = sorted(set(fields) - set(_META_FIELDS))
    if unknown:
        raise ArticleError(source, f"unknown front-matter field(s) {', '.join(unknown)}; allowed: {', '.join(_META_FIELDS)}")
    values: dict[str, Any] = {}
    for key in _META_FIELDS:
        v = fields.get(key)
        if key == "published":
            values[key] = _iso_date(source, v)
        elif v is None:
            values[key] = ""
        elif isinstance(v, str):
            values[key] = v.strip()
        else:
            kind = "a list" if isinstance(v, list) else "a mapping" if isinstance(v, dict) else type(v).__name__
            raise ArticleError(source, f"front-matter field '{key}' must be text, got {kind}")
    if not values["title"]:
        raise ArticleError(source, "the front matter has no 'title'")
    # "" when undeclared: the language is then detected from the text at refresh (bot/ingest/annotate.py)
    return ArticleMeta(source=source, **values)


def _split_front_matter(source: str, text: str) -> tuple[dict[str, Any], str]:
    """YAML front matter and body of a markdown file."""
    if not text.startswith("---"):
        raise ArticleError(source, "a .md article must start with YAML front matter between '---' lines (title, outlet, published, ...)")
    m = re.match(r"^---[ \t]*\n(.*?)\n---[ \t]*(?:\n|$)", text, re.S)
    if not m:
        raise ArticleError(source, "the front matter is not closed with a '---' line (half-written file?)")
    if len(m.group(1)) > MAX_FRONT_MATTER_CHARS:
        raise ArticleError(source, f"the front matter is over {MAX_FRONT_MATTER_CHARS:,} characters; it holds only short fields")
    try:
        # BaseLoader: every value stays the text it is written as. Dates, times and numbers are
        # checked by this module, so "2024-02-30" or a 5,000-digit number is a message, not a crash.
        fields = yaml.load(m.group(1), Loader=yaml.BaseLoader) or {}
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        line = f" at line {where.line + 2}" if where is not None else ""
        raise ArticleError(source, f"malformed front matter{line}: {getattr(exc, 'problem', None) or exc}") from None
    except RecursionError:
        raise ArticleError(source, "malformed front matter: nested too deeply") from None
    if not isinstance(fields, dict):
        raise ArticleError(source, "the front matter must be 'key: value' lines")
    return fields, text[m.end():]


def _from_markdown(source: str, text: str) -> tuple[ArticleMeta, str]:
    fields, body = _split_front_matter(source, text)
    return _meta(source, fields), body


def _from_text(source: str, text: str) -> tuple[ArticleMeta, str]:
    lines = text.lstrip("\n").split("\n", 1)
    title = lines[0].strip()
    body = lines[1] if len(lines) > 1 else ""
    return _meta(source, {"title": title}), body


def _from_html(source: str, text: str) -> tuple[ArticleMeta, str]:
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(text, with_metadata=True, include_comments=False, include_tables=False)
    except Exception as exc:  # trafilatura raises assorted parser errors on broken pages
        raise ArticleError(source, f"the HTML page could not be parsed ({type(exc).__name__})") from None
    if doc is None:
        raise ArticleError(source, "no article text found in the HTML page")
    get = doc.get if isinstance(doc, dict) else lambda k: getattr(doc, k, None)
    body = get("text") or ""
    fields = {
        "title": get("title") or "",
        "outlet": get("sitename") or "",
        "author": get("author") or "",
        "url": get("url") or "",
        "language": get("language") or "",
        "notes": "Extracted from a saved web page.",
    }
    date = get("date")
    fields["published"] = date if date and _DATE.match(str(date)) else None
    if not fields["title"]:
        raise ArticleError(source, "the HTML page has no title")
    return _meta(source, fields), body


def parse_article(source: str, data: bytes) -> Article:
    """Bytes of an article file named `source` → Article, or ArticleError with the reason."""
    suffix = Path(source).suffix.lower()
    if suffix not in ARTICLE_SUFFIXES:
        raise ArticleError(source, f"unsupported file type '{suffix or 'none'}'; use {', '.join(ARTICLE_SUFFIXES)}")
    text = _decode(source, data)
    if suffix in (".md", ".markdown"):
        meta, body = _from_markdown(source, text)
    elif suffix == ".txt":
        meta, body = _from_text(source, text)
    else:
        meta, body = _from_html(source, text)
    if len(body.strip()) < MIN_BODY_CHARS:
        raise ArticleError(source, "the article has no text (or too little) below its title/front matter")
    digest = hashlib.sha256((body + "\x1f" + json.dumps(asdict(meta), sort_keys=True)).encode("utf-8")).hexdigest()
    return Article(meta=meta, body=body, hash=digest)


def read_article(path: Path, corpus_dir: Path) -> Article:
    """Read one article file; its id is the path relative to the corpus dir."""
    source = path.relative_to(corpus_dir).as_posix()
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ArticleError(source, f"cannot be read ({exc.strerror or exc})") from None
    return parse_article(source, data)


def _candidates(corpus_dir: Path) -> tuple[list[Path], list[ArticleError]]:
    """Every regular file under the corpus dir except hidden ones (temporary uploads are hidden).

    Links are not followed, in or out: only files that really live in the corpus dir are read, and
    each link found is reported rather than silently skipped.
    """
    out: list[Path] = []
    refused: list[ArticleError] = []
    for root, dirs, files in os.walk(corpus_dir, followlinks=False):
        base = Path(root)
        for d in [d for d in dirs if (base / d).is_symlink()]:
            refused.append(ArticleError((base / d).relative_to(corpus_dir).as_posix(),
                                        "is a link to a folder; only files inside the corpus directory are read",
                                        keep_previous=False))
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not (base / d).is_symlink())
        for name in sorted(files):
            path = base / name
            if name.startswith(".") or name.endswith("~") or name.lower() in {"readme.md", "readme.txt"}:
                continue
            rel = path.relative_to(corpus_dir).as_posix()
            if path.is_symlink():
                refused.append(ArticleError(rel, "is a link; only regular files inside the corpus directory are read",
                                            keep_previous=False))
            elif path.is_file():
                out.append(path)
    return sorted(out), refused


def body_fingerprint(body: str) -> str:
    """The article's words with spacing folded: the same text under two names is one article."""
    return hashlib.sha256(" ".join(body.split()).encode("utf-8")).hexdigest()


def corpus_files(corpus_dir: Path) -> tuple[list[tuple[str, Path, int, int]], list[ArticleError]]:
    """(source, path, size, mtime_ns) of every candidate article file (a stat each, nothing read), and the links refused."""
    if not corpus_dir.is_dir():
        from bot.errors import ConfigError

        raise ConfigError(f"the corpus directory {corpus_dir} does not exist (set BOT_CORPUS_DIR)")
    out = []
    paths, refused = _candidates(corpus_dir)
    for path in paths:
        try:
            st = path.stat()
        except OSError:  # vanished between listing and stat: it is simply not there
            continue
        out.append((path.relative_to(corpus_dir).as_posix(), path, st.st_size, st.st_mtime_ns))
    return out, refused


def scan_corpus(corpus_dir: Path) -> tuple[list[Article], list[ArticleError]]:
    """All readable articles of the corpus dir, and an error per file that could not be read."""
    if not corpus_dir.is_dir():
        from bot.errors import ConfigError

        raise ConfigError(f"the corpus directory {corpus_dir} does not exist (set BOT_CORPUS_DIR)")
    paths, errors = _candidates(corpus_dir)
    articles: list[Article] = []
    first_with: dict[str, str] = {}
    for path in paths:
        try:
            article = read_article(path, corpus_dir)
        except ArticleError as exc:
            errors.append(exc)
            continue
        fingerprint = body_fingerprint(article.body)
        if fingerprint in first_with:  # counted once: a copy must not look like a second source agreeing
            errors.append(ArticleError(article.meta.source, f"has the same text as {first_with[fingerprint]}; indexed once, as that file",
                                       keep_previous=False))
            continue
        first_with[fingerprint] = article.meta.source
        articles.append(article)
    return articles, errors


def safe_upload_name(name: str) -> str:
    """A file name for an uploaded article: no folders, no hidden names, only plain characters."""
    base = Path(name.replace("\\", "/")).name
    stem, suffix = os.path.splitext(base)
    stem = _SAFE_NAME.sub("-", stem).strip("-.")[:80]
    if not stem:
        raise ArticleError(name or "upload", "the file name has no usable characters")
    return f"{stem}{suffix.lower()}"


def validate_upload(name: str, data: bytes) -> Article:
    """Check an uploaded article the way a refresh would read it; ArticleError says what is wrong."""
    return parse_article(safe_upload_name(name), data)


def write_article_atomically(corpus_dir: Path, name: str, data: bytes) -> Path:
    """Save an article into the corpus dir all at once (a refresh never sees half a file)."""
    return write_bytes_atomically(corpus_dir / safe_upload_name(name), data)  # its temp file is hidden
