"""Issue 12, nothing lost: an update the bot had acknowledged but not finished when its run died is
handled by the next start (bot/inbox.py), through the real Application, the local Bot API and a real
SQLite file. The dead run is played by seeding the file with what it had recorded (its inbox and outbox
rows) and taking its updates off the local API as if it had fetched and acknowledged them.
"""

from __future__ import annotations

from bot.app import INBOX_KEY
from bot.inbox import MAX_TRIES, SET_ASIDE
from bot.local_api import LocalBotApi
from storage import open_database
from storage.clock import utc_now
from tests.bot_support import *  # noqa: F403 - fixtures: bot_nlp_pool
from tests.bot_support import ARTICLE_TEXT, TOKEN, make_harness, unhandled_updates

CHAT = 5
STALE = "Reading the text…"
BRIEFED = "Key figures"  # a section of every brief of the test article


def _send(text: str) -> dict[str, object]:
    return {"chat_id": CHAT, "text": text}


async def test_an_update_a_dead_run_acknowledged_is_answered_at_the_next_start(tmp_path, bot_nlp_pool):
    path = tmp_path / "bot.sqlite3"
    async with LocalBotApi(token=TOKEN) as api:
        api.add_chat(CHAT)
        await api.push_text(CHAT, "/help")
        await api.push_text(CHAT, ARTICLE_TEXT)
        helped, article = api.take_updates()  # fetched and acknowledged by the dead run
        async with open_database(path) as db:  # what the dead run had recorded
            now = utc_now()
            await db.inbox.record(helped["update_id"], CHAT, helped, owner="dead", at=now)
            await db.inbox.done(helped["update_id"], at=now)
            await db.inbox.record(article["update_id"], CHAT, article, owner="dead", at=now)
            # Its answer to /help was still being retried; its placeholder for the article too.
            await db.outbox.add(CHAT, "sendMessage", _send("help, left"), owner="dead", at=now, update_id=1)
            await db.outbox.add(
                CHAT, "sendMessage", _send(STALE), owner="dead", at=now, update_id=article["update_id"]
            )
        async with make_harness(tmp_path, bot_nlp_pool, api=api) as harness:
            await api.wait_until(lambda: any(BRIEFED in m.text for m in api.messages(CHAT)), timeout=60)
            await harness.idle()
            inbox = harness.application.bot_data[INBOX_KEY]
            assert (inbox.replayed, inbox.duplicates) == (1, 0)
        shown = [m.text for m in api.messages(CHAT)]
    assert shown[0] == "help, left"  # the left reply first, then the update handled again
    assert len(shown) == 2 and BRIEFED in shown[1] and "Marchenko" in shown[1]
    assert STALE not in shown  # the dead run's unsent placeholder was dropped, not sent
    assert unhandled_updates(path) == []


async def test_a_second_delivery_of_a_recorded_update_is_answered_once(tmp_path, bot_nlp_pool):
    """The dead run recorded the update but died before acknowledging it: Telegram delivers it again
    and the inbox hands it over too; the chat gets one brief."""
    path = tmp_path / "bot.sqlite3"
    async with LocalBotApi(token=TOKEN) as api:
        api.add_chat(CHAT)
        await api.push_text(CHAT, ARTICLE_TEXT)
        (article,) = api.pending_updates()  # still pending at Telegram: it will be delivered again
        async with open_database(path) as db:
            await db.inbox.record(article["update_id"], CHAT, article, owner="dead", at=utc_now())
        assert api.pending_update_count == 1
        async with make_harness(tmp_path, bot_nlp_pool, api=api) as harness:
            await api.wait_until(lambda: any(BRIEFED in m.text for m in api.messages(CHAT)), timeout=60)
            await harness.idle()
            inbox = harness.application.bot_data[INBOX_KEY]
            assert (inbox.replayed, inbox.duplicates) == (1, 1)
        briefs = [m.text for m in api.messages(CHAT) if BRIEFED in m.text]
    assert len(briefs) == 1 and "Already in this chat" not in briefs[0]
    assert unhandled_updates(path) == []


async def test_an_update_that_stopped_the_bot_too_often_is_set_aside_with_a_word(tmp_path, bot_nlp_pool):
    path = tmp_path / "bot.sqlite3"
    async with LocalBotApi(token=TOKEN) as api:
        api.add_chat(CHAT)
        await api.push_text(CHAT, ARTICLE_TEXT)
        (article,) = api.take_updates()
        async with open_database(path) as db:
            await db.inbox.record(article["update_id"], CHAT, article, owner="dead", at=utc_now())
            for run in range(MAX_TRIES):  # each earlier start took it over and died on it
                await db.inbox.take_over(owner=f"start{run}")
        async with make_harness(tmp_path, bot_nlp_pool, api=api) as harness:
            await api.wait_until(lambda: bool(api.messages(CHAT)), timeout=60)
            await harness.idle()
            assert harness.application.bot_data[INBOX_KEY].replayed == 0
        shown = [m.text for m in api.messages(CHAT)]
    assert shown == [SET_ASIDE]
    assert unhandled_updates(path) == []
