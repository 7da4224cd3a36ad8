"""/ask on a chat that has read a dozen real conflict articles: accuracy, and wrong answers to questions
the history cannot answer, over a sweep of answer thresholds (the threshold in bot/ask.py is picked here).

Questions are in evaluation/ask_questions.json (written by reading the articles); the articles are read
in place from ../shared (seed, frank_cnndm_xsum, re3d_conflict_entities), never copied.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import tempfile
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

QUESTIONS = Path(__file__).with_name("ask_questions.json")
THRESHOLDS = (0.4, 0.5, 0.55, 0.6, 0.65, 0.7, 0.8, 0.9)
WRONG_COST = 2  # a wrong answer costs two refusals: harm first (see harm_cost)
SEED = ("seed", "000_39f2878718028330.txt")
T0 = datetime(2024, 12, 1, 8, 0, tzinfo=UTC)


@dataclass(frozen=True)
class EvalArticle:
    key: str  # the id used in ask_questions.json
    text: str
    title: str | None
    url: str | None


def load_articles(shared: Path, specs: list[dict[str, str]]) -> list[EvalArticle] | str:
    """The articles named in `specs`, read from ../shared; a "skipped: ..." reason if data is missing."""
    frank_path = shared / "data" / "frank_cnndm_xsum" / "items.jsonl"
    re3d_path = shared / "data" / "re3d_conflict_entities" / "documents_with_annotations.jsonl"
    bbc_path = shared / "data" / "bbc_news_summary_extractive" / "items.jsonl"
    seed_path = shared.joinpath(*SEED)
    for path in (frank_path, re3d_path, bbc_path, seed_path):
        if not path.is_file():
            return f"skipped: {path} not found"

    def by_id(path: Path) -> dict[str, dict[str, Any]]:
        lines = path.read_text(encoding="utf-8").splitlines()
        return {d["id"]: d for d in map(json.loads, filter(None, lines))}

    frank, re3d, bbc = by_id(frank_path), by_id(re3d_path), by_id(bbc_path)
    articles: list[EvalArticle] = []
    for spec in specs:
        source, key = spec["source"], spec["id"]
        if source == "seed":
            articles.append(EvalArticle(key, seed_path.read_text(encoding="utf-8"), None, None))
        elif source == "frank" and key in frank:
            item = frank[key]
            articles.append(EvalArticle(key, item["article"], None, item.get("source_url")))
        elif source == "re3d" and key in re3d:
            item = re3d[key]
            articles.append(EvalArticle(key, item["text"], item.get("title"), item.get("source_url")))
        elif source == "bbc" and key in bbc:
            item = bbc[key]
            text = item["article_text"]
            body = text.split("\n", 1)[1] if text.startswith(item["title"]) else text
            articles.append(EvalArticle(key, body, item["title"], None))
        else:
            return f"skipped: article {source}/{key} not found in {shared}"
    return articles


BRIEF_LIMIT_S = 30  # an article whose brief takes longer is left out (and named), not waited on forever


class _TooSlow(Exception):
    pass


def _alarm(signum: int, frame: Any) -> None:
    raise _TooSlow


def build_briefs(articles: list[EvalArticle]) -> tuple[list[Any], list[str]]:
    """Briefs of `articles` (one process, one model), and the keys of any that took over BRIEF_LIMIT_S."""
    from summarize.parse import load_nlp
    from summarize.pipeline import brief_from_text

    nlp = load_nlp()
    briefs, slow = [], []
    guard = hasattr(signal, "SIGALRM") and threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGALRM, _alarm) if guard else None
    try:
        for article in articles:
            if guard:
                signal.alarm(BRIEF_LIMIT_S)
            try:
                briefs.append(brief_from_text(article.text, title=article.title, url=article.url, nlp=nlp))
            except _TooSlow:
                slow.append(article.key)
            finally:
                if guard:
                    signal.alarm(0)
    finally:
        if guard:
            signal.signal(signal.SIGALRM, previous)
    return briefs, slow


@dataclass(frozen=True)
class Outcome:
    ask: str
    split: str
    expect: str | None
    kind: str
    found: bool
    correct: bool  # answerable: found and holds `expect`; unanswerable: declined
    best: float
    batch: str = ""  # the question's "added" mark ("" for the first questions)


async def _run(briefs: list[Any], questions: list[dict[str, Any]], seed_follow_ups: list[dict[str, str]]):
    from bot.ask import answer_question
    from storage import ArticleSource, open_database

    with tempfile.TemporaryDirectory() as folder:
        async with open_database(Path(folder) / "ask-eval.sqlite3") as db:
            for index, brief in enumerate(briefs):
                await db.articles.add(1, ArticleSource("url", T0 + timedelta(hours=index)), brief)
            sweep: dict[float, list[Outcome]] = {}
            for threshold in THRESHOLDS:
                outcomes = []
                for q in questions:
                    answer = await answer_question(db, 1, q["ask"], threshold=threshold)
                    text = answer.to_text().lower()
                    expect = q["expect"]
                    correct = (
                        (not answer.found) if expect is None else answer.found and expect.lower() in text
                    )
                    outcomes.append(
                        Outcome(
                            q["ask"],
                            q.get("split", "dev"),
                            expect,
                            answer.kind,
                            answer.found,
                            correct,
                            answer.best_score,
                            q.get("added", ""),
                        )
                    )
                sweep[threshold] = outcomes
            seed_ok = []
            for follow_up in seed_follow_ups:
                answer = await answer_question(db, 1, follow_up["ask"])
                seed_ok.append(
                    answer.found and follow_up["answer_contains"].lower() in answer.to_text().lower()
                )
    return sweep, seed_ok


def _row(cells: list[str], widths: list[int]) -> str:
    return "  ".join(
        c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True))
    )


def _pct(part: int, whole: int) -> str:
    return f"{part}/{whole} ({part / whole:.0%})" if whole else "0/0"


def split_table(outcomes: list[Outcome], splits: tuple[str, ...]) -> list[str]:
    """Per split: answerable questions answered with the expected text, unanswerable ones answered."""
    widths = [max(6, *(len(s) for s in splits)), 10, 16, 16, 16, 16]
    lines = [
        _row(
            [
                "split",
                "questions",
                "answerable right",
                "answerable wrong",
                "answ. declined",
                "unansw. answered",
            ],
            widths,
        )
    ]
    for split in splits:
        mine = [o for o in outcomes if o.split == split]
        good = [o for o in mine if o.expect is not None]
        bad = [o for o in mine if o.expect is None]
        lines.append(
            _row(
                [
                    split,
                    str(len(mine)),
                    _pct(sum(o.correct for o in good), len(good)),
                    _pct(sum(o.found and not o.correct for o in good), len(good)),
                    _pct(sum(not o.found for o in good), len(good)),
                    _pct(sum(o.found for o in bad), len(bad)),
                ],
                widths,
            )
        )
    return lines


def batch_table(outcomes: list[Outcome]) -> list[str]:
    """The dev split per batch of questions (their "added" mark): a fresh batch shows how the rules carry
    to text they were not made on, which the whole dev figure hides."""
    dev = [o for o in outcomes if o.split == "dev"]
    batches = sorted({o.batch for o in dev})
    if len(batches) < 2:
        return []
    lines = ["dev by batch (added):"]
    for batch in batches:
        table = split_table(
            [Outcome(**{**o.__dict__, "split": batch or "first"}) for o in dev if o.batch == batch],
            (batch or "first",),
        )
        lines.append(table[1])
    return lines


def harm_cost(outcomes: list[Outcome]) -> int:
    """The harm-first cost the threshold is picked by: every wrong answer (to an answerable question, or
    any answer to an unanswerable one) costs WRONG_COST, every declined answerable question 1."""
    wrong = sum(o.found and not o.correct for o in outcomes)
    declined = sum(not o.found for o in outcomes if o.expect is not None)
    return WRONG_COST * wrong + declined


def report(shared: Path, splits: tuple[str, ...] | None = None) -> str:
    """The /ask table: per split at the shipped threshold, the threshold sweep on dev, and the misses.
    `splits` limits what is run and shown: while changing rules, run dev alone (python -m evaluation.ask
    --split dev, or CONFLICTBRIEF_ASK_SPLITS=dev python -m evaluation ask) so the test split stays
    unseen."""
    from bot.ask import ANSWER_THRESHOLD

    if splits is None:
        splits = tuple(s.strip() for s in os.environ.get("CONFLICTBRIEF_ASK_SPLITS", "dev,test").split(","))

    spec = json.loads(QUESTIONS.read_text(encoding="utf-8"))
    wanted = [a for a in spec["articles"] if a.get("split", "dev") in splits or a["source"] == "seed"]
    articles = load_articles(shared, wanted)
    if isinstance(articles, str):
        return f"[ask] {articles}"
    questions = [q for q in spec["questions"] if q.get("split", "dev") in splits]
    gold_path = shared / "seed" / "000_39f2878718028330.gold.json"
    follow_ups = json.loads(gold_path.read_text(encoding="utf-8"))["follow_up_questions"]
    briefs, slow = build_briefs(articles)
    sweep, seed_ok = asyncio.run(_run(briefs, questions, follow_ups))

    answerable = [q for q in questions if q["expect"] is not None]
    lines = [
        f"[ask] {len(questions)} questions ({len(answerable)} answerable, {len(questions) - len(answerable)} not) "
        f"over {len(briefs)} real articles (seed, frank_cnndm_xsum, re3d, bbc) stored in one chat; "
        f"threshold {ANSWER_THRESHOLD:.2f}",
        "",
    ]
    if slow:
        lines[-1:-1] = [
            f"WARNING: {len(slow)} article(s) left out, their brief took over {BRIEF_LIMIT_S} s "
            f"(a pipeline problem, not /ask): {', '.join(slow)}; their questions count as misses"
        ]
    chosen = sweep.get(ANSWER_THRESHOLD) or next(iter(sweep.values()))
    lines += split_table(chosen, splits)
    lines.append("goal on test: answerable right >= 90%, unanswerable answered <= 5%")
    lines += batch_table(chosen)
    lines.append(f"seed follow-up questions answered with their expected text: {sum(seed_ok)}/{len(seed_ok)}")
    lines.append("")
    lines.append("threshold sweep, dev split only (the threshold is chosen here, never on test):")
    widths = [10, 9, 12, 12, 14, 10, 10]
    lines.append(
        _row(
            ["threshold", "accuracy", "answered ok", "wrong answ.", "false answers", "declined", "harm cost"],
            widths,
        )
    )
    lines.append(
        _row(
            [
                "",
                "(all)",
                "(answerable)",
                "(answerable)",
                "(unanswerable)",
                "(answ.)",
                f"(wrong×{WRONG_COST})",
            ],
            widths,
        )
    )
    for threshold, every in sweep.items():
        outcomes = [o for o in every if o.split == "dev"]
        if not outcomes:
            break
        good = [o for o in outcomes if o.expect is not None]
        bad = [o for o in outcomes if o.expect is None]
        mark = " ←" if abs(threshold - ANSWER_THRESHOLD) < 1e-9 else ""
        lines.append(
            _row(
                [
                    f"{threshold:.2f}{mark}",
                    f"{sum(o.correct for o in outcomes) / len(outcomes):.0%}",
                    f"{sum(o.correct for o in good)}/{len(good)}",
                    f"{sum(o.found and not o.correct for o in good)}/{len(good)}",
                    f"{sum(o.found for o in bad)}/{len(bad)} ({sum(o.found for o in bad) / max(1, len(bad)):.0%})",
                    f"{sum(not o.found for o in good)}/{len(good)}",
                    str(harm_cost(outcomes)),
                ],
                widths,
            )
        )
    first = [o for o in next(iter(sweep.values())) if o.split == "dev"]
    unanswerable_best = sorted((o.best for o in first if o.expect is None), reverse=True)
    answered_best = sorted(o.best for o in first if o.expect is not None and o.correct)
    lines.append(
        "best candidate score of unanswerable questions (highest first): "
        + ", ".join(f"{b:.2f}" for b in unanswerable_best[:6])
        + f"; of correctly answered ones, lowest first: {', '.join(f'{b:.2f}' for b in answered_best[:6])}"
    )
    misses = [o for o in chosen if not o.correct]
    lines.append(f"\nmisses at threshold {ANSWER_THRESHOLD:.2f} (split, kind, best score, what happened):")
    for o in misses:
        what = (
            "answered an unanswerable question"
            if o.expect is None
            else ("answered without the expected text" if o.found else "declined")
        )
        lines.append(f"  - [{o.split}, {o.kind}, {o.best:.2f}] {o.ask} — {what}")
    return "\n".join(lines)


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(prog="python -m evaluation.ask")
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--split", choices=("dev", "test"), action="append")
    args = parser.parse_args()
    print(report(args.shared, tuple(args.split) if args.split else None))
