"""Helpers for the feed tests: our own short war-news articles, RSS/Atom documents built from them, and a
loopback aiohttp site that serves feeds and article pages with real ETag / Last-Modified handling."""

from __future__ import annotations

import asyncio
import hashlib
import html
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

from aiohttp import web

from summarize.fetch import FetchedPage
from summarize.model import Brief
from summarize.pipeline import brief_from_html, brief_from_page, brief_from_text

# Written for these tests (not taken from any outlet). Two reports of the same strike, one of talks.
STRIKE_A = (
    "Russian missiles struck a power plant in Kharkiv overnight, killing at least 7 people, regional governor "
    "Oleh Syniehubov said on Tuesday.\n\n"
    "Syniehubov said 23 people were wounded and that rescuers were still searching the rubble of a nearby "
    "apartment block. The plant supplied heat to about 40,000 homes, the city council said.\n\n"
    "Ukraine's air force said it shot down 12 of the 18 missiles launched in the attack. Russia's defence "
    "ministry said its forces had hit energy facilities used by the Ukrainian military.\n\n"
    "Repair crews began work at dawn, but officials warned that full power would not return for weeks.\n\n"
    "Residents of the surrounding district were told to use shelters at schools and metro stations, where "
    "volunteers handed out blankets and hot food. The mayor said the city had prepared generators for "
    "hospitals and water pumping stations before the winter."
)
STRIKE_B = (
    "At least 7 people were killed when Russian missiles struck a power plant in Kharkiv overnight, the "
    "regional governor said.\n\n"
    "Governor Oleh Syniehubov said 23 others were wounded in the attack, which damaged a nearby apartment "
    "block. Emergency services said the search for survivors would continue through the night.\n\n"
    "The air force said 12 of 18 missiles had been intercepted. Moscow said it had targeted military "
    "energy infrastructure.\n\n"
    "The city council said heating had been cut to about 40,000 homes as temperatures fell below freezing.\n\n"
    "Local officials urged people to charge phones and power banks while electricity was still available, "
    "and schools in three districts switched to remote lessons for the rest of the week. Energy engineers "
    "said the grid in the region had been hit repeatedly since the start of the heating season."
)
TALKS = (
    "Negotiators from both sides met in Istanbul on Wednesday for a third round of talks on a prisoner "
    "exchange, Turkey's foreign ministry said.\n\n"
    "The ministry said the delegations discussed the release of 300 prisoners and the return of the bodies "
    "of fallen soldiers. No agreement was announced by evening.\n\n"
    "A Ukrainian official involved in the talks said the sides were close to a deal on the first 100 "
    "prisoners. Russian state media reported that the next round could take place within two weeks.\n\n"
    "Families of captured soldiers gathered outside the venue holding photographs of their relatives. A "
    "representative of the families said they had waited months for news and asked both governments to "
    "allow visits by the International Committee of the Red Cross before any exchange took place."
)
GRAIN = (
    "A cargo ship carrying 45,000 tonnes of wheat left the port of Odesa on Thursday, the first to sail "
    "since drone attacks damaged the terminal last month, port officials said.\n\n"
    "The ministry of infrastructure said a further 12 vessels were waiting to load. Insurers have raised "
    "premiums for ships calling at Black Sea ports since the attacks began.\n\n"
    "Officials said the terminal was operating at about half of its capacity while repairs continued.\n\n"
    "Traders said the departure was a signal that shipments could resume despite the risk, but warned that "
    "costs would stay high as long as the attacks continued. Farmers in the south said their storage was "
    "nearly full and that they needed the port to work at full capacity before the next harvest."
)


@dataclass(frozen=True)
class Item:
    title: str
    link: str | None
    guid: str | None = None
    description: str = ""
    published: datetime | None = None


def _date(moment: datetime | None) -> str:
    return format_datetime(moment.astimezone(UTC), usegmt=True) if moment else ""


def rss(title: str, items: Sequence[Item], *, link: str = "https://example.org/") -> bytes:
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>',
        f"<title>{html.escape(title)}</title><link>{html.escape(link)}</link><description>test</description>",
    ]
    for item in items:
        parts.append("<item>")
        parts.append(f"<title>{html.escape(item.title)}</title>")
        if item.link:
            parts.append(f"<link>{html.escape(item.link)}</link>")
        if item.guid:
            parts.append(f'<guid isPermaLink="false">{html.escape(item.guid)}</guid>')
        if item.description:
            parts.append(f"<description>{html.escape(item.description)}</description>")
        if item.published:
            parts.append(f"<pubDate>{_date(item.published)}</pubDate>")
        parts.append("</item>")
    parts.append("</channel></rss>\n")
    return "".join(parts).encode("utf-8")


def atom(title: str, items: Sequence[Item]) -> bytes:
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">',
        f"<title>{html.escape(title)}</title><id>urn:test:{html.escape(title)}</id>",
        "<updated>2024-03-01T00:00:00Z</updated>",
    ]
    for item in items:
        parts.append("<entry>")
        parts.append(f"<title>{html.escape(item.title)}</title>")
        parts.append(f"<id>{html.escape(item.guid or item.link or item.title)}</id>")
        if item.link:
            parts.append(f'<link rel="alternate" href="{html.escape(item.link)}"/>')
        when = (item.published or datetime(2024, 3, 1, tzinfo=UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")
        parts.append(f"<updated>{when}</updated>")
        if item.description:
            paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in item.description.split("\n\n"))
            parts.append(f'<content type="html">{html.escape(paragraphs)}</content>')
        parts.append("</entry>")
    parts.append("</feed>\n")
    return "".join(parts).encode("utf-8")


def article_page(title: str, text: str) -> str:
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n\n"))
    return (
        f"<!doctype html><html><head><title>{html.escape(title)}</title></head><body>"
        f"<nav>Home | World | Europe</nav><article><h1>{html.escape(title)}</h1>{paragraphs}</article>"
        "<footer>Copyright test site</footer></body></html>"
    )


@dataclass
class Route:
    body: bytes
    content_type: str = "application/rss+xml"
    status: int = 200
    delay: float = 0.0  # seconds before answering (slow feeds)
    etag: bool = True  # send ETag / Last-Modified and honour conditional requests
    last_modified: datetime = field(default_factory=lambda: datetime(2024, 3, 1, 8, 0, tzinfo=UTC))


class FeedSite:
    """A loopback site: `routes[path] = Route(...)`; counts requests and 304s per path."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: Counter[str] = Counter()
        self.not_modified: Counter[str] = Counter()
        self.in_flight = 0
        self.max_in_flight = 0
        self._runner: web.AppRunner | None = None
        self.port = 0

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        path = request.path_qs
        self.requests[path] += 1
        route = self.routes.get(path)
        if route is None:
            return web.Response(status=404, text="not found")
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            if route.delay:
                await asyncio.sleep(route.delay)
            headers: dict[str, str] = {}
            if route.etag and route.status == 200:
                tag = '"' + hashlib.sha1(route.body).hexdigest()[:16] + '"'
                headers = {"ETag": tag, "Last-Modified": _date(route.last_modified)}
                if request.headers.get("If-None-Match") == tag:
                    self.not_modified[path] += 1
                    return web.Response(status=304, headers=headers)
            return web.Response(
                status=route.status, body=route.body, headers={**headers, "Content-Type": route.content_type}
            )
        finally:
            self.in_flight -= 1

    async def __aenter__(self) -> FeedSite:
        app = web.Application()
        app.router.add_route("GET", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._runner is not None:
            await self._runner.cleanup()


class InlineNlp:
    """The NLP pool's interface (bot.nlp_pool.NlpPool) running the real pipeline in the test's process,
    with the session's spaCy model: tests skip spawning worker processes, nothing else changes."""

    workers = 1

    def __init__(self, nlp: object) -> None:
        self._nlp = nlp
        self.calls: list[str] = []

    async def start(self) -> InlineNlp:
        return self

    async def close(self) -> None:
        return None

    async def brief_text(self, text: str, **kwargs: object) -> Brief:
        self.calls.append("text")
        return brief_from_text(text, nlp=self._nlp, **kwargs)  # type: ignore[arg-type]

    async def brief_html(self, html_text: str | bytes, **kwargs: object) -> Brief:
        self.calls.append("html")
        return brief_from_html(html_text, nlp=self._nlp, **kwargs)  # type: ignore[arg-type]

    async def brief_page(self, page: FetchedPage, **kwargs: object) -> Brief:
        self.calls.append("page")
        return brief_from_page(page, nlp=self._nlp, **kwargs)  # type: ignore[arg-type]


class TestClock:
    """Time as the test decides: call it for "now", `advance()` to move on. Never sleeps."""

    __test__ = False  # not a test class despite the name

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now = self.now + timedelta(**delta)
        return self.now


async def no_dns(host: str, port: int) -> list[str]:
    """A resolver that knows no names: a feed item linking to a real site can never reach the network."""
    raise OSError(f"no DNS in tests ({host})")
