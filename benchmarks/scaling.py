"""Cost against length: a whole brief over a bare spaCy parse of the same distinct real text (CNN/DailyMail
articles of the FRANK sample joined: `benchmarks.longtext`) at 4k, 16k, 64k and 200k characters.

Each size is timed alternately (parse, brief, parse, brief, ...) and the ratio is median(brief) /
median(parse): noise on a shared machine hits both alike. Goal: every ratio <= 1.3, i.e. nothing after
the parse grows faster than the parse itself. The 200k size runs in a fresh process, which also reports
its peak memory (VmHWM) after the bare parse and after the brief.
BENCH_QUICK=1: one run per size.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from statistics import median

from benchmarks.longtext import joined_text

SIZES = (4_000, 16_000, 64_000)
BIG = 200_000
REPEATS = {4_000: 5, 16_000: 3, 64_000: 2}
GOAL = 1.3

_CHILD = """
import json, resource, sys, time
from pathlib import Path
from benchmarks.longtext import joined_text
from summarize.parse import load_nlp
from summarize.pipeline import brief_from_text
text = joined_text(Path(sys.argv[1]), int(sys.argv[2]))
nlp = load_nlp()
brief_from_text("Officials said 30 soldiers were killed in the attack on the town on Monday.", nlp=nlp)
start = time.perf_counter(); doc = nlp(text); bare = time.perf_counter() - start

del doc
bare_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
start = time.perf_counter(); brief = brief_from_text(text, nlp=nlp); whole = time.perf_counter() - start
print(json.dumps({"bare": bare, "brief": whole, "sentences": brief.sentences, "figures": len(brief.figures),
                  "bare_mb": bare_mb, "brief_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _quick() -> bool:
    return os.environ.get("BENCH_QUICK", "") not in ("", "0")


def _in_process(texts: dict[int, str]) -> list[tuple[int, int, float, float]]:
    from summarize.parse import load_nlp
    from summarize.pipeline import brief_from_text

    nlp = load_nlp()
    brief_from_text(texts[SIZES[0]][:2000], nlp=nlp)  # warm-up: lazy loads (stop words, langid model)
    rows = []
    for size in SIZES:
        text = texts[size]
        parse_times, brief_times = [], []
        sentences = 0
        for _ in range(1 if _quick() else REPEATS[size]):
            started = time.perf_counter()
            nlp(text)
            parse_times.append(time.perf_counter() - started)
            started = time.perf_counter()
            sentences = brief_from_text(text, nlp=nlp).sentences
            brief_times.append(time.perf_counter() - started)
        rows.append((size, sentences, median(parse_times), median(brief_times)))
    return rows


def report(shared: Path) -> str:
    texts = {size: joined_text(shared, size) for size in (*SIZES, BIG)}
    if any(text is None for text in texts.values()):
        return f"[scaling] skipped: not enough FRANK cnndm text under {shared / 'data'}"
    rows = _in_process(texts)  # type: ignore[arg-type]
    child = subprocess.run(
        [sys.executable, "-c", _CHILD, str(shared), str(BIG)],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    big = json.loads(child.stdout.strip().splitlines()[-1])
    rows.append((BIG, big["sentences"], big["bare"], big["brief"]))
    lines = [
        "[scaling] brief vs bare spaCy parse, distinct real text (FRANK cnndm articles joined)"
        + (" QUICK: one run per size" if _quick() else ""),
        f"{'chars':>8}{'sentences':>11}{'parse s':>9}{'brief s':>9}{'ratio':>7}{'after parse ms/sentence':>25}",
    ]
    for size, sentences, bare, whole in rows:
        per = (whole - bare) * 1000 / max(sentences, 1)
        lines.append(f"{size:>8,}{sentences:>11,}{bare:>9.2f}{whole:>9.2f}{whole / bare:>7.2f}{per:>25.2f}")
    worst = max(whole / bare for _, _, bare, whole in rows)
    lines.append(f"worst ratio {worst:.2f} (goal <= {GOAL}: {'met' if worst <= GOAL else 'NOT met'})")
    lines.append(
        f"peak memory (VmHWM) of a fresh process at 200k: {big['bare_mb']:.0f} MB after the bare parse, "
        f"{big['brief_mb']:.0f} MB after the brief ({big['figures']} figures after collapsing repeats)"
    )
    return "\n".join(lines)
