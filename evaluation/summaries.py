"""Summary quality: ROUGE-1/2/L of our summaries and of Lead-3 and sumy's methods, in one run.

Every method sees the same cleaned text and the same single parse per article, so the table compares
sentence selection alone. Sets (see each README under ../shared/data):
- cnndm: CNN/DailyMail articles with newsroom highlights (FRANK sample), 3 sentences, as in the literature;
- xsum: BBC articles with a one-sentence abstractive reference, 1 sentence;
- bbc: BBC articles with extractive reference summaries; as many sentences as the reference has;
- seed: the seed article against its gold `lead_facts`, 3 sentences.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from statistics import mean

from rouge_score import rouge_scorer

from summarize.clean import clean_text
from summarize.figures import extract_figures
from summarize.parse import Parsed, load_nlp, parse
from summarize.rank import SUMY_METHODS, LeadCentrality, lead, selector
from summarize.speakers import find_attributions

METHODS = ("ours", "ours-nofig", "lead", "lexrank", "textrank", "lsa", "luhn", "sumbasic")
LABELS = {
    "ours": "ours (shipped)",
    "ours-nofig": "ours w/o figure redundancy",
    "lead": "Lead-k",
}


def _ours(parsed: Parsed, count: int) -> list[int]:
    """The shipped selection, with the figures the pipeline would pass it (same parse)."""
    figures = extract_figures(parsed, find_attributions(parsed))
    return LeadCentrality().select(parsed, count, figures)


@dataclass(frozen=True)
class Item:
    dataset: str
    text: str
    references: list[str]
    count: int


def _items(shared: Path) -> Iterator[Item]:
    seed = shared / "seed"
    for gold_path in sorted(seed.glob("*.gold.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        text = (seed / gold["source"]).read_text(encoding="utf-8")
        yield Item("seed", text, gold["lead_facts"], 3)
    frank = shared / "data" / "frank_cnndm_xsum" / "items.jsonl"
    if frank.exists():
        for line in frank.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            count = 3 if row["dataset"] == "cnndm" else 1
            yield Item(row["dataset"], row["article"], row["reference_highlights"], count)
    bbc = shared / "data" / "bbc_news_summary_extractive" / "items.jsonl"
    if bbc.exists():
        for line in bbc.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            yield Item("bbc", row["article_text"], row["summary_sentences"], len(row["summary_sentences"]))


def parsed_items(shared: Path) -> Iterator[tuple[Item, Parsed]]:
    nlp = load_nlp()
    for item in _items(shared):
        cleaned = clean_text(item.text)
        if cleaned.text:
            yield item, parse(cleaned.text, nlp=nlp)


def score_table(shared: Path, methods: dict[str, object]) -> dict[str, dict[str, list[tuple[float, ...]]]]:
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeLsum"], use_stemmer=True)
    scores: dict[str, dict[str, list[tuple[float, ...]]]] = {}
    for item, parsed in parsed_items(shared):
        reference = "\n".join(item.references)
        for name, select in methods.items():
            picked = select(parsed, item.count)
            summary = "\n".join(parsed.sentences[i].text for i in picked)
            result = scorer.score(reference, summary)
            row = tuple(100 * result[k].fmeasure for k in ("rouge1", "rouge2", "rougeLsum"))
            scores.setdefault(item.dataset, {}).setdefault(name, []).append(row)
    return scores


def format_table(scores: dict[str, dict[str, list[tuple[float, ...]]]]) -> str:
    lines = [
        "Summaries: ROUGE F1 x100 (rouge-score, stemmed; R-L is summary-level rougeLsum)",
        f"{'set':<7}{'n':>5}  {'method':<26}{'R-1':>7}{'R-2':>7}{'R-L':>7}",
    ]
    for dataset, by_method in scores.items():
        for name, rows in by_method.items():
            r1, r2, rl = (mean(column) for column in zip(*rows, strict=True))
            label = LABELS.get(name, f"sumy {name}" if name in SUMY_METHODS else f"ours {name}")
            lines.append(f"{dataset:<7}{len(rows):>5}  {label:<26}{r1:>7.2f}{r2:>7.2f}{rl:>7.2f}")
        lines.append("")
    return "\n".join(lines)


def report(shared: Path) -> str:
    if not (shared / "seed").is_dir() and not (shared / "data").is_dir():
        return f"summaries: skipped: no seed or data under {shared}"
    methods = {name: selector(name) for name in METHODS if not name.startswith("ours")}
    methods = {"ours": _ours, "ours-nofig": selector("ours"), **methods}
    return format_table(score_table(shared, methods))


def tune(shared: Path) -> str:
    """Not part of `make eval`: the grid the shipped LeadCentrality defaults were chosen from."""
    methods: dict[str, object] = {"lead": lead}
    for weight in (0.5, 0.65, 0.75, 0.85):
        for scale in (2.0, 3.0, 5.0):
            methods[f"w{weight}-s{scale}"] = LeadCentrality(lead_weight=weight, lead_scale=scale).select
    return format_table(score_table(shared, methods))


if __name__ == "__main__":
    import sys

    print(tune(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared")))
