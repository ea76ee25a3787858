"""The emulator's Telegram HTML rules: what Telegram accepts and rejects in parse_mode=HTML."""

from __future__ import annotations

import pytest
from botapi_html import EntityParseError, check_message_text, parse_html


def test_allowed_tags_become_entities_with_utf16_offsets() -> None:
    plain, entities = parse_html('😀 <b>bold <i>both</i></b> <a href="https://x.example/?a=1&amp;b=2">link</a> '
                                 '<span class="tg-spoiler">s</span> <pre><code class="language-python">x</code></pre>')
    assert plain == "😀 bold both link s x"
    assert {"type": "bold", "offset": 3, "length": 9} in entities
    assert {"type": "italic", "offset": 8, "length": 4} in entities
    assert {"type": "text_link", "offset": 13, "length": 4, "url": "https://x.example/?a=1&b=2"} in entities
    assert any(e["type"] == "code" and e.get("language") == "python" for e in entities)


def test_entities_are_decoded() -> None:
    assert parse_html("a &lt;b&gt; &amp; &quot;c&quot; &#8212; &#x2014; >")[0] == 'a <b> & "c" — — >'


@pytest.mark.parametrize("text, problem", [
    ("a < b", "unescaped '<'"),
    ("Tom & Jerry", "'&' is reserved"),
    ("&nbsp;", "'&' is reserved"),
    ("<b>open", 'start tag "b"'),
    ("<b><i>x</b></i>", 'expected "</i>", found "</b>"'),
    ("</b>", "Unexpected end tag"),
    ("<div>x</div>", 'Unsupported start tag "div"'),
    ("<script>x</script>", 'Unsupported start tag "script"'),
    ('<b class="x">x</b>', 'Unsupported attribute "class"'),
    ("<a>x</a>", 'must have attribute "href"'),
    ('<span class="red">x</span>', "Unsupported value"),
    ("<pre><b>x</b></pre>", "not allowed inside pre"),
])
def test_invalid_html_is_refused_like_telegram(text: str, problem: str) -> None:
    with pytest.raises(EntityParseError, match="^Bad Request: can't parse entities") as err:
        parse_html(text)
    assert problem in str(err.value)


def test_length_and_emptiness_are_checked_after_parsing() -> None:
    check_message_text("&amp;" * 4096, "HTML")  # 20,480 characters of HTML, 4,096 of text
    with pytest.raises(ValueError, match="message is too long"):
        check_message_text("&amp;" * 4097, "HTML")
    with pytest.raises(ValueError, match="message is too long"):
        check_message_text("😀" * 2049, None)  # 4,098 UTF-16 units
    with pytest.raises(ValueError, match="message text is empty"):
        check_message_text("<b> </b>", "HTML")
