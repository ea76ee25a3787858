"""Telegram's parse_mode=HTML, re-implemented strictly for the Bot API emulator.

Independent of bot/telegram/html.py on purpose: tests check the bot's output against this parser,
not against the bot's own idea of valid HTML.

Rules (Bot API "HTML style"): only the tags below; tags well nested and closed; the only named
entities are &lt; &gt; &amp; &quot;, numeric entities are allowed; a bare `<` or `&` is an error.
The result is the plain text and its entities, offsets in UTF-16 code units like Telegram's.
"""

from __future__ import annotations

import html
import re
from typing import Any

MAX_TEXT = 4096

# tag -> (entity type, attributes allowed with their required value pattern or None for any)
_TAGS: dict[str, tuple[str, dict[str, str | None]]] = {
    "b": ("bold", {}), "strong": ("bold", {}),
    "i": ("italic", {}), "em": ("italic", {}),
    "u": ("underline", {}), "ins": ("underline", {}),
    "s": ("strikethrough", {}), "strike": ("strikethrough", {}), "del": ("strikethrough", {}),
    "tg-spoiler": ("spoiler", {}), "span": ("spoiler", {"class": r"tg-spoiler"}),
    "a": ("text_link", {"href": None}),
    "code": ("code", {"class": r"language-[\w+#-]+"}),
    "pre": ("pre", {}),
    "blockquote": ("blockquote", {"expandable": r""}),
}
_REQUIRED = {"a": "href", "span": "class"}

_TAG = re.compile(
    r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z-]+(?:\s*=\s*(?:\"[^\"<>]*\"|'[^'<>]*'|[^\s\"'<>]+))?)*)\s*>"
)
_ATTR = re.compile(r"([a-zA-Z-]+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s\"'>]+))?")
_ENTITY = re.compile(r"&(lt|gt|amp|quot);|&#([0-9]{1,7});|&#[xX]([0-9a-fA-F]{1,6});")


class EntityParseError(ValueError):
    """The text is not valid Telegram HTML; the message is Telegram's 400 description."""

    def __init__(self, detail: str) -> None:
        super().__init__(f"Bad Request: can't parse entities: {detail}")


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def _byte_offset(text: str, i: int) -> int:
    return len(text[:i].encode("utf-8"))


def _check_attrs(name: str, raw: str, text: str, at: int) -> dict[str, str]:
    allowed = _TAGS[name][1]
    attrs: dict[str, str] = {}
    for m in _ATTR.finditer(raw):
        key, value = m.group(1).lower(), m.group(2)
        if key not in allowed:
            raise EntityParseError(f'Unsupported attribute "{key}" in tag "{name}" at byte offset {_byte_offset(text, at)}')
        value = "" if value is None else value.strip("\"'")
        pattern = allowed[key]
        if pattern is not None and not re.fullmatch(pattern, value):
            raise EntityParseError(f'Unsupported value of attribute "{key}" at byte offset {_byte_offset(text, at)}')
        attrs[key] = html.unescape(value)
    need = _REQUIRED.get(name)
    if need and need not in attrs:
        raise EntityParseError(f'Tag "{name}" must have attribute "{need}" at byte offset {_byte_offset(text, at)}')
    return attrs


def parse_html(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Parse a message like Telegram does: (plain text, entities), or raise EntityParseError."""
    out: list[str] = []
    pos16 = 0  # UTF-16 length of `out` so far
    stack: list[tuple[str, int, dict[str, str], int]] = []  # name, start offset, attrs, char index
    entities: list[dict[str, Any]] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "<":
            m = _TAG.match(text, i)
            if not m:
                raise EntityParseError(f"Unexpected start tag or unescaped '<' at byte offset {_byte_offset(text, i)}")
            closing, name, raw_attrs = m.group(1) == "/", m.group(2).lower(), m.group(3)
            if closing:
                if raw_attrs.strip():
                    raise EntityParseError(f"Unexpected attributes in end tag at byte offset {_byte_offset(text, i)}")
                if not stack:
                    raise EntityParseError(f'Unexpected end tag "</{name}>" at byte offset {_byte_offset(text, i)}')
                top, start, attrs, _ = stack.pop()
                if top != name:
                    raise EntityParseError(
                        f'Unmatched end tag at byte offset {_byte_offset(text, i)}, expected "</{top}>", found "</{name}>"'
                    )
                length = pos16 - start
                if length > 0:
                    entities.append(_entity(top, start, length, attrs))
            else:
                if name not in _TAGS:
                    raise EntityParseError(f'Unsupported start tag "{name}" at byte offset {_byte_offset(text, i)}')
                if any(s[0] in ("pre", "code") for s in stack) and not (name == "code" and stack[-1][0] == "pre"):
                    raise EntityParseError(f'Tag "{name}" is not allowed inside pre or code at byte offset {_byte_offset(text, i)}')
                attrs = _check_attrs(name, raw_attrs, text, i)
                stack.append((name, pos16, attrs, i))
            i = m.end()
            continue
        if ch == "&":
            m = _ENTITY.match(text, i)
            if not m:
                raise EntityParseError(f"Character '&' is reserved: use &amp; at byte offset {_byte_offset(text, i)}")
            if m.group(1):
                piece = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}[m.group(1)]
            else:
                code = int(m.group(2)) if m.group(2) else int(m.group(3), 16)
                if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
                    raise EntityParseError(f"Invalid numeric entity at byte offset {_byte_offset(text, i)}")
                piece = chr(code)
            out.append(piece)
            pos16 += utf16_len(piece)
            i = m.end()
            continue
        out.append(ch)
        pos16 += utf16_len(ch)
        i += 1
    if stack:
        raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


def _entity(name: str, offset: int, length: int, attrs: dict[str, str]) -> dict[str, Any]:
    kind = _TAGS[name][0]
    ent: dict[str, Any] = {"type": kind, "offset": offset, "length": length}
    if kind == "text_link":
        ent["url"] = attrs["href"]
    if name == "blockquote" and "expandable" in attrs:
        ent["type"] = "expandable_blockquote"
    if name == "code" and "class" in attrs:
        ent["language"] = attrs["class"].removeprefix("language-")
    return ent


def check_message_text(text: str, parse_mode: str | None) -> tuple[str, list[dict[str, Any]]]:
    """What sendMessage/editMessageText check: entities parse, text non-empty and ≤ 4096 after parsing.

    Raises ValueError with Telegram's description on failure.
    """
    if parse_mode and parse_mode.upper() == "HTML":
        plain, entities = parse_html(text)
    elif parse_mode:
        raise ValueError(f"Bad Request: unsupported parse_mode {parse_mode!r} in this emulator")
    else:
        plain, entities = text, []
    if not plain.strip():
        raise ValueError("Bad Request: message text is empty")
    if utf16_len(plain) > MAX_TEXT:
        raise ValueError("Bad Request: message is too long")
    return plain, entities
