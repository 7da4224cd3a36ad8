"""Shared set-up of the /ask rule tests: one invented article stored in chat 1 of a real SQLite file, and
the answer's text (None when /ask declines)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path

from bot.ask import answer_question
from storage import ArticleSource, open_database
from storage.database import Database
from summarize.pipeline import brief_from_text


@asynccontextmanager
async def chat_with_article(
    path: Path, nlp, text: str, url: str, received: datetime
) -> AsyncIterator[Database]:
    """A database at `path` whose chat 1 holds the brief of `text`, fetched from `url` at `received`."""
    brief = brief_from_text(text, url=url, nlp=nlp)
    async with open_database(path) as database:
        await database.articles.add(1, ArticleSource("url", received), brief)
        yield database


async def answer_text(db: Database, question: str) -> str | None:
    """The plain text of chat 1's answer to `question`, or None when it declines."""
    answer = await answer_question(db, 1, question)
    return answer.to_text() if answer.found else None
