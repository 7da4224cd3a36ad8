"""Train the attribution tagger (summarize/attribution_model.py) on PolNeAR train; `make train` runs it.

    python -m training.attribution [--shared ../shared] [--max-articles N] [--max-iterations N]

Reads ../shared/data/polnear_train_dev (its `train` compartment only: `dev` is for tuning and scoring,
polnear_test is never read here), parses each article once with the project's own pipeline
(summarize.parse.load_nlp, the same parse the bot makes; cached under .cache/polnear for re-runs), learns
the cue lexicon from train, builds the token features and BIO labels, and trains a CRF (L-BFGS with L1+L2, so the model stays small). Writes
summarize/data/attribution.crfsuite and summarize/data/attribution_cues.json. Bounded for a shared 2-core
machine: the first annotator of each article only, a cap on articles and on iterations.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path

from summarize import attribution_model as am
from summarize.lexicon import REPORTING_VERBS

SEED = 11


def load_items(shared: Path, compartment: str) -> list[dict]:
    path = shared / "data" / "polnear_train_dev" / "items.jsonl"
    with path.open(encoding="utf-8") as handle:
        items = [json.loads(line) for line in handle if line.strip()]
    return [item for item in items if item["compartment"] == compartment]


def parse_all(texts: list[str]):
    """The project's own parse of each text, cached on disk (evaluation/polnear.py's DocBin cache)."""
    from evaluation.polnear import parse_all as cached

    return [parsed.doc for parsed in cached(texts, "train")]


def learn_cues(docs, items, min_count: int = 5, min_rate: float = 0.2) -> list[str]:
    """Lemmas that are a cue often enough in train: 'accuse', 'praise', 'want', ... beside the speech verbs."""
    as_cue: Counter[str] = Counter()
    seen: Counter[str] = Counter()
    for doc, item in zip(docs, items, strict=True):
        for token in doc:
            if token.pos_ in ("VERB", "NOUN", "ADP"):
                seen[token.lemma_.lower()] += 1
        for attribution in item["annotations"][0]["attributions"]:
            for piece in attribution["cue"]:
                span = doc.char_span(piece["start"], piece["end"], alignment_mode="expand")
                if span is not None:
                    as_cue[span.root.lemma_.lower()] += 1
    learned = [
        lemma
        for lemma, n in as_cue.items()
        if n >= min_count and n / max(seen[lemma], 1) >= min_rate and lemma not in REPORTING_VERBS
    ]
    return sorted(learned)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.attribution")
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--max-articles", type=int, default=500)
    parser.add_argument("--max-iterations", type=int, default=100)
    parser.add_argument("--c1", type=float, default=0.1)
    parser.add_argument("--c2", type=float, default=0.01)
    parser.add_argument("--out", type=Path, default=am.MODEL_PATH)
    args = parser.parse_args(argv)
    if not (args.shared / "data" / "polnear_train_dev" / "items.jsonl").is_file():
        print(f"skipped: no {args.shared}/data/polnear_train_dev/items.jsonl")
        return 0
    import pycrfsuite

    started = time.perf_counter()
    items = load_items(args.shared, "train")
    random.Random(SEED).shuffle(items)
    items = items[: args.max_articles]
    docs = parse_all([item["text"] for item in items])
    parsed_at = time.perf_counter()
    print(f"parsed {len(docs)} train articles in {parsed_at - started:.0f} s", flush=True)

    cues = learn_cues(docs, items)
    am.DATA_DIR.mkdir(parents=True, exist_ok=True)
    am.CUES_PATH.write_text(json.dumps(cues, indent=0) + "\n", encoding="utf-8")
    am.cue_lemmas.cache_clear()
    lexicon = am.cue_lemmas()
    trainer = pycrfsuite.Trainer(verbose=False)
    tokens = covered = labelled = 0
    for doc, item in zip(docs, items, strict=True):
        labels = am.labels_for(doc, item["annotations"][0]["attributions"])
        columns = am.columns_of(doc, lexicon)
        for lo, hi in am.candidate_sentences(doc, columns):
            trainer.append(am.token_features(columns, (lo, hi)), labels[lo:hi])
            tokens += hi - lo
            covered += sum(label != "O" for label in labels[lo:hi])
        labelled += sum(label != "O" for label in labels)
    featured_at = time.perf_counter()
    print(
        f"features for {tokens:,} tokens in candidate sentences, holding {covered / max(labelled, 1):.1%} of the"
        f" labelled tokens ({len(cues)} learned cue lemmas), in {featured_at - parsed_at:.0f} s",
        flush=True,
    )
    trainer.set_params(
        {
            "c1": args.c1,
            "c2": args.c2,
            "max_iterations": args.max_iterations,
            "feature.possible_transitions": True,
            "feature.minfreq": 2,
        }
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(args.out))
    done = time.perf_counter()
    size = args.out.stat().st_size
    print(
        f"trained {args.max_iterations} iterations max in {done - featured_at:.0f} s; "
        f"model {args.out} {size / 1e6:.1f} MB; total {done - started:.0f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
