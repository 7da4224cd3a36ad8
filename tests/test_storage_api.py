"""The storage API on a real SQLite file and on a real PostgreSQL database (each test runs on both):
settings, articles and repeats, facts, search, feeds, digests, privacy. Every test writes to more than one
chat where scoping could go wrong."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, date, datetime, timedelta

import pytest

from storage import (
    EXPORT_FORMAT,
    MAX_FEEDS_PER_CHAT,
    SCHEMA_VERSION,
    NewFeedItem,
    SubscriptionLimitError,
    content_hash,
    filters_accept,
    fts_query,
    normalize_url,
    open_database,
)
from tests.storage_support import at, make_brief, source

SHELLING = make_brief(
    [
        "Regional officials said at least 14 civilians were killed in overnight shelling of Kharkiv.",
        '"The strikes hit apartment blocks," said Governor Oleh Synehubov.',
        "The army said it had shot down 22 of 30 drones.",
    ],
    title="Overnight shelling of Kharkiv",
    url="https://news.example.org/kharkiv-shelling?utm_source=tg#top",
    figures=[(0, "at least 14", "killed", "Regional officials"), (2, "22 of 30", "equipment", "The army")],
    quotes=[(1, "Governor Oleh Synehubov", "The strikes hit apartment blocks,")],
    published="2024-03-01",
)
TALKS = make_brief(
    [
        "Negotiators met in Geneva for a third round of ceasefire talks.",
        '"We are not there yet," President Volodymyr Zelensky told reporters.',
        "Aid agencies said 2,000 families had been displaced since January.",
    ],
    title="Ceasefire talks resume",
    figures=[(2, "2,000", "displaced", "Aid agencies")],
    quotes=[(1, "President Volodymyr Zelensky", "We are not there yet,")],
)


@pytest.fixture
async def db(backend):
    async with open_database(backend.target("nested/bot.db")) as database:
        yield database


async def test_open_creates_folder_wal_and_newest_schema(tmp_path):
    path = tmp_path / "a" / "b" / "bot.db"
    db = await open_database(path)
    try:
        assert path.exists()
        assert await db.schema_version() == SCHEMA_VERSION
        with sqlite3.connect(path) as raw:
            assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        with pytest.raises(sqlite3.OperationalError):  # readers are query_only
            async with db._conns.reading() as conn:
                await conn.execute("DELETE FROM chats")
    finally:
        await db.close()
    with pytest.raises(RuntimeError):
        await db.articles.count(1)


async def test_postgres_open_migrates_and_readers_are_read_only(postgres_backend):
    backend = postgres_backend
    import asyncpg

    db = await open_database(backend.target())
    try:
        assert db.dialect == "postgresql" and await db.schema_version() == SCHEMA_VERSION
        with pytest.raises(asyncpg.ReadOnlySQLTransactionError):  # readers are read-only
            async with db._conns.reading() as conn:
                await conn.execute("DELETE FROM chats")
    finally:
        await db.close()
    with pytest.raises(RuntimeError):
        await db.articles.count(1)


async def test_chat_settings_defaults_update_and_validation(backend):
    async with open_database(backend.target(), default_timezone="Europe/Kyiv") as db:
        assert await db.chats.get(7) is None
        created = await db.chats.ensure(7, now=at(0))
        assert (created.timezone, created.digest_time, created.digest_enabled) == (
            "Europe/Kyiv",
            "08:00",
            False,
        )
        assert created.created_at == at(0)
        assert await db.chats.ensure(7, now=at(60)) == created  # first contact wins
        updated = await db.chats.update(
            7, timezone="America/New_York", digest_time="21:30", digest_enabled=True
        )
        assert (updated.timezone, updated.digest_time, updated.digest_enabled) == (
            "America/New_York",
            "21:30",
            True,
        )
        await db.chats.update(8, digest_enabled=False)
        await db.chats.update(9, digest_enabled=True)
        assert [c.chat_id for c in await db.chats.with_digest_enabled()] == [7, 9]
        for bad in ("Mars/Olympus", "", "../etc/passwd"):
            with pytest.raises(ValueError, match="timezone"):
                await db.chats.update(7, timezone=bad)
        for bad in ("24:00", "7:30", "07:60", "0730"):
            with pytest.raises(ValueError, match="HH:MM"):
                await db.chats.update(7, digest_time=bad)
        assert (await db.chats.get(7)) == updated
        with pytest.raises(TypeError):
            await db.chats.get("7")  # type: ignore[arg-type]


async def test_article_round_trip_keeps_brief_text_and_spans(db):
    result = await db.articles.add(
        1,
        source(
            "forward",
            5,
            forward_title="Frontline Channel",
            forward_username="frontline",
            forward_message_id=42,
        ),
        SHELLING,
    )
    assert not result.is_repeat
    stored = await db.articles.get(1, result.article_id)
    assert stored is not None
    assert stored.brief == SHELLING
    assert stored.brief.sentence_texts() == SHELLING.sentence_texts()
    assert (stored.kind, stored.forward_title, stored.forward_username, stored.forward_message_id) == (
        "forward",
        "Frontline Channel",
        "frontline",
        42,
    )
    assert stored.url == SHELLING.url and stored.title == SHELLING.title
    assert stored.received_at == at(5) and stored.published_at == "2024-03-01"
    assert stored.content_hash == content_hash(SHELLING.text) and stored.schema_id == "conflictbrief.brief/1"
    assert await db.articles.get(2, result.article_id) is None  # another chat cannot open it by id
    assert await db.articles.get(1, result.article_id + 1000) is None


async def test_repeat_by_url_or_by_text_is_stored_once_per_chat(db):
    first = await db.articles.add(1, source("url", 0), SHELLING)
    # Same article, URL spelled differently (host case, tracking parameter, fragment) and new text:
    same_url = make_brief(["Completely different wording."], url="https://NEWS.example.org/kharkiv-shelling")
    again = await db.articles.add(1, source("url", 1), same_url)
    assert again.is_repeat and again.article_id == first.article_id
    # Same text, pasted with other spacing and case, no URL:
    pasted = make_brief([s.upper() + "  " for s in SHELLING.sentence_texts()])
    assert content_hash(pasted.text) == content_hash(SHELLING.text)
    repeat = await db.articles.add(1, source("text", 2), pasted)
    assert repeat.is_repeat and repeat.article_id == first.article_id
    assert await db.articles.count(1) == 1
    # The bot can ask before running any NLP, with the same keys.
    assert (
        await db.articles.find_repeat(1, url="https://news.example.org/kharkiv-shelling") == first.article_id
    )
    assert await db.articles.find_repeat(1, text=pasted.text) == first.article_id
    assert await db.articles.find_repeat(1, url="https://news.example.org/else", text=TALKS.text) is None
    assert await db.articles.find_repeat(2, url=SHELLING.url, text=SHELLING.text) is None
    assert await db.articles.find_repeat(1) is None
    # Another chat sending the same article is not a repeat: chats never see each other's history.
    other = await db.articles.add(2, source("url", 3), SHELLING)
    assert not other.is_repeat and other.article_id != first.article_id
    # A different URL query is a different article.
    assert normalize_url("https://x.org/a?id=1") != normalize_url("https://x.org/a?id=2")
    fresh = await db.articles.add(1, source("text", 4), TALKS)
    assert not fresh.is_repeat
    assert await db.articles.count(1) == 2 and await db.articles.count(2) == 1


async def test_recent_history_and_received_since(db):
    ids = []
    for minutes, brief in ((10, SHELLING), (20, TALKS), (30, make_brief(["A third report on the front."]))):
        ids.append((await db.articles.add(1, source("text", minutes), brief)).article_id)
    await db.articles.add(2, source("text", 40), make_brief(["Chat two's only article."]))
    recent = await db.articles.recent(1, limit=2)
    assert [entry.id for entry in recent] == [ids[2], ids[1]]
    assert recent[1].title == "Ceasefire talks resume" and recent[1].received_at == at(20)
    since = await db.articles.received_since(1, at(20))
    assert [a.id for a in since] == [ids[1], ids[2]]
    assert since[0].brief == TALKS
    assert await db.articles.received_since(1, at(31)) == []
    with pytest.raises(ValueError):
        await db.articles.recent(1, limit=0)
    with pytest.raises(ValueError, match="naive"):
        await db.articles.received_since(1, datetime(2024, 3, 1))


async def test_bad_briefs_and_sources_are_refused(db):
    spans_wrong = make_brief(["One.", "Two."])
    from dataclasses import replace

    with pytest.raises(ValueError, match="spans"):
        await db.articles.add(1, source(), replace(spans_wrong, sentence_spans=((0, 4),)))
    with pytest.raises(ValueError, match="outside"):
        await db.articles.add(1, source(), replace(spans_wrong, sentence_spans=((0, 4), (5, 99))))
    with pytest.raises(ValueError, match="no cleaned text"):
        await db.articles.add(
            1, source(), replace(spans_wrong, text="", sentences=0, sentence_spans=(), summary=())
        )
    with pytest.raises(ValueError, match="naive"):
        await db.articles.add(
            1, source().__class__(kind="text", received_at=datetime(2024, 1, 1)), spans_wrong
        )
    with pytest.raises(ValueError, match="kind"):
        await db.articles.add(1, source(kind="email"), spans_wrong)
    assert await db.articles.count(1) == 0


async def test_figures_and_quotes_by_category_claimant_speaker_and_date(db):
    shelling = (await db.articles.add(1, source("url", 0), SHELLING)).article_id
    talks = (await db.articles.add(1, source("text", 60), TALKS)).article_id
    talks_two = (await db.articles.add(2, source("text", 0), TALKS)).article_id

    killed = await db.facts.figures(1, category="killed")
    assert [(r.article_id, r.figure.value, r.figure.claimed_by) for r in killed] == [
        (shelling, "at least 14", "Regional officials")
    ]
    assert killed[0].article_title == SHELLING.title and killed[0].article_url == SHELLING.url
    assert [r.figure.value for r in await db.facts.figures(1, claimant="ARMY")] == ["22 of 30"]
    assert [r.figure.value for r in await db.facts.figures(1, since=at(30))] == ["2,000"]
    assert len(await db.facts.figures(1)) == 3 and len(await db.facts.figures(2)) == 1
    assert await db.facts.figures(1, category="money") == []

    zelensky = await db.facts.quotes(1, speaker="zelensky")
    assert [(q.article_id, q.statement.speaker, q.statement.quote) for q in zelensky] == [
        (talks, "President Volodymyr Zelensky", "We are not there yet,")
    ]
    assert len(await db.facts.quotes(1)) == 2
    assert [q.statement.speaker for q in await db.facts.quotes(1, speaker="synehubov", since=at(-5))] == [
        "Governor Oleh Synehubov"
    ]
    assert await db.facts.quotes(1, speaker="zelensky", since=at(61)) == []
    assert [q.article_id for q in await db.facts.quotes(2, speaker="Zelensky")] == [talks_two]


async def test_search_is_bm25_ranked_stemmed_chat_scoped_and_syntax_safe(db):
    shelling = (await db.articles.add(1, source("url", 0), SHELLING)).article_id
    await db.articles.add(1, source("text", 1), TALKS)
    await db.articles.add(
        2, source("text", 2), make_brief(["Shelling of Kharkiv killed nobody in chat two."])
    )

    hits = await db.search.sentences(1, "kill Kharkiv")
    assert hits and hits[0].article_id == shelling and hits[0].sentence == 0
    assert hits[0].text == SHELLING.sentence_texts()[0]  # verbatim sentence
    assert hits[0].article_title == SHELLING.title
    assert all(h.text in (SHELLING.text + TALKS.text) for h in hits)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert await db.search.sentences(1, "nobody") == []  # chat two's word
    both = await db.search.sentences(1, "drones ceasefire", match_all=True)
    assert both == []
    assert len(await db.search.sentences(1, "drones ceasefire")) == 2
    for hostile in (
        '"foo AND (',
        "NEAR(",
        "text:kharkiv",
        "-",
        "*",
        "^kharkiv",
        "OR",
        '""',
        "",
        "   ",
        "'; DROP",
    ):
        assert isinstance(await db.search.sentences(1, hostile), list)
    assert [h.article_id for h in await db.search.sentences(1, "Kharkiv)")] == [shelling]
    assert fts_query('a "b" AND (') == '"a" OR """b""" OR "AND"'
    assert fts_query("((  ))") is None


async def test_feed_subscriptions_limit_filters_and_items(db):
    sub = await db.feeds.subscribe(1, "https://Feeds.Example.org/world.rss", include=["Ukraine", "Sudan"])
    assert sub.url == "https://feeds.example.org/world.rss" and sub.include == ("Ukraine", "Sudan")
    await db.feeds.subscribe(2, "https://feeds.example.org/world.rss", exclude=["football"])
    again = await db.feeds.subscribe(1, "https://feeds.example.org/world.rss", include=["Gaza"])
    assert again.include == ("Gaza",) and len(await db.feeds.subscriptions(1)) == 1
    assert [s.chat_id for s in await db.feeds.subscriptions(2)] == [2]

    for i in range(1, MAX_FEEDS_PER_CHAT):
        await db.feeds.subscribe(1, f"https://f{i}.example.org/rss")
    with pytest.raises(SubscriptionLimitError, match=str(MAX_FEEDS_PER_CHAT)):
        await db.feeds.subscribe(1, "https://one-too-many.example.org/rss")
    assert len(await db.feeds.subscriptions(1)) == MAX_FEEDS_PER_CHAT
    assert all("one-too-many" not in f.url for f in await db.feeds.polled_feeds())
    with pytest.raises(ValueError, match="http"):
        await db.feeds.subscribe(3, "file:///etc/passwd")

    world = next(f for f in await db.feeds.polled_feeds() if f.url.endswith("world.rss"))
    new = await db.feeds.add_items(
        world.id,
        [
            NewFeedItem(guid="g1", link="https://e.org/1", title="Gaza aid convoy reaches Rafah"),
            NewFeedItem(guid="g2", link="https://e.org/2", title="Football: cup final"),
            NewFeedItem(guid=None, link="https://e.org/3", title="Gaza talks", published=at(5)),
            NewFeedItem(guid=None, link=None, title="unidentifiable"),
        ],
        seen_at=at(10),
    )
    assert [i.guid or i.link for i in new] == ["g1", "g2", "https://e.org/3"]
    assert new[2].published == at(5) and new[0].seen_at == at(10)
    dupes = [NewFeedItem(guid="g1", link="https://e.org/new"), NewFeedItem(guid="g9", link="https://e.org/2")]
    assert await db.feeds.add_items(world.id, dupes, seen_at=at(11)) == []

    assert [i.link for i in await db.feeds.recent_items(1)] == ["https://e.org/3", "https://e.org/1"]
    assert [i.link for i in await db.feeds.recent_items(2)] == ["https://e.org/3", "https://e.org/1"]
    assert await db.feeds.recent_items(3) == []
    assert {s.chat_id for s in await db.feeds.subscribers(world.id)} == {1, 2}

    await db.feeds.record_error(world.id, checked_at=at(20), error="timeout")
    await db.feeds.record_error(world.id, checked_at=at(21), error="HTTP 503")
    state = next(f for f in await db.feeds.polled_feeds() if f.id == world.id)
    assert (state.error_count, state.last_error, state.last_checked) == (2, "HTTP 503", at(21))
    await db.feeds.record_fetch(world.id, checked_at=at(30), title="World", etag='"e1"', last_modified="Fri")
    await db.feeds.record_fetch(world.id, checked_at=at(40), not_modified=True)
    state = next(f for f in await db.feeds.polled_feeds() if f.id == world.id)
    assert (state.title, state.etag, state.last_modified, state.error_count, state.last_checked) == (
        "World",
        '"e1"',
        "Fri",
        0,
        at(40),
    )

    assert await db.feeds.unsubscribe(2, "https://feeds.example.org/world.rss")
    assert not await db.feeds.unsubscribe(2, "https://feeds.example.org/world.rss")
    assert not await db.feeds.unsubscribe(3, "https://f1.example.org/rss")  # chat 3 never followed it
    assert len(await db.feeds.subscriptions(1)) == MAX_FEEDS_PER_CHAT
    await db.feeds.unsubscribe(1, "https://f1.example.org/rss")
    assert all(not f.url.startswith("https://f1.") for f in await db.feeds.polled_feeds())  # orphan dropped


def test_filters_match_whole_words_case_insensitively():
    assert filters_accept("Strikes on KHARKIV overnight", ["kharkiv"], [])
    assert not filters_accept("Kharkivska oblast", ["kharkiv"], [])
    assert not filters_accept("War and football", [], ["Football"])
    assert filters_accept(None, [], [])
    assert not filters_accept(None, ["war"], [])


async def test_digest_is_recorded_once_per_chat_and_local_day(db):
    day = date(2024, 3, 1)
    assert not await db.digests.has(1, day) and await db.digests.last_sent_at(1) is None
    assert await db.digests.record(1, day, sent_at=at(0), message_ids=[101, 102])
    assert not await db.digests.record(1, day, sent_at=at(5), message_ids=[999])  # already sent
    record = await db.digests.get(1, day)
    assert record is not None and record.message_ids == (101, 102) and record.sent_at == at(0)
    assert not await db.digests.has(2, day)
    assert await db.digests.record(2, day, sent_at=at(1))
    assert await db.digests.record(1, day + timedelta(days=1), sent_at=at(1440))
    assert await db.digests.last_sent_at(1) == at(1440) and await db.digests.last_sent_at(2) == at(1)
    with pytest.raises(ValueError):
        await db.digests.has(1, datetime(2024, 3, 1, tzinfo=UTC))  # a datetime is not a local day


async def test_delete_chat_removes_everything_including_index_rows(db, backend):
    await db.chats.update(1, digest_enabled=True)
    await db.articles.add(1, source("url", 0), SHELLING)
    await db.articles.add(1, source("text", 1), make_brief(["Zzyzxian convoy sighted near Pokrovsk."]))
    await db.feeds.subscribe(1, "https://only-chat-one.example.org/rss")
    await db.feeds.subscribe(1, "https://shared.example.org/rss")
    await db.feeds.subscribe(2, "https://shared.example.org/rss")
    await db.digests.record(1, date(2024, 3, 1), sent_at=at(0))
    keep = (await db.articles.add(2, source("text", 2), TALKS)).article_id
    zzyzxian, synehubov = await backend.lexeme(db, "zzyzxian"), await backend.lexeme(db, "synehubov")
    assert zzyzxian in await backend.index_terms(db)

    deleted = await db.delete_chat(1)
    assert (deleted.existed, deleted.articles, deleted.subscriptions, deleted.digests) == (True, 2, 2, 1)
    assert await db.chats.get(1) is None and await db.articles.count(1) == 0
    assert await db.search.sentences(1, "Kharkiv convoy") == []
    terms = await backend.index_terms(db)
    assert zzyzxian not in terms and synehubov not in terms
    assert await backend.index_matches_content(db)
    for table in ("articles", "briefs", "sentences", "figures", "quotes", "subscriptions", "digests"):
        assert await backend.raw_count(db, f"SELECT count(*) FROM {table} WHERE chat_id = 1") == 0, table
    assert await backend.raw_count(db, "SELECT count(*) FROM feeds WHERE url LIKE '%only-chat-one%'") == 0
    if backend.name == "sqlite":
        # Neither the text (secure_delete + checkpoint) nor its index terms (FTS optimize) linger in the file.
        assert b"Zzyzxian" not in db.path.read_bytes() and b"zzyzxian" not in db.path.read_bytes()
    # Chat two is untouched.
    assert (await db.articles.get(2, keep)).brief == TALKS  # type: ignore[union-attr]
    assert [s.url for s in await db.feeds.subscriptions(2)] == ["https://shared.example.org/rss"]
    assert (await db.check_integrity()).ok
    assert (await db.delete_chat(1)).existed is False


async def test_export_is_json_and_holds_the_whole_history(db):
    await db.chats.update(1, timezone="Europe/Kyiv", digest_enabled=True)
    first = (await db.articles.add(1, source("url", 0), SHELLING)).article_id
    await db.articles.add(1, source("text", 1), TALKS)
    await db.articles.add(2, source("text", 2), make_brief(["Chat two keeps this to itself."]))
    await db.feeds.subscribe(1, "https://feeds.example.org/rss", include=["war"])
    await db.digests.record(1, date(2024, 3, 1), sent_at=at(3), message_ids=[7])

    exported = json.loads(json.dumps(await db.export_chat(1)))
    assert exported["format"] == EXPORT_FORMAT and exported["chat_id"] == 1
    assert (
        exported["settings"]["timezone"] == "Europe/Kyiv" and exported["settings"]["digest_enabled"] is True
    )
    assert [a["title"] for a in exported["articles"]] == [SHELLING.title, TALKS.title]
    article = exported["articles"][0]
    assert article["id"] == first and article["text"] == SHELLING.text
    assert article["received_at"] == "2024-03-01T09:00:00.000000Z"
    assert article["brief"] == SHELLING.to_dict()
    assert [tuple(span) for span in article["sentence_spans"]] == list(SHELLING.sentence_spans)
    assert exported["subscriptions"] == [
        {
            "url": "https://feeds.example.org/rss",
            "title": None,
            "include": ["war"],
            "exclude": [],
            "created_at": exported["subscriptions"][0]["created_at"],
        }
    ]
    assert exported["digests"] == [
        {"local_date": "2024-03-01", "sent_at": "2024-03-01T09:03:00.000000Z", "message_ids": [7]}
    ]
    assert "keeps this to itself" not in json.dumps(exported)
    empty = await db.export_chat(99)
    assert empty["settings"] is None and empty["articles"] == [] and empty["digests"] == []


async def test_write_block_that_raises_leaves_nothing(db):
    with pytest.raises(ZeroDivisionError):
        async with db._conns.writing() as conn:
            await conn.execute(
                "INSERT INTO chats (chat_id, timezone, digest_time, created_at) VALUES (5, 'UTC', '08:00', 'x')"
            )
            raise ZeroDivisionError
    assert await db.chats.get(5) is None
    await db.chats.ensure(5)  # the writer is usable again
    assert await db.chats.get(5) is not None


async def test_article_ids_are_never_reused_after_a_delete(db):
    first = (await db.articles.add(1, source("text", 0), TALKS)).article_id
    await db.delete_chat(1)
    again = await db.articles.add(1, source("text", 1), TALKS)
    # An old "open article N" button in the chat must not open a different article.
    assert not again.is_repeat and again.article_id > first


async def test_search_folds_diacritics_and_case(db):
    kyiv = (
        await db.articles.add(1, source("text", 0), make_brief(["Missiles hit Kyïv overnight."]))
    ).article_id
    await db.articles.add(1, source("text", 1), make_brief(["Nothing happened in Lviv."]))
    for query in ("Kyiv", "KYÏV", "kyïv missile"):
        hits = await db.search.sentences(1, query)
        assert [h.article_id for h in hits] == [kyiv], query
        assert hits[0].text == "Missiles hit Kyïv overnight."
