"""Full-text search over every sentence of a chat's articles: SQLite FTS5 (BM25), or on PostgreSQL a
`tsvector` per sentence ranked with `ts_rank`.

User text never reaches either engine as syntax: for FTS5 each whitespace-separated word becomes a quoted
phrase, so `"foo AND (`, `NEAR(`, `col:x` or `-x` are searched for as words, never parsed as operators;
for PostgreSQL each word is a bound parameter of `plainto_tsquery`, which reads no operators at all.
"""

from __future__ import annotations

import re

from storage.articles import check_limit
from storage.chats import check_chat_id
from storage.db import Connections
from storage.migrations_pg import TS_CONFIG
from storage.records import SentenceHit

MAX_TERMS = 32
_WORD = re.compile(r"\w", re.UNICODE)


def query_words(text: str) -> list[str]:
    """The distinct whitespace-separated words of `text` that hold a letter or digit (at most MAX_TERMS)."""
    words: list[str] = []
    for chunk in text.split():
        if _WORD.search(chunk) and chunk not in words:
            words.append(chunk)
            if len(words) == MAX_TERMS:
                break
    return words


def fts_query(text: str, *, match_all: bool = False) -> str | None:
    """A safe FTS5 query for the words of `text` (None if it has none): any word, or all with match_all."""
    phrases = ['"' + word.replace('"', '""') + '"' for word in query_words(text)]
    if not phrases:
        return None
    return (" AND " if match_all else " OR ").join(phrases)


def tsquery_sql(text: str, *, match_all: bool = False) -> tuple[str, list[str]] | None:
    """PostgreSQL: a tsquery expression over `?` parameters (one per word) and those parameters."""
    words = query_words(text)
    if not words:
        return None
    term = f"plainto_tsquery('{TS_CONFIG}', ?)"
    return "(" + (" && " if match_all else " || ").join([term] * len(words)) + ")", words


def match_sql(dialect: str, text: str, *, match_all: bool = False) -> tuple[str, str, str, list[str]] | None:
    """The pieces of a ranked sentence search for `dialect`: (FROM-clause head joined to `sentences AS s`,
    WHERE condition, rank expression with higher = better, parameters of the head and condition)."""
    if dialect == "postgresql":
        built = tsquery_sql(text, match_all=match_all)
        if built is None:
            return None
        expression, words = built
        head = f"(SELECT {expression} AS query) AS q CROSS JOIN sentences AS s"
        return head, "s.tsv @@ q.query", "ts_rank(s.tsv, q.query)", words
    match = fts_query(text, match_all=match_all)
    if match is None:
        return None
    head = "sentences_fts JOIN sentences AS s ON s.id = sentences_fts.rowid"
    return head, "sentences_fts MATCH ?", "-bm25(sentences_fts)", [match]


class Search:
    def __init__(self, conns: Connections) -> None:
        self._conns = conns

    async def sentences(
        self, chat_id: int, query: str, *, limit: int = 10, match_all: bool = False
    ) -> list[SentenceHit]:
        """The chat's sentences best matching `query` (BM25 or ts_rank, best first); words are stemmed, so
        "killed" finds "kill"."""
        check_chat_id(chat_id)
        check_limit(limit)
        pieces = match_sql(self._conns.dialect, query, match_all=match_all)
        if pieces is None:
            return []
        head, condition, rank, params = pieces
        async with self._conns.reading() as conn:
            rows = await conn.execute_fetchall(
                f"""
                SELECT s.article_id, s.position,
                       substr(a.text, s.char_start + 1, s.char_end - s.char_start) AS sentence_text,
                       {rank} AS rank_value, a.title, a.url
                FROM {head}
                JOIN articles AS a ON a.id = s.article_id AND a.chat_id = s.chat_id
                WHERE {condition} AND s.chat_id = ?
                ORDER BY rank_value DESC, s.article_id DESC, s.position
                LIMIT ?
                """,
                (*params, chat_id, limit),
            )
        return [
            SentenceHit(
                article_id=row["article_id"],
                sentence=row["position"],
                text=row["sentence_text"],
                score=float(row["rank_value"]),
                article_title=row["title"],
                article_url=row["url"],
            )
            for row in rows
        ]
