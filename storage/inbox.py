"""Updates from Telegram, each recorded before it is acknowledged and marked handled once its handler ends.

Telegram forgets an update once the bot acknowledges it (the next getUpdates offset, or the webhook's
200), long before a brief of it is ready. A run that dies in between would lose the message; with the
update here, the next start handles it again. A handled row keeps only its update id (its text is dropped
at once), for a day: Telegram delivers an update it was not told about again, and a run that recorded it
but died before acknowledging it must not answer it twice. Rows carry the chat id so /forget deletes them.

Keyed by Telegram's update id, which is unique for the bot (it restarts at random only after a week
without updates, longer than a handled row is kept).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from storage.chats import check_chat_id
from storage.clock import from_db, to_db
from storage.db import Connections

KEEP_HANDLED = timedelta(days=1)  # Telegram keeps an unacknowledged update for 24 hours
PRUNE_EVERY = 500  # records between two sweeps of old handled rows


@dataclass(frozen=True)
class PendingUpdate:
    """An update recorded and not (known to be) handled yet."""

    update_id: int
    chat_id: int | None  # None: an update of no chat (e.g. a poll's)
    payload: dict[str, Any]  # the update as Telegram sent it (JSON)
    tries: int  # how many runs have taken it over so far
    received_at: datetime


class Inbox:
    def __init__(self, conns: Connections) -> None:
        self._conns = conns
        self._recorded = 0

    async def record(
        self,
        update_id: int,
        chat_id: int | None,
        payload: Mapping[str, Any],
        *,
        owner: str,
        at: datetime,
    ) -> bool:
        """Record an update about to be handled by `owner`; False if it was recorded before (Telegram
        delivering again one that a dead run had not acknowledged, or one being replayed)."""
        text = json.dumps(dict(payload), ensure_ascii=False, separators=(",", ":"))
        async with self._conns.writing() as conn:
            row = await (
                await conn.execute(
                    "INSERT INTO inbox (update_id, chat_id, payload, owner, received_at)"
                    " VALUES (?, ?, ?, ?, ?) ON CONFLICT (update_id) DO NOTHING RETURNING id",
                    (int(update_id), _chat(chat_id), text, owner, to_db(at)),
                )
            ).fetchone()
        self._recorded += 1
        if self._recorded % PRUNE_EVERY == 0:
            await self.prune(before=at - KEEP_HANDLED)
        return row is not None

    async def done(self, update_id: int, *, at: datetime) -> None:
        """The update's handler has ended: its text goes, its id stays (see the module's docstring)."""
        async with self._conns.writing() as conn:
            await conn.execute(
                "UPDATE inbox SET payload = NULL, done_at = ? WHERE update_id = ?",
                (to_db(at), int(update_id)),
            )

    async def owners_left(self, *, owner: str) -> list[str]:
        """The runs other than `owner` with unhandled updates."""
        async with self._conns.reading() as conn:
            rows = await conn.execute_fetchall(
                "SELECT DISTINCT owner FROM inbox WHERE done_at IS NULL AND owner <> ? ORDER BY owner",
                (owner,),
            )
        return [row["owner"] for row in rows]

    async def take_over(self, *, owner: str, from_owners: Sequence[str] | None = None) -> list[PendingUpdate]:
        """Make the unhandled updates of other runs (of `from_owners` only, if given: the dead ones)
        `owner`'s, counting one more try for each, and return all of `owner`'s in the order received."""
        async with self._conns.writing() as conn:
            if from_owners is None:
                await conn.execute(
                    "UPDATE inbox SET owner = ?, tries = tries + 1 WHERE done_at IS NULL AND owner <> ?",
                    (owner, owner),
                )
            elif from_owners:
                marks = ", ".join("?" for _ in from_owners)
                await conn.execute(
                    "UPDATE inbox SET owner = ?, tries = tries + 1"
                    f" WHERE done_at IS NULL AND owner IN ({marks}) AND owner <> ?",
                    (owner, *from_owners, owner),
                )
            rows = await conn.execute_fetchall(
                "SELECT * FROM inbox WHERE done_at IS NULL AND owner = ? ORDER BY id", (owner,)
            )
        return [_pending(row) for row in rows]

    async def unhandled(self) -> list[PendingUpdate]:
        """Every update not handled yet, oldest first (for tests and the start-up log)."""
        async with self._conns.reading() as conn:
            rows = await conn.execute_fetchall("SELECT * FROM inbox WHERE done_at IS NULL ORDER BY id")
        return [_pending(row) for row in rows]

    async def prune(self, *, before: datetime) -> int:
        """Forget handled updates older than `before`; how many went."""
        async with self._conns.writing() as conn:
            cursor = await conn.execute(
                "DELETE FROM inbox WHERE done_at IS NOT NULL AND done_at < ?", (to_db(before),)
            )
        return max(int(cursor.rowcount or 0), 0)


def _chat(chat_id: int | None) -> int | None:
    return None if chat_id is None else check_chat_id(chat_id)


def _pending(row: Any) -> PendingUpdate:
    return PendingUpdate(
        update_id=int(row["update_id"]),
        chat_id=None if row["chat_id"] is None else int(row["chat_id"]),
        payload=json.loads(row["payload"]),
        tries=int(row["tries"]),
        received_at=from_db(row["received_at"]),
    )
