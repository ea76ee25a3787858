"""Telegram HTML helpers: escaping, length as Telegram counts it, splitting without breaking tags.

Telegram limits a message to 4096 characters *after* entity parsing: tags cost nothing and
`&lt;` costs one. Lengths here are counted in UTF-16 code units (what Telegram uses for entity
offsets), which is never less than the count in code points, so a part that passes here passes
there.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

MAX_MESSAGE = 4096

_TOKEN = re.compile(r"<[^>]*>|&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[a-zA-Z]+);|.", re.DOTALL)
_TAG_NAME = re.compile(r"</?\s*([a-zA-Z0-9-]+)")


def escape(text: str) -> str:
    """Escape article or user text for a Telegram HTML message body (<, >, &)."""
    return html.escape(text, quote=False)


def escape_attr(text: str) -> str:
    """Escape text for a double-quoted HTML attribute value such as href."""
    return html.escape(text, quote=True).replace("&#x27;", "'")


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units (characters outside the BMP count twice)."""
    return len(text.encode("utf-16-le")) // 2


@dataclass(frozen=True)
class _Token:
    raw: str
    width: int  # visible length after entity parsing
    tag: str = ""  # tag name for tags, "" for text
    closing: bool = False


def _tokens(text: str) -> list[_Token]:
    out: list[_Token] = []
    for m in _TOKEN.finditer(text):
        raw = m.group(0)
        if raw.startswith("<") and len(raw) > 1:
            name = _TAG_NAME.match(raw)
            out.append(_Token(raw, 0, (name.group(1) if name else "?").lower(), raw.startswith("</")))
        elif raw.startswith("&") and len(raw) > 1:
            out.append(_Token(raw, utf16_len(html.unescape(raw))))
        else:
            out.append(_Token(raw, utf16_len(raw)))
    return out


def visible_length(text: str) -> int:
    """The length of an HTML message as Telegram counts it (tags removed, entities decoded)."""
    return sum(t.width for t in _tokens(text))


# Where a message may be cut, best first: between paragraphs, between lines, between words.
_BREAK_KINDS = ("\n\n", "\n", " ")


def _split_once(tokens: list[_Token], limit: int) -> tuple[list[_Token], list[_Token]]:
    """Cut the token list at the best break whose prefix fits in `limit`; returns (head, tail)."""
    best: dict[str, int] = {}
    any_cut = 0
    width = 0
    for i, tok in enumerate(tokens):
        if not tok.tag:
            if width + tok.width > limit:
                break
            if tok.raw == "\n" and i + 1 < len(tokens) and tokens[i + 1].raw == "\n":
                best["\n\n"] = i
            elif tok.raw == "\n":
                best["\n"] = i
            elif tok.raw == " ":
                best[" "] = i
            width += tok.width
            any_cut = i + 1
        elif tok.closing:
            any_cut = i + 1  # a closing tag costs nothing: keep it with the text it closes
        else:
            any_cut = i  # never leave an opening tag dangling at the end of a part
    for kind in _BREAK_KINDS:
        if kind in best and best[kind] > 0:
            cut = best[kind]
            skip = cut + len(kind)
            return tokens[:cut], tokens[skip:]
    cut = max(any_cut, 1)
    return tokens[:cut], tokens[cut:]


def _open_stack(tokens: list[_Token]) -> list[_Token]:
    stack: list[_Token] = []
    for tok in tokens:
        if tok.tag and tok.closing:
            for j in range(len(stack) - 1, -1, -1):
                if stack[j].tag == tok.tag:
                    del stack[j:]
                    break
        elif tok.tag:
            stack.append(tok)
    return stack


def split_html(text: str, limit: int = MAX_MESSAGE) -> list[str]:
    """Split an HTML message into parts of at most `limit` visible characters.

    Cuts between paragraphs where possible, then between lines, then between words; tags open
    at a cut are closed at the end of one part and reopened at the start of the next, so every
    part is valid HTML on its own.
    """
    parts: list[str] = []
    tokens = _tokens(text.strip())
    reopen: list[_Token] = []
    while tokens:
        tokens = reopen + tokens
        if sum(t.width for t in tokens) <= limit:
            parts.append("".join(t.raw for t in tokens))
            break
        head, tail = _split_once(tokens, limit)
        stack = _open_stack(head)
        closing = "".join(f"</{t.tag}>" for t in reversed(stack))
        parts.append("".join(t.raw for t in head).rstrip() + closing)
        while tail and not tail[0].tag and tail[0].raw.isspace():
            tail = tail[1:]  # a part does not start with the whitespace it was cut at
        reopen, tokens = stack, tail
    return [p for p in parts if visible_length(p) > 0]


def shorten(text: str, limit: int, focus: str = "") -> str:
    """Shorten plain text to about `limit` characters around `focus`, marking cut ends with …."""
    if len(text) <= limit:
        return text
    at = text.lower().find(focus.lower()) if focus else -1
    if at < 0:
        start = 0
    else:
        start = max(0, min(at + len(focus) // 2 - limit // 2, len(text) - limit))
    end = min(len(text), start + limit)
    if start > 0:  # move the cut forward to a word boundary
        space = text.find(" ", start, start + 40)
        start = space + 1 if space >= 0 and (at < 0 or space < at) else start
    if end < len(text):
        space = text.rfind(" ", end - 40, end)
        end = space if space > start and (at < 0 or space >= at + len(focus)) else end
    piece = text[start:end].strip()
    return ("…" if start > 0 else "") + piece + ("…" if end < len(text) else "")
