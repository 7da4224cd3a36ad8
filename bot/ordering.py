"""Updates of one chat in the order they were sent; different chats at the same time, fairly.

PTB's own concurrent processor runs every update at once, so a short message could overtake a long article
sent just before it in the same chat. This processor runs one update per chat at a time, in arrival order,
while other chats run alongside.

Fairness: an update waiting for its chat holds none of PTB's concurrent-update slots (only the running one
does, so one chat's burst of 1,000 commands cannot fill them and stall the others), and a chat runs one
update at a time, so it holds at most one NLP worker. When a chat's backlog reaches `notify_after` waiting
updates it is told once, politely, to wait; every update it sent is still answered, in order.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import BaseUpdateProcessor

from bot.inbox import ANSWERING, UpdateInbox

log = logging.getLogger(__name__)

PLEASE_WAIT = (
    "Please wait: I'm still working on your earlier messages. I will answer every one of them, in order."
)
NOTIFY_AFTER = 5  # waiting updates of one chat before it is asked to wait


BUSY_ANSWER = "Working on it: your earlier request in this chat comes first."


async def answer_early(update: Update) -> None:
    """A button pressed while its chat is busy is answered now, before it queues behind the chat's work:
    Telegram refuses answers some 15 s after the press, and the work before it may take longer. The
    handler's own answer later fails quietly (bot.handlers.common.answer_query) and the action still runs."""
    query = update.callback_query
    if query is None:
        return
    try:
        await query.get_bot().answer_callback_query(query.id, BUSY_ANSWER)
    except TelegramError as error:
        log.info("early answer to callback query %s failed: %s", query.id, error)


def chat_key(update: object) -> int | None:
    if isinstance(update, Update) and update.effective_chat is not None:
        return update.effective_chat.id
    return None


_Waiting = tuple[object, Awaitable[Any], "asyncio.Future[None]"]


class PerChatUpdateProcessor(BaseUpdateProcessor):
    def __init__(self, max_concurrent_updates: int = 256, *, notify_after: int = NOTIFY_AFTER) -> None:
        super().__init__(max_concurrent_updates)
        self.notify_after = notify_after
        self._waiting: dict[int, deque[_Waiting]] = {}  # a chat is busy while it has an entry
        self._told: set[int] = set()  # chats asked to wait during their current busy spell
        self._answering: set[asyncio.Task[None]] = set()
        self.inbox: UpdateInbox | None = None  # set once storage is open: marks each update handled

    def backlog(self, chat_id: int) -> int:
        """Updates of `chat_id` waiting behind the one running."""
        return len(self._waiting.get(chat_id, ()))

    async def process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = chat_key(update)
        if key is None:
            await super().process_update(update, coroutine)
            await self._handled(update)
            return
        waiting = self._waiting.get(key)
        if waiting is not None:
            done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            waiting.append((update, coroutine, done))
            if isinstance(update, Update) and update.callback_query is not None:
                # Answered alongside, not awaited here: the press keeps its place in the chat's queue.
                task = asyncio.create_task(answer_early(update))
                self._answering.add(task)
                task.add_done_callback(self._answering.discard)
            if len(waiting) >= self.notify_after and key not in self._told:
                self._told.add(key)
                await self._ask_to_wait(update, key)
            await done  # no slot held meanwhile: the chat's runner awaits the coroutine
            return
        self._waiting[key] = waiting = deque()
        try:
            await self._run_one(update, coroutine)
            while waiting:
                next_update, next_coroutine, done = waiting.popleft()
                try:
                    await self._run_one(next_update, next_coroutine)
                finally:
                    if not done.done():
                        done.set_result(None)
        finally:
            del self._waiting[key]
            self._told.discard(key)
            for _, left, done in waiting:  # only on cancellation (shutdown): never leave a waiter hanging
                if asyncio.iscoroutine(left):
                    left.close()
                if not done.done():
                    done.cancel()

    async def _run_one(self, update: object, coroutine: Awaitable[Any]) -> None:
        async with self._semaphore:  # a slot only while running
            token = ANSWERING.set(update.update_id if isinstance(update, Update) else None)
            try:
                await self.do_process_update(update, coroutine)
            except Exception:  # PTB's own handler wrapper reports errors; never stop the chat's queue
                log.exception("an update of a queued chat failed")
            finally:
                ANSWERING.reset(token)
        # Not reached when cancelled (the run stops mid-handler): the update stays for the next start.
        await self._handled(update)

    async def _handled(self, update: object) -> None:
        if self.inbox is not None:
            await self.inbox.handled(update)

    async def _ask_to_wait(self, update: object, chat_id: int) -> None:
        try:
            await update.get_bot().send_message(chat_id, PLEASE_WAIT)  # type: ignore[attr-defined]
        except (TelegramError, RuntimeError) as error:
            log.info("could not ask chat %s to wait: %s", chat_id, error)

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        await coroutine

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None
