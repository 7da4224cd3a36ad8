"""The durable inbox: every update is in storage before Telegram is told it arrived, so a run that dies
while a brief is being made does not lose the message: the next start handles it again.

`RecordingUpdateQueue` is the application's update queue. PTB's updater puts each update it fetched
there before its next getUpdates acknowledges it, and the webhook server before it answers 200, so a
`put` that records first is "recorded before acknowledged" for both. The chat's update processor
(bot/ordering.py) marks an update handled when its handler ends, successfully or not: a handler's own
error is answered by the error handler and must not repeat at every start. Only a run that dies (or is
stopped) mid-handler leaves it unhandled.

At start, before any new update is fetched, the updates other runs left are put first in the queue, in
the order they arrived, and the unsent replies the dead run had made for them are dropped from the
outbox (the update answers afresh). An update that has already been taken over `MAX_TRIES` times is set
aside with a short apology to its chat: it may be what stops the bot. Telegram delivering again an update
that a dead run recorded but had not acknowledged is recognised by its id and not handled twice.

At least once, not exactly once: a run killed after a reply landed but before the update was marked
handled answers it again at the next start.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from contextvars import ContextVar
from typing import Any

from telegram import Bot, Update

from storage.clock import utc_now
from storage.inbox import Inbox, PendingUpdate
from storage.outbox import Outbox

log = logging.getLogger(__name__)

MAX_TRIES = 3  # starts that take over one update before it is set aside
SET_ASIDE = (
    "Sorry: I restarted while working on one of your earlier messages, more than once, so I have set it "
    "aside. Please send it again (a shorter text or a link briefs faster)."
)

# The update whose handler is running in this task (the outbox records which update a reply answers).
ANSWERING: ContextVar[int | None] = ContextVar("answering_update", default=None)


def update_chat(update: Update) -> int | None:
    chat = update.effective_chat
    return None if chat is None else chat.id


class UpdateInbox:
    """One run's side of the inbox: record, mark handled, take over what dead runs left."""

    def __init__(self, store: Inbox, *, owner: str) -> None:
        self.store = store
        self.owner = owner
        self.replayed = 0  # updates of other runs handled by this one (for tests and the README figures)
        self.duplicates = 0  # deliveries recognised as already recorded

    async def record(self, update: Update) -> bool:
        """Record an update; False if it is a second delivery of one already recorded."""
        try:
            fresh = await self.store.record(
                update.update_id, update_chat(update), update.to_dict(), owner=self.owner, at=utc_now()
            )
        except Exception:  # storage trouble must not cost the update: it is handled unrecorded
            log.exception("inbox: update %s not recorded", update.update_id)
            return True
        if not fresh:
            self.duplicates += 1
            log.info("inbox: update %s was delivered again; handled once", update.update_id)
        return fresh

    async def handled(self, update: object) -> None:
        if not isinstance(update, Update):
            return
        try:
            await self.store.done(update.update_id, at=utc_now())
        except Exception:  # the worst case is one more answer at the next start
            log.exception("inbox: update %s not marked handled", update.update_id)

    async def take_over(self, bot: Bot, outbox: Outbox, dead: Sequence[str]) -> list[Update]:
        """The updates the `dead` runs left, oldest first, ready to be handled again; each one's unsent
        old replies dropped, and those tried too often set aside with an apology to their chat."""
        again: list[Update] = []
        for pending in await self.store.take_over(owner=self.owner, from_owners=dead):
            if pending.chat_id is not None:
                await outbox.drop_answers(pending.chat_id, pending.update_id)
            if pending.tries > MAX_TRIES:
                await self._set_aside(bot, pending)
                continue
            update = Update.de_json(pending.payload, bot)
            if update is not None:
                again.append(update)
        self.replayed += len(again)
        return again

    async def _set_aside(self, bot: Bot, pending: PendingUpdate) -> None:
        log.warning("inbox: update %s set aside after %d tries", pending.update_id, pending.tries)
        await self.store.done(pending.update_id, at=utc_now())
        if pending.chat_id is not None:
            try:
                await bot.send_message(pending.chat_id, SET_ASIDE)
            except Exception as error:  # the chat may be gone; the update is set aside all the same
                log.info("inbox: could not tell chat %s: %s", pending.chat_id, error)


class RecordingUpdateQueue(asyncio.Queue[Any]):
    """The application's update queue; records each update in the inbox (once it is set) before it is
    queued, and drops a second delivery of a recorded one."""

    def __init__(self) -> None:
        super().__init__()
        self.inbox: UpdateInbox | None = None

    async def put(self, item: Any) -> None:
        if self.inbox is not None and isinstance(item, Update) and not await self.inbox.record(item):
            return
        await super().put(item)

    async def put_again(self, update: Update) -> None:
        """Queue an update taken over from a dead run (already recorded: not recorded again)."""
        await super().put(update)
