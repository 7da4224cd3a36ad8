"""NLP on a task queue (arq on Redis): the same methods as `bot.nlp_pool.NlpPool`, so handlers do not change.

With `QUEUE_URL=redis://…` the bot enqueues each brief as an arq job and awaits its result; worker
processes (`python -m bot.queue_worker`, on any machine that reaches Redis) run the NLP. Each request is
its own job with its own id, and the caller awaits that job, so a result (or a `BriefError`, carried as
plain data exactly as the local pool does) comes back to the handler, and so to the chat, that asked.

A worker killed mid-brief loses nothing: arq keeps the job in the queue until a worker records its
result, and the dead worker's in-progress mark expires `job_timeout + 10` seconds after it took the job;
another worker then runs it again (up to `MAX_TRIES` times; a brief that kills every try is answered with
`NlpCrashed`, as the local pool does).
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from typing import Any

from arq import create_pool
from arq.connections import ArqRedis, RedisSettings
from arq.jobs import Job

from bot.nlp_pool import (
    BriefRunner,
    NlpCrashed,
    _brief_bytes,
    _brief_html,
    _brief_page,
    _brief_text,
    _Failed,
    _too_long,
)
from summarize.errors import BriefError
from summarize.model import Brief

log = logging.getLogger(__name__)

QUEUE_NAME = "conflictbrief:nlp"
JOB_FUNCTION = "brief"
JOB_TIMEOUT_S = 60  # the longest one brief may run; a dead worker's job is retried this + 10 s later
MAX_TRIES = 3
RESULT_POLL_S = 0.02
RUNNING_KEY = "conflictbrief:job-worker:"  # + job id: the pid of the worker that last started the job
# The functions a job may name (the worker looks them up here; nothing else can be called).
FUNCTIONS = {f.__name__: f for f in (_brief_text, _brief_html, _brief_bytes, _brief_page)}


class QueueUnavailable(BriefError):
    """The queue (Redis) could not be reached or no worker answered in time."""


def redis_settings(url: str) -> RedisSettings:
    return RedisSettings.from_dsn(url)


class QueueNlp(BriefRunner):
    """`NlpPool`'s interface over arq: `start()`, `brief_text/html/bytes/page`, `close()`."""

    def __init__(
        self, url: str, *, job_timeout_s: float = JOB_TIMEOUT_S, queue_name: str = QUEUE_NAME
    ) -> None:
        self.url = url
        self.queue_name = queue_name
        self.job_timeout_s = job_timeout_s
        self.workers = 0  # worker processes live elsewhere; see `live_workers()`
        self._redis: ArqRedis | None = None

    @property
    def started(self) -> bool:
        return self._redis is not None

    async def start(self) -> QueueNlp:
        if self._redis is None:
            self._redis = await create_pool(redis_settings(self.url), default_queue_name=self.queue_name)
            log.info("NLP on the task queue %s (%s)", self.queue_name, self.url.split("@")[-1])
        return self

    def worker_pids(self) -> list[int]:
        return []  # the workers are other processes, possibly on other machines

    async def _run(self, function: Any, payload: Any, kwargs: dict[str, Any]) -> Brief:
        redis = self._redis
        if redis is None:
            raise RuntimeError("the NLP queue is not started")
        job: Job | None = await redis.enqueue_job(
            JOB_FUNCTION, function.__name__, payload, kwargs, _job_id=uuid.uuid4().hex
        )
        assert job is not None  # the id is fresh, so it is never a duplicate
        # Enough for every try, each started after the previous one's in-progress mark expired.
        patience = MAX_TRIES * (self.job_timeout_s + 15) + 30
        started = time.monotonic()
        try:
            result = await job.result(timeout=patience, poll_delay=RESULT_POLL_S)
        except TimeoutError:
            if time.monotonic() - started < patience:  # the worker gave up on it: the job's own timeout
                raise _too_long("time", f"time limit of {self.job_timeout_s:g} seconds") from None
            raise QueueUnavailable(
                "The analysis service is busy or down right now. Please try again in a few minutes."
            ) from None
        except BriefError:
            raise
        except Exception as error:  # max tries exceeded (the worker died every time), or a worker bug
            log.error("NLP job %s failed: %r", job.job_id, error)
            raise NlpCrashed(
                "The analysis stopped on that input. Please try again; if it happens again, send a "
                "shorter text or a link."
            ) from None
        if isinstance(result, _Failed):
            raise result.rebuild()
        return result

    async def close(self) -> None:
        redis, self._redis = self._redis, None
        if redis is not None:
            await redis.aclose()

    def close_now(self) -> None:
        if self._redis is not None:
            asyncio.run(self.close())
