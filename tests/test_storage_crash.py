"""Crash safety and concurrency on a real SQLite file and a real PostgreSQL database: SIGKILLed writers
lose no committed row and leave a sound database; 200 concurrent tasks never see "database is locked"
and lose nothing."""

from __future__ import annotations

import asyncio
import os
import random
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from storage import ArticleSource, open_database
from tests.storage_crash_writer import crash_brief
from tests.storage_support import at, make_brief

REPO = Path(__file__).resolve().parent.parent
KILLS = 20


def _run_and_kill(path: Path | str, first: int, rng: random.Random) -> list[str]:
    """Start a writer, SIGKILL it at a random moment, return the complete lines it printed."""
    writer = subprocess.Popen(
        [sys.executable, "-m", "tests.storage_crash_writer", str(path), str(first)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert writer.stdout is not None
    if rng.random() < 0.2:
        time.sleep(rng.uniform(0.0, 0.4))  # anywhere from start-up (opening, migrating) on
    else:
        assert writer.stdout.readline() == b"ready\n"
        time.sleep(rng.uniform(0.0, 0.25))  # mid-stream
    writer.send_signal(signal.SIGKILL)
    output = writer.stdout.read()
    writer.wait()
    assert writer.returncode == -signal.SIGKILL
    lines = output.decode().split("\n")
    return lines[:-1]  # the last piece has no newline: written (or not) as the kill hit


async def test_sigkilled_writers_lose_no_committed_row(backend):
    path = backend.target("crash.db")
    rng = random.Random(int(os.environ.get("STORAGE_CRASH_SEED", time.time_ns())))
    committed: list[str] = []
    for kill in range(KILLS):
        committed += [line for line in _run_and_kill(path, kill * 100_000, rng) if line != "ready"]
    articles = [line.split() for line in committed if line.startswith("article ")]
    assert len(articles) >= KILLS, f"the writers committed too little to test ({len(committed)} rows)"

    async with open_database(path) as db:
        report = await db.check_integrity()
        assert report.ok, report.problems
        for _, chat, article_id, index in articles:
            stored = await db.articles.get(int(chat), int(article_id))
            assert stored is not None, f"committed article {article_id} of chat {chat} is gone"
            assert stored.brief == crash_brief(int(index))
        for line in committed:
            kind, chat, key = line.split()[:3]
            if kind == "digest":
                assert await db.digests.has(int(chat), date.fromisoformat(key)), line
            elif kind == "feed":
                assert key in {s.url for s in await db.feeds.subscriptions(int(chat))}, line
        last_chat, last_id, last_index = articles[-1][1:]
        hits = await db.search.sentences(int(last_chat), f"Depot {last_index}", match_all=True)
        assert int(last_id) in {hit.article_id for hit in hits}
        assert await backend.index_matches_content(db)


async def test_200_concurrent_tasks_never_see_locked_and_lose_nothing(backend):
    path = backend.target("busy.db")
    # Two Database objects on one database: their writers contend in the engine (SQLite's file lock,
    # PostgreSQL's advisory lock), not only in our in-process lock.
    async with open_database(path) as first, open_database(path) as second:
        dbs = (first, second)

        async def task(n: int) -> tuple[int, int]:
            db = dbs[n % 2]
            chat = n % 10
            brief = make_brief([f"Dispatch {n} from the northern sector.", f"Unit {n} reported contact."])
            result = await db.articles.add(chat, ArticleSource("text", at(n)), brief)
            assert not result.is_repeat
            assert result.article_id in {e.id for e in await db.articles.recent(chat, limit=1000)}
            assert await db.search.sentences(chat, f"Dispatch {n}", match_all=True)
            if n % 4 == 0:
                await db.digests.record(chat, date(2024, 1, 1 + n % 28), sent_at=at(n))
            if n % 5 == 0:
                await db.feeds.subscribe(chat, f"https://feed{n % 7}.example.org/rss")
            await db.facts.figures(chat)
            await db.export_chat(chat) if n % 50 == 0 else None
            return chat, result.article_id

        results = await asyncio.gather(*(task(n) for n in range(200)), return_exceptions=True)
        errors = [r for r in results if isinstance(r, BaseException)]
        assert errors == [], errors[:3]
        for chat in range(10):
            stored = {article_id for c, article_id in results if c == chat}  # type: ignore[misc]
            assert len(stored) == 20
            assert {e.id for e in await first.articles.recent(chat, limit=1000)} == stored
            assert await second.articles.count(chat) == 20
        assert (await first.check_integrity()).ok
        assert await backend.index_matches_content(first)


async def test_cancelled_writes_leave_whole_articles_or_nothing(backend):
    """A task cancelled mid-transaction (a timeout, a shutdown) rolls back and frees the writer."""
    async with open_database(backend.target("cancel.db")) as db:
        rng = random.Random(3)
        finished: set[int] = set()
        cancelled = 0
        for n in range(60):
            brief = make_brief([f"Bulletin {n} opens.", f"Bulletin {n} has a middle.", f"Bulletin {n} ends."])
            task = asyncio.create_task(db.articles.add(1, ArticleSource("text", at(n)), brief))
            await asyncio.sleep(rng.uniform(0, 0.003))
            task.cancel()
            try:
                finished.add((await task).article_id)
            except asyncio.CancelledError:
                cancelled += 1
        stored = {entry.id for entry in await db.articles.recent(1, limit=1000)}
        assert cancelled > 0 and len(stored) < 60, "no write was cut short: the test tested nothing"
        assert finished <= stored  # a commit that returned is kept
        for article_id in stored:
            article = await db.articles.get(1, article_id)
            assert article is not None and len(article.brief.sentence_spans) == 3
            assert len(await db.search.sentences(1, article.brief.sentence_texts()[1], match_all=True)) >= 1
        assert (
            await db.articles.add(1, ArticleSource("text", at(99)), make_brief(["After the storm."]))
        ).article_id
        assert (await db.check_integrity()).ok
        assert await backend.index_matches_content(db)
