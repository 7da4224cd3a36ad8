"""Feeds benchmark: poll 100 feeds of 50 items on a loopback server; build digests for a chat with 50 feeds.

Polling is measured without NLP (`first_poll_briefs=0`): fetching, parsing, dedupe and storing. The NLP
cost each new item adds is measured apart, as the median time to brief one item's text in this process.
Feed items are the BBC articles of ../shared/data/bbc_news_summary_extractive (titles and first
paragraphs), spread over the feeds; the feeds are served from ten loopback addresses (127.0.0.1-10) so the
per-host limit acts as it would across real sites. Briefs for the digest are built without NLP: sentences
split on punctuation, digit runs as figures (claimed by "officials"), so only the digest's own work is timed.
"""

from __future__ import annotations

import asyncio
import html
import json
import re
import resource
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from aiohttp import web

from bot.digest import DigestArticle, build_digest, collect_digest, render_digest
from bot.poller import PollConfig, Poller
from storage import ArticleSource, open_database
from summarize.config import FetchLimits
from summarize.fetch import make_client
from summarize.model import Brief, Figure, SummarySentence

FEEDS = 100
ITEMS = 50
HOSTS = 10
DIGEST_FEEDS = 50
DIGEST_ITEMS_PER_FEED = 20
NOW = datetime(2024, 3, 5, 6, 0, tzinfo=UTC)
_SENTENCE = re.compile(r"\S.*?(?:[.!?][\"'”’)]*(?=\s)|$)", re.DOTALL)
_NUMBER = re.compile(r"\d[\d,.]*\d|\d")
_CATEGORIES = ("killed", "wounded", "displaced", "troops", "money")


def _articles(shared: Path) -> list[tuple[str, str]]:
    path = shared / "data/bbc_news_summary_extractive/items.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [(row["title"], row["article_text"]) for row in rows]


def _rss(feed: int, articles: list[tuple[str, str]]) -> bytes:
    parts = [f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Feed {feed}</title>']
    for i in range(ITEMS):
        title, text = articles[(feed * 7 + i) % len(articles)]
        lead = text.split("\n\n")[1] if "\n\n" in text else text[:400]
        parts.append(
            f"<item><title>{html.escape(title)}</title><link>https://feed{feed}.example/{i}</link>"
            f"<guid>f{feed}-{i}</guid><description>{html.escape(lead)}</description>"
            f"<pubDate>Tue, 05 Mar 2024 0{i % 6}:00:00 GMT</pubDate></item>"
        )
    parts.append("</channel></rss>")
    return "".join(parts).encode("utf-8")


async def _serve(bodies: dict[str, bytes]) -> tuple[web.AppRunner, int]:
    async def handle(request: web.Request) -> web.Response:
        body = bodies[request.path]
        tag = f'"{hash(body) & 0xFFFFFFFF:x}"'
        if request.headers.get("If-None-Match") == tag:
            return web.Response(status=304, headers={"ETag": tag})
        return web.Response(body=body, headers={"ETag": tag, "Content-Type": "application/rss+xml"})

    app = web.Application()
    app.router.add_get("/{name}", handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    first = web.TCPSite(runner, "127.0.0.1", 0)
    await first.start()
    port = runner.addresses[0][1]
    for host in range(2, HOSTS + 1):
        await web.TCPSite(runner, f"127.0.0.{host}", port).start()
    return runner, port


class _NoNlp:
    async def brief_text(self, *args: object, **kwargs: object) -> Brief:
        raise AssertionError("the polling benchmark briefs nothing")

    async def brief_page(self, *args: object, **kwargs: object) -> Brief:
        raise AssertionError("the polling benchmark briefs nothing")


async def _polling(articles: list[tuple[str, str]], folder: Path) -> list[str]:
    bodies = {f"/feed{n}.xml": _rss(n, articles) for n in range(FEEDS)}
    runner, port = await _serve(bodies)
    lines = []
    try:
        async with open_database(folder / "poll.sqlite3") as db:
            for n in range(FEEDS):
                await db.feeds.subscribe(1 + n // 20, f"http://127.0.0.{1 + n % HOSTS}:{port}/feed{n}.xml")
            limits = FetchLimits(timeout_s=30, allow_loopback=True)
            async with make_client(limits, max_connections=40) as client:
                clock = [NOW]
                poller = Poller(
                    db,
                    client,
                    _NoNlp(),
                    limits=limits,
                    config=PollConfig(first_poll_briefs=0),
                    clock=lambda: clock[0],
                )  # type: ignore[arg-type]
                lines.append("| pass | time (s) | feeds/s | new items | process peak RSS after (MB) |")
                lines.append("|---|---:|---:|---:|---:|")
                for label in ("first (all new)", "second (all 304)", "third (changed, all known)"):
                    if label.startswith("third"):
                        for key in bodies:  # same items, new bytes: full fetch and parse, nothing new
                            bodies[key] = bodies[key].replace(b"</channel>", b"<!-- v2 --></channel>")
                    clock[0] += timedelta(minutes=15)
                    started = time.perf_counter()
                    report = await poller.poll_all()
                    elapsed = time.perf_counter() - started
                    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux
                    assert report.count("error") == 0, [r.error for r in report.results if r.error]
                    lines.append(
                        f"| {label} | {elapsed:.2f} | {FEEDS / elapsed:.0f} | {report.new_items} | {peak:.1f} |"
                    )
    finally:
        await runner.cleanup()
    return lines


def _brief(title: str, text: str, url: str, figure_every: int) -> Brief:
    sentences = [
        m.group(0).strip() for m in _SENTENCE.finditer(text.replace("\n", " ")) if m.group(0).strip()
    ]
    spans, offset, joined = [], 0, " ".join(sentences)
    for sentence in sentences:
        spans.append((offset, offset + len(sentence)))
        offset += len(sentence) + 1
    figures = []
    for index, sentence in enumerate(sentences):
        for k, match in enumerate(_NUMBER.finditer(sentence)):
            if (index + k) % figure_every == 0:
                figures.append(
                    Figure(
                        match.group(0),
                        None,
                        None,
                        None,
                        None,
                        None,
                        _CATEGORIES[k % 5],
                        "people",
                        "officials",
                        None,
                        None,
                        index,
                    )  # type: ignore[arg-type]
                )
    return Brief(
        title=title,
        dateline=None,
        url=url,
        language="en",
        sentences=len(sentences),
        summary=tuple(SummarySentence(s, i) for i, s in enumerate(sentences[:3])),
        figures=tuple(figures),
        text=joined,
        sentence_spans=tuple(spans),
    )


def _digest_articles(articles: list[tuple[str, str]]) -> list[DigestArticle]:
    found = []
    for feed in range(DIGEST_FEEDS):
        for i in range(DIGEST_ITEMS_PER_FEED):
            title, text = articles[(feed * 3 + i) % len(articles)]  # stories recur across feeds
            text += f"\n\nThis copy was filed by feed {feed} as item {i}."  # distinct text: no storage repeat
            url = f"https://feed{feed}.example/{i}"
            received = NOW - timedelta(minutes=feed * 7 + i * 13)
            found.append(
                DigestArticle(len(found) + 1, f"Feed {feed}", url, received, _brief(title, text, url, 3))
            )
    return found


async def _stored_digest(articles: list[tuple[str, str]], folder: Path) -> float:
    """collect_digest (storage query + build) for a chat whose 20 feeds filed 1,000 articles today."""
    async with open_database(folder / "digest.sqlite3") as db:
        for n, item in enumerate(_digest_articles(articles)):
            if n % DIGEST_ITEMS_PER_FEED == 0 and n // DIGEST_ITEMS_PER_FEED < 20:
                await db.feeds.subscribe(1, f"https://feed{n // DIGEST_ITEMS_PER_FEED}.example/rss")
            source = ArticleSource(kind="feed", received_at=item.received_at, url=item.url)
            await db.articles.add(1, source, item.brief)
        times = []
        for _ in range(5):
            started = time.perf_counter()
            digest = await collect_digest(db, 1, now=NOW, since=NOW - timedelta(days=1))
            render_digest(digest, tz=UTC)
            times.append(time.perf_counter() - started)
        return statistics.median(times)


def _briefing_ms(articles: list[tuple[str, str]]) -> float:
    from summarize.parse import load_nlp
    from summarize.pipeline import brief_from_text

    nlp = load_nlp()
    times = []
    for title, text in articles[:10]:
        started = time.perf_counter()
        brief_from_text(text, title=title, nlp=nlp)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def report(shared: Path) -> str:
    if not (shared / "data/bbc_news_summary_extractive/items.jsonl").is_file():
        return "feeds: skipped: ../shared/data/bbc_news_summary_extractive is missing (item texts)"
    articles = _articles(shared)
    out = [
        f"## Feeds: polling {FEEDS} feeds × {ITEMS} items on loopback ({HOSTS} hosts, per-host limit 2)",
        "",
    ]
    with tempfile.TemporaryDirectory() as tmp:
        out += asyncio.run(_polling(articles, Path(tmp)))
        digest_articles = _digest_articles(articles)
        build_times = []
        for _ in range(5):
            started = time.perf_counter()
            digest = build_digest(digest_articles, since=NOW - timedelta(days=1), now=NOW)
            messages = render_digest(digest, tz=UTC)
            build_times.append(time.perf_counter() - started)
        stored = asyncio.run(_stored_digest(articles, Path(tmp)))
    out += [
        "",
        f"## Digest for a chat with {DIGEST_FEEDS} feeds × {DIGEST_ITEMS_PER_FEED} items "
        f"({len(digest_articles)} articles)",
        "",
        "| step | median (ms) |",
        "|---|---:|",
        f"| group + rank + render ({len(digest.stories) + digest.more} stories, {len(messages)} message(s)) "
        f"| {statistics.median(build_times) * 1000:.0f} |",
        f"| storage query + build + render (1,000 stored articles, 20 feeds: the per-chat limit) | {stored * 1000:.0f} |",
        f"| NLP: brief one item's text (median of 10, one process) | {_briefing_ms(articles):.0f} |",
    ]
    return "\n".join(out)
