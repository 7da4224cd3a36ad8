"""`make eval` section: key figures and speakers on our own held-out gold set (tests/articles/gold).

Twelve invented war/conflict articles, each with a hand annotation in the seed gold's format, written before
the extractors were run on them. Eight form the tuning split and four the final test split (the gold file's
`split` field); rules were tuned on the first only. The set lives in the repository, so this section never
skips for want of ../shared.

Matching is that of the `figures` and `speakers` sections, reused from them:
- figures: a gold figure is found when an extracted figure has the same numeric words (`_core`); among
  several, the one whose counts/where/when share most words with the gold's is its match. Precision is the
  share of extracted figures whose value is some gold value. Claimant accuracy is over found gold figures
  with a claimant (lenient wording, `same_claimant`), "null" over those without one (ours must be null too);
  category accuracy is over all found gold figures.
- speakers: content spans matched one-to-one at word Jaccard >= 0.3 (also 0.5 for F1); speaker accuracy
  by name (`same_speaker`: pronouns must have been resolved), kind accuracy over matched pairs.

CONFLICTBRIEF_HELDOUT_SPLITS=tune limits the report to the tuning split (used while tuning rules, so the
test split is scored only at the end).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from evaluation.figures import _content, _core, _pct, score_seed
from evaluation.speakers import THRESHOLDS, Item, Tally, _score, _Words, gold_items, same_speaker

GOLD_DIR = Path(__file__).resolve().parent.parent / "tests" / "articles" / "gold"
SPLITS = ("tune", "test")


@dataclass(frozen=True)
class Article:
    name: str
    split: str
    raw: str
    gold: dict


@dataclass
class FigureTally:
    gold: int = 0
    found: int = 0
    predicted: int = 0
    correct: int = 0
    attributed: int = 0
    claimant_ok: int = 0
    unattributed: int = 0
    null_ok: int = 0
    category_ok: int = 0

    def add(self, counts: dict[str, int], category_ok: int) -> None:
        for key in ("gold", "found", "predicted", "correct", "attributed", "claimant_ok", "unattributed"):
            setattr(self, key, getattr(self, key) + counts[key])
        self.null_ok += counts["null_ok"]
        self.category_ok += category_ok


def load_articles(directory: Path = GOLD_DIR) -> list[Article]:
    """Every `NNN_slug.txt` with its `NNN_slug.gold.json`, in file-name order."""
    articles = []
    for gold_path in sorted(directory.glob("*.gold.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        raw = (directory / gold["source"]).read_text(encoding="utf-8")
        articles.append(
            Article(gold_path.name.removesuffix(".gold.json"), gold.get("split", "tune"), raw, gold)
        )
    return articles


def best_figure(figures, gold: dict, starts: Sequence[int] | None = None, near: int | None = None):
    """The extracted figure `score_seed` matches to a gold figure (same numeric words, closest context).
    With the figures' character `starts` and the gold's position `near` (both in the cleaned text), a tie
    goes to the nearest: the same "12 months" in the lead and in the quote are two figures."""
    candidates = [i for i, f in enumerate(figures) if _core(f.value) == _core(gold["value"])]
    if not candidates:
        return None
    context = _content(" ".join(str(gold.get(k) or "") for k in ("counts", "where", "when")))

    def closeness(i: int) -> tuple[int, int]:
        f = figures[i]
        shared = len(context & _content(f"{f.counts} {f.where} {f.when}"))
        distance = abs(starts[i] - near) if starts is not None and near is not None else 0
        return shared, -distance

    return figures[max(candidates, key=closeness)]


def predicted_statements(attributions) -> list[Item]:
    return [
        Item(((a.content_start, a.content_end),), a.speaker, kind=a.kind, cue=a.cue) for a in attributions
    ]


@dataclass(frozen=True)
class Extracted:
    """What the extractors give for one article, as the pipeline runs them (one parse for both)."""

    text: str  # the cleaned text every offset below refers to
    figures: tuple
    attributions: tuple
    figure_starts: tuple[int, ...] = ()  # each figure's first character in `text`


def run_extractors(raw: str, nlp) -> Extracted:
    """Clean, parse once, find attributions and figures: the one place the gold-set scorers call the NLP."""
    from summarize.attribution_model import attributions_with_tagger
    from summarize.clean import clean_text
    from summarize.figures import extract_figures
    from summarize.parse import parse

    cleaned = clean_text(raw)
    parsed = parse(cleaned.text, nlp=nlp, title=cleaned.title, dateline=cleaned.dateline)
    attributions = tuple(attributions_with_tagger(parsed))  # as summarize.pipeline: rules + learned tagger
    from evaluation.figures import _figure_spans

    figures = tuple(extract_figures(parsed, attributions))
    starts = tuple(span.start for span in _figure_spans(parsed, figures))
    return Extracted(cleaned.text, figures, attributions, starts)


def score_article(article: Article, nlp) -> tuple[dict[str, int], int, Tally]:
    """(figure counts as `score_seed` gives them, categories right, speaker tally) for one article."""
    extracted = run_extractors(article.raw, nlp)
    figures, attributions = extracted.figures, extracted.attributions
    counts = score_seed(figures, article.gold["key_figures"])
    category_ok = 0
    for gold in article.gold["key_figures"]:
        match = best_figure(figures, gold)
        category_ok += match is not None and match.category == gold["category"]
    tally = Tally()
    _score(
        tally,
        _Words(extracted.text),
        gold_items(extracted.text, article.gold),
        predicted_statements(attributions),
        lambda g, p: same_speaker(p.speaker, g.speaker),
    )
    return counts, category_ok, tally


def _merge(total: Tally, part: Tally) -> None:
    for key in ("gold", "pred", "speaker_right", "speaker_judged", "kind_right", "kind_judged", "both_right"):
        setattr(total, key, getattr(total, key) + getattr(part, key))
    for threshold in THRESHOLDS:
        total.hits[threshold] += part.hits[threshold]


def _f1(tally: Tally, threshold: float) -> str:
    p = tally.hits[threshold] / tally.pred if tally.pred else 0.0
    r = tally.hits[threshold] / tally.gold if tally.gold else 0.0
    return f"{2 * p * r / (p + r):.3f}" if p + r else "0.000"


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in (header, *rows)
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return lines


def report(shared: Path) -> str:
    del shared  # the held-out set is in the repository
    from summarize.parse import load_nlp

    lines = ["== heldout: figures and speakers on our own gold set (tests/articles/gold) =="]
    articles = load_articles()
    if not articles:
        return "\n".join([*lines, f"skipped: no gold articles in {GOLD_DIR}"])
    wanted = [s.strip() for s in os.environ.get("CONFLICTBRIEF_HELDOUT_SPLITS", ",".join(SPLITS)).split(",")]
    nlp = load_nlp()
    started = time.perf_counter()
    figure_totals = {split: FigureTally() for split in wanted}
    speaker_totals = {split: Tally() for split in wanted}
    names = {split: [] for split in wanted}
    for article in articles:
        if article.split not in wanted:
            continue
        counts, category_ok, tally = score_article(article, nlp)
        figure_totals[article.split].add(counts, category_ok)
        _merge(speaker_totals[article.split], tally)
        names[article.split].append(article.name[:3])
    if len(wanted) > 1:
        figure_totals["all"], speaker_totals["all"] = FigureTally(), Tally()
        names["all"] = [n for split in wanted for n in names[split]]
        for split in wanted:
            part = figure_totals[split]
            figure_totals["all"].add(vars(part), part.category_ok)
            _merge(speaker_totals["all"], speaker_totals[split])

    figure_rows = []
    for split, t in figure_totals.items():
        figure_rows.append((
            f"{split} ({len(names[split])})", str(t.gold), _pct(t.found, t.gold), _pct(t.correct, t.predicted),
            _pct(t.claimant_ok, t.attributed), _pct(t.null_ok, t.unattributed), _pct(t.category_ok, t.found),
        ))  # fmt: skip
    lines.append("figures (value match on numeric words; claimant lenient on wording)")
    lines += _table(("split", "gold", "recall", "precision", "claimant", "null", "category"), figure_rows)
    speaker_rows = []
    for split, t in speaker_totals.items():
        low = THRESHOLDS[0]
        speaker_rows.append((
            f"{split} ({len(names[split])})", str(t.gold), str(t.pred),
            f"{t.hits[low] / t.pred:.2f}" if t.pred else "-", f"{t.hits[low] / t.gold:.2f}" if t.gold else "-",
            _f1(t, low), _f1(t, THRESHOLDS[1]), _pct(t.speaker_right, t.speaker_judged),
            _pct(t.kind_right, t.kind_judged), f"{t.both_right}/{t.gold}",
        ))  # fmt: skip
    lines.append("speakers (content word Jaccard, one-to-one; speaker by name, pronouns must be resolved)")
    lines += _table(
        ("split", "gold", "pred", "P@.3", "R@.3", "F1@.3", "F1@.5", "speaker acc", "kind acc", "both right"),
        speaker_rows,
    )
    lines.append(
        "splits: "
        + "; ".join(f"{split} = {', '.join(names[split])}" for split in wanted)
        + f" ({time.perf_counter() - started:.1f} s)"
    )
    return "\n".join(lines)
