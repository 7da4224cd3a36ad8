"""Every number mention of a sentence that is a figure candidate (values minus what is no figure)."""

from __future__ import annotations

from spacy.tokens import Span

from summarize.figures.not_figures import is_excluded
from summarize.figures.values import NumberMention, complete_mention, core_amount


def figure_mentions(sentence: Span, dates: list[tuple[int, int]]) -> list[NumberMention]:
    doc = sentence.doc
    found: list[NumberMention] = []
    i = sentence.start
    while i < sentence.end:
        core = core_amount(doc, i, sentence.end)
        if core is None:
            i += 1
            continue
        mention = complete_mention(doc, sentence, core)
        i = core[1] if mention is None else max(mention.end, i + 1)
        if mention is None or is_excluded(doc, sentence, mention, dates):
            continue
        # "10 km (6 miles)", "300 dinars (£320; $420)": converted amounts in brackets right after a figure are
        # the same figure again
        opened = _open_bracket(sentence, mention.start)
        if found and opened is not None and found[-1].end == opened:
            continue
        found.append(mention)
    return found


def _open_bracket(sentence: Span, index: int) -> int | None:
    """The position of the "(" that token `index` is inside, within its sentence, if any."""
    doc = sentence.doc
    for i in range(index - 1, sentence.start - 1, -1):
        if doc[i].text == ")":
            return None
        if doc[i].text == "(":
            return i
    return None
