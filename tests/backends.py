"""The storage backends the suites run on: SQLite (always) and PostgreSQL / Redis (when their servers run).

`bash .ci/services` starts both on loopback and prints the variables below; `.ci/run` does it for CI.
Without them the PostgreSQL and Redis tests are skipped with a reason saying so, except in CI
(`CI=true`), where a missing server fails those tests: CI must run them.
"""

from __future__ import annotations

import os
import sqlite3
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

POSTGRES_URL = os.environ.get("CONFLICTBRIEF_TEST_POSTGRES_URL", "").strip()
REDIS_URL = os.environ.get("CONFLICTBRIEF_TEST_REDIS_URL", "").strip()
IN_CI = os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def require(service: str) -> str:
    """The URL of `service` ("postgresql" or "redis"); skips the test (fails it in CI) when it is missing."""
    url = {"postgresql": POSTGRES_URL, "redis": REDIS_URL}[service]
    if url:
        return url
    variable = f"CONFLICTBRIEF_TEST_{'POSTGRES' if service == 'postgresql' else 'REDIS'}_URL"
    reason = f'{service} is not running: {variable} is unset (start it with: eval "$(bash .ci/services)")'
    if IN_CI:
        pytest.fail(f"CI=true but {reason}", pytrace=False)
    pytest.skip(reason)


def with_search_path(url: str, schema: str) -> str:
    parts = urlsplit(url)
    query = f"{parts.query}&" if parts.query else ""
    return urlunsplit(parts._replace(query=f"{query}search_path={schema},public"))


class Backend:
    """Where a test's database lives, and what it may look at beneath the storage API."""

    name = "sqlite"

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def target(self, name: str = "bot.db") -> str | Path:
        """A fresh, empty database for `open_database` (a file path, or a PostgreSQL URL)."""
        return self.folder / name

    async def raw_count(self, db, sql: str) -> int:
        """Run a count query straight on the engine (outside the storage API)."""
        with sqlite3.connect(db.path) as raw:
            return int(raw.execute(sql).fetchone()[0])

    async def index_terms(self, db) -> set[str]:
        from tests.storage_support import index_terms

        return index_terms(db.path)

    async def lexeme(self, db, word: str) -> str:
        """How the index spells `word` (FTS5's porter stemmer leaves these test words as they are)."""
        return word.lower()

    async def index_matches_content(self, db) -> bool:
        from tests.storage_support import index_matches_content

        return index_matches_content(Path(db.path))

    async def close(self) -> None:
        pass


class PostgresBackend(Backend):
    """Each target is a schema of its own in the test server's database, dropped afterwards."""

    name = "postgresql"

    SPARE = 3  # schemas made ready before the test starts (target() is called from sync code too)

    def __init__(self, folder: Path, url: str) -> None:
        super().__init__(folder)
        self.url = url
        self.schemas: list[str] = []
        self._ready: list[str] = []

    async def start(self) -> PostgresBackend:
        conn = await self._conn()
        try:
            for _ in range(self.SPARE):
                schema = f"t_{uuid.uuid4().hex[:16]}"
                await conn.execute(f"CREATE SCHEMA {schema}")
                self.schemas.append(schema)
                self._ready.append(schema)
        finally:
            await conn.close()
        return self

    def target(self, name: str = "bot.db") -> str:
        if not self._ready:
            raise RuntimeError(f"a test may open at most {self.SPARE} fresh PostgreSQL databases")
        return with_search_path(self.url, self._ready.pop(0))

    async def _conn(self, db=None):
        import asyncpg

        return await asyncpg.connect(db.path if db is not None else self.url)

    async def raw_count(self, db, sql: str) -> int:
        conn = await self._conn(db)
        try:
            return int(await conn.fetchval(sql))
        finally:
            await conn.close()

    async def index_terms(self, db) -> set[str]:
        conn = await self._conn(db)
        try:
            rows = await conn.fetch("SELECT word FROM ts_stat('SELECT tsv FROM sentences')")
        finally:
            await conn.close()
        return {row["word"] for row in rows}

    async def lexeme(self, db, word: str) -> str:
        conn = await self._conn(db)
        try:
            return str(
                await conn.fetchval("SELECT strip(to_tsvector('conflictbrief', $1))::text", word)
            ).strip("'")
        finally:
            await conn.close()

    async def index_matches_content(self, db) -> bool:
        conn = await self._conn(db)
        try:
            stale = await conn.fetchval(
                "SELECT count(*) FROM sentences AS s JOIN sentence_text AS t ON t.id = s.id"
                " WHERE s.tsv <> to_tsvector('conflictbrief', t.text)"
            )
            orphans = await conn.fetchval(
                "SELECT count(*) FROM sentences AS s LEFT JOIN articles AS a ON a.id = s.article_id"
                " WHERE a.id IS NULL"
            )
        finally:
            await conn.close()
        return stale == 0 and orphans == 0

    async def close(self) -> None:
        if not self.schemas:
            return
        conn = await self._conn()
        try:
            for schema in self.schemas:
                await conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        finally:
            await conn.close()


_prepared = False


async def prepare_postgres(url: str) -> None:
    """Once per session: the extension every schema's text search configuration uses."""
    global _prepared
    if _prepared:
        return
    import asyncpg

    conn = await asyncpg.connect(url)
    try:
        await conn.execute("CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public")
    finally:
        await conn.close()
    _prepared = True


async def make_backend(name: str, folder: Path) -> Backend:
    if name == "sqlite":
        return Backend(folder)
    url = require("postgresql")
    await prepare_postgres(url)
    return await PostgresBackend(folder, url).start()


BACKENDS = ("sqlite", "postgresql")
