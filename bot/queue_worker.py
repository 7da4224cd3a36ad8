"""An NLP worker of the task queue: `python -m bot.queue_worker` (reads QUEUE_URL, SPACY_MODEL).

One job at a time per process (the NLP is CPU-bound: run one worker per core), the spaCy model loaded
once at start-up. The job runs in a thread so arq's own loop (timeouts, health checks) stays responsive.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from typing import Any

from arq import Worker
from arq.worker import func

from bot import nlp_pool
from bot.queue import (
    FUNCTIONS,
    JOB_FUNCTION,
    JOB_TIMEOUT_S,
    MAX_TRIES,
    QUEUE_NAME,
    RUNNING_KEY,
    redis_settings,
)

log = logging.getLogger(__name__)
WARM_UP = (
    "The regional governor said on Monday that 12 people were wounded in shelling overnight. "
    '"Rescuers are still at work," he told reporters. Officials said power was cut to 400 homes.'
)


async def brief(ctx: dict[str, Any], function_name: str, payload: Any, kwargs: dict[str, Any]) -> Any:
    function = FUNCTIONS.get(function_name)
    if function is None:
        raise ValueError(f"unknown NLP function {function_name!r}")
    # Which process runs which job (for operators, and for the test that kills it mid-brief).
    await ctx["redis"].set(RUNNING_KEY + ctx["job_id"], os.getpid(), ex=3600)
    # A BriefError comes back as plain data (nlp_pool._Failed), exactly as from the local pool.
    return await asyncio.to_thread(nlp_pool._guarded, function, payload, kwargs)


async def startup(ctx: dict[str, Any]) -> None:
    nlp_pool._init_worker(os.environ.get("SPACY_MODEL", "").strip() or None)
    # One brief before the first job: the first call in a process pays for lazy imports and caches,
    # and a job must not spend its timeout on that.
    nlp_pool._guarded(nlp_pool._brief_text, WARM_UP, {})
    print(f"worker {os.getpid()} ready", file=sys.stderr, flush=True)


def make_worker(url: str, *, job_timeout_s: float = JOB_TIMEOUT_S, queue_name: str = QUEUE_NAME) -> Worker:
    return Worker(
        functions=[func(brief, name=JOB_FUNCTION, timeout=job_timeout_s, max_tries=MAX_TRIES)],
        redis_settings=redis_settings(url),
        queue_name=queue_name,
        on_startup=startup,
        max_jobs=1,
        job_timeout=job_timeout_s,
        keep_result=300,
        poll_delay=0.05,
        handle_signals=True,
    )


def main() -> int:
    url = os.environ.get("QUEUE_URL", "").strip()
    if not url:
        print("QUEUE_URL is not set (e.g. redis://127.0.0.1:6379/0)", file=sys.stderr)
        return 2
    logging.basicConfig(level=os.environ.get("LOG_LEVEL", "INFO").upper(), stream=sys.stderr)
    timeout = float(os.environ.get("QUEUE_JOB_TIMEOUT_S", "").strip() or JOB_TIMEOUT_S)
    make_worker(url, job_timeout_s=timeout).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
