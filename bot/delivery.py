"""Every Bot API call the bot makes, retried until it lands: late rather than never.

PTB's `AIORateLimiter` keeps the bot under Telegram's rates and retries a 429 a few times, then gives up:
with 429s on most sends the reply is lost (and replaced by the apology). `RetryingRateLimiter` keeps its
rate limiting and retries, within a deadline,

- a 429 "Too Many Requests", after the `retry_after` Telegram asks for, as often as it is asked;
- a 5xx answer or a connection that failed before any answer, with exponential backoff: Telegram did not
  carry out the call;
- a timeout (the request went out, no answer came), with backoff, only for calls that are safe to repeat
  (edits, answers, chat actions, reads). A send that timed out may have been delivered, and Telegram offers
  no way to look it up, so it is not repeated here: that needs an idempotency marker and a lookup, which is
  future work (see README, Reliability).

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
from telegram.ext import AIORateLimiter

from bot.halve import halve_html

log = logging.getLogger(__name__)

TOO_LONG = "message is too long"
# Only the first part of a cut message replies to the user's message, carries the buttons or (for an
# edit) is the edited message; the second is a new message after it.
_FIRST_PART_ONLY = frozenset({"reply_markup", "reply_parameters", "reply_to_message_id", "message_id"})

_Result = bool | dict[str, Any] | list[dict[str, Any]] | None
_Callback = Callable[..., Coroutine[Any, Any, _Result]]

# Calls that do the same thing when repeated (a repeated edit with the same text is refused as "not
# modified", which means the first one landed).
REPEATABLE = frozenset(
    {
        "editMessageText",
        "editMessageReplyMarkup",
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


class RetryingRateLimiter(AIORateLimiter):
    def __init__(self, *, deadline_s: float = 600.0, backoff_s: float = 0.5, max_backoff_s: float = 30.0,
                 **limits: Any) -> None:  # fmt: skip
        super().__init__(max_retries=3, **limits)  # its own quick 429 retries; ours beyond them
        self.deadline_s = deadline_s
        self.backoff_s = backoff_s
        self.max_backoff_s = max_backoff_s
        self.retried: dict[str, int] = {}  # what was retried, by kind (for tests and the README figures)

    async def process_request(
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
        while True:
            try:
                return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)
            except RetryAfter as error:
                failure: Exception = error
                wait, kind = _seconds(error), "429"
            except BadRequest as error:
                if TOO_LONG not in str(error).lower() or endpoint not in {"sendMessage", "editMessageText"}:
                    raise
                halves = halve_html(str(data.get("text") or ""))
                if halves is None or (endpoint == "editMessageText" and "chat_id" not in data):
                    raise
                self.retried["too long"] = self.retried.get("too long", 0) + 1
                log.info("message is too long on %s: sending it in two parts", endpoint)
                return await self._in_two_parts(callback, kwargs, endpoint, data, halves, rate_limit_args)
            except TimedOut as error:
                if endpoint not in REPEATABLE:
                    raise
                failure, wait, kind = error, pause, "timeout"
                pause = min(pause * 2, self.max_backoff_s)
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
        first = await self.process_request(callback, (endpoint, first_data), kwargs, endpoint, first_data,
                                           rate_limit_args)  # fmt: skip
        second_data = {k: v for k, v in data.items() if k not in _FIRST_PART_ONLY}
        second_data["text"] = halves[1]
        await self.process_request(callback, ("sendMessage", second_data), kwargs, "sendMessage", second_data,
                                   rate_limit_args)  # fmt: skip
        return first


def _seconds(error: RetryAfter) -> float:
    # The private timedelta, as AIORateLimiter reads it: the public attribute warns of its type change.
    value = getattr(error, "_retry_after", None)
    return value.total_seconds() if hasattr(value, "total_seconds") else float(error.retry_after)
