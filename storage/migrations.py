"""Numbered schema steps, tracked in `PRAGMA user_version` and applied in order at start-up.

Each step runs in one transaction together with its `user_version` bump, so a crash mid-step leaves the
file at the previous version. Released steps are never edited: change the schema by appending a step.

Each step has its PostgreSQL counterpart, with the same number, in storage/migrations_pg.py.

Conventions every step keeps: every row a chat owns carries `chat_id`; child rows reference their
article through `(article_id, chat_id)`, so a row can never point at another chat's article, and deleting
a chat cascades to everything it owns.
"""

from __future__ import annotations

from dataclasses import dataclass

from storage import migrations_pg
from storage.db import Connection
from storage.errors import SchemaTooNew


@dataclass(frozen=True)
class Step:
    version: int
    name: str
    statements: tuple[str, ...]


STEP_1_CORE = Step(
    1,
    "chats, articles and their briefs",
    (
        """
        CREATE TABLE chats (
            chat_id        INTEGER PRIMARY KEY,
            timezone       TEXT NOT NULL,
            digest_time    TEXT NOT NULL,
            digest_enabled INTEGER NOT NULL DEFAULT 0 CHECK (digest_enabled IN (0, 1)),
            created_at     TEXT NOT NULL
        )
        """,
        """
        CREATE TABLE articles (
            id                 INTEGER PRIMARY KEY AUTOINCREMENT,  -- an id is never reused after a delete
            chat_id            INTEGER NOT NULL REFERENCES chats (chat_id) ON DELETE CASCADE,
            source_kind        TEXT NOT NULL CHECK (source_kind IN ('url', 'text', 'forward', 'feed')),
            url                TEXT,
            url_key            TEXT,
            forward_title      TEXT,
            forward_username   TEXT,
            forward_message_id INTEGER,
            title              TEXT,
            dateline           TEXT,
            received_at        TEXT NOT NULL,
            published_at       TEXT,
            content_hash       TEXT NOT NULL,
            text               TEXT NOT NULL,
            sentence_spans     TEXT NOT NULL,
            UNIQUE (chat_id, content_hash),
            UNIQUE (id, chat_id)
        )
        """,
        "CREATE UNIQUE INDEX articles_chat_url ON articles (chat_id, url_key) WHERE url_key IS NOT NULL",
        "CREATE INDEX articles_chat_received ON articles (chat_id, received_at, id)",
        """
        CREATE TABLE briefs (
            article_id INTEGER PRIMARY KEY,
            chat_id    INTEGER NOT NULL,
            schema_id  TEXT NOT NULL,
            json       TEXT NOT NULL,
            FOREIGN KEY (article_id, chat_id) REFERENCES articles (id, chat_id) ON DELETE CASCADE
        )
        """,
    ),
)

STEP_2_SEARCH = Step(
    2,
    "sentence full-text index, figures and quotes (backfilled from stored briefs)",
    (
        """
        CREATE TABLE sentences (
            id         INTEGER PRIMARY KEY,
            chat_id    INTEGER NOT NULL,
            article_id INTEGER NOT NULL,
            position   INTEGER NOT NULL,
            char_start INTEGER NOT NULL,
            char_end   INTEGER NOT NULL,
            UNIQUE (article_id, position),
            FOREIGN KEY (article_id, chat_id) REFERENCES articles (id, chat_id) ON DELETE CASCADE
        )
        """,
        # The index reads sentence text out of the article text, so no sentence is stored twice.
        """
        CREATE VIEW sentence_text (id, text) AS
        SELECT s.id, substr(a.text, s.char_start + 1, s.char_end - s.char_start)
        FROM sentences AS s JOIN articles AS a ON a.id = s.article_id
        """,
        """
        CREATE VIRTUAL TABLE sentences_fts USING fts5 (
            text, content = 'sentence_text', content_rowid = 'id',
            tokenize = 'porter unicode61 remove_diacritics 2'
        )
        """,
        """
        CREATE TRIGGER sentences_index AFTER INSERT ON sentences BEGIN
            INSERT INTO sentences_fts (rowid, text)
            SELECT new.id, substr(a.text, new.char_start + 1, new.char_end - new.char_start) FROM articles AS a
            WHERE a.id = new.article_id;
        END
        """,
        # BEFORE the article goes (also when a chat's deletion cascades to it): the index needs the
        # exact text it indexed to remove a row, and that text lives in the article.
        """
        CREATE TRIGGER articles_unindex BEFORE DELETE ON articles BEGIN
            INSERT INTO sentences_fts (sentences_fts, rowid, text)
            SELECT 'delete', s.id, substr(old.text, s.char_start + 1, s.char_end - s.char_start) FROM sentences AS s
            WHERE s.article_id = old.id;
        END
        """,
        """
        CREATE TABLE figures (
            id             INTEGER PRIMARY KEY,
            chat_id        INTEGER NOT NULL,
            article_id     INTEGER NOT NULL,
            position       INTEGER NOT NULL,
            sentence       INTEGER NOT NULL,
            value          TEXT NOT NULL,
            number         REAL,
            low            REAL,
            high           REAL,
            qualifier      TEXT,
            unit           TEXT,
            category       TEXT NOT NULL,
            counts         TEXT,
            claimed_by     TEXT,
            claimed_by_key TEXT,
            place          TEXT,
            time_text      TEXT,
            UNIQUE (article_id, position),
            FOREIGN KEY (article_id, chat_id) REFERENCES articles (id, chat_id) ON DELETE CASCADE
        )
        """,
        "CREATE INDEX figures_chat_category ON figures (chat_id, category)",
        """
        CREATE TABLE quotes (
            id          INTEGER PRIMARY KEY,
            chat_id     INTEGER NOT NULL,
            article_id  INTEGER NOT NULL,
            position    INTEGER NOT NULL,
            sentence    INTEGER NOT NULL,
            speaker     TEXT NOT NULL,
            speaker_key TEXT NOT NULL,
            kind        TEXT NOT NULL,
            quote       TEXT NOT NULL,
            UNIQUE (article_id, position),
            FOREIGN KEY (article_id, chat_id) REFERENCES articles (id, chat_id) ON DELETE CASCADE
        )
        """,
        "CREATE INDEX quotes_chat ON quotes (chat_id)",
        # Backfill from what version 1 stored: spans JSON for the sentences, brief JSON for the rest.
        """
        INSERT INTO sentences (chat_id, article_id, position, char_start, char_end)
        SELECT a.chat_id, a.id, CAST(span.key AS INTEGER),
               json_extract(span.value, '$[0]'), json_extract(span.value, '$[1]')
        FROM articles AS a, json_each(a.sentence_spans) AS span
        ORDER BY a.id, CAST(span.key AS INTEGER)
        """,
        """
        INSERT INTO figures (chat_id, article_id, position, sentence, value, number, low, high, qualifier,
                             unit, category, counts, claimed_by, claimed_by_key, place, time_text)
        SELECT b.chat_id, b.article_id, CAST(f.key AS INTEGER), json_extract(f.value, '$.sentence'),
               json_extract(f.value, '$.value'), json_extract(f.value, '$.number'),
               json_extract(f.value, '$.low'), json_extract(f.value, '$.high'),
               json_extract(f.value, '$.qualifier'), json_extract(f.value, '$.unit'),
               json_extract(f.value, '$.category'), json_extract(f.value, '$.counts'),
               json_extract(f.value, '$.claimed_by'), casefold(json_extract(f.value, '$.claimed_by')),
               json_extract(f.value, '$.where'), json_extract(f.value, '$.when')
        FROM briefs AS b, json_each(b.json, '$.figures') AS f
        """,
        """
        INSERT INTO quotes (chat_id, article_id, position, sentence, speaker, speaker_key, kind, quote)
        SELECT b.chat_id, b.article_id, CAST(q.key AS INTEGER), json_extract(q.value, '$.sentence'),
               json_extract(q.value, '$.speaker'), casefold(json_extract(q.value, '$.speaker')),
               json_extract(q.value, '$.kind'), json_extract(q.value, '$.quote')
        FROM briefs AS b, json_each(b.json, '$.speakers') AS q
        """,
    ),
)

STEP_3_FEEDS_DIGESTS = Step(
    3,
    "feeds, subscriptions, feed items and sent digests",
    (
        """
        CREATE TABLE feeds (
            id            INTEGER PRIMARY KEY,
            url           TEXT NOT NULL UNIQUE,
            title         TEXT,
            etag          TEXT,
            last_modified TEXT,
            last_checked  TEXT,
            error_count   INTEGER NOT NULL DEFAULT 0,
            last_error    TEXT,
            created_at    TEXT NOT NULL
        )
        """,
        """
        CREATE TABLE subscriptions (
            chat_id       INTEGER NOT NULL REFERENCES chats (chat_id) ON DELETE CASCADE,
            feed_id       INTEGER NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
            include_words TEXT NOT NULL DEFAULT '[]',
            exclude_words TEXT NOT NULL DEFAULT '[]',
            created_at    TEXT NOT NULL,
            PRIMARY KEY (chat_id, feed_id)
        ) WITHOUT ROWID
        """,
        "CREATE INDEX subscriptions_feed ON subscriptions (feed_id)",
        """
        CREATE TABLE feed_items (
            id        INTEGER PRIMARY KEY,
            feed_id   INTEGER NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
            guid      TEXT,
            link      TEXT,
            title     TEXT,
            published TEXT,
            seen_at   TEXT NOT NULL,
            CHECK (guid IS NOT NULL OR link IS NOT NULL)
        )
        """,
        "CREATE UNIQUE INDEX feed_items_guid ON feed_items (feed_id, guid) WHERE guid IS NOT NULL",
        "CREATE UNIQUE INDEX feed_items_link ON feed_items (feed_id, link) WHERE link IS NOT NULL",
        "CREATE INDEX feed_items_seen ON feed_items (feed_id, seen_at)",
        """
        CREATE TABLE digests (
            chat_id     INTEGER NOT NULL REFERENCES chats (chat_id) ON DELETE CASCADE,
            local_date  TEXT NOT NULL,
            sent_at     TEXT NOT NULL,
            message_ids TEXT NOT NULL,
            PRIMARY KEY (chat_id, local_date)
        ) WITHOUT ROWID
        """,
    ),
)

STEP_4_DIGEST_DELIVERY = Step(
    4,
    "digests delivered at least once: claim state, the rendered messages, the claiming run",
    (
        # 'claimed': the messages are rendered and going out (message_ids lists those known delivered);
        # 'sent': all delivered. A claim left by a run that died is resumed, never dropped.
        "ALTER TABLE digests ADD COLUMN state TEXT NOT NULL DEFAULT 'sent' CHECK (state IN ('claimed', 'sent'))",
        "ALTER TABLE digests ADD COLUMN messages TEXT",  # JSON list of the digest's HTML messages
        "ALTER TABLE digests ADD COLUMN owner TEXT",  # the run (process) that claimed it
        # A claim with no message ids was left by a crash before this step: it was never sent.
        "UPDATE digests SET state = 'claimed' WHERE message_ids = '[]'",
        "CREATE INDEX digests_claimed ON digests (state) WHERE state = 'claimed'",
    ),
)

STEP_5_ASK_INDEXES = Step(
    5,
    "figures and quotes indexed by their sentence (/ask looks them up by (article, sentence))",
    (
        # Without these, every /ask read all of the chat's figures and quotes (chat_id was the only key).
        "CREATE INDEX figures_sentence ON figures (article_id, sentence)",
        "CREATE INDEX quotes_sentence ON quotes (article_id, sentence)",
    ),
)

STEP_6_SPEAKER_KEYS = Step(
    6,
    "quotes indexed by (chat, speaker key): /ask reads the chat's distinct speakers, not all its quotes",
    # storage/ask_queries.quotes_by_speaker walks this index one distinct key at a time (a loose index scan),
    # so "what did X say" costs the number of distinct speakers, not the number of quotes in the chat.
    migrations_pg.STEP_6_SPEAKER_KEYS,
)

STEP_7_OUTBOX = Step(
    7,
    "the outbox: replies recorded before their first attempt, deleted once Telegram has them",
    (
        # No foreign key to chats: a reply never creates a chat row (/forget deletes a chat's rows itself).
        """
        CREATE TABLE outbox (
            id         INTEGER PRIMARY KEY,
            chat_id    INTEGER NOT NULL,
            method     TEXT NOT NULL,
            payload    TEXT NOT NULL,  -- the call's parameters, JSON
            owner      TEXT NOT NULL,  -- the run sending it; another run's rows are resumed at start
            created_at TEXT NOT NULL
        )
        """,
        "CREATE INDEX outbox_chat ON outbox (chat_id, id)",
    ),
)

STEP_8_INBOX = Step(
    8,
    "the inbox: updates recorded before Telegram is told they arrived, handled again after a crash",
    (
        """
        CREATE TABLE inbox (
            id          INTEGER PRIMARY KEY,
            update_id   INTEGER NOT NULL UNIQUE,  -- Telegram's: a second delivery is recognised
            chat_id     INTEGER,                  -- NULL for an update of no chat; /forget deletes by it
            payload     TEXT,                     -- the update, JSON; NULL once handled
            owner       TEXT NOT NULL,            -- the run handling it; another run's rows are replayed
            tries       INTEGER NOT NULL DEFAULT 0,
            received_at TEXT NOT NULL,
            done_at     TEXT
        )
        """,
        "CREATE INDEX inbox_unhandled ON inbox (owner, id) WHERE done_at IS NULL",
        "CREATE INDEX inbox_chat ON inbox (chat_id)",
        # The update a reply answers: a replayed update's old replies are dropped, it answers afresh.
        "ALTER TABLE outbox ADD COLUMN update_id INTEGER",
    ),
)

STEPS: tuple[Step, ...] = (
    STEP_1_CORE,
    STEP_2_SEARCH,
    STEP_3_FEEDS_DIGESTS,
    STEP_4_DIGEST_DELIVERY,
    STEP_5_ASK_INDEXES,
    STEP_6_SPEAKER_KEYS,
    STEP_7_OUTBOX,
    STEP_8_INBOX,
)
LATEST = STEPS[-1].version


async def schema_version(conn: Connection) -> int:
    if getattr(conn, "dialect", "sqlite") == "postgresql":
        return await migrations_pg.schema_version(conn)
    row = await (await conn.execute("PRAGMA user_version")).fetchone()
    return int(row[0]) if row else 0


async def migrate(conn: Connection, *, target: int = LATEST) -> list[int]:
    """Apply every step above the file's version up to `target`; returns the versions applied.

    `conn` must be a writer outside any transaction, with the `casefold` SQL function registered.
    """
    if not 0 <= target <= LATEST:
        raise ValueError(f"target version {target} is not between 0 and {LATEST}")
    if getattr(conn, "dialect", "sqlite") == "postgresql":
        return await migrations_pg.migrate(conn, latest=LATEST, target=target)
    current = await schema_version(conn)
    if current > LATEST:
        raise SchemaTooNew(
            f"the database is at schema version {current} but this conflictbrief knows only up to {LATEST}; "
            "upgrade conflictbrief instead of opening the file with an older one"
        )
    applied: list[int] = []
    for step in STEPS:
        if step.version <= current or step.version > target:
            continue
        await conn.execute("BEGIN IMMEDIATE")
        try:
            # Re-read inside the write lock: another process may have migrated meanwhile.
            if await schema_version(conn) >= step.version:
                await conn.execute("ROLLBACK")
                continue
            for statement in step.statements:
                await conn.execute(statement)
            await conn.execute(f"PRAGMA user_version = {step.version}")
            await conn.execute("COMMIT")
        except BaseException:
            await conn.execute("ROLLBACK")
            raise
        applied.append(step.version)
    return applied
