"""Issue 12, nothing lost: the real bot (`python -m bot`, a subprocess on the local Bot API and a real SQLite
file) is SIGKILLed while it works on an article it has already acknowledged to Telegram, so only its
inbox still knows the message. The next start briefs it, once. Before the inbox the message was gone:
the restarted bot never answered it.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
from pathlib import Path

import pytest

from bot.local_api import ApiError, LocalBotApi, _Params
from tests.bot_support import ARTICLE_TEXT, TOKEN, spawn_bot, stop_process

CHAT = 9
START_TIMEOUT_S = 240  # two starts of the real bot, each loading spaCy in its NLP worker
BRIEFED = "Key figures"  # a section of every brief of the test article


def _unhandled(path: Path) -> list[int]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
    try:
        return [row[0] for row in conn.execute("SELECT update_id FROM inbox WHERE done_at IS NULL")]
    except sqlite3.OperationalError:  # no such table: before the inbox existed
        return []
    finally:
        conn.close()


@pytest.mark.timeout(900)
async def test_an_article_being_briefed_when_the_bot_is_killed_is_briefed_after_restart(
    tmp_path: Path,
) -> None:
    path = tmp_path / "bot.sqlite3"
    process: asyncio.subprocess.Process | None = None
    kills = 0

    async def kill_mid_handler(method: str, params: _Params) -> None:
        nonlocal kills
        if method != "sendchataction" or params.integer("chat_id") != CHAT:
            return
        if process is None or process.returncode is not None or kills:
            return
        # The handler has begun; once Telegram has the acknowledgement, nothing but the bot knows.
        await api.wait_until(lambda: api.pending_update_count == 0, timeout=30)
        os.kill(process.pid, signal.SIGKILL)
        kills += 1
        raise ApiError(500, "Internal Server Error")

    async with LocalBotApi(token=TOKEN) as api:
        api.add_chat(CHAT)
        api.before_call = kill_mid_handler
        try:
            process = await spawn_bot(api, path, tmp_path / "bot.log", "INFO")
            await api.wait_until(lambda: bool(api.calls("setMyCommands")), timeout=START_TIMEOUT_S)
            await api.push_text(CHAT, ARTICLE_TEXT)
            await asyncio.wait_for(process.wait(), START_TIMEOUT_S)
            assert kills == 1 and api.messages(CHAT) == [] and api.pending_update_count == 0
            left = _unhandled(path)
            # Run 2: the message comes back out of the inbox.
            process = await spawn_bot(api, path, tmp_path / "bot.log", "INFO")
            await api.wait_until(
                lambda: any(BRIEFED in m.text for m in api.messages(CHAT)), timeout=START_TIMEOUT_S
            )
            polls = len(api.calls("getUpdates"))
            await api.wait_until(lambda: len(api.calls("getUpdates")) >= polls + 2, timeout=60)
            await asyncio.sleep(1.0)  # room for a wrong second copy to show
        finally:
            await stop_process(process)
    assert len(left) == 1
    briefs = [m.text for m in api.messages(CHAT) if BRIEFED in m.text]
    assert len(briefs) == 1 and "Marchenko" in briefs[0] and "Already in this chat" not in briefs[0]
    assert _unhandled(path) == []
