"""Chat-scoped look-ups for /ask: BM25 sentence candidates with their article's source, the figures and
quotes inside given sentences, and quotes by a speaker key. Every query filters on `chat_id` and
optionally one article, so an answer can never reach another chat's history.

Kept apart from storage/search.py and storage/facts.py (which it does not change): /ask needs the
source of each hit (channel of a forwarded post, dates) and an article scope those queries lack.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from storage.articles import check_limit
from storage.chats import check_chat_id
from storage.clock import from_db
from storage.database import Database
from storage.facts import figure_from_row, statement_from_row
from storage.keys import fold
from storage.search import fts_query, match_sql
from summarize.model import Figure, Statement

_ARTICLE = (
    "a.id AS a_id, a.title AS a_title, a.url AS a_url, a.forward_title AS a_channel,"
    " a.forward_username AS a_username, a.received_at AS a_received, a.published_at AS a_published"
)
_MAX_KEYS = 400  # sentences per facts query (SQLite's default limit is 32766 bound variables)


@dataclass(frozen=True)
class ArticleRef:
    """Where a hit comes from: enough to cite it."""

    article_id: int
    title: str | None
    url: str | None
    channel: str | None  # title (or @username) of the channel a forwarded post came from
    received_at: datetime
    published: str | None


@dataclass(frozen=True)
class SentenceMatch:
    article: ArticleRef
    sentence: int
    text: str
    bm25: float  # SQLite's bm25() negated (PostgreSQL: ts_rank): higher is better


@dataclass(frozen=True)
class QuoteMatch:
    article: ArticleRef
    statement: Statement
    sentence_text: str


def _key_batches(keys: Sequence[tuple[int, int]]) -> Iterator[tuple[str, list[int]]]:
    """(VALUES rows, their parameters) for `keys` in batches of `_MAX_KEYS`: the bound-variable limit."""
    for start in range(0, len(keys), _MAX_KEYS):
        chunk = keys[start : start + _MAX_KEYS]
        yield (
            ", ".join("(CAST(? AS INTEGER), CAST(? AS INTEGER))" for _ in chunk),
            [item for key in chunk for item in key],
        )


def join_keeping_order(db: Database) -> str:
    """The join that keeps its left table the outer loop, e.g. from a VALUES list of wanted keys into a
    table's (article_id, ...) index. SQLite: CROSS JOIN fixes that order. Without statistics (a new
    database: `PRAGMA optimize` first runs at close) its planner swaps it, past about a hundred keys, for a
    scan of all the chat's articles: measured 22 ms instead of 0.8 ms per call at 10,000 articles.
    PostgreSQL's planner needs no hint (and its CROSS JOIN takes no ON)."""
    return "JOIN" if db.dialect == "postgresql" else "CROSS JOIN"


def _article(row: sqlite3.Row) -> ArticleRef:
    channel = row["a_channel"] or (f"@{row['a_username']}" if row["a_username"] else None)
    return ArticleRef(
        article_id=row["a_id"],
        title=row["a_title"],
        url=row["a_url"],
        channel=channel,
        received_at=from_db(row["a_received"]),
        published=row["a_published"],
    )


def _scope(chat_id: int, article_id: int | None, alias: str) -> tuple[str, list[Any]]:
    where = f"{alias}.chat_id = ?"
    params: list[Any] = [check_chat_id(chat_id)]
    if article_id is not None:
        where += f" AND {alias}.article_id = ?"
        params.append(article_id)
    return where, params


_OVERSAMPLE = 8  # the global BM25 top (limit x this) is usually enough to fill a chat's `limit`
# bm25() sorted by SQLite, not FTS5's `ORDER BY rank`: the same values (rank is bm25 by default), but FTS5's
# sorted-rank plan costs about 1.5 x as much per matching row (measured: 58 vs 38 ms for 40,000 matches).
_BM25 = "bm25(sentences_fts)"


async def sentence_matches(
    db: Database, chat_id: int, words: Sequence[str], *, article_id: int | None = None, limit: int = 40
) -> list[SentenceMatch]:
    """The chat's sentences holding any of `words`, best BM25 first (words are stemmed by the index).

    SQLite: the FTS5 index is shared by all chats. First only the index's own best (limit x 8) hits are joined
    to their sentences and articles (FTS5 ranks inside its table, cheaply); when those hold fewer than
    `limit` of this chat's sentences, the whole match set is filtered instead, so nothing is missed.
    PostgreSQL: one ranked query over the chat's sentences (ts_rank), the planner doing the narrowing."""
    check_limit(limit)
    if db.dialect == "postgresql":
        return await _ranked_matches(db, chat_id, words, article_id=article_id, limit=limit)
    match = fts_query(" ".join(words))
    if match is None:
        return []
    where, params = _scope(chat_id, article_id, "s")
    select = f"""
        SELECT s.position, substr(a.text, s.char_start + 1, s.char_end - s.char_start) AS sentence_text,
               hits.rank_value, {_ARTICLE}
        FROM hits
        JOIN sentences AS s ON s.id = hits.sid
        JOIN articles AS a ON a.id = s.article_id AND a.chat_id = s.chat_id
        WHERE {where}
        ORDER BY hits.rank_value, a.received_at DESC, s.article_id DESC, s.position
        LIMIT ?
    """
    top = limit * _OVERSAMPLE
    async with db.connections.reading() as conn:
        rows: list[Any] = []
        if article_id is None:
            rows = list(
                await conn.execute_fetchall(
                    f"WITH hits AS (SELECT rowid AS sid, {_BM25} AS rank_value FROM sentences_fts"
                    f" WHERE sentences_fts MATCH ? ORDER BY rank_value LIMIT ?) {select}",
                    (match, top, *params, limit),
                )
            )
            if len(rows) < limit:
                (total,) = (
                    await conn.execute_fetchall(
                        "SELECT count(*) FROM (SELECT 1 FROM sentences_fts WHERE sentences_fts MATCH ? LIMIT ?)",
                        (match, top + 1),
                    )
                )[0]
                if total <= top:
                    return [_match(row) for row in rows]  # the top held every match there is
                rows = []
        if not rows:
            rows = list(
                await conn.execute_fetchall(
                    f"WITH hits AS (SELECT rowid AS sid, {_BM25} AS rank_value FROM sentences_fts"
                    f" WHERE sentences_fts MATCH ?) {select}",
                    (match, *params, limit),
                )
            )
    return [_match(row) for row in rows]


def _match(row: sqlite3.Row) -> SentenceMatch:
    return SentenceMatch(_article(row), row["position"], row["sentence_text"], -float(row["rank_value"]))


async def _ranked_matches(
    db: Database, chat_id: int, words: Sequence[str], *, article_id: int | None, limit: int
) -> list[SentenceMatch]:
    pieces = match_sql(db.dialect, " ".join(words))
    if pieces is None:
        return []
    head, condition, rank, match_params = pieces
    where, params = _scope(chat_id, article_id, "s")
    async with db.connections.reading() as conn:
        rows = await conn.execute_fetchall(
            f"""
            SELECT s.position, substr(a.text, s.char_start + 1, s.char_end - s.char_start) AS sentence_text,
                   {rank} AS rank_value, {_ARTICLE}
            FROM {head}
            JOIN articles AS a ON a.id = s.article_id AND a.chat_id = s.chat_id
            WHERE {condition} AND {where}
            ORDER BY rank_value DESC, a.received_at DESC, s.article_id DESC, s.position
            LIMIT ?
            """,
            (*match_params, *params, check_limit(limit)),
        )
    return [
        SentenceMatch(_article(row), row["position"], row["sentence_text"], float(row["rank_value"]))
        for row in rows
    ]


async def facts_in_sentences(
    db: Database, chat_id: int, keys: Sequence[tuple[int, int]]
) -> tuple[dict[tuple[int, int], list[Figure]], dict[tuple[int, int], list[Statement]]]:
    """The figures and the quotes of the chat's sentences `keys` ((article_id, sentence) pairs)."""
    check_chat_id(chat_id)
    figures: dict[tuple[int, int], list[Figure]] = {}
    quotes: dict[tuple[int, int], list[Statement]] = {}
    unique = list(dict.fromkeys(keys))
    join = join_keeping_order(db)
    async with db.connections.reading() as conn:
        for values, flat in _key_batches(unique):
            for table, target, build in (
                ("figures", figures, figure_from_row),
                ("quotes", quotes, statement_from_row),
            ):
                # From the wanted keys into the (article_id, sentence) index: CROSS JOIN fixes that order, which
                # the planner would otherwise swap for a scan of all the chat's rows (chat_id's index).
                rows = await conn.execute_fetchall(
                    f"WITH wanted (article_id, sentence) AS (VALUES {values})"
                    f" SELECT x.* FROM wanted AS w {join} {table} AS x"
                    " ON x.article_id = w.article_id AND x.sentence = w.sentence"
                    " WHERE x.chat_id = ? ORDER BY x.article_id, x.position",
                    (*flat, chat_id),
                )
                for row in rows:
                    target.setdefault((row["article_id"], row["sentence"]), []).append(build(row))  # type: ignore[operator]
    return figures, quotes


# The chat's quotes whose speaker key holds a substring (parameters: chat, chat, chat, key, limit). The test
# runs on the chat's distinct speaker keys, read by a loose scan of the (chat_id, speaker_key) index (one
# seek per distinct key: a chat's speakers repeat from article to article), not on every quote; then only
# the matching keys' quotes are read, sorted and cut to `limit` before any sentence text is read. `{join}`
# keeps quotes the outer loop: with statistics SQLite's planner would rather walk all the chat's articles
# newest first and test each one's quotes, which stops early only when many quotes match (measured at 10,000
# articles: 18 ms for a name no quote has, 0.7 ms driven from the speaker index).
BY_SPEAKER = """
WITH RECURSIVE speakers (speaker_key) AS (
    SELECT min(speaker_key) FROM quotes WHERE chat_id = ?
    UNION ALL
    SELECT (SELECT min(x.speaker_key) FROM quotes AS x
            WHERE x.chat_id = ? AND x.speaker_key > speakers.speaker_key)
    FROM speakers WHERE speakers.speaker_key IS NOT NULL
),
hits AS (
    SELECT q.id AS qid, a.received_at AS received
    FROM quotes AS q
    {join} articles AS a ON a.id = q.article_id AND a.chat_id = q.chat_id
    WHERE q.chat_id = ? AND q.speaker_key IN (
        SELECT speaker_key FROM speakers WHERE instr(speaker_key, ?) > 0
    )
    ORDER BY a.received_at DESC, q.article_id DESC, q.position
    LIMIT ?
)
SELECT q.speaker, q.kind, q.quote, q.sentence,
       substr(a.text, s.char_start + 1, s.char_end - s.char_start) AS sentence_text, {article}
FROM hits
JOIN quotes AS q ON q.id = hits.qid
JOIN articles AS a ON a.id = q.article_id AND a.chat_id = q.chat_id
JOIN sentences AS s ON s.article_id = q.article_id AND s.position = q.sentence
ORDER BY hits.received DESC, q.article_id DESC, q.position
"""


async def quotes_by_speaker(
    db: Database, chat_id: int, key: str, *, article_id: int | None = None, limit: int = 200
) -> list[QuoteMatch]:
    """Quotes whose speaker holds `key` (case-insensitive substring), newest article first."""
    check_limit(limit)
    if article_id is not None:
        return await _article_quotes_by_speaker(db, chat_id, key, article_id, limit)
    check_chat_id(chat_id)
    async with db.connections.reading() as conn:
        rows = await conn.execute_fetchall(
            BY_SPEAKER.format(join=join_keeping_order(db), article=_ARTICLE),
            (chat_id, chat_id, chat_id, fold(key), limit),
        )
    return [QuoteMatch(_article(row), statement_from_row(row), row["sentence_text"]) for row in rows]


async def _article_quotes_by_speaker(
    db: Database, chat_id: int, key: str, article_id: int, limit: int
) -> list[QuoteMatch]:
    """One article's quotes by `key`: its few quotes are read through the (article_id, sentence) index."""
    where, params = _scope(chat_id, article_id, "q")
    async with db.connections.reading() as conn:
        rows = await conn.execute_fetchall(
            f"""
            SELECT q.speaker, q.kind, q.quote, q.sentence,
                   substr(a.text, s.char_start + 1, s.char_end - s.char_start) AS sentence_text, {_ARTICLE}
            FROM quotes AS q
            JOIN articles AS a ON a.id = q.article_id AND a.chat_id = q.chat_id
            JOIN sentences AS s ON s.article_id = q.article_id AND s.position = q.sentence
            WHERE {where} AND instr(q.speaker_key, ?) > 0
            ORDER BY a.received_at DESC, q.article_id DESC, q.position
            LIMIT ?
            """,
            (*params, fold(key), limit),
        )
    return [QuoteMatch(_article(row), statement_from_row(row), row["sentence_text"]) for row in rows]


# Sentence texts by (article_id, position) keys given as VALUES rows, `{join}` from `join_keeping_order`.
SENTENCES_BEFORE = """
WITH wanted (article_id, position) AS (VALUES {values})
SELECT w.article_id, w.position AS target,
       substr(a.text, s.char_start + 1, s.char_end - s.char_start) AS sentence_text
FROM wanted AS w
{join} sentences AS s ON s.article_id = w.article_id
     AND s.position BETWEEN w.position - CAST(? AS INTEGER) AND w.position - 1
JOIN articles AS a ON a.id = s.article_id AND a.chat_id = s.chat_id
WHERE s.chat_id = ?
ORDER BY w.article_id, w.position, s.position
"""
SENTENCES_AT = """
WITH wanted (article_id, position) AS (VALUES {values})
SELECT w.article_id, w.position,
       substr(a.text, s.char_start + 1, s.char_end - s.char_start) AS sentence_text
FROM wanted AS w
{join} sentences AS s ON s.article_id = w.article_id AND s.position = w.position
JOIN articles AS a ON a.id = s.article_id AND a.chat_id = s.chat_id
WHERE s.chat_id = ?
"""


async def sentences_before(
    db: Database, chat_id: int, keys: Sequence[tuple[int, int]], *, count: int = 2
) -> dict[tuple[int, int], str]:
    """For each (article_id, sentence) of the chat, the text of the `count` sentences just before it."""
    check_chat_id(chat_id)
    found: dict[tuple[int, int], list[str]] = {}
    unique = list(dict.fromkeys(keys))
    join = join_keeping_order(db)
    async with db.connections.reading() as conn:
        for values, flat in _key_batches(unique):
            rows = await conn.execute_fetchall(
                SENTENCES_BEFORE.format(values=values, join=join),
                (*flat, count, chat_id),
            )
            for row in rows:
                found.setdefault((row["article_id"], row["target"]), []).append(row["sentence_text"])
    return {key: " ".join(texts) for key, texts in found.items()}


async def sentences_at(
    db: Database, chat_id: int, keys: Sequence[tuple[int, int]]
) -> dict[tuple[int, int], str]:
    """The text of each of the chat's sentences `keys` ((article_id, position) pairs) that exists."""
    check_chat_id(chat_id)
    found: dict[tuple[int, int], str] = {}
    unique = list(dict.fromkeys(keys))
    join = join_keeping_order(db)
    async with db.connections.reading() as conn:
        for values, flat in _key_batches(unique):
            rows = await conn.execute_fetchall(
                SENTENCES_AT.format(values=values, join=join),
                (*flat, chat_id),
            )
            for row in rows:
                found[(row["article_id"], row["position"])] = row["sentence_text"]
    return found
