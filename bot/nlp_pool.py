"""The NLP in worker processes: spaCy loaded once per worker at start-up, never on the event loop.

`NlpPool.start()` spawns the workers and waits until each has loaded the model, so the first message is
not the one that pays for it. Work goes through `loop.run_in_executor`; errors such as `BriefError`
cross the process boundary unchanged (they pickle), so handlers catch them as usual.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from functools import partial
from typing import Any

from summarize.errors import BriefError
from summarize.fetch import FetchedPage
from summarize.model import Brief

log = logging.getLogger(__name__)

_worker_nlp: Any = None  # the worker's spaCy pipeline, set by _init_worker


class NlpCrashed(BriefError):
    """A worker process died on an input (out of memory, a crash in native code); the pool was restarted."""


@dataclass(frozen=True)
class _Failed:
    """A BriefError as plain data: some subclasses (NotEnglish) take extra __init__ arguments and would
    not unpickle, which breaks the whole pool; the parent process rebuilds the same exception."""

    module: str
    name: str
    message: str
    attributes: dict[str, Any]

    @classmethod
    def of(cls, error: BriefError) -> _Failed:
        return cls(type(error).__module__, type(error).__qualname__, error.message, dict(vars(error)))

    def rebuild(self) -> BriefError:
        import importlib

        kind = getattr(importlib.import_module(self.module), self.name, BriefError)
        error = kind.__new__(kind)
        Exception.__init__(error, self.message)
        error.__dict__.update(self.attributes)
        return error


def _guarded(function: Any, payload: Any, kwargs: dict[str, Any]) -> Brief | _Failed:
    try:
        return function(payload, kwargs)
    except BriefError as error:
        return _Failed.of(error)


def _init_worker(model: str | None) -> None:
    global _worker_nlp
    from summarize.parse import load_nlp

    _worker_nlp = load_nlp(model)


def _ready() -> int:
    return os.getpid()


def _brief_text(text: str, kwargs: dict[str, Any]) -> Brief:
    from summarize.pipeline import brief_from_text

    return brief_from_text(text, nlp=_worker_nlp, **kwargs)


def _brief_html(html: str | bytes, kwargs: dict[str, Any]) -> Brief:
    from summarize.pipeline import brief_from_html

    return brief_from_html(html, nlp=_worker_nlp, **kwargs)


def _brief_bytes(data: bytes, kwargs: dict[str, Any]) -> Brief:
    from summarize.pipeline import brief_from_bytes

    return brief_from_bytes(data, nlp=_worker_nlp, **kwargs)


def _brief_page(page: FetchedPage, kwargs: dict[str, Any]) -> Brief:
    from summarize.pipeline import brief_from_page

    return brief_from_page(page, nlp=_worker_nlp, **kwargs)


class NlpPool:
    """A ProcessPoolExecutor of `workers` processes, each with its own spaCy model.

    Workers are started with "spawn": the bot process has threads (aiosqlite, PTB), and forking a
    threaded process can deadlock a child.
    """

    def __init__(self, workers: int, *, model: str | None = None) -> None:
        if workers < 1:
            raise ValueError("an NLP pool needs at least one worker")
        self.workers = workers
        self.model = model
        self._executor: ProcessPoolExecutor | None = None

    @property
    def started(self) -> bool:
        return self._executor is not None

    async def start(self) -> NlpPool:
        """Spawn every worker and wait until each has its model loaded."""
        if self._executor is not None:
            return self
        self._executor = ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_init_worker,
            initargs=(self.model,),
        )
        loop = asyncio.get_running_loop()
        # One task per worker, all at once: the executor spawns a new process for each while none is idle.
        pids = await asyncio.gather(
            *(loop.run_in_executor(self._executor, _ready) for _ in range(self.workers))
        )
        log.info("NLP pool ready: %d worker(s) %s", self.workers, sorted(set(pids)))
        return self

    def worker_pids(self) -> list[int]:
        executor = self._executor
        processes = getattr(executor, "_processes", None) or {}
        return sorted(processes)

    async def _run(self, function: Any, payload: Any, kwargs: dict[str, Any]) -> Brief:
        executor = self._executor
        if executor is None:
            raise RuntimeError("the NLP pool is not started")
        loop = asyncio.get_running_loop()
        try:
            result = await loop.run_in_executor(executor, partial(_guarded, function, payload, kwargs))
        except BrokenProcessPool:
            await self._restart(executor)
            raise NlpCrashed(
                "The analysis stopped on that input and has been restarted. Please try again; if it happens "
                "again, send a shorter text or a link."
            ) from None
        if isinstance(result, _Failed):
            raise result.rebuild()
        return result

    async def _restart(self, broken: ProcessPoolExecutor) -> None:
        """Replace a broken executor once, however many tasks saw it break."""
        if self._executor is not broken:
            return
        log.error("an NLP worker died; restarting the pool of %d worker(s)", self.workers)
        self._executor = None
        broken.shutdown(wait=False, cancel_futures=True)
        await self.start()

    async def brief_text(
        self,
        text: str,
        *,
        title: str | None = None,
        url: str | None = None,
        published: str | None = None,
        sentences: int | None = None,
    ) -> Brief:
        return await self._run(
            _brief_text, text, {"title": title, "url": url, "published": published, "sentences": sentences}
        )

    async def brief_html(
        self, html: str | bytes, *, url: str | None = None, sentences: int | None = None
    ) -> Brief:
        return await self._run(_brief_html, html, {"url": url, "sentences": sentences})

    async def brief_bytes(
        self, data: bytes, *, url: str | None = None, sentences: int | None = None
    ) -> Brief:
        return await self._run(_brief_bytes, data, {"url": url, "sentences": sentences})

    async def brief_page(self, page: FetchedPage, *, sentences: int | None = None) -> Brief:
        return await self._run(_brief_page, page, {"sentences": sentences})

    async def close(self) -> None:
        executor, self._executor = self._executor, None
        if executor is not None:
            await asyncio.get_running_loop().run_in_executor(None, partial(executor.shutdown, wait=True))

    def close_now(self) -> None:
        """Synchronous shutdown (for fixtures and atexit paths outside an event loop)."""
        executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)
