"""Issue 12 row 5: name resolution runs in the fetcher's own bounded thread pool with its own deadline.

Before, `loop.getaddrinfo` ran in the event loop's default executor: a lookup that hangs holds its
thread past the fetch deadline, so eight slow names filled the pool that PTB and `asyncio.to_thread`
share, and everything else queued behind them. The blocking OS call is replaced here by a hook that
sleeps (the names end in .slow.test and never reach a real resolver); a fetch of a literal loopback
address and default-executor work must proceed meanwhile.
"""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from summarize.config import FetchLimits
from summarize.errors import FetchTimeout
from summarize.fetch import GuardedClient, fetch, make_client
from summarize.resolve import ThreadedResolver
from tests.test_fetch_support import ARTICLE_HTML, LoopbackOnlyBackend, Site, start_site

LIMITS = FetchLimits(timeout_s=3.0, max_bytes=300_000, allow_loopback=True, dns_timeout_s=0.3)


class SlowDns:
    """A blocking getaddrinfo: names ending in .slow.test hang until released (or 10 s), like a resolver
    that never answers; anything else is refused without asking the OS."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.calls: list[str] = []
        self.lock = threading.Lock()

    def __call__(self, host: str, port: object, *args: object, **kwargs: object) -> list:
        with self.lock:
            self.calls.append(host)
        if str(host).endswith(".slow.test"):
            self.release.wait(10)
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")


@pytest.fixture
def slow_dns(monkeypatch: pytest.MonkeyPatch) -> Iterator[SlowDns]:
    hook = SlowDns()
    monkeypatch.setattr(socket, "getaddrinfo", hook)  # the OS call both old and new resolvers make
    yield hook
    hook.release.set()


@pytest.fixture
async def site() -> AsyncIterator[Site]:
    running = await start_site()
    yield running
    await running.runner.cleanup()


@pytest.fixture
async def client() -> AsyncIterator[GuardedClient]:
    async with make_client(LIMITS, network_backend=LoopbackOnlyBackend()) as shared:  # the system resolver
        yield shared


async def test_slow_dns_never_starves_the_loops_executor_or_other_fetches(
    site: Site, client: GuardedClient, slow_dns: SlowDns
) -> None:
    loop = asyncio.get_running_loop()
    shared_pool = ThreadPoolExecutor(max_workers=4)  # the default executor PTB and to_thread share
    loop.set_default_executor(shared_pool)
    try:
        slow = [
            asyncio.create_task(fetch(f"http://n{i}.slow.test/story", limits=LIMITS, client=client))
            for i in range(8)
        ]
        while len(slow_dns.calls) < 4:  # the resolver threads are now blocked in getaddrinfo
            await asyncio.sleep(0.01)

        # Default-executor work and a fetch that needs no lookup both go through at once.
        assert await asyncio.wait_for(loop.run_in_executor(None, lambda: "done"), 2.0) == "done"
        assert await asyncio.wait_for(asyncio.to_thread(sum, [1, 2]), 2.0) == 3
        page = await asyncio.wait_for(fetch(site.url("/article"), limits=LIMITS, client=client), 2.0)
        assert page.text == ARTICLE_HTML

        # Each slow fetch ends at the lookup's own deadline, not when the OS gives up.
        results = await asyncio.wait_for(asyncio.gather(*slow, return_exceptions=True), 5.0)
        assert all(isinstance(result, FetchTimeout) for result in results), results
        assert all("took too long to answer" in str(result) for result in results)
    finally:
        slow_dns.release.set()
        shared_pool.shutdown(wait=False)


async def test_lookups_of_one_name_share_a_thread_and_the_pool_is_bounded() -> None:
    hook = SlowDns()
    resolver = ThreadedResolver(2, lookup=hook)
    try:
        waits = [asyncio.create_task(resolver("same.slow.test", 80)) for _ in range(8)]
        others = [asyncio.create_task(resolver(f"o{i}.slow.test", 80)) for i in range(4)]
        await asyncio.sleep(0.2)
        # 12 callers, 5 distinct names, 2 threads: two lookups run, the rest wait in the resolver's queue.
        assert resolver.pending() == 5
        assert len(hook.calls) == 2
        hook.release.set()
        for task in waits + others:
            with pytest.raises(socket.gaierror):
                await task
        assert hook.calls.count("same.slow.test") == 1
    finally:
        hook.release.set()
        resolver.close()


async def test_the_lookup_deadline_is_its_own_inside_the_fetch_deadline(slow_dns: SlowDns) -> None:
    """A 3 s fetch deadline, a 0.3 s DNS deadline: the lookup is given up at the DNS deadline."""
    async with make_client(LIMITS, network_backend=LoopbackOnlyBackend()) as client:
        started = asyncio.get_running_loop().time()
        with pytest.raises(FetchTimeout):
            await fetch("http://one.slow.test/", limits=LIMITS, client=client)
        assert asyncio.get_running_loop().time() - started < 2.5  # well before the 3 s fetch deadline


class _FinishingAtOnce(ThreadPoolExecutor):
    """A pool whose lookups are done before `submit` returns: the race where a fast answer comes back
    before the resolver has hung its clean-up on the future."""

    def submit(self, fn, /, *args, **kwargs):  # type: ignore[override]
        from concurrent.futures import Future

        future: Future = Future()
        future.set_result(fn(*args, **kwargs))
        return future


def test_an_answer_that_comes_back_at_once_does_not_deadlock_the_resolver() -> None:
    # It used to: the done-callback ran at once, in the caller's thread, and took the lock the caller held.
    # The call runs in a daemon thread so that a deadlock fails the test instead of hanging the run.
    resolver = ThreadedResolver(1, lookup=lambda host, port, type: [(0, 0, 0, "", ("127.0.0.1", port))])
    resolver._pool = _FinishingAtOnce(max_workers=1)
    answers: list[list[str]] = []
    caller = threading.Thread(
        target=lambda: answers.append(asyncio.run(resolver("localhost", 80))), daemon=True
    )
    caller.start()
    caller.join(10)
    assert not caller.is_alive(), "the resolver deadlocked on an answer that was already there"
    assert answers == [["127.0.0.1"]]
    assert resolver.pending() == 0
