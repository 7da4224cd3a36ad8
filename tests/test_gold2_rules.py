"""Rules found on the real tune2 split (issue 11, items 3 and 4), each on sentences invented here; none is
taken from ../shared.

- A pronoun subject refers to the nearest compatible antecedent: a common-noun subject that can speak
  ("the farmers' union", "the opposition") in a nearer sentence wins over a name further back, so "It says"
  is not credited to a place named two sentences before.
"""

from __future__ import annotations

from summarize.figures import extract_figures
from summarize.parse import parse
from summarize.speakers import extract_speakers, find_attributions


def _run(nlp, text: str):
    parsed = parse(text, nlp=nlp)
    attributions = find_attributions(parsed)
    return extract_speakers(parsed, attributions), extract_figures(parsed, attributions)


def test_it_refers_to_the_nearer_common_noun_subject_not_a_name_further_back(nlp) -> None:
    text = (
        "Many traders believe Lagos is protecting the smugglers. But the union of farmers rejects that. "
        "It says the governor let 40 villages starve."
    )
    statements, figures = _run(nlp, text)
    assert [s.speaker for s in statements] == ["the union of farmers"]
    assert [f.claimed_by for f in figures] == ["the union of farmers"]


def test_they_refers_to_the_nearer_group_subject(nlp) -> None:
    text = (
        "Officials in Kyiv say the dam is safe. The opposition does not believe it. "
        "They say 3,000 homes were flooded."
    )
    statements, _ = _run(nlp, text)
    assert statements[-1].speaker.lower().startswith("the opposition")


def test_a_name_still_wins_when_no_nearer_subject_can_speak(nlp) -> None:
    text = "The Red Cross visited the camp on Monday. The road was closed. It said 200 families had no water."
    statements, _ = _run(nlp, text)
    assert statements[-1].speaker == "The Red Cross"


def test_according_to_inside_one_conjunct_claims_only_that_conjunct(nlp) -> None:
    """ "X did A, and according to Y, did B": Y vouches for B only; A is the writer's."""
    text = "The militia seized 12 villages in the east, and according to the provincial governor, burned at least 30 homes near the river."
    _, figures = _run(nlp, text)
    claimants = {f.value: f.claimed_by for f in figures}
    assert claimants == {"12": None, "at least 30": "the provincial governor"}


def test_according_to_closing_the_sentence_claims_every_conjunct(nlp) -> None:
    text = "The militia seized 12 villages in the east, and burned at least 30 homes near the river, according to the provincial governor."
    statements, figures = _run(nlp, text)
    assert {f.claimed_by for f in figures} == {"the provincial governor"}
    assert [s.quote.split()[:3] for s in statements] == [["The", "militia", "seized"]]


def test_according_to_closing_a_coordination_reports_the_whole_of_it(nlp) -> None:
    text = (
        "The minister thanked the mayor for nearly a year of steady work, and noted the growing role the army "
        "can play in the recovery, according to the statement."
    )
    statements, _ = _run(nlp, text)
    assert [s.speaker for s in statements] == ["the statement"]
    assert statements[0].quote.startswith("The minister thanked the mayor")
