"""Speakers: one test (or more) per general rule, on short invented war-report sentences.

None of these sentences is copied from ../shared; each names the rule it checks. Every test also checks the
contract: each quote is verbatim article text without quote marks.
"""

from __future__ import annotations

from summarize.model import Statement
from summarize.parse import parse
from summarize.speakers import extract_speakers, find_attributions


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


def test_subordinate_participle_and_object_clauses_do_not_interrupt_a_sentence(nlp):
    text = (
        "Since the ministry announced a ceasefire on Monday, shelling has continued in the east.\n\n"
        "Looking at the map, the colonel pointed to the river.\n\n"
        "The army is adding 500 recruits a month, the front has barely moved since spring.\n\n"
        "As the ministry reported on Tuesday, the convoy reached Kherson before dark.\n"
    )
    statements = _statements(nlp, text)
    assert not _with(statements, "shelling has continued")
    assert not _with(statements, "the front has barely moved")
    (convoy,) = _with(statements, "the convoy reached Kherson")
    assert convoy.speaker == "the ministry" and convoy.kind == "reported"


def test_promises_appeals_and_denials_keep_their_verb(nlp):
    text = (
        "The governor vowed to rebuild the bridge by spring.\n\n"
        "The mayor urged residents to leave the city before nightfall.\n\n"
        "The Kremlin denied all the reports of strikes on the power plant.\n"
    )
    statements = _statements(nlp, text)
    (bridge,) = _with(statements, "rebuild the bridge")
    assert bridge.quote.startswith("vowed to") and bridge.speaker == "The governor"
    assert bridge.kind == "reported"
    (leave,) = _with(statements, "leave the city")
    assert leave.quote.startswith("urged residents to") and leave.speaker == "The mayor"
    (denied,) = _with(statements, "reports of strikes")
    assert denied.quote.startswith("denied") and denied.speaker == "The Kremlin"


def test_standing_promises_and_infinitive_cues_are_not_statements(nlp):
    text = (
        "The commander has vowed to retake the town.\n\n"
        "The minister urged the generals not to announce the losses.\n\n"
        "He went on to say that the northern lines still held.\n"
    )
    statements = _statements(nlp, text)
    assert not _with(statements, "retake the town")
    assert not any(s.quote == "the losses" for s in statements)
    assert all("announce" not in s.quote or s.quote.startswith("urged") for s in statements)
    (held,) = _with(statements, "the northern lines still held")
    assert held.kind == "reported"


def test_continue_is_speech_only_next_to_a_quote(nlp):
    text = (
        "Officials said the bombardment would continue for days.\n\n"
        '"We will hold the line," the general continued.\n'
    )
    statements = _statements(nlp, text)
    assert [s.quote for s in statements] == [
        "the bombardment would continue for days",
        "We will hold the line",
    ]
    assert statements[1].speaker == "the general" and statements[1].kind == "direct"


def test_reported_content_stops_at_a_semicolon(nlp):
    text = "Kyiv said the bridge was destroyed overnight; Moscow has not commented on the strike.\n"
    (statement,) = _statements(nlp, text)
    assert statement.speaker == "Kyiv" and statement.quote == "the bridge was destroyed overnight"


def test_quote_finishing_the_writers_clause_is_reported_whole(nlp):
    text = (
        'The general said the offensive would "change the course of the war" within weeks.\n\n'
        'The mayor said the strike on the shelter was "a war crime against sleeping families."\n\n'
        'The governor said he had heard the reservists "will be sent to the southern front."\n'
    )
    statements = _statements(nlp, text)
    (course,) = _with(statements, "change the course of the war")
    assert course.kind == "reported" and course.quote.startswith("the offensive would")
    (crime,) = _with(statements, "a war crime against sleeping families")
    assert crime.kind == "reported" and crime.quote.startswith("the strike on the shelter was")
    (front,) = _with(statements, "will be sent to the southern front")
    assert front.kind == "direct" and front.quote.startswith("will be sent")


def test_any_verb_frames_a_quote_it_is_set_off_from(nlp):
    text = (
        '"They have left us nothing but ruins," the farmer sighed.\n\n'
        'The colonel shrugged: "We have seen worse winters than this one."\n\n'
        'A volunteer wrote "No to war" on the wall of the school.\n'
    )
    statements = _statements(nlp, text)
    (ruins,) = _with(statements, "nothing but ruins")
    assert ruins.speaker == "the farmer" and ruins.kind == "direct"
    (winters,) = _with(statements, "worse winters")
    assert winters.speaker == "The colonel" and winters.kind == "direct"
    assert not _with(statements, "No to war")


def test_inverted_speaker_after_the_content(nlp):
    text = (
        "The army isn't planning any more assaults on the city this winter, the region's military governor, "
        "Oleh Syniehubov, told The Kyiv Independent on Monday.\n"
    )
    statements = _statements(nlp, text)
    (plan,) = _with(statements, "planning any more assaults")
    assert "Syniehubov" in plan.speaker and plan.kind == "reported"
    assert "told" not in plan.quote


def test_claims_of_responsibility_keep_their_verb(nlp):
    text = "A group calling itself the Black Sun has claimed responsibility for the attack on the depot.\n"
    (statement,) = _statements(nlp, text)
    assert statement.quote == "claimed responsibility for the attack on the depot"
    assert statement.speaker == "A group" and statement.kind == "reported"


def test_noun_object_of_say_starts_a_broken_up_clause(nlp):
    text = 'The colonel said the difference between this winter and the last is "enormous, frankly."\n'
    parsed = parse(text, nlp=nlp)
    statements = _statements(nlp, text)
    (statement,) = statements
    assert statement.speaker == "The colonel" and statement.kind == "reported"
    assert statement.quote.startswith("the difference between this winter and the last is")
    assert find_attributions(parsed)[0].content_end > parsed.text.index("enormous")


def test_hypothetical_modal_and_nested_speech_acts_are_not_statements(nlp):
    text = (
        "The sprinter can win if he repeats the times he ran in the spring.\n\n"
        "The ministry says it will ask the allies to send more shells.\n\n"
        "The general's memoir is widely seen as predicting the war.\n"
    )
    statements = _statements(nlp, text)
    assert not _with(statements, "the times he ran")
    assert not any(s.quote.startswith("ask") for s in statements)
    assert not _with(statements, "predicting the war")
    (shells,) = _with(statements, "send more shells")
    assert shells.speaker == "The ministry" and shells.quote.startswith("it will ask")


def test_semicolon_inside_brackets_does_not_cut_the_content(nlp):
    text = "The ministry said it needed a further 540bn hryvnia ($13bn; £10bn) to rebuild the grid.\n"
    (statement,) = _statements(nlp, text)
    assert statement.quote.endswith("to rebuild the grid")
