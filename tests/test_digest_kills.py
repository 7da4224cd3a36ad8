"""Issue 12 row 4: a scheduled digest is delivered at least once however the process dies.

The real bot (`python -m bot`) runs as a subprocess against the local Bot API server of this test, with a
real SQLite file. The server SIGKILLs it at each step of sending a digest of several messages: after the claim
but before Telegram has the first message; after Telegram has a message but before the bot could record
it; between two messages; after the day was marked sent. Each restart must finish what the last one left,
and the last must send nothing. Before the fix the day was lost at the first kill (the claim stayed, the
catch-up skipped the day, and the next window started after it).
"""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.local_api import ApiError, LocalBotApi, _Params
from storage import ArticleSource, open_database
from tests.bot_support import TOKEN, spawn_bot, stop_process
from tests.storage_support import make_brief

CHAT = 7
# Five starts of the real bot (each spawns an NLP worker that loads spaCy): generous on a loaded machine,
# where one start has taken over a minute.
START_TIMEOUT_S = 240
PLACES = ("Avdiivka", "Bakhmut", "Chasiv", "Dnipro", "Enerhodar", "Fastiv", "Horlivka", "Izium", "Kupiansk",
          "Lyman")  # fmt: skip


def _story(i: int) -> tuple[str, list[str]]:
    place = PLACES[i]
    words = " ".join(f"{place.lower()}{k}" for k in range(60))  # words no other story shares
    title = f"{place} report number {i}: {place.lower()}alpha {place.lower()}beta"
    return title, [f"Officials in {place} said on Monday that {words}.", f"More from {place} followed."]


async def _seed(path: Path, now: datetime) -> None:
    async with open_database(path, default_timezone="UTC") as db:
        await db.chats.update(CHAT, timezone="UTC", digest_time="00:00", digest_enabled=True)
        for i in range(len(PLACES)):
            title, sentences = _story(i)
            url = f"https://wire.example/{i}"
            await db.articles.add(
                CHAT,
                ArticleSource(kind="feed", received_at=now - timedelta(minutes=30 + i), url=url),
                make_brief(sentences, title=title, url=url),
            )


def _digest_row(path: Path) -> tuple[str, int] | None:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
    try:
        row = conn.execute(
            "SELECT state, json_array_length(message_ids) FROM digests WHERE chat_id = ?", (CHAT,)
        ).fetchone()
    finally:
        conn.close()
    return None if row is None else (row[0], row[1])


class KillingServer:
    """Runs the bot and kills it at the chosen step of its next digest send."""

    def __init__(self, api: LocalBotApi, tmp_path: Path) -> None:
        self.api = api
        self.tmp_path = tmp_path
        self.process: asyncio.subprocess.Process | None = None
        self.kill_at: tuple[str, int] | None = None  # ("before" | "after", nth digest message of this run)
        self.seen = 0
        self.kills = 0
        api.before_call = self._before
        api.after_call = self._after

    def _is_digest(self, method: str, params: _Params) -> bool:
        return method == "sendmessage" and params.integer("chat_id") == CHAT

    def _kill(self) -> None:
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGKILL)
        self.kills += 1
        self.kill_at = None

    async def _before(self, method: str, params: _Params) -> None:
        if not self._is_digest(method, params):
            return
        self.seen += 1
        if self.kill_at == ("before", self.seen):
            self._kill()
            raise ApiError(500, "Internal Server Error")  # the process is gone; Telegram never got it

    async def _after(self, method: str, params: _Params) -> None:
        if self._is_digest(method, params) and self.kill_at == ("after", self.seen):
            self._kill()  # Telegram has the message; the bot never hears back

    async def start(self, kill_at: tuple[str, int] | None) -> None:
        self.kill_at, self.seen = kill_at, 0
        self.process = await spawn_bot(
            self.api, self.tmp_path / "bot.sqlite3", self.tmp_path / "bot.log", "WARNING"
        )

    async def wait_dead(self, timeout: float = START_TIMEOUT_S) -> None:
        assert self.process is not None
        await asyncio.wait_for(self.process.wait(), timeout)

    async def stop(self) -> None:
        await stop_process(self.process)


def _digest_texts(api: LocalBotApi) -> list[str]:
    return [m.raw_text for m in api.messages(CHAT)]


@pytest.mark.timeout(1200)
async def test_digest_is_delivered_at_least_once_through_a_kill_at_every_step(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    await _seed(path, datetime.now(UTC))
    async with LocalBotApi(token=TOKEN) as api:
        api.add_chat(CHAT)
        bot = KillingServer(api, tmp_path)
        try:
            # 1. claimed, first message not yet delivered
            await bot.start(("before", 1))
            await bot.wait_dead()
            assert _digest_row(path) == ("claimed", 0) and _digest_texts(api) == []
            # 2. first message delivered, its id never recorded
            await bot.start(("after", 1))
            await bot.wait_dead()
            assert _digest_row(path) == ("claimed", 0) and len(_digest_texts(api)) == 1
            # 3. first message recorded (sent again: at least once), killed before the second
            await bot.start(("before", 2))
            await bot.wait_dead()
            assert _digest_row(path) == ("claimed", 1) and len(_digest_texts(api)) == 2
            # 4. the rest delivered and the day marked sent; killed after that
            await bot.start(None)
            await api.wait_until(lambda: (_digest_row(path) or ("", 0))[0] == "sent", timeout=START_TIMEOUT_S)
            bot._kill()
            await bot.wait_dead()
            delivered = _digest_texts(api)
            # 5. a restart after the day was marked sent sends nothing
            commands, polls = len(api.calls("setMyCommands")), len(api.calls("getUpdates"))
            await bot.start(None)
            await api.wait_until(lambda: len(api.calls("setMyCommands")) > commands, timeout=START_TIMEOUT_S)
            await api.wait_until(lambda: len(api.calls("getUpdates")) >= polls + 2, timeout=START_TIMEOUT_S)
            await asyncio.sleep(1.0)  # the catch-up check runs at start; give it its chance to resend
            assert _digest_texts(api) == delivered
        finally:
            await bot.stop()
    state, recorded = _digest_row(path) or ("", 0)
    copies = Counter(delivered)
    assert state == "sent" and recorded == len(copies) >= 2  # a digest of several messages
    assert delivered[0].startswith("<b>Digest</b>") and all(p in "".join(copies) for p in PLACES)
    assert sorted(copies.values()) == [1] * (len(copies) - 1) + [2]  # one message twice (kill 2), no loss
    assert bot.kills == 4
