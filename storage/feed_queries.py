"""Queries the feed poller, /feeds and the digest need beyond storage.feeds and storage.digests.

Kept in a module of its own so the existing ones stay as they are. Every chat-facing query takes `chat_id`.
A digest goes through two steps here: `claim_digest` (the row exists, no message ids yet) before anything
is sent, `mark_digest_sent` after; `release_digest` undoes a claim only while nothing was sent.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from storage.articles import _ARTICLE_COLUMNS, article_from_row, check_limit
from storage.chats import check_chat_id, ensure_chat_row
from storage.clock import date_to_db, maybe_from_db, to_db
from storage.database import Database
from storage.records import StoredArticle

PENDING_IDS = "[]"  # a claimed digest whose messages are not (yet) known to be sent


@dataclass(frozen=True)
class FeedOverview:
    """One of a chat's feeds as /feeds shows it."""

    position: int  # 1-based, the number /unsubscribe takes
    feed_id: int
    url: str
    title: str | None
    include: tuple[str, ...]
    exclude: tuple[str, ...]
    last_checked: datetime | None
    error_count: int
    last_error: str | None
    items: int  # items seen in the feed so far


@dataclass(frozen=True)
class FeedArticle:
    """A chat's article that came from one of its feeds, with that feed's title."""

    article: StoredArticle
    feed_title: str | None


class FeedQueries:
    def __init__(self, db: Database) -> None:
        self._conns = db.connections  # the same connections (one writer lock) as the rest of storage
        self._defaults = db.chats.defaults  # new chats get the database's defaults, as elsewhere

    async def overview(self, chat_id: int) -> list[FeedOverview]:
        async with self._conns.reading() as conn:
            rows = await conn.execute_fetchall(
                "SELECT f.id, f.url, f.title, f.last_checked, f.error_count, f.last_error,"
                " s.include_words, s.exclude_words,"
                " (SELECT count(*) FROM feed_items AS i WHERE i.feed_id = f.id) AS items"
                " FROM subscriptions AS s JOIN feeds AS f ON f.id = s.feed_id"
                " WHERE s.chat_id = ? ORDER BY s.created_at, f.url",
                (check_chat_id(chat_id),),
            )
        return [
            FeedOverview(
                position=position,
                feed_id=row["id"],
                url=row["url"],
                title=row["title"],
                include=tuple(json.loads(row["include_words"])),
                exclude=tuple(json.loads(row["exclude_words"])),
                last_checked=maybe_from_db(row["last_checked"]),
                error_count=row["error_count"],
                last_error=row["last_error"],
                items=row["items"],
            )
            for position, row in enumerate(rows, start=1)
        ]

    async def feed_articles(
        self, chat_id: int, since: datetime, until: datetime, *, limit: int = 1000
    ) -> list[FeedArticle]:
        """The chat's feed articles received in [since, until), oldest first, each with the title of the
        (followed) feed whose item links to it."""
        async with self._conns.reading() as conn:
            rows = await conn.execute_fetchall(
                f"SELECT {_ARTICLE_COLUMNS},"
                " (SELECT coalesce(f.title, f.url) FROM subscriptions AS s"
                "   JOIN feed_items AS i ON i.feed_id = s.feed_id AND i.link = a.url"
                "   JOIN feeds AS f ON f.id = s.feed_id"
                "   WHERE s.chat_id = a.chat_id ORDER BY i.id LIMIT 1) AS feed_title"
                " FROM articles AS a JOIN briefs AS b ON b.article_id = a.id"
                " WHERE a.chat_id = ? AND a.source_kind = 'feed' AND a.received_at >= ? AND a.received_at < ?"
                " ORDER BY a.received_at, a.id LIMIT ?",
                (check_chat_id(chat_id), to_db(since), to_db(until), check_limit(limit)),
            )
        return [FeedArticle(article_from_row(row), row["feed_title"]) for row in rows]

    async def claim_digest(self, chat_id: int, local_date: date, *, at: datetime) -> bool:
        """Reserve the chat's digest of `local_date`; False if that day already has one (sent or claimed)."""
        check_chat_id(chat_id)
        async with self._conns.writing() as conn:
            await ensure_chat_row(conn, chat_id, self._defaults, at)
            cursor = await conn.execute(
                "INSERT INTO digests (chat_id, local_date, sent_at, message_ids) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (chat_id, local_date) DO NOTHING",
                (chat_id, date_to_db(local_date), to_db(at), PENDING_IDS),
            )
            return cursor.rowcount > 0

    async def mark_digest_sent(
        self, chat_id: int, local_date: date, message_ids: list[int], *, sent_at: datetime
    ) -> None:
        if not message_ids:
            raise ValueError("a sent digest has at least one message id")
        async with self._conns.writing() as conn:
            await conn.execute(
                "UPDATE digests SET message_ids = ?, sent_at = ? WHERE chat_id = ? AND local_date = ?",
                (json.dumps([int(i) for i in message_ids]), to_db(sent_at), check_chat_id(chat_id),
                 date_to_db(local_date)),
            )  # fmt: skip

    async def release_digest(self, chat_id: int, local_date: date) -> bool:
        """Drop a claim nothing was sent for (the send failed at once), so a later check may retry."""
        async with self._conns.writing() as conn:
            cursor = await conn.execute(
                "DELETE FROM digests WHERE chat_id = ? AND local_date = ? AND message_ids = ?",
                (check_chat_id(chat_id), date_to_db(local_date), PENDING_IDS),
            )
            return cursor.rowcount > 0

    async def feed_item_count(self, feed_id: int) -> int:
        async with self._conns.reading() as conn:
            row = await (
                await conn.execute("SELECT count(*) FROM feed_items WHERE feed_id = ?", (feed_id,))
            ).fetchone()
        return int(row[0]) if row else 0

    async def item_keys(self, feed_id: int, *, limit: int = 500) -> set[str]:
        """The guids and links of a feed's newest known items (telling two addresses of one feed apart)."""
        async with self._conns.reading() as conn:
            rows = await conn.execute_fetchall(
                "SELECT guid, link FROM feed_items WHERE feed_id = ? ORDER BY id DESC LIMIT ?",
                (feed_id, limit),
            )
        return {value for row in rows for value in (row["guid"], row["link"]) if value}
