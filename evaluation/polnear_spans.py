"""PolNeAR scoring by role: source, cue and content spans at exact match and at 0.3 / 0.5 overlap.

A shared scorer for any system that gives attributions as character spans (the rules, the learned tagger).
One unit is one attribution's role: the words (\\w+ tokens) of all its spans together, so a content split
around its cue ('"A," X said, "B."') is one unit. Within an article and role, units with the same words are
counted once (a source shared by two attributions is one source). Gold is the first annotator of each
article; attributions with no span for a role have no unit there. Gold and predicted units are matched one to
one, best word Jaccard first; a pair counts at threshold t when Jaccard >= t, and at "exact" when the word
sets are equal (so quote marks and edge punctuation, which the scheme and the systems treat differently, do
not count).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

ROLES = ("source", "cue", "content")
LEVELS = ("exact", 0.3, 0.5)
Spans = tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class RoleSpans:
    """One attribution as character spans per role (any role may be empty)."""

    source: Spans = ()
    cue: Spans = ()
    content: Spans = ()


class Words:
    """Word tokens of a text, so spans compare by the words they cover rather than by characters."""

    def __init__(self, text: str):
        self.starts = [m.start() for m in re.finditer(r"\w+", text)]

    def of(self, spans: Iterable[tuple[int, int]]) -> frozenset[int]:
        words: set[int] = set()
        for start, end in spans:
            words.update(range(bisect_left(self.starts, start), bisect_left(self.starts, end)))
        return frozenset(words)


def units(words: Words, attributions: Iterable[RoleSpans], role: str) -> list[frozenset[int]]:
    unique: dict[frozenset[int], None] = {}
    for attribution in attributions:
        covered = words.of(getattr(attribution, role))
        if covered:
            unique.setdefault(covered, None)
    return list(unique)


def match(gold: Sequence[frozenset[int]], pred: Sequence[frozenset[int]]) -> list[float]:
    """The Jaccard of each one-to-one matched pair, best first."""
    pairs = sorted(
        (
            (len(g & p) / len(g | p), gi, pi)
            for gi, g in enumerate(gold)
            for pi, p in enumerate(pred)
            if g & p
        ),
        reverse=True,
    )
    taken_g: set[int] = set()
    taken_p: set[int] = set()
    scores = []
    for overlap, gi, pi in pairs:
        if gi not in taken_g and pi not in taken_p:
            taken_g.add(gi)
            taken_p.add(pi)
            scores.append(overlap)
    return scores


@dataclass
class RoleTally:
    gold: int = 0
    pred: int = 0
    hits: dict = field(default_factory=lambda: dict.fromkeys(LEVELS, 0))

    def add(self, gold: Sequence[frozenset[int]], pred: Sequence[frozenset[int]]) -> None:
        self.gold += len(gold)
        self.pred += len(pred)
        for level in LEVELS:
            # exact: equal word sets; a one-to-one matching at a lower Jaccard can only pair fewer equals
            threshold = 1.0 if level == "exact" else level
            exact_or_over = match(gold, pred) if level != "exact" else _exact(gold, pred)
            self.hits[level] += sum(score >= threshold for score in exact_or_over)

    def prf(self, level) -> tuple[float, float, float]:
        hits = self.hits[level]
        p = hits / self.pred if self.pred else 0.0
        r = hits / self.gold if self.gold else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _exact(gold: Sequence[frozenset[int]], pred: Sequence[frozenset[int]]) -> list[float]:
    return [1.0] * len(set(gold) & set(pred))


@dataclass
class Scores:
    """Tallies per role over a set of articles."""

    roles: dict = field(default_factory=lambda: {role: RoleTally() for role in ROLES})

    def add(self, text: str, gold: Sequence[RoleSpans], pred: Sequence[RoleSpans]) -> None:
        words = Words(text)
        for role in ROLES:
            self.roles[role].add(units(words, gold, role), units(words, pred, role))


def polnear_gold(item: dict) -> list[RoleSpans]:
    """The first annotator's attributions of a PolNeAR record (polnear_test or polnear_train_dev)."""
    return [
        RoleSpans(
            source=tuple((s["start"], s["end"]) for s in a["source"]),
            cue=tuple((s["start"], s["end"]) for s in a["cue"]),
            content=tuple((s["start"], s["end"]) for s in a["content"]),
        )
        for a in item["annotations"][0]["attributions"]
    ]


def table(rows: Sequence[tuple[str, str, Scores]]) -> list[str]:
    """One line per (data, system, role): P/R/F1 at exact, 0.3 and 0.5."""
    lines = [
        f"{'data':22} {'system':16} {'role':8} {'gold':>5} {'pred':>5}  "
        + "  ".join(f"{'P/R/F1 ' + str(level):>20}" for level in LEVELS)
    ]
    for data, system, scores in rows:
        for role in ROLES:
            tally = scores.roles[role]
            cells = []
            for level in LEVELS:
                p, r, f = tally.prf(level)
                cells.append(f"{p:.2f}/{r:.2f}/{f:.3f}".rjust(20))
            lines.append(f"{data:22} {system:16} {role:8} {tally.gold:5} {tally.pred:5}  " + "  ".join(cells))
    return lines
