"""JobQueue jobs: poll the feeds every few minutes; every minute, send the digests that are due.

Why one due-check a minute rather than `run_daily` per chat: the check reads the chat's settings from
storage each time, so a changed time or timezone needs no job bookkeeping, a restart needs no rebuilding,
and a digest missed while the bot was down is simply "due" at the first check after start. Whether a digest
is due is decided in the chat's own timezone with zoneinfo, so 08:00 stays 08:00 across DST changes; the
storage claim per (chat, local day) makes sending at most once, however many checks or processes run.

Time is injectable: `services.extras[CLOCK]` is the clock every job and handler here asks for "now".
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from telegram import LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.ext import Application, ContextTypes

from bot.digest import DigestOutcome, SendMessage, resume_digest, send_digest
from bot.outbox import unrecorded
from bot.poller import PollConfig, Poller, PollReport, utc_now
from bot.services import Services, services
from storage import ChatSettings

log = logging.getLogger(__name__)

CLOCK = "feeds.clock"  # services.extras: Callable[[], datetime] (aware); tests put their clock here
POLLER = "feeds.poller"
NOT_BEFORE = "feeds.digest_not_before"  # chat id -> instant its digest settings last changed
OWNER = "feeds.run_id"  # this run's name on the digests it claims (a claim of a dead run is resumed)
IN_FLIGHT = "feeds.digests_in_flight"  # (chat id, local date) this run is delivering at the moment
POLL_INTERVAL = timedelta(minutes=15)
DUE_CHECK_INTERVAL = timedelta(minutes=1)
POLL_JOB = "feeds-poll"
DUE_JOB = "digest-due"
_NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


def clock_of(svc: Services) -> Callable[[], datetime]:
    return svc.extras.get(CLOCK, utc_now)


def poller_of(svc: Services) -> Poller:
    """The one Poller of this bot (its per-host limits must be shared by every pass)."""
    poller = svc.extras.get(POLLER)
    if poller is None:
        poller = Poller(
            svc.db,
            svc.http,
            svc.nlp,
            limits=svc.settings.fetch,
            config=PollConfig(),
            clock=lambda: clock_of(svc)(),
        )
        svc.extras[POLLER] = poller
    return poller


def digest_instant(day: date, digest_time: str, tz: ZoneInfo) -> datetime:
    """The moment of `digest_time` on the local `day`, in UTC. A wall time skipped by a DST change
    (spring forward) comes out one hour later; one that happens twice (fall back) means the first."""
    hours, minutes = (int(part) for part in digest_time.split(":"))
    local = datetime.combine(day, time(hours, minutes), tzinfo=tz)  # fold=0: the earlier of two
    return local.astimezone(UTC)


@dataclass(frozen=True)
class DueDigest:
    chat: ChatSettings
    local_date: date
    instant: datetime


async def due_digests(svc: Services, now: datetime) -> list[DueDigest]:
    """Chats whose digest time has come today (in their timezone) and whose day has no digest yet.

    A time set after today's digest moment counts from tomorrow: changing settings at 09:00 to 08:00
    does not send a digest at once.
    """
    not_before: dict[int, datetime] = svc.extras.get(NOT_BEFORE, {})
    due: list[DueDigest] = []
    for chat in await svc.db.chats.with_digest_enabled():
        tz = ZoneInfo(chat.timezone)
        today = now.astimezone(tz).date()
        instant = digest_instant(today, chat.digest_time, tz)
        if now < instant or instant < not_before.get(chat.chat_id, instant):
            continue
        if await svc.db.digests.has(chat.chat_id, today):
            continue
        due.append(DueDigest(chat, today, instant))
    return due


def telegram_sender(application: Application) -> SendMessage:
    async def send(chat_id: int, html: str) -> int:
        message = await application.bot.send_message(
            chat_id, html, parse_mode=ParseMode.HTML, link_preview_options=_NO_PREVIEW
        )
        return message.message_id

    return send


async def send_due_digests(application: Application) -> list[DigestOutcome]:
    """One due-check: first finish every digest a dead run (or a failed send) left claimed, then send
    every digest that is due now (each claimed once per chat and local day, delivered at least once).
    Their sends skip the reply outbox (bot/outbox.py): the digest's claim is their delivery record."""
    with unrecorded():
        return await _send_due_digests(application)


async def _send_due_digests(application: Application) -> list[DigestOutcome]:
    svc = install(application)
    now = clock_of(svc)()
    owner = svc.extras[OWNER]
    busy: set[tuple[int, object]] = svc.extras.setdefault(IN_FLIGHT, set())
    sender = telegram_sender(application)
    outcomes = []
    for claim in await svc.db.digests.unfinished():
        key = (claim.chat_id, claim.local_date)
        if key in busy:  # this run is delivering it right now
            continue
        chat = await svc.db.chats.get(claim.chat_id)
        busy.add(key)
        try:
            outcome = await resume_digest(
                svc.db, sender, claim, owner=owner, now=now, tz=ZoneInfo(chat.timezone if chat else "UTC")
            )
        finally:
            busy.discard(key)
        log.info("digest for chat %s (%s) resumed: %s", claim.chat_id, claim.local_date, outcome.status)
        outcomes.append(outcome)
    for item in await due_digests(svc, now):
        key = (item.chat.chat_id, item.local_date)
        if key in busy:
            continue
        busy.add(key)
        try:
            outcome = await send_digest(
                svc.db,
                sender,
                item.chat.chat_id,
                now=now,
                tz=ZoneInfo(item.chat.timezone),
                scheduled=True,
                owner=owner,
            )
        finally:
            busy.discard(key)
        log.info("digest for chat %s (%s): %s", item.chat.chat_id, item.local_date, outcome.status)
        outcomes.append(outcome)
    return outcomes


async def poll_feeds(application: Application) -> PollReport:
    return await poller_of(install(application)).poll_all()


async def settings_changed(svc: Services, chat_id: int) -> None:
    svc.extras.setdefault(NOT_BEFORE, {})[chat_id] = clock_of(svc)()


# ---- the jobs --------------------------------------------------------------------------------------------


async def leads(application: Application) -> bool:
    """Whether this process runs the scheduled work: with several bot processes on one PostgreSQL, only
    the holder of the database's leader lock does (storage.leader); a lone process always does."""
    return await services(application).db.leadership.is_leader()


async def _poll_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    if await leads(context.application):
        await poll_feeds(context.application)


async def _due_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    if await leads(context.application):
        await send_due_digests(context.application)


async def _start_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """At start: hook into /settings changes, then the catch-up check for digests missed while down."""
    install(context.application)
    if await leads(context.application):
        await send_due_digests(context.application)


def install(application: Application) -> Services:
    """Wire this module into the running services (idempotent; at start and from the feed handlers): the
    clock a test put in `application.bot_data[CLOCK]` before start, and the /settings change hook."""
    from bot.handlers.chat_settings import SETTINGS_CHANGED

    svc = services(application)
    svc.extras.setdefault(OWNER, uuid.uuid4().hex)
    if CLOCK in application.bot_data:
        svc.extras.setdefault(CLOCK, application.bot_data[CLOCK])

    async def on_change(chat_id: int, _settings: ChatSettings) -> None:
        await settings_changed(svc, chat_id)

    svc.extras.setdefault(SETTINGS_CHANGED, on_change)
    return svc


def schedule_jobs(application: Application) -> None:
    jobs = application.job_queue
    if jobs is None:
        raise RuntimeError("the bot needs python-telegram-bot[job-queue] for feeds and digests")
    # Start-up may take longer than APScheduler's default 1 s grace (the NLP workers load first): never drop it.
    jobs.run_once(_start_job, when=0, name="digest-catch-up", job_kwargs={"misfire_grace_time": None})
    jobs.run_repeating(_due_job, interval=DUE_CHECK_INTERVAL, first=DUE_CHECK_INTERVAL, name=DUE_JOB)
    jobs.run_repeating(_poll_job, interval=POLL_INTERVAL, first=timedelta(seconds=30), name=POLL_JOB)
