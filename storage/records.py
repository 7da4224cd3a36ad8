"""The typed rows storage takes and returns (frozen dataclasses; times are aware UTC datetimes)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

from summarize.model import Brief, Figure, Statement

SourceKind = Literal["url", "text", "forward", "feed"]


@dataclass(frozen=True)
class ChatSettings:
    chat_id: int
    timezone: str  # IANA name, e.g. "Europe/Kyiv"
    digest_time: str  # "HH:MM" in the chat's timezone
    digest_enabled: bool
    created_at: datetime


@dataclass(frozen=True)
class ArticleSource:
    """Where an article came from; title, dateline, published date and text come from its Brief."""

    kind: SourceKind
    received_at: datetime
    url: str | None = None  # defaults to brief.url
    forward_title: str | None = None  # channel title of a forwarded post
    forward_username: str | None = None
    forward_message_id: int | None = None


@dataclass(frozen=True)
class AddResult:
    article_id: int
    is_repeat: bool  # True: the chat already had this URL or this text; nothing was written


@dataclass(frozen=True)
class StoredArticle:
    id: int
    chat_id: int
    kind: SourceKind
    url: str | None
    forward_title: str | None
    forward_username: str | None
    forward_message_id: int | None
    title: str | None
    dateline: str | None
    received_at: datetime
    published_at: str | None  # as the Brief gave it (ISO date or datetime)
    content_hash: str
    schema_id: str
    brief: Brief  # with .text and .sentence_spans filled in


@dataclass(frozen=True)
class HistoryEntry:
    id: int
    title: str | None
    kind: SourceKind
    url: str | None
    forward_title: str | None
    received_at: datetime
    published: str | None = None  # the date the source gives (ISO), when it gives one
    lead: str | None = None  # the first sentence, given for an untitled article (it names it)


@dataclass(frozen=True)
class FigureRow:
    article_id: int
    article_title: str | None
    article_url: str | None
    received_at: datetime
    figure: Figure


@dataclass(frozen=True)
class QuoteRow:
    article_id: int
    article_title: str | None
    article_url: str | None
    received_at: datetime
    statement: Statement


@dataclass(frozen=True)
class SentenceHit:
    article_id: int
    sentence: int  # index into the article's sentences (Brief.sentence_spans)
    text: str  # the sentence, verbatim from the stored text
    score: float  # BM25 relevance, higher is better (SQLite's bm25() negated)
    article_title: str | None
    article_url: str | None


@dataclass(frozen=True)
class FeedState:
    """Fetch state of one feed URL; global, shared by every chat that follows it."""

    id: int
    url: str
    title: str | None
    etag: str | None
    last_modified: str | None
    last_checked: datetime | None
    error_count: int
    last_error: str | None


@dataclass(frozen=True)
class Subscription:
    chat_id: int
    feed_id: int
    url: str
    title: str | None
    include: tuple[str, ...] = ()  # keep an item only if one of these words is in its title
    exclude: tuple[str, ...] = ()  # drop an item if one of these words is in its title
    created_at: datetime | None = None


@dataclass(frozen=True)
class NewFeedItem:
    """An entry the poller read from a feed; at least one of guid and link is needed."""

    guid: str | None
    link: str | None
    title: str | None = None
    published: datetime | None = None


@dataclass(frozen=True)
class FeedItem:
    id: int
    feed_id: int
    guid: str | None
    link: str | None
    title: str | None
    published: datetime | None
    seen_at: datetime


@dataclass(frozen=True)
class DigestRecord:
    chat_id: int
    local_date: date
    sent_at: datetime
    message_ids: tuple[int, ...]


@dataclass(frozen=True)
class DeletedChat:
    chat_id: int
    existed: bool
    articles: int
    subscriptions: int
    digests: int


@dataclass(frozen=True)
class IntegrityReport:
    ok: bool
    problems: tuple[str, ...] = field(default=())
