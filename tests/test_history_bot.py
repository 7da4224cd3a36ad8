"""/history and the times in messages, through the real Application on the local Bot API server: one
name for an untitled paste, the chat's own time zone, published dates, and sent articles kept apart
from feed stories."""

from __future__ import annotations

from datetime import UTC, datetime

from storage import ArticleSource
from tests.bot_support import *  # noqa: F403 - the fixtures (bot_nlp_pool, harness)
from tests.bot_support import BotHarness

CHAT = 11
# Written for this test (an invented event); it has no title line, so its first sentence names it.
UNTITLED = (
    "Shelling cut the water supply to the eastern districts of the town for the third day on Sunday, the "
    "utility company said in a statement.\n"
    "Engineers could not reach the damaged pumping station near the river because the shelling continued "
    "through the afternoon, the company added.\n"
    "About 9,000 households have been without running water since Friday, and volunteers are delivering "
    "bottled water to elderly residents, the mayor said.\n"
)
FEED_TEXT = (
    "Talks on a prisoner exchange resumed in Istanbul on Friday, mediators said after the first session.\n"
    "The delegations discussed a list of 150 names on each side and the route of the buses, they said.\n"
    "A second round is expected next week if the first exchange goes ahead as planned, officials added.\n"
)


async def test_history_names_times_dates_and_sections(harness: BotHarness) -> None:
    [zone] = await harness.send(CHAT, "/settings timezone America/New_York")
    assert "America/New_York" in zone.text
    first = await harness.send(CHAT, UNTITLED)
    name = "Shelling cut the water supply to the eastern districts of the town for the…"
    assert first[0].text.startswith(name), first[0].text
    again = await harness.send(CHAT, UNTITLED)
    notice = again[0].text.splitlines()[0]
    assert notice.startswith("Already in this chat's history (received ")
    assert ("EST)" in notice or "EDT)" in notice) and "UTC" not in notice, notice

    # A feed story, stored as the poller stores one, with the date its feed gave.
    brief = await harness.services.nlp.brief_text(
        FEED_TEXT,
        title="Prisoner exchange talks resume",
        url="https://wire.example/t",
        published="2024-03-01",
    )
    received = datetime(2024, 3, 2, 3, 30, tzinfo=UTC)  # 1 March in New York
    await harness.services.db.articles.add(CHAT, ArticleSource("feed", received), brief)

    [listing] = await harness.send(CHAT, "/history")
    text = listing.text
    assert "Sent to this chat (1)" in text and "From your feeds (1)" in text
    assert text.index("Sent to this chat") < text.index(name) < text.index("From your feeds")
    assert "(untitled)" not in text
    assert "Prisoner exchange talks resume — wire.example · published 2024-03-01, received 2024-03-01" in text

    [mine] = await harness.send(CHAT, "/history mine")
    assert name in mine.text and "Prisoner exchange" not in mine.text
    [feeds] = await harness.send(CHAT, "/history feeds 5")
    assert "Prisoner exchange" in feeds.text and name not in feeds.text
    [wrong] = await harness.send(CHAT, "/history everything")
    assert "/history mine" in wrong.text
    assert harness.errors == []
