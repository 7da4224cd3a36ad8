"""A handler module for tests: `/crash TEXT` raises an exception whose message quotes the user's text, the
way a parser of user input does. Used to check the error handler never writes user text to the log."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CommandHandler, ContextTypes

COMMANDS = [("crash", "tests only: raise with the argument in the message", "/crash words")]


async def crash(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    text = update.effective_message.text or ""
    try:
        int(text)
    except ValueError as error:
        raise RuntimeError(f"could not handle {text!r}") from error


def register(application: Application) -> None:
    application.add_handler(CommandHandler("crash", crash))
