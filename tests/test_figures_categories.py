"""Figures: what is (not) a figure and its category, rules found by the error analysis on the held-out gold
set (tests/articles/gold, tuning split); each checked on invented sentences not taken from it."""

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


def _category(figures: tuple[Figure, ...], value: str) -> str:
    (figure,) = [f for f in figures if f.value == value]
    return figure.category


def test_the_number_of_sources_telling_the_story_is_no_figure(nlp):
    figures = _figures(
        nlp, "Gunmen killed 12 villagers near Fada on Monday, two security sources and a local official said."
    )
    assert [f.value for f in figures] == ["12"]
    assert _category(figures, "12") == "killed"


def test_a_count_of_people_reporting_nothing_stays_a_figure(nlp):
    figures = _figures(nlp, "Two diplomats were expelled from the capital on Friday.")
    assert any(f.value.lower() == "two" for f in figures)


def test_the_noun_a_figure_is_of_gives_its_category(nlp):
    figures = _figures(
        nlp,
        "The army said it inflicted losses of up to 300 fighters on the rebels. "
        "The shelling forced the evacuation of more than 2,000 residents from the valley.",
    )
    assert _category(figures, "up to 300") == "casualties"
    assert _category(figures, "more than 2,000") == "displaced"


def test_named_weapon_systems_and_captured_settlements(nlp):
    figures = _figures(
        nlp,
        "Norway will deliver four NASAMS systems by March, the ministry said. "
        "Rebels took control of three villages east of the river, the army said.",
    )
    assert _category(figures, "four") == "equipment"
    assert _category(figures, "three") == "territory"


import pytest  # noqa: E402


@pytest.mark.parametrize(
    ("text", "value", "category"),
    [
        # a killing named as a noun, through a group or the number itself
        ("The footage showed the execution of a group of 14 prisoners by the roadside.", "14", "killed"),
        ("Witnesses described the killing of dozens of farmers near the dam.", "dozens", "killed"),
        # lives taken are deaths, not "casualties"
        ("The siege has claimed the lives of more than 3,000 civilians.", "more than 3,000", "killed"),
        ("Seven medics lost their lives when the clinic was shelled.", "Seven", "killed"),
        # car bombs are weapons
        ("Militia fighters stopped four VBIEDs at the checkpoint.", "four", "equipment"),
        # a share of territory the parser hangs on the name after it
        (
            "Government forces have retaken 40% of territory the rebels once held in the north.",
            "40%",
            "territory",
        ),
    ],
)
def test_categories_from_killing_nouns_lives_car_bombs_and_shares_of_territory(nlp, text, value, category):
    assert _category(_figures(nlp, text), value) == category


def test_people_forced_to_flee_are_displaced_and_neutralised_fighters_killed(nlp):
    from summarize.figures import extract_figures
    from summarize.parse import parse

    text = (
        "The offensive on Dobrava forced about 12,000 residents to flee towards the border, officials said. "
        "The general staff said more than 40 militants had been neutralised near the river."
    )
    parsed = parse(text, nlp=nlp)
    by_value = {f.value: f for f in extract_figures(parsed)}
    assert by_value["about 12,000"].category == "displaced"
    assert by_value["more than 40"].category == "killed"


def test_a_hyphenated_modifier_stays_whole_in_what_is_counted(nlp):
    from summarize.figures import extract_figures
    from summarize.parse import parse

    text = (
        "The strikes destroyed three rocket-propelled grenade launchers, two front-end loaders and "
        "four militia-held bunkers near the river."
    )
    counts = {f.value: f.counts for f in extract_figures(parse(text, nlp=nlp))}
    assert "rocket-propelled grenade launchers" in counts["three"]
    assert "front-end loaders" in counts["two"]
    assert "militia-held bunkers" in counts["four"]


def test_a_share_of_a_place_held_or_cleared_is_territory(nlp):
    from summarize.figures import extract_figures
    from summarize.parse import parse

    text = (
        "Government troops have cleared 30 to 35 percent of the city since the assault began. "
        "The rebels control or contest about 25% of the province, monitors said. "
        "About 60% of the city's residents have left."
    )
    by_value = {f.value: f for f in extract_figures(parse(text, nlp=nlp))}
    assert by_value["30 to 35 percent"].category == "territory"
    assert by_value["about 25%"].category == "territory"
    assert by_value.get("About 60%") is None or by_value["About 60%"].category != "territory"
