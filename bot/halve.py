"""Cut one message of Telegram HTML in two valid halves, for when Telegram refuses it as too long.

The renderers keep every message under 4,096 characters of HTML source, but Telegram counts the text
after parsing its entities, in UTF-16 units, and may still answer "message is too long". The message is
then cut where no tag is open (at a line break nearest the middle, else at a space) so that each half is
valid Telegram HTML on its own and no word of the answer is lost.
"""

from __future__ import annotations

import re

from bot.telegram_html import HtmlParseError, parse_html

MAX_TRIES = 20
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)[^>]*>")


def _closed_positions(text: str) -> tuple[list[int], list[int]]:
    """Offsets of the line breaks and of the spaces that stand outside every tag."""
    breaks: list[int] = []
    spaces: list[int] = []
    depth = 0
    position = 0
    for match in _TAG.finditer(text):
        if depth == 0:
            _collect(text, position, match.start(), breaks, spaces)
        depth = max(0, depth - 1) if match.group(1) else depth + 1
        position = match.end()
    if depth == 0:
        _collect(text, position, len(text), breaks, spaces)
    return breaks, spaces


def _collect(text: str, start: int, end: int, breaks: list[int], spaces: list[int]) -> None:
    for offset in range(start, end):
        if text[offset] == "\n":
            breaks.append(offset)
        elif text[offset] == " ":
            spaces.append(offset)


def _valid(part: str) -> bool:
    try:
        parse_html(part)
    except HtmlParseError:
        return False
    return bool(part.strip())


def halve_html(text: str) -> tuple[str, str] | None:
    """Two non-empty halves of `text`, each valid Telegram HTML, cut nearest the middle outside any tag
    (a line break preferred to a space); None when no such cut exists (one tag around everything, one
    word)."""
    middle = len(text) / 2
    breaks, spaces = _closed_positions(text)
    for candidates in (breaks, spaces):
        # The few cuts nearest the middle: a cut outside every tag is valid unless an entity is broken.
        for cut in sorted(candidates, key=lambda offset: abs(offset - middle))[:MAX_TRIES]:
            first, second = text[:cut].rstrip(), text[cut + 1 :].lstrip()
            if first and second and _valid(first) and _valid(second):
                return first, second
    return None
