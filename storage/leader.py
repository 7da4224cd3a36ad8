"""One scheduler across many bot processes: whoever holds the database's leader lock runs the jobs.

On PostgreSQL the lock is a session advisory lock on a connection of its own: held for as long as that
connection lives, released by the server the moment the process dies (a crash, a SIGKILL), so another
process takes over at its next try. On SQLite there is one machine and one process by design, so the
process always leads (and the per-day digest claim in storage stays the guard against a second sender).
"""

from __future__ import annotations

import asyncio
import logging

log = logging.getLogger(__name__)

LEADER_LOCK_KEY = 0x6362_6C64  # "cbld"


class Leadership:
    def __init__(self, url: str | None) -> None:
        self._url = url  # None: SQLite, always the leader
        self._conn = None
        self._lock = asyncio.Lock()

    async def is_leader(self) -> bool:
        """True if this process holds (or has just taken) the lock; never waits for another holder."""
        if self._url is None:
            return True
        import asyncpg

        async with self._lock:
            if self._conn is not None and not self._conn.is_closed():
                try:
                    await self._conn.fetchval("SELECT 1")  # still alive: the lock is still ours
                    return True
                except (asyncpg.PostgresError, asyncpg.InterfaceError, OSError):
                    self._conn = None
            try:
                conn = await asyncpg.connect(self._url)
            except (asyncpg.PostgresError, OSError) as error:
                log.warning("cannot reach the database to take the scheduler lock: %s", error)
                return False
            if await conn.fetchval("SELECT pg_try_advisory_lock($1)", LEADER_LOCK_KEY):
                self._conn = conn
                log.info("this process now runs the scheduled jobs (feed polling, digests)")
                return True
            await conn.close()
            return False

    async def close(self) -> None:
        async with self._lock:
            conn, self._conn = self._conn, None
            if conn is not None and not conn.is_closed():
                await conn.close()
