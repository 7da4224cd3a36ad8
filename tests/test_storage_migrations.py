"""Versioned migrations: a file (or a PostgreSQL database) at every earlier version, holding data, opens at
the newest version with its data intact and reachable through the public API."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from storage import SCHEMA_VERSION, SchemaTooNew, migrations_pg, open_database
from storage.clock import to_db
from storage.db import Connections
from storage.keys import content_hash, normalize_url
from storage.migrations import STEPS, migrate, schema_version
from storage.pg import PgConnections, is_postgres_url
from summarize.model import SCHEMA_ID
from tests.storage_support import at, make_brief, source

OLD_BRIEFS = {
    1: make_brief(
        [
            "Local authorities reported 9 people wounded after a drone struck a market in Sumy.",
            '"We heard two explosions," said Ölga Kovalenko, a vendor.',
        ],
        title="Drone strike on Sumy market",
        url="https://news.example.net/sumy-market",
        figures=[(0, "9", "wounded", "Local authorities")],
        quotes=[(1, "Ölga Kovalenko", "We heard two explosions,")],
    ),
    2: make_brief(
        ["The ministry said 1,200 soldiers had completed training abroad."],
        title="Training abroad",
        figures=[(0, "1,200", "troops", "The ministry")],
    ),
}


async def _seed_version_1(conn) -> None:
    """Rows as conflictbrief wrote them at schema version 1 (raw SQL: the API always speaks the newest)."""
    for chat_id, brief in OLD_BRIEFS.items():
        await conn.execute(
            "INSERT INTO chats (chat_id, timezone, digest_time, digest_enabled, created_at) VALUES (?, ?, ?, ?, ?)",
            (chat_id, "Europe/Kyiv", "07:15", chat_id % 2, to_db(at(0))),
        )
        cursor = await conn.execute(
            "INSERT INTO articles (chat_id, source_kind, url, url_key, title, received_at, content_hash, text,"
            " sentence_spans) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (
                chat_id,
                "url" if brief.url else "text",
                brief.url,
                normalize_url(brief.url) if brief.url else None,
                brief.title,
                to_db(at(chat_id)),
                content_hash(brief.text),
                brief.text,
                json.dumps([list(span) for span in brief.sentence_spans]),
            ),
        )
        await conn.execute(
            "INSERT INTO briefs (article_id, chat_id, schema_id, json) VALUES (?, ?, ?, ?)",
            ((await cursor.fetchone())[0], chat_id, SCHEMA_ID, brief.to_json()),
        )


async def _build_at(path: Path | str, version: int) -> None:
    if is_postgres_url(path):
        return await _build_postgres_at(str(path), version)
    conns = await Connections.open(path, readers=0)
    try:
        await migrate(conns.writer, target=version)
        assert await schema_version(conns.writer) == version
        if version >= 1:
            await conns.writer.execute("BEGIN")
            await _seed_version_1(conns.writer)
            await conns.writer.execute("COMMIT")
        if version >= 2:
            # At version 2 the writer filled these tables itself (the backfill ran on an empty file).
            await conns.writer.execute("BEGIN")
            await conns.writer.execute(
                "INSERT INTO sentences (chat_id, article_id, position, char_start, char_end)"
                " SELECT a.chat_id, a.id, CAST(j.key AS INTEGER), json_extract(j.value, '$[0]'),"
                " json_extract(j.value, '$[1]') FROM articles AS a, json_each(a.sentence_spans) AS j"
            )
            await conns.writer.execute(
                "INSERT INTO figures (chat_id, article_id, position, sentence, value, number, category,"
                " claimed_by, claimed_by_key) SELECT b.chat_id, b.article_id, CAST(f.key AS INTEGER),"
                " json_extract(f.value, '$.sentence'), json_extract(f.value, '$.value'),"
                " json_extract(f.value, '$.number'), json_extract(f.value, '$.category'),"
                " json_extract(f.value, '$.claimed_by'), casefold(json_extract(f.value, '$.claimed_by'))"
                " FROM briefs AS b, json_each(b.json, '$.figures') AS f"
            )
            await conns.writer.execute(
                "INSERT INTO quotes (chat_id, article_id, position, sentence, speaker, speaker_key, kind, quote)"
                " SELECT b.chat_id, b.article_id, CAST(q.key AS INTEGER), json_extract(q.value, '$.sentence'),"
                " json_extract(q.value, '$.speaker'), casefold(json_extract(q.value, '$.speaker')),"
                " json_extract(q.value, '$.kind'), json_extract(q.value, '$.quote')"
                " FROM briefs AS b, json_each(b.json, '$.speakers') AS q"
            )
            await conns.writer.execute("COMMIT")
    finally:
        await conns.close()


async def _build_postgres_at(url: str, version: int) -> None:
    conns = await PgConnections.open(url, readers=0)
    try:
        await migrate(conns.writer, target=version)  # type: ignore[arg-type]
        assert await schema_version(conns.writer) == version  # type: ignore[arg-type]
        if version >= 1:
            await conns.writer.execute("BEGIN")
            await _seed_version_1(conns.writer)
            await conns.writer.execute("COMMIT")
        if version >= 2:
            # As the SQLite side: at version 2 the writer filled these tables itself (same rows).
            await conns.writer.execute("BEGIN")
            for statement in migrations_pg.STEP_2_SEARCH[-3:]:
                await conns.writer.execute(statement)
            await conns.writer.execute("COMMIT")
    finally:
        await conns.close()


def test_steps_are_numbered_one_by_one():
    assert [step.version for step in STEPS] == list(range(1, SCHEMA_VERSION + 1))
    assert SCHEMA_VERSION >= 3


def test_every_step_has_its_postgres_counterpart():
    """A step merged into storage/migrations.py must be ported to storage/migrations_pg.py too."""
    assert sorted(migrations_pg.STEPS) == [step.version for step in STEPS]
    assert all(migrations_pg.STEPS[step.version] for step in STEPS)


@pytest.mark.parametrize("version", range(0, SCHEMA_VERSION))
async def test_migrates_from_every_earlier_version_with_data(backend, version):
    path = backend.target(f"v{version}.db")
    await _build_at(path, version)
    async with open_database(path) as db:
        assert await db.schema_version() == SCHEMA_VERSION
        assert (await db.check_integrity()).ok
        if version == 0:
            assert await db.articles.count(1) == 0
        else:
            settings = await db.chats.get(1)
            assert settings is not None and (settings.timezone, settings.digest_time) == (
                "Europe/Kyiv",
                "07:15",
            )
            assert [c.chat_id for c in await db.chats.with_digest_enabled()] == [1]
            for chat_id, brief in OLD_BRIEFS.items():
                [entry] = await db.articles.recent(chat_id)
                stored = await db.articles.get(chat_id, entry.id)
                assert stored is not None and stored.brief == brief and stored.received_at == at(chat_id)
                # The old rows are in the full-text index, the fact tables and the repeat check.
                assert (await db.articles.add(chat_id, source("text", 50), brief)).is_repeat
            hits = await db.search.sentences(1, "drone market")
            assert hits and hits[0].text == OLD_BRIEFS[1].sentence_texts()[0]
            assert await db.search.sentences(2, "drone market") == []
            [quote] = await db.facts.quotes(1, speaker="ölga")  # Unicode casefold, not ASCII lower()
            assert quote.statement.quote == "We heard two explosions,"
            [figure] = await db.facts.figures(2, category="troops", claimant="ministry")
            assert figure.figure.value == "1,200" and figure.figure.number == 1200
        # Everything added by later steps works on the migrated file.
        await db.feeds.subscribe(1, "https://feeds.example.net/rss")
        assert await db.digests.record(1, at(0).date(), sent_at=at(0))
        assert (
            await db.articles.add(3, source("text", 60), make_brief(["A new article after the upgrade."]))
        ).article_id
        assert await backend.index_matches_content(db)


async def test_reopening_applies_nothing_and_newer_files_are_refused(backend):
    path = backend.target()
    async with open_database(path):
        pass
    if backend.name == "postgresql":
        conns = await PgConnections.open(str(path), readers=0)
        bump = f"UPDATE conflictbrief_schema SET version = {SCHEMA_VERSION + 1}"
    else:
        conns = await Connections.open(path, readers=0)  # type: ignore[assignment]
        bump = f"PRAGMA user_version = {SCHEMA_VERSION + 1}"
    try:
        assert await migrate(conns.writer) == []  # type: ignore[arg-type]
        await conns.writer.execute(bump)
    finally:
        await conns.close()
    with pytest.raises(SchemaTooNew, match="upgrade conflictbrief"):
        await open_database(path)


async def test_a_failing_step_leaves_the_file_at_the_previous_version(tmp_path):
    path = tmp_path / "bot.db"
    await _build_at(path, 1)
    with sqlite3.connect(path) as raw:  # something in the way of step 2
        raw.execute("CREATE TABLE quotes (x)")
    with pytest.raises(sqlite3.OperationalError, match="quotes"):
        await open_database(path)
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == 1
        tables = {row[0] for row in raw.execute("SELECT name FROM sqlite_master")}
        assert "sentences" not in tables and "figures" not in tables
        assert raw.execute("SELECT count(*) FROM articles").fetchone()[0] == len(OLD_BRIEFS)


async def test_a_failing_postgres_step_leaves_the_database_at_the_previous_version(postgres_backend):
    backend = postgres_backend
    import asyncpg

    url = str(backend.target())
    await _build_at(url, 1)
    conn = await asyncpg.connect(url)
    try:
        await conn.execute("CREATE TABLE quotes (x integer)")  # something in the way of step 2
        with pytest.raises(asyncpg.DuplicateTableError, match="quotes"):
            await open_database(url)
        assert await conn.fetchval("SELECT version FROM conflictbrief_schema") == 1
        assert await conn.fetchval("SELECT to_regclass('sentences')") is None
        assert await conn.fetchval("SELECT count(*) FROM articles") == len(OLD_BRIEFS)
    finally:
        await conn.close()
