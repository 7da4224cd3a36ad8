"""The update inbox (storage/inbox.py) on a real SQLite file and a real PostgreSQL database: recorded once
per update id, text dropped when handled, taken over from dead runs with a try counted, pruned after a
day, deleted by /forget; and the outbox's replies of one update dropped when it is handled again."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from storage import open_database
from storage.liveness import RunLiveness
from tests.storage_support import at

A, B = 101, -100200300  # a private chat and a group


@pytest.fixture
async def db(backend):
    async with open_database(backend.target("inbox.db")) as database:
        yield database


def _update(update_id: int, chat: int, text: str) -> dict[str, object]:
    return {"update_id": update_id, "message": {"message_id": 1, "chat": {"id": chat}, "text": text}}


async def test_an_update_is_recorded_once_and_its_text_dropped_when_handled(db):
    assert await db.inbox.record(10, A, _update(10, A, "secret « ü"), owner="run", at=at(0))
    assert not await db.inbox.record(10, A, _update(10, A, "secret « ü"), owner="run", at=at(1))
    assert [(u.update_id, u.chat_id, u.payload["message"]["text"]) for u in await db.inbox.unhandled()] == [
        (10, A, "secret « ü")
    ]
    await db.inbox.done(10, at=at(2))
    assert await db.inbox.unhandled() == []
    # Handled, its id stays: a second delivery by Telegram is still recognised.
    assert not await db.inbox.record(10, A, _update(10, A, "secret « ü"), owner="other", at=at(3))


async def test_unhandled_updates_of_other_runs_are_taken_over_in_order_with_tries(db):
    await db.inbox.record(7, B, _update(7, B, "b"), owner="dead", at=at(0))
    await db.inbox.record(5, A, _update(5, A, "a"), owner="dead", at=at(1))  # ids need not increase
    await db.inbox.record(9, None, {"update_id": 9, "poll": {}}, owner="dead", at=at(2))
    await db.inbox.record(11, A, _update(11, A, "mine"), owner="me", at=at(3))
    await db.inbox.record(12, A, _update(12, A, "handled"), owner="dead", at=at(4))
    await db.inbox.done(12, at=at(5))
    taken = await db.inbox.take_over(owner="me")
    assert [(u.update_id, u.chat_id, u.tries) for u in taken] == [
        (7, B, 1),
        (5, A, 1),
        (9, None, 1),
        (11, A, 0),
    ]
    assert [u.tries for u in await db.inbox.take_over(owner="next")] == [2, 2, 2, 1]
    assert taken[0].received_at == at(0)


async def test_handled_rows_are_pruned_after_their_day(db):
    await db.inbox.record(1, A, _update(1, A, "old"), owner="run", at=at(0))
    await db.inbox.record(2, A, _update(2, A, "open"), owner="run", at=at(0))
    await db.inbox.done(1, at=at(0))
    assert await db.inbox.prune(before=at(0) + timedelta(seconds=1)) == 1
    assert [u.update_id for u in await db.inbox.unhandled()] == [2]  # an unhandled one is never pruned
    assert await db.inbox.record(1, A, _update(1, A, "new"), owner="run", at=at(9))


async def test_forget_deletes_the_chats_inbox_rows_only(db):
    await db.inbox.record(1, A, _update(1, A, "secret"), owner="run", at=at(0))
    await db.inbox.record(2, B, _update(2, B, "kept"), owner="run", at=at(1))
    await db.delete_chat(A)
    assert [u.payload["message"]["text"] for u in await db.inbox.unhandled()] == ["kept"]


async def test_replies_to_an_update_handled_again_are_dropped_from_the_outbox(db):
    send = {"chat_id": A, "text": "Reading…"}
    await db.outbox.add(A, "sendMessage", send, owner="dead", at=at(0), update_id=41)
    await db.outbox.add(A, "sendMessage", send, owner="dead", at=at(1), update_id=42)
    await db.outbox.add(A, "sendMessage", send, owner="dead", at=at(2))
    await db.outbox.add(B, "sendMessage", {**send, "chat_id": B}, owner="dead", at=at(3), update_id=41)
    assert await db.outbox.drop_answers(A, 41) == 1
    assert [row.update_id for row in await db.outbox.pending(A)] == [42, None]
    assert [row.update_id for row in await db.outbox.pending(B)] == [41]  # scoped by chat


async def test_only_dead_runs_rows_are_taken_over(db, backend):
    """A live replica (PostgreSQL: it holds its run lock) keeps its rows; a dead one's are taken over.
    On SQLite there is one process, so every other run is dead."""
    url = getattr(backend, "url", None)
    live, starting = RunLiveness(url), RunLiveness(url)
    alive, gone = f"alive-{uuid.uuid4().hex}", f"gone-{uuid.uuid4().hex}"
    try:
        await live.claim(alive)
        await db.inbox.record(1, A, _update(1, A, "in a live run"), owner=alive, at=at(0))
        await db.inbox.record(2, A, _update(2, A, "in a dead run"), owner=gone, at=at(1))
        await db.outbox.add(A, "sendMessage", {"chat_id": A, "text": "live"}, owner=alive, at=at(2))
        await db.outbox.add(A, "sendMessage", {"chat_id": A, "text": "dead"}, owner=gone, at=at(3))
        owners = sorted(
            set(await db.inbox.owners_left(owner="me")) | set(await db.outbox.owners_left(owner="me"))
        )
        dead = await starting.dead(owners)
        assert dead == ([gone] if url else owners)
        taken = await db.inbox.take_over(owner="me", from_owners=dead)
        replies = await db.outbox.take_over(A, owner="me", from_owners=dead)
        if url:
            assert [u.update_id for u in taken] == [2]
            assert [r.params["text"] for r in replies] == ["dead"]
            await live.close()  # the replica dies: now its rows are free too
            assert await starting.dead([alive]) == [alive]
        else:
            assert [u.update_id for u in taken] == [1, 2]
            assert [r.params["text"] for r in replies] == ["live", "dead"]
        assert await db.outbox.chats_left_by_others("me", []) == []
    finally:
        await live.close()
        await starting.close()
