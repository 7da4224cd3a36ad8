"""Feeds: fetch state per URL (global), subscriptions per chat, and the items seen in each feed.

A feed's fetch state and items are shared by every chat that follows it, so the poller fetches each URL
once. Whatever a chat reads goes through its own subscriptions: it never learns who else follows a feed.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable, Sequence
from datetime import datetime
from urllib.parse import urlsplit

from storage.articles import check_limit
from storage.chats import ChatDefaults, check_chat_id, ensure_chat_row
from storage.clock import maybe_from_db, to_db, utc_now
from storage.db import Connection, Connections
from storage.errors import SubscriptionLimitError
from storage.keys import fold, normalize_url
from storage.records import FeedItem, FeedState, NewFeedItem, Subscription

MAX_FEEDS_PER_CHAT = 20
MAX_FILTER_WORDS = 20
MAX_ERROR_TEXT = 500


def feed_url(url: str) -> str:
    """The key a feed is stored under; only http(s) URLs are feeds."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise ValueError(f"{url!r} is not an http(s) feed URL")
    return normalize_url(url)


def _words(words: Iterable[str]) -> tuple[str, ...]:
    cleaned: list[str] = []
    for word in words:
        word = word.strip()
        if word and word not in cleaned:
            cleaned.append(word)
    if len(cleaned) > MAX_FILTER_WORDS:
        raise ValueError(f"at most {MAX_FILTER_WORDS} filter words per subscription")
    return tuple(cleaned)


def _contains_word(text: str, word: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(fold(word))}(?!\w)", text) is not None


def filters_accept(text: str | None, include: Sequence[str], exclude: Sequence[str]) -> bool:
    """Whether an item titled `text` passes a subscription's filters (whole words, case-insensitive)."""
    folded = fold(text or "")
    if include and not any(_contains_word(folded, word) for word in include):
        return False
    return not any(_contains_word(folded, word) for word in exclude)


def _subscription(row: sqlite3.Row) -> Subscription:
    return Subscription(
        chat_id=row["chat_id"],
        feed_id=row["feed_id"],
        url=row["url"],
        title=row["title"],
        include=tuple(json.loads(row["include_words"])),
        exclude=tuple(json.loads(row["exclude_words"])),
        created_at=maybe_from_db(row["created_at"]),
    )


def _state(row: sqlite3.Row) -> FeedState:
    return FeedState(
        id=row["id"],
        url=row["url"],
        title=row["title"],
        etag=row["etag"],
        last_modified=row["last_modified"],
        last_checked=maybe_from_db(row["last_checked"]),
        error_count=row["error_count"],
        last_error=row["last_error"],
    )


def _item(row: sqlite3.Row) -> FeedItem:
    seen_at = maybe_from_db(row["seen_at"])
    assert seen_at is not None
    return FeedItem(
        id=row["id"],
        feed_id=row["feed_id"],
        guid=row["guid"],
        link=row["link"],
        title=row["title"],
        published=maybe_from_db(row["published"]),
        seen_at=seen_at,
    )


_SUBSCRIPTION_SELECT = """
    SELECT s.chat_id, s.feed_id, f.url, f.title, s.include_words, s.exclude_words, s.created_at
    FROM subscriptions AS s JOIN feeds AS f ON f.id = s.feed_id
"""


async def drop_orphan_feeds(conn: Connection) -> None:
    """Inside a write transaction: forget feeds nobody follows any more (their items go with them)."""
    await conn.execute("DELETE FROM feeds WHERE id NOT IN (SELECT feed_id FROM subscriptions)")


class Feeds:
    def __init__(self, conns: Connections, defaults: ChatDefaults) -> None:
        self._conns = conns
        self._defaults = defaults

    # --- what a chat does -------------------------------------------------------------------------------

    async def subscribe(
        self, chat_id: int, url: str, *, include: Iterable[str] = (), exclude: Iterable[str] = ()
    ) -> Subscription:
        """Follow a feed (or replace the filters of one already followed).

        Raises SubscriptionLimitError when the chat already follows MAX_FEEDS_PER_CHAT other feeds.
        """
        check_chat_id(chat_id)
        key = feed_url(url)
        include_words, exclude_words = _words(include), _words(exclude)
        now = to_db(utc_now())
        async with self._conns.writing() as conn:
            await ensure_chat_row(conn, chat_id, self._defaults, utc_now())
            await conn.execute(
                "INSERT INTO feeds (url, created_at) VALUES (?, ?) ON CONFLICT (url) DO NOTHING", (key, now)
            )
            row = await (await conn.execute("SELECT id FROM feeds WHERE url = ?", (key,))).fetchone()
            assert row is not None
            feed_id = int(row["id"])
            already = await (
                await conn.execute(
                    "SELECT 1 FROM subscriptions WHERE chat_id = ? AND feed_id = ?", (chat_id, feed_id)
                )
            ).fetchone()
            if already is None:
                count = await (
                    await conn.execute("SELECT count(*) FROM subscriptions WHERE chat_id = ?", (chat_id,))
                ).fetchone()
                if count is not None and int(count[0]) >= MAX_FEEDS_PER_CHAT:
                    raise SubscriptionLimitError(MAX_FEEDS_PER_CHAT)  # rolls back the new feed row too
            await conn.execute(
                "INSERT INTO subscriptions (chat_id, feed_id, include_words, exclude_words, created_at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (chat_id, feed_id) DO UPDATE SET"
                " include_words = excluded.include_words, exclude_words = excluded.exclude_words",
                (chat_id, feed_id, json.dumps(include_words), json.dumps(exclude_words), now),
            )
            row = await (
                await conn.execute(
                    _SUBSCRIPTION_SELECT + " WHERE s.chat_id = ? AND s.feed_id = ?", (chat_id, feed_id)
                )
            ).fetchone()
        assert row is not None
        return _subscription(row)

    async def unsubscribe(self, chat_id: int, url: str) -> bool:
        """Stop following a feed; False if the chat did not follow it."""
        check_chat_id(chat_id)
        key = feed_url(url)
        async with self._conns.writing() as conn:
            cursor = await conn.execute(
                "DELETE FROM subscriptions WHERE chat_id = ? AND feed_id = (SELECT id FROM feeds WHERE url = ?)",
                (chat_id, key),
            )
            removed = cursor.rowcount > 0
            if removed:
                await drop_orphan_feeds(conn)
        return removed

    async def subscriptions(self, chat_id: int) -> list[Subscription]:
        async with self._conns.reading() as conn:
            rows = await conn.execute_fetchall(
                _SUBSCRIPTION_SELECT + " WHERE s.chat_id = ? ORDER BY s.created_at, f.url",
                (check_chat_id(chat_id),),
            )
        return [_subscription(row) for row in rows]

    async def recent_items(self, chat_id: int, *, limit: int = 20) -> list[FeedItem]:
        """Newest items of the feeds the chat follows that pass its filters, newest first."""
        check_chat_id(chat_id)
        check_limit(limit)
        found: list[FeedItem] = []
        async with self._conns.reading() as conn:
            cursor = await conn.execute(
                "SELECT i.*, s.include_words, s.exclude_words FROM feed_items AS i"
                " JOIN subscriptions AS s ON s.feed_id = i.feed_id AND s.chat_id = ?"
                " ORDER BY i.seen_at DESC, i.id DESC",
                (chat_id,),
            )
            async for row in cursor:
                include, exclude = json.loads(row["include_words"]), json.loads(row["exclude_words"])
                if filters_accept(row["title"], include, exclude):
                    found.append(_item(row))
                    if len(found) == limit:
                        break
            await cursor.close()
        return found

    # --- what the poller does (global per feed URL) -----------------------------------------------------

    async def polled_feeds(self) -> list[FeedState]:
        """Every feed at least one chat follows, least recently checked first."""
        async with self._conns.reading() as conn:
            rows = await conn.execute_fetchall(
                "SELECT * FROM feeds WHERE id IN (SELECT feed_id FROM subscriptions)"
                " ORDER BY last_checked IS NOT NULL, last_checked, id"
            )
        return [_state(row) for row in rows]

    async def subscribers(self, feed_id: int) -> list[Subscription]:
        """Who gets a new item of this feed, each with the filters to apply."""
        async with self._conns.reading() as conn:
            rows = await conn.execute_fetchall(
                _SUBSCRIPTION_SELECT + " WHERE s.feed_id = ? ORDER BY s.chat_id", (feed_id,)
            )
        return [_subscription(row) for row in rows]

    async def record_fetch(
        self,
        feed_id: int,
        *,
        checked_at: datetime,
        title: str | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
        not_modified: bool = False,
    ) -> None:
        """A successful fetch: clears the error count. On 304 (`not_modified`) the validators are kept."""
        async with self._conns.writing() as conn:
            if not_modified:
                await conn.execute(
                    "UPDATE feeds SET last_checked = ?, error_count = 0, last_error = NULL WHERE id = ?",
                    (to_db(checked_at), feed_id),
                )
            else:
                await conn.execute(
                    "UPDATE feeds SET last_checked = ?, error_count = 0, last_error = NULL,"
                    " title = coalesce(?, title), etag = ?, last_modified = ? WHERE id = ?",
                    (to_db(checked_at), title, etag, last_modified, feed_id),
                )

    async def record_error(self, feed_id: int, *, checked_at: datetime, error: str) -> None:
        async with self._conns.writing() as conn:
            await conn.execute(
                "UPDATE feeds SET last_checked = ?, error_count = error_count + 1, last_error = ? WHERE id = ?",
                (to_db(checked_at), error[:MAX_ERROR_TEXT], feed_id),
            )

    async def add_items(
        self, feed_id: int, items: Iterable[NewFeedItem], *, seen_at: datetime | None = None
    ) -> list[FeedItem]:
        """Record a feed's items; returns only the new ones (an item with a known guid or link is skipped)."""
        seen = to_db(seen_at or utc_now())
        new: list[FeedItem] = []
        async with self._conns.writing() as conn:
            for item in items:
                if not item.guid and not item.link:
                    continue  # nothing to recognise it by next time
                cursor = await conn.execute(
                    "INSERT INTO feed_items (feed_id, guid, link, title, published, seen_at)"
                    " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING *",
                    (
                        feed_id,
                        item.guid or None,
                        item.link or None,
                        item.title,
                        to_db(item.published) if item.published else None,
                        seen,
                    ),
                )
                row = await cursor.fetchone()
                if row is not None:  # nothing comes back when a known guid or link made it a repeat
                    new.append(_item(row))
        return new
