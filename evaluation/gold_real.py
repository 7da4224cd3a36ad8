"""`make eval` section: figures and speakers with their harm rates on our two own gold sets, per split.

- real: `evaluation/gold_real.json`, 26 real conflict articles from ../shared/data (re3d, the extraction
  benchmark's gold text, frank_cnndm_xsum), annotated before the extractors ran on them (guidelines and
  split rule in docs/notes/gold_real.md). The file holds values, names, short counted phrases and character
  offsets; the article text is read from ../shared here, and the set is skipped when ../shared lacks it.
- invented: the twelve invented articles of `tests/articles/gold` (unit tests, not the measure), scored the
  same way so the two sets read side by side.

Matching is reused, not rewritten: a gold figure is found by `heldout.best_figure` (same numeric words,
closest context), claimants compare by `figures.same_claimant`, statements are paired one to one by
`speakers._match` at word Jaccard 0.3 and speakers compare by `speakers.same_speaker`.

Columns, per split:
- figures found: gold figures with a match, over gold figures;
- category right: of found;
- claimant right: of found figures the article attributes (any of the gold's names accepted);
- null right: of found figures the article states unattributed, ours shows no claimant;
- wrong claimant shown: of found figures ours shows with a claimant, the share whose claimant is not the
  gold one (any claimant on an unattributed figure is wrong);
- statements found: gold statements paired with one of ours, over all gold statements;
- statements right speaker: matched gold statements whose speaker agrees, over all gold statements;
- wrong speaker shown: of matched statements, the share shown with another speaker.

CONFLICTBRIEF_GOLD_SPLITS=tune,tune2,tune3,tune4 limits the report to the tuning splits (for rule work: the
test splits are scored only to report). `tune2` (10 real articles added later), `tune3` (6 real wire/news
reports, the kind that dominates test) and `tune4` (8 more wire/news reports), each annotated before any
extractor ran on them, exist for the real set only; the invented set has tune and test.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import get_args

from evaluation.figures import _core, _pct, same_claimant
from evaluation.heldout import _table, best_figure, load_articles, predicted_statements, run_extractors
from evaluation.speakers import THRESHOLDS, Item, _match, _Words, gold_items, same_speaker
from summarize.model import Category

GOLD_FILE = Path(__file__).resolve().parent / "gold_real.json"
SPLITS = ("tune", "tune2", "tune3", "tune4", "test")
# the only splits whose errors may be listed (test is scored, never read)
TUNE_SPLITS = ("tune", "tune2", "tune3", "tune4")
CATEGORIES = frozenset(get_args(Category))  # the schema's enum, from the one Literal
KINDS = frozenset({"direct", "reported"})


@dataclass(frozen=True)
class GoldStatement:
    start: int  # character offsets of the content in the dataset text
    end: int
    speaker: str
    kind: str
    anchor: str  # the content's first words, to check the offsets still point at it


@dataclass(frozen=True)
class GoldArticle:
    name: str
    split: str
    kind: str
    text: str  # the dataset text the offsets refer to (not the cleaned text)
    figures: tuple[dict, ...]  # value, offset, number, category, counts, claimed_by(_also), where, when
    statements: tuple[GoldStatement, ...]


@dataclass
class HarmTally:
    articles: int = 0
    figures: int = 0
    found: int = 0
    predicted: int = 0
    predicted_gold_value: int = 0
    category_ok: int = 0
    attributed: int = 0
    claimant_ok: int = 0
    unattributed: int = 0
    null_ok: int = 0
    shown_with_claimant: int = 0
    wrong_claimant: int = 0
    statements: int = 0
    matched: int = 0
    speaker_ok: int = 0
    wrong_speaker: int = 0
    unplaced: int = 0  # gold statements whose span the cleaning step did not keep (scored as missed)
    names: list[str] = field(default_factory=list)

    def add(self, other: HarmTally) -> None:
        for f in fields(self):
            if f.name == "names":
                self.names.extend(other.names)
            else:
                setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))


# --------------------------------------------------------------------------------------------- loading


def _claimants(gold: dict) -> tuple[str, ...]:
    first = gold.get("claimed_by")
    return (first, *gold.get("claimed_by_also", ())) if first else ()


def _dataset_texts(shared: Path, wanted: dict[str, set[str]]) -> dict[tuple[str, str], str]:
    """Only the wanted ids of each dataset, read in place."""
    texts: dict[tuple[str, str], str] = {}
    data = shared / "data"
    if wanted.get("re3d"):
        with (data / "re3d_conflict_entities" / "documents_with_annotations.jsonl").open(
            encoding="utf-8"
        ) as f:
            for line in f:
                doc = json.loads(line)
                if doc["id"] in wanted["re3d"]:
                    texts["re3d", doc["id"]] = doc["text"]
    if wanted.get("aebn"):
        truth = json.loads(
            (data / "article_extraction_benchmark_news" / "ground-truth.json").read_text(encoding="utf-8")
        )
        for ident in wanted["aebn"]:
            if ident in truth:
                texts["aebn", ident] = truth[ident]["articleBody"]
    if wanted.get("frank"):
        with (data / "frank_cnndm_xsum" / "items.jsonl").open(encoding="utf-8") as f:
            for line in f:
                item = json.loads(line)
                if item["id"] in wanted["frank"]:
                    texts["frank", item["id"]] = item["article"]
    return texts


def load_real(shared: Path, gold_file: Path = GOLD_FILE) -> list[GoldArticle] | str:
    """The real gold set with its texts, or a message saying why it cannot be loaded."""
    gold = json.loads(gold_file.read_text(encoding="utf-8"))
    missing = sorted({a["path"] for a in gold["articles"] if not (shared / a["path"]).is_file()})
    if missing:
        return f"skipped: the real gold set reads {', '.join(missing)} under {shared}, which is absent"
    wanted: dict[str, set[str]] = {}
    for article in gold["articles"]:
        wanted.setdefault(article["dataset"], set()).add(article["id"])
    texts = _dataset_texts(shared, wanted)
    articles = []
    for a in gold["articles"]:
        text = texts.get((a["dataset"], a["id"]))
        if text is None:
            return f"skipped: {a['dataset']} article {a['id']} not found in {shared / a['path']}"
        statements = tuple(
            GoldStatement(s["start"], s["end"], s["speaker"], s["kind"], s["anchor"]) for s in a["speakers"]
        )
        name = f"{a['dataset']}:{a['id'][:16]}"
        articles.append(GoldArticle(name, a["split"], a["kind"], text, tuple(a["key_figures"]), statements))
    return articles


def validate(articles: Iterable[GoldArticle]) -> list[str]:
    """Problems with the gold: values not verbatim at their offsets, spans out of range or off their
    anchors, categories or kinds outside the schema, splits other than SPLITS."""
    problems = []
    for a in articles:
        if a.split not in SPLITS:
            problems.append(f"{a.name}: split {a.split!r}")
        for g in a.figures:
            offset, value = g["offset"], g["value"]
            if not (0 <= offset <= len(a.text) - len(value)) or a.text[offset : offset + len(value)] != value:
                problems.append(f"{a.name}: figure {value!r} not verbatim at offset {offset}")
            if g["category"] not in CATEGORIES:
                problems.append(f"{a.name}: figure {value!r} category {g['category']!r}")
            if not _core(value) and g["number"] is not None:
                problems.append(f"{a.name}: figure {value!r} has no numeric words")
            if g.get("claimed_by") is None and g.get("claimed_by_also"):
                problems.append(f"{a.name}: figure {value!r} has other claimant names but no claimant")
        for s in a.statements:
            if not (0 <= s.start < s.end <= len(a.text)):
                problems.append(f"{a.name}: statement offsets {s.start}-{s.end} out of range")
            elif a.text[s.start : s.end].split()[:4] != s.anchor.split():
                problems.append(f"{a.name}: statement at {s.start} does not start with {s.anchor!r}")
            if s.kind not in KINDS:
                problems.append(f"{a.name}: statement kind {s.kind!r}")
            if not s.speaker.strip():
                problems.append(f"{a.name}: statement at {s.start} has no speaker")
    return problems


def place(source: str, start: int, end: int, text: str) -> tuple[int, int] | None:
    """Where `source[start:end]` sits in the cleaned `text`: the same occurrence of the same words (cleaning
    normalises whitespace and drops boilerplate lines, it never rewrites words; it only writes a CSV export's
    doubled quote mark as one)."""
    pattern = re.compile(
        r"\s+".join(re.escape(word).replace('""', '"{1,2}') for word in source[start:end].split())
    )
    nth = sum(1 for m in pattern.finditer(source) if m.start() < start)
    found = list(pattern.finditer(text))
    if not found:
        return None
    match = found[min(nth, len(found) - 1)]
    return match.start(), match.end()


# --------------------------------------------------------------------------------------------- scoring


def score_extracted(
    figures: Sequence,
    gold_figures: Sequence[dict],
    words: _Words,
    gold: Sequence[Item],
    pred: Sequence[Item],
    starts: Sequence[int] | None = None,
    gold_starts: Sequence[int | None] | None = None,
) -> HarmTally:
    """One article's tally from what was extracted (pure: the unit test feeds it constructed answers).
    `starts` (each figure's position) and `gold_starts` (each gold figure's, same text) break ties between
    figures of the same value by distance."""
    t = HarmTally(articles=1, figures=len(gold_figures), predicted=len(figures), statements=len(gold))
    gold_cores = {_core(g["value"]) for g in gold_figures}
    t.predicted_gold_value = sum(_core(f.value) in gold_cores for f in figures)
    for gi, g in enumerate(gold_figures):
        match = best_figure(figures, g, starts, gold_starts[gi] if gold_starts else None)
        if match is None:
            continue
        t.found += 1
        t.category_ok += match.category == g["category"]
        names = _claimants(g)
        right = any(same_claimant(match.claimed_by, name) for name in names)
        if names:
            t.attributed += 1
            t.claimant_ok += right
        else:
            t.unattributed += 1
            t.null_ok += match.claimed_by is None
        if match.claimed_by is not None:
            t.shown_with_claimant += 1
            t.wrong_claimant += not right
    for gi, pi in _match(words, gold, pred, THRESHOLDS[0]):
        t.matched += 1
        if same_speaker(pred[pi].speaker, gold[gi].speaker):
            t.speaker_ok += 1
        else:
            t.wrong_speaker += 1
    return t


def score_real(article: GoldArticle, nlp) -> HarmTally:
    extracted = run_extractors(article.text, nlp)
    gold, unplaced = [], 0
    for s in article.statements:
        at = place(article.text, s.start, s.end, extracted.text)
        if at is None:
            unplaced += 1
            continue
        gold.append(Item((at,), s.speaker, kind=s.kind))
    tally = score_extracted(
        extracted.figures,
        article.figures,
        _Words(extracted.text),
        gold,
        predicted_statements(extracted.attributions),
        extracted.figure_starts,
        _gold_starts(article, extracted.text),
    )
    tally.statements += unplaced
    tally.unplaced = unplaced
    tally.names.append(article.name)
    return tally


def _gold_starts(article: GoldArticle, cleaned: str) -> list[int | None]:
    """Each gold figure's position in the cleaned text (None when its sentence cannot be placed)."""
    starts = []
    for g in article.figures:
        at = place(article.text, g["offset"], g["offset"] + len(g["value"]), cleaned)
        starts.append(at[0] if at else None)
    return starts


def score_invented(article, nlp) -> HarmTally:
    extracted = run_extractors(article.raw, nlp)
    tally = score_extracted(
        extracted.figures,
        article.gold["key_figures"],
        _Words(extracted.text),
        gold_items(extracted.text, article.gold),
        predicted_statements(extracted.attributions),
    )
    tally.names.append(article.name[:3])
    return tally


# --------------------------------------------------------------------------------------------- report


def _row(label: str, split: str, t: HarmTally) -> tuple[str, ...]:
    return (
        label, f"{split} ({t.articles})", str(t.figures), _pct(t.found, t.figures),
        _pct(t.predicted_gold_value, t.predicted), _pct(t.category_ok, t.found),
        _pct(t.claimant_ok, t.attributed), _pct(t.null_ok, t.unattributed),
        _pct(t.wrong_claimant, t.shown_with_claimant), str(t.statements), _pct(t.matched, t.statements), _pct(t.speaker_ok, t.statements),
        _pct(t.wrong_speaker, t.matched),
    )  # fmt: skip


HEADER = (
    "set", "split", "figures", "found", "precision", "category", "claimant", "null", "WRONG claimant shown",
    "statements", "found", "right speaker", "WRONG speaker shown",
)  # fmt: skip


def _totals(label: str, articles, score, wanted: Sequence[str], nlp) -> list[tuple[str, ...]]:
    present = {article.split for article in articles}  # the invented set has no tune2, tune3 or tune4
    by_split = {split: HarmTally() for split in wanted if split in present}
    for article in articles:
        if article.split in by_split:
            by_split[article.split].add(score(article, nlp))
    rows = [_row(label, split, t) for split, t in by_split.items()]
    if len(by_split) > 1:
        total = HarmTally()
        for t in by_split.values():
            total.add(t)
        rows.append(_row(label, "all", total))
    return rows


def _cleaned(text: str) -> str:
    from summarize.clean import clean_text

    return clean_text(text).text


def _wanted_splits() -> list[str]:
    """CONFLICTBRIEF_GOLD_SPLITS (comma-separated, e.g. tune,tune2,tune3,tune4), else every split; unknown names fail
    loudly rather than print an empty table."""
    raw = os.environ.get("CONFLICTBRIEF_GOLD_SPLITS", ",".join(SPLITS))
    wanted = [s.strip() for s in raw.split(",") if s.strip()]
    unknown = [s for s in wanted if s not in SPLITS]
    if unknown:
        raise ValueError(f"CONFLICTBRIEF_GOLD_SPLITS: unknown split(s) {unknown}, known {SPLITS}")
    return wanted


def report(shared: Path) -> str:
    from summarize.parse import load_nlp

    lines = [
        "== gold_real: figures and speakers with harm rates on our own gold sets (tune / tune2 / tune3 / tune4 / test) =="
    ]
    wanted = _wanted_splits()
    started = time.perf_counter()
    nlp = load_nlp()
    rows: list[tuple[str, ...]] = []
    real = load_real(shared)
    notes = []
    if isinstance(real, str):
        notes.append(f"real: {real}")
    else:
        problems = validate(real)
        if problems:
            notes.append(f"real: {len(problems)} gold problems, first: {problems[0]}")
        rows += _totals(f"real ({len(real)})", real, score_real, wanted, nlp)
        unplaced = sum(
            place(a.text, s.start, s.end, _cleaned(a.text)) is None for a in real for s in a.statements
        )
        if unplaced:
            notes.append(f"real: {unplaced} gold statements not in the cleaned text (scored as missed)")
    invented = load_articles()
    rows += _totals(f"invented ({len(invented)})", invented, score_invented, wanted, nlp)
    lines += _table(HEADER, rows)
    lines.append(
        "found: same numeric words (closest context); precision: extracted figures whose value is a gold "
        "value; category/claimant/null: of found; WRONG claimant: of found figures shown with a claimant, "
        "not the gold's; statements found (one-to-one at word Jaccard >= 0.3) and right speaker: of all gold statements; "
        "WRONG speaker: of matched statements"
    )
    lines += notes
    lines.append(f"({time.perf_counter() - started:.1f} s)")
    return "\n".join(lines)


# --------------------------------------------------------------------------------------- tune errors


def tune_errors(shared: Path, splits: Sequence[str] = TUNE_SPLITS) -> str:
    """Every miss and every harm on the real tuning splits (tune, tune2, tune3, tune4), article by article, for rule work.
    The test split is never listed: it is scored, not read."""
    if not set(splits) <= set(TUNE_SPLITS):
        raise ValueError(f"only the tuning splits {TUNE_SPLITS} may be listed, not {splits}")
    from summarize.parse import load_nlp

    real = load_real(shared)
    if isinstance(real, str):
        return real
    nlp = load_nlp()
    lines = []
    for article in (a for a in real if a.split in splits):
        extracted = run_extractors(article.text, nlp)
        out = []
        for g, near in zip(article.figures, _gold_starts(article, extracted.text), strict=True):
            match = best_figure(extracted.figures, g, extracted.figure_starts, near)
            names = _claimants(g)
            if match is None:
                out.append(f"  figure missed: {g['value']!r} ({g['counts']})")
                continue
            if match.category != g["category"]:
                out.append(f"  category: {g['value']!r} gold {g['category']}, ours {match.category}")
            if not any(same_claimant(match.claimed_by, n) for n in names) and (names or match.claimed_by):
                out.append(
                    f"  claimant: {g['value']!r} gold {names[0] if names else None!r}, ours {match.claimed_by!r}"
                )
        gold = []
        for s in article.statements:
            at = place(article.text, s.start, s.end, extracted.text)
            gold.append(Item((at,) if at else ((0, 0),), s.speaker, kind=s.kind))
        pred = predicted_statements(extracted.attributions)
        matched = dict(_match(_Words(extracted.text), gold, pred, THRESHOLDS[0]))
        for gi, s in enumerate(article.statements):
            if gi not in matched:
                out.append(f"  statement missed: {s.speaker!r}: {s.anchor} ...")
            elif not same_speaker(pred[matched[gi]].speaker, s.speaker):
                out.append(
                    f"  speaker: {s.anchor} ... gold {s.speaker!r}, ours {pred[matched[gi]].speaker!r}"
                )
        lines += [f"{article.name} [{article.split}] ({article.kind})", *(out or ["  no errors"])]
    return "\n".join(lines)


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(prog="python -m evaluation.gold_real")
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument(
        "--tune-errors",
        action="store_true",
        help="list misses and harms on the tune, tune2, tune3 and tune4 splits",
    )
    args = parser.parse_args()
    print(tune_errors(args.shared) if args.tune_errors else report(args.shared))
