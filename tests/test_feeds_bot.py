"""Feeds and digests through the real Application on the local Bot API server, with a loopback feed site.

Time is the test's (`application.bot_data[CLOCK]`): the scheduled path runs the real JobQueue jobs with
`job.run(application)` at chosen instants instead of waiting for them.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.app import HANDLER_MODULES, build_application, running
from bot.local_api import LocalBotApi
from bot.nlp_pool import NlpPool
from bot.schedule import CLOCK, DUE_JOB, POLL_JOB
from storage import MAX_FEEDS_PER_CHAT
from storage.feed_queries import FeedQueries
from tests.bot_support import *  # noqa: F403 - the fixtures (bot_nlp_pool)
from tests.bot_support import TOKEN, BotHarness, bot_test_settings
from tests.conftest import REPO
from tests.feeds_support import (
    GRAIN,
    STRIKE_A,
    STRIKE_B,
    TALKS,
    FeedSite,
    Item,
    Route,
    TestClock,
    article_page,
    atom,
    rss,
)

KYIV = ZoneInfo("Europe/Kyiv")
MODULES = tuple(dict.fromkeys((*HANDLER_MODULES, "bot.handlers.feeds")))
CHAT = 5


@contextlib.asynccontextmanager
async def feed_bot(tmp_path: Path, nlp: NlpPool, clock: TestClock) -> AsyncIterator[BotHarness]:
    async with LocalBotApi(token=TOKEN) as api:
        api.add_chat(CHAT)  # Telegram knows the chat from before a restart
        settings = bot_test_settings(tmp_path, base_url=api.base_url)
        application = build_application(settings, nlp=nlp, modules=MODULES)
        application.bot_data[CLOCK] = clock
        harness = BotHarness(api, application, settings)

        async def record(update: object, context: object) -> None:
            harness.errors.append(context.error)  # type: ignore[attr-defined]

        application.add_error_handler(record)
        async with running(application):
            await harness.idle()
            yield harness
            await harness.idle()


async def run_job(harness: BotHarness, name: str) -> None:
    [job] = harness.application.job_queue.get_jobs_by_name(name)
    await job.run(harness.application)
    await harness.idle()


@pytest.fixture
async def site() -> AsyncIterator[FeedSite]:
    async with FeedSite() as running_site:
        running_site.routes["/wire.xml"] = Route(
            rss(
                "Wire Service",
                [
                    Item(
                        "Missiles hit Kharkiv power plant, seven killed",
                        "https://wire.example/k",
                        "w1",
                        STRIKE_A,
                    ),
                    Item("Prisoner exchange talks resume in Istanbul", "https://wire.example/t", "w2", TALKS),
                ],
            )
        )
        running_site.routes["/story/strike"] = Route(
            article_page("Seven dead as Russian missiles strike Kharkiv power plant", STRIKE_B).encode(),
            content_type="text/html; charset=utf-8",
        )
        running_site.routes["/daily.atom"] = Route(
            atom(
                "Daily Paper",
                [
                    Item(
                        "Seven dead as Russian missiles strike Kharkiv power plant",
                        running_site.url("/story/strike"),
                        "d1",
                        "Seven people were killed in Kharkiv.",
                    ),
                    Item(
                        "First grain ship leaves Odesa since drone attacks",
                        "https://daily.example/g",
                        "d2",
                        GRAIN,
                    ),
                ],
            ),
            content_type="application/atom+xml",
        )
        running_site.routes["/"] = Route(
            b"<!doctype html><html><head><title>Daily Paper</title>"
            b'<link rel="alternate" type="application/atom+xml" href="/daily.atom"></head><body>News</body></html>',
            content_type="text/html",
        )
        yield running_site


async def test_subscribe_feeds_and_digest_now(
    tmp_path: Path,
    bot_nlp_pool: NlpPool,
    site: FeedSite,
) -> None:
    clock = TestClock(datetime(2024, 3, 5, 7, 0, tzinfo=UTC))
    async with feed_bot(tmp_path, bot_nlp_pool, clock) as bot:
        [first] = await bot.send(CHAT, f"/subscribe {site.url('/wire.xml')}")
        assert "Following Wire Service" in first.text and "2 of the newest briefed" in first.text
        [second] = await bot.send(CHAT, f"/subscribe {site.url('/')} -football")  # the site: autodiscovery
        assert "Following Daily Paper" in second.text and site.url("/daily.atom") in second.text
        assert "Filters: -football" in second.text
        assert site.requests["/story/strike"] == 1  # the teaser's article was fetched and briefed

        [listing] = await bot.send(CHAT, "/feeds")
        assert "1. Wire Service" in listing.text and "2. Daily Paper" in listing.text
        assert "Last fetch: 05 Mar 09:00 · 2 items" in listing.text  # local time of the chat (Kyiv, UTC+2)

        clock.advance(hours=1)
        replies = await bot.send(CHAT, "/digest now")
        text = "\n".join(reply.text for reply in replies)
        assert text.startswith("Digest") and "3 stories from 2 sources, 4 articles" in text
        top = text.split("\n\n")[1]
        assert "Kharkiv" in top and "also reported by" in top  # one story, both feeds
        assert "Key figure:" in top and "per " in top
        assert "Figures of the day" in text
        assert all(len(reply.raw_text) <= 4096 for reply in replies)
        # /digest now is on demand: no daily record, nothing changes for the schedule
        assert await bot.services.db.digests.last_sent_at(CHAT) is None
        assert bot.errors == []


async def test_unsubscribe_limits_and_bad_input(
    tmp_path: Path,
    bot_nlp_pool: NlpPool,
    site: FeedSite,
) -> None:
    clock = TestClock(datetime(2024, 3, 5, 7, 0, tzinfo=UTC))
    site.routes["/empty.xml"] = Route(rss("Empty", []))
    site.routes["/broken.xml"] = Route(b"<rss><channel><title>x", content_type="application/rss+xml")
    async with feed_bot(tmp_path, bot_nlp_pool, clock) as bot:
        [bad_word] = await bot.send(CHAT, f"/subscribe {site.url('/empty.xml')} +kh.*")
        assert "not a plain word" in bad_word.text
        [not_feed] = await bot.send(CHAT, f"/subscribe {site.url('/story/strike')}")
        assert "I could not follow that feed" in not_feed.text and "does not announce" in not_feed.text
        [missing] = await bot.send(CHAT, f"/subscribe {site.url('/nothing.xml')}")
        assert "404" in missing.text

        for i in range(MAX_FEEDS_PER_CHAT):
            await bot.services.db.feeds.subscribe(CHAT, site.url(f"/empty.xml?n={i}"))
        [limit] = await bot.send(CHAT, f"/subscribe {site.url('/empty.xml')}")
        assert f"already follows {MAX_FEEDS_PER_CHAT} feeds" in limit.text and "/unsubscribe" in limit.text

        [by_number] = await bot.send(CHAT, "/unsubscribe 1")
        assert "Stopped following" in by_number.text
        [by_url] = await bot.send(CHAT, f"/unsubscribe {site.url('/empty.xml?n=5')}")
        assert "Stopped following" in by_url.text
        [unknown] = await bot.send(CHAT, "/unsubscribe 99")
        assert "no feed number 99" in unknown.text
        assert len(await bot.services.db.feeds.subscriptions(CHAT)) == MAX_FEEDS_PER_CHAT - 2

        # An error during polling is shown in /feeds
        await bot.send(CHAT, f"/subscribe {site.url('/empty.xml')}")
        site.routes["/empty.xml"] = Route(b"oops", status=500)
        await run_job(bot, POLL_JOB)
        [listing, *rest] = await bot.send(CHAT, "/feeds")
        assert "Last error (1 in a row): the site answered HTTP 500" in "\n".join(
            m.text for m in [listing, *rest]
        )
        assert bot.errors == []


async def subscribe_with_settings(bot: BotHarness, site: FeedSite) -> None:
    await bot.send(CHAT, "/settings timezone Europe/Kyiv")
    [reply] = await bot.send(CHAT, "/digest 08:00")
    assert "Daily digest at 08:00, Europe/Kyiv time" in reply.text
    await bot.send(CHAT, f"/subscribe {site.url('/wire.xml')}")


def digest_messages(bot: BotHarness) -> list[str]:
    return [m.text for m in bot.api.messages(CHAT) if m.text.startswith("Digest")]


@pytest.mark.parametrize(
    ("before", "day_one", "day_two"),
    [
        # last Sunday of March 2024: 08:00 is 06:00 UTC on Saturday (EET) and 05:00 UTC on Sunday (EEST)
        (
            datetime(2024, 3, 29, 12, 0, tzinfo=UTC),
            datetime(2024, 3, 30, 6, 0, tzinfo=UTC),
            datetime(2024, 3, 31, 5, 0, tzinfo=UTC),
        ),
        # last Sunday of October 2024: 05:00 UTC on Saturday (EEST), 06:00 UTC on Sunday (EET)
        (
            datetime(2024, 10, 25, 12, 0, tzinfo=UTC),
            datetime(2024, 10, 26, 5, 0, tzinfo=UTC),
            datetime(2024, 10, 27, 6, 0, tzinfo=UTC),
        ),
    ],
)
async def test_daily_digest_at_local_time_across_dst(
    tmp_path: Path,
    bot_nlp_pool: NlpPool,
    site: FeedSite,
    before: datetime,
    day_one: datetime,
    day_two: datetime,
) -> None:
    clock = TestClock(before)
    async with feed_bot(tmp_path, bot_nlp_pool, clock) as bot:
        await subscribe_with_settings(bot, site)
        for moment, expected in [
            (day_one - timedelta(minutes=1), 0),
            (day_one, 1),
            (day_one + timedelta(minutes=1), 1),  # the next check: already sent today
            (day_two - timedelta(minutes=1), 1),
            (day_two, 2),
            (day_two + timedelta(hours=3), 2),
        ]:
            clock.now = moment
            await run_job(bot, DUE_JOB)
            assert len(digest_messages(bot)) == expected, moment
        db = bot.services.db
        for moment in (day_one, day_two):
            local = moment.astimezone(KYIV)
            assert local.hour == 8 and local.minute == 0
            record = await db.digests.get(CHAT, local.date())
            assert record is not None and record.sent_at == moment and len(record.message_ids) == 1
        first, second = digest_messages(bot)
        assert "Kharkiv" in first and "Istanbul" in first
        assert "No new stories" in second  # nothing repeated: day two covers only what came after day one
        assert bot.errors == []


async def test_new_items_between_digests_and_changed_time(
    tmp_path: Path,
    bot_nlp_pool: NlpPool,
    site: FeedSite,
) -> None:
    clock = TestClock(datetime(2024, 3, 5, 4, 0, tzinfo=UTC))
    async with feed_bot(tmp_path, bot_nlp_pool, clock) as bot:
        await subscribe_with_settings(bot, site)
        clock.now = datetime(2024, 3, 5, 6, 0, tzinfo=UTC)  # 08:00 in Kyiv
        await run_job(bot, DUE_JOB)
        assert len(digest_messages(bot)) == 1
        # A new item arrives in the afternoon; the poll job files it
        site.routes["/wire.xml"] = Route(
            rss(
                "Wire Service",
                [
                    Item(
                        "First grain ship leaves Odesa since drone attacks",
                        "https://wire.example/g",
                        "w3",
                        GRAIN,
                    )
                ],
            )
        )
        clock.now = datetime(2024, 3, 5, 13, 0, tzinfo=UTC)
        await run_job(bot, POLL_JOB)
        # Changing the time to 10:00 at 15:00 local does not send a second digest today...
        await bot.send(CHAT, "/digest 10:00")
        await run_job(bot, DUE_JOB)
        assert len(digest_messages(bot)) == 1
        # ...and tomorrow's comes at 10:00 with only the new story
        clock.now = datetime(2024, 3, 6, 7, 59, tzinfo=UTC)
        await run_job(bot, DUE_JOB)
        assert len(digest_messages(bot)) == 1
        clock.now = datetime(2024, 3, 6, 8, 0, tzinfo=UTC)
        await run_job(bot, DUE_JOB)
        digests = digest_messages(bot)
        assert len(digests) == 2 and "Odesa" in digests[1] and "Kharkiv" not in digests[1]
        [off] = await bot.send(CHAT, "/digest off")
        assert "off" in off.text
        clock.now = datetime(2024, 3, 7, 8, 0, tzinfo=UTC)
        await run_job(bot, DUE_JOB)
        assert len(digest_messages(bot)) == 2
        assert bot.errors == []


async def test_missed_digest_is_sent_once_on_start_never_twice(
    tmp_path: Path,
    bot_nlp_pool: NlpPool,
    site: FeedSite,
) -> None:
    clock = TestClock(datetime(2024, 3, 5, 4, 0, tzinfo=UTC))
    async with feed_bot(tmp_path, bot_nlp_pool, clock) as bot:
        await subscribe_with_settings(bot, site)
    clock.now = datetime(2024, 3, 5, 9, 30, tzinfo=UTC)  # the bot was down at 08:00 Kyiv (06:00 UTC)
    async with feed_bot(tmp_path, bot_nlp_pool, clock) as bot:
        await bot.api.wait_until(lambda: bool(digest_messages(bot)), timeout=10)  # sent by the start job
        await run_job(bot, DUE_JOB)  # the regular checks after it send nothing more
        await run_job(bot, DUE_JOB)
        [digest] = digest_messages(bot)
        assert "Kharkiv" in digest
        record = await bot.services.db.digests.get(CHAT, datetime(2024, 3, 5).date())
        assert record is not None and record.sent_at == clock.now and len(record.message_ids) == 1
    # Every later start (each with a fresh Bot API server, so any message seen is a new one) sends nothing.
    for _restart in range(2):
        clock.advance(minutes=30)
        async with feed_bot(tmp_path, bot_nlp_pool, clock) as bot:
            await asyncio.sleep(0.3)  # give the start job its chance to (wrongly) send
            await run_job(bot, DUE_JOB)
            assert digest_messages(bot) == []
            assert (await FeedQueries(bot.services.db).overview(CHAT))[0].items == 2


async def test_console_subscribe_and_digest_now(tmp_path: Path, site: FeedSite) -> None:
    if "bot.handlers.feeds" not in HANDLER_MODULES:
        pytest.skip("bot.handlers.feeds is not in bot.app.HANDLER_MODULES yet (the lead wires it in)")
    env = {
        **os.environ,
        "NLP_WORKERS": "1",
        "TELEGRAM_BOT_TOKEN": "",
        "LOG_LEVEL": "WARNING",
        "FETCH_ALLOW_LOOPBACK": "1",
    }
    script = f"/subscribe {site.url('/wire.xml')}\n---\n/subscribe {site.url('/')}\n---\n/digest now\n"
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "--console", "--db", str(tmp_path / "console.sqlite3"),
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        cwd=REPO, env=env,
    )  # fmt: skip
    stdout, stderr = await asyncio.wait_for(process.communicate(script.encode()), timeout=120)
    assert process.returncode == 0, stderr.decode()[-2000:]
    blocks = stdout.decode().split("\n---\n")
    assert "Following Wire Service" in blocks[0] and "Following Daily Paper" in blocks[1]
    digest = blocks[2]
    assert digest.startswith("Digest") and "also reported by" in digest and "Figures of the day" in digest
    assert "<b>" not in digest


async def test_concurrent_checks_send_once_and_a_failed_send_is_retried(
    tmp_path: Path, bot_nlp_pool: NlpPool, site: FeedSite
) -> None:
    clock = TestClock(datetime(2024, 3, 5, 4, 0, tzinfo=UTC))
    async with feed_bot(tmp_path, bot_nlp_pool, clock) as bot:
        await subscribe_with_settings(bot, site)
        other = CHAT + 1  # a chat the Bot API does not know (the bot was removed): sending fails
        await bot.services.db.chats.update(
            other, timezone="Europe/Kyiv", digest_time="08:00", digest_enabled=True
        )
        await bot.services.db.feeds.subscribe(other, site.url("/wire.xml"))
        clock.now = datetime(2024, 3, 5, 6, 0, tzinfo=UTC)
        [job] = bot.application.job_queue.get_jobs_by_name(DUE_JOB)
        await asyncio.gather(*(job.run(bot.application) for _ in range(3)))
        await bot.idle()
        assert len(digest_messages(bot)) == 1
        day = datetime(2024, 3, 5).date()
        assert await bot.services.db.digests.get(other, day) is None  # nothing sent: the claim was released
        bot.api.add_chat(other)
        clock.advance(minutes=1)
        await run_job(bot, DUE_JOB)
        assert [m.text[:6] for m in bot.api.messages(other)] == ["Digest"]
        record = await bot.services.db.digests.get(other, day)
        assert record is not None and len(record.message_ids) == 1
