"""Every Bot API call the bot makes, retried until it lands: late rather than never.

PTB's `AIORateLimiter` keeps the bot under Telegram's rates and retries a 429 a few times, then gives up:
with 429s on most sends the reply is lost (and replaced by the apology). `RetryingRateLimiter` keeps its
rate limiting and retries, within a deadline,

- a 429 "Too Many Requests", after the `retry_after` Telegram asks for, as often as it is asked;
- a 5xx answer or a connection that failed before any answer, with exponential backoff: Telegram did not
  carry out the call;
- a timeout (the request went out, no answer came: Telegram may or may not have carried it out), with
  backoff. Edits and deletions are repeated as they are idempotent, and the repeat tells whether the first
  one landed: "message is not modified" after a timed-out edit, "message to delete not found" after a
  timed-out deletion, mean it did, and the call counts as done. Sends are repeated too, at least once:
  the Bot API has no call to look a message up and no idempotency key, so a send whose first attempt was
  delivered then shows twice. In this bot a duplicate is better than a lost reply (and a brief is mostly
  an edit of its placeholder, which is not duplicated). Each repeat waits twice as long for its answer
  (10 s, 20 s, … up to 60 s), so a slow Telegram costs one copy, not one per attempt.

Every call that changes what a chat shows is also recorded in the durable outbox first (bot/outbox.py,
`self.outbox` once the bot's storage is open), so its retries survive the process.

A 4xx answer other than 429 (bad request, forbidden) is final: repeating it cannot succeed, with one
exception: "message is too long" (Telegram counts the text after parsing entities, in UTF-16 units, and
may count more than the renderers did). The text is then cut in two valid halves (`bot.halve`) and sent
as two messages, each retried like any send (and cut again if still refused); an edit keeps the first half
in the edited message and sends the second after it. Buttons stay on the first message, the one whose
result the caller gets back and may edit later.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut
from telegram.ext import AIORateLimiter, ExtBot

from bot.halve import halve_html
from bot.outbox import ReplyOutbox, recordable

log = logging.getLogger(__name__)

TOO_LONG = "message is too long"
# Only the first part of a cut message replies to the user's message, carries the buttons or (for an
# edit) is the edited message; the second is a new message after it.
_FIRST_PART_ONLY = frozenset({"reply_markup", "reply_parameters", "reply_to_message_id", "message_id"})

_Result = bool | dict[str, Any] | list[dict[str, Any]] | None
_Callback = Callable[..., Coroutine[Any, Any, _Result]]

# Calls that do the same thing when repeated (a repeated edit with the same text is refused as "not
# modified", which means the first one landed: `LANDED`).
REPEATABLE = frozenset(
    {
        "editMessageText",
        "editMessageReplyMarkup",
        "deleteMessage",
        "answerCallbackQuery",
        "sendChatAction",
        "getChatMember",
        "getChatAdministrators",
        "getFile",
        "getMe",
        "setMyCommands",
        "deleteMyCommands",
        "getMyCommands",
        "deleteWebhook",
    }
)
DEFAULT_READ_TIMEOUT_S = 5.0  # PTB's HTTPXRequest default
MAX_READ_TIMEOUT_S = 60.0
# Calls repeated after a timeout although a repeat may duplicate them (no lookup exists): at least once.
RESENT_AFTER_TIMEOUT = frozenset({"sendMessage", "sendDocument"})
# What the repeat of a timed-out call is refused with when the first attempt had carried it out.
LANDED = {
    "editMessageText": "message is not modified",
    "editMessageReplyMarkup": "message is not modified",
    "deleteMessage": "message to delete not found",
}


class RetryingRateLimiter(AIORateLimiter):
    def __init__(self, *, deadline_s: float = 600.0, backoff_s: float = 0.5, max_backoff_s: float = 30.0,
                 **limits: Any) -> None:  # fmt: skip
        super().__init__(max_retries=3, **limits)  # its own quick 429 retries; ours beyond them
        self.deadline_s = deadline_s
        self.backoff_s = backoff_s
        self.max_backoff_s = max_backoff_s
        self.retried: dict[str, int] = {}  # what was retried, by kind (for tests and the README figures)
        self.outbox: ReplyOutbox | None = None  # set by the bot once its storage is open (bot.app)

    async def process_request(
        self,
        callback: _Callback,
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> _Result:
        record = None if self.outbox is None else recordable(endpoint, data)
        if record is None or self.outbox is None:
            return await self._until_done(callback, args, kwargs, endpoint, data, rate_limit_args)
        chat_id, params = record
        return await self.outbox.deliver(
            chat_id,
            endpoint,
            params,
            lambda: self._until_done(callback, args, kwargs, endpoint, data, rate_limit_args),
        )

    def resender(self, bot: ExtBot[Any]) -> Callable[[str, dict[str, Any]], Coroutine[Any, Any, _Result]]:
        """Make a call the outbox kept from another run, through these retries (never recorded again)."""
        do_post = super(ExtBot, bot)._do_post  # what ExtBot hands its limiter: the plain Bot's post

        async def resend(method: str, params: dict[str, Any]) -> _Result:
            return await self._until_done(do_post, (method, params), {}, method, params, None)

        return resend

    async def _until_done(
        self,
        callback: _Callback,
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> _Result:
        loop = asyncio.get_running_loop()
        give_up = loop.time() + self.deadline_s
        pause = self.backoff_s
        timed_out = False  # an earlier attempt got no answer: Telegram may have carried it out
        patience = DEFAULT_READ_TIMEOUT_S
        while True:
            try:
                return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)
            except RetryAfter as error:
                failure: Exception = error
                wait, kind = _seconds(error), "429"
            except BadRequest as error:
                if timed_out and _landed(endpoint, error):
                    self.retried["landed before"] = self.retried.get("landed before", 0) + 1
                    log.info("%s had landed before its timeout (%s)", endpoint, error)
                    return True  # PTB's answer to an edit of an inline message: done, no new message
                if TOO_LONG not in str(error).lower() or endpoint not in {"sendMessage", "editMessageText"}:
                    raise
                halves = halve_html(str(data.get("text") or ""))
                if halves is None or (endpoint == "editMessageText" and "chat_id" not in data):
                    raise
                self.retried["too long"] = self.retried.get("too long", 0) + 1
                log.info("message is too long on %s: sending it in two parts", endpoint)
                return await self._in_two_parts(callback, kwargs, endpoint, data, halves, rate_limit_args)
            except TimedOut as error:
                if endpoint not in REPEATABLE and endpoint not in RESENT_AFTER_TIMEOUT:
                    raise
                failure, wait, kind, timed_out = error, pause, "timeout", True
                pause = min(pause * 2, self.max_backoff_s)
                # A slow Telegram answers the repeat rather than being asked a third time (each time a
                # send may land once more): the repeat waits twice as long for its answer, up to a minute.
                given = kwargs.get("read_timeout")
                patience = min(
                    max(patience, given if isinstance(given, int | float) else 0) * 2, MAX_READ_TIMEOUT_S
                )
                kwargs = {**kwargs, "read_timeout": patience}
            except NetworkError as error:  # 5xx, or no connection: the call was not carried out
                failure, wait, kind = error, pause, "5xx"
                pause = min(pause * 2, self.max_backoff_s)
            if loop.time() + wait > give_up:
                raise failure
            self.retried[kind] = self.retried.get(kind, 0) + 1
            log.info("%s on %s: trying again in %.1f s", kind, endpoint, wait)
            await asyncio.sleep(wait)

    async def _in_two_parts(
        self,
        callback: _Callback,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        halves: tuple[str, str],
        rate_limit_args: int | None,
    ) -> _Result:
        first_data = {**data, "text": halves[0]}
        first = await self._until_done(callback, (endpoint, first_data), kwargs, endpoint, first_data,
                                       rate_limit_args)  # fmt: skip
        second_data = {k: v for k, v in data.items() if k not in _FIRST_PART_ONLY}
        second_data["text"] = halves[1]
        await self._until_done(callback, ("sendMessage", second_data), kwargs, "sendMessage", second_data,
                               rate_limit_args)  # fmt: skip
        return first


def _landed(endpoint: str, error: BadRequest) -> bool:
    refusal = LANDED.get(endpoint)
    return refusal is not None and refusal in str(error).lower()


def _seconds(error: RetryAfter) -> float:
    # The private timedelta, as AIORateLimiter reads it: the public attribute warns of its type change.
    value = getattr(error, "_retry_after", None)
    return value.total_seconds() if hasattr(value, "total_seconds") else float(error.retry_after)
