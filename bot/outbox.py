"""The durable outbox: a reply is in storage before its first attempt, so a run that dies while Telegram
is still refusing it (429, 5xx, no answer) does not lose it: the next start sends it.

`RetryingRateLimiter` (bot/delivery.py) hands every recorded call here: the row is written, the chat's
lock taken (a chat's replies go out one at a time, in the order they were recorded), the call made with
all its retries, and the row deleted once Telegram has carried it out, or refused it for good (4xx: a
resend cannot succeed). A row whose retries ran out, or whose run died or stopped, stays. At start the
rows other runs left are taken over and sent per chat, oldest first, before any new reply of that chat.

Recorded: the calls that change what a chat shows (`RECORDED`) with a numeric chat id and no file to
upload (a file is not kept: /export is asked again). Not recorded: calls a run makes under `unrecorded()`:
digests keep their own at-least-once claim (storage/digests.py), and two records would send them twice.

At least once, not exactly once: a run killed after Telegram carried out a call but before the row was
deleted sends it again at the next start (an edit then changes nothing; a send shows twice).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Iterator, Mapping
from contextvars import ContextVar
from datetime import datetime
from enum import Enum
from typing import Any, TypeVar

from telegram import InputFile, TelegramObject
from telegram.error import BadRequest, NetworkError, RetryAfter, TelegramError

from bot.inbox import ANSWERING
from storage.clock import utc_now
from storage.outbox import Outbox, PendingReply

log = logging.getLogger(__name__)

RECORDED = frozenset({"sendMessage", "editMessageText", "editMessageReplyMarkup", "deleteMessage"})
_UNRECORDED: ContextVar[bool] = ContextVar("outbox_unrecorded", default=False)

R = TypeVar("R")
Resend = Callable[[str, dict[str, Any]], Awaitable[object]]  # (method, params) -> Telegram's answer


@contextlib.contextmanager
def unrecorded() -> Iterator[None]:
    """Calls made inside (in this task) skip the outbox: for senders with their own delivery record."""
    token = _UNRECORDED.set(True)
    try:
        yield
    finally:
        _UNRECORDED.reset(token)


def recordable(endpoint: str, data: Mapping[str, object]) -> tuple[int, dict[str, Any]] | None:
    """(chat id, the call's parameters as JSON values) if the call goes in the outbox, else None."""
    chat_id = data.get("chat_id")
    if (
        endpoint not in RECORDED
        or _UNRECORDED.get()
        or isinstance(chat_id, bool)
        or not isinstance(chat_id, int)
    ):
        return None
    try:
        return chat_id, {key: _json_value(value) for key, value in data.items()}
    except _HasFile:
        return None


class _HasFile(Exception):
    pass


def _json_value(value: object) -> Any:
    """A parameter as the Bot API receives it in JSON (what PTB's request parameters do)."""
    if isinstance(value, InputFile):
        raise _HasFile
    if isinstance(value, TelegramObject):
        return value.to_dict()
    if isinstance(value, list | tuple):
        return [_json_value(item) for item in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return int(value.timestamp())
    return value


def _transient(error: BaseException) -> bool:
    """Whether Telegram may still carry the call out (the row stays): no answer, 5xx, 429."""
    return isinstance(error, RetryAfter) or (
        isinstance(error, NetworkError) and not isinstance(error, BadRequest)
    )


class ReplyOutbox:
    def __init__(self, store: Outbox, *, owner: str) -> None:
        self.store = store
        self.owner = owner
        self._locks: dict[int, asyncio.Lock] = {}
        self._resuming: set[asyncio.Task[None]] = set()
        self.resumed = 0  # rows of other runs sent by this one (for tests and the README figures)

    def _lock(self, chat_id: int) -> asyncio.Lock:
        return self._locks.setdefault(chat_id, asyncio.Lock())

    async def deliver(
        self, chat_id: int, method: str, params: dict[str, Any], attempt: Callable[[], Awaitable[R]]
    ) -> R:
        """Record the call, then make it (`attempt`, with its retries) in the chat's turn."""
        reply_id: int | None = None
        try:
            reply_id = await self.store.add(
                chat_id, method, params, owner=self.owner, at=utc_now(), update_id=ANSWERING.get()
            )
        except Exception:  # storage trouble must not cost the reply: it goes out unrecorded
            log.exception("outbox of chat %s: %s not recorded", chat_id, method)
        async with self._lock(chat_id):
            return await self._attempt(chat_id, reply_id, attempt)

    async def _attempt(self, chat_id: int, reply_id: int | None, attempt: Callable[[], Awaitable[R]]) -> R:
        try:
            result = await attempt()
        except TelegramError as error:
            if reply_id is not None and not _transient(error):
                await self.store.done(chat_id, reply_id)  # refused for good: a resend cannot succeed
            raise
        if reply_id is not None:
            await self.store.done(chat_id, reply_id)
        return result

    async def resume(self, resend: Resend) -> int:
        """Send what other (dead) runs left, per chat oldest first; returns how many chats had some.

        Each chat's lock is taken here, before the caller starts taking updates, so the left replies of a
        chat go out before any new one; the sending itself runs in the background."""
        chats = await self.store.chats_left_by_others(self.owner)
        for chat_id in chats:
            lock = self._lock(chat_id)
            await lock.acquire()  # free at start: taken at once
            task = asyncio.create_task(self._resume_chat(chat_id, lock, resend), name=f"outbox:{chat_id}")
            self._resuming.add(task)
            task.add_done_callback(self._resuming.discard)
        return len(chats)

    async def _resume_chat(self, chat_id: int, lock: asyncio.Lock, resend: Resend) -> None:
        try:
            rows = await self.store.take_over(chat_id, owner=self.owner)
            for row in rows:
                await self._resend(row, resend)
        except TelegramError as error:  # its retries ran out: the rest waits for the next start
            log.warning("outbox of chat %s: left replies not sent (%s)", chat_id, type(error).__name__)
        except Exception:
            log.exception("outbox of chat %s: left replies not sent", chat_id)
        finally:
            lock.release()

    async def _resend(self, row: PendingReply, resend: Resend) -> None:
        try:
            await self._attempt(row.chat_id, row.id, lambda: resend(row.method, row.params))
        except TelegramError as error:
            if _transient(error):
                raise
            log.info("outbox of chat %s: a left %s was refused: %s", row.chat_id, row.method, error)
        self.resumed += 1

    async def close(self) -> None:
        """Stop resuming (the rows stay for the next start)."""
        for task in list(self._resuming):
            task.cancel()
        await asyncio.gather(*self._resuming, return_exceptions=True)
