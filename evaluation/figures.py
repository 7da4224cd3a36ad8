"""`make eval` section: key figures against the seed gold, re3d and the quantulum3 fixtures, quantulum3 as peer.

Scores, all measured in this run on the same data:
- seed: recall of the gold `key_figures` (value matched leniently: the same numeric words, case and
  punctuation ignored), precision (share of extracted figures whose value is a gold value), claimant accuracy
  over the attributed gold figures and over the unattributed ones (claimant must be null).
- re3d: its `Quantity` and `Money` entities as gold number spans: recall (a gold span overlapped by an
  extracted value) and precision (an extracted value overlapping a gold span). "numeric gold" leaves out
  re3d spans with no number in them ("a", "wages").
- quantulum3 fixtures: share of expected quantities whose surface we extract, and value accuracy of our
  number on those (midpoint for ranges, as the fixtures state them). The peer is scored on its own fixtures.
"""

from __future__ import annotations

import json
import re
import time
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

SEED = Path("seed") / "000_39f2878718028330.txt"
SEED_GOLD = Path("seed") / "000_39f2878718028330.gold.json"
RE3D = Path("data") / "re3d_conflict_entities" / "documents_with_annotations.jsonl"
QUANTULUM = Path("data") / "quantulum3_quantity_fixtures"

_NUMBER_WORDS = {
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand "
    "million billion trillion dozen dozens hundreds thousands millions billions tens scores"
}
_NUMBER_WORDS = set(next(iter(_NUMBER_WORDS)).split())
_STOP = {"a", "an", "the", "of", "to", "s", "estimate", "by", "and", "or"}


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    value: str
    number: float | None = None


@dataclass(frozen=True)
class Row:
    data: str
    system: str
    items: str
    recall: str
    precision: str
    other: str
    seconds: float


# ------------------------------------------------------------------------------------------ helpers


def _words(text: str | None) -> list[str]:
    return re.findall(r"[a-z0-9]+(?:[.,][0-9]+)*", (text or "").lower().replace(",", ""))


def _core(text: str | None) -> frozenset[str]:
    """The numeric words of a value: 'around 1,400 square kilometers' -> {'1400'}."""
    return frozenset(w for w in _words(text) if w[0].isdigit() or w in _NUMBER_WORDS)


def _content(text: str | None) -> set[str]:
    return {w for w in _words(text) if w not in _STOP}


def same_claimant(predicted: str | None, gold: str | None) -> bool:
    """Lenient: most of the gold's content words, and most of ours, are shared. A resolved claimant
    "Rustem Umerov (the minister)" is right when either the name or the mention as written is."""
    if gold is None or predicted is None:
        return gold is None and predicted is None
    resolved = re.fullmatch(r"\s*(.+?)\s*\((.+)\)\s*", predicted)
    if resolved and not re.search(r"\(", gold):
        return any(same_claimant(part, gold) for part in resolved.groups())
    ours, theirs = _content(predicted), _content(gold)
    if not ours or not theirs:
        return False
    name = _words(gold)
    if len(name) >= 2 and _words(predicted)[-len(name) :] == name:
        return True  # "Minister for the Middle East Tobias Ellwood" is "Tobias Ellwood" with his title
    shared = len(ours & theirs)
    return shared / len(theirs) >= 0.6 and shared / len(ours) >= 0.5


def _pct(numerator: int, denominator: int) -> str:
    return f"{numerator / denominator:.2f} ({numerator}/{denominator})" if denominator else "n/a"


def _figure_spans(parsed, figures) -> list[Span]:
    """Character spans of figures in the parsed text (a value may occur twice in one sentence)."""
    spans: list[Span] = []
    cursor: dict[int, int] = {}
    for figure in figures:
        sentence = parsed.sentences[figure.sentence]
        text = sentence.text
        at = text.find(figure.value, cursor.get(figure.sentence, 0))
        if at < 0:
            at = text.find(figure.value)
        cursor[figure.sentence] = at + len(figure.value)
        start = sentence.start_char + at
        number = figure.number
        if number is None and figure.low is not None and figure.high is not None:
            number = (figure.low + figure.high) / 2
        spans.append(Span(start, start + len(figure.value), figure.value, number))
    return spans


def _quantulum_spans(text: str) -> list[Span]:
    from quantulum3 import classifier, parser

    # Its unit classifier is a pickled scikit-learn model that breaks across scikit-learn versions; it only
    # picks between ambiguous units, which these scores do not look at, so the rule-based path is used.
    classifier.USE_CLF = False
    return [Span(q.span[0], q.span[1], q.surface, float(q.value)) for q in parser.parse(text)]


def _peer_available() -> str | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import quantulum3.parser  # noqa: F401
    except ImportError:
        return "quantulum3 not installed (pip install -e '.[dev]')"
    return None


def _overlaps(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


# --------------------------------------------------------------------------------------------- seed


def seed_body(raw: str, gold: dict) -> str:
    """The article body as the cleaning step leaves it: after the dateline, without repeated titles."""
    lines = raw.splitlines()
    dateline = gold.get("dateline")
    start = next((i + 1 for i, line in enumerate(lines) if dateline and line.strip() == dateline), 0)
    title = (gold.get("title") or "").strip()
    body = [line for line in lines[start:] if line.strip() != title]
    return "\n".join(body).strip()


def score_seed(figures, gold_figures: list[dict]) -> dict[str, int]:
    """Match each gold figure to the extracted figure with the same numeric words and the closest context."""
    counts = {"gold": len(gold_figures), "found": 0, "predicted": len(figures), "correct": 0}
    counts |= {"attributed": 0, "claimant_ok": 0, "unattributed": 0, "null_ok": 0}
    gold_cores = {_core(g["value"]) for g in gold_figures}
    counts["correct"] = sum(1 for f in figures if _core(f.value) in gold_cores)
    for gold in gold_figures:
        candidates = [f for f in figures if _core(f.value) == _core(gold["value"])]
        context = _content(" ".join(str(gold.get(k) or "") for k in ("counts", "where", "when")))
        if not candidates:
            continue
        best = max(candidates, key=lambda f: len(context & _content(f"{f.counts} {f.where} {f.when}")))
        counts["found"] += 1
        if gold.get("claimed_by"):
            counts["attributed"] += 1
            counts["claimant_ok"] += same_claimant(best.claimed_by, gold["claimed_by"])
        else:
            counts["unattributed"] += 1
            counts["null_ok"] += best.claimed_by is None
    return counts


def _seed_rows(shared: Path, parse, extract) -> list[Row]:
    gold = json.loads((shared / SEED_GOLD).read_text(encoding="utf-8"))
    body = seed_body((shared / SEED).read_text(encoding="utf-8"), gold)
    started = time.perf_counter()
    parsed = parse(body)
    figures = extract(parsed)
    c = score_seed(figures, gold["key_figures"])
    rows = [
        Row(
            "seed",
            "conflictbrief",
            str(c["gold"]),
            _pct(c["found"], c["gold"]),
            _pct(c["correct"], c["predicted"]),
            f"claimant {_pct(c['claimant_ok'], c['attributed'])}, null {_pct(c['null_ok'], c['unattributed'])}",
            time.perf_counter() - started,
        )
    ]
    if _peer_available() is None:
        started = time.perf_counter()
        spans = _quantulum_spans(body)
        cores = {_core(g["value"]) for g in gold["key_figures"]}
        found = sum(1 for g in gold["key_figures"] if any(_core(s.value) == _core(g["value"]) for s in spans))
        correct = sum(1 for s in spans if _core(s.value) in cores)
        rows.append(
            Row(
                "seed",
                "quantulum3 (peer)",
                str(len(cores)),
                _pct(found, len(gold["key_figures"])),
                _pct(correct, len(spans)),
                "claimant n/a",
                time.perf_counter() - started,
            )
        )
    return rows


# --------------------------------------------------------------------------------------------- re3d


def _has_number(text: str) -> bool:
    return bool(_core(text))


def _span_scores(gold: list[Span], predicted: list[Span]) -> tuple[int, int, int, int]:
    """(gold found, numeric gold found, numeric gold, predicted that hit gold)."""
    found = sum(1 for g in gold if any(_overlaps(g, p) for p in predicted))
    numeric = [g for g in gold if _has_number(g.value)]
    numeric_found = sum(1 for g in numeric if any(_overlaps(g, p) for p in predicted))
    hits = sum(1 for p in predicted if any(_overlaps(g, p) for g in gold))
    return found, numeric_found, len(numeric), hits


def _re3d_rows(shared: Path, parse, extract) -> list[Row]:
    documents = [
        json.loads(line) for line in (shared / RE3D).read_text(encoding="utf-8").splitlines() if line
    ]
    gold_by_doc = [
        [
            Span(e["begin"], e["end"], e["span_text"])
            for e in d["entities"]
            if e["type"] in ("Quantity", "Money")
        ]
        for d in documents
    ]
    gold_total = sum(len(g) for g in gold_by_doc)
    systems: list[tuple[str, Callable[[str], list[Span]]]] = [
        ("conflictbrief", lambda text: (lambda p: _figure_spans(p, extract(p)))(parse(text)))
    ]
    if _peer_available() is None:
        systems.append(("quantulum3 (peer)", _quantulum_spans))
    rows = []
    for name, run in systems:
        started = time.perf_counter()
        found = numeric_found = numeric = hits = predicted = 0
        for document, gold in zip(documents, gold_by_doc, strict=True):
            spans = run(document["text"])
            a, b, c, d = _span_scores(gold, spans)
            found, numeric_found, numeric, hits = found + a, numeric_found + b, numeric + c, hits + d
            predicted += len(spans)
        rows.append(
            Row(
                "re3d Quantity+Money",
                name,
                f"{gold_total} in {len(documents)} docs",
                _pct(found, gold_total),
                _pct(hits, predicted),
                f"recall on numeric gold {_pct(numeric_found, numeric)}",
                time.perf_counter() - started,
            )
        )
    return rows


# ---------------------------------------------------------------------------------------- quantulum


def _fixture_items(shared: Path) -> list[dict]:
    items: list[dict] = []
    for name in ("quantities.json", "quantities.ambiguity.json"):
        path = shared / QUANTULUM / name
        if path.is_file():
            items += json.loads(path.read_text(encoding="utf-8"))
    return items


def _value_scores(items: Iterable[dict], run: Callable[[str], list[Span]]) -> tuple[int, int, int, int]:
    """(expected, surfaces found, found with a number, numbers equal to the expected value)."""
    expected = found = with_number = equal = 0
    for item in items:
        text = item["req"]
        spans = run(text)
        for res in item["res"]:
            expected += 1
            at = text.find(res["surface"])
            if at < 0:
                continue
            gold = Span(at, at + len(res["surface"]), res["surface"])
            match = next((s for s in spans if _overlaps(s, gold)), None)
            if match is None:
                continue
            found += 1
            if match.number is not None:
                with_number += 1
                value = float(res["value"])
                equal += abs(match.number - value) <= 1e-6 * max(1.0, abs(value))
    return expected, found, with_number, equal


def _quantulum_rows(shared: Path, parse, extract) -> list[Row]:
    items = _fixture_items(shared)
    systems: list[tuple[str, Callable[[str], list[Span]]]] = [
        ("conflictbrief", lambda text: (lambda p: _figure_spans(p, extract(p)))(parse(text)))
    ]
    if _peer_available() is None:
        systems.append(("quantulum3 (peer, own fixtures)", _quantulum_spans))
    rows = []
    for name, run in systems:
        started = time.perf_counter()
        expected, found, with_number, equal = _value_scores(items, run)
        rows.append(
            Row(
                "quantulum3 fixtures",
                name,
                f"{expected} in {len(items)} sentences",
                _pct(found, expected),
                "n/a",
                f"value accuracy {_pct(equal, with_number)}",
                time.perf_counter() - started,
            )
        )
    return rows


# ------------------------------------------------------------------------------------------- report


def _table(rows: list[Row]) -> str:
    header = ("data", "system", "gold items", "recall", "precision", "other", "s")
    cells = [header] + [
        (r.data, r.system, r.items, r.recall, r.precision, r.other, f"{r.seconds:.1f}") for r in rows
    ]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)) for row in cells]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def report(shared: Path) -> str:
    from summarize.figures import extract_figures
    from summarize.parse import load_nlp, parse

    nlp = load_nlp()

    def parse_text(text: str):
        return parse(text, nlp=nlp)

    def extract(parsed):
        return extract_figures(parsed, _attributions(parsed))

    lines = ["== figures: key figures (values, claimants) =="]
    rows: list[Row] = []
    peer = _peer_available()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for path, build in ((SEED_GOLD, _seed_rows), (RE3D, _re3d_rows), (QUANTULUM, _quantulum_rows)):
            if not (shared / path).exists():
                lines.append(f"skipped: {shared / path} not found")
                continue
            rows += build(shared, parse_text, extract)
    if rows:
        lines.append(_table(rows))
    if peer:
        lines.append(f"peer skipped: {peer}")
    lines.append(
        "seed: value match ignores case/punctuation (same numeric words); claimant lenient on wording. "
        "re3d: overlap of character spans; re3d also tags 'a'/'an', 'wages', ages, ordinals, unit conversions "
        "in brackets and 'the past 24 hours' as Quantity/Money, which conflictbrief leaves out by design."
    )
    return "\n".join(lines)


def _attributions(parsed) -> tuple:
    """speakers.py's attributions when that module exists (built in parallel), else none."""
    try:
        from summarize.speakers import find_attributions
    except ImportError:
        return ()
    return tuple(find_attributions(parsed))
