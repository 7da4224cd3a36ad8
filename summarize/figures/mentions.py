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
        # "10 km (6 miles)": the converted amount in brackets is the same figure again
        if found and doc[mention.start - 1].text == "(" and found[-1].end == mention.start - 1:
            continue
        found.append(mention)
    return found
