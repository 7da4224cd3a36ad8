"""Quote spans (summarize/quotes.py, on characters) mapped onto the parse's tokens."""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Doc, Token

from summarize.quotes import QuoteSpan

TERMINAL_MARKS = frozenset({".", "!", "?", "…"})


_MIN_CLAUSE_WORDS = 4  # shorter quotes with a verb ("can't stand") are fragments of reported speech


def _list_semicolon(semicolon: Token) -> bool:
    """ "cleared A, B and C; repaired 13 roads; and destroyed D": a semicolon before a verb with no subject
    of its own (a conjunct of the same subject) separates items of a list, not two sentences."""
    doc = semicolon.doc
    i = semicolon.i + 1
    while i < len(doc) and (doc[i].is_space or doc[i].lower_ in ("and", "or", "but")):
        i += 1
    if i >= len(doc):
        return False
    verb = doc[i]
    return (
        verb.pos_ == "VERB"
        and verb.dep_ == "conj"
        and not any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in verb.children)
    )


class QuoteTokens:
    """Quote spans mapped onto tokens."""

    def __init__(self, doc: Doc, spans: Sequence[QuoteSpan]):
        self.spans = tuple(spans)
        self.of_token = [-1] * len(doc)  # quote index whose marks-or-content hold the token
        self.words = [0] * len(self.spans)
        self.verbs = [0] * len(self.spans)
        k = 0
        for token in doc:
            while k < len(self.spans) and self.spans[k].close < token.idx:
                k += 1
            if k < len(self.spans) and self.spans[k].open <= token.idx <= self.spans[k].close:
                span = self.spans[k]
                self.of_token[token.i] = k
                if span.start <= token.idx < span.end:
                    self.words[k] += token.is_alpha
                    self.verbs[k] += token.pos_ in ("VERB", "AUX") and token.is_alpha
        self.doc = doc
        self.text = doc.text  # once: `Doc.text` joins every token on each call
        self._stops: list[int] | None = None
        self._first = [len(doc)] * len(self.spans)
        self._last = [0] * len(self.spans)
        for token in doc:
            k = self.of_token[token.i]
            if k >= 0 and self.spans[k].start <= token.idx < self.spans[k].end:
                self._first[k] = min(self._first[k], token.i)
                self._last[k] = max(self._last[k], token.i)

    def inside(self, token: Token) -> bool:
        return self.of_token[token.i] >= 0

    def in_range(self, start: int, end: int) -> list[int]:
        found: list[int] = []
        for i in range(start, end):
            k = self.of_token[i]
            if k >= 0 and k not in found and self.spans[k].start < self.spans[k].end:
                found.append(k)
        return found

    def stops(self) -> list[int]:
        """Sentence-final marks and semicolons outside quotes ('decision. "This ...'): reported content
        never crosses one."""
        if self._stops is None:
            doc = self.doc
            self._stops = []
            depth = 0  # brackets: "($5.2bn; £2.77bn)" is one aside, not two sentences
            for t in doc:
                depth = max(0, depth + (t.text in "([") - (t.text in ")]")) if t.is_bracket else depth
                if "\n" in t.text:
                    depth = 0
                mark = t.text in TERMINAL_MARKS or (t.text == ";" and depth == 0 and not _list_semicolon(t))
                if mark and not self.inside(t) and (t.whitespace_ or t.i + 1 == len(doc)):
                    self._stops.append(t.i)
        return self._stops

    def first_token(self, k: int) -> int:
        """Index of the first content token of quote k."""
        return self._first[k]

    def last_token(self, k: int) -> int:
        return self._last[k]

    def title_like(self, k: int) -> bool:
        """A title in quote marks ("Meet the Press"), not speech: every content word capitalised."""
        words = [t for t in self.doc[self._first[k] : self._last[k] + 1] if t.is_alpha and not t.is_stop]
        return bool(words) and len(words) <= 12 and all(t.is_title for t in words)

    def clausal(self, k: int) -> bool:
        return self.verbs[k] > 0 and self.words[k] >= _MIN_CLAUSE_WORDS


def skip_blank(doc: Doc, i: int, step: int, allowed: set[str]) -> int:
    while 0 <= i < len(doc) and (doc[i].is_space or doc[i].text in allowed):
        i += step
    return i


def word_count(doc: Doc, start: int, end: int) -> int:
    return sum(doc[i].is_alpha for i in range(start, end))


def has_verb(doc: Doc, start: int, end: int) -> bool:
    return any(doc[i].pos_ in ("VERB", "AUX") for i in range(start, end))
