"""/export (the chat's history as a JSON file) and /forget (delete it all, after a confirm button)."""

from __future__ import annotations

import json
import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import TelegramError
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes

from bot.handlers.common import answer_query, send_html
from bot.services import services

log = logging.getLogger(__name__)

COMMANDS = [
    ("export", "This chat's history as a JSON file", "/export"),
    ("forget", "Delete everything stored for this chat (asks first)", "/forget"),
]
CONFIRM = InlineKeyboardMarkup(
    [[InlineKeyboardButton("Yes, delete everything", callback_data="forget:yes"),
      InlineKeyboardButton("Cancel", callback_data="forget:no")]]
)  # fmt: skip
PENDING = (
    "forget_pending"  # chat_data: (message id, asker's user id) of the /forget question awaiting its answer
)
ADMIN_STATUSES = frozenset({ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR})
NOT_YOURS = "Only a group admin or the member who asked can answer this."


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
    asker = update.effective_user.id if update.effective_user else None
    context.chat_data[PENDING] = (asked.message_id, asker)  # only the latest question counts, and once


async def may_answer(update: Update, context: ContextTypes.DEFAULT_TYPE, asker: int | None) -> bool:
    """In a group, deleting the group's history is for its admins or the member who asked; in a private
    chat the only person there may. Admin status is asked of Telegram at the moment of the press."""
    chat = update.effective_chat
    user = update.effective_user
    if chat is None or user is None:
        return False
    if chat.type == ChatType.PRIVATE or user.id == asker:
        return True
    try:
        member = await context.bot.get_chat_member(chat.id, user.id)
    except TelegramError as error:
        log.warning("could not check the admin status of a member of chat %s: %s", chat.id, error)
        return False
    return member.status in ADMIN_STATUSES


async def on_confirm(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    # A double tap sends two presses before the buttons are gone; the second must not run (and report)
    # another deletion. Presses of one chat run in order (bot/ordering.py), so the pop is race-free.
    pending = context.chat_data.get(PENDING)
    if query.message is None or pending is None or pending[0] != query.message.message_id:
        await answer_query(query, "This question was already answered. Send /forget to ask again.")
        return
    if not await may_answer(update, context, pending[1]):
        await answer_query(query, NOT_YOURS, show_alert=True)
        return
    del context.chat_data[PENDING]
    await answer_query(query)
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
