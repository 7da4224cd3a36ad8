"""Long inputs cost what their length costs: LexRank sees a bounded candidate set, sentence boundaries are
written once, and a figure repeated word for word is listed once with its number of mentions."""

from __future__ import annotations

from collections import Counter

import pytest

from summarize.parse import parse
from summarize.rank import MAX_CANDIDATES, LeadCentrality, candidate_sentences, summarize_sentences

PLACES = ["Kharkiv", "Odesa", "Sumy", "Dnipro", "Zaporizhzhia", "Kherson", "Mykolaiv", "Poltava"]
VERBS = ["shelled", "struck", "attacked", "hit", "targeted", "bombarded"]


def _long_text(paragraphs: int) -> str:
    """Our own varied report: distinct sentences, a few with figures, many paragraphs."""
    lines = []
    for n in range(paragraphs):
        place = PLACES[n % len(PLACES)]
        verb = VERBS[n % len(VERBS)]
        lines.append(
            f"Forces {verb} the outskirts of {place} on day {n + 1} of the offensive, officials said. "
            f"Residents of district {n} described a long night in shelters near the river. "
            f"Engineers restored power to {n * 3 + 7} homes by the morning, the regional council reported."
        )
    return "\n\n".join(lines)


@pytest.fixture(scope="module")
def long_parsed(nlp):
    return parse(_long_text(80), nlp=nlp)  # 240 sentences: above the candidate bound


def test_candidates_are_bounded_and_keep_the_lead_and_figure_sentences(long_parsed) -> None:
    terms = [Counter(t.lower_ for t in span if t.is_alpha) for span in long_parsed.sentences]
    assert len(terms) > MAX_CANDIDATES

    class Fig:  # the two attributes candidate_sentences reads
        def __init__(self, sentence: int) -> None:
            self.sentence, self.category = sentence, "killed"

    late = len(terms) - 2
    picked = candidate_sentences(terms, [Fig(late)], MAX_CANDIDATES)
    assert len(picked) == MAX_CANDIDATES
    assert picked == sorted(set(picked))
    assert set(range(30)) <= set(picked)
    assert late in picked


def test_long_text_is_rated_whole_and_summarised_from_real_sentences(long_parsed) -> None:
    scores = LeadCentrality().rate(long_parsed)
    assert len(scores) == len(long_parsed.sentences)
    summary = summarize_sentences(long_parsed)
    assert 1 <= len(summary) <= 5  # near-repeats of a pick are skipped
    for item in summary:
        assert long_parsed.sentences[item.sentence].text == item.text


def test_short_text_ranking_is_unchanged_by_the_bound(nlp) -> None:
    parsed = parse(_long_text(10), nlp=nlp)
    assert len(parsed.sentences) <= MAX_CANDIDATES
    bounded = LeadCentrality(max_candidates=MAX_CANDIDATES).rate(parsed)
    assert bounded == LeadCentrality(max_candidates=10**6).rate(parsed)


def test_sentence_boundaries_are_set_on_every_line_break(nlp) -> None:
    parsed = parse(
        "Headline here\nKyiv said on Monday it had repelled the attack. Another sentence follows.", nlp=nlp
    )
    assert [s.text for s in parsed.sentences] == [
        "Headline here",
        "Kyiv said on Monday it had repelled the attack.",
        "Another sentence follows.",
    ]
