"""Property test over the whole public API: whatever sequence of writes happens in any chats, every read
of a chat returns exactly that chat's data (a model of each chat predicts it), never another chat's.

The same documents, URLs and feeds are deliberately shared between chats, so the only thing keeping
chats apart is the chat id scoping of every query. It runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import tempfile
from collections.abc import Awaitable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TypeVar

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from storage import ArticleSource, NewFeedItem, content_hash, filters_accept, normalize_url, open_database
from summarize.model import Brief
from tests.backends import make_backend, require
from tests.storage_support import T0, at, make_brief

CHATS = (-1001, 2, 3)
DAYS = tuple(date(2024, 3, 1) + timedelta(days=n) for n in range(3))
FEEDS = ("https://a.example.org/rss", "https://b.example.org/rss", "https://c.example.org/rss")
ITEMS = (
    NewFeedItem(guid="g1", link="https://n.example.org/1", title="Kherson ceasefire holds"),
    NewFeedItem(guid="g2", link="https://n.example.org/2", title="Markets rally"),
    NewFeedItem(guid="g1", link="https://n.example.org/other", title="same guid as g1"),
    NewFeedItem(guid=None, link="https://n.example.org/2", title="same link as g2"),
    NewFeedItem(guid=None, link="https://n.example.org/5", title="Kherson evacuation"),
)
FILTERS = ((), ("kherson",), ("markets", "evacuation"))


def _doc(words: str, url: str | None, claimant: str, speaker: str) -> Brief:
    first = f"Observers said 40 {words} convoys crossed near the ceasefire line."
    second = f'"No {words} will pass," said {speaker}.'
    return make_brief(
        [first, second, f"The {words} report ends here."],
        title=f"Report on {words}",
        url=url,
        figures=[(0, "40", "equipment", claimant)],
        quotes=[(1, speaker, f"No {words} will pass,")],
    )


DOCS = (
    _doc("kestrel", "https://news.example.org/one", "Observers Kestrel", "Colonel Ash"),
    _doc("marmot", None, "Observers Marmot", "General Birch"),
    _doc(
        "osprey", "https://news.example.org/one#again", "Observers Osprey", "Colonel Ash"
    ),  # URL repeat of 0
    _doc("KESTREL", "https://news.example.org/other", "Observers Kestrel", "Colonel Ash"),
    _doc("wombat", "https://news.example.org/wombat?utm_source=tg", "Observers Wombat", "Minister Cedar"),
)
T = TypeVar("T")


def _url_key(brief: Brief) -> str | None:
    return normalize_url(brief.url) if brief.url else None


WORDS = ("kestrel", "marmot", "osprey", "wombat", "ceasefire", "colonel")


@dataclass
class ChatModel:
    exists: bool = False
    settings: tuple[str, str, bool] | None = None
    articles: dict[int, tuple[int, int]] = field(default_factory=dict)  # id -> (doc index, minute)
    subscriptions: dict[str, tuple[str, ...]] = field(default_factory=dict)  # feed url -> include words
    digests: dict[date, int] = field(default_factory=dict)  # local day -> minute sent


class ChatIsolation(RuleBasedStateMachine):
    BACKEND = "sqlite"

    @initialize()
    def open(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="storage-iso-"))
        self.loop = asyncio.new_event_loop()
        self.backend = self.run(make_backend(self.BACKEND, self.dir))
        self.db = self.run(open_database(self.backend.target()))
        self.chats = {chat: ChatModel() for chat in CHATS}
        self.all_ids: set[int] = set()
        self.items: dict[str, list[tuple[int, NewFeedItem, int]]] = {}  # feed url -> (id, item, minute)

    def run(self, awaitable: Awaitable[T]) -> T:
        return self.loop.run_until_complete(awaitable)

    def teardown(self) -> None:
        if hasattr(self, "db"):
            self.run(self.db.close())
            self.run(self.backend.close())
            self.loop.close()
            shutil.rmtree(self.dir, ignore_errors=True)

    def _touch(self, chat: int) -> None:
        model = self.chats[chat]
        if not model.exists:
            model.exists, model.settings = True, ("UTC", "08:00", False)

    # --- writes ---------------------------------------------------------------------------------------

    @rule(chat=st.sampled_from(CHATS), doc=st.integers(0, len(DOCS) - 1), minute=st.integers(0, 50))
    def add_article(self, chat: int, doc: int, minute: int) -> None:
        brief = DOCS[doc]
        model = self.chats[chat]
        key = _url_key(brief)
        by_url = [i for i, (d, _) in model.articles.items() if key and _url_key(DOCS[d]) == key]
        by_text = [
            i
            for i, (d, _) in model.articles.items()
            if content_hash(DOCS[d].text) == content_hash(brief.text)
        ]
        result = self.run(
            self.db.articles.add(chat, ArticleSource(kind="url", received_at=at(minute)), brief)
        )
        expected = next(iter(by_url or by_text), None)
        if expected is None:
            assert not result.is_repeat and result.article_id not in self.all_ids
            model.articles[result.article_id] = (doc, minute)
            self.all_ids.add(result.article_id)
        else:
            assert result.is_repeat and result.article_id == expected
        self._touch(chat)

    @rule(chat=st.sampled_from(CHATS), tz=st.sampled_from(["UTC", "Europe/Kyiv"]), on=st.booleans())
    def update_settings(self, chat: int, tz: str, on: bool) -> None:
        self._touch(chat)
        time = "06:45" if on else "20:00"
        self.run(self.db.chats.update(chat, timezone=tz, digest_time=time, digest_enabled=on))
        self.chats[chat].settings = (tz, time, on)

    @rule(chat=st.sampled_from(CHATS), feed=st.sampled_from(FEEDS), include=st.sampled_from(FILTERS))
    def subscribe(self, chat: int, feed: str, include: tuple[str, ...]) -> None:
        self.run(self.db.feeds.subscribe(chat, feed, include=include))
        self._touch(chat)
        self.chats[chat].subscriptions[feed] = include

    @rule(chat=st.sampled_from(CHATS), feed=st.sampled_from(FEEDS))
    def unsubscribe(self, chat: int, feed: str) -> None:
        removed = self.run(self.db.feeds.unsubscribe(chat, feed))
        assert removed == (feed in self.chats[chat].subscriptions)
        self.chats[chat].subscriptions.pop(feed, None)
        self._forget_orphans()

    @rule(
        feed=st.sampled_from(FEEDS),
        picks=st.lists(st.sampled_from(ITEMS), max_size=3),
        minute=st.integers(0, 50),
    )
    def poll(self, feed: str, picks: list[NewFeedItem], minute: int) -> None:
        states = {state.url: state for state in self.run(self.db.feeds.polled_feeds())}
        if feed not in states:
            return  # nobody follows it, so the poller never sees it
        new = self.run(self.db.feeds.add_items(states[feed].id, picks, seen_at=at(minute)))
        known = self.items.setdefault(feed, [])
        expected: list[NewFeedItem] = []
        for item in picks:
            seen = [old for _, old, _ in known] + expected
            if not any(item.guid and o.guid == item.guid or item.link and o.link == item.link for o in seen):
                expected.append(item)
        assert [(n.guid, n.link) for n in new] == [(e.guid, e.link) for e in expected]
        known.extend((n.id, e, minute) for n, e in zip(new, expected, strict=True))
        self.run(self.db.feeds.record_fetch(states[feed].id, checked_at=at(minute), etag=f"e{minute}"))

    @rule(chat=st.sampled_from(CHATS), day=st.sampled_from(DAYS), minute=st.integers(0, 50))
    def record_digest(self, chat: int, day: date, minute: int) -> None:
        recorded = self.run(self.db.digests.record(chat, day, sent_at=at(minute), message_ids=[minute]))
        model = self.chats[chat]
        assert recorded == (day not in model.digests)
        model.digests.setdefault(day, minute)
        self._touch(chat)

    @precondition(lambda self: any(m.exists for m in self.chats.values()))
    @rule(chat=st.sampled_from(CHATS))
    def delete_chat(self, chat: int) -> None:
        deleted = self.run(self.db.delete_chat(chat))
        model = self.chats[chat]
        assert (deleted.existed, deleted.articles, deleted.digests) == (
            model.exists,
            len(model.articles),
            len(model.digests),
        )
        self.chats[chat] = ChatModel()
        self._forget_orphans()

    def _forget_orphans(self) -> None:
        followed = {feed for model in self.chats.values() for feed in model.subscriptions}
        self.items = {feed: items for feed, items in self.items.items() if feed in followed}

    # --- every read of every chat matches that chat's model -----------------------------------------------

    @invariant()
    def reads_match_each_chat(self) -> None:
        if not hasattr(self, "db"):
            return
        db = self.db
        for chat, model in self.chats.items():
            ids = set(model.articles)
            settings_row = self.run(db.chats.get(chat))
            if model.exists:
                assert settings_row is not None and settings_row.chat_id == chat
                assert (
                    settings_row.timezone,
                    settings_row.digest_time,
                    settings_row.digest_enabled,
                ) == model.settings
            else:
                assert settings_row is None
            assert self.run(db.articles.count(chat)) == len(ids)
            recent = self.run(db.articles.recent(chat, limit=1000))
            expected_order = sorted(ids, key=lambda i: (model.articles[i][1], i), reverse=True)
            assert [entry.id for entry in recent] == expected_order
            for article_id in self.all_ids:
                stored = self.run(db.articles.get(chat, article_id))
                if article_id in ids:
                    assert stored is not None and stored.chat_id == chat
                    assert stored.brief == DOCS[model.articles[article_id][0]]
                else:
                    assert stored is None
            assert {a.id for a in self.run(db.articles.received_since(chat, T0))} == ids
            for word in WORDS:
                hits = self.run(db.search.sentences(chat, word, limit=100))
                wanted = {i for i, (d, _) in model.articles.items() if word in DOCS[d].text.casefold()}
                assert {h.article_id for h in hits} == wanted, word
                for hit in hits:
                    assert hit.text == DOCS[model.articles[hit.article_id][0]].sentence_texts()[hit.sentence]
            figures = self.run(db.facts.figures(chat, limit=1000))
            assert sorted(f.article_id for f in figures) == sorted(ids)
            for row in figures:
                assert row.figure == DOCS[model.articles[row.article_id][0]].figures[0]
            assert {f.article_id for f in self.run(db.facts.figures(chat, claimant="kestrel"))} == {
                i
                for i, (d, _) in model.articles.items()
                if "Kestrel" in (DOCS[d].figures[0].claimed_by or "")
            }
            quotes = self.run(db.facts.quotes(chat, speaker="colonel", limit=1000))
            assert {q.article_id for q in quotes} == {
                i for i, (d, _) in model.articles.items() if "Colonel" in DOCS[d].speakers[0].speaker
            }
            subscriptions = self.run(db.feeds.subscriptions(chat))
            assert {s.url: s.include for s in subscriptions} == model.subscriptions
            assert all(s.chat_id == chat for s in subscriptions)
            items = self.run(db.feeds.recent_items(chat, limit=100))
            wanted_items = sorted(
                (
                    (minute, item_id)
                    for feed, include in model.subscriptions.items()
                    for item_id, item, minute in self.items.get(feed, [])
                    if filters_accept(item.title, include, ())
                ),
                reverse=True,
            )
            assert [i.id for i in items] == [item_id for _, item_id in wanted_items]
            for day in DAYS:
                assert self.run(db.digests.has(chat, day)) == (day in model.digests)
            last = self.run(db.digests.last_sent_at(chat))
            assert last == (at(max(model.digests.values())) if model.digests else None)
            exported = json.loads(json.dumps(self.run(db.export_chat(chat))))
            assert {a["id"] for a in exported["articles"]} == ids
            assert {s["url"] for s in exported["subscriptions"]} == set(model.subscriptions)
            assert {d["local_date"] for d in exported["digests"]} == {d.isoformat() for d in model.digests}
            assert (exported["settings"] is not None) == model.exists
        enabled = {c.chat_id for c in self.run(db.chats.with_digest_enabled())}
        assert enabled == {c for c, m in self.chats.items() if m.settings and m.settings[2]}
        followed = {feed for m in self.chats.values() for feed in m.subscriptions}
        assert {f.url for f in self.run(db.feeds.polled_feeds())} == followed


ChatIsolation.TestCase.settings = settings(
    max_examples=30,
    stateful_step_count=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestChatIsolation = ChatIsolation.TestCase


class PostgresChatIsolation(ChatIsolation):
    BACKEND = "postgresql"


PostgresChatIsolation.TestCase.settings = ChatIsolation.TestCase.settings


class TestChatIsolationPostgres(PostgresChatIsolation.TestCase):
    def setUp(self) -> None:
        require("postgresql")  # skipped (failed in CI) without a server
