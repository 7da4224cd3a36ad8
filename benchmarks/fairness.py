"""Fairness between chats with 2 NLP workers: 20 chats sending ordinary articles, on an idle bot and while
one chat's 200,000-character document is being briefed. Reports p50/p95 reply time (update to brief) of the
20 chats in both runs and their ratio (goal <= 1.5), and the largest event-loop stall seen by a 10 ms
ticker while the document is worked on (goal < 100 ms).

The 20 chats send at a steady pace, the way separate people write, not as one burst: a burst of 20
measures throughput, which one busy worker out of two must halve. The pace is one article every
PACE x (the median time of one article on the idle bot, measured first), so one free worker can keep up;
any faster and the queue of the free worker grows whatever the scheduling. Each chat sends a different
real article (FRANK cnndm), so nothing is answered from storage. BENCH_QUICK=1: 10 chats.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import time
from pathlib import Path
from statistics import median

from benchmarks.bot import _pct
from benchmarks.longtext import articles, joined_text

CHATS = 20
PACE = 1.5
BIG = 200_000
GOAL = 1.5


async def _brief_done(server, chat_id: int, after: int, timeout: float = 600.0) -> float:
    def done() -> bool:
        return any("Summary" in m.text for m in server.messages(chat_id, after=after))

    await server.wait_until(done, timeout)
    return time.perf_counter()


async def _round(server, texts: list[str], first_chat: int, interval: float) -> list[float]:
    async def one(index: int, text: str) -> float:
        await asyncio.sleep(index * interval)
        started = time.perf_counter()
        pushed = await server.push_text(first_chat + index, text)
        return await _brief_done(server, pushed.chat_id, pushed.message_id) - started

    return list(await asyncio.gather(*(one(i, t) for i, t in enumerate(texts))))


async def _run(shared: Path, workdir: Path) -> str:
    from bot.app import build_application, running
    from bot.local_api import LocalBotApi
    from bot.settings import Settings

    chats = 10 if os.environ.get("BENCH_QUICK", "") not in ("", "0") else CHATS
    pool = [a for a in articles(shared) if 2_000 <= len(a) <= 4_000]
    big = joined_text(shared, BIG)
    if len(pool) < 2 * chats + 5 or big is None:
        return f"[fairness] skipped: too few FRANK cnndm articles under {shared / 'data'}"
    idle_texts, busy_texts = pool[:chats], pool[chats : 2 * chats]
    lines = []
    # The 200k document must finish to be measured: on a loaded shared machine it can pass the default
    # per-job time bound (bot/nlp_pool.py), which would end it early and disturb the other chats' round.
    os.environ.setdefault("NLP_JOB_TIMEOUT_S", "600")
    async with LocalBotApi(token="100003:FAIR") as server:
        settings = Settings(
            token=server.token,
            base_url=server.base_url,
            database_path=workdir / "fair.sqlite3",
            nlp_workers=2,
        )
        application = build_application(settings)
        async with running(application):
            svc = application.bot_data["services"]
            for text in pool[2 * chats : 2 * chats + 2]:  # warm both workers
                await svc.nlp.brief_text(text)
            single = []
            for n, text in enumerate(pool[2 * chats + 2 : 2 * chats + 5]):  # one at a time, idle
                single += await _round(server, [text], 4000 + n, 0.0)
            interval = PACE * median(single)
            idle = await _round(server, idle_texts, 5000, interval)
            await server.wait_idle(quiet=0.05, application=application)

            stall = 0.0
            ticking = True

            async def ticker() -> None:
                nonlocal stall
                while ticking:
                    before = time.perf_counter()
                    await asyncio.sleep(0.01)
                    stall = max(stall, time.perf_counter() - before - 0.01)

            tick = asyncio.create_task(ticker())
            started = time.perf_counter()
            document = await server.push_document(
                9000, big.encode("utf-8"), "report.txt", mime_type="text/plain"
            )
            big_done = asyncio.create_task(_brief_done(server, 9000, document.message_id))
            await asyncio.sleep(1.0)  # the document is in a worker before the others write
            busy = await _round(server, busy_texts, 6000, interval)
            others_done = time.perf_counter()
            big_s = await big_done - started
            ticking = False
            await tick
            await server.wait_idle(quiet=0.05, application=application)
    p50_idle, p95_idle = _pct(idle, 0.5), _pct(idle, 0.95)
    p50_busy, p95_busy = _pct(busy, 0.5), _pct(busy, 0.95)
    still = "still running" if big_s > others_done - started else "ALREADY DONE (the test did not overlap)"
    lines += [
        f"[fairness] 2 NLP workers; {chats} chats send an ordinary article each, one every {interval:.2f} s"
        f" ({PACE} x the {median(single):.2f} s one article takes on the idle bot)",
        f"  idle bot:                        p50 {p50_idle:.2f} s   p95 {p95_idle:.2f} s",
        f"  while a 200k document is briefed: p50 {p50_busy:.2f} s   p95 {p95_busy:.2f} s",
        f"  ratio busy / idle:               p50 {p50_busy / p50_idle:.2f} x  p95 {p95_busy / p95_idle:.2f} x"
        f"  (goal <= {GOAL})",
        f"  the 200k document: answered after {big_s:.1f} s ({still} when the last other chat was answered)",
        f"  largest event-loop stall {stall * 1000:.0f} ms (goal < 100 ms)",
    ]
    return "\n".join(lines)


def report(shared: Path) -> str:
    with tempfile.TemporaryDirectory(prefix="cb-fair-") as workdir:
        return asyncio.run(_run(shared, Path(workdir)))
