"""Issue 12 item 3, the durable outbox: a reply whose retries are still pending when the process dies is
sent by the next start, once, in its chat's order.

The real bot (`python -m bot`) runs as a subprocess against the local Bot API server of this test, with a
real SQLite file. The server refuses every reply of the chosen chats (500 Internal Server Error, or 429
with retry_after) and SIGKILLs the bot once each has been tried a few times and the updates have been
acknowledged (so Telegram would not deliver them again: only the outbox still knows the replies).
Run 1 dies with one reply pending in each of two chats (one 500s, one 429s). Run 2 finds them: the 429
chat's reply arrives; the 500 chat's /start, unfinished, is handled again from the inbox (bot/inbox.py)
and its reply still fails; a new command there waits behind it, and run 2 dies too. Run 3, with Telegram
well again, handles both again and sends the 500 chat's two replies in the order they were asked for.
Before the outbox the replies were only in the memory of the dead process: run 2 and run 3 sent nothing.

The durable inbox (bot/inbox.py) in the same runs: a third chat's article is mid-brief when run 1 dies
(its "typing" call held by the server, so no reply is recorded yet, and its update acknowledged). Run 2
briefs it, once. Before the inbox the restarted bot never answered it.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
from collections import Counter
from pathlib import Path

import pytest

from bot.handlers.commands import WELCOME
from bot.local_api import ApiError, LocalBotApi, _Params
from tests.bot_support import ARTICLE_TEXT, TOKEN, spawn_bot, stop_process, unhandled_updates

FIVE, TOO_MANY = 7, 8  # a chat whose replies get 500s, one whose replies get 429s
ARTICLE = 9  # a chat whose article is being briefed when run 1 dies
START_TIMEOUT_S = 240  # three starts of the real bot, each loading spaCy in its NLP worker
REPLIES = frozenset({"sendmessage", "editmessagetext"})


def _outbox(path: Path) -> list[tuple[int, str]]:
    """(chat id, method) of the outbox rows, oldest first ([] before the outbox existed)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
    try:
        return [(row[0], row[1]) for row in conn.execute("SELECT chat_id, method FROM outbox ORDER BY id")]
    except sqlite3.OperationalError:  # no such table
        return []
    finally:
        conn.close()


class StormyServer:
    """Runs the bot; refuses the replies of the chats in `faults`; kills the bot when `kill_when()` holds."""

    def __init__(self, api: LocalBotApi, tmp_path: Path) -> None:
        self.api = api
        self.path = tmp_path / "bot.sqlite3"
        self.tmp_path = tmp_path
        self.process: asyncio.subprocess.Process | None = None
        self.faults: dict[int, str] = {}
        self.refused: Counter[int] = Counter()  # this run's refused replies, by chat
        self.injected: Counter[str] = Counter()
        self.kill_when = lambda: False
        self.kills = 0
        self.hold_typing: int | None = None  # a chat whose "typing" call is held until the kill
        self._killed = asyncio.Event()
        self._commands_before = 0
        api.before_call = self._before

    async def _before(self, method: str, params: _Params) -> None:
        chat = params.integer("chat_id")
        if method == "sendchataction" and chat is not None and chat == self.hold_typing:
            await self._killed.wait()  # its handler stays mid-brief, after the acknowledgement
            raise ApiError(500, "Internal Server Error")
        fault = self.faults.get(chat or 0)
        if method not in REPLIES or fault is None:
            return
        self.refused[chat or 0] += 1
        self.injected[fault] += 1
        if self.process is not None and self.process.returncode is None and self.kill_when():
            os.kill(self.process.pid, signal.SIGKILL)
            self.kills += 1
            self._killed.set()
        if fault == "429":
            raise ApiError(429, "Too Many Requests: retry after 1", {"retry_after": 1})
        raise ApiError(500, "Internal Server Error")

    def retried_and_acknowledged(self, *chats: int, rows: int | None = None) -> bool:
        return (
            all(self.refused[chat] >= 3 for chat in chats)
            and self.api.pending_update_count == 0
            and (rows is None or len(_outbox(self.path)) == rows)
        )

    async def start(self) -> None:
        self.refused = Counter()
        self._killed = asyncio.Event()
        self._commands_before = len(self.api.calls("setMyCommands"))
        self.process = await spawn_bot(self.api, self.path, self.tmp_path / "bot.log", "INFO")

    async def started(self) -> None:
        """Until this run has set its commands (the end of its start-up)."""
        before = self._commands_before
        await self.api.wait_until(
            lambda: len(self.api.calls("setMyCommands")) > before, timeout=START_TIMEOUT_S
        )

    async def wait_dead(self) -> None:
        assert self.process is not None
        await asyncio.wait_for(self.process.wait(), START_TIMEOUT_S)

    async def stop(self) -> None:
        await stop_process(self.process)


def _texts(api: LocalBotApi, chat: int) -> list[str]:
    return [m.raw_text for m in api.messages(chat)]


def _briefs(api: LocalBotApi) -> int:
    """Briefs shown in the article chat."""
    return sum("Key figures" in m.text for m in api.messages(ARTICLE))


@pytest.mark.timeout(1200)
async def test_replies_pending_at_a_kill_arrive_after_restart_once_and_in_order(tmp_path: Path) -> None:
    async with LocalBotApi(token=TOKEN) as api:
        api.add_chat(FIVE)
        api.add_chat(TOO_MANY)
        bot = StormyServer(api, tmp_path)
        try:
            # Run 1: both replies refused, retried, and the process killed with them pending.
            # A third chat's article is mid-brief at the kill, with no reply recorded yet: only the
            # inbox knows it.
            bot.faults = {FIVE: "500", TOO_MANY: "429"}
            bot.hold_typing = ARTICLE
            bot.kill_when = lambda: bot.retried_and_acknowledged(FIVE, TOO_MANY)
            await bot.start()
            await bot.started()
            await api.push_text(FIVE, "/start")
            await api.push_text(TOO_MANY, "/start")
            article = await api.push_text(ARTICLE, ARTICLE_TEXT)
            await bot.wait_dead()
            assert bot.kills == 1 and _texts(api, FIVE) == _texts(api, TOO_MANY) == _texts(api, ARTICLE) == []
            left_by_run_1 = _outbox(bot.path)
            assert article.update_id in unhandled_updates(bot.path)
            bot.hold_typing = None
            # Run 2: the 429s are over, the 500s are not; a new command waits behind the pending reply
            # (the unfinished /start is handled again from the inbox and its reply retried in its turn).
            bot.faults = {FIVE: "500"}
            bot.kill_when = lambda: bot.retried_and_acknowledged(FIVE, rows=1)
            await bot.start()
            await api.wait_until(lambda: len(_texts(api, TOO_MANY)) == 1, timeout=START_TIMEOUT_S)
            assert left_by_run_1 == [(FIVE, "sendMessage"), (TOO_MANY, "sendMessage")]
            await api.wait_until(  # the article, handled again, is briefed and marked handled
                lambda: _briefs(api) == 1 and article.update_id not in unhandled_updates(bot.path),
                timeout=START_TIMEOUT_S,
            )
            await api.push_text(FIVE, "/settings")
            await bot.wait_dead()
            assert bot.kills == 2 and _texts(api, FIVE) == []
            assert _outbox(bot.path) == [(FIVE, "sendMessage")]
            assert len(unhandled_updates(bot.path)) == 2  # /start and /settings: both handled again in run 3
            # Run 3: Telegram is well; the left replies go out, oldest first.
            bot.faults = {}
            await bot.start()
            await api.wait_until(lambda: len(_texts(api, FIVE)) >= 2, timeout=START_TIMEOUT_S)
            await bot.started()
            polls = len(api.calls("getUpdates"))
            await api.wait_until(lambda: len(api.calls("getUpdates")) >= polls + 2, timeout=60)
            await asyncio.sleep(1.0)  # room for a wrong second copy to show
        finally:
            await bot.stop()
    assert _texts(api, TOO_MANY) == [WELCOME]
    welcome, settings = _texts(api, FIVE)
    assert welcome == WELCOME and settings.startswith("<b>Settings for this chat</b>")
    assert _briefs(api) == 1 and "Marchenko" in _texts(api, ARTICLE)[0]
    assert not any("Already in this chat" in text for text in _texts(api, ARTICLE))
    assert _outbox(bot.path) == [] and unhandled_updates(bot.path) == []
    print(f"\nkills: {bot.kills}; refused replies: {dict(bot.injected)}")
