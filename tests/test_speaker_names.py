"""Speaker and claimant names stay whole (issue 11, items 3-4): hyphenated parts and particles ("al-",
"bin", "O'"), abbreviated titles with a period ("Col.", "Lt.", "Sgt.") and a name after a title are never
cut off, because a wrong or broken name shown as the speaker is worse than none.

Every sentence here is invented for these tests; none is taken from ../shared.
"""

from __future__ import annotations

from summarize.figures import extract_figures
from summarize.model import Figure, Statement
from summarize.parse import parse
from summarize.speakers import extract_speakers, find_attributions


def _brief(nlp, text: str) -> tuple[tuple[Statement, ...], tuple[Figure, ...]]:
    parsed = parse(text, nlp=nlp)
    attributions = find_attributions(parsed)
    return extract_speakers(parsed, attributions), extract_figures(parsed, attributions)


def _speakers(nlp, text: str) -> list[str]:
    return [s.speaker for s in _brief(nlp, text)[0]]


def _claimant(nlp, text: str, value: str) -> str | None:
    (figure,) = [f for f in _brief(nlp, text)[1] if f.value == value]
    return figure.claimed_by


def test_a_hyphenated_family_name_is_not_cut_at_the_hyphen(nlp):
    text = "Raed al-Jabouri said 14 people were killed when the shelter was hit."
    assert _speakers(nlp, text) == ["Raed al-Jabouri"]
    assert _claimant(nlp, text, "14") == "Raed al-Jabouri"


def test_a_speaker_after_the_quote_keeps_an_abbreviated_military_title(nlp):
    text = '"We lost the road at dawn," said Col. Steve Dorrian, the brigade commander.'
    assert _speakers(nlp, text) == ["Col. Steve Dorrian"]


def test_a_title_with_a_period_before_the_subject_stays_with_the_name(nlp):
    text = "Col. Steve Dorrian said 30 soldiers were wounded near the bridge."
    assert _speakers(nlp, text) == ["Col. Steve Dorrian"]
    assert _claimant(nlp, text, "30") == "Col. Steve Dorrian"


def test_two_stacked_titles_stay_whole(nlp):
    text = "Lt. Gen. Mark Hessler told reporters that 200 troops had crossed the river overnight."
    assert _speakers(nlp, text) == ["Lt. Gen. Mark Hessler"]
    assert _claimant(nlp, text, "200") == "Lt. Gen. Mark Hessler"


def test_a_titled_name_in_apposition_is_the_speaker_not_the_title(nlp):
    text = "The spokesman, Sgt. Maj. Paul Grady, said 16 vehicles were lost in the ambush."
    assert _speakers(nlp, text) == ["Sgt. Maj. Paul Grady"]


def test_a_title_before_a_hyphenated_name_keeps_both(nlp):
    text = '"We hold the line," said Brig. Gen. Omar al-Shami.'
    assert _speakers(nlp, text) == ["Brig. Gen. Omar al-Shami"]


def test_according_to_a_captain_names_the_captain(nlp):
    text = "Nine civilians died in the raid, according to Capt. Ana Ruiz."
    assert _claimant(nlp, text, "Nine") == "Capt. Ana Ruiz"


def test_a_later_hyphenated_surname_takes_the_full_name_given_earlier(nlp):
    text = (
        "Raed al-Jabouri, a council member in the town, arrived at the clinic on Monday.\n\n"
        'Al-Jabouri told reporters: "The clinic has 6 beds left and no fuel."'
    )
    assert _claimant(nlp, text, "6") == "Raed al-Jabouri"


def test_a_family_name_the_parser_hangs_on_the_verb_stays_with_the_given_name(nlp):
    # the small model reads "O’Neill" (curly apostrophe) as an adverb of "told"; the person entity is whole
    text = "Mary O’Neill told reporters that 25 trucks had crossed the border on Sunday."
    assert _speakers(nlp, text) == ["Mary O’Neill"]
    assert _claimant(nlp, text, "25") == "Mary O’Neill"


def test_a_name_after_stacked_titles_in_an_apposition_is_not_cut_at_the_title(nlp):
    # the parse hangs the name on "Col." as its apposition, with no comma between: "Lt. Col." alone was shown
    text = "The commander, Lt. Col. Yosef Ben-David, told reporters 19 rockets were fired at the base."
    assert _speakers(nlp, text) == ["Lt. Col. Yosef Ben-David"]
