"""Articles in, briefs out: links, pasted text, forwarded posts, captions and files; /brief; the buttons.

Each item is first looked up in the chat's history (a repeat is answered at once from storage), then
fetched on the event loop (guarded httpx client) and briefed in the NLP process pool, stored, rendered
and sent. Bad input of every kind ends in a short reply that says what to do, from `BriefError.message`.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from telegram import Message, MessageEntity, Update
from telegram.constants import ChatType
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.handlers.ask import article_of_reply
from bot.handlers.common import Progress, answer_query, send_html, send_reply
from bot.intake import Intake, classify, classify_text, is_telegram_link
from bot.render import (
    Reply,
    Source,
    all_figures_reply,
    all_quotes_reply,
    brief_reply,
    e,
    more_sentences_reply,
)
from bot.services import Services, services
from storage import ArticleSource, StoredArticle
from summarize.clean import clean_text
from summarize.errors import BriefError
from summarize.fetch import fetch
from summarize.model import Brief

log = logging.getLogger(__name__)

COMMANDS = [
    (
        "brief",
        "Brief again: reply with it to a message holding a link or text",
        "/brief https://example.com/news",
    ),
]
MORE_SENTENCES = 8
MAX_ID_DIGITS = 18  # every id below 10**18 fits SQLite's signed 64-bit INTEGER


@dataclass(frozen=True)
class Job:
    """One thing to brief: how to make the Brief, how to store it, how to show where it came from."""

    make: Callable[[], Awaitable[Brief]]
    stored_as: ArticleSource
    source: Source
    repeat_url: str | None = None
    repeat_text: str | None = None
    working: str = "Reading…"


def _now() -> datetime:
    return datetime.now(UTC)


def stored_source(article: StoredArticle) -> Source:
    """The source line of an article read back from storage."""
    post = None
    if article.forward_username and article.forward_message_id:
        post = f"https://t.me/{article.forward_username}/{article.forward_message_id}"
    elif article.url and is_telegram_link(article.url):
        post = article.url
    return Source(url=article.url, channel_title=article.forward_title, post_link=post)


def _url_job(svc: Services, url: str, intake: Intake) -> Job:
    async def make() -> Brief:
        page = await fetch(url, limits=svc.settings.fetch, client=svc.http)
        return await svc.nlp.brief_page(page)

    forward = intake.forward
    kind = "forward" if forward else "url"
    return Job(
        make=make,
        stored_as=ArticleSource(
            kind=kind,
            received_at=_now(),
            url=url,
            forward_title=forward.channel_title if forward else None,
            forward_username=forward.channel_username if forward else None,
            forward_message_id=forward.message_id if forward else None,
        ),
        source=Source(
            url=url,
            channel_title=forward.channel_title if forward else None,
            post_link=forward.post_link if forward else None,
        ),
        repeat_url=url,
        working="Reading the article…",
    )


def _text_job(svc: Services, intake: Intake) -> Job:
    text = intake.text
    forward = intake.forward

    async def make() -> Brief:
        return await svc.nlp.brief_text(text, url=forward.post_link if forward else None)

    return Job(
        make=make,
        stored_as=ArticleSource(
            kind="forward" if forward else "text",
            received_at=_now(),
            url=forward.post_link if forward else None,
            forward_title=forward.channel_title if forward else None,
            forward_username=forward.channel_username if forward else None,
            forward_message_id=forward.message_id if forward else None,
        ),
        source=Source(
            channel_title=forward.channel_title if forward else None,
            post_link=forward.post_link if forward else None,
        ),
        repeat_url=forward.post_link if forward else None,
        repeat_text=clean_text(text).text,
        working="Reading the text…",
    )


def _document_job(svc: Services, intake: Intake, bot) -> Job:
    document = intake.document
    assert document is not None
    limit = svc.settings.max_document_bytes

    async def make() -> Brief:
        file = await bot.get_file(document.file_id)
        data = bytes(await file.download_as_bytearray())
        if len(data) > limit:
            raise BriefError(
                f"That file is too large (the limit is {limit // 1000:,} kB). Send a link instead."
            )
        return await svc.nlp.brief_bytes(data)

    return Job(
        make=make,
        stored_as=ArticleSource(kind="text", received_at=_now()),
        source=Source(document_name=document.file_name or "file"),
        working="Reading the file…",
    )


async def _deliver(
    update: Update, context: ContextTypes.DEFAULT_TYPE, job: Job, reply_to: int | None
) -> None:
    svc = services(context)
    chat_id = update.effective_chat.id
    bot = context.bot
    repeat_id = None
    if job.repeat_url or job.repeat_text:
        repeat_id = await svc.db.articles.find_repeat(chat_id, url=job.repeat_url, text=job.repeat_text)
    if repeat_id is not None and await _send_stored(bot, svc, chat_id, repeat_id, reply_to, None):
        return
    async with Progress(
        bot, chat_id, delay=svc.settings.placeholder_after_s, text=job.working, reply_to=reply_to
    ) as progress:
        try:
            brief = await job.make()
        except BriefError as error:
            placeholder = await progress.take()
            await send_reply(
                bot, chat_id, Reply((e(error.message),)), placeholder=placeholder, reply_to=reply_to
            )
            return
        added = await svc.db.articles.add(chat_id, job.stored_as, brief)
        placeholder = await progress.take()
        if added.is_repeat and await _send_stored(bot, svc, chat_id, added.article_id, reply_to, placeholder):
            return
        reply = brief_reply(brief, job.source, article_id=added.article_id)
        await send_reply(bot, chat_id, reply, placeholder=placeholder, reply_to=reply_to)


async def _send_stored(
    bot, svc: Services, chat_id: int, article_id: int, reply_to: int | None, placeholder: Message | None
) -> bool:
    article = await svc.db.articles.get(chat_id, article_id)
    if article is None:
        return False
    reply = brief_reply(
        article.brief, stored_source(article), article_id=article.id, repeat_of=article.received_at
    )
    await send_reply(bot, chat_id, reply, placeholder=placeholder, reply_to=reply_to)
    return True


async def answer(
    update: Update, context: ContextTypes.DEFAULT_TYPE, intake: Intake, reply_to: int | None
) -> None:
    """Brief whatever `intake` holds, or say what to send instead."""
    svc = services(context)
    chat_id = update.effective_chat.id
    if intake.kind in ("too_short", "unsupported"):
        await send_html(context.bot, chat_id, e(intake.advice), reply_to=reply_to)
        return
    if intake.kind == "command":
        return
    if intake.kind == "document":
        await _deliver(update, context, _document_job(svc, intake, context.bot), reply_to)
        return
    if intake.kind == "text":
        await _deliver(update, context, _text_job(svc, intake), reply_to)
        return
    limit = svc.settings.max_urls_per_message
    for url in intake.urls[:limit]:
        await _deliver(update, context, _url_job(svc, url, intake), reply_to)
    if len(intake.urls) > limit:
        await send_html(
            context.bot,
            chat_id,
            f"You sent {len(intake.urls)} links; I briefed the first {limit}. "
            "Send the others in another message.",
            reply_to=reply_to,
        )


def _classify(svc: Services, message: Message) -> Intake:
    settings = svc.settings
    return classify(
        message,
        min_text_chars=settings.min_text_chars,
        min_caption_chars=settings.min_caption_chars,
        max_document_bytes=settings.max_document_bytes,
    )


def addressed_to_bot(message: Message, bot_id: int, bot_username: str | None) -> bool:
    """A private chat always talks to the bot; in a group only a reply to it or an @mention does."""
    if message.chat.type == ChatType.PRIVATE:
        return True
    replied = message.reply_to_message
    if replied is not None and replied.from_user is not None and replied.from_user.id == bot_id:
        return True
    mention = f"@{bot_username}".casefold() if bot_username else None
    mentions = message.parse_entities([MessageEntity.MENTION]) if message.text else {}
    return mention is not None and any(text.casefold() == mention for text in mentions.values())


async def on_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if message is None:
        return
    # In a group, advice goes only to messages meant for the bot: not to every "ok" or sticker.
    addressed = addressed_to_bot(message, context.bot.id, context.bot.username)
    if not (message.text or message.caption or message.document):
        if not addressed:
            return
        await send_html(
            context.bot,
            update.effective_chat.id,
            "I can only read text. Send a link to the article, paste its text, or send a .txt or .html file.",
            reply_to=message.message_id,
        )
        return
    intake = _classify(services(context), message)
    if intake.kind in ("too_short", "unsupported") and not addressed:
        return
    await answer(update, context, intake, message.message_id)


async def brief_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/brief as a reply to a message (again), or /brief followed by a link or text."""
    message = update.effective_message
    svc = services(context)
    target = message.reply_to_message
    if context.args:
        argument = message.text.split(maxsplit=1)[1]
        intake = classify_text(argument, minimum=svc.settings.min_text_chars)
        await answer(update, context, intake, message.message_id)
        return
    if target is None or not (target.text or target.caption or target.document):
        await send_html(
            context.bot,
            update.effective_chat.id,
            "Reply with /brief to a message that holds a link or an article's text, "
            "or write the link after it: <code>/brief https://example.com/news/article</code>.",
        )
        return
    if target.from_user is not None and target.from_user.id == context.bot.id:
        # Never brief the bot's own words as an article: a brief is sent again from storage.
        chat_id = update.effective_chat.id
        article_id = await article_of_reply(svc.db, chat_id, target)
        if article_id is None or not await _send_stored(
            context.bot, svc, chat_id, article_id, message.message_id, None
        ):
            await send_html(
                context.bot,
                chat_id,
                "That is one of my own messages, not an article. Reply /brief to the message that holds "
                "the link or the text.",
            )
        return
    await answer(update, context, _classify(svc, target), target.message_id)


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """more:/figs:/quotes:<article id>, looked up in the chat the button was pressed in, never another."""
    query = update.callback_query
    svc = services(context)
    action, _, raw_id = (query.data or "").partition(":")
    chat_id = query.message.chat.id if query.message else None
    article = None
    # Data can be forged by a modified client: an id beyond SQLite's 64-bit integers is no article.
    if chat_id is not None and raw_id.isdecimal() and len(raw_id) <= MAX_ID_DIGITS:
        article = await svc.db.articles.get(chat_id, int(raw_id))
    if article is None:
        await answer_query(query, "That article is no longer in this chat's history.", show_alert=True)
        return
    await answer_query(query)
    brief = article.brief
    if action == "figs":
        reply = all_figures_reply(brief, article.title)
    elif action == "quotes":
        reply = all_quotes_reply(brief, article.title)
    else:
        more = min(brief.sentences, len(brief.summary) + MORE_SENTENCES)
        try:
            longer = await svc.nlp.brief_text(brief.text, title=article.title, sentences=more)
        except BriefError as error:
            await send_html(context.bot, chat_id, e(error.message))
            return
        shown = {s.text for s in brief.summary}
        fresh = [s for s in longer.summary if s.text not in shown]
        reply = more_sentences_reply(article.title, fresh)
    await send_reply(context.bot, chat_id, reply)


def register(application: Application) -> None:
    application.add_handler(CommandHandler("brief", brief_command))
    application.add_handler(CallbackQueryHandler(on_button, pattern=r"^(more|figs|quotes):\d+$"))


async def on_unknown_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Button data no handler takes (forged, or from an older version): answer it, or the button spins."""
    await answer_query(update.callback_query, "That button no longer works.")


def register_last(application: Application) -> None:
    # Registered after every module's own CallbackQueryHandler, so only data none of them takes lands here.
    application.add_handler(CallbackQueryHandler(on_unknown_button))
    # Anything that is not a command is an article (or bad input that gets advice): registered after every
    # module's own handlers, so a reply that asks a question or a feed command is handled there first.
    application.add_handler(MessageHandler(filters.UpdateType.MESSAGE & ~filters.COMMAND, on_message))
