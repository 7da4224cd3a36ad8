"""The learned attribution tagger beside the rules on PolNeAR dev: source / cue / content / speaker F1 at
exact match, 0.3 and 0.5 overlap.

`make eval` runs this section on PolNeAR's dev compartment (the tagger is trained on `train`; dev chose
its design and its threshold). Systems, on the same (cached) parse of each article:
- rules: summarize.speakers.find_attributions;
- tagger: summarize.attribution_model.predict, alone;
- rules + tagger@t: summarize.attribution_model.add_to_rules (the speakers hook) at threshold t: the
  rules' attributions plus the tagger's sure ones in sentences the rules left untouched.
Scoring is evaluation/polnear.py's (role by role, one-to-one on word tokens). `python -m
evaluation.attribution --split test` scores polnear_test: for the final report only, never for choosing.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from evaluation.polnear import (
    ROLES,
    RoleTally,
    gold_roles,
    load_split,
    parse_all,
    predicted_roles,
    score_article,
)
from evaluation.polnear import table as role_table
from evaluation.speakers import Item


def tagger_roles(predicted: Sequence) -> dict[str, list[Item]]:
    """evaluation.polnear's role lists for the tagger's attributions."""
    roles: dict[str, list[Item]] = {"source": [], "cue": [], "content": []}
    seen = {role: {item.content for item in roles[role]} for role in ("source", "cue")}
    for a in predicted:
        source = tuple((s.start, s.end) for s in a.source)
        for role, spans in (("source", source), ("cue", ((a.cue.start, a.cue.end),) if a.cue else ())):
            if spans and spans not in seen[role]:
                seen[role].add(spans)
                roles[role].append(Item(content=spans))
        roles["content"].append(
            Item(content=tuple((s.start, s.end) for s in a.content), speaker_spans=source)
        )
    return roles


def _rows(name: str, tallies: dict[str, RoleTally]) -> list[str]:
    return [f"{name:18} {line}" for line in role_table(tallies)[2:]]


def run(shared: Path, split: str, thresholds: Sequence[float] | None = None) -> str:
    from summarize import attribution_model as am
    from summarize.speakers import find_attributions

    items = load_split(shared, split)
    if not items:
        return f"## attribution: skipped: no PolNeAR {split} data under {shared}/data"
    if not am.available():
        return "## attribution: skipped: no model at summarize/data (run `make train`)"
    thresholds = tuple(thresholds or (am.ADD_THRESHOLD,))
    parsed_all = parse_all([i["text"] for i in items], split)
    names = ["rules", "tagger", *(f"rules+tagger@{t:.2f}" for t in thresholds)]
    tallies = {name: {role: RoleTally() for role in ROLES} for name in names}
    for item, parsed in zip(items, parsed_all, strict=True):
        gold = gold_roles(item)
        rules = find_attributions(parsed)
        rule_roles = predicted_roles(rules)
        score_article(tallies["rules"], item["text"], gold, rule_roles)
        score_article(tallies["tagger"], item["text"], gold, tagger_roles(am.predict(parsed.doc)))
        for t in thresholds:
            joined = predicted_roles(am.add_to_rules(parsed, rules, t))
            score_article(tallies[f"rules+tagger@{t:.2f}"], item["text"], gold, joined)
    lines = [
        f"## attribution: rules vs learned tagger on PolNeAR {split} ({len(items)} articles, first annotator)",
        f"{'system':18} " + role_table(tallies["rules"])[0],
    ]
    for name in names:
        lines += _rows(name, tallies[name])
    lines.append(
        "(evaluation/polnear.py's matching: exact = same words, 0.3/0.5 = word Jaccard; speaker = content and"
        " source both match; the tagger is trained on PolNeAR train only)"
    )
    return "\n".join(lines)


def cost(shared: Path, n: int = 20) -> str:
    """The tagger's run-time cost beside the bare parse, per article (median of 3 alternating runs each)."""
    from summarize import attribution_model as am
    from summarize.parse import load_nlp, parse
    from summarize.speakers import find_attributions

    items = load_split(shared, "dev")[:n]
    if not items or not am.available():
        return "attribution cost: skipped (no PolNeAR dev data or no model)"
    nlp = load_nlp()
    am.predict(parse("Warm-up. He said it was fine.", nlp=nlp).doc)
    full, hook = [], []
    for item in items:
        runs: dict[str, list[float]] = {"parse": [], "full": [], "hook": []}
        for _ in range(3):
            started = time.perf_counter()
            parsed = parse(item["text"], nlp=nlp)
            parsed_at = time.perf_counter()
            am.predict(parsed.doc)
            full_at = time.perf_counter()
            rules = find_attributions(parsed)
            ruled_at = time.perf_counter()
            am.add_to_rules(parsed, rules)
            done = time.perf_counter()
            runs["parse"].append(parsed_at - started)
            runs["full"].append(full_at - parsed_at)
            runs["hook"].append(done - ruled_at)
        base = statistics.median(runs["parse"])
        full.append(statistics.median(runs["full"]) / base)
        hook.append(statistics.median(runs["hook"]) / base)
    return (
        f"attribution tagger cost over {len(items)} PolNeAR dev articles, as a fraction of the bare parse "
        f"(median): whole article {statistics.median(full):.3f}, as the speakers hook (add_to_rules: sentences "
        f"the rules left untouched) {statistics.median(hook):.3f}"
    )


def report(shared: Path) -> str:
    return run(shared, "dev") + "\n" + cost(shared)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evaluation.attribution")
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--split", choices=("dev", "test"), default="dev")
    parser.add_argument("--thresholds", type=float, nargs="*", default=None)
    parser.add_argument("--cost", action="store_true", help="also measure the run-time cost (dev articles)")
    args = parser.parse_args(argv)
    print(run(args.shared, args.split, args.thresholds))
    if args.cost:
        print(cost(args.shared))
    return 0


if __name__ == "__main__":
    sys.exit(main())
