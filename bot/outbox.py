"""The durable outbox: a reply is in storage before its first attempt, so a run that dies while Telegram
is still refusing it (429, 5xx, no answer) does not lose it: the next start sends it.

`RetryingRateLimiter` (bot/delivery.py) hands every recorded call here: the row is written, the chat's
lock taken (a chat's replies go out one at a time, in the order they were recorded), the call made with
all its retries, and the row deleted once Telegram has carried it out, or refused it for good (4xx: a
resend cannot succeed). A row whose retries ran out stays and is sent again every `retry_every_s`, and
before any newer reply of its chat, while the run lives. A row whose run died or stopped stays: at start
the rows other runs left are taken over and sent per chat, oldest first, before any new reply of that chat.

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
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
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


KEPT_FOR_LATER = "conflictbrief_kept_for_later"  # set on the error of a call the outbox will make later


def kept_for_later(error: BaseException | None) -> bool:
    """Whether `error` (out of a handler) is a reply's that the outbox kept and sends later."""
    return bool(getattr(error, KEPT_FOR_LATER, False))


def _transient(error: BaseException) -> bool:
    """Whether Telegram may still carry the call out (the row stays): no answer, 5xx, 429."""
    return isinstance(error, RetryAfter) or (
        isinstance(error, NetworkError) and not isinstance(error, BadRequest)
    )


class ReplyOutbox:
    def __init__(
        self, store: Outbox, *, owner: str, resend: Resend | None = None, retry_every_s: float = 60.0
    ) -> None:
        self.store = store
        self.owner = owner
        self.resend = resend  # how a kept row is sent again (bot/delivery.py's resender)
        self.retry_every_s = retry_every_s
        self._locks: dict[int, asyncio.Lock] = {}
        self._resuming: set[asyncio.Task[None]] = set()
        # Rows whose retries ran out while this run lives, by chat, oldest first: sent again every
        # `retry_every_s`, and before any newer reply of their chat, so they come late but in order.
        self._stuck: dict[int, list[int]] = {}
        self._sweeper: asyncio.Task[None] | None = None
        self.resumed = 0  # rows of other runs sent by this one (for tests and the README figures)
        self.sent_late = 0  # rows sent again after their retries had run out in this run

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
            if chat_id in self._stuck:
                await self._send_stuck(chat_id)
            return await self._attempt(chat_id, reply_id, attempt)

    async def _attempt(self, chat_id: int, reply_id: int | None, attempt: Callable[[], Awaitable[R]]) -> R:
        try:
            result = await attempt()
        except TelegramError as error:
            if reply_id is not None:
                if _transient(error):  # its retries ran out: kept, and sent again later
                    self._keep_for_later(chat_id, [reply_id])
                    setattr(error, KEPT_FOR_LATER, True)
                else:
                    await self.store.done(chat_id, reply_id)  # refused for good: a resend cannot succeed
            raise
        if reply_id is not None:
            await self.store.done(chat_id, reply_id)
        return result

    async def resume(self, resend: Resend, dead: Sequence[str] | None = None) -> int:
        """Send what other (dead) runs left, per chat oldest first; returns how many chats had some.

        Each chat's lock is taken here, before the caller starts taking updates, so the left replies of a
        chat go out before any new one; the sending itself runs in the background."""
        chats = await self.store.chats_left_by_others(self.owner, dead)
        for chat_id in chats:
            lock = self._lock(chat_id)
            await lock.acquire()  # free at start: taken at once
            task = asyncio.create_task(
                self._resume_chat(chat_id, lock, resend, dead), name=f"outbox:{chat_id}"
            )
            self._resuming.add(task)
            task.add_done_callback(self._resuming.discard)
        return len(chats)

    async def _resume_chat(
        self, chat_id: int, lock: asyncio.Lock, resend: Resend, dead: Sequence[str] | None
    ) -> None:
        try:
            rows = await self.store.take_over(chat_id, owner=self.owner, from_owners=dead)
            for index, row in enumerate(rows):
                try:
                    await self._resend(row, resend)
                    self.resumed += 1
                except TelegramError:
                    self._keep_for_later(chat_id, [later.id for later in rows[index:]])
                    raise
        except TelegramError as error:  # its retries ran out: the rest is sent again later
            log.warning("outbox of chat %s: left replies not sent yet (%s)", chat_id, type(error).__name__)
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
            log.info("outbox of chat %s: a kept %s was refused: %s", row.chat_id, row.method, error)

    def _keep_for_later(self, chat_id: int, reply_ids: list[int]) -> None:
        kept = self._stuck.setdefault(chat_id, [])
        kept.extend(reply_id for reply_id in reply_ids if reply_id not in kept)
        if self._sweeper is None or self._sweeper.done():
            self._sweeper = asyncio.create_task(self._sweep(), name="outbox:later")

    async def _sweep(self) -> None:
        """Every `retry_every_s`, send again the rows whose retries ran out, chat by chat, in its turn."""
        while self._stuck:
            await asyncio.sleep(self.retry_every_s)
            for chat_id in list(self._stuck):
                async with self._lock(chat_id):
                    await self._send_stuck(chat_id)

    async def _send_stuck(self, chat_id: int) -> None:
        """Send the chat's kept rows, oldest first; those still refused stay kept (the caller holds the
        chat's lock, so no reply of the chat is in flight meanwhile)."""
        kept = self._stuck.get(chat_id, [])
        if self.resend is None or not kept:
            return
        rows = {row.id: row for row in await self.store.pending(chat_id)}
        try:
            while kept:
                row = rows.get(kept[0])
                if row is not None:  # gone: /forget, or delivered by another run
                    await self._resend(row, self.resend)
                    self.sent_late += 1
                kept.pop(0)
        except TelegramError as error:
            log.warning("outbox of chat %s: kept replies not sent yet (%s)", chat_id, type(error).__name__)
        except Exception:
            log.exception("outbox of chat %s: kept replies not sent", chat_id)
        finally:
            if not kept:
                self._stuck.pop(chat_id, None)

    async def close(self) -> None:
        """Stop resuming and sending again (the rows stay for the next start)."""
        tasks = [*self._resuming, *([self._sweeper] if self._sweeper else [])]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
