"""Issue 12, item 3: Telegram answering "message is too long" loses no reply.

The renderers keep messages under 4,096 characters of HTML source, but Telegram counts the text after
parsing its entities, in UTF-16 units, and can still refuse one. The local Bot API's `too_long_over` fault
refuses every text longer than a limit, as a stricter count would; the bot cuts the refused message in
two valid halves (`bot.halve`) and sends both. Before, the refusal was a final BadRequest: a sent brief
was replaced by the apology, and an edited placeholder stayed "Fetching the article…".
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.halve import halve_html
from bot.handlers import briefs
from bot.local_api import Faults, LocalBotApi
from bot.nlp_pool import NlpPool
from bot.telegram_html import parse_html, strip_html
from tests.bot_support import *  # noqa: F403 - fixtures: article_server, bot_nlp_pool
from tests.bot_support import ARTICLE_TEXT, TOKEN, ArticleServer, article_html, make_harness

CHAT = 31
LIMIT = 500  # far under what the brief needs: most replies are refused at least once


def _words(texts: list[str]) -> list[str]:
    return " ".join(texts).split()


def test_halves_are_valid_and_lose_nothing() -> None:
    message = (
        "<b>Summary</b>\n• The mayor said <i>12 people</i> were killed &amp; 30 wounded.\n"
        '• <a href="https://example.org/a?b=1&amp;c=2">A long link label here</a>\n'
        "<blockquote>A quote that spans\ntwo lines inside one tag</blockquote>\n• Last line."
    )
    first, second = halve_html(message)  # type: ignore[misc]
    for half in (first, second):
        parse_html(half)  # raises if a tag or an entity was cut
    assert _words([strip_html(first), strip_html(second)]) == strip_html(message).split()
    assert "<blockquote>" not in first or "</blockquote>" in first, "never cut inside an open tag"


def test_a_message_with_no_cut_outside_tags_is_left_whole() -> None:
    assert halve_html("<b>everything in one tag\nacross lines</b>") is None
    assert halve_html("oneword") is None


async def _conversation(
    tmp_path: Path, nlp: NlpPool, url: str, faults: Faults | None
) -> tuple[list[str], LocalBotApi]:
    async with LocalBotApi(token=TOKEN, faults=faults) as api:
        async with make_harness(tmp_path, nlp, api=api) as harness:
            for text in (ARTICLE_TEXT, url, "/figures"):
                await api.push_text(CHAT, text)
                await harness.idle(timeout=120)
            assert harness.errors == [], harness.errors
        return [message.text for message in api.messages(CHAT)], api


async def test_replies_refused_as_too_long_arrive_in_parts_with_every_word(
    tmp_path: Path, bot_nlp_pool: NlpPool, article_server: ArticleServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Both conversations receive their articles at the same instant: a reply shows the received time,
    # and a minute boundary between the two runs would otherwise change one word.
    received = datetime.now(UTC)
    monkeypatch.setattr(briefs, "_now", lambda: received)
    url = article_server.add("/resplit-story", article_html(), delay=0.5)
    calm, _ = await _conversation(tmp_path / "calm", bot_nlp_pool, url, None)
    strict, api = await _conversation(tmp_path / "strict", bot_nlp_pool, url, Faults(too_long_over=LIMIT))
    assert api.injected["message is too long"] >= 3, api.injected  # the brief, the link's edit, /figures
    assert len(strict) > len(calm), "some replies went out in parts"
    sent = [m for m in api.messages(CHAT)]
    assert all(len(m.raw_text) <= LIMIT for m in sent), "every part fits the stricter count"
    assert not any(text.startswith("Sorry, something went wrong") for text in strict)
    assert not any(text.startswith(("Fetching", "Reading", "Writing")) for text in strict)
    assert _words(strict) == _words(calm), "every word of every reply, in order"
