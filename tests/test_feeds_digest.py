"""bot/digest.py, the pure part: near-duplicate grouping, ranking, key figures, rendering and splitting.

Briefs come from the real NLP pipeline over our own articles (tests/feeds_support.py).
"""

from __future__ import annotations

import random
import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.digest import (
    MESSAGE_LIMIT,
    DigestArticle,
    build_digest,
    content_words,
    group_stories,
    render_digest,
    same_story,
    source_name,
)
from bot.telegram_html import parse_html
from summarize.model import Brief
from summarize.pipeline import brief_from_text
from tests.feeds_support import GRAIN, STRIKE_A, STRIKE_B, TALKS
from tests.storage_support import make_brief

NOW = datetime(2024, 3, 5, 6, 0, tzinfo=UTC)
KYIV = ZoneInfo("Europe/Kyiv")


@pytest.fixture(scope="module")
def briefs(nlp) -> dict[str, Brief]:
    texts = {
        "strike_a": (
            STRIKE_A,
            "Missiles hit Kharkiv power plant, seven killed",
            "https://wire.example/kharkiv",
        ),
        "strike_b": (
            STRIKE_B,
            "Seven dead as Russian missiles strike Kharkiv power plant",
            "https://daily.example/k",
        ),
        "talks": (TALKS, "Prisoner exchange talks resume in Istanbul", "https://wire.example/talks"),
        "grain": (GRAIN, "First grain ship leaves Odesa since drone attacks", "https://port.example/grain"),
    }
    return {
        key: brief_from_text(text, title=title, url=url, nlp=nlp) for key, (text, title, url) in texts.items()
    }


def article(
    briefs: dict[str, Brief], key: str, article_id: int, source: str, hours_ago: float
) -> DigestArticle:
    brief = briefs[key]
    return DigestArticle(article_id, source, brief.url, NOW - timedelta(hours=hours_ago), brief)


@pytest.fixture
def day(briefs: dict[str, Brief]) -> list[DigestArticle]:
    return [
        article(briefs, "grain", 1, "Port News", 0.5),  # the newest, but one source only
        article(briefs, "strike_a", 2, "Wire Service", 5),
        article(briefs, "talks", 3, "Wire Service", 3),
        article(briefs, "strike_b", 4, "Daily Paper", 4),
    ]


def test_content_words_fold_case_stop_words_and_plurals() -> None:
    assert content_words("Russian Missiles STRIKE the Kharkiv plant, says governor") == {
        "russian",
        "missile",
        "strike",
        "kharkiv",
        "plant",
        "governor",
    }


def test_same_story_by_title_or_by_lead_but_not_by_shared_topic() -> None:
    a = content_words("Missiles hit Kharkiv power plant, seven killed")
    b = content_words("Seven dead as Russian missiles strike Kharkiv power plant")
    other = content_words("Kharkiv mayor opens new metro station")
    assert same_story(a, frozenset(), b, frozenset())
    assert not same_story(a, frozenset(), other, frozenset())
    lead = content_words(
        "Negotiators from both sides met in Istanbul on Wednesday for a third round of talks"
    )
    lead2 = content_words(
        "Negotiators from both sides met in Istanbul on Wednesday for new talks, officials said"
    )
    assert same_story(frozenset({"x"}), lead, frozenset({"y"}), lead2)


def test_two_reports_of_one_strike_group_and_the_rest_stay_apart(day: list[DigestArticle]) -> None:
    groups = group_stories(day)
    assert sorted(sorted(a.article_id for a in group) for group in groups) == [[1], [2, 4], [3]]


def test_digest_ranks_by_sources_then_recency_and_names_the_others(day: list[DigestArticle]) -> None:
    digest = build_digest(day, since=NOW - timedelta(hours=24), now=NOW)
    assert [story.article_ids for story in digest.stories] == [(2, 4), (1,), (3,)]
    top = digest.stories[0]
    assert top.source_count == 2 and {top.source, *top.also} == {"Wire Service", "Daily Paper"}
    assert top.also and top.source not in top.also
    assert digest.articles == 4 and digest.sources == 3 and digest.more == 0


def test_story_sentence_and_key_figure_are_verbatim_and_claimed(day: list[DigestArticle]) -> None:
    digest = build_digest(day, since=NOW - timedelta(hours=24), now=NOW)
    by_id = {a.article_id: a for a in day}
    for story in digest.stories:
        texts = [by_id[i].brief.text for i in story.article_ids]
        assert story.sentence and any(story.sentence in text for text in texts)
        assert story.link in {by_id[i].url for i in story.article_ids}
        if story.key_figure is not None:
            figure = story.key_figure.figure
            owner = next(by_id[i] for i in story.article_ids if by_id[i].source == story.key_figure.source)
            assert figure.value in owner.brief.sentence_texts()[figure.sentence]
    strike = digest.stories[0].key_figure
    assert strike is not None and strike.figure.claimed_by  # a claimed figure wins over an unclaimed one
    assert strike.figure.category in ("killed", "casualties", "wounded")


def test_figures_of_the_day_are_distinct_claimed_and_from_the_stories(day: list[DigestArticle]) -> None:
    digest = build_digest(day, since=NOW - timedelta(hours=24), now=NOW)
    assert 1 <= len(digest.figures) <= 5
    keys = [(f.figure.value.casefold(), (f.figure.counts or "").casefold()) for f in digest.figures]
    assert len(keys) == len(set(keys))
    all_sentences = [s for a in day for s in a.brief.sentence_texts()]
    for item in digest.figures:
        assert item.figure.category not in ("time", "other")
        assert any(item.figure.value in sentence for sentence in all_sentences)
    # two reports of one claim ("23 people wounded" / "23 others wounded") count once
    kinds = [(f.figure.category, f.figure.number) for f in digest.figures if f.figure.number is not None]
    assert len(kinds) == len(set(kinds))
    # the claimed ones come first
    claimed = [bool(item.figure.claimed_by) for item in digest.figures]
    assert claimed == sorted(claimed, reverse=True)


def test_rendered_digest_is_valid_telegram_html_with_links_and_also_reported(
    day: list[DigestArticle],
) -> None:
    digest = build_digest(day, since=NOW - timedelta(hours=24), now=NOW)
    [message] = render_digest(digest, tz=KYIV)
    parsed = parse_html(message, strict_ampersand=True)
    assert "also reported by" in parsed.text
    assert "Figures of the day" in parsed.text
    assert parsed.text.index("Kharkiv") < parsed.text.index("Odesa") < parsed.text.index("Istanbul")
    links = [e for e in parsed.entities if e.type == "text_link"]
    assert {link.url for link in links} >= {"https://port.example/grain", "https://wire.example/talks"}
    assert "05 Mar 08:00" in parsed.text  # the window's end in the chat's time (UTC+2 in March)


def test_hostile_text_is_escaped(briefs: dict[str, Brief]) -> None:
    nasty = Brief(
        title="<b>Fake</b> & <a href='x'>",
        dateline=None,
        url='https://evil.example/?a=1&b="2"',
        language="en",
        sentences=1,
        summary=briefs["talks"].summary[:1],
        text=briefs["talks"].text,
        sentence_spans=briefs["talks"].sentence_spans,
    )
    digest = build_digest(
        [DigestArticle(9, "Feed <i>&amp;</i>", nasty.url, NOW, nasty)],
        since=NOW - timedelta(hours=1),
        now=NOW,
    )
    [message] = render_digest(digest, tz=UTC)
    parsed = parse_html(message, strict_ampersand=True)
    assert "<b>Fake</b> & <a href='x'>" in parsed.text
    assert "Feed <i>&amp;</i>" in parsed.text
    assert [e.url for e in parsed.entities if e.type == "text_link"] == ['https://evil.example/?a=1&b="2"']


def test_many_stories_split_into_messages_under_the_limit() -> None:
    # 40 unrelated stories (words drawn at random, seeded) with long leads: forces several messages.
    vocabulary = sorted(set(re.findall(r"[a-z]{5,}", (STRIKE_A + STRIKE_B + TALKS + GRAIN).lower())))
    rng = random.Random(7)
    articles = []
    for i in range(40):
        words = rng.sample(vocabulary, 30)
        lead = "Officials said " + " ".join(words[:24]) + " & <more> today."
        brief = make_brief([lead, "They gave no further details."], title=" ".join(words[24:]).capitalize())
        articles.append(
            DigestArticle(
                i + 1, f"Source {i % 7}", f"https://aid.example/{i}", NOW - timedelta(minutes=i), brief
            )
        )
    digest = build_digest(articles, since=NOW - timedelta(hours=24), now=NOW, max_stories=40)
    messages = render_digest(digest, tz=KYIV, limit=1500)
    assert len(messages) >= 3
    for message in messages:
        assert len(message) <= 1500
        parse_html(message, strict_ampersand=True)  # every chunk is whole, valid HTML
    numbers = [int(n) for m in messages for n in re.findall(r"<b>(\d+)\. ", m)]
    assert numbers == list(range(1, 41))  # nothing lost or repeated across messages
    full = render_digest(digest, tz=KYIV)
    assert all(len(m) <= MESSAGE_LIMIT for m in full)


def test_empty_digest_says_so() -> None:
    digest = build_digest([], since=NOW - timedelta(hours=24), now=NOW)
    [message] = render_digest(digest, tz=KYIV)
    assert digest.empty and "No new stories" in parse_html(message).text


def test_source_name_prefers_the_feed_title() -> None:
    assert source_name("Kyiv Desk", "https://www.kyiv.example/a") == "Kyiv Desk"
    assert source_name(None, "https://www.kyiv.example/a") == "kyiv.example"
    assert source_name("  ", None) == "unknown source"
