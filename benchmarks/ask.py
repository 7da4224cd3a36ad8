"""/ask latency with 10,000 articles stored in the asking chat (the worst case: every article is a
candidate). Briefs are built once for the evaluation's real articles plus the other conflict items of
frank_cnndm_xsum, then stored again and again under varied URLs and texts (so none is a repeat).
"""

from __future__ import annotations

import asyncio
import json
import statistics
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from evaluation.ask import QUESTIONS, EvalArticle, build_briefs, load_articles

ARTICLES = 10_000
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


async def _measure(briefs: list[Any], questions: list[str]) -> tuple[float, list[float], int]:
    from bot.ask import answer_question
    from storage import ArticleSource, open_database

    with tempfile.TemporaryDirectory() as folder:
        async with open_database(Path(folder) / "ask-bench.sqlite3") as db:
            started = time.perf_counter()
            for n in range(ARTICLES):
                base = briefs[n % len(briefs)]
                # Text after the last sentence span is neither a sentence nor indexed: only the hash changes.
                copy = replace(base, text=f"{base.text}\n\n[copy {n}]", url=f"https://bench.example/{n}")
                await db.articles.add(1, ArticleSource("url", T0 + timedelta(minutes=n)), copy)
            store_s = time.perf_counter() - started
            timings: list[float] = []
            found = 0
            for _ in range(ROUNDS):
                for question in questions:
                    started = time.perf_counter()
                    answer = await answer_question(db, 1, question)
                    timings.append(time.perf_counter() - started)
                    found += answer.found
    return store_s, timings, found


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
    store_s, timings, found = asyncio.run(_measure(briefs, questions))
    ms = sorted(t * 1000 for t in timings)
    p95 = ms[min(len(ms) - 1, int(round(0.95 * (len(ms) - 1))))]
    return "\n".join(
        [
            f"[ask] /ask latency, {ARTICLES:,} articles stored in the asking chat "
            f"({len(briefs)} distinct real articles, briefs built once in {brief_s:.1f} s, stored in {store_s:.1f} s)",
            *(
                [f"  WARNING: {len(slow)} article(s) left out, briefing took too long: {', '.join(slow)}"]
                if slow
                else []
            ),
            f"  {len(timings)} questions ({len(questions)} × {ROUNDS} rounds), {found} answered",
            f"  median {statistics.median(ms):.1f} ms   p95 {p95:.1f} ms   max {ms[-1]:.1f} ms",
        ]
    )
