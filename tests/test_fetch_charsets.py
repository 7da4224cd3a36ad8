"""Issue 12 row 6: charsets that are not text encodings (base64, rot13, hex, zlib, undefined), declared in
a header, a <meta> or an XML declaration, are read as UTF-8 instead of raising `LookupError`; one such
feed or item never fails a polling pass, and /subscribe never apologises after it stored the feed."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.nlp_pool import NlpPool
from bot.poller import PollConfig, Poller
from storage import Database, open_database
from summarize.config import FetchLimits
from summarize.fetch import FEED, GuardedClient, decode_body, fetch, make_client
from tests.bot_support import *  # noqa: F403 - the fixtures (bot_nlp_pool)
from tests.feeds_support import (
    GRAIN,
    TALKS,
    FeedSite,
    InlineNlp,
    Item,
    Route,
    TestClock,
    article_page,
    no_dns,
    rss,
)
from tests.test_feeds_bot import CHAT, feed_bot
from tests.test_fetch_support import LoopbackOnlyBackend

LIMITS = FetchLimits(timeout_s=2.0, max_bytes=400_000, allow_loopback=True)
NOT_TEXT = ["base64", "rot13", "hex", "zlib", "undefined", "bz2", "uu", "quopri", "utf-7", "idna"]
T0 = datetime(2024, 3, 5, 6, 0, tzinfo=UTC)
GRAIN_TITLE = "First grain ship leaves Odesa since drone attacks"


@pytest.fixture
async def site() -> AsyncIterator[FeedSite]:
    async with FeedSite() as running:
        yield running


@pytest.fixture
async def client() -> AsyncIterator[GuardedClient]:
    async with make_client(LIMITS, network_backend=LoopbackOnlyBackend(), resolver=no_dns) as shared:
        yield shared


@pytest.mark.parametrize("label", NOT_TEXT)
def test_decode_body_falls_back_to_utf8_for_codecs_that_are_no_charset(label: str) -> None:
    body = "<p>Харків — “7 killed”</p>".encode()
    assert decode_body(body, "text/html", label) == body.decode()
    meta = f"<meta charset={label}><p>Харків</p>".encode()
    assert decode_body(meta, "text/html", None) == meta.decode()
    xml = f"<?xml version='1.0' encoding='{label}'?><rss><title>Київ</title></rss>".encode()
    assert decode_body(xml, "application/xml", None) == xml.decode()


@pytest.mark.parametrize("label", NOT_TEXT)
async def test_pages_declaring_such_charsets_are_fetched(
    site: FeedSite, client: GuardedClient, label: str
) -> None:
    text = "<html><body><p>Одеса: port reopened</p></body></html>"
    site.routes["/header"] = Route(text.encode(), content_type=f"text/html; charset={label}")
    site.routes["/meta"] = Route(
        f"<html><head><meta charset='{label}'></head><body><p>Одеса</p></body></html>".encode(),
        content_type="text/html",
    )
    site.routes["/xml"] = Route(
        f"<?xml version='1.0' encoding='{label}'?><rss version='2.0'><channel><title>Київ</title></channel></rss>".encode(),
        content_type="application/rss+xml",
    )
    assert (await fetch(site.url("/header"), limits=LIMITS, client=client)).text == text
    assert "Одеса" in (await fetch(site.url("/meta"), limits=LIMITS, client=client)).text
    assert "Київ" in (await fetch(site.url("/xml"), limits=LIMITS, client=client, accept=FEED)).text


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    async with open_database(tmp_path / "feeds.sqlite3") as opened:
        yield opened


async def test_one_bad_feed_never_fails_the_polling_pass(
    site: FeedSite, db: Database, client: GuardedClient, nlp: object
) -> None:
    """A feed declaring `undefined`, a feed whose teaser links to a `charset=base64` page, and a good feed:
    one pass reads all three (before the fix the teaser's LookupError escaped and ended the whole pass)."""
    site.routes["/story/grain"] = Route(
        article_page(GRAIN_TITLE, GRAIN).encode(), content_type="text/html; charset=base64"
    )
    teaser = Item(GRAIN_TITLE, site.url("/story/grain"), "g1", "A ship left Odesa.")
    site.routes["/teaser.xml"] = Route(rss("Port News", [teaser]))
    undefined = rss(
        "Undefined Wire", [Item("Talks resume in Istanbul", "https://wire.example/t", "t1", TALKS)]
    )
    site.routes["/undefined.xml"] = Route(undefined.replace(b'encoding="UTF-8"', b'encoding="undefined"'))
    site.routes["/good.xml"] = Route(
        rss("Good Wire", [Item("Talks again", "https://good.example/t", "x", TALKS)])
    )
    for chat, path in ((1, "/teaser.xml"), (2, "/undefined.xml"), (3, "/good.xml")):
        await db.feeds.subscribe(chat, site.url(path))

    poller = Poller(db, client, InlineNlp(nlp), limits=LIMITS, config=PollConfig(), clock=lambda: T0)
    report = await poller.poll_all()

    assert sorted(r.status for r in report.results) == ["updated"] * 3, report
    assert [h.title for h in await db.articles.recent(1)] == [GRAIN_TITLE]
    assert [h.title for h in await db.articles.recent(2)] == ["Talks resume in Istanbul"]
    assert [h.title for h in await db.articles.recent(3)] == ["Talks again"]


async def test_subscribe_answers_following_not_an_apology(
    tmp_path: Path, bot_nlp_pool: NlpPool, site: FeedSite
) -> None:
    site.routes["/story/grain"] = Route(
        article_page(GRAIN_TITLE, GRAIN).encode(), content_type="text/html; charset=rot13"
    )
    site.routes["/port.xml"] = Route(
        rss("Port News", [Item(GRAIN_TITLE, site.url("/story/grain"), "g1", "A ship left Odesa.")])
    )
    async with feed_bot(tmp_path, bot_nlp_pool, TestClock(T0)) as bot:
        replies = await bot.send(CHAT, f"/subscribe {site.url('/port.xml')}")
        assert [r.text.splitlines()[0] for r in replies] == ["Following Port News"]
        assert "1 of the newest briefed" in replies[0].text
        assert bot.errors == []
        assert [h.title for h in await bot.services.db.articles.recent(CHAT)] == [GRAIN_TITLE]
