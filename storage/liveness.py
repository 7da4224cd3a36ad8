"""Which runs (bot processes) are alive, so a start takes over the inbox and outbox rows of dead runs only.

On PostgreSQL each run holds a session advisory lock named after it, on a connection of its own, for as
long as it lives; the server releases it the moment the process dies (a crash, a SIGKILL). A run whose
lock can be taken is dead. Several replicas can thus start and stop without one handling again what a
live one is still handling. On SQLite there is one process by design: every other run is dead.
"""

from __future__ import annotations

import asyncio
import logging

log = logging.getLogger(__name__)

RUN_LOCK_SPACE = 0x6362_726E  # "cbrn": the first key of every run's lock; the second is hashtext(owner)


class RunLiveness:
    def __init__(self, url: str | None) -> None:
        self._url = url  # None: SQLite
        self._conn = None  # the connection holding this run's lock
        self._lock = asyncio.Lock()

    async def claim(self, owner: str) -> None:
        """Hold `owner`'s lock for the life of this process (PostgreSQL; nothing to do on SQLite)."""
        if self._url is None:
            return
        import asyncpg

        async with self._lock:
            if self._conn is not None:
                return
            conn = await asyncpg.connect(self._url)
            await conn.execute("SELECT pg_advisory_lock($1, hashtext($2))", _signed(RUN_LOCK_SPACE), owner)
            self._conn = conn

    async def dead(self, owners: list[str]) -> list[str]:
        """The runs among `owners` that hold no lock (have died); on SQLite, all of them. Unknown (the
        database unreachable) counts as alive: taking over a live run's rows would answer twice."""
        if self._url is None or not owners:
            return list(owners)
        import asyncpg

        try:
            conn = await asyncpg.connect(self._url)
        except (asyncpg.PostgresError, OSError) as error:
            log.warning("cannot tell which runs are alive: %s", error)
            return []
        try:
            gone = []
            for owner in owners:
                if await conn.fetchval(
                    "SELECT pg_try_advisory_lock($1, hashtext($2))", _signed(RUN_LOCK_SPACE), owner
                ):
                    await conn.execute(
                        "SELECT pg_advisory_unlock($1, hashtext($2))", _signed(RUN_LOCK_SPACE), owner
                    )
                    gone.append(owner)
            return gone
        finally:
            await conn.close()

    async def close(self) -> None:
        async with self._lock:
            conn, self._conn = self._conn, None
            if conn is not None and not conn.is_closed():
                await conn.close()


def _signed(key: int) -> int:
    """A 32-bit lock key as PostgreSQL's int4 takes it."""
    return key - (1 << 32) if key >= 1 << 31 else key
