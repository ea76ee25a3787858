"""Article body → quotable sentence spans, with headings attached to the paragraphs they introduce.

Quotes must be exact spans of the article, so this module never rewrites text: it only finds
offsets. Headings ("What is ISIS-K?", "Who is ISIS-K") are not sentences of their own; they are
attached to the sentences of their section, because a question-shaped heading otherwise outranks
the sentences that actually answer it.
"""

from __future__ import annotations

import re

from bot.models import SentenceSpan
from bot.text.vocab import ABBREVIATIONS

_END = re.compile(r"[.!?…]+[\"'”’)\]]*")
_OPENERS = "\"'“‘([¿¡"
_HEADING_MAX_WORDS = 14
SENTENCES_VERSION = 4  # raise when the rules below change what a sentence is: the index is then rebuilt
MIN_WORDS = 3  # fewer words than this is a fragment ("In 2002, .", "Telegram channel."), not a quotable sentence
_TERMINAL = (".", "!", ":", ";", ",", "…", '"', "”", "’", "'", ")")


def _is_sentence_break(text: str, end: int) -> bool:
    """A terminal mark at text[:end] ends a sentence when what follows starts a new one."""
    rest = text[end:]
    if not rest or not rest[0].isspace():
        return False
    nxt = rest.lstrip()
    if not nxt:
        return False
    first = nxt[0]
    if not (first.isupper() or first.isdigit() or first in _OPENERS):
        return False
    before = text[:end].rstrip("\"'”’)]")
    if before.endswith(("!", "?", "…")):
        return True
    word = re.search(r"([A-Za-z][A-Za-z.]*)\.$", before)
    if word:
        w = word.group(1).lower()
        if w in ABBREVIATIONS or w.rstrip(".") in ABBREVIATIONS:
            return False
        if len(w) == 1:  # an initial such as "J. Smith"
            return False
    return True


def _split_paragraph(text: str, offset: int) -> list[tuple[int, int]]:
    """Sentence spans (absolute offsets) inside one paragraph."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _END.finditer(text):
        if _is_sentence_break(text, m.end()):
            spans.append((start, m.end()))
            start = m.end()
    spans.append((start, len(text)))
    out = []
    for s, e in spans:
        chunk = text[s:e]
        lead = len(chunk) - len(chunk.lstrip())
        trail = len(chunk) - len(chunk.rstrip())
        s, e = s + lead, e - trail
        if e > s and len(re.findall(r"[^\W\d_]{2,}", text[s:e])) >= MIN_WORDS:
            out.append((offset + s, offset + e))
    return out


def _paragraphs(body: str) -> list[tuple[int, int]]:
    """Paragraph spans: blank lines separate paragraphs; so does a line break after a finished sentence."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for line in body.splitlines(keepends=True):
        stripped = line.strip()
        start = pos + (len(line) - len(line.lstrip()))
        end = start + len(stripped)
        pos += len(line)
        if not stripped:
            spans.append((-1, -1))  # a blank line closes the paragraph
            continue
        joins = stripped[0].islower() or not _line_ends_block(body[spans[-1][0] : spans[-1][1]]) if spans else False
        if spans and spans[-1][0] >= 0 and joins:
            spans[-1] = (spans[-1][0], end)  # a hard-wrapped line continues the paragraph
        else:
            spans.append((start, end))
    return [s for s in spans if s[0] >= 0]


def _line_ends_block(text: str) -> bool:
    """True when a line ends a paragraph or is a heading (so the next line starts a new block)."""
    t = text.rstrip()
    return t.endswith((".", "!", "?", "…", '"', "”", ")")) or _looks_like_heading(t)


def _looks_like_heading(text: str) -> bool:
    """A short line that is a markdown heading, a question heading, or a title without a full stop."""
    t = text.strip()
    if t.startswith("#"):
        return True
    n_words = len(t.split())
    if n_words == 0 or n_words > _HEADING_MAX_WORDS or not t[0].isupper():
        return False
    if t.endswith("?"):
        return not re.search(r"[.!?]\s+\S", t)  # one question, not a paragraph that ends with one
    return not t.endswith(_TERMINAL)


def split_sentences(body: str) -> list[SentenceSpan]:
    """Quotable sentences of an article body, in order, each with its paragraph number and heading."""
    paras = _paragraphs(body)
    out: list[SentenceSpan] = []
    heading = ""
    for i, (ps, pe) in enumerate(paras):
        text = body[ps:pe]
        has_next = i + 1 < len(paras)
        if has_next and _looks_like_heading(text):
            heading = text.lstrip("#").strip()
            continue
        for s, e in _split_paragraph(text, ps):
            out.append(SentenceSpan(start=s, end=e, paragraph=i, heading=heading))
    return out
