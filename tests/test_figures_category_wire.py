"""Figure categories on wire copy: causes found on the real tune3 split (wire reports), each checked on
invented sentences not taken from it."""

from __future__ import annotations

import pytest

from tests.test_figures_categories import _category, _figures


@pytest.mark.parametrize(
    ("text", "value", "category"),
    [
        (
            "More than 500,000 Afghans are registered as refugees in Pakistan, the agency said.",
            "More than 500,000",
            "displaced",
        ),
        (
            "About 9,000 residents were listed as displaced after the floods and the shelling.",
            "About 9,000",
            "displaced",
        ),
        ("Some 40 fighters were counted as dead after the battle for the ridge.", "Some 40", "killed"),
    ],
)
def test_what_a_count_is_registered_or_counted_as_gives_its_category(nlp, text, value, category):
    assert _category(_figures(nlp, text), value) == category


@pytest.mark.parametrize(
    ("text", "first", "second"),
    [
        (
            "Some 1,200 civilians and more than 30 wounded were evacuated from the town on Sunday.",
            "Some 1,200",
            "more than 30",
        ),
        (
            "About 400 residents and 25 injured were taken out of the besieged district overnight.",
            "About 400",
            "25",
        ),
    ],
)
def test_the_state_word_of_a_coordinated_count_is_not_the_other_counts_verb(nlp, text, first, second):
    """ "1,200 civilians and 30 wounded were evacuated": 30 are wounded, the 1,200 civilians are not."""
    figures = _figures(nlp, text)
    (civilians,) = [f for f in figures if f.value == first]
    assert civilians.category != "wounded"
    assert "wounded" not in (civilians.counts or "") and "injured" not in (civilians.counts or "")
    assert _category(figures, second) == "wounded"


def test_a_clause_with_its_own_subject_after_as_says_nothing_of_the_count(nlp):
    """A clause after "as" with its own subject ("as they fled") says what they did, not what they are."""
    figures = _figures(nlp, "Police arrested 30 protesters as they fled the square on Friday.")
    assert _category(figures, "30") != "displaced"


@pytest.mark.parametrize(
    ("text", "value", "category"),
    [
        (
            "Over the same month more than 2,000 people - many of them children - have been killed, the monitor said.",
            "more than 2,000",
            "killed",
        ),
        (
            "Some 300 residents \u2013 most of them elderly \u2013 were wounded in the shelling, the governor said.",
            "Some 300",
            "wounded",
        ),
    ],
)
def test_a_count_keeps_its_verb_across_a_dashed_aside(nlp, text, value, category):
    """In "2,000 people - many of them children - have been killed" the aside between dashes is no subject."""
    assert _category(_figures(nlp, text), value) == category


@pytest.mark.parametrize(
    ("text", "value", "category"),
    [
        ("The number of troops deployed to the border rose to 5,000 last week.", "5,000", "troops"),
        (
            "Monday's strikes brought the total number of munitions dropped on the city to 1,340.",
            "1,340",
            "equipment",
        ),
    ],
)
def test_a_number_that_a_total_reaches_takes_the_category_of_what_is_totalled(nlp, text, value, category):
    """In "the number of troops rose to 5,000" the 5,000 are troops, though "number" is the verb's subject."""
    assert _category(_figures(nlp, text), value) == category


@pytest.mark.parametrize("when", ["last week", "next month", "previous year"])
def test_a_count_followed_by_when_it_happened_is_no_stretch_of_time(nlp, when):
    """A count "rose to 5,000 last week" is 5,000 of something, not 5,000 weeks; "four long years" stays a time."""
    figures = _figures(nlp, f"The number of refugees in the camp rose to 5,000 {when}, aid workers said.")
    (figure,) = [f for f in figures if f.value.startswith("5,000")]
    assert figure.value == "5,000" and figure.unit is None and figure.category != "time"
    (years,) = _figures(nlp, "The siege lasted four long years.")
    assert years.category == "time"


@pytest.mark.parametrize(
    ("text", "value", "category"),
    [
        ("Nine hostages were forced to kneel on the sand before being executed.", "Nine", "killed"),
        ("Hundreds of soldiers were flown home after being wounded in the east.", "Hundreds", "wounded"),
        ("Forty protesters were detained after being chased through the market.", "Forty", "other"),
    ],
)
def test_what_befell_a_count_after_or_before_being_done_gives_its_category(nlp, text, value, category):
    """In "were forced to kneel before being executed" the clause without its own subject is about the nine."""
    assert _category(_figures(nlp, text), value) == category


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("Scores of civilians were wounded in the shelling overnight.", "wounded"),
        ("The blast killed 12 people and left scores of others injured, police said.", "wounded"),
    ],
)
def test_scores_of_people_is_a_figure(nlp, text, category):
    (scores,) = [f for f in _figures(nlp, text) if f.value.lower() == "scores"]
    assert scores.category == category


def test_scores_without_of_is_no_figure(nlp):
    assert not [
        f for f in _figures(nlp, "Both teams settled old scores after the match.") if "scores" in f.value
    ]


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("Sanctions could cost Turkey billions of dollars, analysts said.", "billions of dollars", "dollars"),
        ("Officials said the war had cost Russia 53bn roubles so far.", "53bn roubles", "roubles"),
        ("Refugees on the farms earn two Jordanian dinars an hour.", "two Jordanian dinars", "dinars"),
        ("Day labourers there earn one dinar an hour.", "one dinar", "dinar"),
    ],
)
def test_money_in_words_scales_and_national_currencies_is_money(nlp, text, value, unit):
    (figure,) = [f for f in _figures(nlp, text) if f.value == value]
    assert figure.category == "money" and figure.unit == unit


def test_vague_counts_after_a_name_stay_figures_but_numbered_names_do_not(nlp):
    assert [f.value for f in _figures(nlp, "The raid on Aleppo left hundreds of families homeless.")] == [
        "hundreds"
    ]
    assert not _figures(nlp, "Troops joined Exercise Eager Lion 16 in the desert.")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("More than 4,000 foreign fighters have fled to the region, the report found.", "More than 4,000"),
        ("Hundreds of foreigners are fighting in the mountains, the panel said.", "Hundreds"),
    ],
)
def test_fighters_who_travel_or_fight_are_troops_not_displaced(nlp, text, value):
    assert _category(_figures(nlp, text), value) == "troops"


def test_civilians_who_flee_stay_displaced(nlp):
    assert (
        _category(_figures(nlp, "More than 4,000 families have fled to the region."), "More than 4,000")
        == "displaced"
    )
