"""A bot killed with SIGKILL leaves no NLP worker behind: each would hold a spaCy model's memory for good."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

STARTS_A_POOL = textwrap.dedent(
    """
    import asyncio, sys
    from bot.nlp_pool import NlpPool

    async def main():
        pool = await NlpPool(1).start()
        print(" ".join(map(str, pool.worker_pids())), flush=True)
        await asyncio.sleep(3600)  # until the test kills this process

    asyncio.run(main())
    """
)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie has exited already; only its parent (init here) has yet to reap it
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        return stat.read().rsplit(")", 1)[1].split()[0] != "Z"


def test_workers_leave_when_their_bot_is_killed() -> None:
    bot = subprocess.Popen([sys.executable, "-c", STARTS_A_POOL], cwd=REPO, stdout=subprocess.PIPE, text=True)
    try:
        worker_pids = [int(pid) for pid in bot.stdout.readline().split()]
        assert worker_pids, "the pool reported no worker"
        assert all(_alive(pid) for pid in worker_pids)
        bot.send_signal(signal.SIGKILL)
        bot.wait(timeout=30)
        deadline = time.monotonic() + 60  # a bound on the wait, not a speed goal: the check runs every second
        while time.monotonic() < deadline and any(_alive(pid) for pid in worker_pids):
            time.sleep(0.2)
        left = [pid for pid in worker_pids if _alive(pid)]
        assert not left, f"workers {left} outlived their killed bot"
    finally:
        if bot.poll() is None:
            bot.kill()
