"""/subscribe, /unsubscribe, /feeds and /digest; also schedules the polling and digest jobs.

/subscribe fetches the feed at once (a site address is followed to the feed it announces), files its
newest items in the chat's history, and so `/digest now` right after it already has something to show.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from telegram import Update
from telegram.constants import ChatAction
from telegram.ext import Application, CommandHandler, ContextTypes

from bot.digest import MESSAGE_LIMIT, pack_blocks, send_digest
from bot.feeds import (
    FilterError,
    NotAFeed,
    ParsedFeed,
    parse_subscribe_args,
    plural,
    same_feed_address,
    skip_reason,
)
from bot.handlers.common import send_html
from bot.poller import Poller, ResolvedFeed, newest_entries, resolve_feed
from bot.render import e
from bot.schedule import clock_of, install, poller_of, schedule_jobs, settings_changed, telegram_sender
from bot.services import services
from storage import MAX_FEEDS_PER_CHAT, Database, Subscription, SubscriptionLimitError
from storage.feed_queries import FeedOverview, FeedQueries
from storage.feeds import feed_url
from summarize.errors import FetchError

COMMANDS = [
    (
        "subscribe",
        "Follow a news feed (RSS/Atom or a site); +word/-word filters",
        "/subscribe https://example.org/rss +Kharkiv",
    ),
    ("unsubscribe", "Stop following a feed, by its number in /feeds or its address", "/unsubscribe 2"),
    ("feeds", "The feeds this chat follows, with their last fetch and errors", "/feeds"),
    ("digest", "Daily digest of your feeds: a time, off, or now", "/digest 08:00"),
]
DIGEST_USAGE = (
    "<code>/digest 08:00</code> — a daily digest at that time (this chat's timezone; change it with "
    "<code>/settings timezone Europe/Kyiv</code>)\n"
    "<code>/digest off</code> — no daily digest\n"
    "<code>/digest now</code> — the stories since the last digest, right now"
)


SHOWN_TITLE = 200  # a feed names itself: its title is cut for display so a reply always fits a message
SHOWN_URL = 500


def _shown(text: str, limit: int) -> str:
    """`text` escaped for HTML, cut to `limit` characters (before escaping) with "…"."""
    return e(text if len(text) <= limit else text[: limit - 1] + "…")


def _local(moment: datetime | None, tz: ZoneInfo) -> str:
    return "never" if moment is None else moment.astimezone(tz).strftime("%d %b %H:%M")


async def subscribe(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    chat_id = update.effective_chat.id
    svc = install(context.application)
    try:
        request = parse_subscribe_args(context.args or [])
    except FilterError as error:
        await send_html(context.bot, chat_id, e(str(error)))
        return
    await context.bot.send_chat_action(chat_id, ChatAction.TYPING)
    try:
        resolved = await resolve_feed(request.url, client=svc.http, limits=svc.settings.fetch)
        followed = await already_followed(svc.db, chat_id, resolved)
        subscription = await svc.db.feeds.subscribe(
            chat_id,
            followed.url if followed else resolved.url,
            include=request.include,
            exclude=request.exclude,
        )
    except (FetchError, NotAFeed) as error:
        await send_html(context.bot, chat_id, f"I could not follow that feed: {e(str(error))}")
        return
    except SubscriptionLimitError:
        await _limit_reply(context, chat_id)
        return
    except ValueError as error:
        await send_html(context.bot, chat_id, e(str(error)))
        return
    settings = await svc.db.chats.ensure(chat_id)
    if followed is not None:
        await send_html(context.bot, chat_id, _already_reply(followed, subscription, settings.timezone))
        return
    await poller_of(svc).take_resolved(chat_id, subscription.feed_id, resolved)
    title = resolved.feed.title or resolved.url
    lines = [f"Following <b>{_shown(title, SHOWN_TITLE)}</b>", _shown(resolved.url, SHOWN_URL)]
    if request.include or request.exclude:
        lines.append("Filters: " + _shown(_filter_words(request.include, request.exclude), SHOWN_URL))
    lines.append(e(counts_line(resolved.feed, subscription, poller_of(svc))))
    if resolved.feed.problem:
        lines.append("The feed is slightly damaged; I read what I could.")
    if settings.digest_enabled:
        lines.append(f"They will be in your daily digest at {e(settings.digest_time)}.")
    else:
        lines.append(
            "Get a daily digest with <code>/digest 08:00</code>, or see one now with <code>/digest now</code>."
        )
    await send_html(context.bot, chat_id, "\n".join(lines))


def _filter_words(include: tuple[str, ...], exclude: tuple[str, ...]) -> str:
    return " ".join([f"+{w}" for w in include] + [f"-{w}" for w in exclude])


async def already_followed(db: Database, chat_id: int, resolved: ResolvedFeed) -> Subscription | None:
    """The chat's subscription that is this feed, if any.

    One feed: the same address once normalised (scheme and host case, fragment, tracking parameters), or
    an address differing only in scheme or query string whose document is the same feed (same title and
    at least half of its items already known under the followed address). A query string alone never
    makes two feeds one: `?category=sport` and `?category=world` serve different items and stay two."""
    key = feed_url(resolved.url)
    subscriptions = await db.feeds.subscriptions(chat_id)
    for subscription in subscriptions:
        if feed_url(subscription.url) == key:
            return subscription
    mine = {entry.guid or entry.link for entry in resolved.feed.entries} - {None}
    for subscription in subscriptions:
        if not same_feed_address(subscription.url, resolved.url) or subscription.title != resolved.feed.title:
            continue
        known = await FeedQueries(db).item_keys(subscription.feed_id)
        if mine and len(mine & known) * 2 >= len(mine):
            return subscription
    return None


def _already_reply(followed: Subscription, now: Subscription, timezone: str) -> str:
    since = _local(followed.created_at, ZoneInfo(timezone))
    lines = [
        f"This chat is already following <b>{_shown(followed.title or followed.url, SHOWN_TITLE)}</b> "
        f"(since {e(since)})",
        _shown(followed.url, SHOWN_URL),
    ]
    before, after = (followed.include, followed.exclude), (now.include, now.exclude)
    if before != after:
        words = _filter_words(*after)
        lines.append("Filters changed to: " + _shown(words, SHOWN_URL) if words else "Filters removed.")
    lines.append("Its stories are in your history; /feeds lists what this chat follows.")
    return "\n".join(lines)


def counts_line(feed: ParsedFeed, subscription: Subscription, poller: Poller) -> str:
    """ "4 items in the feed; 1 of the newest briefed into your history; 3 did not match +ceasefire." """
    entries = list(feed.entries)
    newest = newest_entries(entries, poller.config.first_poll_briefs)
    reasons: dict[str, int] = {}
    briefed = 0
    for entry in newest:
        reason = skip_reason(entry, subscription.include, subscription.exclude) or poller.failure_of(entry)
        if reason is None:
            briefed += 1
        else:
            reasons[reason] = reasons.get(reason, 0) + 1
    parts = [
        f"{plural(len(entries), 'item')} in the feed",
        f"{briefed:,} of the newest briefed into your history",
    ]
    parts += [f"{count:,} {reason}" for reason, count in sorted(reasons.items(), key=lambda pair: -pair[1])]
    line = "; ".join(parts) + "."
    if len(entries) > len(newest):
        line += f" Older items are marked as seen, not briefed (the newest {len(newest)} are)."
    return line


async def _limit_reply(context: ContextTypes.DEFAULT_TYPE, chat_id: int) -> None:
    await send_html(
        context.bot,
        chat_id,
        f"This chat already follows {MAX_FEEDS_PER_CHAT} feeds, the most I keep per chat. "
        "Remove one with /unsubscribe (see the numbers in /feeds), then subscribe again.",
    )


async def unsubscribe(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    chat_id = update.effective_chat.id
    svc = services(context)
    args = context.args or []
    feeds = await FeedQueries(svc.db).overview(chat_id)
    if len(args) != 1:
        await send_html(
            context.bot, chat_id, "Send <code>/unsubscribe 2</code> (its number in /feeds) or its address."
        )
        return
    target: FeedOverview | None = None
    if args[0].isdecimal():  # not isdigit: int() refuses "²"
        number = int(args[0])
        target = next((feed for feed in feeds if feed.position == number), None)
        if target is None:
            await send_html(context.bot, chat_id, f"There is no feed number {number}; see /feeds.")
            return
        url = target.url
    else:
        url = args[0]
    try:
        removed = await svc.db.feeds.unsubscribe(chat_id, url)
    except ValueError:
        removed = False
    if not removed:
        await send_html(
            context.bot, chat_id, f"This chat does not follow {_shown(url, SHOWN_URL)}; see /feeds."
        )
        return
    name = target.title if target is not None and target.title else url
    await send_html(
        context.bot,
        chat_id,
        f"Stopped following <b>{_shown(name, SHOWN_TITLE)}</b>. Its stories stay in your history.",
    )


def feeds_reply(feeds: list[FeedOverview], tz: ZoneInfo) -> str:
    if not feeds:
        return "This chat follows no feeds yet. Add one with <code>/subscribe https://example.org/rss</code>."
    blocks = [f"<b>Feeds of this chat</b> ({len(feeds)} of {MAX_FEEDS_PER_CHAT})"]
    for feed in feeds:
        lines = [
            f"{feed.position}. <b>{_shown(feed.title or feed.url, SHOWN_TITLE)}</b>",
            _shown(feed.url, SHOWN_URL),
        ]
        lines.append(f"Last fetch: {_local(feed.last_checked, tz)} · {feed.items} items")
        if feed.include or feed.exclude:
            lines.append("Filters: " + _shown(_filter_words(feed.include, feed.exclude), SHOWN_URL))
        if feed.last_error:
            lines.append(f"Last error ({feed.error_count} in a row): {e(feed.last_error)}")
        blocks.append("\n".join(lines))
    blocks.append("Remove one with <code>/unsubscribe N</code>.")
    return "\n\n".join(blocks)


async def list_feeds(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    chat_id = update.effective_chat.id
    svc = services(context)
    settings = await svc.db.chats.ensure(chat_id)
    feeds = await FeedQueries(svc.db).overview(chat_id)
    text = feeds_reply(feeds, ZoneInfo(settings.timezone))
    for chunk in _split(text):
        await send_html(context.bot, chat_id, chunk)


def _split(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    return pack_blocks(text.split("\n\n"), limit=limit)


async def digest(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    chat_id = update.effective_chat.id
    svc = install(context.application)
    args = [arg.lower() for arg in context.args or []]
    settings = await svc.db.chats.ensure(chat_id)
    if not args:
        state = (
            f"daily at {e(settings.digest_time)} ({e(settings.timezone)})"
            if settings.digest_enabled
            else "off"
        )
        await send_html(context.bot, chat_id, f"Daily digest: {state}.\n\n{DIGEST_USAGE}")
        return
    if len(args) != 1:
        await send_html(context.bot, chat_id, DIGEST_USAGE)
        return
    choice = args[0]
    if choice == "now":
        now = clock_of(svc)()
        await context.bot.send_chat_action(chat_id, ChatAction.TYPING)
        await send_digest(
            svc.db,
            telegram_sender(context.application),
            chat_id,
            now=now,
            tz=ZoneInfo(settings.timezone),
            scheduled=False,
        )
        return
    if choice == "off":
        await svc.db.chats.update(chat_id, digest_enabled=False)
        await send_html(
            context.bot, chat_id, "Daily digest off. Turn it on again with <code>/digest 08:00</code>."
        )
        return
    value = "0" + choice if len(choice) == 4 and choice[1] == ":" else choice
    try:
        changed = await svc.db.chats.update(chat_id, digest_time=value, digest_enabled=True)
    except ValueError:
        await send_html(context.bot, chat_id, f"“{e(choice)}” is not a time such as 08:00.\n\n{DIGEST_USAGE}")
        return
    await settings_changed(svc, chat_id)
    await send_html(
        context.bot,
        chat_id,
        f"Daily digest at {e(changed.digest_time)}, {e(changed.timezone)} time. "
        "Change the timezone with <code>/settings timezone Europe/Kyiv</code>.",
    )


def register(application: Application) -> None:
    application.add_handler(CommandHandler("subscribe", subscribe))
    application.add_handler(CommandHandler("unsubscribe", unsubscribe))
    application.add_handler(CommandHandler("feeds", list_feeds))
    application.add_handler(CommandHandler("digest", digest))
    schedule_jobs(application)
