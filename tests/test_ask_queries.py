"""/ask's chat-scoped look-ups (storage/ask_queries.py) on a real SQLite file and a real PostgreSQL database:
quotes by a speaker key are the chat's newest quotes whose speaker holds the key, read through the
(chat_id, speaker_key) index rather than by testing every quote of the chat."""

from __future__ import annotations

import sqlite3

import pytest

from storage import open_database
from storage.ask_queries import _BY_SPEAKER, quotes_by_speaker, sentences_at
from storage.keys import fold
from tests.storage_support import make_brief, source

SPEAKERS = (
    "President Volodymyr Zelensky",
    "Khalil Ahmad",
    "Ali Hassan",
    "the army",
    "Governor Oleh Synehubov",
)


def _brief(n: int, speakers: tuple[str, ...]):
    sentences = [f"Report {n} opens here."]
    quotes = []
    for speaker in speakers:
        quote = f"Words {n} of {speaker}"
        sentences.append(f'"{quote}," said {speaker}.')
        quotes.append((len(sentences) - 1, speaker, quote))
    return make_brief(sentences, title=f"Report {n}", quotes=quotes)


@pytest.fixture
async def db(backend):
    async with open_database(backend.target()) as database:
        yield database


async def test_quotes_by_speaker_are_the_chats_newest_whose_speaker_holds_the_key_through_the_index(
    db, backend
):
    stored: list[tuple[int, int, str, str]] = []  # (minutes, article id, speaker, quote) of chat 1
    for n in range(24):
        # Two articles share a received time, so the tie falls to the article id, then the quote's place.
        minutes = n - n % 2
        speakers = tuple(SPEAKERS[(n + i) % len(SPEAKERS)] for i in range(1 + n % 3))
        article = await db.articles.add(1, source(minutes=minutes), _brief(n, speakers))
        stored += [(minutes, article.article_id, s, f"Words {n} of {s}") for s in speakers]
        await db.articles.add(2, source(minutes=minutes), _brief(100 + n, ("President Volodymyr Zelensky",)))

    def expected(key: str, limit: int) -> list[tuple[int, str, str]]:
        held = [(m, a, i, s, q) for i, (m, a, s, q) in enumerate(stored) if fold(key) in fold(s)]
        held.sort(key=lambda row: (-row[0], -row[1], row[2]))
        return [(a, s, q) for _, a, _, s, q in held[:limit]]

    for key, limit in (("zelensky", 200), ("ALI", 200), ("ali", 3), ("army", 5), ("nobody", 200), ("o", 7)):
        got = await quotes_by_speaker(db, 1, key, limit=limit)
        # "ali" is also inside "Khalil": a substring, as before the index.
        assert [(m.article.article_id, m.statement.speaker, m.statement.quote) for m in got] == expected(
            key, limit
        )
        assert all(m.sentence_text.startswith(f'"{m.statement.quote},"') for m in got)
    one = stored[-1][1]
    scoped = await quotes_by_speaker(db, 1, "a", article_id=one)
    assert {m.article.article_id for m in scoped} == {one} and scoped
    assert await quotes_by_speaker(db, 2, "khalil") == []

    assert await backend.raw_count(db, _index_count_sql(backend.name)) == 1
    if backend.name == "sqlite":
        with sqlite3.connect(db.path) as raw:
            plan = [row[3] for row in raw.execute(f"EXPLAIN QUERY PLAN {_BY_SPEAKER}", (1, 1, 1, "ali", 9))]
        # Quotes are reached by (chat, key) seeks only: never a scan of the chat's quotes.
        assert not [step for step in plan if step.startswith("SCAN q") or "quotes_chat " in f"{step} "], plan
        assert any("quotes_chat_speaker (chat_id=? AND speaker_key=?)" in step for step in plan), plan


def _index_count_sql(backend: str) -> str:
    if backend == "sqlite":
        return "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'quotes_chat_speaker'"
    return "SELECT count(*) FROM pg_indexes WHERE indexname = 'quotes_chat_speaker' AND schemaname = current_schema()"


async def test_sentences_at_reads_only_the_chats_own_sentences(db):
    mine = await db.articles.add(1, source(), make_brief(["First of mine.", "He went on.", "Last."]))
    theirs = await db.articles.add(2, source(), make_brief(["First of theirs.", "She went on."]))
    got = await sentences_at(db, 1, [(mine.article_id, 1), (mine.article_id, 7), (theirs.article_id, 1)])
    assert got == {(mine.article_id, 1): "He went on."}
