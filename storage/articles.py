"""A chat's articles: store one with its Brief (once per chat), read it back, list the history."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from datetime import datetime
from typing import cast

from storage.chats import ChatDefaults, check_chat_id, ensure_chat_row
from storage.clock import from_db, to_db
from storage.db import Connection, Connections
from storage.keys import content_hash, fold, normalize_url
from storage.records import AddResult, ArticleSource, HistoryEntry, SourceKind, StoredArticle
from summarize.model import SCHEMA_ID, Brief

HISTORY_LIMIT_MAX = 1000
_SOURCE_KINDS = ("url", "text", "forward", "feed")


def check_brief(brief: Brief) -> None:
    """Refuse a Brief whose offsets do not point into its own text: stored spans must stay verbatim."""
    if not brief.text:
        raise ValueError("the Brief has no cleaned text (Brief.text): nothing to store or index")
    if len(brief.sentence_spans) != brief.sentences:
        raise ValueError(
            f"the Brief counts {brief.sentences} sentences but carries {len(brief.sentence_spans)} spans"
        )
    previous_end = 0
    for start, end in brief.sentence_spans:
        if not (previous_end <= start <= end <= len(brief.text)):
            raise ValueError(f"sentence span ({start}, {end}) is out of order or outside the text")
        previous_end = end
    pointers = [("summary", s.sentence) for s in brief.summary] + [
        ("figure", f.sentence) for f in brief.figures
    ]
    for kind, sentence in pointers + [("statement", s.sentence) for s in brief.speakers]:
        if not 0 <= sentence < brief.sentences:
            raise ValueError(f"a {kind} points at sentence {sentence} of {brief.sentences}")


def _check_source(source: ArticleSource) -> None:
    if source.kind not in _SOURCE_KINDS:
        raise ValueError(f"source kind {source.kind!r} is not one of {', '.join(_SOURCE_KINDS)}")
    to_db(source.received_at)  # refuses naive datetimes


def check_limit(limit: int) -> int:
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= HISTORY_LIMIT_MAX:
        raise ValueError(f"limit must be an int between 1 and {HISTORY_LIMIT_MAX}")
    return limit


async def _find_repeat(conn: Connection, chat_id: int, url_key: str | None, text_hash: str) -> int | None:
    # A URL match wins over a text match: it is the article the person sent before.
    row = await (
        await conn.execute(
            "SELECT id FROM articles WHERE chat_id = ? AND (url_key = ? OR content_hash = ?)"
            " ORDER BY CASE WHEN url_key = ? THEN 0 ELSE 1 END, id LIMIT 1",
            (chat_id, url_key, text_hash, url_key),
        )
    ).fetchone()
    return None if row is None else int(row["id"])


async def _insert(
    conn: Connection, chat_id: int, source: ArticleSource, brief: Brief, url: str | None
) -> int:
    text_hash = content_hash(brief.text)
    cursor = await conn.execute(
        """
        INSERT INTO articles (chat_id, source_kind, url, url_key, forward_title, forward_username,
                              forward_message_id, title, dateline, received_at, published_at, content_hash,
                              text, sentence_spans)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        RETURNING id
        """,
        (
            chat_id,
            source.kind,
            url,
            normalize_url(url) if url else None,
            source.forward_title,
            source.forward_username,
            source.forward_message_id,
            brief.title,
            brief.dateline,
            to_db(source.received_at),
            brief.published,
            text_hash,
            brief.text,
            json.dumps([list(span) for span in brief.sentence_spans], separators=(",", ":")),
        ),
    )
    inserted = await cursor.fetchone()
    assert inserted is not None
    article_id = int(inserted[0])
    await conn.execute(
        "INSERT INTO briefs (article_id, chat_id, schema_id, json) VALUES (?, ?, ?, ?)",
        (article_id, chat_id, SCHEMA_ID, brief.to_json(indent=None)),
    )
    await conn.executemany(
        "INSERT INTO sentences (chat_id, article_id, position, char_start, char_end) VALUES (?, ?, ?, ?, ?)",
        [(chat_id, article_id, i, start, end) for i, (start, end) in enumerate(brief.sentence_spans)],
    )
    await conn.executemany(
        """
        INSERT INTO figures (chat_id, article_id, position, sentence, value, number, low, high, qualifier, unit,
                             category, counts, claimed_by, claimed_by_key, place, time_text)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
        [
            (chat_id, article_id, i, f.sentence, f.value, f.number, f.low, f.high, f.qualifier, f.unit,
             f.category, f.counts, f.claimed_by, fold(f.claimed_by) if f.claimed_by else None, f.where, f.when)
            for i, f in enumerate(brief.figures)
        ],
    )  # fmt: skip
    await conn.executemany(
        "INSERT INTO quotes (chat_id, article_id, position, sentence, speaker, speaker_key, kind, quote)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (chat_id, article_id, i, s.sentence, s.speaker, fold(s.speaker), s.kind, s.quote)
            for i, s in enumerate(brief.speakers)
        ],
    )
    return article_id


_ARTICLE_COLUMNS = """
    a.id, a.chat_id, a.source_kind, a.url, a.forward_title, a.forward_username, a.forward_message_id,
    a.title, a.dateline, a.received_at, a.published_at, a.content_hash, a.text, a.sentence_spans,
    b.schema_id, b.json
"""


def article_from_row(row: sqlite3.Row) -> StoredArticle:
    spans = tuple((int(start), int(end)) for start, end in json.loads(row["sentence_spans"]))
    return StoredArticle(
        id=row["id"],
        chat_id=row["chat_id"],
        kind=cast(SourceKind, row["source_kind"]),
        url=row["url"],
        forward_title=row["forward_title"],
        forward_username=row["forward_username"],
        forward_message_id=row["forward_message_id"],
        title=row["title"],
        dateline=row["dateline"],
        received_at=from_db(row["received_at"]),
        published_at=row["published_at"],
        content_hash=row["content_hash"],
        schema_id=row["schema_id"],
        brief=Brief.from_json(row["json"], text=row["text"], sentence_spans=spans),
    )


class Articles:
    def __init__(self, conns: Connections, defaults: ChatDefaults) -> None:
        self._conns = conns
        self._defaults = defaults

    async def add(self, chat_id: int, source: ArticleSource, brief: Brief) -> AddResult:
        """Store the article and its Brief, unless the chat already has the same URL or the same text.

        A repeat writes nothing and returns the id stored the first time with `is_repeat=True`.
        """
        check_chat_id(chat_id)
        check_brief(brief)
        _check_source(source)
        url = source.url or brief.url
        url_key = normalize_url(url) if url else None
        async with self._conns.writing() as conn:
            await ensure_chat_row(conn, chat_id, self._defaults, source.received_at)
            existing = await _find_repeat(conn, chat_id, url_key, content_hash(brief.text))
            if existing is not None:
                return AddResult(existing, is_repeat=True)
            article_id = await _insert(conn, chat_id, source, brief, url)
        return AddResult(article_id, is_repeat=False)

    async def find_repeat(
        self, chat_id: int, *, url: str | None = None, text: str | None = None
    ) -> int | None:
        """The id of the chat's article with this URL (normalized) or this cleaned text, without writing:
        lets the bot answer a repeat from storage before fetching or parsing anything."""
        check_chat_id(chat_id)
        if url is None and text is None:
            return None
        url_key = normalize_url(url) if url else None
        text_hash = content_hash(text) if text is not None else ""
        async with self._conns.reading() as conn:
            return await _find_repeat(conn, chat_id, url_key, text_hash)

    async def get(self, chat_id: int, article_id: int) -> StoredArticle | None:
        """One of the chat's articles with its full Brief; None if the chat has no such article."""
        async with self._conns.reading() as conn:
            row = await (
                await conn.execute(
                    f"SELECT {_ARTICLE_COLUMNS} FROM articles AS a JOIN briefs AS b ON b.article_id = a.id"
                    " WHERE a.chat_id = ? AND a.id = ?",
                    (check_chat_id(chat_id), article_id),
                )
            ).fetchone()
        return None if row is None else article_from_row(row)

    async def recent(
        self, chat_id: int, limit: int = 10, *, kinds: Sequence[SourceKind] | None = None
    ) -> list[HistoryEntry]:
        """The chat's most recently received articles, newest first (only those of `kinds` when given)."""
        kind_filter, kind_params = "", []
        if kinds is not None:
            kind_filter = f" AND a.source_kind IN ({', '.join('?' * len(kinds))})" if kinds else " AND 1 = 0"
            kind_params = list(kinds)
        async with self._conns.reading() as conn:
            rows = await conn.execute_fetchall(
                # the lead (first sentence) names an untitled article; read from `sentences`, as both
                # dialects store it (no JSON functions, which SQLite and PostgreSQL spell differently)
                "SELECT a.id, a.title, a.source_kind, a.url, a.forward_title, a.received_at, a.published_at,"
                " CASE WHEN a.title IS NULL THEN (SELECT substr(a.text, s.char_start + 1, s.char_end - s.char_start)"
                " FROM sentences AS s WHERE s.article_id = a.id AND s.position = 0) END AS lead FROM articles AS a"
                f" WHERE a.chat_id = ?{kind_filter} ORDER BY a.received_at DESC, a.id DESC LIMIT ?",
                (check_chat_id(chat_id), *kind_params, check_limit(limit)),
            )
        return [
            HistoryEntry(
                id=row["id"],
                title=row["title"],
                kind=cast(SourceKind, row["source_kind"]),
                url=row["url"],
                forward_title=row["forward_title"],
                received_at=from_db(row["received_at"]),
                published=row["published_at"],
                lead=row["lead"],
            )
            for row in rows
        ]

    async def count(self, chat_id: int) -> int:
        async with self._conns.reading() as conn:
            row = await (
                await conn.execute(
                    "SELECT count(*) FROM articles WHERE chat_id = ?", (check_chat_id(chat_id),)
                )
            ).fetchone()
        return int(row[0]) if row else 0

    async def received_since(
        self, chat_id: int, since: datetime, *, limit: int = HISTORY_LIMIT_MAX
    ) -> list[StoredArticle]:
        """The chat's articles received at or after `since`, oldest first, with their Briefs (for digests)."""
        async with self._conns.reading() as conn:
            rows = await conn.execute_fetchall(
                f"SELECT {_ARTICLE_COLUMNS} FROM articles AS a JOIN briefs AS b ON b.article_id = a.id"
                " WHERE a.chat_id = ? AND a.received_at >= ? ORDER BY a.received_at, a.id LIMIT ?",
                (check_chat_id(chat_id), to_db(since), check_limit(limit)),
            )
        return [article_from_row(row) for row in rows]
