"""Where and when a figure applies: the place phrase and date of the figure's own clause."""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span, Token

from summarize.figures.values import in_spans
from summarize.figures.words import MOVEMENT_VERBS, PLACE_NOUNS, PLACE_PREPS
from summarize.lexicon import REPORTING_VERBS


def _scope(anchor: Token, sentence: Span) -> list[Token]:
    """The figure's clause: from the figure up to (not including) a reporting verb or the sentence root."""
    path = [anchor]
    node = anchor
    while node.head.i != node.i and sentence.start <= node.head.i < sentence.end:
        if node.head.lemma_.lower() in REPORTING_VERBS and node.dep_ in (
            "ccomp",
            "xcomp",
            "dobj",
            "parataxis",
        ):
            break
        node = node.head
        path.append(node)
    return path


def _clause_levels(anchor: Token, sentence: Span) -> list[Token]:
    """Verbs on the way up from the figure, lowest first, stopping at a reporting verb or a clause that
    hangs on a noun ("fears that ...": the place of the fears is not the place of the figure)."""
    levels = []
    for node in _scope(anchor, sentence):
        if node.pos_ in ("VERB", "AUX"):
            levels.append(node)
            if node.dep_ in ("acl", "relcl") and node.head.pos_ in ("NOUN", "PROPN"):
                break
    return levels or [_scope(anchor, sentence)[-1]]


def _is_place_phrase(prep: Token, dates: list[tuple[int, int]]) -> bool:
    if prep.dep_ != "prep" or prep.lower_ not in PLACE_PREPS:
        return False
    if prep.lower_ == "to" and prep.head.lemma_.lower() not in MOVEMENT_VERBS:
        return False  # "concessions to Moscow" is no place
    obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
    if obj is None or in_spans(obj.i, dates) or obj.ent_type_ in ("DATE", "TIME", "PERSON", "NORP"):
        return False
    subtree = list(obj.subtree)
    return any(t.ent_type_ in ("GPE", "LOC", "FAC") for t in subtree) or (
        obj.lemma_.lower() in PLACE_NOUNS and any(t.pos_ == "PROPN" for t in subtree)
    )


def place_of(anchor: Token, sentence: Span, dates: list[tuple[int, int]]) -> str | None:
    path = {t.i for t in _scope(anchor, sentence)}
    for level in _clause_levels(anchor, sentence):
        places = [t for t in level.subtree if _is_place_phrase(t, dates)]
        outer = [p for p in places if not any(q.i != p.i and p in q.subtree for q in places)]
        if outer:
            outer.sort(key=lambda t: (t.head.i not in path, abs(t.i - anchor.i)))
            return _phrase_text_from(outer[0])
    top = _scope(anchor, sentence)[-1]
    reporting = [t for t in top.head.children if t.i != top.i and _is_place_phrase(t, dates)]
    return _phrase_text_from(reporting[0]) if reporting and top.head.i != top.i else None


def _phrase_text_from(prep: Token) -> str:
    doc = prep.doc
    drop: set[int] = set()
    for token in prep.subtree:
        if token.dep_ in ("relcl", "acl", "advcl") and token.i != prep.i:
            drop |= {t.i for t in token.subtree}
        elif token.dep_ == "appos" and any(t.ent_type_ == "PERSON" for t in token.subtree):
            drop |= {t.i for t in token.subtree}  # "near Robotyne, a spokesperson, Andriy Kovalyov"
    kept = sorted(t.i for t in prep.subtree if t.i not in drop)
    end = kept[0]
    while end + 1 in kept:
        end += 1
    while end > prep.i and (doc[end].is_punct or doc[end].lower_ in ("and", "or", "where")):
        end -= 1
    return doc[prep.i : end + 1].text


def time_of(doc: Doc, anchor: Token, sentence: Span, dates: list[tuple[int, int]], own: range) -> str | None:
    spans = [
        (s, e)
        for s, e in dates
        if sentence.start <= s < sentence.end and not (s < own.stop and own.start < e)
    ]
    if not spans:
        return None
    path = _scope(anchor, sentence)
    scope = {t.i for t in path[-1].subtree}
    inside = [span for span in spans if span[0] in scope]
    chosen = inside or spans
    chosen.sort(key=lambda span: abs(span[0] - anchor.i))
    start, end = chosen[0]
    return doc[start:end].text


def shorten_place(where: str | None) -> str | None:
    """'near the villages of A, B in the Kursk region' -> 'near A, B, Kursk region' for the one-line form."""
    if not where:
        return None
    short = re.sub(r"\bthe (villages?|towns?|cities|city|settlements?|hamlets?) of\s+", "", where)
    short = re.sub(r"\s+in the\s+", ", ", short)
    return re.sub(r"^(in|at) the\s+", r"\1 ", short)
