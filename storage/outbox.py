"""Replies on their way to Telegram: each recorded before its first attempt, deleted once Telegram has it.

A row is the Bot API call as it goes out (method and JSON parameters), so a run that dies while the call
is still being retried leaves it here and the next start sends it. Delivered rows are deleted at once
rather than kept as "done": nothing reads them, and no reply text outlives its delivery (what /forget
must remove stays as small as the replies in flight). No foreign key to `chats`: a reply must not create
a chat row (the answer to /forget goes to a chat that no longer has one); /forget deletes the rows itself.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from storage.chats import check_chat_id
from storage.clock import from_db, to_db
from storage.db import Connections


@dataclass(frozen=True)
class PendingReply:
    """A Bot API call recorded and not (known to be) carried out yet."""

    id: int  # increasing: a chat's replies are sent in id order
    chat_id: int
    method: str  # the Bot API method, e.g. "sendMessage"
    params: dict[str, Any]  # the call's parameters as JSON values
    owner: str  # the run (process) that is sending it
    created_at: datetime
    update_id: int | None = None  # the update it answers, when it answers one


class Outbox:
    def __init__(self, conns: Connections) -> None:
        self._conns = conns

    async def add(
        self,
        chat_id: int,
        method: str,
        params: Mapping[str, Any],
        *,
        owner: str,
        at: datetime,
        update_id: int | None = None,
    ) -> int:
        """Record a call about to be made (in answer to `update_id`, if given); its id."""
        payload = json.dumps(dict(params), ensure_ascii=False, separators=(",", ":"))
        async with self._conns.writing() as conn:
            row = await (
                await conn.execute(
                    "INSERT INTO outbox (chat_id, method, payload, owner, created_at, update_id)"
                    " VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                    (check_chat_id(chat_id), method, payload, owner, to_db(at), update_id),
                )
            ).fetchone()
        assert row is not None
        return int(row["id"])

    async def done(self, chat_id: int, reply_id: int) -> None:
        """Telegram has it (or refused it for good): the row goes."""
        async with self._conns.writing() as conn:
            await conn.execute(
                "DELETE FROM outbox WHERE chat_id = ? AND id = ?", (check_chat_id(chat_id), int(reply_id))
            )

    async def pending(self, chat_id: int) -> list[PendingReply]:
        """The chat's unsent replies, oldest first."""
        async with self._conns.reading() as conn:
            rows = await conn.execute_fetchall(
                "SELECT * FROM outbox WHERE chat_id = ? ORDER BY id", (check_chat_id(chat_id),)
            )
        return [_reply(row) for row in rows]

    async def take_over(
        self, chat_id: int, *, owner: str, from_owners: Sequence[str] | None = None
    ) -> list[PendingReply]:
        """Make the chat's unsent replies of other runs (of `from_owners` only, if given: the dead ones)
        this run's, and return all of this run's oldest first."""
        async with self._conns.writing() as conn:
            others, params = _others(owner, from_owners)
            await conn.execute(
                f"UPDATE outbox SET owner = ? WHERE chat_id = ? AND {others}",
                (owner, check_chat_id(chat_id), *params),
            )
            rows = await conn.execute_fetchall(
                "SELECT * FROM outbox WHERE chat_id = ? AND owner = ? ORDER BY id", (chat_id, owner)
            )
        return [_reply(row) for row in rows]

    async def drop_answers(self, chat_id: int, update_id: int) -> int:
        """Delete the chat's unsent replies to `update_id` (it is handled again and answers afresh); how
        many went."""
        async with self._conns.writing() as conn:
            cursor = await conn.execute(
                "DELETE FROM outbox WHERE chat_id = ? AND update_id = ?",
                (check_chat_id(chat_id), int(update_id)),
            )
        return max(int(cursor.rowcount or 0), 0)

    async def chats_left_by_others(self, owner: str, from_owners: Sequence[str] | None = None) -> list[int]:
        """Chats with unsent replies of runs other than `owner` (of `from_owners` only, if given), the
        start-up view across chats, the chat of the oldest first."""
        others, params = _others(owner, from_owners)
        async with self._conns.reading() as conn:
            rows = await conn.execute_fetchall(
                f"SELECT chat_id FROM outbox WHERE {others} GROUP BY chat_id ORDER BY min(id)", params
            )
        return [int(row["chat_id"]) for row in rows]

    async def owners_left(self, *, owner: str) -> list[str]:
        """The runs other than `owner` with unsent replies."""
        async with self._conns.reading() as conn:
            rows = await conn.execute_fetchall(
                "SELECT DISTINCT owner FROM outbox WHERE owner <> ? ORDER BY owner", (owner,)
            )
        return [row["owner"] for row in rows]


def _others(owner: str, from_owners: Sequence[str] | None) -> tuple[str, tuple[str, ...]]:
    """SQL condition and parameters: rows of runs other than `owner` (of `from_owners` only, if given)."""
    if from_owners is None:
        return "owner <> ?", (owner,)
    if not from_owners:
        return "0 = 1", ()
    marks = ", ".join("?" for _ in from_owners)
    return f"owner IN ({marks}) AND owner <> ?", (*from_owners, owner)


def _reply(row: Any) -> PendingReply:
    return PendingReply(
        id=int(row["id"]),
        chat_id=int(row["chat_id"]),
        method=row["method"],
        params=json.loads(row["payload"]),
        owner=row["owner"],
        created_at=from_db(row["created_at"]),
        update_id=None if row["update_id"] is None else int(row["update_id"]),
    )
