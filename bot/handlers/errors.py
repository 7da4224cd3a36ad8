"""The last line of defence: log every handler exception with its context and answer politely."""

from __future__ import annotations

import contextlib
import logging

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import Application, ContextTypes

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
        what = f"button {update.callback_query.data!r}"
    elif message is not None:
        text = message.text or message.caption or ""
        kind = "document" if message.document else "text"
        what = f"{kind} {text[:80]!r}{'…' if len(text) > 80 else ''} ({len(text)} chars)"
    return f"update {update.update_id} chat {chat}: {what}"


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    log.error("handler failed on %s", describe(update), exc_info=context.error)
    if not isinstance(update, Update):
        return
    with contextlib.suppress(TelegramError):
        if update.callback_query is not None:
            await update.callback_query.answer("Sorry, that did not work. Please try again.")
        if update.effective_chat is not None:
            await context.bot.send_message(update.effective_chat.id, APOLOGY)


def register(application: Application) -> None:
    application.add_error_handler(on_error)
