"""Name resolution for the fetcher in its own bounded thread pool.

`getaddrinfo` blocks a thread until the OS resolver gives up (often 10-30 s), whatever deadline the
caller set, and `loop.getaddrinfo` runs it in the event loop's default executor, which PTB and
`asyncio.to_thread` share: eight links whose DNS answers slowly used to fill that pool and stall
everything else. Here lookups run in a small pool of their own, lookups of the same name share one
thread, and the caller waits at most its own deadline (the thread finishes in the background).
"""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

DEFAULT_THREADS = 4

Lookup = Callable[..., list[Any]]
"""socket.getaddrinfo's signature; tests pass a blocking hook that sleeps."""


class ThreadedResolver:
    """An async `(host, port) -> addresses` resolver (the fetcher's `Resolver`) over `threads` threads."""

    def __init__(self, threads: int = DEFAULT_THREADS, *, lookup: Lookup | None = None) -> None:
        if threads < 1:
            raise ValueError("a resolver needs at least one thread")
        self.threads = threads
        self._lookup = lookup
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="fetch-dns")
        # re-entrant: a lookup already done when its clean-up is hung on it runs `_forget` at once, in this
        # thread, inside `__call__`'s `with self._lock` (a plain Lock deadlocked there)
        self._lock = threading.RLock()
        self._in_flight: dict[tuple[str, int], Future[list[str]]] = {}

    async def __call__(self, host: str, port: int) -> list[str]:
        key = (host, port)
        with self._lock:
            future = self._in_flight.get(key)
            if future is None:
                future = self._pool.submit(self._resolve, host, port)
                self._in_flight[key] = future
                future.add_done_callback(lambda done, key=key: self._forget(key, done))
        # shield: a caller whose deadline passes stops waiting, but the shared lookup is not cancelled
        # for the others waiting on the same name. A lookup that fails after everyone stopped waiting has
        # its error retrieved here, so it is not logged as "exception was never retrieved" later.
        waited = asyncio.wrap_future(future)
        waited.add_done_callback(_retrieve)
        return await asyncio.shield(waited)

    def pending(self) -> int:
        """Lookups running or queued (distinct names)."""
        with self._lock:
            return len(self._in_flight)

    def close(self) -> None:
        """Stop taking lookups; running ones end on their own (a blocked getaddrinfo cannot be stopped)."""
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _resolve(self, host: str, port: int) -> list[str]:
        lookup = self._lookup or socket.getaddrinfo
        infos = lookup(host, port, type=socket.SOCK_STREAM)
        return list(dict.fromkeys(str(info[4][0]) for info in infos))

    def _forget(self, key: tuple[str, int], done: Future[list[str]]) -> None:
        with self._lock:
            if self._in_flight.get(key) is done:
                del self._in_flight[key]


def _retrieve(done: asyncio.Future[list[str]]) -> None:
    if not done.cancelled():
        done.exception()


_shared: dict[int, ThreadedResolver] = {}
_shared_lock = threading.Lock()


def shared_resolver(threads: int = DEFAULT_THREADS) -> ThreadedResolver:
    """One resolver per process (per pool size): every client of the process shares its threads."""
    with _shared_lock:
        resolver = _shared.get(threads)
        if resolver is None:
            resolver = _shared[threads] = ThreadedResolver(threads)
        return resolver
