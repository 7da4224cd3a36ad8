"""Daily digests sent: at most one per chat and local calendar day."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
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

    # ---- delivery at least once: claim (with the rendered messages), record each message, finish ------

    async def claim(
        self, chat_id: int, local_date: date, *, at: datetime, owner: str, messages: Sequence[str]
    ) -> bool:
        """Reserve the chat's digest of `local_date` with its rendered messages; False if the day already
        has a digest (sent, or claimed by some run)."""
        check_chat_id(chat_id)
        async with self._conns.writing() as conn:
            await ensure_chat_row(conn, chat_id, self._defaults, at)
            cursor = await conn.execute(
                "INSERT INTO digests (chat_id, local_date, sent_at, message_ids, state, messages, owner)"
                " VALUES (?, ?, ?, '[]', 'claimed', ?, ?) ON CONFLICT (chat_id, local_date) DO NOTHING",
                (chat_id, date_to_db(local_date), to_db(at), json.dumps(list(messages)), owner),
            )
            return cursor.rowcount > 0

    async def record_message(self, chat_id: int, local_date: date, message_id: int) -> None:
        """One more of the claimed digest's messages is known delivered."""
        async with self._conns.writing() as conn:
            append = (  # the message id goes on the end of the JSON list
                "(message_ids::jsonb || to_jsonb(CAST(? AS BIGINT)))::text"
                if self._conns.dialect == "postgresql"
                else "json_insert(message_ids, '$[#]', ?)"
            )
            await conn.execute(
                f"UPDATE digests SET message_ids = {append}"
                " WHERE chat_id = ? AND local_date = ? AND state = 'claimed'",
                (int(message_id), check_chat_id(chat_id), date_to_db(local_date)),
            )

    async def finish(self, chat_id: int, local_date: date, *, sent_at: datetime) -> None:
        async with self._conns.writing() as conn:
            await conn.execute(
                "UPDATE digests SET state = 'sent', sent_at = ?, messages = NULL"
                " WHERE chat_id = ? AND local_date = ?",
                (to_db(sent_at), check_chat_id(chat_id), date_to_db(local_date)),
            )

    async def release(self, chat_id: int, local_date: date) -> bool:
        """Drop a claim none of whose messages went out (the first send was refused), to retry later."""
        async with self._conns.writing() as conn:
            cursor = await conn.execute(
                "DELETE FROM digests WHERE chat_id = ? AND local_date = ? AND state = 'claimed'"
                " AND message_ids = '[]'",
                (check_chat_id(chat_id), date_to_db(local_date)),
            )
            return cursor.rowcount > 0

    async def take_over(self, chat_id: int, local_date: date, *, owner: str) -> bool:
        """Make an unfinished claim this run's (it is about to resume it)."""
        async with self._conns.writing() as conn:
            cursor = await conn.execute(
                "UPDATE digests SET owner = ? WHERE chat_id = ? AND local_date = ? AND state = 'claimed'",
                (owner, check_chat_id(chat_id), date_to_db(local_date)),
            )
            return cursor.rowcount > 0

    async def unfinished(self) -> list[DigestClaim]:
        """Claimed digests not yet wholly delivered, oldest first (of every chat: the scheduler's view)."""
        async with self._conns.reading() as conn:
            rows = await conn.execute_fetchall(
                "SELECT chat_id, local_date, sent_at, message_ids, messages, owner FROM digests"
                " WHERE state = 'claimed' ORDER BY sent_at, chat_id"
            )
        return [
            DigestClaim(
                chat_id=row["chat_id"],
                local_date=date.fromisoformat(row["local_date"]),
                claimed_at=from_db(row["sent_at"]),
                message_ids=tuple(json.loads(row["message_ids"])),
                messages=None if row["messages"] is None else tuple(json.loads(row["messages"])),
                owner=row["owner"],
            )
            for row in rows
        ]


@dataclass(frozen=True)
class DigestClaim:
    """A digest that was claimed and is not (known to be) wholly delivered."""

    chat_id: int
    local_date: date
    claimed_at: datetime
    message_ids: tuple[int, ...]  # the first len(message_ids) messages are known delivered
    messages: tuple[str, ...] | None  # None: claimed before the messages were stored (schema < 4)
    owner: str | None
