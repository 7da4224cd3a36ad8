"""Build the bot: the PTB Application, its handlers (one module per concern) and its shared services.

Handler modules
---------------
Each module in `HANDLER_MODULES` exposes `register(application)` and may declare
`COMMANDS = [(name, description, example), ...]`; /help and Telegram's command menu are assembled from
those. A module may also expose `register_last(application)` for catch-all handlers: every `register` runs
first, then every `register_last`, so specific handlers (a reply that asks a question, a feed command)
always win over "any text is an article" and "unknown command". To add a module, append it below.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import uuid
from collections.abc import AsyncIterator, Iterable
from types import ModuleType

from telegram import BotCommand, Update
from telegram.ext import Application, ApplicationBuilder

from bot.delivery import RetryingRateLimiter
from bot.inbox import RecordingUpdateQueue, UpdateInbox
from bot.nlp_pool import NlpPool
from bot.ordering import PerChatUpdateProcessor
from bot.outbox import ReplyOutbox
from bot.services import SERVICES_KEY, CommandSpec, Services
from bot.settings import Settings
from storage import Database, open_database
from summarize.fetch import make_client

log = logging.getLogger(__name__)

# ---- the handler modules, in registration order (others append their module here) ----------------------
HANDLER_MODULES: tuple[str, ...] = (
    "bot.handlers.errors",  # error handler: log with context, answer politely
    "bot.handlers.commands",  # /start /help /history
    "bot.handlers.briefs",  # articles sent as links, text, forwards, captions, files; /brief; buttons
    "bot.handlers.facts",  # /figures /speakers
    "bot.handlers.chat_settings",  # /settings
    "bot.handlers.privacy",  # /export /forget
    "bot.handlers.feeds",  # /subscribe /unsubscribe /feeds /digest; feed polling and digest jobs
    "bot.handlers.ask",  # /ask and questions sent as replies to a brief
)
# ----------------------------------------------------------------------------------------------------------

_OWNED = "owned_resources"
INBOX_KEY = "inbox"  # bot_data key: this run's UpdateInbox (tests read its counters)  # bot_data key: which services post_shutdown must close


def load_modules(names: Iterable[str] = HANDLER_MODULES) -> list[ModuleType]:
    return [importlib.import_module(name) for name in names]


def declared_commands(modules: Iterable[ModuleType]) -> tuple[CommandSpec, ...]:
    specs: dict[str, CommandSpec] = {}
    for module in modules:
        for item in getattr(module, "COMMANDS", ()):
            spec = CommandSpec.of(item)
            specs.setdefault(spec.name, spec)
    return tuple(specs.values())


def build_application(
    settings: Settings,
    *,
    nlp: NlpPool | None = None,
    db: Database | None = None,
    rate_limiter: bool = True,
    modules: Iterable[str] = HANDLER_MODULES,
) -> Application:
    """The bot, ready for `run_polling()` (or `running()` below, for a loop you own).

    `nlp` / `db`: resources created by the caller (tests share one NLP pool across applications); the
    application then uses them without closing them. Otherwise post_init creates and post_shutdown closes
    them. The httpx client is always the application's own.
    """
    if not settings.token:
        raise ValueError("build_application needs a token (the console passes its local server's)")
    builder: ApplicationBuilder = (
        Application.builder()
        .token(settings.token)
        .concurrent_updates(PerChatUpdateProcessor(settings.max_concurrent_updates))
        .update_queue(RecordingUpdateQueue())  # the inbox: recorded before acknowledged (bot/inbox.py)
        .post_init(start_services)
        .post_shutdown(stop_services)
    )
    if rate_limiter:
        builder = builder.rate_limiter(
            RetryingRateLimiter(deadline_s=settings.reply_deadline_s)
        )  # AIORateLimiter, retrying 429/5xx
    if settings.base_url:
        builder = builder.base_url(settings.base_url).base_file_url(settings.base_file_url or "")
    application = builder.build()
    loaded = load_modules(modules)
    application.bot_data["settings"] = settings
    application.bot_data["commands"] = declared_commands(loaded)
    application.bot_data[_OWNED] = {"nlp": nlp is None, "db": db is None}
    application.bot_data["given"] = {"nlp": nlp, "db": db}
    for module in loaded:
        module.register(application)
    for module in loaded:
        if hasattr(module, "register_last"):
            module.register_last(application)
    return application


def _make_nlp(settings: Settings) -> NlpPool:
    """The local process pool, or (QUEUE_URL set) the task queue with the same methods."""
    if settings.queue_url:
        from bot.queue import QueueNlp

        return QueueNlp(settings.queue_url, job_timeout_s=settings.queue_job_timeout_s)  # type: ignore[return-value]
    return NlpPool(settings.nlp_workers, model=settings.spacy_model)


async def start_services(application: Application) -> None:
    """post_init: open the database, start the NLP workers, create the HTTP client, set the commands."""
    if SERVICES_KEY in application.bot_data:
        return
    settings: Settings = application.bot_data["settings"]
    given = application.bot_data["given"]
    db = given["db"] or await open_database(settings.database, default_timezone=settings.default_timezone)
    nlp = given["nlp"] or _make_nlp(settings)
    try:
        await nlp.start()
    except BaseException:
        if given["db"] is None:
            await db.close()
        raise
    http = make_client(settings.fetch)
    commands: tuple[CommandSpec, ...] = application.bot_data["commands"]
    application.bot_data[SERVICES_KEY] = Services(
        settings=settings, db=db, nlp=nlp, http=http, commands=commands
    )
    await start_delivery(application, db)
    await application.bot.set_my_commands([BotCommand(c.name, c.description[:256]) for c in commands])
    log.info(
        "bot services started: %s database, %d NLP worker(s)",
        db.dialect,
        nlp.workers,
    )


async def start_delivery(application: Application, db: Database) -> None:
    """Record updates in the durable inbox and replies in the durable outbox from now on, and take over
    what dead runs left in both (storage/liveness.py: on PostgreSQL with several processes, a run that
    still lives keeps its rows).

    Called before the updater fetches anything: the dead runs' unsent replies go out first in each chat,
    then their unhandled updates are handled again (their old unsent replies dropped), then new ones."""
    owner = uuid.uuid4().hex
    await db.liveness.claim(owner)
    left_by = set(await db.inbox.owners_left(owner=owner)) | set(await db.outbox.owners_left(owner=owner))
    dead = await db.liveness.dead(sorted(left_by))  # a live replica's rows are its own to finish
    queue = application.update_queue
    again: list[Update] = []
    if isinstance(queue, RecordingUpdateQueue):
        inbox = UpdateInbox(db.inbox, owner=owner)
        again = await inbox.take_over(application.bot, db.outbox, dead)
        processor = application.update_processor
        if isinstance(processor, PerChatUpdateProcessor):
            processor.inbox = inbox
        queue.inbox = inbox
        application.bot_data[INBOX_KEY] = inbox
    limiter = application.bot.rate_limiter
    if isinstance(limiter, RetryingRateLimiter):
        settings: Settings = application.bot_data["settings"]
        limiter.outbox = ReplyOutbox(
            db.outbox,
            owner=owner,
            resend=limiter.resender(application.bot),
            retry_every_s=settings.outbox_retry_s,
        )
        if dead:
            chats = await limiter.outbox.resume(limiter.resender(application.bot), dead)
            if chats:
                log.info("outbox: sending the replies earlier runs left in %d chat(s)", chats)
    if again and isinstance(queue, RecordingUpdateQueue):
        log.info("inbox: handling again %d update(s) earlier runs left unhandled", len(again))
        for update in again:
            await queue.put_again(update)


async def stop_delivery(application: Application) -> None:
    """Stop recording (the database is about to close); unhandled updates and unsent replies stay."""
    queue, processor = application.update_queue, application.update_processor
    if isinstance(queue, RecordingUpdateQueue):
        queue.inbox = None
    if isinstance(processor, PerChatUpdateProcessor):
        processor.inbox = None
    limiter = application.bot.rate_limiter
    if isinstance(limiter, RetryingRateLimiter) and limiter.outbox is not None:
        outbox, limiter.outbox = limiter.outbox, None
        await outbox.close()


async def stop_services(application: Application) -> None:
    """post_shutdown: close what start_services opened (never what the caller passed in)."""
    svc: Services | None = application.bot_data.pop(SERVICES_KEY, None)
    if svc is None:
        return
    await stop_delivery(application)
    owned = application.bot_data[_OWNED]
    await svc.http.aclose()
    if owned["nlp"]:
        await svc.nlp.close()
    if owned["db"]:
        await svc.db.close()


def webhook_options(settings: Settings) -> dict[str, object]:
    """PTB's webhook server arguments from the settings: it listens on TELEGRAM_WEBHOOK_LISTEN:PORT
    behind the reverse proxy, registers TELEGRAM_WEBHOOK_URL with Telegram (setWebhook, with the secret)
    and answers 403 to any request whose X-Telegram-Bot-Api-Secret-Token header is not the secret."""
    return {
        "listen": settings.webhook_listen,
        "port": settings.webhook_port,
        "url_path": settings.webhook_path,
        "webhook_url": settings.webhook_url,
        "secret_token": settings.webhook_secret,
        "allowed_updates": Update.ALL_TYPES,
    }


@contextlib.asynccontextmanager
async def running(application: Application, *, poll_timeout: float = 1.0) -> AsyncIterator[Application]:
    """Run the application on the current event loop (tests, console): services, handlers and polling
    (or PTB's webhook server when TELEGRAM_WEBHOOK_URL is set).

    `run_polling()` owns its loop and blocks; this is the same start and stop sequence for a caller that
    already has a loop (PTB documents this manual sequence for combining with other asyncio frameworks).
    """
    await application.initialize()
    try:
        await start_services(application)
        await application.start()
        assert application.updater is not None
        settings: Settings = application.bot_data["settings"]
        if settings.webhook_url:
            await application.updater.start_webhook(**webhook_options(settings))  # type: ignore[arg-type]
        else:
            await application.updater.start_polling(poll_interval=0, timeout=int(poll_timeout) or 1)
        try:
            yield application
        finally:
            if application.updater.running:
                await application.updater.stop()
            if application.running:
                await application.stop()
    finally:
        await stop_services(application)
        await application.shutdown()
