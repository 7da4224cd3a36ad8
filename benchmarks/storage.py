"""Storage benchmark: insert 10,000 briefs, then time full-text and recent-history queries.

The Briefs are built here without NLP (the benchmark measures storage, not spaCy): sentences are split on
sentence punctuation followed by whitespace, figures are the digit runs of each sentence, and quotes the
text between double quotes (speaker "unattributed"). Articles come from ../shared/data (BBC, CNN/DM, PolNeAR,
re3d texts), repeated as needed; each copy gets a numbered closing sentence so no copy is a repeat.
"""

from __future__ import annotations

import asyncio
import json
import random
import re
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from storage import ArticleSource, open_database
from summarize.model import Brief, Figure, Statement, SummarySentence

ARTICLES = 10_000
CHATS = 10
QUERIES = 300
_SENTENCE = re.compile(r"\S.*?(?:[.!?][\"'”’)]*(?=\s)|$)", re.DOTALL)
_NUMBER = re.compile(r"\d[\d,.]*\d|\d")
_QUOTE = re.compile(r"[\"“]([^\"”]{8,300})[\"”]")
_WORD = re.compile(r"[A-Za-z]{5,}")


def _load(shared: Path) -> list[tuple[str | None, str]]:
    data = shared / "data"
    found: list[tuple[str | None, str]] = []
    sources = (
        ("bbc_news_summary_extractive/items.jsonl", "title", "article_text"),
        ("frank_cnndm_xsum/items.jsonl", None, "article"),
        ("polnear_test/items.jsonl", "title", "text"),
        ("re3d_conflict_entities/documents_with_annotations.jsonl", "title", "text"),
    )
    for name, title_key, text_key in sources:
        path = data / name
        if not path.exists():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            text = " ".join(str(row.get(text_key) or "").split())
            if len(text) > 200:
                found.append((row.get(title_key) if title_key else None, text))
    return found


def brief_from_text(title: str | None, text: str, url: str) -> Brief:
    spans = tuple((m.start(), m.end()) for m in _SENTENCE.finditer(text))
    sentences = [text[start:end] for start, end in spans]
    figures = tuple(
        Figure(m.group(), None, None, None, None, None, "other", None, None, None, None, i)
        for i, sentence in enumerate(sentences)
        for m in list(_NUMBER.finditer(sentence))[:2]
    )
    quotes = tuple(
        Statement("unattributed", "direct", m.group(1), i)
        for i, sentence in enumerate(sentences)
        for m in _QUOTE.finditer(sentence)
    )
    return Brief(
        title=title,
        dateline=None,
        url=url,
        language="en",
        sentences=len(spans),
        summary=tuple(SummarySentence(s, i) for i, s in enumerate(sentences[:3])),
        figures=figures,
        speakers=quotes,
        text=text,
        sentence_spans=spans,
    )


def _ms(seconds: list[float]) -> str:
    return f"{statistics.median(seconds) * 1000:.2f} ms"


async def _run(articles: list[tuple[str | None, str]], folder: Path) -> list[tuple[str, str]]:
    rng = random.Random(5)
    path = folder / "bench.db"
    start_time = datetime(2024, 1, 1, tzinfo=UTC)
    vocabulary = sorted({w.lower() for _, text in articles for w in _WORD.findall(text)})
    text_bytes = 0
    insert_times: list[float] = []
    rows: list[tuple[str, str]] = []
    async with open_database(path) as db:
        started = time.perf_counter()
        for n in range(ARTICLES):
            title, text = articles[n % len(articles)]
            text = f"{text} This is copy {n} of the benchmark article."
            brief = brief_from_text(title, text, f"https://bench.example.org/{n}")
            text_bytes += len(text.encode("utf-8"))
            source = ArticleSource("url", received_at=start_time + timedelta(minutes=n))
            t = time.perf_counter()
            result = await db.articles.add(n % CHATS, source, brief)
            insert_times.append(time.perf_counter() - t)
            assert not result.is_repeat
        total = time.perf_counter() - started
        rows.append(
            (f"insert {ARTICLES:,} briefs ({CHATS} chats)", f"{total:.1f} s, {ARTICLES / total:,.0f}/s")
        )
        rows.append(("median insert (one transaction)", _ms(insert_times)))

        search_times, hits = [], 0
        for _ in range(QUERIES):
            query = " ".join(rng.sample(vocabulary, 2))
            t = time.perf_counter()
            found = await db.search.sentences(rng.randrange(CHATS), query, limit=10)
            search_times.append(time.perf_counter() - t)
            hits += bool(found)
        rows.append((f"median FTS query (2 words, top 10; {hits}/{QUERIES} had hits)", _ms(search_times)))

        recent_times = []
        for _ in range(QUERIES):
            t = time.perf_counter()
            await db.articles.recent(rng.randrange(CHATS), limit=10)
            recent_times.append(time.perf_counter() - t)
        rows.append(("median recent history (10 newest)", _ms(recent_times)))

        get_times = []
        for _ in range(QUERIES):
            chat = rng.randrange(CHATS)
            article_id = rng.randrange(ARTICLES // CHATS) * CHATS + chat + 1
            t = time.perf_counter()
            assert await db.articles.get(chat, article_id) is not None
            get_times.append(time.perf_counter() - t)
        rows.append(("median get article with Brief", _ms(get_times)))

        await db._conns.checkpoint()
        size = path.stat().st_size
        rows.append(("database bytes per article", f"{size / ARTICLES:,.0f} B"))
        rows.append(
            ("  of which article text (UTF-8)", f"{text_bytes / ARTICLES:,.0f} B ({size / text_bytes:.2f}x)")
        )

        t = time.perf_counter()
        deleted = await db.delete_chat(0)
        rows.append(
            (
                f"delete a chat of {deleted.articles:,} articles (+ index merge)",
                f"{time.perf_counter() - t:.2f} s",
            )
        )
    return rows


def report(shared: Path) -> str:
    articles = _load(shared)
    if not articles:
        return "[storage] skipped: no article texts found under ../shared/data"
    with tempfile.TemporaryDirectory(prefix="bench-storage-") as folder:
        rows = asyncio.run(_run(articles, Path(folder)))
    width = max(len(label) for label, _ in rows)
    lines = [f"[storage] {len(articles)} distinct articles from ../shared/data, repeated to {ARTICLES:,}"]
    lines += [f"  {label:<{width}}  {value}" for label, value in rows]
    return "\n".join(lines)
