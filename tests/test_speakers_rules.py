"""Speakers: one test (or more) per general rule, on short invented war-report sentences.

None of these sentences is copied from ../shared; each names the rule it checks. Every test also checks the
contract: each quote is verbatim article text without quote marks.
"""

from __future__ import annotations

from summarize.model import Statement
from summarize.parse import parse
from summarize.speakers import extract_speakers


def _statements(nlp, text: str) -> tuple[Statement, ...]:
    parsed = parse(text, nlp=nlp)
    statements = extract_speakers(parsed)
    for statement in statements:
        assert statement.quote and statement.quote in parsed.text
        assert statement.quote[0] not in '"“”«»' and statement.quote[-1] not in '"“”«»'
    return statements


def _with(statements: tuple[Statement, ...], fragment: str) -> list[Statement]:
    return [s for s in statements if fragment in s.quote]


def test_quote_ending_its_paragraph_is_not_the_content_of_the_next_cue(nlp):
    text = (
        '"Not this time," said Olena Marchenko, a nurse in the town. "We stay here."\n\n'
        "Major Petro Kovalenko said the evacuation would start on Friday.\n"
    )
    statements = _statements(nlp, text)
    (stay,) = _with(statements, "We stay here")
    assert stay.speaker == "Olena Marchenko" and stay.kind == "direct"
    assert all(s.speaker == "Olena Marchenko" for s in statements if s.kind == "direct")
    (friday,) = _with(statements, "the evacuation would start on Friday")
    assert friday.speaker == "Major Petro Kovalenko" and friday.kind == "reported"


def test_quote_ending_its_sentence_is_not_the_content_of_the_next_cue(nlp):
    text = (
        'The mayor spoke at the shelter. "The water supply is cut." '
        "Rescuers said two more bodies were found under the rubble.\n"
    )
    statements = _statements(nlp, text)
    assert not any(s.speaker == "Rescuers" and s.kind == "direct" for s in statements)
    (bodies,) = _with(statements, "two more bodies were found")
    assert bodies.speaker == "Rescuers" and bodies.kind == "reported"


def test_continuation_after_a_speaker_with_an_abbreviated_title(nlp):
    text = (
        "Aid convoys reached the city on Sunday.\n\n"
        '"The roads are mined," said the Rev. Mark Hollis, who runs the shelter. '
        '"We lost a truck on Saturday and we cannot afford to lose another."\n'
    )
    statements = _statements(nlp, text)
    (later,) = _with(statements, "We lost a truck on Saturday")
    assert later.kind == "direct" and "Hollis" in later.speaker
