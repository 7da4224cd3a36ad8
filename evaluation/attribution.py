"""The learned attribution tagger beside the rules on PolNeAR dev: source / cue / content, exact, 0.3, 0.5.

`make eval` runs this section on PolNeAR's dev compartment (../shared/data/polnear_train_dev, the articles
marked `dev`; the tagger is trained on `train`). Systems, on the same parse of each article:
- rules: summarize.speakers.find_attributions, the statements of one cue and speaker joined into one
  attribution (PolNeAR's unit); the cue is the cue token ("according to" whole);
- tagger: summarize.attribution_model.predict;
- rules + tagger: the rules' attributions, plus the tagger's whose content overlaps no rule content and
  whose confidence is at least the hook's threshold (summarize.attribution_model.ADD_THRESHOLD).
Scoring: evaluation/polnear_spans.py. `python -m evaluation.attribution --split test` scores polnear_test
instead, for the final report only (never used for choosing anything).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from evaluation.polnear_spans import RoleSpans, Scores, polnear_gold, table


def rules_spans(parsed) -> list[RoleSpans]:
    from summarize.speakers import find_attributions

    doc = parsed.doc
    grouped: dict[tuple[int, int, int], list] = {}
    for a in find_attributions(parsed):
        grouped.setdefault((a.cue, a.speaker_start, a.speaker_end), []).append(a)
    found = []
    for (cue, start, end), statements in grouped.items():
        token = doc[cue]
        cue_end = token.idx + len(token.text)
        if token.lower_ == "according" and token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "to":
            cue_end = doc[token.i + 1].idx + 2
        found.append(
            RoleSpans(
                source=((start, end),) if start >= 0 else (),
                cue=((token.idx, cue_end),),
                content=tuple((s.content_start, s.content_end) for s in statements),
            )
        )
    return found


def tagger_spans(predicted) -> list[RoleSpans]:
    return [
        RoleSpans(
            source=tuple((s.start, s.end) for s in a.source),
            cue=((a.cue.start, a.cue.end),) if a.cue is not None else (),
            content=tuple((s.start, s.end) for s in a.content),
        )
        for a in predicted
    ]


def combined(rules: list[RoleSpans], predicted, threshold: float) -> list[RoleSpans]:
    taken = [span for r in rules for span in r.content]
    extra = [
        a
        for a in predicted
        if a.confidence >= threshold
        and not any(s.start < end and start < s.end for s in a.content for start, end in taken)
    ]
    return rules + tagger_spans(extra)


def load(shared: Path, split: str) -> list[dict]:
    folder = "polnear_test" if split == "test" else "polnear_train_dev"
    path = shared / "data" / folder / "items.jsonl"
    if not path.is_file():
        return []
    with path.open(encoding="utf-8") as handle:
        items = [json.loads(line) for line in handle if line.strip()]
    return items if split == "test" else [i for i in items if i["compartment"] == split]


def run(shared: Path, split: str, thresholds: tuple[float, ...] | None = None) -> str:
    from summarize import attribution_model as am
    from summarize.parse import load_nlp, parse

    items = load(shared, split)
    label = f"PolNeAR {split} ({len(items)})"
    if not items:
        return f"## attribution: skipped: no PolNeAR {split} data under {shared}/data"
    if not am.available():
        return "## attribution: skipped: no model at summarize/data (run `make train`)"
    thresholds = thresholds or (am.ADD_THRESHOLD,)
    nlp = load_nlp()
    systems: dict[str, Scores] = {"rules": Scores(), "tagger": Scores()}
    systems.update({f"rules+tagger@{t:.2f}": Scores() for t in thresholds})
    seconds = {"parse": 0.0, "rules": 0.0, "tagger": 0.0}
    for item in items:
        started = time.perf_counter()
        parsed = parse(item["text"], nlp=nlp)
        ruled_at = time.perf_counter()
        rules = rules_spans(parsed)
        tagged_at = time.perf_counter()
        predicted = am.predict(parsed.doc)
        done = time.perf_counter()
        seconds["parse"] += ruled_at - started
        seconds["rules"] += tagged_at - ruled_at
        seconds["tagger"] += done - tagged_at
        gold = polnear_gold(item)
        systems["rules"].add(item["text"], gold, rules)
        systems["tagger"].add(item["text"], gold, tagger_spans(predicted))
        for t in thresholds:
            systems[f"rules+tagger@{t:.2f}"].add(item["text"], gold, combined(rules, predicted, t))
    lines = [f"## attribution: rules vs learned tagger on {label} (P/R/F1 by role, one-to-one word matching)"]
    lines += table([(label, name, scores) for name, scores in systems.items()])
    n = len(items)
    lines.append(
        f"(first annotator; exact = same words; 0.3/0.5 = word Jaccard; time per article: parse "
        f"{seconds['parse'] / n * 1000:.0f} ms, rules {seconds['rules'] / n * 1000:.0f} ms, "
        f"tagger {seconds['tagger'] / n * 1000:.0f} ms)"
    )
    return "\n".join(lines)


def report(shared: Path) -> str:
    return run(shared, "dev")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evaluation.attribution")
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--split", choices=("dev", "test"), default="dev")
    parser.add_argument("--thresholds", type=float, nargs="*", default=None)
    args = parser.parse_args(argv)
    print(run(args.shared, args.split, tuple(args.thresholds) if args.thresholds else None))
    return 0


if __name__ == "__main__":
    sys.exit(main())
