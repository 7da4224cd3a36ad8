"""Polling feeds: fetch every followed feed (conditionally), read new items, brief them, file them per chat.

One pass (`Poller.poll_all`) fetches each due feed once, whoever follows it: conditional GET with the
stored ETag / Last-Modified, at most `per_host` requests to one host at a time, exponential back-off after
errors (the error stays in storage for /feeds). New items (unknown guid and link) are briefed once (the
linked article when the item is only a teaser) and stored in the history of every chat whose filters take
them. Time comes from an injected clock, so tests decide what "now" is.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Protocol
from urllib.parse import urlsplit

import httpx

from bot.feeds import FeedEntry, NotAFeed, ParsedFeed, discover_feed_urls, entry_accepted, parse_feed
from storage import ArticleSource, Database, FeedState, Subscription
from storage.feed_queries import FeedQueries
from summarize.config import FetchLimits
from summarize.errors import BriefError, ContentTooLarge, FetchError, FetchTimeout, HttpStatusError
from summarize.fetch import FEED, PAGE, FetchedPage, fetch
from summarize.model import Brief

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


class Briefer(Protocol):
    """What the poller needs from the NLP pool (bot.nlp_pool.NlpPool has these methods)."""

    async def brief_text(
        self, text: str, *, title: str | None = None, url: str | None = None, published: str | None = None
    ) -> Brief: ...

    async def brief_page(self, page: FetchedPage) -> Brief: ...


@dataclass(frozen=True)
class PollConfig:
    per_host: int = 2  # requests to one host at a time
    concurrency: int = 16  # feeds fetched at a time overall
    backoff_base: timedelta = timedelta(minutes=5)  # wait after the first error, doubled after each next
    backoff_max: timedelta = timedelta(hours=6)
    first_poll_briefs: int = 10  # a newly followed feed: brief only its newest items, mark the rest seen
    max_briefs_per_feed: int = 30  # per pass; more new items than this are marked seen unbriefed
    brief_concurrency: int = 4  # items being fetched/briefed at a time


@dataclass(frozen=True)
class FeedResult:
    feed_id: int
    url: str
    status: str  # "updated" | "not_modified" | "error" | "waiting" (backing off)
    new_items: int = 0
    briefed: int = 0
    stored: int = 0  # (chat, article) pairs written
    error: str | None = None


@dataclass(frozen=True)
class PollReport:
    results: tuple[FeedResult, ...] = field(default=())

    def count(self, status: str) -> int:
        return sum(1 for result in self.results if result.status == status)

    @property
    def new_items(self) -> int:
        return sum(result.new_items for result in self.results)

    @property
    def stored(self) -> int:
        return sum(result.stored for result in self.results)


def next_attempt(state: FeedState, config: PollConfig) -> datetime | None:
    """When a failing feed may be fetched again (None: no errors, fetch on every pass)."""
    if state.error_count <= 0 or state.last_checked is None:
        return None
    delay = config.backoff_base * (2 ** min(state.error_count - 1, 20))
    return state.last_checked + min(delay, config.backoff_max)


def describe_error(error: BaseException) -> str:
    """A short line for /feeds about why the last fetch failed."""
    if isinstance(error, HttpStatusError):
        return f"the site answered HTTP {error.status}"
    if isinstance(error, FetchTimeout):
        return "the site took too long to answer"
    if isinstance(error, ContentTooLarge):
        return f"the feed is larger than {error.limit:,} bytes"
    if isinstance(error, (FetchError, NotAFeed, BriefError)):
        return str(error)
    return f"unexpected error ({type(error).__name__})"


def conditional_headers(state: FeedState) -> dict[str, str]:
    headers: dict[str, str] = {}
    if state.etag:
        headers["If-None-Match"] = state.etag
    if state.last_modified:
        headers["If-Modified-Since"] = state.last_modified
    return headers


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


@dataclass(frozen=True)
class ResolvedFeed:
    url: str  # the feed's own address (after autodiscovery)
    feed: ParsedFeed
    page: FetchedPage


async def resolve_feed(
    url: str, *, client: httpx.AsyncClient, limits: FetchLimits | None = None
) -> ResolvedFeed:
    """Fetch `url`; if it is a web page, follow the first feed it announces. Raises FetchError or NotAFeed
    (messages fit to show a person)."""
    page = await fetch(url, limits=limits, accept=FEED, client=client)
    if page.content_type in ("text/html", "application/xhtml+xml"):
        candidates = discover_feed_urls(page.text, page_url=page.final_url)
        if not candidates:
            raise NotAFeed(
                "That page does not announce a news feed. Send the address of its RSS or Atom feed."
            )
        page = await fetch(candidates[0], limits=limits, accept=FEED, client=client)
        if page.content_type in ("text/html", "application/xhtml+xml"):
            raise NotAFeed("The feed that page announces is a web page too. Send the feed's address.")
    return ResolvedFeed(url=page.final_url, feed=read_feed(page), page=page)


_XML_DECLARED_ENCODING = re.compile(r"""^(\s*<\?xml[^>]*?encoding\s*=\s*)["'][^"']*["']""", re.IGNORECASE)


def read_feed(page: FetchedPage) -> ParsedFeed:
    """`parse_feed` on a fetched feed. feedparser raises on some declared charsets (`undefined`); then the
    text the fetcher already decoded (its charset fallbacks never raise) is parsed as UTF-8 instead."""
    try:
        return parse_feed(page.body, url=page.final_url)
    except (LookupError, UnicodeError):
        text = _XML_DECLARED_ENCODING.sub(r'\1"utf-8"', page.text, count=1)
        return parse_feed(text.encode("utf-8"), url=page.final_url)


class Poller:
    def __init__(
        self,
        db: Database,
        client: httpx.AsyncClient,
        nlp: Briefer,
        *,
        limits: FetchLimits | None = None,
        config: PollConfig | None = None,
        clock: Clock = utc_now,
    ) -> None:
        self.db = db
        self.client = client
        self.nlp = nlp
        self.limits = limits
        self.config = config or PollConfig()
        self.clock = clock
        self._hosts: dict[str, asyncio.Semaphore] = {}
        self._overall = asyncio.Semaphore(self.config.concurrency)
        self._briefing = asyncio.Semaphore(self.config.brief_concurrency)
        self._pass_lock = asyncio.Lock()  # one pass at a time: a slow pass is never overlapped by the next

    def _host_slot(self, url: str) -> asyncio.Semaphore:
        host = _host(url)
        if host not in self._hosts:
            self._hosts[host] = asyncio.Semaphore(self.config.per_host)
        return self._hosts[host]

    async def poll_all(self) -> PollReport:
        """One pass over every followed feed that is due."""
        async with self._pass_lock:
            states = await self.db.feeds.polled_feeds()
            results = await asyncio.gather(*(self._poll_guarded(state) for state in states))
        report = PollReport(tuple(results))
        if results:
            log.info(
                "feeds polled: %d updated, %d unchanged, %d errors, %d waiting; %d new items, %d stored",
                report.count("updated"), report.count("not_modified"), report.count("error"),
                report.count("waiting"), report.new_items, report.stored,
            )  # fmt: skip
        return report

    async def _poll_guarded(self, state: FeedState) -> FeedResult:
        """`poll_feed`, but a failure anywhere in one feed (its items, storage) is that feed's error: it
        never fails the pass for the other feeds."""
        try:
            return await self.poll_feed(state)
        except Exception as error:
            log.exception("polling %s failed", state.url)
            message = describe_error(error)
            with contextlib.suppress(Exception):  # the error row is best effort: the pass goes on
                await self.db.feeds.record_error(state.id, checked_at=self.clock(), error=message)
            return FeedResult(state.id, state.url, "error", error=message)

    async def poll_feed(self, state: FeedState) -> FeedResult:
        retry_at = next_attempt(state, self.config)
        if retry_at is not None and self.clock() < retry_at:
            return FeedResult(state.id, state.url, "waiting", error=state.last_error)
        async with self._overall, self._host_slot(state.url):
            try:
                page = await fetch(
                    state.url,
                    limits=self.limits,
                    accept=FEED,
                    headers=conditional_headers(state),
                    client=self.client,
                )
                if page.status == 304:
                    await self.db.feeds.record_fetch(state.id, checked_at=self.clock(), not_modified=True)
                    return FeedResult(state.id, state.url, "not_modified")
                if page.content_type in ("text/html", "application/xhtml+xml"):
                    raise NotAFeed("The feed address now answers with a web page instead of a feed.")
                # feedparser is pure Python and takes tens of ms on a big feed: keep it off the event loop
                parsed = await asyncio.to_thread(read_feed, page)
            except Exception as error:  # every failure is kept for /feeds and backed off, never raised
                if not isinstance(error, (FetchError, NotAFeed)):
                    log.exception("polling %s failed", state.url)
                message = describe_error(error)
                await self.db.feeds.record_error(state.id, checked_at=self.clock(), error=message)
                return FeedResult(state.id, state.url, "error", error=message)
        first_poll = await FeedQueries(self.db).feed_item_count(state.id) == 0
        await self.db.feeds.record_fetch(
            state.id,
            checked_at=self.clock(),
            title=parsed.title,
            etag=page.etag,
            last_modified=page.last_modified,
        )
        return await self._take_items(state.id, state.url, parsed, first_poll=first_poll)

    async def take_resolved(self, chat_id: int, feed_id: int, resolved: ResolvedFeed) -> FeedResult:
        """Right after /subscribe: file the feed just fetched (no second request), and give the new
        subscriber the newest items even when other chats followed the feed before and saw them already."""
        first_poll = await FeedQueries(self.db).feed_item_count(feed_id) == 0
        await self.db.feeds.record_fetch(
            feed_id,
            checked_at=self.clock(),
            title=resolved.feed.title,
            etag=resolved.page.etag,
            last_modified=resolved.page.last_modified,
        )
        result = await self._take_items(feed_id, resolved.url, resolved.feed, first_poll=first_poll)
        if first_poll:
            return result
        mine = [s for s in await self.db.feeds.subscribers(feed_id) if s.chat_id == chat_id]
        newest = _newest(list(resolved.feed.entries), self.config.first_poll_briefs)
        outcomes = await asyncio.gather(*(self._deliver(entry, mine, self.clock()) for entry in newest))
        return FeedResult(
            feed_id,
            resolved.url,
            "updated",
            new_items=result.new_items,
            briefed=result.briefed + sum(1 for stored in outcomes if stored is not None),
            stored=result.stored + sum(stored or 0 for stored in outcomes),
        )

    async def _take_items(
        self, feed_id: int, url: str, parsed: ParsedFeed, *, first_poll: bool
    ) -> FeedResult:
        seen_at = self.clock()
        added = await self.db.feeds.add_items(
            feed_id, (e.as_new_item() for e in parsed.entries), seen_at=seen_at
        )
        added_keys = {(item.guid, item.link) for item in added}
        fresh = list({(e.guid, e.link): e for e in parsed.entries if (e.guid, e.link) in added_keys}.values())
        budget = self.config.first_poll_briefs if first_poll else self.config.max_briefs_per_feed
        fresh = _newest(fresh, budget)
        subscribers = await self.db.feeds.subscribers(feed_id)
        outcomes = await asyncio.gather(*(self._deliver(entry, subscribers, seen_at) for entry in fresh))
        return FeedResult(
            feed_id,
            url,
            "updated",
            new_items=len(added),
            briefed=sum(1 for stored in outcomes if stored is not None),
            stored=sum(stored or 0 for stored in outcomes),
        )

    async def _deliver(
        self, entry: FeedEntry, subscribers: Sequence[Subscription], seen_at: datetime
    ) -> int | None:
        """Brief one new item and store it for every chat that takes it; None if it could not be briefed."""
        chats = [s.chat_id for s in subscribers if entry_accepted(entry, s.include, s.exclude)]
        if not chats:
            return 0
        async with self._briefing:
            try:
                brief = await self.brief_entry(entry)
            except Exception:  # one odd item (page, charset, worker) never fails the feed or /subscribe
                log.exception("feed item %s not briefed", entry.link or entry.guid)
                brief = None
        if brief is None:
            return None
        stored = 0
        source = ArticleSource(kind="feed", received_at=seen_at, url=entry.link)
        for chat_id in chats:
            result = await self.db.articles.add(chat_id, source, brief)
            stored += 0 if result.is_repeat else 1
        return stored

    async def brief_entry(self, entry: FeedEntry) -> Brief | None:
        """The item's Brief: of the linked article when the item is a teaser (falling back to the teaser
        itself if the article cannot be read), else of the item's own text."""
        published = entry.published.isoformat() if entry.published else None
        if entry.is_teaser and entry.link:
            try:
                page = await fetch(entry.link, limits=self.limits, accept=PAGE, client=self.client)
                return await self.nlp.brief_page(page)
            except BriefError as error:
                log.info(
                    "article of feed item %s not briefed (%s); using the item's own text", entry.link, error
                )
        if not entry.text:
            return None
        try:
            return await self.nlp.brief_text(
                entry.text, title=entry.title, url=entry.link, published=published
            )
        except BriefError as error:
            log.info("feed item %s not briefed: %s", entry.link or entry.guid, error)
            return None


def _newest(entries: list[FeedEntry], limit: int) -> list[FeedEntry]:
    """At most `limit` entries, newest first by date (feed order for undated ones, which is newest first)."""
    if limit <= 0:
        return []
    dated = sorted(
        enumerate(entries),
        key=lambda pair: (
            pair[1].published is None,
            -(pair[1].published.timestamp() if pair[1].published else 0),
            pair[0],
        ),
    )
    return [entry for _, entry in dated[:limit]]
