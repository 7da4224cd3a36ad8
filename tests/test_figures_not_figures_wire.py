"""What is no figure in wire copy and releases: causes found on the real tune splits, each checked on invented
sentences not taken from them."""

from __future__ import annotations

import pytest

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
