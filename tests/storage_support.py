"""Helpers for the storage tests: Briefs built without NLP, and direct looks into the SQLite file."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from storage import ArticleSource
from summarize.model import Brief, Figure, Statement, SummarySentence

T0 = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def make_brief(
    sentences: Sequence[str],
    *,
    title: str | None = None,
    url: str | None = None,
    figures: Sequence[tuple[int, str, str, str | None]] = (),  # (sentence, value, category, claimed_by)
    quotes: Sequence[tuple[int, str, str]] = (),  # (sentence, speaker, quote)
    published: str | None = None,
) -> Brief:
    """A Brief over `sentences` joined by spaces; figure values and quotes must occur in their sentence."""
    text = " ".join(sentences)
    spans, offset = [], 0
    for sentence in sentences:
        spans.append((offset, offset + len(sentence)))
        offset += len(sentence) + 1
    for index, value, _, _ in figures:
        assert value in sentences[index], (value, sentences[index])
    for index, _, quote in quotes:
        assert quote in sentences[index], (quote, sentences[index])
    return Brief(
        title=title,
        dateline=None,
        url=url,
        language="en",
        sentences=len(sentences),
        summary=tuple(SummarySentence(text=s, sentence=i) for i, s in enumerate(sentences[:2])),
        figures=tuple(
            Figure(
                value=value,
                number=float(re.sub(r"\D", "", value)) if re.search(r"\d", value) else None,
                low=None,
                high=None,
                qualifier=None,
                unit=None,
                category=category,  # type: ignore[arg-type]
                counts=None,
                claimed_by=claimed_by,
                where=None,
                when=None,
                sentence=index,
            )
            for index, value, category, claimed_by in figures
        ),
        speakers=tuple(Statement(speaker=s, kind="direct", quote=q, sentence=i) for i, s, q in quotes),
        published=published,
        text=text,
        sentence_spans=tuple(spans),
    )


def source(kind: str = "text", minutes: int = 0, url: str | None = None, **extra: object) -> ArticleSource:
    return ArticleSource(kind=kind, received_at=at(minutes), url=url, **extra)  # type: ignore[arg-type]


def index_terms(path: Path) -> set[str]:
    """Every term the live full-text index still holds (read straight from the file)."""
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, sentences_fts, 'row')")
        return {row[0] for row in conn.execute("SELECT term FROM temp.vocab")}


def index_matches_content(path: Path) -> bool:
    """The live index holds exactly the (term, sentence) pairs a fresh index of the stored text would."""
    with sqlite3.connect(path) as conn:
        conn.executescript(
            """
            CREATE VIRTUAL TABLE temp.fresh USING fts5(text, tokenize = 'porter unicode61 remove_diacritics 2');
            INSERT INTO temp.fresh (rowid, text) SELECT id, text FROM main.sentence_text;
            CREATE VIRTUAL TABLE temp.live_v USING fts5vocab(main, sentences_fts, 'instance');
            CREATE VIRTUAL TABLE temp.fresh_v USING fts5vocab(temp, fresh, 'instance');
            """
        )
        live = set(conn.execute("SELECT term, doc, offset FROM temp.live_v"))
        fresh = set(conn.execute("SELECT term, doc, offset FROM temp.fresh_v"))
    return live == fresh
