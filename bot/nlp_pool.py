"""The NLP in worker processes: spaCy loaded once per worker at start-up, never on the event loop.

`NlpPool.start()` spawns the workers and waits until each has loaded the model, so the first message is
not the one that pays for it. Work goes through `loop.run_in_executor`; errors such as `BriefError`
cross the process boundary unchanged (they pickle), so handlers catch them as usual.

Work limits (`NlpLimits`, from NLP_JOB_TIMEOUT_S and NLP_JOB_MEMORY_MB): each worker's address space is
capped (RLIMIT_AS) at its size after loading the model plus the job allowance, so a huge input ends in a
MemoryError instead of swapping the machine; each job has a wall-clock deadline from the moment a worker
starts it, after which that worker is killed. Either way the worker is replaced, the user gets
`TooLongToBrief`, and other jobs that the replacement interrupted are run again once.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import multiprocessing
import os
import queue
import signal
import time
from collections.abc import Mapping
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
_worker_events: Any = None  # queue of (job id, pid, monotonic start) the worker puts each job on


class NlpCrashed(BriefError):
    """A worker process died on an input (out of memory, a crash in native code); the pool was restarted."""


class TooLongToBrief(BriefError):
    """A job passed its time or memory bound; its worker was replaced. `limit` says which ("time"/"memory")."""

    def __init__(self, message: str, limit: str) -> None:
        super().__init__(message)
        self.limit = limit


MSG_TOO_LONG = (
    "That is too long to brief: the analysis passed its {what}. Send a shorter text, or a link to a single "
    "article rather than a whole page or document."
)


def _too_long(limit: str, detail: str) -> TooLongToBrief:
    return TooLongToBrief(MSG_TOO_LONG.format(what=detail), limit)


@dataclass(frozen=True)
class NlpLimits:
    """Bounds on one NLP job. `job_memory_mb` is how far a worker may grow past its size once the model is
    loaded (address space, RLIMIT_AS); 0 turns a bound off."""

    job_timeout_s: float = 60.0
    job_memory_mb: int = 1024

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> NlpLimits:
        env = os.environ if env is None else env
        timeout = env.get("NLP_JOB_TIMEOUT_S", "").strip()
        memory = env.get("NLP_JOB_MEMORY_MB", "").strip().replace("_", "")
        try:
            return cls(
                job_timeout_s=float(timeout) if timeout else cls.job_timeout_s,
                job_memory_mb=int(memory) if memory else cls.job_memory_mb,
            )
        except ValueError as error:
            raise ValueError(
                "NLP_JOB_TIMEOUT_S must be seconds and NLP_JOB_MEMORY_MB whole megabytes"
            ) from error


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


def _guarded(function: Any, payload: Any, kwargs: dict[str, Any], job_id: int = 0) -> Brief | _Failed:
    if _worker_events is not None:
        _worker_events.put((job_id, os.getpid(), time.monotonic()))
    try:
        return function(payload, kwargs)
    except BriefError as error:
        return _Failed.of(error)
    except MemoryError:  # the address-space cap of _init_worker
        return _Failed.of(_too_long("memory", "memory limit"))
    except ValueError as error:
        if "[E088]" in str(error):  # spaCy's own refusal of texts over nlp.max_length characters
            return _Failed.of(_too_long("memory", "length limit"))
        raise


def _address_space_bytes() -> int:
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


PARENT_CHECK_S = 1.0  # how often a worker checks that the bot that started it is still alive


def _exit_when_orphaned(parent_pid: int) -> None:
    """A worker whose bot was SIGKILLed is re-parented and would idle forever, holding its model's memory
    (hundreds of MB each); it leaves as soon as it sees the bot gone."""
    while os.getppid() == parent_pid:
        time.sleep(PARENT_CHECK_S)
    os._exit(0)


def _init_worker(model: str | None, memory_mb: int = 0, events: Any = None) -> None:
    global _worker_nlp, _worker_events
    import resource
    import threading

    threading.Thread(target=_exit_when_orphaned, args=(os.getppid(),), daemon=True).start()

    import summarize.pipeline  # noqa: F401 - imported now, so the first job is not the one paying for it
    from summarize.parse import load_nlp

    _worker_nlp = load_nlp(model)
    _worker_events = events
    if memory_mb > 0:
        cap = _address_space_bytes() + memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))


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


class BriefRunner:
    """The four ways in to a brief, shared by the local pool and the task queue: each turns its arguments
    into one `_run(function, payload, kwargs)` call, which the subclass carries out."""

    async def _run(self, function: Any, payload: Any, kwargs: dict[str, Any]) -> Brief:
        raise NotImplementedError

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


class NlpPool(BriefRunner):
    """A ProcessPoolExecutor of `workers` processes, each with its own spaCy model.

    Workers are started with "spawn": the bot process has threads (aiosqlite, PTB), and forking a
    threaded process can deadlock a child.
    """

    def __init__(self, workers: int, *, model: str | None = None, limits: NlpLimits | None = None) -> None:
        if workers < 1:
            raise ValueError("an NLP pool needs at least one worker")
        self.workers = workers
        self.model = model
        self.limits = limits or NlpLimits.from_env()
        self._executor: ProcessPoolExecutor | None = None
        self._starting: asyncio.Future[NlpPool] | None = None
        self._context = multiprocessing.get_context("spawn")
        self._events: Any = None
        self._job_ids = itertools.count(1)
        self._started_jobs: dict[int, tuple[int, float]] = {}  # job id -> (worker pid, monotonic start)
        self._killed: set[int] = set()  # id() of executors this pool broke on purpose (a worker replaced)

    @property
    def started(self) -> bool:
        return self._executor is not None

    async def start(self) -> NlpPool:
        """Spawn every worker and wait until each has its model loaded."""
        if self._executor is not None:
            return self
        if self._events is None:
            self._events = self._context.Queue()
        self._executor = ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=self._context,
            initializer=_init_worker,
            initargs=(self.model, self.limits.job_memory_mb, self._events),
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

    async def _run(self, function: Any, payload: Any, kwargs: dict[str, Any], *, retry: bool = True) -> Brief:
        if self._starting is not None and not self._starting.done():
            await asyncio.shield(self._starting)  # a replacement pool is starting: wait for it
        executor = self._executor
        if executor is None:
            raise RuntimeError("the NLP pool is not started")
        loop = asyncio.get_running_loop()
        job_id = next(self._job_ids)
        future = loop.run_in_executor(executor, partial(_guarded, function, payload, kwargs, job_id))
        try:
            result = await self._bounded(executor, future, job_id)
        except BrokenProcessPool:
            on_purpose = id(executor) in self._killed
            await self._restart(executor)
            if on_purpose and retry:  # another job's worker was replaced: this one did nothing wrong
                return await self._run(function, payload, kwargs, retry=False)
            raise NlpCrashed(
                "The analysis stopped on that input and has been restarted. Please try again; if it happens "
                "again, send a shorter text or a link."
            ) from None
        finally:
            self._started_jobs.pop(job_id, None)
        if isinstance(result, _Failed):
            error = result.rebuild()
            if isinstance(error, TooLongToBrief):
                await self._replace_worker(
                    executor, job_id, error
                )  # memory: a fresh process, not a scarred one
            raise error
        return result

    async def _bounded(self, executor: ProcessPoolExecutor, future: asyncio.Future[Any], job_id: int) -> Any:
        """The job's result, or TooLongToBrief once it has run `job_timeout_s` in a worker (time waiting
        for a free worker does not count); that worker is then killed and replaced."""
        timeout = self.limits.job_timeout_s
        if timeout <= 0:
            return await future
        while True:
            started = self._started_at(job_id)
            wait = 0.5 if started is None else started[1] + timeout - time.monotonic()
            if wait <= 0:
                break
            with contextlib.suppress(TimeoutError):
                return await asyncio.wait_for(asyncio.shield(future), wait)
        if future.done():
            return future.result()
        error = _too_long("time", f"time limit of {timeout:g} seconds")
        # The future ends with BrokenProcessPool once its worker is gone; nobody needs that error.
        future.add_done_callback(lambda done: done.cancelled() or done.exception())
        await self._replace_worker(executor, job_id, error)
        raise error

    def _started_at(self, job_id: int) -> tuple[int, float] | None:
        while self._events is not None:
            try:
                started_id, pid, at = self._events.get_nowait()
            except queue.Empty:
                break
            self._started_jobs[started_id] = (pid, at)
        return self._started_jobs.get(job_id)

    async def _replace_worker(
        self, executor: ProcessPoolExecutor, job_id: int, error: TooLongToBrief
    ) -> None:
        started = self._started_at(job_id)
        for _ in range(40):  # the start event travels on its own pipe: it may trail the job's result
            if started is not None:
                break
            await asyncio.sleep(0.05)
            started = self._started_at(job_id)
        if started is None or self._executor is not executor:
            log.warning("NLP job over its %s limit; its worker is unknown or already replaced", error.limit)
            return
        log.warning("NLP job over its %s limit: replacing worker %d", error.limit, started[0])
        self._killed.add(id(executor))
        with contextlib.suppress(ProcessLookupError):
            os.kill(started[0], signal.SIGKILL)
        # Let the executor see its worker die, so every job it holds fails with BrokenProcessPool (and is
        # run again) rather than being cancelled by the shutdown below.
        for _ in range(200):
            if getattr(executor, "_broken", True):
                break
            await asyncio.sleep(0.01)
        await self._restart(executor)

    async def _restart(self, broken: ProcessPoolExecutor) -> None:
        """Replace a broken executor once, however many tasks saw it break."""
        if self._executor is broken:
            if id(broken) not in self._killed:
                log.error("an NLP worker died; restarting the pool of %d worker(s)", self.workers)
            self._executor = None
            broken.shutdown(wait=False, cancel_futures=True)
            self._starting = asyncio.ensure_future(self.start())
        if self._starting is not None:
            await asyncio.shield(self._starting)

    async def close(self) -> None:
        executor, self._executor = self._executor, None
        if executor is not None:
            await asyncio.get_running_loop().run_in_executor(None, partial(executor.shutdown, wait=True))

    def close_now(self) -> None:
        """Synchronous shutdown (for fixtures and atexit paths outside an event loop)."""
        executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)
