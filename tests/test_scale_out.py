"""The scaled-out topology, run by processes: two bot processes (webhook mode, behind a round-robin
proxy standing in for the reverse proxy) on one PostgreSQL database, two arq queue workers on Redis, and
the local Bot API posting updates. Every chat is answered (briefs made on the workers), the feed and
digest jobs run in one process only (the leader lock), and each due digest is sent exactly once."""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import signal
import socket
import subprocess
import sys

import aiohttp
import asyncpg
from aiohttp import web

from bot.local_api import LocalBotApi
from storage import open_database
from storage.leader import LEADER_LOCK_KEY
from tests.backends import PostgresBackend, make_backend, require
from tests.bot_support import ARTICLE_TEXT, TOKEN
from tests.queue_support import REPO, flush, redis_db, workers

SECRET = "scale-out-secret"
DIGEST_CHATS = range(9001, 9007)
TALK_CHATS = range(9101, 9111)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RoundRobinProxy:
    """What nginx would do in front of the bots: each POST to the hook goes to the next bot process."""

    def __init__(self, backends: list[str]) -> None:
        self.backends = backends
        self.turn = itertools.cycle(range(len(backends)))
        self.served = [0] * len(backends)
        self.port = _free_port()
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None

    async def _forward(self, request: web.Request) -> web.Response:
        index = next(self.turn)
        assert self._session is not None
        body = await request.read()
        headers = {
            k: v for k, v in request.headers.items() if k.lower().startswith(("x-telegram", "content-type"))
        }
        try:
            async with self._session.post(self.backends[index], data=body, headers=headers) as response:
                status = response.status
        except aiohttp.ClientError:
            return web.Response(status=502)
        if status == 200:
            self.served[index] += 1
        return web.Response(status=status)

    async def start(self) -> RoundRobinProxy:
        self._session = aiohttp.ClientSession()
        app = web.Application()
        app.router.add_post("/hook", self._forward)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
        if self._session is not None:
            await self._session.close()


def _start_bot(api: LocalBotApi, database_url: str, queue_url: str, hook: str, port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_BASE_URL": api.base_url,
        "DATABASE_URL": database_url,
        "QUEUE_URL": queue_url,
        "TELEGRAM_WEBHOOK_URL": hook,
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
        "TELEGRAM_WEBHOOK_LISTEN": "127.0.0.1",
        "TELEGRAM_WEBHOOK_PORT": str(port),
        "FETCH_ALLOW_LOOPBACK": "1",
        "DEFAULT_TIMEZONE": "UTC",
        "LOG_LEVEL": "WARNING",
    }
    return subprocess.Popen([sys.executable, "-m", "bot"], cwd=REPO, env=env, stdout=subprocess.DEVNULL)


async def test_two_bot_processes_two_workers_one_database(tmp_path):
    queue_url = redis_db(require("redis"), 6)
    await flush(queue_url)
    backend = await make_backend("postgresql", tmp_path)
    assert isinstance(backend, PostgresBackend)
    database_url = backend.target()
    async with open_database(database_url) as db:  # chats whose digest is due as soon as a bot starts
        for chat in DIGEST_CHATS:
            await db.chats.update(chat, timezone="UTC", digest_time="00:00", digest_enabled=True)

    ports = [_free_port(), _free_port()]
    proxy = await RoundRobinProxy([f"http://127.0.0.1:{port}/hook" for port in ports]).start()
    hook = f"http://127.0.0.1:{proxy.port}/hook"
    bots: list[subprocess.Popen] = []
    try:
        with workers(queue_url, 2):
            async with LocalBotApi(token=TOKEN) as api:
                for chat in DIGEST_CHATS:
                    api.add_chat(chat)
                bots = [_start_bot(api, database_url, queue_url, hook, port) for port in ports]
                await api.wait_until(lambda: len(api.calls("setWebhook")) >= 2, timeout=120)
                # The due digests go out from the one process that holds the leader lock.
                await api.wait_until(lambda: all(api.messages(c) for c in DIGEST_CHATS), timeout=120)

                for n, chat in enumerate(TALK_CHATS):
                    await api.push_text(chat, ARTICLE_TEXT if n % 2 else "/start")
                await api.wait_until(
                    lambda: all(
                        any(
                            ("Zarichne" if (c - TALK_CHATS[0]) % 2 else "brief") in m.text
                            for m in api.messages(c)
                        )
                        for c in TALK_CHATS
                    ),
                    timeout=180,
                )
                assert all(served > 0 for served in proxy.served), proxy.served  # both bots answered chats
                assert all(bot.poll() is None for bot in bots)

                conn = await asyncpg.connect(database_url)
                try:
                    holders = await conn.fetchval(
                        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = $1 AND granted",
                        LEADER_LOCK_KEY,
                    )
                    rows = await conn.fetch("SELECT chat_id, message_ids FROM digests ORDER BY chat_id")
                finally:
                    await conn.close()
                assert holders == 1  # one scheduler across both processes
                assert [row["chat_id"] for row in rows] == list(DIGEST_CHATS)  # one digest a chat and day
                for row in rows:  # each sent once: the chat holds exactly the recorded messages
                    sent = [m.message_id for m in api.messages(row["chat_id"])]
                    assert sent == json.loads(row["message_ids"]), row["chat_id"]
    finally:
        for bot in bots:
            if bot.poll() is None:
                bot.send_signal(signal.SIGTERM)
        for bot in bots:
            try:
                bot.wait(20)
            except subprocess.TimeoutExpired:
                bot.kill()
        await proxy.stop()
        await asyncio.sleep(0)
        await backend.close()
