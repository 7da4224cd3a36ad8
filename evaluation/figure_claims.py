"""Figure claimants at scale: every figure the brief extracts from a PolNeAR article, against the source of
the attribution whose content holds it.

Our own conflict gold sets are small (a few dozen attributed figures per split), too small to tell a rule
that is right 90 % of the time from one right 60 %. PolNeAR annotates every attribution of its articles
(source, cue, content), so any number the brief lists there has a gold claimant for free:
- inside an attribution's content: the source of the innermost one (the smallest content holding it);
- inside no content, or in one without a source: nobody (the writer's own statement).

Per figure, ours is
- right: the gold has a source and ours names it (`figures.same_claimant` or `speakers.same_speaker`, or our
  words all in the gold source span: "Hicks" for "a spokesman for the campaign, Hope Hicks");
- wrong: ours names somebody else, or somebody where the gold has nobody;
- missing: the gold has a source and ours shows "no claimant named";
- unjudged: the gold source is a bare pronoun ("he said"): PolNeAR does not resolve it, so a named
  claimant cannot be checked (shown apart, not counted in the rates).

Rates: claimant right = right / (gold with a non-pronoun source); WRONG claimant shown = wrong / (ours shown
with a claimant and judged). The split is chosen as in `evaluation.polnear`: dev and train for rule work,
test to report. `python -m evaluation.figure_claims --split dev [--list N] [--by-rule]` (`--by-rule`: the
outcomes of each rule of `summarize/figures/claimant.py` that names a claimant, to find the one to mend).
"""

from __future__ import annotations

import argparse
import re
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from evaluation.figures import _content, _figure_spans, same_claimant
from evaluation.polnear import load_split, parse_all
from evaluation.speakers import same_speaker

PRONOUNS = frozenset(
    [
        "i",
        "me",
        "we",
        "us",
        "he",
        "him",
        "she",
        "her",
        "they",
        "them",
        "it",
        "you",
        "this",
        "that",
        "who",
        "which",
        "one",
        "ones",
    ]
    + ["his", "their", "its", "our", "my", "your", "someone", "somebody"]
)


@dataclass
class ClaimTally:
    articles: int = 0
    figures: int = 0
    gold_source: int = 0  # figures in a content with a non-pronoun source
    gold_pronoun: int = 0
    gold_nobody: int = 0
    right: int = 0
    wrong: int = 0
    wrong_on_nobody: int = 0
    missing: int = 0
    unjudged_shown: int = 0
    examples: list[str] = field(default_factory=list)
    verdicts: list[str] = field(default_factory=list)  # one line a figure, to diff two rule versions
    # with --by-rule: outcomes per claimant rule of summarize/figures/claimant.py (right, wrong, missing, ...)
    by_rule: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))

    def rates(self) -> tuple[str, str, str]:
        shown = self.right + self.wrong

        def pct(a: int, b: int) -> str:
            return f"{a / b:.2f} ({a}/{b})" if b else "n/a"

        return (
            pct(self.right, self.gold_source),
            pct(self.wrong, shown),
            pct(self.gold_nobody - self.wrong_on_nobody, self.gold_nobody),
        )


def _gold_claimant(text: str, attributions: Sequence[dict], start: int, end: int) -> tuple[str, str | None]:
    """('source', text) | ('pronoun', text) | ('nobody', None) for the figure at [start, end)."""
    best, best_size = None, None
    for a in attributions:
        for span in a["content"]:
            if span["start"] <= start and end <= span["end"]:
                size = sum(s["end"] - s["start"] for s in a["content"])
                if best_size is None or size < best_size:
                    best, best_size = a, size
    if best is None or not best["source"]:
        return "nobody", None
    source = " ".join(text[s["start"] : s["end"]] for s in best["source"])
    words = re.findall(r"[a-z']+", source.lower())
    if not words or all(w in PRONOUNS for w in words):
        return "pronoun", source
    return "source", source


def names_source(ours: str, gold: str) -> bool:
    if same_claimant(ours, gold) or same_speaker(ours, gold):  # "Jeffrey M. Jones" names "Jones"
        return True
    resolved = re.fullmatch(r"\s*(.+?)\s*\((.+)\)\s*", ours)
    parts = resolved.groups() if resolved else (ours,)
    theirs = _content(gold)
    return any(_content(part) and _content(part) <= theirs for part in parts)


def score(
    split: str, shared: Path, limit: int | None = None, rules: dict[tuple[int, int], str] | None = None
) -> ClaimTally:
    """`rules`: a dict set as `summarize.figures.claimant.RULE_LOG` while extracting; tallies `by_rule`."""
    from summarize.attribution_model import attributions_with_tagger
    from summarize.figures import extract_figures

    items = load_split(shared, split)[:limit]
    parsed_all = parse_all([i["text"] for i in items], split if limit is None else f"{split}-{limit}")
    tally = ClaimTally()
    for item, parsed in zip(items, parsed_all, strict=True):
        gold = item["annotations"][0]["attributions"] if item["annotations"] else []
        figures = extract_figures(parsed, attributions_with_tagger(parsed))
        tally.articles += 1
        for figure, span in zip(figures, _figure_spans(parsed, figures), strict=True):
            tally.figures += 1
            kind, source = _gold_claimant(item["text"], gold, span.start, span.end)
            ours = figure.claimed_by
            note = None
            verdict = kind
            if kind == "nobody":
                tally.gold_nobody += 1
                if ours is not None:
                    tally.wrong += 1
                    tally.wrong_on_nobody += 1
                    note = f"WRONG (gold nobody) {figure.value!r}: ours {ours!r}"
            elif kind == "pronoun":
                tally.gold_pronoun += 1
                tally.unjudged_shown += ours is not None
            else:
                tally.gold_source += 1
                if ours is None:
                    tally.missing += 1
                elif names_source(ours, source or ""):
                    tally.right += 1
                    verdict = "right"
                else:
                    tally.wrong += 1
                    note = f"WRONG {figure.value!r}: gold {source!r}, ours {ours!r}"
            tally.verdicts.append(
                f"{item['id']} {span.start} {figure.value!r} [{verdict}] gold {source!r} ours {ours!r}"
            )
            if rules is not None:
                outcome = verdict  # "right" or "pronoun" as they are
                if verdict == "source":
                    outcome = "missing" if ours is None else "wrong"
                elif verdict == "nobody":
                    outcome = "nobody, none" if ours is None else "nobody, shown"
                tally.by_rule[rules.get((id(parsed.doc), span.start), "?")][outcome] += 1
            if note is not None:
                sentence = parsed.sentences[figure.sentence].text.replace("\n", " ")
                tally.examples.append(f"{item['id']}: {note}\n    {sentence[:300]}")
    return tally


def report(shared: Path, split: str = "test") -> str:
    started = time.perf_counter()
    t = score(split, shared)
    if not t.articles:
        return f"figure claimants on PolNeAR {split}: skipped (no {shared}/data/polnear_*)"
    right, wrong, nobody = t.rates()
    return "\n".join(
        [
            f"figure claimants on PolNeAR {split} ({t.articles} articles, {t.figures} figures listed; "
            f"{t.gold_source} in a content with a named source, {t.gold_pronoun} with a pronoun source "
            f"(unjudged), {t.gold_nobody} the writer's)",
            f"  claimant right {right} · WRONG claimant shown {wrong} · writer's figures shown without "
            f"claimant {nobody} · missing {t.missing}",
            f"  ({time.perf_counter() - started:.1f} s)",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evaluation.figure_claims")
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--split", default="dev", choices=("dev", "train", "test"))
    parser.add_argument("--limit", type=int, default=None, help="first N articles only")
    parser.add_argument("--dump", type=Path, default=None, help="write every figure's verdict to this file")
    parser.add_argument("--list", type=int, default=0, help="print the first N wrong claimants (not on test)")
    parser.add_argument(
        "--by-rule", action="store_true", help="outcomes per claimant rule (summarize/figures/claimant.py)"
    )
    args = parser.parse_args(argv)
    if args.list and args.split == "test":
        parser.error("the test split is scored, not read: list errors on dev or train")
    rules: dict[tuple[int, int], str] | None = None
    if args.by_rule:
        from summarize.figures.claimant import RULE_LOG

        rules = {}
        RULE_LOG.set(rules)
    t = score(args.split, args.shared, args.limit, rules)
    right, wrong, nobody = t.rates()
    print(
        f"{args.split}: {t.articles} articles, {t.figures} figures; claimant right {right}; "
        f"WRONG shown {wrong}; writer's without claimant {nobody}; missing {t.missing}; "
        f"pronoun-source (unjudged) {t.gold_pronoun}, shown {t.unjudged_shown}"
    )
    if args.dump:
        if args.split == "test":
            parser.error("the test split is scored, not read")
        args.dump.write_text("\n".join(t.verdicts) + "\n", encoding="utf-8")
    for rule, outcomes in sorted(t.by_rule.items(), key=lambda kv: -kv[1].total()):
        shown = outcomes["right"] + outcomes["wrong"] + outcomes["nobody, shown"]
        precision = f"{outcomes['right'] / shown:.2f}" if shown else "n/a"
        print(f"  rule {rule!r}: shown {shown}, right {precision} of shown; {dict(outcomes)}")
    for line in t.examples[: args.list]:
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
