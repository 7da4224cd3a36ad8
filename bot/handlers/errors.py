"""The last line of defence: log every handler exception with its context and answer politely."""

from __future__ import annotations

import contextlib
import logging
import traceback

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import Application, ContextTypes

from bot.outbox import kept_for_later

log = logging.getLogger("bot.errors")

COMMANDS: list[tuple[str, str, str]] = []
APOLOGY = (
    "Sorry, something went wrong on my side while handling that. It has been logged. "
    "Please try again in a moment, or send /help."
)


def describe(update: object) -> str:
    if not isinstance(update, Update):
        return repr(update)[:200]
    chat = update.effective_chat.id if update.effective_chat else None
    message = update.effective_message
    what = ""
    if update.callback_query is not None:
        data = update.callback_query.data or ""
        what = f"button {data.partition(':')[0][:20]!r} ({len(data)} bytes)"
    elif message is not None:
        # Never the text itself: a log line outlives /forget. The command name and the size are enough
        # to find the handler; the text stays in the chat's history, where /forget deletes it.
        text = message.text or message.caption or ""
        kind = "document" if message.document else "text"
        command = text.split(maxsplit=1)[0][:40] if text.startswith("/") else ""
        what = f"{kind} {command + ' ' if command else ''}({len(text)} chars)"
    return f"update {update.update_id} chat {chat}: {what}"


def redacted_traceback(error: BaseException | None) -> str:
    """The traceback of `error` with every exception message withheld: messages may quote user text
    (a value that failed to parse), and log files are not deleted by /forget."""
    if error is None:
        return ""
    lines: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        frames = "".join(traceback.format_tb(current.__traceback__))
        message = str(current)
        lines.append(
            f"Traceback (most recent call last):\n{frames}{type(current).__name__}"
            f" (message of {len(message)} characters withheld)"
        )
        current = current.__cause__ or current.__context__
    return "\n\nwhile handling or caused by:\n".join(reversed(lines))


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    if kept_for_later(context.error):
        # Telegram would not take a reply for minutes; the outbox sends it later: no apology for it.
        log.warning("a reply on %s is kept for later: %s", describe(update), type(context.error).__name__)
        return
    log.error("handler failed on %s\n%s", describe(update), redacted_traceback(context.error))
    if not isinstance(update, Update):
        return
    with contextlib.suppress(TelegramError):
        if update.callback_query is not None:
            await update.callback_query.answer("Sorry, that did not work. Please try again.")
        if update.effective_chat is not None:
            await context.bot.send_message(update.effective_chat.id, APOLOGY)


def register(application: Application) -> None:
    application.add_error_handler(on_error)
