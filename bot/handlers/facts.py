"""/figures [category] and /speakers [name]: facts across the chat's whole history."""

from __future__ import annotations

from typing import get_args

from telegram import Update
from telegram.ext import Application, CommandHandler, ContextTypes

from bot.handlers.common import send_html, send_reply
from bot.render import e, figures_reply, speakers_reply
from bot.services import services
from summarize.model import Category

CATEGORIES: tuple[str, ...] = get_args(Category)
ROWS = 200

COMMANDS = [
    ("figures", "Figures across this chat's articles, grouped by what they count", "/figures killed"),
    ("speakers", "Who said what across this chat's articles", "/speakers Zelensky"),
]


async def figures(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    chat_id = update.effective_chat.id
    args = context.args or []
    category = args[0].lower() if args else None
    if len(args) > 1 or (category is not None and category not in CATEGORIES):
        await send_html(
            context.bot,
            chat_id,
            f"Unknown category “{e(' '.join(args))}”. Use /figures alone, or one of: "
            f"{', '.join(CATEGORIES)} — e.g. <code>/figures killed</code>.",
        )
        return
    rows = await services(context).db.facts.figures(chat_id, category=category, limit=ROWS)
    await send_reply(context.bot, chat_id, figures_reply(rows, category=category))


async def speakers(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    chat_id = update.effective_chat.id
    name = " ".join(context.args or []).strip() or None
    if name is not None and len(name) > 100:
        await send_html(
            context.bot,
            chat_id,
            "That name is too long. Try a surname, e.g. <code>/speakers Zelensky</code>.",
        )
        return
    rows = await services(context).db.facts.quotes(chat_id, speaker=name, limit=ROWS)
    await send_reply(context.bot, chat_id, speakers_reply(rows, name=name))


def register(application: Application) -> None:
    application.add_handler(CommandHandler("figures", figures))
    application.add_handler(CommandHandler("speakers", speakers))
