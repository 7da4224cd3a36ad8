"""NLP on the task queue (arq on a real Redis, workers as real processes): results and BriefErrors come
back to the caller that asked, concurrent requests never cross, and a worker SIGKILLed mid-brief loses
no request: another worker runs it again."""

from __future__ import annotations

import asyncio
import signal
import time

import pytest

from bot.queue import RUNNING_KEY, QueueNlp
from summarize.errors import BriefError, EmptyInput, NotEnglish
from tests.backends import require
from tests.bot_support import ARTICLE_TEXT, SECOND_TEXT
from tests.queue_support import redis_db, workers

GERMAN = (
    "Die Regierung teilte am Dienstag mit, dass die Gespräche über einen Waffenstillstand in der nächsten "
    "Woche fortgesetzt werden sollen. Die Vertreter beider Seiten wollen sich in Genf treffen, sagte ein "
    "Sprecher des Außenministeriums, und die Lage an der Front bleibe angespannt."
)


@pytest.fixture(scope="module")
def queue():
    """Two workers for the module (started once: each loads spaCy). The kill test runs last and uses
    a short job timeout: a dead worker's in-progress mark expires 8 + 10 s after it took the job."""
    from redis import Redis

    url = redis_db(require("redis"), 3)
    client = Redis.from_url(url)
    client.flushdb()
    client.close()
    with workers(url, 2, job_timeout_s=8) as running:
        yield url, running


async def test_results_and_errors_come_back_to_the_caller_that_asked(queue):
    queue_url, _running = queue
    nlp = await QueueNlp(queue_url, job_timeout_s=8).start()
    try:
        asks = [
            nlp.brief_text(ARTICLE_TEXT, title="first"),
            nlp.brief_text(SECOND_TEXT, title="second"),
            nlp.brief_text("   "),
            nlp.brief_text(GERMAN),
            nlp.brief_text(ARTICLE_TEXT, title="third", sentences=2),
        ]
        first, second, empty, german, third = await asyncio.gather(*asks, return_exceptions=True)
    finally:
        await nlp.close()
    assert first.title == "first" and "Zarichne" in first.text  # type: ignore[union-attr]
    assert second.title == "second" and "prisoner" in second.text  # type: ignore[union-attr]
    assert third.title == "third" and len(third.summary) == 2  # type: ignore[union-attr]
    assert isinstance(empty, EmptyInput) and str(empty)
    assert isinstance(german, NotEnglish) and german.language == "de"  # rebuilt with its attributes
    assert isinstance(german, BriefError)


async def test_a_worker_killed_mid_brief_loses_no_request(queue):
    from redis.asyncio import Redis

    queue_url, running = queue
    redis = Redis.from_url(queue_url)
    nlp = await QueueNlp(queue_url, job_timeout_s=8).start()
    try:
        earlier = set(await redis.keys(RUNNING_KEY + "*"))  # jobs of the test before
        asked = asyncio.create_task(nlp.brief_text(ARTICLE_TEXT, title="survivor"))
        deadline = time.monotonic() + 30
        while not (taken := list(set(await redis.keys(RUNNING_KEY + "*")) - earlier)):  # a worker took it
            assert time.monotonic() < deadline, "no worker took the job"
            await asyncio.sleep(0.005)
        pid = int(await redis.get(taken[0]))
        [victim] = [worker for worker in running if worker.pid == pid]
        victim.send_signal(signal.SIGKILL)
        victim.wait()
        assert not asked.done()
        brief = await asyncio.wait_for(asked, 60)  # the other worker ran it again
        assert brief.title == "survivor" and "Zarichne" in brief.text
        assert int(await redis.get(taken[0])) != pid
    finally:
        await nlp.close()
        await redis.aclose()
