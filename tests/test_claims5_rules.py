"""Claimant rules from the PolNeAR train error analysis (issue 11), each on invented sentences: when the
sentence names nobody who vouches for a figure, no claimant is shown."""

from __future__ import annotations

from summarize.model import Figure
from tests.test_claimant_paths import _figures


def _figure(nlp, text: str, value: str) -> Figure:
    (figure,) = [f for f in _figures(nlp, text) if f.value == value]
    return figure


def test_a_claim_noun_described_by_a_relative_clause_does_not_claim_it(nlp):
    # "figure who died": the relative clause tells what the noun (a person) did, it is no claim's content
    text = "The old captain was a lonely figure who died in a river crossing at the age of 61."
    assert _figure(nlp, text, "61").claimed_by is None


def test_the_claim_noun_before_a_content_clause_still_claims_it(nlp):
    text = "The rebels' earlier claims they held 14 villages near the border were false."
    assert _figure(nlp, text, "14").claimed_by == "The rebels"


def test_a_bare_quantifier_is_no_claimant(nlp):
    # "All told" means "in total": a bare "all" / "some" / "many" names nobody who claims the figure
    text = "All told, the relief convoy delivered 300 tonnes of flour to the besieged town last month."
    assert _figure(nlp, text, "300 tonnes").claimed_by is None


def test_a_statement_not_yet_made_claims_nothing(nlp):
    # "will announce", "could claim", "may report": a modal speech verb reports no claim made
    assert (
        _figure(nlp, "Next spring the council will announce 40 new posts for teachers.", "40").claimed_by
        is None
    )
    text = "The rebels could claim 30 villages if the talks fail."
    assert _figure(nlp, text, "30").claimed_by is None


def test_a_modal_statement_inside_a_made_one_is_the_speakers(nlp):
    text = "The mayor said the council would announce 40 new posts for teachers."
    assert _figure(nlp, text, "40").claimed_by == "The mayor"


def test_a_figure_counting_the_words_of_the_speaking_is_nobodys_claim(nlp):
    # "posted just two words", "said 'peace' six times": how someone spoke, told by the writer
    text = "The colonel posted just two words on the forum after the ambush."
    assert _figure(nlp, text, "two").claimed_by is None
    text = 'The envoy said "peace" six times in a short reply.'
    assert _figure(nlp, text, "six").claimed_by is None


def test_a_figure_in_what_was_said_about_words_stays_the_speakers(nlp):
    text = "The ministry said 40 words of the treaty were changed."
    assert _figure(nlp, text, "40").claimed_by == "The ministry"


def test_a_figure_in_an_opening_participle_is_the_writers_scene(nlp):
    # "Returning from three days at the front, ...": the writer sets the scene before the reported clause
    text = "Returning from three days at the front, the general looked exhausted, his aide said."
    assert _figure(nlp, text, "three days").claimed_by is None


def test_an_opening_participle_that_reports_keeps_its_claimant(nlp):
    text = "Citing 40 deaths in the camp, the agency said aid must resume."
    assert _figure(nlp, text, "40").claimed_by == "the agency"


def test_a_headline_with_a_possessive_is_no_fuller_name_of_the_speaker(nlp):
    # "Dorsan's Border Plan Draws Fire" is a thing of Dorsan's, not a longer form of the name
    text = (
        "Dorsan\u2019s Border Plan Draws Fire\n\n"
        "\u201cWe will keep 30,000 soldiers on the frontier,\u201d Dorsan told reporters."
    )
    assert _figure(nlp, text, "30,000").claimed_by == "Dorsan"


def test_a_share_of_those_asked_is_no_claimant(nlp):
    # "one in three residents said": a poll's answer, no one to hold to the figure
    text = "In the survey, one in three residents said the town had lost 40 shelters."
    assert _figure(nlp, text, "40").claimed_by is None
    text = "About four out of 10 refugees said they had waited more than 30 days for food."
    assert _figure(nlp, text, "more than 30 days").claimed_by is None


def test_a_count_of_named_people_still_claims(nlp):
    text = "Two of the 12 officers said 50 rounds were fired."
    assert _figure(nlp, text, "50").claimed_by == "Two of the 12 officers"


def test_when_they_spoke_is_no_part_of_the_claimant():
    # the tagger's speaker span can take in the time ("the command on Monday"); who claims is before it.
    # A unit check on invented claimant phrases: the span comes from the tagger, not a rule to provoke.
    from summarize.figures.claimant import _tidy

    assert _tidy("The brigade's command on Monday") == "The brigade's command"
    assert _tidy("Colonel Dreyer Sunday night") == "Colonel Dreyer"
    assert _tidy("the relief agency last week") == "the relief agency"
    assert _tidy("The Sunday Courier") == "The Sunday Courier"
    assert _tidy("a survey released Friday") == "a survey released Friday"


def test_a_headline_with_a_verb_is_no_fuller_name_of_the_speaker(nlp):
    # "Kessler Made This Promise To Veterans": a capitalised run with a verb is a headline, not a name
    text = (
        "Kessler Made This Promise To Veterans\n\n"
        "Kessler said the event raised more than $6 million for veterans."
    )
    assert _figure(nlp, text, "more than $6 million").claimed_by == "Kessler"


def test_a_fuller_name_without_a_verb_is_still_taken(nlp):
    text = "General Wang Jiaxiang arrived.\n\nWang said 40 soldiers were hurt."
    assert _figure(nlp, text, "40").claimed_by == "Wang Jiaxiang"
