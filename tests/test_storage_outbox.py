"""The reply outbox (storage/outbox.py) on a real SQLite file and a real PostgreSQL database: rows kept in
order per chat, scoped by chat, taken over from dead runs, deleted when delivered and by /forget."""

from __future__ import annotations

import pytest

from storage import open_database
from tests.storage_support import at

A, B = 101, -100200300  # a private chat and a group


@pytest.fixture
async def db(backend):
    async with open_database(backend.target("outbox.db")) as database:
        yield database


def _send(chat: int, text: str) -> dict[str, object]:
    return {"chat_id": chat, "text": text, "parse_mode": "HTML", "reply_markup": {"inline_keyboard": []}}


async def test_rows_are_kept_per_chat_in_order_until_done(db):
    first = await db.outbox.add(A, "sendMessage", _send(A, "one « ü"), owner="run1", at=at(0))
    other = await db.outbox.add(B, "sendMessage", _send(B, "group"), owner="run1", at=at(1))
    second = await db.outbox.add(
        A, "editMessageText", {**_send(A, "two"), "message_id": 7}, owner="run1", at=at(2)
    )
    pending = await db.outbox.pending(A)
    assert [row.id for row in pending] == [first, second] and first < second
    assert pending[0].params == _send(A, "one « ü") and pending[0].method == "sendMessage"
    assert pending[1].params["message_id"] == 7 and pending[0].created_at == at(0)
    assert [row.id for row in await db.outbox.pending(B)] == [other]
    await db.outbox.done(B, first)  # another chat's id: scoped, nothing happens
    assert len(await db.outbox.pending(A)) == 2
    await db.outbox.done(A, first)
    assert [row.id for row in await db.outbox.pending(A)] == [second]


async def test_rows_of_other_runs_are_taken_over_oldest_chat_first(db):
    await db.outbox.add(B, "sendMessage", _send(B, "b1"), owner="dead", at=at(0))
    await db.outbox.add(A, "sendMessage", _send(A, "a1"), owner="dead", at=at(1))
    await db.outbox.add(A, "sendMessage", _send(A, "a2"), owner="me", at=at(2))
    assert await db.outbox.chats_left_by_others("me") == [B, A]
    taken = await db.outbox.take_over(A, owner="me")
    assert [row.params["text"] for row in taken] == ["a1", "a2"] and {row.owner for row in taken} == {"me"}
    assert await db.outbox.chats_left_by_others("me") == [B]
    assert [row.owner for row in await db.outbox.pending(B)] == ["dead"]


async def test_forget_deletes_the_chats_outbox_rows_only(db):
    await db.outbox.add(A, "sendMessage", _send(A, "secret reply"), owner="run", at=at(0))
    await db.outbox.add(B, "sendMessage", _send(B, "kept"), owner="run", at=at(1))
    await db.delete_chat(A)
    assert await db.outbox.pending(A) == []
    assert [row.params["text"] for row in await db.outbox.pending(B)] == ["kept"]
