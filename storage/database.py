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
from storage.migrations import LATEST, migrate, schema_version
from storage.privacy import Privacy
from storage.records import DeletedChat, IntegrityReport
from storage.search import Search

MIN_SQLITE = (3, 35, 0)


class Database:
    """An open conflictbrief database. Use `async with` or call `close()`."""

    def __init__(self, conns: Connections, defaults: ChatDefaults) -> None:
        self._conns = conns
        self.path = conns.path
        self.chats = Chats(conns, defaults)
        self.articles = Articles(conns, defaults)
        self.facts = Facts(conns)
        self.search = Search(conns)
        self.feeds = Feeds(conns, defaults)
        self.digests = Digests(conns, defaults)
        self.privacy = Privacy(conns)

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

    async def close(self) -> None:
        await self._conns.close()

    async def __aenter__(self) -> Database:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()


async def _open(path: Path, defaults: ChatDefaults, readers: int) -> Database:
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

    def __init__(self, path: Path, defaults: ChatDefaults, readers: int) -> None:
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
    schema. New chats get `default_timezone` and `default_digest_time` (digests off)."""
    return DatabaseOpener(Path(path), ChatDefaults(default_timezone, default_digest_time), readers)
