"""/export (the chat's history as a JSON file) and /forget (delete it all, after a confirm button)."""

from __future__ import annotations

import json

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes

from bot.handlers.common import send_html
from bot.services import services

COMMANDS = [
    ("export", "This chat's history as a JSON file", "/export"),
    ("forget", "Delete everything stored for this chat (asks first)", "/forget"),
]
CONFIRM = InlineKeyboardMarkup(
    [[InlineKeyboardButton("Yes, delete everything", callback_data="forget:yes"),
      InlineKeyboardButton("Cancel", callback_data="forget:no")]]
)  # fmt: skip
PENDING = "forget_pending"  # chat_data: message id of the /forget question awaiting its answer


async def export(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    chat_id = update.effective_chat.id
    data = await services(context).db.export_chat(chat_id)
    body = json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
    count = len(data["articles"])
    await context.bot.send_document(
        chat_id,
        InputFile(body, filename=f"conflictbrief-chat-{chat_id}.json"),
        caption=f"This chat's history: {count} article{'s' if count != 1 else ''}, with their briefs.",
    )


async def forget(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    asked = await send_html(
        context.bot,
        update.effective_chat.id,
        "Delete every article, brief, subscription and setting stored for this chat? This cannot be undone.",
        keyboard=CONFIRM,
    )
    context.chat_data[PENDING] = asked.message_id  # only the latest question's buttons count, and once


async def on_confirm(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    # A double tap sends two presses before the buttons are gone; the second must not run (and report)
    # another deletion. Presses of one chat run in order (bot/ordering.py), so the pop is race-free.
    if query.message is None or context.chat_data.pop(PENDING, None) != query.message.message_id:
        await query.answer("This question was already answered. Send /forget to ask again.")
        return
    await query.answer()
    chat_id = query.message.chat.id  # the chat the button is in: a chat can only delete itself
    if query.data == "forget:yes":
        deleted = await services(context).db.delete_chat(chat_id)
        text = (
            f"Done: deleted {deleted.articles} article(s), {deleted.subscriptions} subscription(s) and this "
            "chat's settings."
        )
    else:
        text = "Cancelled; nothing was deleted."
    await query.edit_message_text(text)


def register(application: Application) -> None:
    application.add_handler(CommandHandler("export", export))
    application.add_handler(CommandHandler("forget", forget))
    application.add_handler(CallbackQueryHandler(on_confirm, pattern=r"^forget:(yes|no)$"))
