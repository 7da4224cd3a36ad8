"""Connections to one SQLite file: a single writer behind a lock, a small pool of read-only readers.

Why this shape: SQLite allows one writer at a time. Funnelling every write transaction of this process
through one connection and an asyncio lock means concurrent tasks queue instead of failing with
"database is locked"; `BEGIN IMMEDIATE` plus the busy timeout covers writers in other processes. In WAL
mode the readers never wait for the writer, and they are opened with `query_only` so a read path cannot
write by mistake.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager
from pathlib import Path

import aiosqlite

from storage.keys import fold

BUSY_TIMEOUT_MS = 10_000
READERS = 2

Connection = aiosqlite.Connection


async def _connect(path: Path, *, read_only: bool) -> Connection:
    conn = await aiosqlite.connect(path, isolation_level=None)  # we issue BEGIN/COMMIT ourselves
    conn.row_factory = sqlite3.Row
    try:
        await conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if not read_only:
            mode = await (await conn.execute("PRAGMA journal_mode = WAL")).fetchone()
            if mode is None or str(mode[0]).lower() != "wal":
                raise sqlite3.OperationalError(
                    f"could not switch {path} to WAL mode (got {mode and mode[0]})"
                )
        await conn.execute("PRAGMA foreign_keys = ON")
        await conn.execute("PRAGMA synchronous = NORMAL")
        if read_only:
            await conn.execute("PRAGMA query_only = ON")
        else:
            await conn.execute("PRAGMA secure_delete = ON")  # deleted chats leave zeros, not text
        await conn.create_function("casefold", 1, _casefold, deterministic=True)
    except BaseException:
        await conn.close()
        raise
    return conn


def _casefold(value: object) -> str | None:
    return None if value is None else fold(str(value))


async def _uncancellable(awaitable: Awaitable[object]) -> None:
    """Run a statement that must finish (COMMIT/ROLLBACK) even if our task is cancelled meanwhile."""
    task = asyncio.ensure_future(awaitable)
    cancelled = False
    while not task.done():
        try:
            await asyncio.shield(task)
        except asyncio.CancelledError:
            cancelled = True
    task.result()
    if cancelled:
        raise asyncio.CancelledError


async def _run(conn: Connection, sql: str) -> None:
    await conn.execute(sql)


async def _rollback(conn: Connection) -> None:
    with contextlib.suppress(sqlite3.OperationalError):  # nothing was open: BEGIN itself failed
        await conn.execute("ROLLBACK")


class Connections:
    """The open connections of one database file."""

    dialect = "sqlite"

    def __init__(self, path: Path, writer: Connection, readers: list[Connection]) -> None:
        self.path = path
        self._writer = writer
        self._write_lock = asyncio.Lock()
        self._readers: asyncio.Queue[Connection] = asyncio.Queue()
        self._all_readers = readers
        for reader in readers:
            self._readers.put_nowait(reader)
        self._closed = False

    @classmethod
    async def open(cls, path: Path, *, readers: int = READERS) -> Connections:
        writer = await _connect(path, read_only=False)
        opened: list[Connection] = []
        try:
            for _ in range(readers):
                opened.append(await _connect(path, read_only=True))
        except BaseException:
            for conn in [writer, *opened]:
                await conn.close()
            raise
        return cls(path, writer, opened)

    @property
    def writer(self) -> Connection:
        """The writer outside any transaction: only for migrations and maintenance at start-up."""
        return self._writer

    @asynccontextmanager
    async def writing(self) -> AsyncIterator[Connection]:
        """One write transaction: committed when the block ends, rolled back if it raises or is cancelled."""
        self._check_open()
        async with self._write_lock:
            try:
                await self._writer.execute("BEGIN IMMEDIATE")
                yield self._writer
            except BaseException:
                # Queued after any statement still running, so it always undoes the whole block.
                await _uncancellable(_rollback(self._writer))
                raise
            await _uncancellable(_run(self._writer, "COMMIT"))

    @asynccontextmanager
    async def reading(self, *, snapshot: bool = False) -> AsyncIterator[Connection]:
        """A read-only connection; `snapshot=True` wraps the block in one read transaction."""
        self._check_open()
        conn = await self._readers.get()
        try:
            if not snapshot:
                yield conn
                return
            try:
                await conn.execute("BEGIN")
                yield conn
            finally:
                await _uncancellable(_rollback(conn))
        finally:
            self._readers.put_nowait(conn)

    async def checkpoint(self) -> None:
        """Copy the write-ahead log into the file and truncate it (waits for the current writer)."""
        self._check_open()
        async with self._write_lock:
            await self._writer.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    async def scrub_log(self, *, deadline_s: float = 60.0, attempt_ms: int = 200) -> bool:
        """Checkpoint and truncate the write-ahead log until it is empty; True once it is.

        A read transaction still open elsewhere (another chat's read) keeps the checkpoint from
        truncating, and SQLite then only reports it (`busy` = 1) while the old frames, deleted text
        included, stay in the -wal file. So the result is checked and the attempt repeated with backoff,
        each attempt waiting at most `attempt_ms` for readers so writers are never held for long."""
        self._check_open()
        loop = asyncio.get_running_loop()
        give_up = loop.time() + deadline_s
        pause = 0.05
        while True:
            async with self._write_lock:
                await self._writer.execute(f"PRAGMA busy_timeout = {attempt_ms}")
                try:
                    row = await (await self._writer.execute("PRAGMA wal_checkpoint(TRUNCATE)")).fetchone()
                finally:
                    await self._writer.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            busy = row is None or int(row[0]) != 0
            if not busy and self.log_size() == 0:
                return True
            if loop.time() + pause > give_up:
                return False
            await asyncio.sleep(pause)
            pause = min(pause * 2, 2.0)

    def log_size(self) -> int:
        wal = self.path.with_name(self.path.name + "-wal")
        try:
            return wal.stat().st_size
        except FileNotFoundError:
            return 0

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        async with self._write_lock:
            for reader in self._all_readers:
                await reader.close()
            try:
                await self._writer.execute("PRAGMA optimize")
            finally:
                await self._writer.close()

    def _check_open(self) -> None:
        if self._closed:
            raise RuntimeError("the database is closed")
