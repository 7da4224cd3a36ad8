"""Speakers on real parses: direct and reported speech, split and multi-sentence quotes, speaker resolution.

The articles here are written for these tests (war reports in the style of wire copy); none is copied from
../shared. Every test also checks the contract: each quote is verbatim article text.
"""

from __future__ import annotations

import json

import pytest

from summarize.model import Statement
from summarize.parse import parse
from summarize.quotes import find_quote_spans
from summarize.speakers import Attribution, extract_speakers, find_attributions, format_statement

SPLIT_AND_CONTINUED = (
    "KHARKIV, Ukraine — Ukrainian forces held their positions north of the city on Tuesday.\n\n"
    '"We will not retreat," the commander said, "not one step."\n\n'
    "Colonel Oleksandr Syrskyi, who leads the ground forces, said the attack began at dawn. "
    "He said that between 40 and 60 Russian soldiers were killed in the first hours.\n\n"
    "“The enemy used drones and artillery. They came in three waves,” Syrskyi told Reuters. "
    "“Our air defence shot down most of the drones.”\n"
)

CONFLICTING = (
    "Russia's Defence Ministry said its troops had captured the village of Robotyne, a claim Kyiv denied.\n\n"
    "Ukraine's foreign minister, Dmytro Kuleba, said on Monday that the village remained under Ukrainian "
    "control.\n\n"
    "According to the Institute for the Study of War, Russian forces made marginal gains near the village.\n\n"
    "The ministry added that 300 Ukrainian soldiers had been killed, a figure that could not be verified.\n"
)

ALLIANCE = (
    "NATO Secretary General Jens Stoltenberg met defence ministers in Brussels on Thursday.\n\n"
    "Allies will send more air defence systems to Ukraine before winter, the alliance said.\n\n"
    "Defence Minister Rustem Umerov thanked the allies. Kyiv needs at least five more Patriot batteries, "
    "the minister said.\n"
)

SAID_FIRST = (
    "The governor of the region, Oleh Syniehubov, spoke to reporters after the strike.\n\n"
    "He said: «Three people were killed and twelve wounded. Rescue work is still going on.»\n\n"
    "Local officials said that power had been restored to most homes by the evening.\n"
)


def _check_contract(parsed, statements: tuple[Statement, ...]) -> None:
    for statement in statements:
        assert statement.quote and statement.quote in parsed.text
        assert statement.quote.strip() == statement.quote
        assert statement.quote[0] not in '"“”«»' and statement.quote[-1] not in '"“”«»'
        assert 0 <= statement.sentence < len(parsed.sentences)


def _find(statements, fragment: str) -> Statement:
    hits = [s for s in statements if fragment in s.quote]
    assert hits, f"no statement contains {fragment!r}: {statements}"
    return hits[0]


@pytest.fixture(scope="module")
def split(nlp):
    parsed = parse(SPLIT_AND_CONTINUED, nlp=nlp)
    return parsed, extract_speakers(parsed)


def test_split_quote_gives_both_halves_to_the_speaker(split):
    parsed, statements = split
    _check_contract(parsed, statements)
    first, second = _find(statements, "We will not retreat"), _find(statements, "not one step")
    assert first.speaker == second.speaker == "the commander"
    assert first.kind == second.kind == "direct"
    assert "the commander said" not in first.quote + second.quote


def test_reported_speech_and_pronoun_resolution(split):
    parsed, statements = split
    attack = _find(statements, "the attack began at dawn")
    assert attack.kind == "reported" and "Syrskyi" in attack.speaker
    killed = _find(statements, "between 40 and 60 Russian soldiers were killed")
    assert killed.kind == "reported"
    assert "Syrskyi" in killed.speaker  # "He" in the next sentence
    assert not killed.quote.startswith("that")


def test_multi_sentence_quote_before_the_cue_and_its_continuation(split):
    parsed, statements = split
    waves = _find(statements, "They came in three waves")
    assert waves.kind == "direct" and waves.speaker == "Syrskyi"
    assert waves.quote.startswith("The enemy used drones")  # starts in the sentence before the cue
    assert parsed.sentences[waves.sentence].text.startswith("“The enemy")
    drones = _find(statements, "Our air defence shot down")
    assert drones.kind == "direct" and drones.speaker == "Syrskyi"


def test_relative_clause_is_not_part_of_the_speaker(split):
    parsed, _ = split
    attributions = find_attributions(parsed)
    attack = next(a for a in attributions if "attack began" in parsed.text[a.content_start : a.content_end])
    assert attack.mention == "Colonel Oleksandr Syrskyi"
    assert parsed.text[attack.speaker_start : attack.speaker_end] == attack.mention


def test_conflicting_claims_keep_each_side(nlp):
    parsed = parse(CONFLICTING, nlp=nlp)
    statements = extract_speakers(parsed)
    _check_contract(parsed, statements)
    captured = _find(statements, "captured the village of Robotyne")
    assert captured.speaker == "Russia's Defence Ministry" and captured.kind == "reported"
    control = _find(statements, "the village remained under Ukrainian control")
    assert control.speaker == "Dmytro Kuleba"  # the name, not the role, from the apposition
    isw = _find(statements, "Russian forces made marginal gains")
    assert isw.speaker == "the Institute for the Study of War" and isw.kind == "reported"
    added = _find(statements, "300 Ukrainian soldiers had been killed")
    assert "Defence Ministry" in added.speaker and "(The ministry)" in added.speaker


def test_alliance_and_minister_resolve_to_names(nlp):
    parsed = parse(ALLIANCE, nlp=nlp)
    statements = extract_speakers(parsed)
    _check_contract(parsed, statements)
    allies = _find(statements, "Allies will send more air defence systems")
    assert allies.speaker == "NATO (the alliance)" and allies.kind == "reported"
    patriots = _find(statements, "at least five more Patriot batteries")
    assert patriots.speaker == "Rustem Umerov (the minister)"


def test_quote_after_cue_with_guillemets_and_pronoun(nlp):
    parsed = parse(SAID_FIRST, nlp=nlp)
    statements = extract_speakers(parsed)
    _check_contract(parsed, statements)
    killed = _find(statements, "Three people were killed and twelve wounded")
    assert killed.kind == "direct" and "Rescue work is still going on" in killed.quote
    assert "Syniehubov" in killed.speaker
    power = _find(statements, "power had been restored")
    assert power.speaker == "Local officials" and power.kind == "reported"


def test_partial_quote_inside_reported_speech_stays_reported(nlp):
    text = (
        'Russia has started moving "a large number" of troops towards the border, Zelensky said on Friday.\n'
    )
    parsed = parse(text, nlp=nlp)
    (statement,) = extract_speakers(parsed)
    assert statement.kind == "reported" and statement.speaker == "Zelensky"
    assert statement.quote == 'Russia has started moving "a large number" of troops towards the border'


def test_titles_in_quote_marks_and_lone_quotes_are_not_statements(nlp):
    text = (
        'The general appeared on "Meet the Press" on Sunday.\n\n'
        '"This war will end in the spring."\n\n'
        "Analysts were less sure.\n"
    )
    parsed = parse(text, nlp=nlp)
    assert extract_speakers(parsed) == ()


def test_attributions_index_the_text_and_sentences(split):
    parsed, statements = split
    attributions = find_attributions(parsed)
    assert len(attributions) == len(statements)
    for attribution, statement in zip(attributions, statements, strict=True):
        assert isinstance(attribution, Attribution)
        assert parsed.text[attribution.content_start : attribution.content_end] == statement.quote
        sentence = parsed.sentences[attribution.sentence]
        assert sentence.start_char <= attribution.content_start < sentence.end_char
    assert [a.content_start for a in attributions] == sorted(a.content_start for a in attributions)


def test_format_statement_reads_as_a_line():
    direct = Statement("Zelensky", "direct", "may be used in other parts of the front line", 3)
    reported = Statement("Ukraine", "reported", "its troops killed at least 30 soldiers", 0)
    assert format_statement(direct) == 'Zelensky (direct): "may be used in other parts of the front line"'
    assert format_statement(reported) == "Ukraine (reported): its troops killed at least 30 soldiers"
    assert "\n" not in format_statement(direct)


def test_quote_pairing_styles():
    text = 'He said “one.” Then "two words," and ‘three’ — Russia’s troops’ lines held. «four»\n"five\n"six," he said.'
    contents = [text[s.start : s.end] for s in find_quote_spans(text)]
    assert contents == ["one.", "two words,", "three", "four", "five", "six,"]
    assert [s.closed for s in find_quote_spans(text)][-2:] == [False, True]


def test_two_apostrophes_pair_as_a_double_quote_mark():
    # Wire and archive copy converted to ASCII writes both marks as two apostrophes; a lone apostrophe
    # (the defenders' line) stays an apostrophe.
    text = "''We held the bridge,'' the major said. The defenders' line moved. He added, ''Not one step.''"
    contents = [text[s.start : s.end] for s in find_quote_spans(text)]
    assert contents == ["We held the bridge,", "Not one step."]


def test_a_two_apostrophe_quote_has_its_speaker(nlp):
    text = (
        "The garrison held out for a fourth week.\n\n"
        "''We have food for ten days and water for less,'' Major Ilona Brandt said on Monday."
    )
    parsed = parse(text, nlp=nlp)
    (statement,) = [s for s in extract_speakers(parsed) if "food for ten days" in s.quote]
    assert statement.speaker == "Ilona Brandt" or statement.speaker == "Major Ilona Brandt"
    assert statement.kind == "direct"
    assert statement.quote == "We have food for ten days and water for less"


def test_seed_article_statements(nlp, seed_text, shared_dir):
    """The seed's annotated statements: right speaker and kind for at least 10 of the 11, precision >= 0.8."""
    from evaluation.speakers import same_speaker

    body = seed_text.split("KIEV\n", 1)[1].split("\n", 1)[1].lstrip()
    parsed = parse(body, nlp=nlp)
    statements = extract_speakers(parsed)
    _check_contract(parsed, statements)
    gold = json.loads((shared_dir / "seed" / "000_39f2878718028330.gold.json").read_text())["speakers"]
    right = 0
    for item in gold:
        gold_words = set(item["quote"].lower().split())
        for statement in statements:
            words = set(statement.quote.lower().split())
            if len(words & gold_words) / len(words | gold_words) >= 0.5:
                right += same_speaker(statement.speaker, item["speaker"]) and statement.kind == item["kind"]
                break
    assert right >= 10
    assert right / len(statements) >= 0.8
