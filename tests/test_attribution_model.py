"""The learned attribution tagger (summarize/attribution_model.py) on sentences written for these tests.

It reads the one parse (a Doc) and never parses again; the shipped model is package data.
"""

from __future__ import annotations

import pytest

from summarize import attribution_model as am
from summarize.parse import parse
from summarize.speakers import find_attributions

pytestmark = pytest.mark.skipif(not am.available(), reason="no attribution model (make train)")

REPORT = (
    "ZAPORIZHZHIA, Ukraine — Regional governor Ivan Fedorov said the drones struck a fuel depot overnight.\n\n"
    '"We will rebuild the bridge within a month," the mayor told reporters on Friday.\n\n'
    "The army accused the separatists of shelling the market in the morning.\n\n"
    "Smoke rose over the harbour as ferries waited offshore.\n"
)


@pytest.fixture(scope="module")
def report(nlp):
    return parse(REPORT, nlp=nlp)


def _text(parsed, span) -> str:
    return parsed.text[span.start : span.end]


def test_source_cue_and_content_of_reported_speech(report):
    found = am.predict(report.doc)
    said = [a for a in found if a.cue is not None and _text(report, a.cue) == "said"]
    assert len(said) == 1
    assert "Fedorov" in _text(report, said[0].source[0])
    assert "drones struck a fuel depot" in _text(report, said[0].content[0])


def test_quote_before_its_cue(report):
    found = am.predict(report.doc)
    told = [a for a in found if a.cue is not None and _text(report, a.cue) == "told"]
    assert len(told) == 1
    assert "the mayor" in _text(report, told[0].source[0])
    assert "We will rebuild the bridge" in _text(report, told[0].content[0])


def test_spans_are_in_the_text_with_a_confidence(report):
    found = am.predict(report.doc)
    assert found
    for attribution in found:
        for span in (*attribution.source, *attribution.content, attribution.cue):
            if span is not None:
                assert 0 <= span.start < span.end <= len(report.text)
                assert 0.0 < span.confidence <= 1.0
        assert attribution.confidence == min(
            s.confidence
            for s in (*attribution.source, *attribution.content, attribution.cue)
            if s is not None
        )
    # a sentence with no cue and no quote is not tagged at all
    assert not any("ferries" in _text(report, c) for a in found for c in a.content)


def test_empty_doc(nlp):
    assert am.predict(nlp("")) == []


def test_labels_and_decoding_round_trip(nlp):
    """Gold spans turned into BIO labels decode back to the same spans, joined to their cue."""
    text = 'Officials said the convoy was hit. "It burned for hours," a witness told AFP.'
    doc = nlp(text)

    def piece(words: str) -> dict:
        start = text.index(words)
        return {"start": start, "end": start + len(words), "text": words}

    records = [
        {"source": [piece("Officials")], "cue": [piece("said")], "content": [piece("the convoy was hit")]},
        {
            "source": [piece("a witness")],
            "cue": [piece("told")],
            "content": [piece('"It burned for hours,"')],
        },
    ]
    labels = am.labels_for(doc, records)
    grouped = am.group(doc, am._spans(doc, labels, [1.0] * len(doc)))
    as_text = [
        (
            text[a.source[0].start : a.source[0].end],
            text[a.cue.start : a.cue.end],
            text[a.content[0].start : a.content[0].end],
        )
        for a in grouped
    ]
    assert as_text == [
        ("Officials", "said", "the convoy was hit"),
        ("a witness", "told", '"It burned for hours,"'),
    ]


def test_hook_keeps_every_rule_attribution_and_adds_only_sure_ones(report):
    rules = find_attributions(report)
    joined = am.add_to_rules(report, rules)
    assert set(rules) <= set(joined)
    for added in set(joined) - set(rules):
        assert added.speaker and added.mention.lower() not in ("i", "we", "you")
        assert report.text[added.content_start : added.content_end].strip()
        assert not any(
            r.content_start < added.content_end and added.content_start < r.content_end for r in rules
        )
    # with an unreachable threshold nothing is added
    assert am.add_to_rules(report, rules, threshold=1.01) == tuple(rules)
