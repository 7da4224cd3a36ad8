"""/ask QUESTION, and a question sent as a reply to one of the bot's briefs (answered from that article).

Routing of replies: `register` adds, in group 0 and before every module's `register_last` catch-all, a
MessageHandler whose filter takes only text messages that reply to a message of this bot and end with
"?". Such a message is a question, never an article; any other reply falls through to the brief handler.

The question analysis is pure Python (summarize/question.py, microseconds), so it runs on the event loop;
the answer is a few indexed SQLite reads.
"""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

from telegram import Message, Update
from telegram.ext import Application, CommandHandler, ContextTypes, MessageHandler, filters

from bot.ask import answer_question
from bot.handlers.common import send_html
from bot.services import services
from storage import Database

MAX_QUESTION_CHARS = 500
RECENT_FOR_REPLY = 50  # articles looked at when a replied-to brief carries no button naming its article

COMMANDS = [
    (
        "ask",
        "Ask about what this chat has read; answers quote the articles and cite them",
        "/ask How many soldiers were killed?",
    ),
]

USAGE = (
    "Ask a question after the command, e.g. <code>/ask How many civilians were killed?</code> or "
    "<code>/ask What did Zelensky say?</code>. Answers come only from articles this chat has sent me, "
    "quoted and with their source. Reply to one of my briefs with a question to ask about that article."
)
_ARTICLE_BUTTON = re.compile(r"^(?:more|figs|quotes):(\d+)$")


class _QuestionToBot(filters.MessageFilter):
    """A text that ends with "?" and replies to a message this bot sent."""

    def filter(self, message: Message) -> bool:
        replied = message.reply_to_message
        if replied is None or replied.from_user is None or not message.text:
            return False
        if not message.text.rstrip().endswith("?"):
            return False
        try:
            bot_id = message.get_bot().id
        except RuntimeError:  # no bot attached (a message built by hand): trust the is_bot flag
            return replied.from_user.is_bot
        return replied.from_user.id == bot_id


QUESTION_REPLY = _QuestionToBot(name="question_to_bot")


async def article_of_reply(db: Database, chat_id: int, replied: Message) -> int | None:
    """The article a brief message is about: from its buttons' callback data (which name the article), else
    by its title or a summary sentence in the message text; None for any other message of the bot."""
    markup = replied.reply_markup
    for row in markup.inline_keyboard if markup else ():
        for button in row:
            match = (
                _ARTICLE_BUTTON.match(button.callback_data or "")
                if isinstance(button.callback_data, str)
                else None
            )
            if match and await db.articles.get(chat_id, int(match.group(1))) is not None:
                return int(match.group(1))
    text = replied.text or replied.caption or ""
    if not text:
        return None
    for entry in await db.articles.recent(chat_id, RECENT_FOR_REPLY):
        article = await db.articles.get(chat_id, entry.id)
        if article is None:
            continue
        first_line = text.split("\n", 1)[0].strip()
        if article.title and first_line == article.title.strip():
            return article.id
        if any(s.text in text for s in article.brief.summary[:2]):
            return article.id
    return None


async def _answer(update: Update, context: ContextTypes.DEFAULT_TYPE, question: str, article_id: int | None):
    message = update.effective_message
    chat_id = update.effective_chat.id
    if len(question) > MAX_QUESTION_CHARS:
        await send_html(
            context.bot,
            chat_id,
            f"That question is too long (over {MAX_QUESTION_CHARS} characters). Ask one short question.",
            reply_to=message.message_id,
        )
        return
    db = services(context).db
    zone = ZoneInfo((await db.chats.ensure(chat_id)).timezone)
    answer = await answer_question(db, chat_id, question, article_id=article_id, tz=zone)
    await send_html(context.bot, chat_id, answer.to_html(), reply_to=message.message_id)


async def ask_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    question = " ".join(context.args or []).strip()
    if not question:
        await send_html(context.bot, update.effective_chat.id, USAGE, reply_to=message.message_id)
        return
    replied = message.reply_to_message
    article_id = None
    if replied is not None and replied.from_user is not None and replied.from_user.id == context.bot.id:
        article_id = await article_of_reply(services(context).db, update.effective_chat.id, replied)
    await _answer(update, context, question, article_id)


async def on_question_reply(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    article_id = await article_of_reply(
        services(context).db, update.effective_chat.id, message.reply_to_message
    )
    await _answer(update, context, (message.text or "").strip(), article_id)


def register(application: Application) -> None:
    application.add_handler(CommandHandler("ask", ask_command))
    # Group 0, added by `register` (before any `register_last` catch-all): a question replying to the bot
    # is answered here, never briefed as an article.
    application.add_handler(
        MessageHandler(
            filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND & QUESTION_REPLY, on_question_reply
        )
    )
