"""Speakers: who said what, against the seed's gold and PolNeAR, with textacy's `direct_quotations` as peer.

Matching: a predicted statement matches a gold one when the word tokens of their content spans overlap by
Jaccard >= 0.3 (also shown at 0.5), one-to-one, best overlap first. Speaker accuracy and kind accuracy are
over matched pairs.
- Seed: the gold `quote` strings are located verbatim in the article body; a speaker is right when the
  names agree (same last word, one's words a subset of the other's; "NATO (the alliance)" counts as either).
- PolNeAR (first annotator of each article): the speaker is right when our speaker mention as written (a
  pronoun before resolution) overlaps the gold source span; PolNeAR has no coreference, so whether "he"
  was resolved to the right name is not scored there (the seed and the tests score that). Gold attributions
  without a source are left out of speaker accuracy. The gold kind is "direct" when the content is wholly
  inside quote marks, "reported" when it has none; mixed contents are left out of kind accuracy.
- PolNeAR annotates '"A," X said. "B."' as one attribution with two content spans, so on PolNeAR the
  statements of one cue and speaker are merged into one prediction (for both systems); kind of a merged
  prediction with mixed kinds counts as wrong.
- PolNeAR's "speech" subset: cue word is a speech verb (list below, fixed here, independent of the
  extractor's own list) or "according to", or the content holds a quote mark. Beliefs, intentions and
  evaluative acts whose content is a noun phrase ("praised X", "accused X of", "called X Y", "wants",
  "polls show") are outside it unless quoted. Precision on a subset: a prediction that
  matches a gold attribution outside the subset is neither right nor wrong there.
"""

from __future__ import annotations

import json
import re
import time
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

THRESHOLDS = (0.3, 0.5)
QUOTE_MARKS = '"“”«»„'
EVAL_SPEECH_VERBS = frozenset(
    {"say", "tell", "add", "state", "announce", "claim", "declare", "insist", "warn", "explain", "note",
     "write", "tweet", "ask", "reply", "respond", "answer", "argue", "repeat", "acknowledge", "admit", "deny",
     "confirm", "promise", "vow", "joke", "recall", "suggest", "predict", "report", "testify", "comment",
     "remark", "stress", "emphasize", "assert", "allege", "complain", "concede", "quip", "shout", "continue",
     "post", "reiterate", "contend", "maintain", "urge", "pledge", "agree", "boast", "lament", "retort",
     "sigh", "mention", "disclose", "reveal", "counter", "proclaim", "caution"}
)  # fmt: skip


@dataclass(frozen=True)
class Item:
    """One statement, gold or predicted, as character spans of one text."""

    content: tuple[tuple[int, int], ...]
    speaker: str = ""
    speaker_spans: tuple[tuple[int, int], ...] = ()
    kind: str | None = None  # direct, reported, or None when not derivable
    speech: bool = True
    cue: int = -1  # predictions: token index of the cue, to merge the pieces of one attribution


def merge_by_cue(items: Sequence[Item]) -> list[Item]:
    """One item per cue and speaker: PolNeAR annotates '"A," X said. "B."' as one attribution with a
    discontinuous content, where we (and textacy) report each quote on its own."""
    merged: dict[tuple[int, tuple[tuple[int, int], ...]], Item] = {}
    for item in items:
        key = (item.cue, item.speaker_spans)
        if item.cue < 0 or key not in merged:
            merged[key if item.cue >= 0 else (id(item), ())] = item
            continue
        first = merged[key]
        kind = first.kind if first.kind == item.kind else None
        merged[key] = Item(
            first.content + item.content, first.speaker, first.speaker_spans, kind, cue=first.cue
        )
    return list(merged.values())


class _Words:
    """Word tokens of a text, so spans compare by the words they cover rather than by characters."""

    def __init__(self, text: str):
        self.starts = [m.start() for m in re.finditer(r"\w+", text)]

    def of(self, spans: Sequence[tuple[int, int]]) -> frozenset[int]:
        words: set[int] = set()
        for start, end in spans:
            words.update(range(bisect_left(self.starts, start), bisect_left(self.starts, end)))
        return frozenset(words)


def _match(
    words: _Words, gold: Sequence[Item], pred: Sequence[Item], threshold: float
) -> list[tuple[int, int]]:
    gold_words = [words.of(g.content) for g in gold]
    pred_words = [words.of(p.content) for p in pred]
    pairs = []
    for gi, gw in enumerate(gold_words):
        for pi, pw in enumerate(pred_words):
            if gw and pw and (gw & pw):
                overlap = len(gw & pw) / len(gw | pw)
                if overlap >= threshold:
                    pairs.append((overlap, gi, pi))
    taken_g: set[int] = set()
    taken_p: set[int] = set()
    matches = []
    for _, gi, pi in sorted(pairs, reverse=True):
        if gi not in taken_g and pi not in taken_p:
            taken_g.add(gi)
            taken_p.add(pi)
            matches.append((gi, pi))
    return matches


def _name_words(name: str) -> list[str]:
    return [w for w in re.findall(r"\w+", name.lower()) if w not in {"the", "a", "an"}]


def _variants(name: str) -> list[list[str]]:
    found = re.fullmatch(r"\s*(.+?)\s*\((.+)\)\s*", name)
    names = [name] if not found else [name, found.group(1), found.group(2)]
    return [w for w in (_name_words(n) for n in names) if w]


def same_speaker(ours: str, gold: str) -> bool:
    """Names agree: equal, or the same head word with one's words a subset of the other's."""
    for a in _variants(ours):
        for b in _variants(gold):
            if a == b or (a[-1] == b[-1] and (set(a) <= set(b) or set(b) <= set(a))):
                return True
    return False


def _spans_overlap(a: Sequence[tuple[int, int]], b: Sequence[tuple[int, int]]) -> bool:
    return any(s1 < e2 and s2 < e1 for s1, e1 in a for s2, e2 in b)


@dataclass
class Tally:
    gold: int = 0
    pred: int = 0
    hits: dict[float, int] | None = None
    speaker_right: int = 0
    speaker_judged: int = 0
    kind_right: int = 0
    kind_judged: int = 0
    both_right: int = 0
    bailed: int = 0

    def __post_init__(self) -> None:
        self.hits = dict.fromkeys(THRESHOLDS, 0)


def _score(
    tally: Tally,
    words: _Words,
    gold: Sequence[Item],
    pred: Sequence[Item],
    speaker_ok: Callable[[Item, Item], bool | None],
    subset: Callable[[Item], bool] = lambda item: True,
    counts: Callable[[Item], bool] = lambda item: True,
) -> None:
    """Add one article; `counts` says which predictions the subset's precision is about."""
    tally.gold += sum(subset(g) for g in gold)
    for threshold in THRESHOLDS:
        matches = _match(words, gold, pred, threshold)
        matched_outside = {pi for gi, pi in matches if not subset(gold[gi])}
        in_subset = [(gi, pi) for gi, pi in matches if subset(gold[gi])]
        tally.hits[threshold] += len(in_subset)
        if threshold == THRESHOLDS[0]:
            tally.pred += sum(counts(p) for pi, p in enumerate(pred) if pi not in matched_outside)
            for gi, pi in in_subset:
                ok = speaker_ok(gold[gi], pred[pi])
                if ok is not None:
                    tally.speaker_judged += 1
                    tally.speaker_right += ok
                kind_ok = None if gold[gi].kind is None else gold[gi].kind == pred[pi].kind
                if kind_ok is not None:
                    tally.kind_judged += 1
                    tally.kind_right += kind_ok
                tally.both_right += bool(ok) and kind_ok is not False


# --- systems -------------------------------------------------------------------------------------------


def _ours(parsed) -> list[Item]:
    from summarize.speakers import find_attributions

    return [
        Item(
            content=((a.content_start, a.content_end),),
            speaker=a.speaker,
            speaker_spans=((a.speaker_start, a.speaker_end),) if a.speaker_start >= 0 else (),
            kind=a.kind,
            cue=a.cue,
        )
        for a in find_attributions(parsed)
    ]


def _textacy(parsed, tally: Tally) -> list[Item]:
    from textacy.extract.triples import direct_quotations

    try:
        triples = list(direct_quotations(parsed.doc))
    except ValueError:  # an odd number of quote marks: textacy bails out on the whole document
        tally.bailed += 1
        return []
    items = []
    for triple in triples:
        content = triple.content
        start, end = content.start_char, content.end_char
        if content[0].is_quote:
            start = content[0].idx + len(content[0].text)
        if content[-1].is_quote:
            end = content[-1].idx
        speaker_start = min(t.idx for t in triple.speaker)
        speaker_end = max(t.idx + len(t.text) for t in triple.speaker)
        items.append(
            Item(
                content=((start, end),),
                speaker=" ".join(t.text for t in sorted(triple.speaker, key=lambda t: t.i)),
                speaker_spans=((speaker_start, speaker_end),),
                kind="direct",
                cue=min(t.i for t in triple.cue),
            )
        )
    return items


def _peer_available() -> str | None:
    try:
        import textacy.extract.triples  # noqa: F401
    except ImportError as error:
        return f"textacy not installed ({error.name}); `pip install -e '.[dev]'`"
    return None


# --- data ----------------------------------------------------------------------------------------------


def _seed_body(text: str, gold: dict) -> str:
    """The article body: after the dateline line, without the repeated title (as the cleaning step does)."""
    lines = text.split("\n")
    dateline = gold.get("dateline")
    if dateline and dateline in lines:
        lines = lines[lines.index(dateline) + 1 :]
    while lines and (not lines[0].strip() or lines[0].strip() == gold.get("title")):
        lines.pop(0)
    return "\n".join(lines)


def gold_items(text: str, gold: dict) -> list[Item]:
    """A gold file's statements as character spans of the text (each quote is verbatim in it)."""
    items = []
    for statement in gold["speakers"]:
        start = text.find(statement["quote"])
        if start < 0:
            raise ValueError(f"gold quote not in the article text: {statement['quote'][:60]!r}")
        items.append(
            Item(((start, start + len(statement["quote"])),), statement["speaker"], kind=statement["kind"])
        )
    return items


def _gold_kind(text: str, content: Sequence[tuple[int, int]]) -> str | None:
    pieces = [text[s:e].strip().strip(".,;: ") for s, e in content]
    if not any(mark in piece for piece in pieces for mark in QUOTE_MARKS):
        return "reported"
    if all(
        p[:1] in QUOTE_MARKS and p[-1:] in QUOTE_MARKS and sum(p.count(m) for m in QUOTE_MARKS) == 2
        for p in pieces
    ):
        return "direct"
    return None


def _polnear_items(item: dict, doc) -> list[Item]:
    text = item["text"]
    found = []
    for attribution in item["annotations"][0]["attributions"]:
        content = tuple((s["start"], s["end"]) for s in attribution["content"])
        if not content:
            continue
        cue_text = " ".join(s["text"] for s in attribution["cue"]).lower()
        cue_lemmas = set()
        for span in attribution["cue"]:
            char_span = doc.char_span(span["start"], span["end"], alignment_mode="expand")
            if char_span is not None:
                cue_lemmas.update(t.lemma_.lower() for t in char_span)
        quoted = any(mark in text[s:e] for s, e in content for mark in QUOTE_MARKS)
        speech = bool(cue_lemmas & EVAL_SPEECH_VERBS) or "according to" in cue_text or quoted
        found.append(
            Item(
                content=content,
                speaker_spans=tuple((s["start"], s["end"]) for s in attribution["source"]),
                kind=_gold_kind(text, content),
                speech=speech,
            )
        )
    return found


# --- report --------------------------------------------------------------------------------------------


def _row(data: str, system: str, tally: Tally, note: str = "") -> str:
    def pct(a: int, b: int) -> str:
        return f"{a / b:.2f}" if b else "-"

    low = THRESHOLDS[0]
    p, r = (
        (tally.hits[low] / tally.pred if tally.pred else 0.0),
        (tally.hits[low] / tally.gold if tally.gold else 0.0),
    )
    f1s = []
    for t in THRESHOLDS:
        pt = tally.hits[t] / tally.pred if tally.pred else 0.0
        rt = tally.hits[t] / tally.gold if tally.gold else 0.0
        f1s.append(f"{2 * pt * rt / (pt + rt):.3f}" if pt + rt else "0.000")
    cells = [
        data,
        system,
        str(tally.gold),
        str(tally.pred),
        f"{p:.2f}",
        f"{r:.2f}",
        *f1s,
        f"{pct(tally.speaker_right, tally.speaker_judged)} ({tally.speaker_judged})",
        f"{pct(tally.kind_right, tally.kind_judged)} ({tally.kind_judged})",
        note,
    ]
    widths = [22, 8, 5, 5, 5, 5, 7, 7, 12, 12, 0]
    return " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()


def report(shared: Path) -> str:
    from summarize.parse import load_nlp, parse

    lines = ["## speakers: statements (content word-overlap Jaccard, one-to-one)"]
    header = [
        "data",
        "system",
        "gold",
        "pred",
        "P@.3",
        "R@.3",
        "F1@.3",
        "F1@.5",
        "speaker acc",
        "kind acc",
        "note",
    ]
    widths = [22, 8, 5, 5, 5, 5, 7, 7, 12, 12, 0]
    lines.append(" | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip())
    lines.append("-" * 118)
    peer_missing = _peer_available()
    nlp = load_nlp()

    seed_gold_path = shared / "seed" / "000_39f2878718028330.gold.json"
    if seed_gold_path.is_file():
        gold = json.loads(seed_gold_path.read_text(encoding="utf-8"))
        body = _seed_body((shared / "seed" / gold["source"]).read_text(encoding="utf-8"), gold)
        parsed = parse(body, nlp=nlp)
        words = _Words(body)
        seed_gold = gold_items(body, gold)

        def by_name(g: Item, p: Item) -> bool:
            return same_speaker(p.speaker, g.speaker)

        for system in ("ours", "textacy"):
            if system == "textacy" and peer_missing:
                lines.append(f"{'seed (1 article)':22} | textacy  | skipped: {peer_missing}")
                continue
            tally = Tally()
            pred = _ours(parsed) if system == "ours" else _textacy(parsed, tally)
            _score(tally, words, seed_gold, pred, by_name)
            note = f"right speaker+kind {tally.both_right}/{tally.gold} (target >= 10/11, P >= 0.8)"
            lines.append(_row("seed (1 article)", system, tally, note))
    else:
        lines.append("seed: skipped: no seed gold at ../shared/seed")

    polnear = shared / "data" / "polnear_test" / "items.jsonl"
    if not polnear.is_file():
        lines.append("polnear: skipped: no ../shared/data/polnear_test/items.jsonl")
        return "\n".join(lines)
    items = [json.loads(line) for line in polnear.read_text(encoding="utf-8").splitlines() if line.strip()]
    tallies = {
        (subset, system): Tally() for subset in ("speech", "quoted", "all") for system in ("ours", "textacy")
    }
    subsets: dict[str, Callable[[Item], bool]] = {
        "speech": lambda item: item.speech,
        "quoted": lambda item: item.kind == "direct",
        "all": lambda item: True,
    }

    def by_mention(g: Item, p: Item) -> bool | None:
        if not g.speaker_spans or not p.speaker_spans:
            return None if not g.speaker_spans else False
        return _spans_overlap(g.speaker_spans, p.speaker_spans)

    parse_seconds = 0.0
    for item in items:
        started = time.perf_counter()
        parsed = parse(item["text"], nlp=nlp)
        parse_seconds += time.perf_counter() - started
        words = _Words(item["text"])
        polnear_gold = _polnear_items(item, parsed.doc)
        predictions = {"ours": merge_by_cue(_ours(parsed))}
        if not peer_missing:
            predictions["textacy"] = merge_by_cue(_textacy(parsed, tallies[("all", "textacy")]))
        for (subset, system), tally in tallies.items():
            if system in predictions:
                counts = (lambda p: p.kind == "direct") if subset == "quoted" else (lambda p: True)
                _score(tally, words, polnear_gold, predictions[system], by_mention, subsets[subset], counts)
    n = len(items)
    labels = {
        "speech": f"PolNeAR speech ({n})",
        "quoted": f"PolNeAR direct ({n})",
        "all": f"PolNeAR all ({n})",
    }
    for (subset, system), tally in tallies.items():
        if system == "textacy" and peer_missing:
            lines.append(f"{labels[subset]:22} | textacy  | skipped: {peer_missing}")
            continue
        note = ""
        if subset == "speech" and system == "ours":
            note = "target F1@.3 >= 0.84, speaker acc >= 0.86"
        if system == "textacy" and subset == "all":
            note = f"bailed on {tallies[('all', 'textacy')].bailed} articles (odd quote marks)"
        lines.append(_row(labels[subset], system, tally, note))
    lines.append(
        f"(PolNeAR: first annotator per article; speech = speech-verb or 'according to' cue, or quoted content;"
        f" direct = content wholly in quote marks; parse {parse_seconds / max(n, 1):.2f} s/article)"
    )
    return "\n".join(lines)
