"""The visible wait and fairness between chats, end to end on the local Bot API (real PTB, NLP pool, SQLite).

- slow work (a link, a file, a long text) gets its placeholder at once, edited as stages finish, then
  replaced by the brief, or by the clear error;
- a chat's queued updates wait without holding PTB's concurrent-update slots, so another chat is served
  while one chat's queue is full; the busy chat is asked once to wait, and every message is answered in order.
"""

from __future__ import annotations

from pathlib import Path

from bot.ordering import PLEASE_WAIT
from tests.bot_support import *  # noqa: F403 - fixtures: article_server, bot_nlp_pool, harness
from tests.bot_support import ARTICLE_TITLE, ArticleServer, BotHarness, article_html, make_harness

CHAT = 11
OTHER = 12


async def test_a_link_gets_a_placeholder_at_once_that_follows_the_stages_and_becomes_the_brief(
    harness: BotHarness, article_server: ArticleServer
) -> None:
    url = article_server.add("/slow-story", article_html(), delay=2.0)
    pushed = await harness.api.push_text(CHAT, url)
    first = await harness.api.wait_for_messages(CHAT, 1, after=pushed.message_id, timeout=1.5)
    assert first[0].text == "Fetching the article…", "shown before the page has even arrived"
    await harness.idle()
    replies = harness.api.messages(CHAT, after=pushed.message_id)
    placeholder = next(m for m in replies if m.message_id == first[0].message_id)
    assert ARTICLE_TITLE in placeholder.text and "Summary" in placeholder.text
    # fetched -> reading, reading -> writing, writing -> the brief
    assert placeholder.edit_count >= 3
    assert not any(m.text.startswith(("Fetch", "Reading", "Writing")) for m in replies)


async def test_a_failing_link_turns_its_placeholder_into_the_error(
    harness: BotHarness, article_server: ArticleServer
) -> None:
    url = article_server.add("/gone", "not here", status=404, content_type="text/plain")
    replies = await harness.send(CHAT, url)
    assert len(replies) == 1, "one message: the placeholder, edited into the error"
    assert replies[0].edit_count >= 1
    assert "404" in replies[0].text or "could not" in replies[0].text.lower()


async def test_a_busy_chat_is_asked_to_wait_once_loses_nothing_and_others_are_served(
    tmp_path: Path, bot_nlp_pool, article_server: ArticleServer
) -> None:
    # Two concurrent-update slots only: waiting updates must not hold them, or chat OTHER would starve.
    async with make_harness(tmp_path, bot_nlp_pool, max_concurrent_updates=2) as harness:
        api = harness.api
        slow = article_server.add("/slow", article_html(), delay=2.0)
        first = await api.push_text(CHAT, slow)
        commands = [await api.push_text(CHAT, "/history") for _ in range(8)]
        other = await api.push_text(OTHER, "/start")
        await api.wait_for_messages(OTHER, 1, after=other.message_id, timeout=1.5)
        assert not any("Summary" in m.text for m in api.messages(CHAT, after=first.message_id)), (
            "chat OTHER was answered while CHAT's article and its 8 queued commands still waited"
        )
        await harness.idle()
        replies = api.messages(CHAT, after=first.message_id)
        waits = [m for m in replies if m.text == PLEASE_WAIT]
        assert len(waits) == 1, "asked to wait once per busy spell, not once per message"
        histories = [m for m in replies if "Recent articles" in m.text]
        assert len(histories) == len(commands), "every queued command is answered"
        brief = next(m for m in replies if "Summary" in m.text)
        assert all(h.message_id > brief.message_id for h in histories), "in the order they were sent"
        assert all(ARTICLE_TITLE in h.text for h in histories)
        assert harness.application.update_processor.backlog(CHAT) == 0
