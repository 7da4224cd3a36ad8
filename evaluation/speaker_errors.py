"""Wrong speakers shown on PolNeAR dev or train, for rule work: `python -m evaluation.speaker_errors --list 40`.

The brief's attributions (rules + tagger, as `summarize.pipeline` computes them) are paired one to one with
the first annotator's by content (word Jaccard >= 0.3, evaluation.speakers' matching). Of the pairs whose
gold attribution has a source:
- right: our source as written shares a word with the gold source;
- wrong: it shares none (another speaker shown);
- none: we show no source span.
Unmatched predictions are counted apart ("extra"); they are no speaker error PolNeAR can judge. Lists are
refused on the test split, which is scored only to report.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path

from evaluation.polnear import gold_roles, load_split, parse_all
from evaluation.speakers import Item, _match, _Words


@dataclass
class SpeakerTally:
    right: int = 0
    wrong: int = 0
    none: int = 0
    extra: int = 0
    errors: list[str] = field(default_factory=list)
    rights: list[str] = field(default_factory=list)  # to diff two rule versions: what a rule took away

    def line(self, split: str, n: int) -> str:
        shown = self.right + self.wrong
        rate = self.wrong / shown if shown else 0.0
        return (
            f"PolNeAR {split} ({n} articles): speaker right {self.right}, WRONG {self.wrong} "
            f"(wrong shown {rate:.3f} of {shown}), no source {self.none}, unmatched predictions {self.extra}"
        )


def _snippet(text: str, start: int, end: int, width: int = 90) -> str:
    return " ".join(text[start:end].split())[:width]


def score(item: dict, parsed, attributions, tally: SpeakerTally) -> None:
    text = item["text"]
    words = _Words(text)
    gold = gold_roles(item)["content"]
    pred = [Item(content=((a.content_start, a.content_end),)) for a in attributions]
    matches = _match(words, gold, pred, 0.3)
    tally.extra += len(pred) - len(matches)
    for gi, pi in matches:
        g, a = gold[gi], attributions[pi]
        if not g.speaker_spans:
            continue
        if a.speaker_start < 0:
            tally.none += 1
            continue
        if words.of(g.speaker_spans) & words.of(((a.speaker_start, a.speaker_end),)):
            tally.right += 1
            tally.rights.append(
                f"{item.get('id', '?')} {a.mention!r} [{a.kind}] {_snippet(text, a.content_start, a.content_end)}"
            )
            continue
        tally.wrong += 1
        gold_source = " ".join(text[s:e] for s, e in g.speaker_spans)
        tally.errors.append(
            f"{item.get('id', '?')} gold={gold_source!r} ours={a.mention!r} -> {a.speaker!r} "
            f"[{a.kind}] {_snippet(text, a.content_start, a.content_end)}"
        )


def run(shared: Path, split: str, limit: int | None = None) -> SpeakerTally:
    from summarize.attribution_model import attributions_with_tagger

    items = load_split(shared, split)[:limit]
    tally = SpeakerTally()
    for item, parsed in zip(items, parse_all([i["text"] for i in items], split), strict=True):
        score(item, parsed, attributions_with_tagger(parsed), tally)
    print(tally.line(split, len(items)))
    return tally


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evaluation.speaker_errors")
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--split", default="dev", choices=("dev", "train", "test"))
    parser.add_argument("--limit", type=int, default=None, help="first N articles only")
    parser.add_argument("--list", type=int, default=0, help="print the first N wrong speakers (not on test)")
    parser.add_argument(
        "--rights", type=Path, default=None, help="write the right ones to this file (not on test)"
    )
    args = parser.parse_args(argv)
    tally = run(args.shared, args.split, args.limit)
    if args.list and args.split != "test":
        print("\n".join(tally.errors[: args.list]))
    if args.rights is not None and args.split != "test":
        args.rights.write_text("\n".join(tally.rights) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
