"""Full-text search (SQLite FTS5, BM25) over every sentence of a chat's articles.

User text never reaches FTS5 as syntax: each whitespace-separated word becomes a quoted phrase, so
`"foo AND (`, `NEAR(`, `col:x` or `-x` are searched for as words, never parsed as operators.
"""

from __future__ import annotations

import re

from storage.articles import check_limit
from storage.chats import check_chat_id
from storage.db import Connections
from storage.records import SentenceHit

MAX_TERMS = 32
_WORD = re.compile(r"\w", re.UNICODE)


def fts_query(text: str, *, match_all: bool = False) -> str | None:
    """A safe FTS5 query for the words of `text` (None if it has none): any word, or all with match_all."""
    phrases: list[str] = []
    for chunk in text.split():
        if not _WORD.search(chunk):
            continue
        phrase = '"' + chunk.replace('"', '""') + '"'
        if phrase not in phrases:
            phrases.append(phrase)
        if len(phrases) == MAX_TERMS:
            break
    if not phrases:
        return None
    return (" AND " if match_all else " OR ").join(phrases)


class Search:
    def __init__(self, conns: Connections) -> None:
        self._conns = conns

    async def sentences(
        self, chat_id: int, query: str, *, limit: int = 10, match_all: bool = False
    ) -> list[SentenceHit]:
        """The chat's sentences best matching `query` (BM25, best first); words are stemmed, so
        "killed" finds "kill"."""
        check_chat_id(chat_id)
        check_limit(limit)
        match = fts_query(query, match_all=match_all)
        if match is None:
            return []
        async with self._conns.reading() as conn:
            rows = await conn.execute_fetchall(
                """
                SELECT s.article_id, s.position,
                       substr(a.text, s.char_start + 1, s.char_end - s.char_start) AS sentence_text,
                       bm25(sentences_fts) AS rank_value, a.title, a.url
                FROM sentences_fts
                JOIN sentences AS s ON s.id = sentences_fts.rowid
                JOIN articles AS a ON a.id = s.article_id AND a.chat_id = s.chat_id
                WHERE sentences_fts MATCH ? AND s.chat_id = ?
                ORDER BY rank_value, s.article_id DESC, s.position
                LIMIT ?
                """,
                (match, chat_id, limit),
            )
        return [
            SentenceHit(
                article_id=row["article_id"],
                sentence=row["position"],
                text=row["sentence_text"],
                score=-float(row["rank_value"]),
                article_title=row["title"],
                article_url=row["url"],
            )
            for row in rows
        ]
