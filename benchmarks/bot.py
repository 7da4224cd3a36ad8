"""The bot end to end, in one run: the real Application, NLP pool and database on a local Bot API server.

1. Seed article pasted into a chat: median time from update to reply, against the bare brief
   (`brief_from_text` in this process) timed alternately, as a ratio; and a repeat answered from storage.
2. 50 chats each sending an article at once: all answered? p50/p95 reply time; the largest event-loop
   stall seen by a 10 ms ticker meanwhile (goal: under 100 ms).
3. Peak memory (VmHWM) of the bot process and each NLP worker, with the workers up.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import time
from pathlib import Path
from statistics import median

REPEATS = 5
CHATS = 50


def _hwm_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


async def _answered(server, chat_id: int, after: int, timeout: float = 300.0) -> float:
    def done() -> bool:
        return any("Summary" in m.text for m in server.messages(chat_id, after=after))

    await server.wait_until(done, timeout)
    return time.perf_counter()


async def _run(seed: str, workdir: Path) -> str:
    from bot.app import build_application, running
    from bot.local_api import LocalBotApi
    from bot.settings import Settings
    from summarize.parse import load_nlp
    from summarize.pipeline import brief_from_text

    nlp = load_nlp()
    brief_from_text(seed, nlp=nlp)  # warm caches like the workers' warm-up does
    lines: list[str] = []
    async with LocalBotApi(token="100002:BENCH") as server:
        settings = Settings(
            token=server.token, base_url=server.base_url, database_path=workdir / "bench.sqlite3"
        )
        application = build_application(settings)
        async with running(application):
            svc = application.bot_data["services"]
            await svc.nlp.brief_text(seed)  # each worker warm once (the pool also loads at start)
            await svc.nlp.brief_text(seed)
            bare, e2e = [], []
            for i in range(REPEATS):
                started = time.perf_counter()
                brief_from_text(seed, nlp=nlp)
                bare.append(time.perf_counter() - started)
                started = time.perf_counter()
                pushed = await server.push_text(1000 + i, seed)
                e2e.append(await _answered(server, 1000 + i, pushed.message_id) - started)
                await server.wait_idle(quiet=0.05, application=application)
            started = time.perf_counter()
            pushed = await server.push_text(1000, seed)
            repeat = await _answered(server, 1000, pushed.message_id) - started
            await server.wait_idle(quiet=0.05, application=application)
            lines.append(f"seed article, {REPEATS} runs alternating, {svc.nlp.workers} NLP worker(s):")
            lines.append(f"  bare brief (in process)      median {median(bare) * 1000:7.0f} ms")
            lines.append(f"  update -> reply (end to end) median {median(e2e) * 1000:7.0f} ms")
            lines.append(f"  ratio end-to-end / bare      {median(e2e) / median(bare):7.2f} x")
            lines.append(f"  repeat answered from storage {repeat * 1000:7.0f} ms")

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
            chats = range(2000, 2000 + CHATS)
            pushed_all = [await server.push_text(chat, seed) for chat in chats]
            results = await asyncio.gather(
                *(_answered(server, p.chat_id, p.message_id) for p in pushed_all), return_exceptions=True
            )
            ticking = False
            await tick
            times = [r - started for r in results if isinstance(r, float)]
            await server.wait_idle(quiet=0.05, application=application)
            lines.append(f"{CHATS} chats sending the seed at once:")
            lines.append(f"  answered {len(times)}/{CHATS}; last after {max(times):.1f} s")
            lines.append(f"  reply time p50 {_pct(times, 0.5):.2f} s, p95 {_pct(times, 0.95):.2f} s")
            lines.append(f"  largest event-loop stall {stall * 1000:.0f} ms (goal < 100 ms)")
            workers = svc.nlp.worker_pids()
            own = _hwm_mb(os.getpid())
            child = [_hwm_mb(pid) for pid in workers]
            lines.append("peak memory (VmHWM):")
            lines.append(
                f"  bot process {own:.0f} MB (includes this benchmark's own spaCy model for the bare runs)"
            )
            lines.append(
                f"  NLP workers {', '.join(f'{m:.0f}' for m in child)} MB; total {own + sum(child):.0f} MB"
            )
    return "\n".join(lines)


def report(shared: Path) -> str:
    seeds = sorted((shared / "seed").glob("*.txt"))
    if not seeds:
        return f"[bot] skipped: no seed article in {shared / 'seed'}"
    seed = seeds[0].read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory(prefix="cb-bench-") as workdir:
        return "[bot]\n" + asyncio.run(_run(seed, Path(workdir)))
