"""Updates of one chat in the order they were sent; different chats at the same time.

PTB's own concurrent processor runs every update at once, so a short message could overtake a long article
sent just before it in the same chat. This processor keeps one FIFO lock per chat: chat A's updates wait
for each other while chat B's run alongside.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import BaseUpdateProcessor

log = logging.getLogger(__name__)


def chat_key(update: object) -> int | None:
    if isinstance(update, Update) and update.effective_chat is not None:
        return update.effective_chat.id
    return None


BUSY_ANSWER = "Working on it: your earlier request in this chat comes first."


async def answer_early(update: Update) -> None:
    """A button pressed while its chat is busy is answered now, before it queues behind the chat's lock:
    Telegram refuses answers some 15 s after the press, and the work before it may take longer. The
    handler's own answer later fails quietly (bot.handlers.common.answer_query) and the action still runs."""
    query = update.callback_query
    if query is None:
        return
    try:
        await query.get_bot().answer_callback_query(query.id, BUSY_ANSWER)
    except TelegramError as error:
        log.info("early answer to callback query %s failed: %s", query.id, error)


class PerChatUpdateProcessor(BaseUpdateProcessor):
    def __init__(self, max_concurrent_updates: int = 256) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}
        self._users: dict[int, int] = {}
        self._answering: set[asyncio.Task[None]] = set()

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = chat_key(update)
        if key is None:
            await coroutine
            return
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._users[key] = self._users.get(key, 0) + 1
        if lock.locked():
            # Answered alongside, not awaited here: the press keeps its place in the chat's queue, and
            # no other update's bookkeeping can run between taking the lock and counting this user.
            task = asyncio.create_task(answer_early(update))
            self._answering.add(task)
            task.add_done_callback(self._answering.discard)
        try:
            async with lock:  # asyncio.Lock wakes waiters first-in first-out
                await coroutine
        finally:
            self._users[key] -= 1
            if not self._users[key]:  # forget idle chats so the dict stays small
                del self._users[key]
                del self._locks[key]

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None
