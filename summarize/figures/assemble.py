"""Key figures of an article, assembled from the concerns of this package, and their one-line form."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from summarize.model import Figure
from summarize.numbers import (
    VAGUE_WORDS,
)
from summarize.parse import Parsed

if TYPE_CHECKING:
    from summarize.speakers import Attribution
from summarize.figures.category import category_of
from summarize.figures.claimant import ClaimSources, claim_sources, claimant_of
from summarize.figures.counted import counted_noun, counted_text
from summarize.figures.mentions import figure_mentions
from summarize.figures.not_figures import is_metadata
from summarize.figures.place_time import place_of, shorten_place, time_of
from summarize.figures.values import NumberMention, date_spans
from summarize.figures.words import CHANGE_NOUNS, PARTICIPLE_FORMS


def extract_figures(parsed: Parsed, attributions: Sequence[Attribution] | None = None) -> tuple[Figure, ...]:
    """Every key figure of the article, in reading order, on the one parse. Claimants come from the one
    attribution model (`summarize.speakers.find_attributions`); pass it when it is already computed."""
    if not attributions:  # none given (or none found): the model is cheap next to the parse
        from summarize.speakers import find_attributions

        attributions = find_attributions(parsed)
    doc = parsed.doc
    dates = date_spans(doc)
    sources = claim_sources(parsed, attributions)
    figures: list[Figure] = []
    for index, sentence in enumerate(parsed.sentences):
        if is_metadata(sentence):
            continue
        for mention in figure_mentions(sentence, dates):
            figure = _figure(parsed, index, sentence, mention, dates, sources)
            if figure.number == 1 and figure.category not in ("killed", "wounded", "casualties", "money"):
                # "one man I spoke to", "one day": a single thing is a figure only as a casualty or a price
                continue
            figures.append(figure)
    return tuple(figures)


def counted_phrase(figure: Figure) -> str:
    """The figure with what it counts, as a reader says it: "Thousands of troops", "at least 30 soldiers"."""
    text = figure.value
    if figure.counts and figure.counts.casefold() not in figure.value.casefold():
        first = figure.counts.split()[0].lower()
        vague = figure.value.split()[-1].lower() in VAGUE_WORDS
        adjectival = "-" in figure.value.split()[-1]  # "a 30-day ceasefire"
        joiner = (
            " of "
            if (figure.unit or vague)
            and first not in PARTICIPLE_FORMS
            and first not in CHANGE_NOUNS
            and not adjectival
            else " "  # "40% drop in attacks", not "40% of drop"
        )
        text += joiner + figure.counts
    return text


def short_place(where: str | None) -> str | None:
    """The place without its lead-in words: "near Plekhovo, Vorozhba, Martynovka, Kursk region of Russia"."""
    return shorten_place(where)


def format_figure(figure: Figure) -> str:
    """One line a person reads: 'at least 30 soldiers killed (Ukraine's army; near Bakhmut; Dec. 14)'."""
    context = [part for part in (figure.claimed_by, short_place(figure.where), figure.when) if part]
    text = counted_phrase(figure)
    return f"{text} ({'; '.join(context)})" if context else text


def _figure(parsed, index, sentence, m: NumberMention, dates, sources: ClaimSources) -> Figure:
    doc = parsed.doc
    noun = counted_noun(doc, m)
    counts, verbs = counted_text(doc, m, noun)
    value = doc[m.start : m.end].text
    return Figure(
        value=value,
        number=m.number,
        low=m.low,
        high=m.high,
        qualifier=m.qualifier,
        unit=m.unit.name if m.unit else None,
        category=category_of(m, noun, verbs),
        counts=counts,
        claimed_by=claimant_of(parsed, sentence, index, m, sources),
        where=place_of(m.anchor, sentence, dates),
        when=time_of(doc, m.anchor, sentence, dates, range(m.start, m.end)),
        sentence=index,
    )
