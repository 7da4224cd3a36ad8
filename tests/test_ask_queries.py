"""/ask's chat-scoped look-ups (storage/ask_queries.py) on a real SQLite file and a real PostgreSQL database:
quotes by a speaker key are the chat's newest quotes whose speaker holds the key, read through the
(chat_id, speaker_key) index rather than by testing every quote of the chat."""

from __future__ import annotations

import sqlite3

import pytest

from storage import open_database
from storage.ask_queries import (
    BY_SPEAKER,
    SENTENCES_AT,
    SENTENCES_BEFORE,
    _key_batches,
    join_keeping_order,
    quotes_by_speaker,
    sentences_at,
    sentences_before,
)
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
            # Before and after `PRAGMA optimize` has written statistics (at close, in a long-lived database).
            for analysed in (False, True):
                if analysed:
                    _large_chat_statistics(raw)
                sql = BY_SPEAKER.format(join=join_keeping_order(db), article="a.id")
                plan = [row[3] for row in raw.execute(f"EXPLAIN QUERY PLAN {sql}", (1, 1, 1, "ali", 9))]
                # Quotes are reached by (chat, key) seeks only: never a scan of the chat's quotes, nor a walk
                # of all its articles testing each one's quotes.
                assert not [
                    step
                    for step in plan
                    if step.startswith("SCAN q") or "quotes_chat " in f"{step} " or "articles_chat" in step
                ], (analysed, plan)
                assert any("quotes_chat_speaker (chat_id=? AND speaker_key=?)" in step for step in plan), plan


# sqlite_stat1 as `PRAGMA optimize` wrote it for one chat of 10,000 articles (benchmarks/ask.py): a few test
# rows would give statistics under which any plan is cheap. SQLite reads hand-written statistics on
# `ANALYZE sqlite_schema`, the way its documentation suggests testing plans for large data.
_STAT1_10K = (
    ("articles", "articles_chat_received", "10000 10000 1 1"),
    ("articles", "articles_chat_url", "10000 10000 1"),
    ("articles", "sqlite_autoindex_articles_2", "10000 1 1"),
    ("articles", "sqlite_autoindex_articles_1", "10000 10000 1"),
    ("sentences", "sqlite_autoindex_sentences_1", "173234 18 1"),
    ("quotes", "quotes_chat_speaker", "62399 62399 250"),
    ("quotes", "quotes_sentence", "62399 8 1"),
    ("quotes", "quotes_chat", "62399 62399"),
    ("quotes", "sqlite_autoindex_quotes_1", "62399 8 1"),
)


def _large_chat_statistics(raw: sqlite3.Connection) -> None:
    raw.execute("ANALYZE")  # creates sqlite_stat1
    raw.execute("DELETE FROM sqlite_stat1")
    raw.executemany("INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, ?, ?)", _STAT1_10K)
    raw.commit()
    raw.execute("ANALYZE sqlite_schema")


def _index_count_sql(backend: str) -> str:
    if backend == "sqlite":
        return "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'quotes_chat_speaker'"
    return "SELECT count(*) FROM pg_indexes WHERE indexname = 'quotes_chat_speaker' AND schemaname = current_schema()"


async def test_sentences_at_reads_only_the_chats_own_sentences(db):
    mine = await db.articles.add(1, source(), make_brief(["First of mine.", "He went on.", "Last."]))
    theirs = await db.articles.add(2, source(), make_brief(["First of theirs.", "She went on."]))
    got = await sentences_at(db, 1, [(mine.article_id, 1), (mine.article_id, 7), (theirs.article_id, 1)])
    assert got == {(mine.article_id, 1): "He went on."}


async def test_sentences_by_key_start_from_the_wanted_keys_however_many(db, backend):
    """Past about a hundred keys, SQLite without statistics (a new database) would rather scan all the chat's
    articles and their sentences than seek each wanted sentence: the plan must start from the keys."""
    ids = []
    for n in range(40):
        brief = make_brief([f"Report {n} line {i} is here." for i in range(6)], title=f"Report {n}")
        ids.append((await db.articles.add(1, source(minutes=n), brief)).article_id)
    await db.articles.add(2, source(), make_brief(["Not this chat's line.", "Nor this one."]))
    keys = [(article, position) for article in ids for position in (2, 4, 5)]  # 120 keys
    at = await sentences_at(db, 1, keys)
    assert at == {(a, p): f"Report {ids.index(a)} line {p} is here." for a, p in keys}
    before = await sentences_before(db, 1, keys, count=2)
    assert before[(ids[3], 2)] == "Report 3 line 0 is here. Report 3 line 1 is here."
    if backend.name != "sqlite":
        return
    values, flat = next(_key_batches(keys))
    with sqlite3.connect(db.path) as raw:
        for template, params in ((SENTENCES_AT, (*flat, 1)), (SENTENCES_BEFORE, (*flat, 2, 1))):
            sql = template.format(values=values, join=join_keeping_order(db))
            plan = [row[3] for row in raw.execute(f"EXPLAIN QUERY PLAN {sql}", params)]
            steps = [
                step
                for step in plan
                if not step.startswith(("MATERIALIZE", "CO-ROUTINE", "SCAN 120 CONSTANT"))
            ]
            assert steps[0] == "SCAN w", plan
            assert not [step for step in plan if "articles_chat" in step or step.startswith("SCAN s")], plan
