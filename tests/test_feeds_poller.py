"""bot/poller.py against a real aiohttp site on 127.0.0.1: real feeds, conditional GET, errors and back-off,
dedupe, teasers, filters, per-host limits. The clock is the test's; nothing waits for real time except the
deliberately slow feed (bounded by a 0.5 s fetch deadline)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.feeds import NotAFeed, parse_feed
from bot.poller import PollConfig, Poller, next_attempt, resolve_feed
from storage import Database, open_database
from storage.feed_queries import FeedQueries
from summarize.config import FetchLimits
from summarize.fetch import GuardedClient, make_client
from tests.feeds_support import (
    GRAIN,
    STRIKE_A,
    TALKS,
    FeedSite,
    InlineNlp,
    Item,
    Route,
    TestClock,
    article_page,
    atom,
    no_dns,
    rss,
)
from tests.test_fetch_support import LoopbackOnlyBackend

T0 = datetime(2024, 3, 5, 6, 0, tzinfo=UTC)
LIMITS = FetchLimits(timeout_s=0.5, max_bytes=400_000, allow_loopback=True)


@pytest.fixture
async def site() -> AsyncIterator[FeedSite]:
    async with FeedSite() as running:
        yield running


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    async with open_database(tmp_path / "feeds.sqlite3") as opened:
        yield opened


@pytest.fixture
async def client() -> AsyncIterator[GuardedClient]:
    async with make_client(LIMITS, network_backend=LoopbackOnlyBackend(), resolver=no_dns) as shared:
        yield shared


@pytest.fixture
def clock() -> TestClock:
    return TestClock(T0)


@pytest.fixture
def inline_nlp(nlp) -> InlineNlp:
    return InlineNlp(nlp)


def make_poller(
    db: Database, client: GuardedClient, nlp: InlineNlp, clock: TestClock, **config: object
) -> Poller:
    return Poller(db, client, nlp, limits=LIMITS, config=PollConfig(**config), clock=clock)  # type: ignore[arg-type]


WIRE = [
    Item(
        "Missiles hit Kharkiv power plant, seven killed", "https://wire.example/kharkiv", "w-1", STRIKE_A, T0
    ),
    Item("Prisoner exchange talks resume in Istanbul", "https://wire.example/talks", "w-2", TALKS, T0),
]


async def test_new_items_are_briefed_once_and_filed_per_chat_filters(
    site: FeedSite, db: Database, client: GuardedClient, inline_nlp: InlineNlp, clock: TestClock
) -> None:
    site.routes["/wire.xml"] = Route(rss("Wire Service", WIRE))
    await db.feeds.subscribe(1, site.url("/wire.xml"))
    await db.feeds.subscribe(2, site.url("/wire.xml"), include=["Istanbul"])
    await db.feeds.subscribe(3, site.url("/wire.xml"), exclude=["prisoner"])
    report = await make_poller(db, client, inline_nlp, clock).poll_all()

    [result] = report.results
    assert (result.status, result.new_items, result.briefed, result.stored) == ("updated", 2, 2, 4)
    assert inline_nlp.calls == ["text", "text"]  # full text in the feed: no article fetch, one brief per item
    assert {h.title for h in await db.articles.recent(1)} == {w.title for w in WIRE}
    assert [h.title for h in await db.articles.recent(2)] == ["Prisoner exchange talks resume in Istanbul"]
    assert [h.title for h in await db.articles.recent(3)] == [
        "Missiles hit Kharkiv power plant, seven killed"
    ]
    stored = await db.articles.get(1, (await db.articles.recent(1))[0].id)
    assert stored is not None and stored.kind == "feed" and stored.url in {w.link for w in WIRE}
    [overview] = await FeedQueries(db).overview(1)
    assert (overview.title, overview.items, overview.last_checked, overview.last_error) == (
        "Wire Service",
        2,
        T0,
        None,
    )


async def test_conditional_get_and_dedupe_by_guid_and_link(
    site: FeedSite, db: Database, client: GuardedClient, inline_nlp: InlineNlp, clock: TestClock
) -> None:
    site.routes["/wire.xml"] = Route(rss("Wire Service", WIRE))
    await db.feeds.subscribe(1, site.url("/wire.xml"))
    poller = make_poller(db, client, inline_nlp, clock)
    await poller.poll_all()
    clock.advance(minutes=15)
    again = await poller.poll_all()
    assert again.results[0].status == "not_modified" and site.not_modified["/wire.xml"] == 1
    state = (await db.feeds.polled_feeds())[0]
    assert state.etag and state.last_modified and state.last_checked == clock()

    # The feed changes: one item re-sent with a new guid but the same link, one renamed guid-less... and one new.
    grain = Item(
        "First grain ship leaves Odesa since drone attacks", "https://port.example/grain", "p-1", GRAIN
    )
    same_link = Item(WIRE[0].title + " (updated)", WIRE[0].link, "w-1-v2", STRIKE_A)
    same_guid = Item("Talks resume", "https://wire.example/talks?page=2", "w-2", TALKS)
    site.routes["/wire.xml"] = Route(rss("Wire Service", [grain, same_link, same_guid, *WIRE]))
    clock.advance(minutes=15)
    third = await poller.poll_all()
    assert (third.results[0].status, third.results[0].new_items) == ("updated", 1)
    assert await db.articles.count(1) == 3
    assert inline_nlp.calls.count("text") == 3


async def test_teaser_items_are_briefed_from_their_article(
    site: FeedSite, db: Database, client: GuardedClient, inline_nlp: InlineNlp, clock: TestClock
) -> None:
    site.routes["/story/grain"] = Route(
        article_page("First grain ship leaves Odesa", GRAIN).encode(), content_type="text/html; charset=utf-8"
    )
    teasers = [
        Item(
            "First grain ship leaves Odesa",
            site.url("/story/grain"),
            "t-1",
            "A cargo ship left Odesa on Thursday.",
        ),
        Item(
            "Gone",
            site.url("/story/gone"),
            "t-2",
            "A convoy reached the city of Sumy early on Friday morning.",
        ),
    ]
    site.routes["/teasers.xml"] = Route(atom("Teasers", teasers), content_type="application/atom+xml")
    await db.feeds.subscribe(1, site.url("/teasers.xml"))
    report = await make_poller(db, client, inline_nlp, clock).poll_all()

    assert report.results[0].briefed == 2 and site.requests["/story/grain"] == 1
    by_url = {h.url: h for h in await db.articles.recent(1)}
    article = await db.articles.get(1, by_url[site.url("/story/grain")].id)
    assert (
        article is not None and "45,000 tonnes of wheat" in article.brief.text
    )  # the article, not the teaser
    assert "Copyright test site" not in article.brief.text  # boilerplate left out by extraction
    fallback = await db.articles.get(1, by_url[site.url("/story/gone")].id)
    assert (
        fallback is not None and "convoy reached the city of Sumy" in fallback.brief.text
    )  # 404: the teaser
    assert sorted(inline_nlp.calls) == ["page", "text"]


async def test_errors_are_kept_backed_off_and_cleared(
    site: FeedSite, db: Database, client: GuardedClient, inline_nlp: InlineNlp, clock: TestClock
) -> None:
    site.routes["/broken.xml"] = Route(b"<html><body>Maintenance</body></html>", content_type="text/html")
    site.routes["/down.xml"] = Route(b"oops", status=503)
    for path in ("/broken.xml", "/down.xml"):
        await db.feeds.subscribe(1, site.url(path))
    poller = make_poller(db, client, inline_nlp, clock, backoff_base=timedelta(minutes=5))
    first = {r.url.rsplit("/", 1)[1]: r for r in (await poller.poll_all()).results}
    assert first["broken.xml"].status == "error" and "web page" in (first["broken.xml"].error or "")
    assert first["down.xml"].error == "the site answered HTTP 503"
    overview = {o.url.rsplit("/", 1)[1]: o for o in await FeedQueries(db).overview(1)}
    assert (
        overview["down.xml"].last_error == "the site answered HTTP 503"
        and overview["down.xml"].error_count == 1
    )

    clock.advance(minutes=4)  # inside the back-off: no request at all
    waiting = await poller.poll_all()
    assert {r.status for r in waiting.results} == {"waiting"} and site.requests["/down.xml"] == 1
    clock.advance(minutes=2)  # past 5 minutes: tried again, fails again, now waits 10
    await poller.poll_all()
    state = next(s for s in await db.feeds.polled_feeds() if s.url.endswith("/down.xml"))
    assert state.error_count == 2 and next_attempt(state, poller.config) == clock() + timedelta(minutes=10)

    site.routes["/down.xml"] = Route(rss("Back", WIRE[:1]))
    clock.advance(minutes=10)
    report = {r.url.rsplit("/", 1)[1]: r for r in (await poller.poll_all()).results}
    assert report["down.xml"].status == "updated"
    overview = {o.url.rsplit("/", 1)[1]: o for o in await FeedQueries(db).overview(1)}
    assert overview["down.xml"].last_error is None and overview["down.xml"].error_count == 0


def test_back_off_doubles_and_is_capped() -> None:
    from storage import FeedState

    config = PollConfig(backoff_base=timedelta(minutes=5), backoff_max=timedelta(hours=1))
    waits = [
        next_attempt(FeedState(1, "u", None, None, None, T0, n, "e"), config) - T0  # type: ignore[operator]
        for n in (1, 2, 3, 4, 5, 30)
    ]
    assert waits == [timedelta(minutes=m) for m in (5, 10, 20, 40, 60, 60)]
    assert next_attempt(FeedState(1, "u", None, None, None, T0, 0, None), config) is None


async def test_slow_huge_empty_and_garbage_feeds(
    site: FeedSite, db: Database, client: GuardedClient, inline_nlp: InlineNlp, clock: TestClock
) -> None:
    many = [Item(f"Item {i}", f"https://many.example/{i}", f"m-{i}") for i in range(600)]
    site.routes["/slow.xml"] = Route(rss("Slow", WIRE), delay=2.0)
    site.routes["/huge.xml"] = Route(rss("Huge", many * 10))  # several MB: over the byte cap
    site.routes["/many.xml"] = Route(rss("Many", many))  # under the cap, more items than are read
    site.routes["/empty.xml"] = Route(rss("Empty", []))
    site.routes["/garbage.xml"] = Route(b"\x00\x01\x02 not xml at all", content_type="application/xml")
    for path in site.routes:
        await db.feeds.subscribe(1, site.url(path))
    report = await make_poller(db, client, inline_nlp, clock, first_poll_briefs=0).poll_all()
    results = {r.url.rsplit("/", 1)[1]: r for r in report.results}
    assert results["slow.xml"].error == "the site took too long to answer"
    assert results["huge.xml"].error == f"the feed is larger than {LIMITS.max_bytes:,} bytes"
    assert results["garbage.xml"].status == "error"
    assert (results["empty.xml"].status, results["empty.xml"].new_items) == ("updated", 0)
    assert results["many.xml"].new_items == 200  # MAX_ENTRIES
    assert results["many.xml"].briefed == 0 and inline_nlp.calls == []  # first_poll_briefs=0


async def test_first_poll_briefs_only_the_newest_items(
    site: FeedSite, db: Database, client: GuardedClient, inline_nlp: InlineNlp, clock: TestClock
) -> None:
    items = [
        Item(f"Report {i}", f"https://r.example/{i}", f"r-{i}", TALKS, T0 - timedelta(hours=i))
        for i in range(6)
    ]
    site.routes["/r.xml"] = Route(rss("R", list(reversed(items))))  # oldest first in the document
    await db.feeds.subscribe(1, site.url("/r.xml"))
    report = await make_poller(db, client, inline_nlp, clock, first_poll_briefs=2).poll_all()
    assert (report.results[0].new_items, report.results[0].briefed) == (6, 2)
    # Only the two newest; the same text means the second is a repeat for the chat (stored once).
    [stored] = await db.articles.recent(1)
    assert stored.url in ("https://r.example/0", "https://r.example/1")


async def test_per_host_limit(
    site: FeedSite, db: Database, client: GuardedClient, inline_nlp: InlineNlp, clock: TestClock
) -> None:
    for i in range(6):
        site.routes[f"/f{i}.xml"] = Route(rss(f"F{i}", []), delay=0.1)
        await db.feeds.subscribe(1, site.url(f"/f{i}.xml"))
    report = await make_poller(db, client, inline_nlp, clock, per_host=2).poll_all()
    assert report.count("updated") == 6
    assert site.max_in_flight == 2


async def test_shared_feed_files_served_and_polled(
    shared_dir: Path,
    site: FeedSite,
    db: Database,
    client: GuardedClient,
    inline_nlp: InlineNlp,
    clock: TestClock,
) -> None:
    folder = shared_dir / "data/news_feeds_rss_atom"
    if not folder.is_dir():
        pytest.skip("shared feed files not present")
    files = sorted(p for p in folder.iterdir() if p.suffix in (".xml", ".atom"))
    for path in files:
        kind = "application/atom+xml" if path.suffix == ".atom" else "application/rss+xml"
        site.routes[f"/{path.name}"] = Route(path.read_bytes(), content_type=kind)
        await db.feeds.subscribe(1, site.url(f"/{path.name}"))
    report = await make_poller(db, client, inline_nlp, clock, first_poll_briefs=0).poll_all()
    assert report.count("updated") == len(files) and report.count("error") == 0
    for result in report.results:
        name = result.url.rsplit("/", 1)[1]
        expected = parse_feed((folder / name).read_bytes(), url=result.url)
        assert result.new_items == len({(e.guid, e.link) for e in expected.entries}), name
    # The TPM feed carries full text: brief two of its items without touching the network.
    tpm = await db.feeds.subscribe(2, site.url("/node-feedparser__tpm.atom"))
    tpm_poller = make_poller(db, client, inline_nlp, clock, max_briefs_per_feed=2)
    site.routes["/node-feedparser__tpm.atom"].etag = False
    site.routes["/node-feedparser__tpm.atom"].body = (
        site.routes["/node-feedparser__tpm.atom"]
        .body.replace(b"ArticleDecorator/270060", b"ArticleDecorator/999999")
        .replace(b"/livewire/hannity-announces", b"/livewire/new-hannity-announces")
    )
    clock.advance(minutes=10)
    result = next(r for r in (await tpm_poller.poll_all()).results if r.feed_id == tpm.feed_id)
    assert result.new_items == 1 and result.briefed == 1
    [entry] = await db.articles.recent(2)
    assert entry.url and entry.url.startswith(site.url("/livewire/new-hannity"))


async def test_resolve_feed_autodiscovers_from_a_site_page(site: FeedSite, client: GuardedClient) -> None:
    site.routes["/wire.xml"] = Route(rss("Wire Service", WIRE))
    site.routes["/"] = Route(
        b'<!doctype html><html><head><link rel="alternate" type="application/rss+xml" href="/wire.xml">'
        b"</head><body>Front page</body></html>",
        content_type="text/html",
    )
    site.routes["/plain"] = Route(
        b"<!doctype html><html><body>No feed here</body></html>", content_type="text/html"
    )
    resolved = await resolve_feed(site.url("/"), client=client, limits=LIMITS)
    assert resolved.url == site.url("/wire.xml") and resolved.feed.title == "Wire Service"
    direct = await resolve_feed(site.url("/wire.xml"), client=client, limits=LIMITS)
    assert len(direct.feed.entries) == 2
    with pytest.raises(NotAFeed):
        await resolve_feed(site.url("/plain"), client=client, limits=LIMITS)
