"""Figures: claimants found by the error analysis on the held-out gold set (tests/articles/gold, tuning
split), each checked on an invented sentence that is not taken from it."""

from __future__ import annotations

from summarize.figures import extract_figures
from summarize.model import Figure
from summarize.parse import parse
from summarize.speakers import find_attributions


def _figures(nlp, text: str) -> tuple[Figure, ...]:
    parsed = parse(text, nlp=nlp)
    figures = extract_figures(parsed, find_attributions(parsed))
    for figure in figures:
        assert figure.value in parsed.sentences[figure.sentence].text
    return figures


def _figure(figures: tuple[Figure, ...], value: str) -> Figure:
    (figure,) = [f for f in figures if f.value == value]
    return figure


def test_a_bare_surname_claimant_takes_the_full_name_given_earlier(nlp):
    text = (
        "Colonel Anton Dreyer said the bridge had been hit twice overnight.\n\n"
        'Dreyer told reporters in the city: "The approach road has 14 craters and cannot be used."'
    )
    assert _figure(_figures(nlp, text), "14").claimed_by == "Anton Dreyer"
