"""Telegram's HTML parse mode as reproduced in bot/telegram_html.py: what it accepts, what it refuses, in
Telegram's words, and the entities (UTF-16 offsets) it produces."""

from __future__ import annotations

import html

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.telegram_html import HtmlParseError, parse_html, strip_html, utf16_len


def entity_tuples(text: str) -> list[tuple[str, int, int]]:
    return [(e.type, e.offset, e.length) for e in parse_html(text).entities]


@pytest.mark.parametrize(
    ("source", "shown"),
    [
        ("<b>bold</b> plain", "bold plain"),
        ("<strong>a</strong><em>b</em><ins>c</ins><del>d</del><strike>e</strike><s>f</s>", "abcdef"),
        ("5 &lt; 6 &amp;&amp; 7 &gt; 3 &quot;q&quot;", '5 < 6 && 7 > 3 "q"'),
        ("&#39;&#x27;&#128512;", "''😀"),
        ("&amp no semicolon", "& no semicolon"),  # tdlib makes the ';' optional
        ("AT&T and &copy;", "AT&T and &copy;"),  # unknown entities stay literal in Telegram
        ('<a href="https://example.org/?a=1&amp;b=2">link</a>', "link"),
        ('<span class="tg-spoiler">s</span><tg-spoiler>t</tg-spoiler>', "st"),
        ("<blockquote expandable>quote</blockquote>", "quote"),
        ("<B>upper-case tags</B>", "upper-case tags"),
        ("\n\n  <b>trimmed</b>  \n", "trimmed"),
    ],
)
def test_accepted_html_shows_the_decoded_text(source: str, shown: str) -> None:
    assert parse_html(source).text == shown


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("a < b", 'Unsupported start tag "" at byte offset 2'),
        ("line<br>break", 'Unsupported start tag "br" at byte offset 4'),
        ("<p>para</p>", 'Unsupported start tag "p" at byte offset 0'),
        ("<b>never closed", 'Can\'t find end tag corresponding to start tag "b"'),
        ("closed</b>", "Unexpected end tag at byte offset 6"),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("ends with <", "Unclosed start tag at byte offset 10"),
        (
            "<b foo>x</b>",
            'Expected equal sign in declaration of an attribute of the tag "b" at byte offset 0',
        ),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ("é<u>x", 'Can\'t find end tag corresponding to start tag "u"'),
        ("éé<x>", 'Unsupported start tag "x" at byte offset 4'),  # byte offsets count UTF-8 bytes
    ],
)
def test_refused_html_gives_telegrams_description(source: str, message: str) -> None:
    with pytest.raises(HtmlParseError) as caught:
        parse_html(source)
    assert str(caught.value) == message


def test_strict_ampersand_refuses_what_telegram_would_show_literally() -> None:
    assert parse_html("Tom & Jerry").text == "Tom & Jerry"
    with pytest.raises(HtmlParseError, match=r'Unescaped "&" at byte offset 4'):
        parse_html("Tom & Jerry", strict_ampersand=True)
    assert parse_html("Tom &amp; Jerry &#38; co", strict_ampersand=True).text == "Tom & Jerry & co"


def test_entities_use_utf16_offsets_and_nest() -> None:
    # "😀" is two UTF-16 code units, so the bold run starts at offset 2
    assert entity_tuples("😀<b>bo<i>th</i></b>") == [("bold", 2, 4), ("italic", 4, 2)]
    link = parse_html('<a href="https://example.org/a?x=1&amp;y=2">here</a>').entities[0]
    assert (link.type, link.url) == ("text_link", "https://example.org/a?x=1&y=2")


def test_pre_with_language_and_empty_entities() -> None:
    pre = parse_html('<pre><code class="language-python">x = 1</code></pre>').entities
    assert [(e.type, e.language) for e in pre] == [("pre", "python")]
    assert [(e.type, e.language) for e in parse_html('<code class="language-go">x</code>').entities] == [
        ("code", None)
    ]
    assert parse_html("<b></b>text").entities == ()  # Telegram drops empty entities


def test_trimming_moves_entity_offsets() -> None:
    parsed = parse_html("  <b>a</b> <i>b</i>  ")
    assert parsed.text == "a b"
    assert [(e.type, e.offset, e.length) for e in parsed.entities] == [("bold", 0, 1), ("italic", 2, 1)]


def test_strip_html_gives_what_a_reader_sees() -> None:
    assert (
        strip_html("<b>Key figures</b>\n• 12 killed &amp; 30 &lt;injured&gt;")
        == "Key figures\n• 12 killed & 30 <injured>"
    )
    assert strip_html('<a href="https://x.org">source</a>') == "source"
    # not valid Telegram HTML: still readable rather than an exception
    assert strip_html("<p>para</p> &amp;") == "para &"


@given(st.text(max_size=200))
def test_escaped_text_always_parses_back_to_itself(text: str) -> None:
    # the renderer's contract: html.escape'd text inside tags is accepted and shown unchanged (bar trimming)
    source = f"<b>{html.escape(text)}</b>"
    parsed = parse_html(source, strict_ampersand=True)
    assert parsed.text == text.strip()
    if parsed.text:
        assert parsed.entities[0].length <= utf16_len(parsed.text)
