"""A whole brief against a bare spaCy parse of the same text, timed alternately in one process.

The ratio per article is median(brief) / median(bare parse) over interleaved repeats, so machine noise
hits both sides alike; the figure to quote is the median ratio. Goal: brief <= 1.3 x bare parse.
Articles: the seed and the 20 longest CNN/DailyMail articles of the FRANK sample.
"""

from __future__ import annotations

import json
import resource
import time
from pathlib import Path
from statistics import median

from summarize.parse import load_nlp
from summarize.pipeline import brief_from_text

REPEATS = 5
LONG_ARTICLES = 20


def _articles(shared: Path) -> list[tuple[str, str]]:
    articles: list[tuple[str, str]] = []
    seed = sorted((shared / "seed").glob("*.txt"))
    articles += [("seed", path.read_text(encoding="utf-8")) for path in seed[:1]]
    frank = shared / "data" / "frank_cnndm_xsum" / "items.jsonl"
    if frank.exists():
        rows = [json.loads(line) for line in frank.read_text(encoding="utf-8").splitlines()]
        rows = sorted((r for r in rows if r["dataset"] == "cnndm"), key=lambda r: -len(r["article"]))
        articles += [(r["id"][:20], r["article"]) for r in rows[:LONG_ARTICLES]]
    return articles


def measure(text: str, nlp) -> tuple[float, float]:
    """Median seconds of (bare parse, whole brief), measured alternately."""
    parse_times, brief_times = [], []
    for _ in range(REPEATS):
        started = time.perf_counter()
        nlp(text)
        parse_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        brief_from_text(text, nlp=nlp)
        brief_times.append(time.perf_counter() - started)
    return median(parse_times), median(brief_times)


def report(shared: Path) -> str:
    articles = _articles(shared)
    if not articles:
        return f"brief: skipped: no seed or FRANK data under {shared}"
    nlp = load_nlp()
    brief_from_text(articles[0][1], nlp=nlp)  # warm-up: lazy loads (sumy stop words, langid model)
    lines = [
        f"Brief vs bare spaCy parse (median of {REPEATS} alternating runs per article)",
        f"{'article':<22}{'tokens':>8}{'parse ms':>10}{'brief ms':>10}{'ratio':>7}",
    ]
    ratios = []
    for name, text in articles:
        bare, whole = measure(text, nlp)
        ratios.append(whole / bare)
        tokens = len(nlp.tokenizer(text))
        lines.append(f"{name:<22}{tokens:>8}{bare * 1000:>10.1f}{whole * 1000:>10.1f}{whole / bare:>7.2f}")
    seed_ratio = ratios[0]
    long_ratios = ratios[1:] or ratios
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    lines += [
        f"seed ratio: {seed_ratio:.2f}; median ratio over {len(long_ratios)} long articles: {median(long_ratios):.2f}"
        f" (goal <= 1.30)",
        f"peak memory of this process (model loaded, all briefs made): {peak_mb:.0f} MB",
    ]
    return "\n".join(lines)
