"""Sentence ranking: sumy's summarizers over the already-parsed sentences, plus the news method we ship.

Following sumy's own split: a tokenizer (backed by the spaCy parse, so no NLTK data is needed), a document
model built from `Parsed.sentences`, and summarizers that rate sentences. `LeadCentrality` is ours: LexRank
centrality blended with a lead-position prior, then picked greedily with a redundancy check (MMR-style).
"""

from __future__ import annotations

import heapq
import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy
from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
from sumy.nlp.stemmers import Stemmer
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.summarizers.lsa import LsaSummarizer
from sumy.summarizers.luhn import LuhnSummarizer
from sumy.summarizers.sum_basic import SumBasicSummarizer
from sumy.summarizers.text_rank import TextRankSummarizer
from sumy.utils import get_stop_words

from summarize.model import Figure, SummarySentence
from summarize.parse import Parsed

LANGUAGE = "english"
MIN_WORDS = 5  # shorter "sentences" are headings, captions or fragments, never summary material
# LexRank's similarity matrix is quadratic: longer texts are ranked over a bounded candidate set.
MAX_CANDIDATES = 60  # cnndm and bbc ROUGE as at 100 (2026-12-03, evaluation.summaries); 2.8x less LexRank at 16k characters
LEAD = 30  # the first sentences are always candidates: news puts its main facts first


class SpacyTokenizer:
    """sumy's tokenizer interface answered from the spaCy parse: no NLTK punkt data needed."""

    language = LANGUAGE

    def __init__(self, parsed: Parsed) -> None:
        self._words: dict[str, tuple[str, ...]] = {}
        for span in parsed.sentences:
            self._words[span.text] = tuple(t.text for t in span if t.is_alpha)

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        # Sentences come from the parse; a paragraph string is never re-split here.
        return (paragraph,)

    def to_words(self, sentence: str) -> tuple[str, ...]:
        return self._words.get(sentence, tuple(w for w in sentence.split() if w.isalpha()))


def document_model(parsed: Parsed, indexes: Sequence[int] | None = None) -> ObjectDocumentModel:
    """One sumy Paragraph per article paragraph, holding the parse's sentences (only `indexes` when given)."""
    tokenizer = SpacyTokenizer(parsed)
    paragraphs: list[list[Sentence]] = [[]]
    previous_end = None
    spans = parsed.sentences if indexes is None else [parsed.sentences[i] for i in indexes]
    for span in spans:
        between = parsed.text[previous_end : span.start_char] if previous_end is not None else ""
        if "\n" in between and paragraphs[-1]:
            paragraphs.append([])
        paragraphs[-1].append(Sentence(span.text, tokenizer))
        previous_end = span.end_char
    return ObjectDocumentModel([Paragraph(p) for p in paragraphs if p])


@lru_cache(maxsize=1)
def _stemmer() -> Callable[[str], str]:
    """sumy's Snowball stemmer behind a cache: the summarizers and the redundancy check stem every word of
    every candidate sentence, mostly the same few hundred words, and Snowball costs about 15 µs a word."""
    return lru_cache(maxsize=65_536)(Stemmer(LANGUAGE))


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    return frozenset(get_stop_words(LANGUAGE))


def _configured(summarizer_class: type) -> object:
    summarizer = summarizer_class(_stemmer())
    summarizer.stop_words = _stop_words()
    return summarizer


SUMY_METHODS: dict[str, type] = {
    "lexrank": LexRankSummarizer,
    "textrank": TextRankSummarizer,
    "lsa": LsaSummarizer,
    "luhn": LuhnSummarizer,
    "sumbasic": SumBasicSummarizer,
}


def sumy_ratings(method: str, parsed: Parsed, indexes: Sequence[int] | None = None) -> list[float]:
    """Each sentence's rating from one of sumy's summarizers, in article order (of `indexes` when given).

    sumy hands its sorted `SentenceInfo`s to a callable sentence count; capturing them there gives every
    rating without reaching into a summarizer's private methods.
    """
    document = document_model(parsed, indexes)
    ratings: dict[int, float] = {}

    def capture(infos: Sequence) -> Sequence:
        for info in infos:
            ratings[info.order] = float(info.rating)
        return infos

    # A text without content words makes LexRank's power method divide 0 by 0: such ratings count as 0.
    with numpy.errstate(invalid="ignore", divide="ignore"):
        _configured(SUMY_METHODS[method])(document, capture)
    values = (ratings.get(i, 0.0) for i in range(len(document.sentences)))
    return [value if math.isfinite(value) else 0.0 for value in values]


def _content_terms(span) -> Counter[str]:
    stem = _stemmer()
    stops = _stop_words()
    return Counter(stem(t.lower_) for t in span if t.is_alpha and t.lower_ not in stops)


def _cosine(a: Counter[str], b: Counter[str]) -> float:
    common = set(a) & set(b)
    if not common:
        return 0.0
    dot = sum(a[w] * b[w] for w in common)
    return dot / math.sqrt(sum(v * v for v in a.values()) * sum(v * v for v in b.values()))


def _eligible(span) -> bool:
    words = sum(1 for t in span if t.is_alpha)
    has_verb = any(t.pos_ in {"VERB", "AUX"} for t in span)
    return words >= MIN_WORDS and has_verb and not span.text.rstrip().endswith((":", "?"))


def summary_length(sentence_count: int) -> int:
    """3 sentences by default, 4 from 40 sentences and 5 from 70: long reports carry more news."""
    if sentence_count >= 70:
        return 5
    if sentence_count >= 40:
        return 4
    return 3


@dataclass(frozen=True)
class LeadCentrality:
    """LexRank centrality blended with a lead prior; greedy pick skipping near-repeats.

    score = (1 - lead_weight) * centrality / max centrality + lead_weight / (1 + position / lead_scale)
    """

    lead_weight: float = 0.75
    lead_scale: float = 3.0
    redundancy: float = 0.5  # cosine over stemmed content words above which a candidate repeats a pick
    max_candidates: int = MAX_CANDIDATES

    def rate(
        self,
        parsed: Parsed,
        figures: Sequence[Figure] = (),
        terms: Sequence[Counter[str]] | None = None,
    ) -> list[float]:
        """A score per sentence. LexRank (quadratic in its input) sees at most `max_candidates` sentences:
        the lead, those holding a figure, then the best by a linear centroid score; the rest score by
        position alone, which ranks them below every candidate of the same position anyway."""
        count = len(parsed.sentences)
        if count <= self.max_candidates:
            candidates = list(range(count))
        else:
            if terms is None:
                terms = [_content_terms(span) for span in parsed.sentences]
            candidates = candidate_sentences(terms, figures, self.max_candidates)
        rated = sumy_ratings("lexrank", parsed, candidates)
        centrality = [0.0] * count
        for index, value in zip(candidates, rated, strict=True):
            centrality[index] = value
        top = max(centrality, default=0.0) or 1.0
        return [
            (1 - self.lead_weight) * c / top + self.lead_weight / (1 + i / self.lead_scale)
            for i, c in enumerate(centrality)
        ]

    def select(self, parsed: Parsed, count: int, figures: Sequence[Figure] = ()) -> list[int]:
        """Best-first pick; a candidate repeating a pick's words or its key figure is skipped."""
        terms = [_content_terms(span) for span in parsed.sentences]
        scores = self.rate(parsed, figures, terms)
        order = sorted(range(len(scores)), key=lambda i: (-scores[i], i))
        facts = _figure_facts(figures)
        chosen: list[int] = []
        for index in order:
            if len(chosen) == count:
                break
            span = parsed.sentences[index]
            if not _eligible(span):
                continue
            if any(_cosine(terms[index], terms[j]) > self.redundancy for j in chosen):
                continue
            if any(facts.get(index, set()) & facts.get(j, set()) for j in chosen):
                continue
            chosen.append(index)
        return sorted(chosen)


def candidate_sentences(terms: Sequence[Counter[str]], figures: Sequence[Figure], limit: int) -> list[int]:
    """At most `limit` sentence indexes, in article order, chosen in linear time: the first `LEAD`
    sentences, then sentences holding a key figure (in order, up to half the rest), then the best by
    centroid score (the mean number of sentences that share each of its content words; the cheap cousin
    of LexRank's degree centrality)."""
    chosen: dict[int, None] = dict.fromkeys(range(min(LEAD, len(terms), limit)))
    quota = len(chosen) + (limit - len(chosen)) // 2
    for index in sorted({f.sentence for f in figures if f.category not in ("other", "time")}):
        if len(chosen) >= quota:
            break
        chosen.setdefault(index, None)
    spread: Counter[str] = Counter()
    for counter in terms:
        spread.update(counter.keys())

    def centroid(index: int) -> float:
        words = terms[index]
        return sum(spread[w] for w in words) / len(words) if words else 0.0

    rest = heapq.nlargest(
        limit - len(chosen),
        (i for i in range(len(terms)) if i not in chosen),
        key=lambda i: (centroid(i), -i),
    )
    chosen.update(dict.fromkeys(rest))
    return sorted(chosen)


def _figure_facts(figures: Sequence[Figure]) -> dict[int, set[tuple[str, float]]]:
    """Per sentence, the (category, number) of its casualty/troop/territory/... figures.

    Two sentences reporting the same toll ("killed or wounded at least 30", then the quote "At least 30
    soldiers were killed and wounded") say the same thing, however different their words.
    """
    facts: dict[int, set[tuple[str, float]]] = {}
    for figure in figures:
        if figure.number is not None and figure.category not in ("other", "time"):
            family = (
                "casualties" if figure.category in ("killed", "wounded", "casualties") else figure.category
            )
            facts.setdefault(figure.sentence, set()).add((family, figure.number))
    return facts


def select_by_ratings(parsed: Parsed, ratings: list[float], count: int) -> list[int]:
    """Plain top-k by rating among eligible sentences (how sumy itself picks), in article order."""
    eligible = [i for i, span in enumerate(parsed.sentences) if _eligible(span)]
    return sorted(sorted(eligible, key=lambda i: (-ratings[i], i))[:count])


def lead(parsed: Parsed, count: int) -> list[int]:
    """The first `count` eligible sentences: the Lead-k baseline."""
    return [i for i, span in enumerate(parsed.sentences) if _eligible(span)][:count]


Selector = Callable[[Parsed, int], list[int]]


def selector(method: str) -> Selector:
    """A sentence selector by name: "ours", "lead", or one of sumy's methods."""
    if method == "ours":
        return LeadCentrality().select
    if method == "lead":
        return lead
    if method in SUMY_METHODS:
        return lambda parsed, count: select_by_ratings(parsed, sumy_ratings(method, parsed), count)
    raise ValueError(f"unknown summary method {method!r}")


def summarize_sentences(
    parsed: Parsed, count: int | None = None, *, figures: Sequence[Figure] = ()
) -> tuple[SummarySentence, ...]:
    """The summary: verbatim sentences of the article, in article order (our method, LeadCentrality)."""
    if not parsed.sentences:
        return ()
    wanted = count if count is not None else summary_length(len(parsed.sentences))
    picked = LeadCentrality().select(parsed, max(1, wanted), figures)
    if not picked:  # nothing reads as a full sentence (a list, a headline): give the opening lines
        picked = list(range(min(wanted, len(parsed.sentences))))
    return tuple(SummarySentence(text=parsed.sentences[i].text, sentence=i) for i in picked)
