"""Connections to a PostgreSQL database (asyncpg), with the same shape as storage.db's SQLite ones.

The query modules are written once, in the SQL both engines speak, with `?` placeholders. This module
adapts asyncpg to the small part of aiosqlite's interface they use (`execute` returning a cursor with
`fetchone`, `rowcount` and async iteration, `execute_fetchall`, `executemany`), numbering placeholders
`$1, $2, …` once per statement text.

Why writes are serialised: the query modules rely on SQLite's single writer (read the repeat check, then
insert; count a chat's feeds, then subscribe). Every write transaction here first takes one
transaction-scoped advisory lock, so the same holds across every bot process on the database, with no
serialization failures to retry. Reads never take it and run in parallel on a pool.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager, suppress
from typing import Any

import asyncpg

from storage.db import READERS, _uncancellable

WRITE_LOCK_KEY = 0x6362_7772  # pg_advisory_xact_lock key shared by every conflictbrief writer ("cbwr")
URL_SCHEMES = ("postgresql://", "postgres://")
_STATUS_COUNT = re.compile(r"(\d+)$")


def is_postgres_url(target: object) -> bool:
    return isinstance(target, str) and target.startswith(URL_SCHEMES)


def _number_placeholders(sql: str) -> str:
    """`?` → `$n`, leaving string literals and quoted identifiers alone."""
    out: list[str] = []
    n = 0
    quote: str | None = None
    for char in sql:
        if quote:
            if char == quote:
                quote = None
        elif char in ("'", '"'):
            quote = char
        elif char == "?":
            n += 1
            out.append(f"${n}")
            continue
        out.append(char)
    return "".join(out)


_translated: dict[str, str] = {}


def translate(sql: str) -> str:
    found = _translated.get(sql)
    if found is None:
        found = _translated[sql] = _number_placeholders(sql)
    return found


def _returns_rows(sql: str) -> bool:
    head = sql.lstrip().split(None, 1)[0].upper() if sql.strip() else ""
    return head in ("SELECT", "WITH", "VALUES", "SHOW") or " RETURNING " in f" {sql.upper()} "


class PgCursor:
    """What `execute` returns: the rows (if any) and the number of rows a write touched."""

    def __init__(self, rows: list[asyncpg.Record], rowcount: int) -> None:
        self._rows = rows
        self._next = 0
        self.rowcount = rowcount
        self.lastrowid = None  # use RETURNING id: it works on both engines

    async def fetchone(self) -> asyncpg.Record | None:
        if self._next >= len(self._rows):
            return None
        row = self._rows[self._next]
        self._next += 1
        return row

    async def fetchall(self) -> list[asyncpg.Record]:
        rows, self._next = self._rows[self._next :], len(self._rows)
        return rows

    def __aiter__(self) -> PgCursor:
        return self

    async def __anext__(self) -> asyncpg.Record:
        row = await self.fetchone()
        if row is None:
            raise StopAsyncIteration
        return row

    async def close(self) -> None:
        self._rows = []


class PgConnection:
    """One asyncpg connection speaking the aiosqlite subset the query modules use."""

    dialect = "postgresql"

    def __init__(self, raw: asyncpg.Connection) -> None:
        self.raw = raw

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> PgCursor:
        query = translate(sql)
        if _returns_rows(sql):
            rows = await self.raw.fetch(query, *params)
            return PgCursor(list(rows), len(rows))
        status = await self.raw.execute(query, *params)
        match = _STATUS_COUNT.search(status or "")
        return PgCursor([], int(match.group(1)) if match else -1)

    async def execute_fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[asyncpg.Record]:
        return list(await self.raw.fetch(translate(sql), *params))

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        batch = [tuple(row) for row in rows]
        if batch:
            await self.raw.executemany(translate(sql), batch)


async def _rollback(conn: asyncpg.Connection) -> None:
    with suppress(asyncpg.PostgresError, asyncpg.InterfaceError):
        await conn.execute("ROLLBACK")


class PgConnections:
    """The open connections of one PostgreSQL database: one writer behind a lock, a pool of readers."""

    dialect = "postgresql"

    def __init__(self, url: str, writer: asyncpg.Connection, readers: asyncpg.Pool | None) -> None:
        self.path = url  # what Database.path shows: the URL (its password is never logged by us)
        self.url = url
        self._writer_raw = writer
        self._writer = PgConnection(writer)
        self._readers = readers
        self._write_lock = asyncio.Lock()
        self._closed = False

    @classmethod
    async def open(cls, url: str, *, readers: int = READERS) -> PgConnections:
        writer = await asyncpg.connect(url)
        pool = None
        if readers:
            try:
                pool = await asyncpg.create_pool(
                    url,
                    min_size=1,
                    max_size=max(1, readers),
                    server_settings={"default_transaction_read_only": "on"},
                )
            except BaseException:
                await writer.close()
                raise
        return cls(url, writer, pool)

    @property
    def writer(self) -> PgConnection:
        """The writer outside any transaction: only for migrations and maintenance at start-up."""
        return self._writer

    @asynccontextmanager
    async def writing(self) -> AsyncIterator[PgConnection]:
        """One write transaction, serialised with every other writer of the database (advisory lock)."""
        self._check_open()
        async with self._write_lock:
            try:
                await self._writer_raw.execute("BEGIN")
                await self._writer_raw.execute("SELECT pg_advisory_xact_lock($1)", WRITE_LOCK_KEY)
                yield self._writer
            except BaseException:
                await _uncancellable(_rollback(self._writer_raw))
                raise
            await _uncancellable(self._writer_raw.execute("COMMIT"))

    @asynccontextmanager
    async def reading(self, *, snapshot: bool = False) -> AsyncIterator[PgConnection]:
        """A read-only connection; `snapshot=True` wraps the block in one repeatable-read transaction."""
        self._check_open()
        if self._readers is None:
            raise RuntimeError("this handle was opened without readers")
        async with self._readers.acquire() as raw:
            if not snapshot:
                yield PgConnection(raw)
                return
            await raw.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            try:
                yield PgConnection(raw)
            finally:
                await _uncancellable(_rollback(raw))

    async def checkpoint(self) -> None:
        """SQLite folds its log here; PostgreSQL's own checkpoints and autovacuum do that work."""
        self._check_open()

    async def scrub_log(self, *, deadline_s: float = 60.0, attempt_ms: int = 200) -> bool:
        """SQLite truncates its write-ahead log after a chat is deleted; PostgreSQL recycles its WAL
        segments itself, so there is nothing to wait for here."""
        self._check_open()
        return True

    def log_size(self) -> int:
        return 0

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        async with self._write_lock:
            if self._readers is not None:
                await self._readers.close()
            await self._writer_raw.close()

    def _check_open(self) -> None:
        if self._closed:
            raise RuntimeError("the database is closed")
