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


def test_a_claim_of_responsibility_for_an_attack_is_no_claim_of_its_toll(nlp):
    # "X claimed the attack that killed 19": X owns the attack, not the count; the count is the writer's
    # (here the release's own "we", so the ministry's), never the attackers'.
    text = (
        "We condemn the bombing of the market in Karvan.\n\n"
        "On Friday, the Northern Front claimed the twin bombings at the market which killed at least 19 "
        "shoppers. A second group claimed responsibility for an ambush that wounded 6 police officers.\n\n"
        "We will support the families of the victims, the ministry said."
    )
    figures = _figures(nlp, text)
    assert _figure(figures, "at least 19").claimed_by != "the Northern Front"
    assert _figure(figures, "6").claimed_by != "A second group"
