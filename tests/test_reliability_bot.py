"""Issue 12, the bot's rows: each test drives the real Application on the local Bot API server (which refuses
invalid HTML and over-long messages as Telegram does), with a real SQLite file and the real NLP pool.

Each test names the row of issue 12 it pins down and failed before its fix."""

from __future__ import annotations

from bot.local_api import BotMessage
from tests.bot_support import *  # noqa: F403 - fixtures: article_server, bot_nlp_pool, harness
from tests.bot_support import ArticleServer, BotHarness, article_html
from tests.feeds_support import STRIKE_A, TALKS, FeedSite, Item, Route, rss

CHAT = 1
APOLOGY = "Sorry, something went wrong"


def texts(messages: list[BotMessage]) -> str:
    return "\n".join(m.text for m in messages)


def refused(harness: BotHarness) -> list[object]:
    return [call for call in harness.api.calls() if call.status != 200]


# ---- row 3: a feed item with a ~2.7k-character link ----------------------------------------------------


async def test_row3_digest_with_a_huge_feed_link_is_sent(harness: BotHarness) -> None:
    # pack_blocks raised on the story block (the link's href and its escaping): every digest of the chat
    # failed, every minute, for good.
    long_link = "https://wire.example/story?" + "&".join(f"p{i}=v" for i in range(400))  # ~2.7k characters
    assert 2600 < len(long_link) < 2900
    async with FeedSite() as site:
        site.routes["/wire.xml"] = Route(
            rss(
                "Wire Service",
                [
                    Item("Missiles hit Kharkiv power plant, seven killed", long_link, "w1", STRIKE_A),
                    Item("Prisoner exchange talks resume in Istanbul", "https://wire.example/t", "w2", TALKS),
                ],
            )
        )
        [followed] = await harness.send(CHAT, f"/subscribe {site.url('/wire.xml')}")
        assert "Following Wire Service" in followed.text
        digest = await harness.send(CHAT, "/digest now")
    shown = texts(digest)
    assert shown.startswith("Digest") and "Kharkiv" in shown and "Istanbul" in shown
    assert APOLOGY not in shown
    assert harness.errors == [] and refused(harness) == []


# ---- row 7: a link whose escaped href passes 4,096 characters ------------------------------------------


async def test_row7_link_with_a_huge_escaped_href_is_briefed(
    harness: BotHarness, article_server: ArticleServer
) -> None:
    # chunk() raised ValueError on the source line; the placeholder was never edited and a resend failed
    # the same way. Every "&" of the query grows to "&amp;" in the href and again in the label.
    url = article_server.add("/long", article_html()) + "?" + "&".join(f"k{i}=1" for i in range(450))
    assert len(url) < 4096 < len(url.replace("&", "&amp;"))
    first = await harness.send(CHAT, url)
    assert "Summary" in texts(first) and "Zarichne" in texts(first), texts(first)
    again = await harness.send(CHAT, url)  # the repeat, answered from storage, renders the same way
    assert "Already in this chat's history" in texts(again)
    assert APOLOGY not in texts(first + again)
    assert harness.errors == [] and refused(harness) == []
    # whatever was sent first (a placeholder, if the work was slow) now holds the answer, never "Reading…"
    assert not any(m.text.startswith("Reading") for m in harness.api.messages(CHAT))


# ---- row 8: /settings timezone with a folder of the tz database or a huge name -------------------------


async def test_row8_timezone_folders_and_huge_names_get_a_clear_reply(harness: BotHarness) -> None:
    # ZoneInfo("Europe") raised IsADirectoryError and a 300-character name OSError, out of the handler.
    for name in ("Europe", "Etc", "America/Argentina", "A" * 300, "Europe/" + "x" * 300, "../../etc/passwd"):
        [reply] = await harness.send(CHAT, f"/settings timezone {name}")
        assert "is not a valid timezone" in reply.text, (name, reply.text)
        assert len(reply.text) < 1000
    [saved] = await harness.send(CHAT, "/settings timezone America/Argentina/Buenos_Aires")
    assert saved.text.startswith("Saved") and "America/Argentina/Buenos_Aires" in saved.text
    assert harness.errors == [] and refused(harness) == []
