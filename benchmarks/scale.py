"""Scaling out, side by side in one run: the same 10,000 stored briefs and the same /ask questions on
SQLite and on PostgreSQL (inserts/s, /ask latency), then briefs/s through the task queue with 1 and with
2 arq workers (the same batch of articles, alternating rounds, medians).

Needs PostgreSQL and Redis on loopback: `bash .ci/services` starts them (and installs them when run as
root on Debian); without them this section says so and skips.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
ARTICLES = 10_000
QUEUE_BATCH = 24  # briefs per round through the queue
QUEUE_ROUNDS = 3
T0 = datetime(2024, 1, 1, tzinfo=UTC)


def _services() -> dict[str, str]:
    found = {
        k: os.environ[k]
        for k in ("CONFLICTBRIEF_TEST_POSTGRES_URL", "CONFLICTBRIEF_TEST_REDIS_URL")
        if os.environ.get(k)
    }
    if len(found) == 2:
        return found
    run = subprocess.run(["bash", str(REPO / ".ci" / "services")], capture_output=True, text=True)
    for line in run.stdout.splitlines():
        if line.startswith("export "):
            key, _, value = line.removeprefix("export ").partition("=")
            found[key] = value
    return found


async def _storage_figures(
    target: Any, briefs: list[Any], questions: list[str]
) -> tuple[float, float, float]:
    """(inserts/s, median insert ms, median /ask ms) on `target` (a file path or a PostgreSQL URL)."""
    from bot.ask import answer_question
    from storage import ArticleSource, open_database

    async with open_database(target) as db:
        started = time.perf_counter()
        insert_ms: list[float] = []
        for n in range(ARTICLES):
            base = briefs[n % len(briefs)]
            copy = replace(base, text=f"{base.text}\n\n[copy {n}]", url=f"https://bench.example/{n}")
            t = time.perf_counter()
            await db.articles.add(1, ArticleSource("url", T0 + timedelta(minutes=n)), copy)
            insert_ms.append((time.perf_counter() - t) * 1000)
        rate = ARTICLES / (time.perf_counter() - started)
        ask_ms: list[float] = []
        for question in questions:
            t = time.perf_counter()
            await answer_question(db, 1, question)
            ask_ms.append((time.perf_counter() - t) * 1000)
    return rate, statistics.median(insert_ms), statistics.median(ask_ms)


async def _postgres_target(url: str) -> tuple[str, Any]:
    import asyncpg

    from storage.pg import PgConnections  # noqa: F401 - the driver is importable

    schema = f"bench_{uuid.uuid4().hex[:12]}"
    conn = await asyncpg.connect(url)
    try:
        await conn.execute("CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public")
        await conn.execute(f"CREATE SCHEMA {schema}")
    finally:
        await conn.close()
    return schema, f"{url}{'&' if '?' in url else '?'}search_path={schema},public"


async def _drop_schema(url: str, schema: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(url)
    try:
        await conn.execute(f"DROP SCHEMA {schema} CASCADE")
    finally:
        await conn.close()


def _spawn_workers(url: str, count: int) -> list[subprocess.Popen[bytes]]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "QUEUE_URL": url, "LOG_LEVEL": "WARNING"}
    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "bot.queue_worker"], cwd=REPO, env=env, stderr=subprocess.PIPE
        )
        for _ in range(count)
    ]
    for worker in workers:
        assert worker.stderr is not None
        for line in worker.stderr:
            if b"ready" in line:
                break
        else:
            raise RuntimeError("a queue worker exited before it was ready")
    return workers


def _stop(workers: list[subprocess.Popen[bytes]]) -> None:
    for worker in workers:
        worker.terminate()
    for worker in workers:
        worker.wait(20)


async def _queue_round(url: str, texts: list[str]) -> float:
    """Briefs per second for one batch sent at once through the queue."""
    from bot.queue import QueueNlp

    nlp = await QueueNlp(url).start()
    try:
        started = time.perf_counter()
        await asyncio.gather(*(nlp.brief_text(text) for text in texts))
        return len(texts) / (time.perf_counter() - started)
    finally:
        await nlp.close()


def _queue_figures(redis_url: str, texts: list[str]) -> dict[int, list[float]]:
    rates: dict[int, list[float]] = {1: [], 2: []}
    for count in (1, 2):
        workers = _spawn_workers(redis_url, count)
        try:
            asyncio.run(_queue_round(redis_url, texts[:4]))  # warm: every worker has run a brief
            for _ in range(QUEUE_ROUNDS):
                rates[count].append(asyncio.run(_queue_round(redis_url, texts)))
        finally:
            _stop(workers)
    return rates


def report(shared: Path) -> str:
    import json

    from benchmarks.ask import _more_articles
    from evaluation.ask import QUESTIONS, build_briefs, load_articles

    services = _services()
    pg_url = services.get("CONFLICTBRIEF_TEST_POSTGRES_URL")
    redis_url = services.get("CONFLICTBRIEF_TEST_REDIS_URL")
    if not pg_url or not redis_url:
        return "[scale] skipped: PostgreSQL and Redis are not running (start them with bash .ci/services)"
    spec = json.loads(QUESTIONS.read_text(encoding="utf-8"))
    articles = load_articles(shared, spec["articles"])
    if isinstance(articles, str):
        return f"[scale] {articles}"
    articles += _more_articles(shared, {a.key for a in articles})
    briefs, _slow = build_briefs(articles)
    questions = [q["ask"] for q in spec["questions"]]

    async def storage_side_by_side() -> dict[str, tuple[float, float, float]]:
        figures = {}
        with tempfile.TemporaryDirectory() as folder:
            figures["SQLite"] = await _storage_figures(Path(folder) / "scale.sqlite3", briefs, questions)
        schema, target = await _postgres_target(pg_url)
        try:
            figures["PostgreSQL"] = await _storage_figures(target, briefs, questions)
        finally:
            await _drop_schema(pg_url, schema)
        return figures

    storage = asyncio.run(storage_side_by_side())
    lines = [
        f"[scale] {ARTICLES:,} briefs stored in one chat ({len(briefs)} distinct real articles), then "
        f"{len(questions)} /ask questions; same data, same run",
        f"  {'':34}{'SQLite':>12}{'PostgreSQL':>14}",
        f"  {'inserts/s (one task, sequential)':34}{storage['SQLite'][0]:>12,.0f}{storage['PostgreSQL'][0]:>14,.0f}",
        f"  {'median insert (ms)':34}{storage['SQLite'][1]:>12.2f}{storage['PostgreSQL'][1]:>14.2f}",
        f"  {'median /ask at 10,000 articles (ms)':34}{storage['SQLite'][2]:>12.1f}{storage['PostgreSQL'][2]:>14.1f}",
    ]
    return "\n".join([*lines, queue_report(redis_url, [a.text for a in articles])])


def queue_report(redis_url: str, texts: list[str]) -> str:
    """briefs/s with 1 and with 2 workers on the same batch (the second half of this section)."""
    texts = (texts * QUEUE_BATCH)[:QUEUE_BATCH]
    queue_url = redis_url.rsplit("/", 1)[0] + "/9"
    rates = _queue_figures(queue_url, texts)
    one, two = statistics.median(rates[1]), statistics.median(rates[2])
    lines = [
        f"[scale] briefs/s through the arq queue, {QUEUE_BATCH} real articles sent at once, "
        f"median of {QUEUE_ROUNDS} rounds ({os.cpu_count()} cores)",
        f"  1 worker   {one:6.2f} briefs/s   (rounds: {', '.join(f'{r:.2f}' for r in rates[1])})",
        f"  2 workers  {two:6.2f} briefs/s   (rounds: {', '.join(f'{r:.2f}' for r in rates[2])})",
        f"  speed-up   {two / one:6.2f} x      (goal >= 1.7 x on 2 cores)",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    # `python -m benchmarks.scale queue [SHARED]`: only the queue half (briefs/s with 1 and 2 workers).
    from evaluation.ask import QUESTIONS, load_articles

    shared = Path(sys.argv[2] if len(sys.argv) > 2 else "../shared")
    spec = __import__("json").loads(QUESTIONS.read_text(encoding="utf-8"))
    found = load_articles(shared, spec["articles"])
    redis = _services().get("CONFLICTBRIEF_TEST_REDIS_URL")
    if isinstance(found, str) or not redis:
        sys.exit(f"[scale] skipped: {found if isinstance(found, str) else 'Redis is not running'}")
    print(queue_report(redis, [a.text for a in found]))
