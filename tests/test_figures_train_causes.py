"""Figures: causes of wrong figures and claimants found on PolNeAR train (first 300 articles,
`python -m evaluation.figure_claims --split train --limit 300 --list 60`), each checked on invented
sentences that are not taken from it."""

from __future__ import annotations

from tests.test_claimant_paths import _claimant, _figures


def test_a_year_written_with_an_apostrophe_is_no_figure(nlp):
    text = "The colonel said in '14 that the bridge had been mined twice, and again in ’19 after the retreat."
    assert {f.value for f in _figures(nlp, text)} & {"14", "'14", "19", "’19"} == set()


def test_an_age_after_a_name_is_no_figure_whatever_the_name_is_tagged(nlp):
    # the parser does not always tag the name PERSON ("Okafor" as an ORG): the ", 38," after it is an age
    text = "Okafor, 38, who commands the northern brigade, said 40 fighters had surrendered."
    values = {f.value for f in _figures(nlp, text)}
    assert "38" not in values
    assert "40" in values


def test_add_up_to_is_arithmetic_not_speech(nlp):
    # "add up to" is neither a speech verb (the repairs say nothing) nor the qualifier "up to" (at most)
    text = "Over five years, the repairs would add up to $2.4 billion more than the ministry had planned."
    (figure,) = [f for f in _figures(nlp, text) if "2.4" in f.value]
    assert figure.value == "$2.4 billion"
    assert figure.claimed_by != "the repairs"


def test_the_object_of_charge_is_a_price_or_the_accused_never_what_was_said(nlp):
    text = "Last year the border post charged a $300 fee for each truck of grain."
    assert _claimant(nlp, text, "$300") is None
    accused = "Prosecutors charged two commanders with ordering the shelling of 14 villages."
    assert _claimant(nlp, accused, "14") == "Prosecutors"
    assert _claimant(nlp, accused, "two") == "Prosecutors"  # the accused are part of the accusation


def test_a_figure_in_a_relative_clause_set_off_by_commas_is_the_writers_background(nlp):
    # "X praised the lifting of the siege, which left 300 dead": the writer reminds the reader of the toll
    text = "The envoy praised the lifting of the siege of Marivka, which left 300 civilians dead."
    assert _claimant(nlp, text, "300") is None
    # inside the clause a speaker reports, the background is part of what they say
    reported = (
        "The ministry said that shells hit a shelter in the Tavria camp, where 15 members of one family were "
        "killed."
    )
    assert _claimant(nlp, reported, "15") == "The ministry"
    # "according to X" still covers the whole sentence, background included
    cited = "His brother, who was held for 40 days, was released on Friday, according to the Red Cross."
    assert _claimant(nlp, cited, "40 days") == "the Red Cross"
    # a reporting verb inside the clause still names its own speaker
    own = "The ministry, which said 12 soldiers were wounded, gave no further details."
    assert _claimant(nlp, own, "12") == "The ministry"
    # inside a quotation the quote's speaker says it all
    quoted = '"Our brigade, which lost 25 men, will hold the line," Colonel Iryna Savchuk said.'
    assert _claimant(nlp, quoted, "25") in ("Iryna Savchuk", "Colonel Iryna Savchuk")


def test_numbers_inside_doctrines_and_formulas_are_no_figures(nlp):
    text = (
        "The territory has been ruled under the one country, two systems formula since 1997, and the envoy "
        "backed a two-state solution. Police detained 14 protesters on Sunday."
    )
    assert {f.value for f in _figures(nlp, text)} == {"14"}
