"""PolNeAR attribution, role by role: source, cue, content and speaker at exact match, 0.3 and 0.5 overlap.

The figures published systems report (CofeNet, COLING 2022: source F1 83.2, content 72.9 at exact match; the
Gender Gap Tracker's rules: quote F1 83.7, speaker 86% at 0.3) are per-role span F1, so this section scores
each role on its own, on a chosen split:
- `dev` (default for tuning): the `dev` compartment of ../shared/data/polnear_train_dev (84 articles);
- `test`: ../shared/data/polnear_test, for reporting only, never while changing rules.
Pick with CONFLICTBRIEF_POLNEAR_SPLIT=dev|test (`make eval` reports test). First annotator of each article.

Matching (one-to-one, best overlap first): spans compare by the word tokens they cover (evaluation.speakers'
`_Words`), so punctuation and quote marks at the edges do not count. `exact` = the same words (Jaccard 1.0),
`0.3` / `0.5` = word Jaccard at least that. Per role:
- source, cue: the distinct spans of the role over all attributions (one source shared by "said ... and
  added ..." counts once); attributions without a source give no source span;
- content: one item per attribution (discontinuous contents joined); our statements of one cue and speaker
  are merged first, as PolNeAR annotates '"A," X said. "B."' as one attribution;
- speaker: an attribution is right when its content matches at the threshold and its source span matches the
  gold source at the same threshold; gold attributions without a source are left out (and predictions matched
  to them are neither right nor wrong).
Parses are cached on disk under .cache/polnear/ (spaCy DocBin, keyed by model and text), so a re-run after a
rule change costs the extractor only.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from evaluation.speakers import Item, _match, _Words, merge_by_cue

LEVELS = (("exact", 1.0), ("0.3", 0.3), ("0.5", 0.5))
ROLES = ("source", "cue", "content", "speaker")
CACHE = Path(".cache") / "polnear"


@dataclass
class RoleTally:
    gold: int = 0
    pred: int = 0
    hits: dict[str, int] = field(default_factory=lambda: {name: 0 for name, _ in LEVELS})

    def prf(self, level: str) -> tuple[float, float, float]:
        p = self.hits[level] / self.pred if self.pred else 0.0
        r = self.hits[level] / self.gold if self.gold else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def load_split(shared: Path, split: str) -> list[dict]:
    if split == "test":
        path = shared / "data" / "polnear_test" / "items.jsonl"
        wanted = None
    else:
        path = shared / "data" / "polnear_train_dev" / "items.jsonl"
        wanted = "train" if split == "train" else "dev"
    if not path.is_file():
        return []
    items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [i for i in items if wanted is None or i.get("compartment") == wanted]


def parse_all(texts: Sequence[str], split: str):
    """The `Parsed` of every text, from the on-disk cache when the model and texts are unchanged."""
    from spacy.tokens import DocBin

    from summarize.parse import Parsed, _strip, load_nlp, model_name

    nlp = load_nlp()
    # the tokenizer's special cases are part of the parse ("Col." kept whole changes the tokens and the
    # sentences), so a change to them must not reuse docs cached before it
    special = "\x01".join(sorted(nlp.tokenizer.rules or {}))
    key = hashlib.sha256(
        ("\x00".join([model_name(), nlp.meta.get("version", ""), special, *texts])).encode()
    ).hexdigest()
    path = CACHE / f"{split}-{key[:16]}.spacy"
    if path.is_file():
        docs = list(DocBin().from_disk(path).get_docs(nlp.vocab))
    else:
        docs = list(nlp.pipe(texts, batch_size=8))
        path.parent.mkdir(parents=True, exist_ok=True)
        DocBin(store_user_data=False, docs=docs).to_disk(path)
    parsed = []
    for text, doc in zip(texts, docs, strict=True):
        sentences = tuple(s for s in (_strip(sent) for sent in doc.sents) if s is not None)
        parsed.append(
            Parsed(text=text, doc=doc, sentences=sentences, _starts=tuple(s.start for s in sentences))
        )
    return parsed


def _spans(role: list[dict]) -> tuple[tuple[int, int], ...]:
    return tuple((s["start"], s["end"]) for s in role)


def gold_roles(item: dict) -> dict[str, list[Item]]:
    attributions = item["annotations"][0]["attributions"] if item["annotations"] else []
    sources = {_spans(a["source"]) for a in attributions if a["source"]}
    cues = {_spans(a["cue"]) for a in attributions if a["cue"]}
    contents = [
        Item(content=_spans(a["content"]), speaker_spans=_spans(a["source"]))
        for a in attributions
        if a["content"]
    ]
    return {
        "source": [Item(content=s) for s in sorted(sources)],
        "cue": [Item(content=c) for c in sorted(cues)],
        "content": contents,
    }


def predicted_roles(attributions: Sequence) -> dict[str, list[Item]]:
    statements = [
        Item(
            content=((a.content_start, a.content_end),),
            speaker_spans=((a.speaker_start, a.speaker_end),) if a.speaker_start >= 0 else (),
            cue=a.cue,
        )
        for a in attributions
    ]
    sources = {(a.speaker_start, a.speaker_end) for a in attributions if a.speaker_start >= 0}
    cues = {(a.cue_start, a.cue_end) for a in attributions if a.cue_start >= 0}
    return {
        "source": [Item(content=(s,)) for s in sorted(sources)],
        "cue": [Item(content=(c,)) for c in sorted(cues)],
        "content": merge_by_cue(statements),
    }


def _jaccard(words: _Words, a: Sequence[tuple[int, int]], b: Sequence[tuple[int, int]]) -> float:
    wa, wb = words.of(a), words.of(b)
    return len(wa & wb) / len(wa | wb) if wa and wb else 0.0


def score_article(
    tallies: dict[str, RoleTally], text: str, gold: dict[str, list[Item]], pred: dict[str, list[Item]]
) -> None:
    words = _Words(text)
    for role in ("source", "cue", "content"):
        tallies[role].gold += len(gold[role])
        tallies[role].pred += len(pred[role])
        for name, threshold in LEVELS:
            tallies[role].hits[name] += len(_match(words, gold[role], pred[role], threshold))
    speaker = tallies["speaker"]
    with_source = [g for g in gold["content"] if g.speaker_spans]
    speaker.gold += len(with_source)
    unjudged = 0
    for name, threshold in LEVELS:
        matches = _match(words, gold["content"], pred["content"], threshold)
        for gi, pi in matches:
            g, p = gold["content"][gi], pred["content"][pi]
            if not g.speaker_spans:
                unjudged += name == "0.3"
                continue
            if p.speaker_spans and _jaccard(words, g.speaker_spans, p.speaker_spans) >= threshold - 1e-9:
                speaker.hits[name] += 1
    speaker.pred += len(pred["content"]) - unjudged


def evaluate(shared: Path, split: str, extractor=None) -> tuple[dict[str, RoleTally], int, float]:
    """Tallies per role on a split; `extractor(parsed) -> attributions` defaults to the rules."""
    if extractor is None:
        from summarize.speakers import find_attributions as extractor
    items = load_split(shared, split)
    started = time.perf_counter()
    parsed = parse_all([i["text"] for i in items], split)
    parse_seconds = time.perf_counter() - started
    tallies = {role: RoleTally() for role in ROLES}
    for item, doc in zip(items, parsed, strict=True):
        score_article(tallies, item["text"], gold_roles(item), predicted_roles(extractor(doc)))
    return tallies, len(items), parse_seconds


def table(tallies: dict[str, RoleTally]) -> list[str]:
    lines = [
        "role     gold   pred   " + "   ".join(f"{name:>5} P/R/F1      " for name, _ in LEVELS),
        "-" * 100,
    ]
    for role in ROLES:
        tally = tallies[role]
        cells = []
        for name, _ in LEVELS:
            p, r, f = tally.prf(name)
            cells.append(f"{p:.2f} {r:.2f} {f:.3f}     ")
        lines.append(f"{role:8} {tally.gold:<6} {tally.pred:<6} " + "   ".join(f"{c:>20}" for c in cells))
    return lines


def report(shared: Path) -> str:
    split = os.environ.get("CONFLICTBRIEF_POLNEAR_SPLIT", "test").strip() or "test"
    if split not in ("dev", "test"):
        return f"polnear: skipped: CONFLICTBRIEF_POLNEAR_SPLIT must be dev or test, not {split!r}"
    if not load_split(shared, split):
        return f"polnear: skipped: no PolNeAR {split} data under {shared / 'data'}"
    tallies, n, parse_seconds = evaluate(shared, split)
    lines = [f"## polnear: attribution roles on PolNeAR {split} ({n} articles, first annotator; rules)"]
    lines += table(tallies)
    lines.append(
        "(spans match one-to-one on word tokens: exact = same words, 0.3/0.5 = word Jaccard; speaker = content"
        f" and source both match; published: CofeNet source F1 83.2, content 72.9 exact; parse {parse_seconds:.1f} s)"
    )
    return "\n".join(lines)
