"""What is no figure in wire copy and releases: causes found on the real tune splits, each checked on invented
sentences not taken from them."""

from __future__ import annotations

import pytest

from summarize.figures import counted_phrase
from tests.test_figures_categories import _figures


def _values(nlp, text: str) -> list[str]:
    return [f.value for f in _figures(nlp, text)]


@pytest.mark.parametrize(
    "text",
    [
        "The destroyer sailed with USS Carney (DDG 64) and HMS Defender (D 36) into the gulf.",
        "The frigate joined Combined Task Force (CTF) 151 on Monday.",
        "CTF 151 is now led by a Pakistani commodore.",
    ],
)
def test_hull_numbers_and_task_force_numbers_are_names(nlp, text):
    assert _values(nlp, text) == []


def test_a_count_after_an_acronym_subject_stays_a_figure(nlp):
    assert _values(nlp, "The UN said 40 civilians were killed in the raid.") == ["40"]


@pytest.mark.parametrize(
    "text",
    [
        "Amira, 19, was forced to leave school.",
        "Their recruits included boys as young as 12 from the camps.",
    ],
)
def test_ages_are_no_figures(nlp, text):
    assert _values(nlp, text) == []


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Guards earn 300 dinars (£320; $420) a month.", ["300 dinars"]),
        ("Fighters are paid up to $1,500 (£1,100-1,200) a month, he said.", ["up to $1,500"]),
    ],
)
def test_a_currency_conversion_in_brackets_is_the_same_figure(nlp, text, kept):
    assert _values(nlp, text) == kept


@pytest.mark.parametrize(
    "text",
    [
        "Yesterday Mr Haddad, 47, who is from Homs, said he was proud of his son.",
        "She fled with her friends Rania Saleh, 15, and Lina Omar, 16.",
        "He took his son to a rally when he was 13.",
        "The boy, who was aged just 14, was sent to a training camp.",
        "Applicants must be no more than 25 years of age, the rules say.",
    ],
)
def test_ages_in_news_copy_are_no_figures(nlp, text):
    assert _values(nlp, text) == []


def test_a_count_after_was_stays_a_figure(nlp):
    assert _values(nlp, "The death toll was 13 on Monday, officials said.") == ["13"]


@pytest.mark.parametrize(
    ("text", "value", "phrase"),
    [
        (
            "The panel found a 71 per cent rise in the number of foreign fighters since mid-2014.",
            "71 per cent",
            "71 per cent rise in the number of foreign fighters",
        ),
        (
            "Officials reported a 40% drop in attacks on aid convoys.",
            "40%",
            "40% drop in attacks on aid convoys",
        ),
    ],
)
def test_a_share_that_sizes_a_rise_or_fall_of_something_is_a_figure(nlp, text, value, phrase):
    (figure,) = [f for f in _figures(nlp, text) if f.value == value]
    assert counted_phrase(figure) == phrase


def test_a_bare_market_move_stays_out(nlp):
    assert _values(nlp, "Shares in the company were up 5% on Friday.") == []


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("The UN reported 30 deaths in the camp.", "30 deaths"),
        ("The UN recorded a 40% rise in attacks on clinics.", "40% rise in attacks on clinics"),
    ],
)
def test_who_reports_a_count_is_not_part_of_what_it_counts(nlp, text, phrase):
    (figure,) = _figures(nlp, text)
    assert counted_phrase(figure) == phrase and figure.claimed_by == "The UN"
