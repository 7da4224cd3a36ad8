"""Long inputs cost what their length costs: LexRank sees a bounded candidate set, sentence boundaries are
written once, and a figure repeated word for word is listed once with its number of mentions."""

from __future__ import annotations

from collections import Counter

import pytest

from bot.render import Source, brief_reply
from summarize.model import Figure
from summarize.parse import parse
from summarize.pipeline import brief_from_text, collapse_figures
from summarize.rank import MAX_CANDIDATES, LeadCentrality, candidate_sentences, summarize_sentences
from summarize.render import brief_as_text

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


def _figure(sentence: int, where: str | None = "Sumy") -> Figure:
    return Figure(
        value="30", number=30.0, low=None, high=None, qualifier=None, unit=None, category="killed",
        counts="soldiers killed", claimed_by="the ministry", where=where, when=None, sentence=sentence,
    )  # fmt: skip


def test_identical_figures_collapse_into_one_with_a_count_and_others_stay() -> None:
    figures = (_figure(1), _figure(4), _figure(6, where="Kharkiv"), _figure(9))
    collapsed = collapse_figures(figures)
    assert [(f.sentence, f.where, f.mentions) for f in collapsed] == [(1, "Sumy", 3), (6, "Kharkiv", 1)]


def test_a_repetitive_text_lists_its_figure_once_and_says_how_often(nlp) -> None:
    fillers = [
        "Rescue teams searched the ruins of the school through the night.",
        "Officials promised a full inquiry into the strike on the market.",
        "Aid convoys reached the eastern villages after a delay of several days.",
        "The mayor asked residents to stay in shelters until the morning.",
    ]
    repeated = "The defence ministry said 30 soldiers were killed in the attack on Sumy."
    # Distinct paragraphs (cleaning drops a paragraph repeated whole), one sentence repeated in each.
    text = "\n\n".join(f"{repeated} {filler[:-1]} on day {n}." for n, filler in enumerate(fillers * 3))
    brief = brief_from_text(text, nlp=nlp)
    thirty = [f for f in brief.figures if f.value == "30"]
    assert len(thirty) == 1
    assert thirty[0].mentions == 12
    assert brief.to_dict()["figures"][0]["mentions"] >= 1
    assert "(mentioned 12 times)" in brief_as_text(brief)
    assert "(mentioned 12 times)" in brief_reply(brief, Source(), article_id=1).chunks[0]
