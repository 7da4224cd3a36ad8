"""A chat's right to leave: delete everything it stored, or take all of it with it as JSON."""

from __future__ import annotations

import json
import logging
from typing import Any

from storage.chats import check_chat_id, select_chat
from storage.clock import to_db, utc_now
from storage.db import Connections
from storage.feeds import drop_orphan_feeds
from storage.records import DeletedChat

log = logging.getLogger(__name__)
EXPORT_FORMAT = "conflictbrief.chat-export/1"


class Privacy:
    def __init__(self, conns: Connections) -> None:
        self._conns = conns

    async def delete_chat(self, chat_id: int) -> DeletedChat:
        """Delete the chat and everything it owns: articles, briefs, index rows, figures, quotes,
        subscriptions (and feeds nobody else follows), digests, replies still in the outbox, updates in the inbox. Deleted pages
        are zeroed (secure_delete) and the write-ahead log is truncated, so the text does not linger in the
        file."""
        check_chat_id(chat_id)
        async with self._conns.writing() as conn:
            counts = []
            for table in ("articles", "subscriptions", "digests"):
                row = await (
                    await conn.execute(f"SELECT count(*) FROM {table} WHERE chat_id = ?", (chat_id,))
                ).fetchone()
                counts.append(int(row[0]) if row else 0)
            # Table by table rather than by cascade alone: the same result, several times faster, and
            # the writer is held for less time. Index rows go first, while their text is still there.
            if self._conns.dialect == "sqlite":  # PostgreSQL's index entries live in the sentence rows
                await conn.execute(
                    "INSERT INTO sentences_fts (sentences_fts, rowid, text) SELECT 'delete', t.id, t.text"
                    " FROM sentence_text AS t JOIN sentences AS s ON s.id = t.id"
                    " WHERE s.article_id IN (SELECT id FROM articles WHERE chat_id = ?)",
                    (chat_id,),
                )
            for table in ("sentences", "quotes", "figures", "briefs"):
                await conn.execute(
                    f"DELETE FROM {table} WHERE article_id IN (SELECT id FROM articles WHERE chat_id = ?)",
                    (chat_id,),
                )
            for table in ("articles", "subscriptions", "digests", "outbox", "inbox"):
                await conn.execute(f"DELETE FROM {table} WHERE chat_id = ?", (chat_id,))
            cursor = await conn.execute("DELETE FROM chats WHERE chat_id = ?", (chat_id,))
            existed = cursor.rowcount > 0
            await drop_orphan_feeds(conn)
        # Merge the full-text index so the deleted words leave its segments, then fold the log into the
        # file; both are best-effort housekeeping and never undo the committed delete.
        if self._conns.dialect == "sqlite":  # PostgreSQL's index entries went with their rows
            async with self._conns.writing() as conn:
                await conn.execute("INSERT INTO sentences_fts (sentences_fts) VALUES ('optimize')")
        if not await self._conns.scrub_log():
            log.error("chat deleted, but the write-ahead log could not be truncated: a read stayed open")
        return DeletedChat(chat_id, existed, articles=counts[0], subscriptions=counts[1], digests=counts[2])

    async def export_chat(self, chat_id: int) -> dict[str, Any]:
        """Everything stored for the chat as one JSON-serialisable dict (times in UTC ISO-8601)."""
        check_chat_id(chat_id)
        async with self._conns.reading(snapshot=True) as conn:
            settings = await select_chat(conn, chat_id)
            articles = await conn.execute_fetchall(
                "SELECT a.*, b.schema_id, b.json FROM articles AS a JOIN briefs AS b ON b.article_id = a.id"
                " WHERE a.chat_id = ? ORDER BY a.received_at, a.id",
                (chat_id,),
            )
            subscriptions = await conn.execute_fetchall(
                "SELECT f.url, f.title, s.include_words, s.exclude_words, s.created_at"
                " FROM subscriptions AS s JOIN feeds AS f ON f.id = s.feed_id WHERE s.chat_id = ?"
                " ORDER BY s.created_at, f.url",
                (chat_id,),
            )
            digests = await conn.execute_fetchall(
                "SELECT local_date, sent_at, message_ids FROM digests WHERE chat_id = ? ORDER BY local_date",
                (chat_id,),
            )
        return {
            "format": EXPORT_FORMAT,
            "exported_at": to_db(utc_now()),
            "chat_id": chat_id,
            "settings": None
            if settings is None
            else {
                "timezone": settings.timezone,
                "digest_time": settings.digest_time,
                "digest_enabled": settings.digest_enabled,
                "created_at": to_db(settings.created_at),
            },
            "articles": [
                {
                    "id": row["id"],
                    "source": {
                        "kind": row["source_kind"],
                        "url": row["url"],
                        "forward_title": row["forward_title"],
                        "forward_username": row["forward_username"],
                        "forward_message_id": row["forward_message_id"],
                    },
                    "title": row["title"],
                    "dateline": row["dateline"],
                    "received_at": row["received_at"],
                    "published_at": row["published_at"],
                    "content_hash": row["content_hash"],
                    "text": row["text"],
                    "sentence_spans": json.loads(row["sentence_spans"]),
                    "brief_schema": row["schema_id"],
                    "brief": json.loads(row["json"]),
                }
                for row in articles
            ],
            "subscriptions": [
                {
                    "url": row["url"],
                    "title": row["title"],
                    "include": json.loads(row["include_words"]),
                    "exclude": json.loads(row["exclude_words"]),
                    "created_at": row["created_at"],
                }
                for row in subscriptions
            ],
            "digests": [
                {
                    "local_date": row["local_date"],
                    "sent_at": row["sent_at"],
                    "message_ids": json.loads(row["message_ids"]),
                }
                for row in digests
            ],
        }
