"""`open_database(path)`: the one object the bot holds; every query hangs off it and takes a chat id."""

from __future__ import annotations

import sqlite3
from collections.abc import Generator
from pathlib import Path
from types import TracebackType
from typing import Any

from storage.articles import Articles
from storage.chats import ChatDefaults, Chats
from storage.db import READERS, Connections
from storage.digests import Digests
from storage.facts import Facts
from storage.feeds import Feeds
from storage.inbox import Inbox
from storage.leader import Leadership
from storage.liveness import RunLiveness
from storage.migrations import LATEST, migrate, schema_version
from storage.migrations_pg import TS_CONFIG
from storage.outbox import Outbox
from storage.pg import PgConnections, is_postgres_url
from storage.privacy import Privacy
from storage.records import DeletedChat, IntegrityReport
from storage.search import Search

MIN_SQLITE = (3, 35, 0)


class Database:
    """An open conflictbrief database. Use `async with` or call `close()`."""

    def __init__(self, conns: Connections | PgConnections, defaults: ChatDefaults) -> None:
        self._conns = conns
        self.path = conns.path
        self.chats = Chats(conns, defaults)
        self.articles = Articles(conns, defaults)
        self.facts = Facts(conns)
        self.search = Search(conns)
        self.feeds = Feeds(conns, defaults)
        self.digests = Digests(conns, defaults)
        self.outbox = Outbox(conns)
        self.inbox = Inbox(conns)
        self.privacy = Privacy(conns)
        self.leadership = Leadership(conns.url if isinstance(conns, PgConnections) else None)
        self.liveness = RunLiveness(conns.url if isinstance(conns, PgConnections) else None)

    @property
    def dialect(self) -> str:
        """ "sqlite" or "postgresql": which engine this database runs on."""
        return self._conns.dialect

    @property
    def connections(self) -> Connections:
        """For query modules inside `storage/` only: the shared writer lock and reader pool."""
        return self._conns

    async def delete_chat(self, chat_id: int) -> DeletedChat:
        return await self.privacy.delete_chat(chat_id)

    async def export_chat(self, chat_id: int) -> dict[str, Any]:
        return await self.privacy.export_chat(chat_id)

    async def schema_version(self) -> int:
        async with self._conns.reading() as conn:
            return await schema_version(conn)

    async def check_integrity(self) -> IntegrityReport:
        """SQLite's integrity and foreign-key checks plus the full-text index's own check."""
        problems: list[str] = []
        if self._conns.dialect == "postgresql":
            return await self._check_postgres()
        async with self._conns.reading() as conn:
            rows = await conn.execute_fetchall("PRAGMA integrity_check")
            problems += [str(row[0]) for row in rows if str(row[0]) != "ok"]
            rows = await conn.execute_fetchall("PRAGMA foreign_key_check")
            problems += [f"foreign key: {tuple(row)}" for row in rows]
        try:
            async with self._conns.writing() as conn:
                await conn.execute("INSERT INTO sentences_fts (sentences_fts) VALUES ('integrity-check')")
        except sqlite3.DatabaseError as error:
            problems.append(f"full-text index: {error}")
        return IntegrityReport(ok=not problems, problems=tuple(problems))

    async def _check_postgres(self) -> IntegrityReport:
        """PostgreSQL enforces keys itself; what can drift is the search index: every sentence's tsvector
        must be what its article's text gives now."""
        async with self._conns.reading() as conn:
            rows = await conn.execute_fetchall(
                f"SELECT s.id FROM sentences AS s JOIN sentence_text AS t ON t.id = s.id"
                f" WHERE s.tsv <> to_tsvector('{TS_CONFIG}', t.text) LIMIT 10"
            )
        problems = tuple(f"full-text index: sentence {row['id']} is stale" for row in rows)
        return IntegrityReport(ok=not problems, problems=problems)

    async def close(self) -> None:
        await self.leadership.close()
        await self.liveness.close()
        await self._conns.close()

    async def __aenter__(self) -> Database:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()


async def _open_postgres(url: str, defaults: ChatDefaults, readers: int) -> Database:
    conns = await PgConnections.open(url, readers=0)
    try:
        await migrate(conns.writer, target=LATEST)  # type: ignore[arg-type]
    finally:
        await conns.close()
    return Database(await PgConnections.open(url, readers=readers), defaults)


async def _open(path: Path | str, defaults: ChatDefaults, readers: int) -> Database:
    if is_postgres_url(path):
        return await _open_postgres(str(path), defaults, readers)
    path = Path(path)
    if sqlite3.sqlite_version_info < MIN_SQLITE:
        raise RuntimeError(
            f"SQLite {sqlite3.sqlite_version} is too old; conflictbrief needs {'.'.join(map(str, MIN_SQLITE))}+"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    conns = await Connections.open(path, readers=0)  # the writer alone migrates
    try:
        await migrate(conns.writer, target=LATEST)
    except BaseException:
        await conns.close()
        raise
    await conns.close()
    return Database(await Connections.open(path, readers=readers), defaults)


class DatabaseOpener:
    """What `open_database` returns: await it for a Database, or use it directly with `async with`."""

    def __init__(self, path: Path | str, defaults: ChatDefaults, readers: int) -> None:
        self._args = (path, defaults, readers)
        self._db: Database | None = None

    def __await__(self) -> Generator[Any, None, Database]:
        return _open(*self._args).__await__()

    async def __aenter__(self) -> Database:
        self._db = await _open(*self._args)
        return self._db

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._db is not None:
            await self._db.close()


def open_database(
    path: str | Path,
    *,
    default_timezone: str = "UTC",
    default_digest_time: str = "08:00",
    readers: int = READERS,
) -> DatabaseOpener:
    """Open (creating it and its folder if needed) the database at `path` and migrate it to the newest
    schema. New chats get `default_timezone` and `default_digest_time` (digests off).

    `path` may instead be a `postgresql://user:password@host:port/dbname` URL: the same schema, steps and
    API on PostgreSQL (asyncpg); unknown URL query parameters (e.g. `?search_path=myschema`) are passed
    to the server as settings."""
    target = path if is_postgres_url(path) else Path(path)
    return DatabaseOpener(target, ChatDefaults(default_timezone, default_digest_time), readers)
