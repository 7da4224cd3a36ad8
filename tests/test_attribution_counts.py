"""Issue 11: a count is what the sentence says it is, and names that contain numbers are no figures. Each
test is an error kind the issue lists, on invented sentences (not taken from any article)."""

from __future__ import annotations

from summarize.figures import counted_phrase, extract_figures
from summarize.model import Figure
from summarize.parse import parse


def _figures(nlp, text: str) -> tuple[Figure, ...]:
    return extract_figures(parse(text, nlp=nlp))


def _figure(figures: tuple[Figure, ...], value: str) -> Figure:
    (figure,) = [f for f in figures if f.value == value]
    return figure


def test_the_counted_phrase_keeps_the_verb_that_governs_the_number(nlp):
    figures = _figures(
        nlp, "The navy said its gunners shot down 21 of 27 drones launched from the coast overnight."
    )
    assert counted_phrase(_figure(figures, "21")) == "21 drones shot down"
    assert counted_phrase(_figure(figures, "27")) == "27 drones launched"


def test_a_part_of_a_whole_counts_the_noun_after_the_whole(nlp):
    # "12 of 15 drones" was parsed as one quantifier: the part lost its noun and the whole took the verb
    figures = _figures(
        nlp, "Coastal batteries shot down 13 of 19 drones launched from the sea, the navy said."
    )
    assert counted_phrase(_figure(figures, "13")).startswith("13 drones shot down")
    assert counted_phrase(_figure(figures, "19")) == "19 drones launched"


def test_a_part_hung_on_the_particle_keeps_its_verb(nlp):
    figures = _figures(nlp, "Air defence shot down 17 of 23 drones, the air force said.")
    assert counted_phrase(_figure(figures, "17")) == "17 drones shot down"
    assert "shot down" not in counted_phrase(_figure(figures, "23"))


def test_the_whole_after_out_of_counts_the_parts_noun_with_its_own_participle(nlp):
    # "45" lost what it counts ("45" alone) in "30 drones out of 45 launched"
    figures = _figures(nlp, "Gunners on the ridge shot down 26 drones out of 31 launched at dawn.")
    assert counted_phrase(_figure(figures, "26")) == "26 drones shot down"
    assert counted_phrase(_figure(figures, "31")) == "31 drones launched"


def test_a_figure_with_no_counted_thing_borrows_no_word_like_figure(nlp):
    # "put the figure at ..." became "about 900 square kilometres of figure"
    figures = _figures(nlp, "Local monitors put the figure at about 250 square kilometres.")
    assert counted_phrase(_figure(figures, "about 250 square kilometres")) == "about 250 square kilometres"


def test_a_part_after_a_fronted_whole_counts_the_wholes_noun(nlp):
    # "31 were intercepted" after "Of the 40 missiles fired," lost what it counts ("31 intercepted")
    figures = _figures(nlp, "Of the 12 drones launched at the port, 9 were shot down.")
    assert counted_phrase(_figure(figures, "9")) == "9 drones shot down"
    assert _figure(figures, "9").category == _figure(figures, "12").category


def test_a_state_word_after_the_number_is_what_it_counts(nlp):
    figures = _figures(
        nlp, "Medics said 4 missiles were fired and 11 wounded. Six were killed and 23 injured."
    )
    assert counted_phrase(_figure(figures, "11")) == "11 wounded"
    assert counted_phrase(_figure(figures, "23")) == "23 injured"
    assert counted_phrase(_figure(figures, "4")) == "4 missiles fired"


def test_names_with_numbers_are_no_figures(nlp):
    text = (
        "Veterans of the Nine-Year War marched in the capital. "
        'Beijing insists on "one state, two economies" for the island. '
        '"We struck area 55 twice," the pilot said.'
    )
    assert _figures(nlp, text) == ()


def test_a_quoted_count_is_still_a_figure(nlp):
    figures = _figures(nlp, 'The plan calls for "two brigades" on the border.')
    assert [counted_phrase(f) for f in figures] == ["two brigades"]


def test_the_date_of_the_main_claim_is_not_hung_on_an_earlier_claim(nlp):
    text = (
        "Last week an army spokesman told Reuters that the rebels hold 300 square kilometers, "
        "down from earlier claims they held 900 square kilometers."
    )
    figures = _figures(nlp, text)
    assert _figure(figures, "300 square kilometers").when == "Last week"
    assert _figure(figures, "900 square kilometers").when is None
