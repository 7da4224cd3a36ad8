"""Figures and quotes of a chat's articles, queried across the whole history."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from storage.articles import check_limit
from storage.chats import check_chat_id
from storage.clock import from_db, to_db
from storage.db import Connections
from storage.keys import fold
from storage.records import FigureRow, QuoteRow
from summarize.model import Category, Figure, SpeechKind, Statement


def figure_from_row(row: Any) -> Figure:
    """A `figures` table row as the model's Figure (columns `place` and `time_text` hold where and when)."""
    return Figure(
        value=row["value"],
        number=row["number"],
        low=row["low"],
        high=row["high"],
        qualifier=row["qualifier"],
        unit=row["unit"],
        category=cast(Category, row["category"]),
        counts=row["counts"],
        claimed_by=row["claimed_by"],
        where=row["place"],
        when=row["time_text"],
        sentence=row["sentence"],
    )


def statement_from_row(row: Any) -> Statement:
    """A `quotes` table row as the model's Statement."""
    return Statement(
        speaker=row["speaker"],
        kind=cast(SpeechKind, row["kind"]),
        quote=row["quote"],
        sentence=row["sentence"],
    )


def _filters(chat_id: int, since: datetime | None) -> tuple[list[str], list[Any]]:
    where = ["x.chat_id = ?"]
    params: list[Any] = [check_chat_id(chat_id)]
    if since is not None:
        where.append("a.received_at >= ?")
        params.append(to_db(since))
    return where, params


class Facts:
    def __init__(self, conns: Connections) -> None:
        self._conns = conns

    async def figures(
        self,
        chat_id: int,
        *,
        category: str | None = None,
        claimant: str | None = None,
        since: datetime | None = None,
        limit: int = 50,
    ) -> list[FigureRow]:
        """The chat's figures, newest article first; `claimant` is a case-insensitive substring of
        `claimed_by`, `since` filters on when the article was received."""
        where, params = _filters(chat_id, since)
        if category is not None:
            where.append("x.category = ?")
            params.append(category)
        if claimant is not None:
            where.append("instr(x.claimed_by_key, ?) > 0")
            params.append(fold(claimant))
        rows = await self._with_article("figures", where, params, limit)
        return [
            FigureRow(
                article_id=row["article_id"],
                article_title=row["a_title"],
                article_url=row["a_url"],
                received_at=from_db(row["a_received"]),
                figure=figure_from_row(row),
            )
            for row in rows
        ]

    async def quotes(
        self, chat_id: int, *, speaker: str | None = None, since: datetime | None = None, limit: int = 50
    ) -> list[QuoteRow]:
        """What was said in the chat's articles, newest first; `speaker` is a case-insensitive substring,
        so "zelensky" finds "President Volodymyr Zelensky"."""
        where, params = _filters(chat_id, since)
        if speaker is not None:
            where.append("instr(x.speaker_key, ?) > 0")
            params.append(fold(speaker))
        rows = await self._with_article("quotes", where, params, limit)
        return [
            QuoteRow(
                article_id=row["article_id"],
                article_title=row["a_title"],
                article_url=row["a_url"],
                received_at=from_db(row["a_received"]),
                statement=statement_from_row(row),
            )
            for row in rows
        ]

    async def _with_article(self, table: str, where: list[str], params: list[Any], limit: int) -> list[Any]:
        """Rows of `figures` or `quotes` matching `where` (which holds the chat filter), each with its
        article's title, URL and received time, newest article first."""
        if table not in ("figures", "quotes"):
            raise ValueError(f"not a fact table: {table}")
        async with self._conns.reading() as conn:
            return list(
                await conn.execute_fetchall(
                    "SELECT x.*, a.title AS a_title, a.url AS a_url, a.received_at AS a_received"
                    f" FROM {table} AS x JOIN articles AS a ON a.id = x.article_id AND a.chat_id = x.chat_id"
                    f" WHERE {' AND '.join(where)} ORDER BY a.received_at DESC, x.article_id DESC, x.position"
                    " LIMIT ?",
                    (*params, check_limit(limit)),
                )
            )
