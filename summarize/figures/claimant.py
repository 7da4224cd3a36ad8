"""Who claims a figure: the nearest source up the tree, "according to X", a claim noun, the quotation's
speaker or the speakers extractor's attribution around it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from spacy.tokens import Doc, Span, Token

from summarize.figures.phrases import RELATIVE_WORDS, phrase_text, resolve_relative
from summarize.figures.values import NumberMention
from summarize.figures.words import CLAIM_NOUNS
from summarize.lexicon import REPORTING_VERBS, SPEAKER_PRONOUNS
from summarize.mentions import fuller_name
from summarize.parse import Parsed


def _source_of(verb: Token) -> str | None:
    """'X said' -> X; 'told AFP' adds ', to AFP'; passive 'was reported by X' -> X."""
    subject = None
    for candidate in (verb, verb.head if verb.dep_ == "conj" else None):
        if candidate is None:
            continue
        subject = next((c for c in candidate.children if c.dep_ in ("nsubj",)), None)
        if subject is None:
            agent = next((c for c in candidate.children if c.dep_ == "agent"), None)
            if agent is not None:
                subject = next((c for c in agent.children if c.dep_ == "pobj"), None)
        if subject is not None:
            break
    if subject is None:
        return None
    subject = resolve_relative(subject)
    if subject.lower_ in RELATIVE_WORDS or subject.lower_ in ("it", "there") and verb.tag_ == "VBN":
        return None
    text = phrase_text(subject)
    if verb.lemma_.lower() == "tell":
        listener = next(
            (c for c in verb.children if c.dep_ in ("dobj", "dative") and c.ent_type_ == "ORG"), None
        )
        if listener is not None:
            text += f", to {listener.text}"
    return text


def _according_to(token: Token) -> str | None:
    for child in token.children:
        if child.lower_ in ("according", "citing", "quoting") and child.dep_ in (
            "prep",
            "advcl",
            "pcomp",
            "advmod",
        ):
            target = child
            to = next((c for c in child.children if c.lower_ == "to"), None)
            if to is not None:
                target = to
            obj = next((c for c in target.children if c.dep_ in ("pobj", "dobj")), None)
            if obj is not None and not any(t.pos_ == "PRON" for t in obj.subtree):
                return phrase_text(obj)
    return None


def _claim_noun_before(clause: Token) -> str | None:
    """'previous claims it controlled 1,400 km²': a claim noun right before the clause owns it."""
    doc = clause.doc
    i = clause.left_edge.i - 1
    if i >= 0 and doc[i].lower_ == "that":
        i -= 1
    if i < 0:
        return None
    noun = doc[i]
    if noun.pos_ == "NOUN" and noun.lemma_.lower() in CLAIM_NOUNS:
        start = noun.i
        while (
            start - 1 >= 0
            and doc[start - 1].dep_ in ("amod", "compound", "poss", "case")
            and doc[start - 1].head.i in (noun.i, start)
        ):
            start -= 1
        return doc[start : noun.i + 1].text
    return None


def _tree_claimant(anchor: Token, sentence: Span) -> tuple[str | None, Token | None]:
    """Walk up from the figure to the nearest owner of the claim. Returns (text, subject head or None)."""
    node = anchor
    child = anchor
    while True:
        if node.pos_ in ("VERB", "AUX") and node.i != anchor.i:
            in_subject = child.dep_ in ("nsubj", "nsubjpass", "csubj")
            if node.lemma_.lower() in REPORTING_VERBS and not in_subject and node.lemma_.lower() != "call":
                source = _source_of(node)
                if source is not None:
                    return source, node
            cited = _according_to(node)
            if cited is not None:
                return cited, None
        if node.pos_ in ("VERB", "AUX") and node.dep_ in ("ccomp", "relcl", "acl", "advcl", "conj", "xcomp"):
            noun_claim = _claim_noun_before(node)
            if noun_claim is not None:
                return noun_claim, None
        if node.head.i == node.i or node.head.i < sentence.start or node.head.i >= sentence.end:
            break
        child, node = node, node.head
    for token in sentence:  # "according to X" anywhere in the sentence
        if token.lower_ == "according" and token.i + 2 < sentence.end and token.nbor(1).lower_ == "to":
            obj = next((c for c in token.nbor(1).children if c.dep_ == "pobj"), None)
            if obj is not None and not any(t.pos_ == "PRON" for t in obj.subtree):
                return phrase_text(obj), None
    return None, None


def quote_regions(doc: Doc) -> list[tuple[int, int]]:
    """Token spans (open mark, close mark) of double-quoted passages, across sentences."""
    regions = []
    open_at: int | None = None
    for token in doc:
        text = token.text
        if text in ("“", "«"):
            open_at = token.i
        elif text in ("”", "»") and open_at is not None:
            regions.append((open_at, token.i))
            open_at = None
        elif text == '"':
            if open_at is None:
                open_at = token.i
            else:
                regions.append((open_at, token.i))
                open_at = None
        elif "\n" in text and open_at is not None and text.count("\n") > 1:
            open_at = None  # paragraph end: news style leaves a quote open there
    return regions


def _quote_speaker(parsed: Parsed, anchor: Token, quotes: list[tuple[int, int]]) -> str | None:
    doc = parsed.doc
    for open_i, close_i in quotes:
        if not open_i < anchor.i < close_i:
            continue
        after = parsed.sentences[parsed.sentence_index(close_i)]
        candidates = [t for t in doc[close_i + 1 : after.end]]
        before = parsed.sentences[parsed.sentence_index(open_i)]
        candidates += list(reversed(doc[before.start : open_i]))
        for token in candidates:
            if token.lemma_.lower() in REPORTING_VERBS and token.pos_ == "VERB":
                source = _source_of(token)
                if source is not None:
                    return _resolve_pronoun_text(parsed, source, token)
    return None


def _resolve_pronoun_text(parsed: Parsed, text: str, at: Token) -> str:
    """'he' / 'she' -> the nearest person named before; 'they' / 'it' -> the last named source before."""
    lower = text.lower()
    if lower not in SPEAKER_PRONOUNS and lower not in ("we", "i"):
        return text
    doc = parsed.doc
    if lower in ("he", "she", "him", "her"):
        people = [ent for ent in doc.ents if ent.label_ == "PERSON" and ent.end <= at.i]
        if people:
            return people[-1].text
        return text
    for token in reversed(doc[: at.sent.start]):
        if token.lemma_.lower() in REPORTING_VERBS and token.pos_ == "VERB":
            source = _source_of(token)
            if source is not None and source.lower() not in SPEAKER_PRONOUNS:
                return source
    return text


def _attributed(attributions: Sequence[Any], start_char: int, end_char: int) -> str | None:
    """The speaker of the innermost attribution whose content holds the figure (speakers.py's shape)."""
    best = None
    for attribution in attributions:
        lo, hi = getattr(attribution, "content_start", None), getattr(attribution, "content_end", None)
        if lo is None or hi is None or not (lo <= start_char and end_char <= hi):
            continue
        if best is None or hi - lo < best[0]:
            best = (hi - lo, getattr(attribution, "speaker", None))
    return best[1] if best else None


def claimant_of(parsed: Parsed, sentence: Span, m: NumberMention, quotes, attributions) -> str | None:
    claimant = _claimant_as_written(parsed, sentence, m, quotes, attributions)
    return claimant and (fuller_name(parsed.doc, claimant, m.start) or claimant)


def _claimant_as_written(
    parsed: Parsed, sentence: Span, m: NumberMention, quotes, attributions
) -> str | None:
    doc = parsed.doc
    text, verb = _tree_claimant(m.anchor, sentence)
    start_char, end_char = doc[m.start].idx, doc[m.end - 1].idx + len(doc[m.end - 1])
    from_speakers = _attributed(attributions, start_char, end_char)
    if text is not None and text.lower() in ("we", "i"):  # "We counted 35 dead," said X
        return from_speakers or _quote_speaker(parsed, m.anchor, quotes) or text
    if text is not None and text.lower() in SPEAKER_PRONOUNS:
        return from_speakers or _resolve_pronoun_text(parsed, text, verb or m.anchor)
    if text is not None:
        return text
    if from_speakers:
        return from_speakers
    return _quote_speaker(parsed, m.anchor, quotes)
