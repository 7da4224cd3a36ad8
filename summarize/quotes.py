"""Pair quotation marks over the whole text (not per sentence), so a quote may span several sentences.

Works on characters, before and independent of tokens: curly “ ”, guillemets « » (and » « as used in some
German texts is not supported), low „ “, straight " decided by context, and single ‘ ’ / ' quotes only when
they open after a space and close before a non-letter (so "Russia’s" and "troops’ positions" stay
apostrophes). News style leaves a quote open at the end of a paragraph when the same speaker goes on in
the next one: such a quote is closed at the paragraph end and marked `closed=False`.
"""

from __future__ import annotations

from dataclasses import dataclass

_DOUBLE_OPEN = {"“": "”", "«": "»", "„": "“"}
_DOUBLE_CLOSE = {"”", "»"}
_OPEN_CONTEXT = set(" \t\n\r([{—–-/\u00a0") | set(_DOUBLE_OPEN)


@dataclass(frozen=True)
class QuoteSpan:
    """One quotation: `text[start:end]` is the quoted content without its marks."""

    open: int  # index of the opening mark
    close: int  # index of the closing mark; the paragraph end when the quote runs on (closed=False)
    start: int
    end: int
    closed: bool = True

    def contains(self, offset: int) -> bool:
        return self.start <= offset < self.end


def _prev(text: str, i: int) -> str:
    return text[i - 1] if i > 0 else " "


def _next(text: str, i: int) -> str:
    return text[i + 1] if i + 1 < len(text) else " "


def _straight_opens(text: str, i: int, is_open: bool) -> bool:
    """Whether a straight " at i opens a quote: by its neighbours, else by alternation."""
    before, after = _prev(text, i), _next(text, i)
    looks_open = before in _OPEN_CONTEXT and not after.isspace()
    looks_close = not before.isspace() and (after.isspace() or not after.isalnum())
    if looks_open and not looks_close:
        return True
    if looks_close and not looks_open:
        return False
    return not is_open


# ASCII-converted wire and archive copy writes a double quote mark as two apostrophes (''We held,'' he said).
# The pairing below runs on a same-length shadow of the text where each '' is one straight " followed by a
# filler, so offsets stay those of the text; the filler is trimmed from the content like a space.
_TWO_APOSTROPHES = "''"
_FILLER = "\x01"


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start].isspace() or text[start] == _FILLER):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == _FILLER):
        end -= 1
    return start, end


_OPENERS_OF = {'"': '"', "'": "'", "’": "‘", "”": "“"}


def _reopens(text: str, i: int, closer: str) -> bool:
    """Whether the mark at i, inside a quote closed by `closer`, opens that quote's next paragraph: the same
    kind of opening mark right after a sentence's end and a space, before a letter ('... war. 'For')."""
    if text[i] != _OPENERS_OF.get(closer) or not _next(text, i).isalnum() or not _prev(text, i).isspace():
        return False
    j = i - 1
    while j >= 0 and text[j].isspace():
        j -= 1
    return j >= 0 and text[j] in ".!?"


def find_quote_spans(text: str) -> tuple[QuoteSpan, ...]:
    """Every top-level quotation in `text`, in order. Quotes nested inside another are part of its content."""
    if _TWO_APOSTROPHES in text:
        text = text.replace(_TWO_APOSTROPHES, '"' + _FILLER)
    spans: list[QuoteSpan] = []
    open_at: int | None = None  # index of the opening mark of the current top-level quote
    closer: str = ""  # the mark that closes it ('"' for straight quotes, "'" or "’" for single)

    def finish(close_index: int, content_end: int, closed: bool) -> None:
        nonlocal open_at
        assert open_at is not None
        start, end = _trimmed(text, open_at + 1, content_end)
        if end > start:
            spans.append(QuoteSpan(open_at, close_index, start, end, closed))
        open_at = None

    for i, char in enumerate(text):
        if char == "\n" and open_at is not None:
            # a paragraph ends inside a quote: news style continues it in the next paragraph
            if closer in ("'", "’"):
                open_at = None  # single quotes must close within their paragraph, else they were apostrophes
            else:
                finish(i, i, closed=False)
            continue
        if open_at is None:
            if char in _DOUBLE_OPEN:
                open_at, closer = i, _DOUBLE_OPEN[char]
            elif char == '"' and _straight_opens(text, i, False):
                open_at, closer = i, '"'
            elif char in "‘'" and _prev(text, i) in _OPEN_CONTEXT and _next(text, i).isalnum():
                open_at, closer = i, "’" if char == "‘" else "'"
            continue
        if _reopens(text, i, closer):
            # "... the war. 'For sure ...": a quote's next paragraph, its line break lost (news style leaves
            # the first unclosed): the new mark starts a second quote of the same speaker
            finish(i, i, closed=False)
            open_at = i
            continue
        if closer == '"':
            if char == '"' and not _straight_opens(text, i, True):
                finish(i, i, closed=True)
        elif closer in ("'", "’"):
            if char in (closer, "’") and not _next(text, i).isalnum() and not _prev(text, i).isspace():
                finish(i, i, closed=True)
        elif char == closer or (char in _DOUBLE_CLOSE and closer in _DOUBLE_CLOSE):
            finish(i, i, closed=True)
    if open_at is not None and closer not in ("'", "’"):
        finish(len(text), len(text), closed=False)
    return tuple(spans)
