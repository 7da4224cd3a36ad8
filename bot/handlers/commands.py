"""/start, /help, /history, and the pointer to /help for commands nobody registered."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from telegram import Update
from telegram.ext import Application, CommandHandler, ContextTypes, MessageHandler, filters

from bot.handlers.common import send_html, send_reply
from bot.render import HistoryView, chunk, e, history_reply
from bot.services import CommandSpec, services

HISTORY_DEFAULT = 10
HISTORY_MAX = 50

COMMANDS = [
    ("start", "What this bot does", "/start"),
    ("help", "How to use it, with examples", "/help"),
    (
        "history",
        "Recent articles: those sent here and your feeds' stories (mine, feeds, N)",
        "/history mine 5",
    ),
]

WELCOME = (
    "<b>conflictbrief</b> turns war and conflict news into a faithful brief: the key sentences, the figures "
    "(with who claims them, where and when) and who said what.\n\n"
    "Send me a link to an article, paste its text, or forward a post from a news channel. "
    "Everything quoted is copied word for word from the article.\n\n"
    "/help lists the commands."
)

INPUTS = (
    "<b>What you can send</b>\n"
    "• a link: https://example.com/news/article (up to a few links in one message)\n"
    "• the article's text, pasted (a few paragraphs at least)\n"
    "• a post forwarded from a news channel (its text, or the article it links to)\n"
    "• a photo or video whose caption holds the story\n"
    "• a .txt or .html file of the article"
)


def help_text(commands: tuple[CommandSpec, ...]) -> list[str]:
    blocks = [INPUTS, "\n<b>Commands</b>"]
    for spec in commands:
        example = (
            f" — e.g. <code>{e(spec.example)}</code>"
            if spec.example and spec.example != f"/{spec.name}"
            else ""
        )
        blocks.append(f"/{e(spec.name)} — {e(spec.description)}{example}")
    return chunk(blocks)


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    services(context).db  # noqa: B018 - fail early (and politely, via the error handler) if not started
    await send_html(context.bot, update.effective_chat.id, WELCOME)


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    for text in help_text(services(context).commands):
        await send_html(context.bot, update.effective_chat.id, text)


def parse_count(args: list[str], *, default: int, maximum: int) -> int | None:
    """`[N]` as an int in 1..maximum; None when the arguments are not that."""
    if not args:
        return default
    # isdecimal, not isdigit: "²" is a digit that int() refuses
    if len(args) == 1 and args[0].isdecimal() and 1 <= int(args[0]) <= maximum:
        return int(args[0])
    return None


_VIEWS = {"mine": "mine", "feeds": "feeds", "feed": "feeds"}


async def history(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/history [mine|feeds] [N]: the N newest articles sent to the chat and, apart, the N newest stories
    of its feeds (so a busy feed never pushes what people sent out of view); or one of the two."""
    chat_id = update.effective_chat.id
    args = list(context.args or [])
    view: HistoryView = "all"
    if args and args[0].lower() in _VIEWS:
        view = _VIEWS[args.pop(0).lower()]  # type: ignore[assignment]
    count = parse_count(args, default=HISTORY_DEFAULT, maximum=HISTORY_MAX)
    if count is None:
        await send_html(
            context.bot,
            chat_id,
            f"Use /history for the last {HISTORY_DEFAULT} articles, /history N with N from 1 to {HISTORY_MAX}, "
            "<code>/history mine</code> for the articles sent here, <code>/history feeds</code> for your "
            "feeds' stories, e.g. <code>/history mine 5</code>.",
        )
        return
    svc = services(context)
    settings = await svc.db.chats.ensure(chat_id)
    entries = []
    if view in ("all", "mine"):
        entries += await svc.db.articles.recent(chat_id, count, kinds=("url", "text", "forward"))
    if view in ("all", "feeds"):
        entries += await svc.db.articles.recent(chat_id, count, kinds=("feed",))
    reply = history_reply(entries, tz=ZoneInfo(settings.timezone), view=view)
    await send_reply(context.bot, chat_id, reply)


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    word = (message.text or "").split()[0] if message and message.text else "that command"
    _, at, addressee = word.partition("@")
    if at and addressee.casefold() != (context.bot.username or "").casefold():
        return  # /command@otherbot in a group is another bot's business
    await send_html(
        context.bot,
        update.effective_chat.id,
        f"I don't know {e(word)}. Send /help for the list of commands and examples.",
    )


def register(application: Application) -> None:
    application.add_handler(CommandHandler("start", start))
    application.add_handler(CommandHandler("help", help_command))
    application.add_handler(CommandHandler("history", history))


def register_last(application: Application) -> None:
    application.add_handler(MessageHandler(filters.COMMAND, unknown_command))
