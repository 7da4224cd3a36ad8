"""Queue workers as real processes (`python -m bot.queue_worker`) on the test Redis server."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parent.parent


def redis_db(url: str, number: int) -> str:
    """The same server, another database number (each test module its own, flushed first)."""
    return urlunsplit(urlsplit(url)._replace(path=f"/{number}"))


async def flush(url: str) -> None:
    from redis.asyncio import Redis

    client = Redis.from_url(url)
    try:
        await client.flushdb()
    finally:
        await client.aclose()


def spawn_worker(url: str, *, job_timeout_s: float = 60) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "bot.queue_worker"],
        cwd=REPO,
        env={
            **os.environ,
            "PYTHONPATH": str(REPO),
            "QUEUE_URL": url,
            "QUEUE_JOB_TIMEOUT_S": str(int(job_timeout_s)),
            "LOG_LEVEL": "WARNING",
        },
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
    )


def wait_ready(worker: subprocess.Popen[bytes]) -> subprocess.Popen[bytes]:
    """Returns once the worker has loaded its model and takes jobs; then keeps draining its stderr."""
    assert worker.stderr is not None
    for line in worker.stderr:
        if b"ready" in line:
            break
    else:
        raise RuntimeError(f"queue worker exited with {worker.wait()} before it was ready")
    threading.Thread(target=lambda: [None for _ in worker.stderr], daemon=True).start()  # type: ignore[union-attr]
    return worker


def start_worker(url: str, *, job_timeout_s: float = 60) -> subprocess.Popen[bytes]:
    return wait_ready(spawn_worker(url, job_timeout_s=job_timeout_s))


def stop(worker: subprocess.Popen[bytes]) -> None:
    if worker.poll() is None:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(10)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


@contextlib.contextmanager
def workers(url: str, count: int, **options: float) -> Iterator[list[subprocess.Popen[bytes]]]:
    started = [spawn_worker(url, **options) for _ in range(count)]  # they load their models at once
    for worker in started:
        wait_ready(worker)
    try:
        yield started
    finally:
        for worker in started:
            stop(worker)
