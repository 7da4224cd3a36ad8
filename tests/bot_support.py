"""Shared fixtures for bot tests: the real Application on a local Bot API server, a local article server,
a temporary database and one NLP process pool for the whole session.

Use from a test module (pytest finds fixtures by the names imported into the module):

    from tests.bot_support import *  # noqa: F403 - the fixtures (article_server, bot_nlp_pool, harness)
    from tests.bot_support import ArticleServer, BotHarness

    async def test_something(harness: BotHarness, article_server: ArticleServer) -> None:
        url = article_server.add("/a", ARTICLE_HTML)
        replies = await harness.send(1, url)          # pushes, waits until the bot is done, returns its replies
        assert "Key figures" in replies[-1].text      # .text: what the user sees; .raw_text: the HTML sent

`harness.press(chat, message, data)` presses an inline button; `harness.push(...)` takes any
`LocalBotApi.push_*` coroutine; `harness.errors` lists exceptions that reached PTB's error handlers (the
bot answers them politely; a test that expects none asserts it is empty). `make_harness(...)` builds one
with other settings or extra handler modules (e.g. `modules=(*HANDLER_MODULES, "bot.handlers.ask")`).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sqlite3
import sys
from collections.abc import AsyncIterator, Awaitable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from aiohttp import web
from telegram.ext import Application

from bot.app import HANDLER_MODULES, build_application, running
from bot.local_api import BotMessage, LocalBotApi, Pushed
from bot.nlp_pool import NlpPool
from bot.services import Services, services
from bot.settings import Settings
from summarize.config import FetchLimits

__all__ = ["article_server", "bot_nlp_pool", "harness"]  # the fixtures, for `import *`

TOKEN = "123456:TEST"
TEST_WORKERS = int(os.environ.get("BOT_TEST_WORKERS", "2"))


class ArticleServer:
    """Article pages on 127.0.0.1: `add(path, body, content_type=..., delay=...)` returns the page's URL."""

    def __init__(self) -> None:
        self._pages: dict[str, tuple[bytes, str, float, int]] = {}
        self._runner: web.AppRunner | None = None
        self.port = 0
        self.hits: dict[str, int] = {}

    def add(
        self,
        path: str,
        body: str | bytes,
        *,
        content_type: str = "text/html; charset=utf-8",
        delay: float = 0.0,
        status: int = 200,
    ) -> str:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self._pages[path] = (data, content_type, delay, status)
        return self.url(path)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    async def _serve(self, request: web.Request) -> web.Response:
        page = self._pages.get(request.path)
        self.hits[request.path] = self.hits.get(request.path, 0) + 1
        if page is None:
            return web.Response(status=404, text="not found")
        data, content_type, delay, status = page
        if delay:
            await asyncio.sleep(delay)
        return web.Response(body=data, status=status, headers={"Content-Type": content_type})

    async def start(self) -> ArticleServer:
        app = web.Application()
        app.router.add_route("GET", "/{tail:.*}", self._serve)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None


@dataclass
class BotHarness:
    api: LocalBotApi
    application: Application
    settings: Settings
    errors: list[BaseException] = field(default_factory=list)

    @property
    def services(self) -> Services:
        return services(self.application)

    async def idle(self, timeout: float = 60.0) -> None:
        await self.api.wait_idle(quiet=0.05, timeout=timeout, application=self.application)

    async def push(self, pushing: Awaitable[Pushed], *, timeout: float = 60.0) -> list[BotMessage]:
        """Run a `LocalBotApi.push_*` call, wait until the bot is done, return its messages since."""
        pushed = await pushing
        await self.idle(timeout)
        return self.api.messages(pushed.chat_id, after=pushed.message_id or 0)

    async def send(self, chat_id: int, text: str, **kwargs: object) -> list[BotMessage]:
        return await self.push(self.api.push_text(chat_id, text, **kwargs))  # type: ignore[arg-type]

    async def press(self, chat_id: int, message_id: int, data: str) -> list[BotMessage]:
        before = max((m.message_id for m in self.api.messages(chat_id, include_deleted=True)), default=0)
        await self.api.push_callback(chat_id, message_id, data)
        await self.idle()
        return self.api.messages(chat_id, after=before)


def bot_test_settings(tmp_path: Path, **changes: object) -> Settings:
    """Settings for tests: a database in tmp_path, loopback fetching allowed, short timeouts."""
    base = Settings(
        token=TOKEN,
        database_path=tmp_path / "bot.sqlite3",
        nlp_workers=TEST_WORKERS,
        fetch=FetchLimits(timeout_s=5.0, allow_loopback=True),
        default_timezone="Europe/Kyiv",
    )
    return base.with_changes(**changes)


@contextlib.asynccontextmanager
async def make_harness(
    tmp_path: Path,
    nlp: NlpPool,
    *,
    modules: Iterable[str] = HANDLER_MODULES,
    rate_limiter: bool = True,
    api: LocalBotApi | None = None,
    **changes: object,
) -> AsyncIterator[BotHarness]:
    """A running bot on a fresh LocalBotApi (or `api`, started by the caller) with a fresh database (the
    NLP pool is shared and not closed). `rate_limiter=False` drops PTB's AIORateLimiter (1 message a
    second per chat), for tests that push thousands of updates."""
    async with contextlib.AsyncExitStack() as stack:
        if api is None:
            api = await stack.enter_async_context(LocalBotApi(token=TOKEN))
        settings = bot_test_settings(tmp_path, base_url=api.base_url, **changes)
        application = build_application(settings, nlp=nlp, modules=modules, rate_limiter=rate_limiter)
        harness = BotHarness(api, application, settings)

        async def record(update: object, context: object) -> None:
            harness.errors.append(context.error)  # type: ignore[attr-defined]

        application.add_error_handler(record)
        async with running(application):
            yield harness
            await harness.idle()


@pytest.fixture(scope="session")
def bot_nlp_pool() -> Iterator[NlpPool]:
    """One NLP process pool (BOT_TEST_WORKERS workers, default 2) for every bot test of the session."""
    pool = NlpPool(TEST_WORKERS)
    asyncio.run(pool.start())
    yield pool
    pool.close_now()


@pytest.fixture
async def article_server() -> AsyncIterator[ArticleServer]:
    server = await ArticleServer().start()
    try:
        yield server
    finally:
        await server.stop()


@pytest.fixture
async def harness(tmp_path: Path, bot_nlp_pool: NlpPool) -> AsyncIterator[BotHarness]:
    async with make_harness(tmp_path, bot_nlp_pool) as running_harness:
        yield running_harness


# -- test articles (written for these tests; invented events) ------------------------------------------------

ARTICLE_TITLE = "Shelling of Zarichne kills 12, regional governor says"
ARTICLE_TEXT = """\
Shelling of the river town of Zarichne killed 12 civilians and wounded 31 on Tuesday, the regional governor said.

Governor Olena Marchenko said rescuers were still searching the rubble of two apartment blocks near the central market.

"We have recovered 12 bodies so far, and at least 31 people are in hospital," Marchenko told reporters in the regional capital.

The army's southern command said its air defences shot down 14 of 20 drones launched overnight.

The defence ministry of the other side denied targeting civilians and said it had struck "military infrastructure" in the area.

About 4,000 residents have left Zarichne since the shelling intensified in March, according to the local council.

The United Nations humanitarian office said aid convoys had reached the town twice this month but needed safe access to continue.

"People are sleeping in basements again," said Andriy Koval, a volunteer who drives supplies to the town every week.

Local officials said electricity was cut to 9,500 homes after a substation was hit.

Repair crews expect to restore power within three days if the shelling stops.
"""


def article_html(title: str = ARTICLE_TITLE, text: str = ARTICLE_TEXT, published: str = "2024-03-05") -> str:
    """A news page around `text`: navigation and footer around an <article> with a title and a date."""
    from html import escape

    paragraphs = "\n".join(f"<p>{escape(p)}</p>" for p in text.split("\n\n") if p.strip())
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{escape(title)} | Frontline Daily</title>
<meta property="og:title" content="{escape(title)}">
<meta property="article:published_time" content="{published}T08:30:00Z">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<main><article><h1>{escape(title)}</h1><time datetime="{published}">{published}</time>
{paragraphs}
</article></main>
<footer>© Frontline Daily. All rights reserved. <a href="/privacy">Privacy</a></footer>
</body></html>"""


SECOND_TITLE = "Talks on prisoner exchange resume in neutral capital"
SECOND_TEXT = """\
Negotiators from both sides met on Thursday to resume talks on a prisoner exchange, mediators said.

The foreign ministry of the host country said 150 prisoners could be exchanged in the first stage.

"We are closer than at any time this year," said the chief mediator, Leyla Aydin, after the six-hour session.

A spokesman for the presidential office said the list of names was still being checked.

Families of missing soldiers gathered outside the venue holding photographs of their relatives.

Previous rounds collapsed in January after disputes over who would be included, officials said.

Human rights monitors said at least 3,000 civilians remain in detention.

The next session is planned for the end of the month.
"""


async def spawn_bot(
    api: LocalBotApi, database: Path, log: Path, log_level: str
) -> asyncio.subprocess.Process:
    """The real `python -m bot` in a subprocess on the local Bot API and a SQLite file, for kill tests; its
    output goes to `log`."""
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_BASE_URL": api.base_url,
        "DATABASE_PATH": str(database),
        "NLP_WORKERS": "1",
        "LOG_LEVEL": log_level,
        "DEFAULT_TIMEZONE": "UTC",
    }
    repo = Path(__file__).resolve().parent.parent
    with open(log, "ab") as out:  # the child keeps its own descriptor until it dies
        return await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", cwd=repo, env=env, stdout=out, stderr=out
        )


async def stop_process(process: asyncio.subprocess.Process | None) -> None:
    """Terminate a spawned bot that is still running, killing it when it does not stop within 30 s."""
    if process is not None and process.returncode is None:
        process.terminate()
        try:
            await asyncio.wait_for(process.wait(), 30)
        except TimeoutError:
            process.kill()
            await process.wait()


def unhandled_updates(database: Path) -> list[int]:
    """Update ids the bot's inbox holds as not handled yet (read-only, beside the running bot)."""
    conn = sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=5)
    try:
        return [
            row[0] for row in conn.execute("SELECT update_id FROM inbox WHERE done_at IS NULL ORDER BY id")
        ]
    finally:
        conn.close()
