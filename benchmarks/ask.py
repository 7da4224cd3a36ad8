"""/ask latency against the number of articles stored in the asking chat (the worst case: every article is
a candidate): a curve at 1,000, 10,000 and 50,000 articles (BENCH_QUICK=1: 1,000 and 10,000). Goal at
10,000: median <= 50 ms, p95 <= 100 ms. Briefs are built once for the evaluation's real articles plus the
other conflict items of frank_cnndm_xsum, then stored again and again under varied URLs and texts (so none
is a repeat).
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from evaluation.ask import QUESTIONS, EvalArticle, build_briefs, load_articles

CURVE = (1_000, 10_000, 50_000)
ROUNDS = 3
T0 = datetime(2024, 1, 1, tzinfo=UTC)


def _more_articles(shared: Path, have: set[str]) -> list[EvalArticle]:
    path = shared / "data" / "frank_cnndm_xsum" / "items.jsonl"
    extra = []
    for line in path.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        if len(item.get("conflict_keyword_hits", ())) >= 3 and item["id"] not in have:
            extra.append(EvalArticle(item["id"], item["article"], None, item.get("source_url")))
    return extra


async def _measure(briefs: list[Any], questions: list[str], curve: tuple[int, ...]) -> list[tuple]:
    """(articles, seconds to store them, question timings, answered) at each point of the curve."""
    from bot.ask import answer_question
    from storage import ArticleSource, open_database

    points = []
    with tempfile.TemporaryDirectory() as folder:
        async with open_database(Path(folder) / "ask-bench.sqlite3") as db:
            stored = 0
            started = time.perf_counter()
            for size in curve:
                for n in range(stored, size):
                    base = briefs[n % len(briefs)]
                    # Text after the last sentence span is neither a sentence nor indexed: only the hash changes.
                    copy = replace(base, text=f"{base.text}\n\n[copy {n}]", url=f"https://bench.example/{n}")
                    await db.articles.add(1, ArticleSource("url", T0 + timedelta(minutes=n)), copy)
                stored = size
                store_s = time.perf_counter() - started
                timings: list[float] = []
                found = 0
                for _ in range(ROUNDS):
                    for question in questions:
                        began = time.perf_counter()
                        answer = await answer_question(db, 1, question)
                        timings.append(time.perf_counter() - began)
                        found += answer.found
                points.append((size, store_s, timings, found))
    return points


def report(shared: Path) -> str:
    spec = json.loads(QUESTIONS.read_text(encoding="utf-8"))
    articles = load_articles(shared, spec["articles"])
    if isinstance(articles, str):
        return f"[ask] {articles}"
    articles += _more_articles(shared, {a.key for a in articles})
    started = time.perf_counter()
    briefs, slow = build_briefs(articles)
    brief_s = time.perf_counter() - started
    questions = [q["ask"] for q in spec["questions"]]
    quick = os.environ.get("BENCH_QUICK", "") not in ("", "0")
    points = asyncio.run(_measure(briefs, questions, CURVE[:2] if quick else CURVE))
    lines = [
        f"[ask] /ask latency against articles stored in the asking chat ({len(briefs)} distinct real articles,"
        f" briefs built once in {brief_s:.1f} s; {len(questions)} questions x {ROUNDS} rounds per point)",
        *(
            [f"  WARNING: {len(slow)} article(s) left out, briefing took too long: {', '.join(slow)}"]
            if slow
            else []
        ),
        f"  {'articles':>8}  {'median ms':>9}  {'p95 ms':>7}  {'max ms':>7}  answered  stored after",
    ]
    for size, store_s, timings, found in points:
        ms = sorted(t * 1000 for t in timings)
        p95 = ms[min(len(ms) - 1, int(round(0.95 * (len(ms) - 1))))]
        lines.append(
            f"  {size:>8,}  {statistics.median(ms):>9.1f}  {p95:>7.1f}  {ms[-1]:>7.1f}  {found:>4}/{len(ms):<4}"
            f"  {store_s:.0f} s"
        )
    lines.append("  goal at 10,000: median <= 50 ms, p95 <= 100 ms")
    return "\n".join(lines)
