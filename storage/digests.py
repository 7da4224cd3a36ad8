"""Daily digests sent: at most one per chat and local calendar day."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime

from storage.chats import ChatDefaults, check_chat_id, ensure_chat_row
from storage.clock import date_to_db, from_db, to_db
from storage.db import Connections
from storage.records import DigestRecord


class Digests:
    def __init__(self, conns: Connections, defaults: ChatDefaults) -> None:
        self._conns = conns
        self._defaults = defaults

    async def record(
        self, chat_id: int, local_date: date, *, sent_at: datetime, message_ids: Sequence[int] = ()
    ) -> bool:
        """Record the digest of `local_date` as sent; False (and nothing changed) if one was already recorded."""
        check_chat_id(chat_id)
        day = date_to_db(local_date)
        ids = json.dumps([int(message_id) for message_id in message_ids])
        async with self._conns.writing() as conn:
            await ensure_chat_row(conn, chat_id, self._defaults, sent_at)
            cursor = await conn.execute(
                "INSERT INTO digests (chat_id, local_date, sent_at, message_ids) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (chat_id, local_date) DO NOTHING",
                (chat_id, day, to_db(sent_at), ids),
            )
            return cursor.rowcount > 0

    async def has(self, chat_id: int, local_date: date) -> bool:
        async with self._conns.reading() as conn:
            row = await (
                await conn.execute(
                    "SELECT 1 FROM digests WHERE chat_id = ? AND local_date = ?",
                    (check_chat_id(chat_id), date_to_db(local_date)),
                )
            ).fetchone()
        return row is not None

    async def get(self, chat_id: int, local_date: date) -> DigestRecord | None:
        async with self._conns.reading() as conn:
            row = await (
                await conn.execute(
                    "SELECT * FROM digests WHERE chat_id = ? AND local_date = ?",
                    (check_chat_id(chat_id), date_to_db(local_date)),
                )
            ).fetchone()
        if row is None:
            return None
        return DigestRecord(
            chat_id=row["chat_id"],
            local_date=date.fromisoformat(row["local_date"]),
            sent_at=from_db(row["sent_at"]),
            message_ids=tuple(json.loads(row["message_ids"])),
        )

    async def last_sent_at(self, chat_id: int) -> datetime | None:
        """When the chat's latest digest went out (the start of the next digest's window)."""
        async with self._conns.reading() as conn:
            row = await (
                await conn.execute(
                    "SELECT max(sent_at) FROM digests WHERE chat_id = ?", (check_chat_id(chat_id),)
                )
            ).fetchone()
        return None if row is None or row[0] is None else from_db(row[0])
