"""A learned attribution tagger: source / cue / content spans over the one parse, trained on PolNeAR train.

A linear-chain CRF (python-crfsuite) tags every token B/I/O for source (S), cue (C) and content (Q). Its
features come only from the existing `Doc` (word, lemma, POS, tag, dependency and head, entity type, the
nearest speech-verb ancestor and the path to it, in-quote flag, position in the sentence, and a window of
two words each side), so it never parses again (`doc.tensor` rows as features cost more and scored lower
on dev; see docs/notes/attribution_model.md). Only sentences with a cue lemma or a quote are tagged. Spans
are then grouped into attributions: each source and content span joins the nearest cue of its sentence
(content also of the next sentence, for '"A," X said. "B."'). Every span carries the tagger's mean marginal probability as its confidence, so a
caller can keep only the sure ones.

The model (`summarize/data/attribution.crfsuite`, built by `make train`, see training/attribution.py) is
package data, loaded once per process; nothing is downloaded.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Doc

from summarize.lexicon import REPORTING_VERBS
from summarize.quotes import find_quote_spans

DATA_DIR = Path(__file__).parent / "data"
MODEL_PATH = DATA_DIR / "attribution.crfsuite"
CUES_PATH = DATA_DIR / "attribution_cues.json"
ROLES = ("S", "C", "Q")  # source, cue, content
_WINDOW = (-2, -1, 1, 2)
_MAX_CLIMB = 8
# The speakers hook adds a tagger statement only at or above this confidence (chosen on PolNeAR dev).
ADD_THRESHOLD = 0.8


@dataclass(frozen=True)
class Span:
    """A character span of `doc.text` with the tagger's confidence (mean marginal of its tokens' labels)."""

    start: int
    end: int
    confidence: float


@dataclass(frozen=True)
class AttributionSpans:
    """One attribution found by the tagger: its cue and the source and content spans joined to it."""

    cue: Span | None
    source: tuple[Span, ...]
    content: tuple[Span, ...]

    @property
    def confidence(self) -> float:
        """The weakest of its parts: a statement is only as sure as its least sure span."""
        parts = [s.confidence for s in (*self.source, *self.content)]
        if self.cue is not None:
            parts.append(self.cue.confidence)
        return min(parts) if parts else 0.0


@lru_cache(maxsize=1)
def cue_lemmas() -> frozenset[str]:
    """Speech and attitude lemmas: the shared reporting verbs plus those that PolNeAR train marks as cues."""
    learned: list[str] = json.loads(CUES_PATH.read_text(encoding="utf-8")) if CUES_PATH.is_file() else []
    return REPORTING_VERBS | frozenset(learned)


def _in_quote_flags(doc: Doc) -> list[bool]:
    flags = [False] * len(doc)
    for span in find_quote_spans(doc.text):
        chars = doc.char_span(span.start, span.end, alignment_mode="expand")
        if chars is not None:
            for i in range(chars.start, chars.end):
                flags[i] = True
    return flags


class _Columns:
    """The token attributes the features read, taken from the Doc in one pass (no Token objects later)."""

    def __init__(self, doc: Doc, cues: frozenset[str], quoted: Sequence[bool]):
        n = len(doc)
        self.n = n
        self.lower = [""] * n
        self.lemma = [""] * n
        self.pos = [""] * n
        self.tag = [""] * n
        self.dep = [""] * n
        self.ent = [""] * n
        self.shape = [""] * n
        self.head = [0] * n
        self.sent_start = [False] * n
        self.marks = [False] * n
        self.newline = [False] * n
        for t in doc:
            i = t.i
            self.lower[i] = t.lower_
            self.lemma[i] = t.lemma_.lower()
            self.pos[i] = t.pos_
            self.tag[i] = t.tag_
            self.dep[i] = t.dep_
            self.ent[i] = t.ent_iob_ + t.ent_type_ if t.ent_type_ else "O"
            self.shape[i] = "X" if t.is_title else "x" if t.is_alpha else "d" if t.is_digit else "p"
            self.head[i] = t.head.i
            self.sent_start[i] = bool(t.is_sent_start)
            self.marks[i] = t.is_quote
            self.newline[i] = "\n" in t.text
        self.quoted = list(quoted)
        self.cue = [x in cues for x in self.lemma]

    def speech_ancestor(self, i: int) -> tuple[str, str]:
        """The nearest ancestor that is a cue lemma, and the dependency by which the path leaves it."""
        child, head = i, self.head[i]
        for _ in range(_MAX_CLIMB):
            if head == child:
                break
            if self.cue[head]:
                return self.lemma[head], self.dep[child]
            child, head = head, self.head[head]
        return "", ""

    def features(self, i: int, lo: int, hi: int) -> list[str]:
        h = self.head[i]
        ancestor, via = self.speech_ancestor(i)
        feats = [
            "bias",
            "w=" + self.lower[i],
            "l=" + self.lemma[i],
            "p=" + self.pos[i],
            "t=" + self.tag[i],
            "d=" + self.dep[i],
            "e=" + self.ent[i],
            "hl=" + self.lemma[h],
            "hp=" + self.pos[h],
            "hd=" + self.dep[h],
            "dh=" + self.dep[i] + "|" + self.pos[h],
            "q=" + str(self.quoted[i]),
            "cue=" + str(self.cue[i]),
            "hcue=" + str(self.cue[h]),
            "anc=" + ancestor,
            "via=" + via,
            "ancvia=" + (ancestor and "1") + "|" + via,
            "sh=" + self.shape[i],
        ]
        if self.sent_start[i]:
            feats.append("sent_start")
        if i + 1 == self.n or self.sent_start[i + 1]:
            feats.append("sent_end")
        if self.marks[i]:
            feats.append("quote_mark")
        if self.newline[i]:
            feats.append("newline")
        if i < h:
            feats.append("before_head")
        for offset in _WINDOW:
            j = i + offset
            if lo <= j < hi:
                feats.append(f"{offset}w={self.lower[j]}")
                feats.append(f"{offset}p={self.pos[j]}")
                if abs(offset) == 1:
                    feats.append(f"{offset}q={self.quoted[j]}")
                    feats.append(f"{offset}d={self.dep[j]}")
                    feats.append(f"{offset}cue={self.cue[j]}")
            else:
                feats.append(f"{offset}pad")
        return feats


def candidate_sentences(doc: Doc, columns: _Columns) -> list[tuple[int, int]]:
    """Token ranges of the sentences worth tagging: those with a cue lemma or a quoted word. The others
    hold almost no attribution, and skipping them keeps the tagger's cost small beside the parse."""
    ranges = []
    starts = [i for i in range(columns.n) if columns.sent_start[i] or i == 0] + [columns.n]
    for lo, hi in zip(starts, starts[1:], strict=False):
        if any(columns.quoted[i] or columns.marks[i] or columns.cue[i] for i in range(lo, hi)):
            ranges.append((lo, hi))
    return ranges


def columns_of(doc: Doc, cues: frozenset[str] | None = None) -> _Columns:
    return _Columns(doc, cue_lemmas() if cues is None else cues, _in_quote_flags(doc))


def token_features(columns: _Columns, span: tuple[int, int]) -> list[list[str]]:
    """One crfsuite feature list per token of the sentence `span` (a token range)."""
    lo, hi = span
    return [columns.features(i, lo, hi) for i in range(lo, hi)]


@lru_cache(maxsize=1)
def _tagger():
    import pycrfsuite

    if not MODEL_PATH.is_file():
        raise FileNotFoundError(f"no attribution model at {MODEL_PATH}; build it with `make train`")
    tagger = pycrfsuite.Tagger()
    tagger.open(str(MODEL_PATH))
    return tagger


def available() -> bool:
    return MODEL_PATH.is_file()


def _spans(
    doc: Doc, labels: Sequence[str], marginals: Sequence[float]
) -> dict[str, list[tuple[int, int, float]]]:
    """Token spans per role from BIO labels (an I- after another role starts a span), with confidence."""
    found: dict[str, list[tuple[int, int, float]]] = {role: [] for role in ROLES}
    current: tuple[str, int] | None = None

    def close(end: int) -> None:
        if current is not None:
            role, start = current
            while end > start and doc[end - 1].is_space:
                end -= 1
            if end > start:
                confidence = sum(marginals[start:end]) / (end - start)
                found[role].append((start, end, confidence))

    for i, label in enumerate(labels):
        if label == "O":
            close(i)
            current = None
            continue
        prefix, role = label.split("-", 1)
        if prefix == "B" or current is None or current[0] != role:
            close(i)
            current = (role, i)
    close(len(labels))
    return found


def _char_span(doc: Doc, start: int, end: int, confidence: float) -> Span:
    return Span(doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text), round(confidence, 4))


def group(doc: Doc, found: dict[str, list[tuple[int, int, float]]]) -> list[AttributionSpans]:
    """Join each source and content span to the nearest cue (same sentence; content also one sentence on)."""
    sentence_of = {}
    for k, sent in enumerate(doc.sents):
        for i in range(sent.start, sent.end):
            sentence_of[i] = k
    cues = found["C"]
    joined: dict[int, dict[str, list[tuple[int, int, float]]]] = {
        k: {"S": [], "Q": []} for k in range(len(cues))
    }
    orphans: list[tuple[int, int, float]] = []
    for role in ("S", "Q"):
        for span in found[role]:
            here = sentence_of[span[0]]
            best: tuple[int, int] | None = None
            for k, cue in enumerate(cues):
                there = sentence_of[cue[0]]
                if there == here or (role == "Q" and here - there == 1):
                    distance = min(abs(cue[0] - span[1]), abs(span[0] - cue[1])) + 1000 * (here - there)
                    if best is None or distance < best[0]:
                        best = (distance, k)
            if best is not None:
                joined[best[1]][role].append(span)
            elif role == "Q":
                orphans.append(span)
    result = [
        AttributionSpans(
            cue=_char_span(doc, *cue),
            source=tuple(
                _char_span(doc, *s)
                for s in sorted(joined[k]["S"], key=lambda s: min(abs(s[1] - cue[0]), abs(s[0] - cue[1])))[:1]
            ),
            content=tuple(_char_span(doc, *q) for q in joined[k]["Q"]),
        )
        for k, cue in enumerate(cues)
    ]
    # content the tagger found with no cue in reach: a quote continuing a statement ('"..." He added. "..."')
    result.extend(AttributionSpans(cue=None, source=(), content=(_char_span(doc, *q),)) for q in orphans)
    return [a for a in result if a.content]


def predict(doc: Doc, *, skip: Sequence[tuple[int, int]] = ()) -> list[AttributionSpans]:
    """The tagger's attributions in `doc` (the one parse), in text order of their first content span.

    `skip`: character ranges already attributed (by the rules); sentences touching them are not tagged,
    which is all the hook needs and halves the cost."""
    if len(doc) == 0:
        return []
    tagger = _tagger()
    columns = columns_of(doc)
    labels = ["O"] * len(doc)
    marginals = [0.0] * len(doc)
    for lo, hi in candidate_sentences(doc, columns):
        first, last = doc[lo].idx, doc[hi - 1].idx + len(doc[hi - 1])
        if any(start < last and first < end for start, end in skip):
            continue
        tagged = tagger.tag(token_features(columns, (lo, hi)))
        labels[lo:hi] = tagged
        marginals[lo:hi] = [tagger.marginal(label, k) for k, label in enumerate(tagged)]
    found = group(doc, _spans(doc, labels, marginals))
    return sorted(found, key=lambda a: a.content[0].start)


def labels_for(doc: Doc, attributions: Iterable[dict]) -> list[str]:
    """BIO labels of `doc` from PolNeAR records (training only). Overlaps: cue over source over content,
    so a statement nested in another's content keeps its own source and cue."""
    labels = ["O"] * len(doc)
    for role, key in (("Q", "content"), ("S", "source"), ("C", "cue")):
        for attribution in attributions:
            for piece in attribution[key]:
                span = doc.char_span(piece["start"], piece["end"], alignment_mode="expand")
                if span is None:
                    continue
                tokens = [i for i in range(span.start, span.end) if not doc[i].is_space]
                for n, i in enumerate(tokens):
                    labels[i] = ("B-" if n == 0 else "I-") + role
    return labels


# --- the speakers hook: the tagger's recall beside the rules' precision ---------------------------------

_WRITER = frozenset({"i", "we", "you", "me", "us", "my", "our"})
_EDGE = "\"'“”‘’«»„ \n\t,;:"


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _EDGE:
        start += 1
    while end > start and text[end - 1] in _EDGE:
        end -= 1
    return start, end


def add_to_rules(parsed, attributions: Sequence, threshold: float = ADD_THRESHOLD) -> tuple:
    """The rules' attributions plus the tagger's sure ones in sentences the rules left untouched.

    Wrong is worse than missing, so a tagger attribution is added only when its confidence (its least sure
    span) reaches `threshold`, it has a cue and one source, and that source resolves to a speaker: no
    writer's "I"/"we", no pronoun left unresolved. Returns `summarize.speakers.Attribution`s in text order.
    """
    from summarize.mentions import is_pronoun, named_mention, source_can_speak
    from summarize.speakers.attribution import Attribution
    from summarize.speakers.resolve import Resolver

    if not available():
        return tuple(attributions)
    doc, text = parsed.doc, parsed.text
    skip = [(a.content_start, a.content_end) for a in attributions]
    quotes = find_quote_spans(text)
    resolver = Resolver(parsed)
    added = []
    for found in predict(doc, skip=skip):
        if found.cue is None or len(found.source) != 1 or found.confidence < threshold:
            continue
        source = doc.char_span(found.source[0].start, found.source[0].end, alignment_mode="expand")
        cue = doc.char_span(found.cue.start, found.cue.end, alignment_mode="expand")
        if source is None or cue is None or source.root.lower_ in _WRITER:
            continue
        if source.root.pos_ in ("VERB", "AUX") or source[0].dep_ == "mark":
            continue  # "since he suspended his campaign": a clause, not a noun phrase that can speak
        if not source_can_speak(source.root):
            continue  # "according to the data": as in the rules, a thing that carries words says nothing
        written = named_mention(source.root)
        name = resolver.name(written)
        if is_pronoun(source.root) and name == written.span(doc).text:
            continue  # "he" with no one to refer to
        for piece in found.content:
            start, end = _trimmed(text, piece.start, piece.end)
            if len(re.findall(r"\w+", text[start:end])) < 3:
                continue
            quoted = any(q.start <= start and end <= q.end for q in quotes)
            first = doc.char_span(start, end, alignment_mode="expand")
            added.append(
                Attribution(
                    speaker=name,
                    kind="direct" if quoted else "reported",
                    content_start=start,
                    content_end=end,
                    sentence=parsed.sentence_index(first.start if first is not None else cue.root.i),
                    cue=cue.root.i,
                    speaker_start=written.span(doc).start_char,
                    speaker_end=written.span(doc).end_char,
                    mention=written.span(doc).text,
                    cue_start=found.cue.start,
                    cue_end=found.cue.end,
                )
            )
    if not added:
        return tuple(attributions)
    return tuple(sorted((*attributions, *added), key=lambda a: (a.content_start, a.content_end)))


def attributions_with_tagger(parsed) -> tuple:
    """What the brief's figures and speakers share: the rules' attributions, plus the tagger's sure ones."""
    from summarize.speakers import find_attributions

    return add_to_rules(parsed, find_attributions(parsed))
