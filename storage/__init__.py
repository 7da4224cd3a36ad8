"""conflictbrief storage: each chat's history in one SQLite file (aiosqlite), every query chat-scoped.

    async with open_database("data/conflictbrief.db") as db:
        result = await db.articles.add(chat_id, ArticleSource(kind="url", received_at=now), brief)
        hits = await db.search.sentences(chat_id, "shelling Kharkiv")

Times are aware datetimes in the API and UTC ISO-8601 text (`...Z`) in the file.
"""

from storage.database import Database, DatabaseOpener, open_database
from storage.errors import SchemaTooNew, StorageError, SubscriptionLimitError
from storage.feeds import MAX_FEEDS_PER_CHAT, filters_accept
from storage.keys import content_hash, normalize_url
from storage.migrations import LATEST as SCHEMA_VERSION
from storage.privacy import EXPORT_FORMAT
from storage.records import (
    AddResult,
    ArticleSource,
    ChatSettings,
    DeletedChat,
    DigestRecord,
    FeedItem,
    FeedState,
    FigureRow,
    HistoryEntry,
    IntegrityReport,
    NewFeedItem,
    QuoteRow,
    SentenceHit,
    SourceKind,
    StoredArticle,
    Subscription,
)
from storage.search import fts_query

__all__ = [
    "EXPORT_FORMAT",
    "MAX_FEEDS_PER_CHAT",
    "SCHEMA_VERSION",
    "AddResult",
    "ArticleSource",
    "ChatSettings",
    "Database",
    "DatabaseOpener",
    "DeletedChat",
    "DigestRecord",
    "FeedItem",
    "FeedState",
    "FigureRow",
    "HistoryEntry",
    "IntegrityReport",
    "NewFeedItem",
    "QuoteRow",
    "SchemaTooNew",
    "SentenceHit",
    "SourceKind",
    "StorageError",
    "StoredArticle",
    "Subscription",
    "SubscriptionLimitError",
    "content_hash",
    "filters_accept",
    "fts_query",
    "normalize_url",
    "open_database",
]
