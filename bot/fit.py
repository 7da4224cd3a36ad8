"""Make any block of the bot's Telegram HTML fit one message, never raising.

Renderers build messages from blocks (a story, a bullet, a source line) and split between blocks. A block
can still outgrow a message on its own when untrusted input is huge where nobody expected it: a feed item
or a pasted link of several thousand characters lands in an `href` and again in the link's label. Such a
block is shortened step by step, keeping as much as can be kept:

1. links whose address is long lose the address (the label stays, cut when it is the address itself);
2. if that is not enough, the block becomes its plain text (tags gone), cut into message-sized pieces at
   sentence and word boundaries, each escaped again.

Every piece that comes out is at most `limit` characters of HTML source, valid for Telegram's parser.
"""

from __future__ import annotations

import html
import re

from bot.telegram_html import strip_html

LONG_HREF = 300  # an address longer than this is not worth a link in a message that has to shrink
LABEL_CHARS = 80
_ANCHOR = re.compile(r'<a href="([^"]*)">(.*?)</a>', re.DOTALL)
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


def _e(text: str) -> str:
    return html.escape(text, quote=False)


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def unlink_long(block: str, *, long_href: int = LONG_HREF) -> str:
    """`block` with every link whose address is longer than `long_href` replaced by its (short) label."""

    def replace(match: re.Match[str]) -> str:
        href, label = match.group(1), match.group(2)
        if len(href) <= long_href:
            return match.group(0)
        return _e(_short(strip_html(label), LABEL_CHARS))

    return _ANCHOR.sub(replace, block)


def plain_pieces(plain: str, limit: int) -> list[str]:
    """Plain text as escaped pieces of at most `limit` characters, cut at sentences, then words, then hard."""
    units: list[str] = []
    for sentence in _SENTENCE_END.split(plain):
        for word in sentence.split(" "):
            while len(_e(word)) > limit:
                cut = max(1, limit // 5)  # escaping grows a character to at most 5 ("&amp;")
                units.append(word[:cut])
                word = word[cut:]
            units.append(word)
    pieces: list[str] = []
    current = ""
    for unit in units:
        candidate = f"{current} {unit}" if current else unit
        if len(_e(candidate)) <= limit:
            current = candidate
        else:
            if current.strip():
                pieces.append(_e(current.strip()))
            current = unit
    if current.strip():
        pieces.append(_e(current.strip()))
    return pieces


def fit_block(block: str, limit: int) -> list[str]:
    """`block` as pieces of at most `limit` characters each (one piece, unchanged, when it fits)."""
    if len(block) <= limit:
        return [block]
    shorter = unlink_long(block)
    if len(shorter) <= limit:
        return [shorter]
    return plain_pieces(strip_html(shorter), limit)
