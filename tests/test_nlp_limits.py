"""Issue 12 row 15 / item 7: every NLP job has a time and a memory bound in the real process pool.

Before, a 5 MB page took 84 s and 1.08 GB in one worker with nothing to stop it. Here the limits are
tiny: a report of a few hundred sentences (our own, generated) runs past a 1.5 s deadline, and a worker
allowed only a little address space beyond its loaded model runs out of it. Both end in
`TooLongToBrief`, the worker is replaced, and a job that was running beside the killed one on the other
worker still gets its brief.
"""

from __future__ import annotations

import asyncio
import pickle
import random
from collections.abc import Iterator

import pytest

from bot.nlp_pool import NlpLimits, NlpPool, TooLongToBrief
from tests.bot_support import ARTICLE_TEXT, ARTICLE_TITLE

PLACES = ["Zarichne", "Vylkove", "Kherson", "Sumy", "Izium", "Pokrovsk", "Orikhiv", "Kupiansk"]


def long_report(sentences: int) -> str:
    """An invented, repetitive but never identical war report: slow and large to brief."""
    rng = random.Random(12)
    lines = [
        f"Officials in {PLACES[i % len(PLACES)]} said {rng.randint(2, 900)} people were evacuated on day {i} "
        f"after shelling hit block {rng.randint(1, 99)}, the governor told reporters."
        for i in range(sentences)
    ]
    return "\n\n".join(" ".join(lines[i : i + 5]) for i in range(0, len(lines), 5))


@pytest.fixture(scope="module")
def timed_pool() -> Iterator[NlpPool]:
    pool = NlpPool(2, limits=NlpLimits(job_timeout_s=1.5, job_memory_mb=0))
    asyncio.run(pool.start())
    yield pool
    pool.close_now()


def test_the_error_pickles_with_its_limit() -> None:
    error = TooLongToBrief("That is too long to brief.", "time")
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is TooLongToBrief and again.limit == "time" and str(again) == str(error)


def test_limits_from_env() -> None:
    assert NlpLimits.from_env({}) == NlpLimits(60.0, 1024)
    assert NlpLimits.from_env({"NLP_JOB_TIMEOUT_S": "2.5", "NLP_JOB_MEMORY_MB": "512"}) == NlpLimits(2.5, 512)
    with pytest.raises(ValueError, match="NLP_JOB_TIMEOUT_S"):
        NlpLimits.from_env({"NLP_JOB_TIMEOUT_S": "soon"})


def test_a_job_past_its_deadline_is_killed_and_the_worker_replaced(timed_pool: NlpPool) -> None:
    async def scenario() -> None:
        await timed_pool.start()
        before = set(timed_pool.worker_pids())
        slow = asyncio.ensure_future(timed_pool.brief_text(long_report(500)))
        await asyncio.sleep(0.3)  # the slow job is on one worker; this one runs on the other
        normal = asyncio.ensure_future(timed_pool.brief_text(ARTICLE_TEXT, title=ARTICLE_TITLE))
        with pytest.raises(TooLongToBrief) as info:
            await slow
        assert info.value.limit == "time"
        assert "too long to brief" in str(info.value) and "1.5 seconds" in str(info.value)
        brief = await normal  # interrupted by the replacement at worst, then run again once
        assert brief.title == ARTICLE_TITLE
        after = set(timed_pool.worker_pids())
        assert len(after) == 2 and after != before  # the killed worker was replaced
        again = await timed_pool.brief_text(ARTICLE_TEXT, title=ARTICLE_TITLE)
        assert again.title == ARTICLE_TITLE

    asyncio.run(scenario())


def test_a_job_past_its_memory_bound_is_refused_and_the_worker_replaced() -> None:
    pool = NlpPool(1, limits=NlpLimits(job_timeout_s=0, job_memory_mb=MEMORY_MB))

    async def scenario() -> None:
        await pool.start()
        before = set(pool.worker_pids())
        with pytest.raises(TooLongToBrief) as info:
            await pool.brief_text(long_report(500))
        assert info.value.limit == "memory" and "memory limit" in str(info.value)
        after = set(pool.worker_pids())
        assert len(after) == 1 and after != before

    try:
        asyncio.run(scenario())
    finally:
        pool.close_now()


MEMORY_MB = 40
