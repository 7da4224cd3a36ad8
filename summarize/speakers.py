"""Who said what: direct quotes and reported speech, with the speaker as the article names them.

Everything comes from the one parse (`Parsed.doc`): quote marks are paired over the whole text
(summarize/quotes.py), a cue is a speech verb outside any quote or an "according to" phrase, the
speaker is the cue's subject (or the object of "according to"), and the content is the cue's clausal
complement ("said that ..."), the clause a parenthetical cue interrupts ("..., the alliance said"), or a
quote right before or after the cue clause ("...," X said, "..."). A quote inside the content makes the
statement direct when the quote is a clause of its own; a quoted fragment inside reported speech
("deploying "a noticeable number" of North Koreans") stays reported. Pronoun and "the minister" speakers
are resolved in summarize/mentions.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from summarize.lexicon import REPORTING_VERBS
from summarize.mentions import (
    MEDIA,
    Candidate,
    Mention,
    is_nominal,
    is_pronoun,
    named_mention,
    resolve_nominal,
    resolve_pronoun,
)
from summarize.model import SpeechKind, Statement
from summarize.parse import Parsed
from summarize.quotes import QuoteSpan, find_quote_spans

# Reporting verbs that introduce beliefs, estimates or evidence rather than speech ("officials estimate").
_NOT_SPEECH = frozenset(
    {"estimate", "believe", "think", "assess", "calculate", "count", "put", "reckon", "show", "record",
     "publish", "call", "describe", "charge", "signal", "quote", "cite", "brief", "inform", "observe"}
)  # fmt: skip
_MORE_SPEECH = frozenset(
    {"joke", "quip", "shout", "whisper", "retort", "proclaim", "demand", "counter", "answer", "lament",
     "pledge", "agree", "protest", "stress", "comment", "continue", "recount", "concede", "allege", "tell",
     "contend", "surmise", "exclaim", "add", "clarify", "confide", "boast", "predict", "promise", "reaffirm"}
)  # fmt: skip
SPEECH_VERBS: frozenset[str] = (REPORTING_VERBS - _NOT_SPEECH) | _MORE_SPEECH

_SUBJECTS = ("nsubj",)
_CLIMB = ("conj", "advcl", "xcomp", "acl", "relcl", "dobj", "pobj", "prep", "pcomp")
_CUE_CLAUSE = ("nsubj", "aux", "neg", "advmod", "npadvmod", "prep", "dobj", "dative", "agent", "prt")
_TAIL_STARTS = frozenset({"where", "which", "who", "whom", "while", "down", "up"})
_EDGE_PUNCT = frozenset({",", ";", ":", "—", "–", "-", "(", ")"})
_DIRECT_COVERAGE = 0.6  # a quote covering this share of the content's words makes it a direct quote
_MIN_CLAUSE_WORDS = 4  # shorter quotes with a verb ("can't stand") are fragments of reported speech


@dataclass(frozen=True)
class Attribution:
    """One statement found in the parse, with offsets into `parsed.text`."""

    speaker: str  # resolved, as named in the article ("Zelensky", "NATO (the alliance)", "a NATO official")
    kind: SpeechKind
    content_start: int  # char offsets of what was said, without quote marks
    content_end: int
    sentence: int  # index into Parsed.sentences where the content starts
    cue: int  # token index of the cue ("said", "told", "according")
    speaker_start: int  # char span of the speaker as written ("he", "the alliance"); -1 when unknown
    speaker_end: int
    mention: str  # the speaker as written, before resolution


@dataclass(frozen=True)
class _Piece:
    """Content found for one cue before deciding direct or reported: a token range and/or a quote."""

    start: int  # token range [start, end) of reported content; start == end when only a quote
    end: int
    quote: int | None = None  # index into the quote spans when the piece is a quote next to the cue


class _Quotes:
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

    def inside(self, token: Token) -> bool:
        return self.of_token[token.i] >= 0

    def in_range(self, start: int, end: int) -> list[int]:
        found: list[int] = []
        for i in range(start, end):
            k = self.of_token[i]
            if k >= 0 and k not in found and self.spans[k].start < self.spans[k].end:
                found.append(k)
        return found

    def clausal(self, k: int) -> bool:
        return self.verbs[k] > 0 and self.words[k] >= _MIN_CLAUSE_WORDS


def _is_cue(token: Token) -> bool:
    return token.pos_ == "VERB" and token.lemma_.lower() in SPEECH_VERBS


def _subject(cue: Token) -> Token | None:
    """The cue's subject; for "saying" / "and added" / "who said", the subject of the clause it hangs on."""
    token = cue
    for _ in range(4):
        for child in token.children:
            if child.dep_ in _SUBJECTS:
                if child.lower_ in ("who", "which", "that") and token.dep_ == "relcl":
                    return token.head
                return child
        if token.dep_ in _CLIMB and token.head is not token:
            token = token.head
        else:
            return None
    return None


def _content_heads(cue: Token, is_cue) -> list[Token]:
    """Clauses the cue governs: "said (that) X", "said X ... and that Y"."""
    heads = [c for c in cue.children if c.dep_ == "ccomp"]
    for child in cue.children:
        if child.dep_ != "conj" or is_cue(child) or child.pos_ not in ("VERB", "AUX"):
            continue
        if any(c.dep_ == "mark" for c in child.children) or child.left_edge.is_quote:
            heads.append(child)
    return heads


def _cue_clause(cue: Token, subject: Token | None) -> tuple[int, int]:
    """Token range of "the commander said (on Monday)": the cue and its non-content dependents."""
    indices = [cue.i]
    for child in cue.children:
        if child.dep_ in _CUE_CLAUSE:
            indices.extend(t.i for t in child.subtree)
    if subject is not None and subject.head is cue:
        indices.extend(t.i for t in subject.subtree)
    return min(indices), max(indices) + 1


def _skip(doc: Doc, i: int, step: int, allowed: set[str]) -> int:
    while 0 <= i < len(doc) and (doc[i].is_space or doc[i].text in allowed):
        i += step
    return i


def _pieces(cue: Token, subject: Token | None, quotes: _Quotes, is_cue) -> list[_Piece]:
    doc = cue.doc
    pieces = [_Piece(h.left_edge.i, h.right_edge.i + 1) for h in _content_heads(cue, is_cue)]
    clause_start, clause_end = _cue_clause(cue, subject)
    head = cue.head
    if not pieces and cue.dep_ in ("parataxis", "ccomp", "advcl") and head is not cue and head.i < cue.i:
        # "NATO chief Mark Rutte will hold talks ..., the alliance said": the cue interrupts the content
        start = head.left_edge.i
        if start < clause_start:
            pieces.append(_Piece(start, clause_start))
    # a quote right before or after the cue clause: '"...," X said' / 'X said: "..."' / split quotes
    before = _skip(doc, clause_start - 1, -1, {","})
    if before >= 0 and quotes.inside(doc[before]) and doc[before].is_quote:
        pieces.append(_Piece(clause_start, clause_start, quotes.of_token[before]))
    after = _skip(doc, clause_end, 1, {",", ":"})
    if after < len(doc) and quotes.inside(doc[after]) and doc[after].is_quote:
        k = quotes.of_token[after]
        if quotes.spans[k].open == doc[after].idx:
            pieces.append(_Piece(clause_end, clause_end, k))
    return pieces


def _according_to(token: Token) -> Token | None:
    """The source of "according to X" when `token` is its "according"."""
    if token.lower_ != "according" or token.i + 1 >= len(token.doc) or token.nbor().lower_ != "to":
        return None
    for child in token.nbor().children:
        if child.dep_ == "pobj":
            return child
    for child in token.children:
        if child.dep_ == "prep":
            for grandchild in child.children:
                if grandchild.dep_ == "pobj":
                    return grandchild
    return None


def _according_piece(token: Token) -> _Piece | None:
    """The clause that "according to X" qualifies, without the phrase itself (the larger side)."""
    clause = token.head
    while clause.pos_ not in ("VERB", "AUX") and clause.head is not clause:
        clause = clause.head
    phrase = sorted(t.i for t in token.subtree)
    lo, hi = clause.left_edge.i, clause.right_edge.i + 1
    left, right = (lo, phrase[0]), (phrase[-1] + 1, hi)
    doc = token.doc

    def words(r: tuple[int, int]) -> int:
        return sum(doc[i].is_alpha for i in range(*r))

    best = left if words(left) >= words(right) else right
    return _Piece(*best) if words(best) >= 3 else None


def _trim(parsed: Parsed, start: int, end: int, quotes: _Quotes) -> tuple[int, int] | None:
    """Char span of reported content in tokens [start, end): no "that", edge punctuation or tail clause."""
    doc = parsed.doc
    while start < end and (
        doc[start].is_space
        or doc[start].text in _EDGE_PUNCT
        or (doc[start].dep_ == "mark" and doc[start].lower_ in ("that", "whether", "if"))
    ):
        start += 1
    # a leading discourse adverb: "Meanwhile, ..."
    if start + 1 < end and doc[start].dep_ == "advmod" and doc[start + 1].text == ",":
        start += 2
    # a trailing non-restrictive relative clause is the writer's background: ", where Ukraine has ..."
    for i in range(start + 1, end - 1):
        tail = doc[i + 1]
        if (
            doc[i].text == ","
            and tail.lower_ in _TAIL_STARTS
            and (tail.head.right_edge.i >= end - 2 or tail.head.dep_ in ("relcl", "advmod"))
        ):
            end = i
            break
    while end > start and (doc[end - 1].is_space or doc[end - 1].is_punct):
        token = doc[end - 1]
        k = quotes.of_token[token.i]
        if token.is_quote and k >= 0 and quotes.spans[k].open >= doc[start].idx:
            break  # the closing mark of a quote that opens inside the content
        if token.text in ("?", "!") or token.is_bracket and token.text in (")", "]"):
            break
        end -= 1
    if end - start < 2:
        return None
    # an opening quote whose closing mark fell outside the content is left out with its quote
    first = doc[start]
    if (
        first.is_quote
        and quotes.of_token[first.i] >= 0
        and quotes.spans[quotes.of_token[first.i]].close > (doc[end - 1].idx)
    ):
        start += 1
    char_start, char_end = doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text)
    return (char_start, char_end) if char_end > char_start else None


def _quote_chars(parsed: Parsed, span: QuoteSpan) -> tuple[int, int] | None:
    start, end = span.start, span.end
    while end > start and (parsed.text[end - 1] in ",;:—–-" or parsed.text[end - 1].isspace()):
        end -= 1
    return (start, end) if end > start else None


class _Resolver:
    """Turns speaker mentions into names, remembering earlier speakers for later pronouns."""

    def __init__(self, parsed: Parsed):
        self.parsed = parsed
        self.speakers: list[Candidate] = []

    def name(self, mention: Mention) -> str:
        parsed, doc = self.parsed, self.parsed.doc
        head = doc[mention.head]
        text = mention.span(doc).text
        if is_pronoun(head):
            return resolve_pronoun(doc, parsed.sentences, parsed.sentence_index, head, self.speakers) or text
        if is_nominal(doc, mention):
            resolved = resolve_nominal(doc, parsed.sentences, parsed.sentence_index, mention)
            return f"{resolved} ({text})" if resolved else text
        return text

    def remember(self, mention: Mention, name: str) -> None:
        head = self.parsed.doc[mention.head]
        if head.ent_type_ == "PERSON" or head.lower_ in ("he", "she"):
            kind = "person"
        elif head.tag_ in ("NNS", "NNPS") or head.lower_ == "they":
            kind = "group"
        elif (
            head.pos_ == "PROPN"
            or head.ent_type_
            or head.lower_ == "it"
            or is_nominal(self.parsed.doc, mention)
        ):
            kind = "org" if head.ent_type_ != "PERSON" else "person"
        else:
            kind = "person"  # "a NATO official", "a Ukrainian army source"
        self.speakers.append(Candidate(mention.head, name, kind, is_speaker=True, is_subject=True))


def find_attributions(parsed: Parsed) -> tuple[Attribution, ...]:
    """Every statement in the article with its speaker, in text order (from `parsed.doc` only)."""
    doc = parsed.doc
    quotes = _Quotes(doc, find_quote_spans(parsed.text))
    resolver = _Resolver(parsed)
    used_quotes: set[int] = set()
    reported_ranges: list[tuple[int, int]] = []
    found: list[Attribution] = []

    def add(mention: Mention, cue: Token, kind: SpeechKind, chars: tuple[int, int], name: str) -> None:
        first = doc.char_span(chars[0], chars[1], alignment_mode="expand")
        token = first.start if first is not None else cue.i
        span = mention.span(doc)
        found.append(
            Attribution(
                speaker=name,
                kind=kind,
                content_start=chars[0],
                content_end=chars[1],
                sentence=parsed.sentence_index(token),
                cue=cue.i,
                speaker_start=span.start_char,
                speaker_end=span.end_char,
                mention=span.text,
            )
        )

    def emit(mention: Mention, cue: Token, pieces: list[_Piece]) -> None:
        name: str | None = None
        for piece in pieces:
            inner = [piece.quote] if piece.quote is not None else quotes.in_range(piece.start, piece.end)
            content_words = sum(doc[i].is_alpha for i in range(piece.start, piece.end))
            direct = [
                k
                for k in inner
                if k not in used_quotes
                and (
                    piece.quote is not None
                    or quotes.clausal(k)
                    or quotes.words[k] >= _DIRECT_COVERAGE * content_words
                )
            ]
            if piece.quote is not None and quotes.words[piece.quote] < 2:
                continue
            chars_list: list[tuple[SpeechKind, tuple[int, int] | None]]
            if direct:
                chars_list = [("direct", _quote_chars(parsed, quotes.spans[k])) for k in direct]
                used_quotes.update(direct)
            elif piece.quote is None and not any(k in used_quotes for k in inner):
                chars_list = [("reported", _trim(parsed, piece.start, piece.end, quotes))]
                used_quotes.update(inner)
                reported_ranges.append((piece.start, piece.end))
            else:
                continue
            for kind, chars in chars_list:
                if chars is None:
                    continue
                if name is None:
                    name = resolver.name(mention)
                add(mention, cue, kind, chars, name)
        if name is not None:
            resolver.remember(mention, name)

    for token in doc:
        if quotes.inside(token) or not _is_cue(token):
            continue
        subject = _subject(token)
        if subject is None or subject.lower_ in MEDIA or subject.lower_ in ("i", "we", "you"):
            continue
        emit(named_mention(subject), token, _pieces(token, subject, quotes, _is_cue))
    # "according to X" inside another statement ("he said that according to his information, ...") is
    # part of that statement, not a source of its own
    for token in doc:
        source = _according_to(token)
        if source is None or quotes.inside(token) or any(lo <= token.i < hi for lo, hi in reported_ranges):
            continue
        piece = _according_piece(token)
        if piece is not None:
            emit(named_mention(source), token, [piece])
    unique: dict[tuple[int, int], Attribution] = {}
    for attribution in found:
        unique.setdefault((attribution.content_start, attribution.content_end), attribution)
    return tuple(sorted(unique.values(), key=lambda a: (a.content_start, a.content_end)))


def extract_speakers(
    parsed: Parsed, attributions: Sequence[Attribution] | None = None
) -> tuple[Statement, ...]:
    """The Brief's `speakers`: one Statement per attribution, its quote verbatim from `parsed.text`."""
    if attributions is None:
        attributions = find_attributions(parsed)
    return tuple(
        Statement(
            speaker=a.speaker,
            kind=a.kind,
            quote=parsed.text[a.content_start : a.content_end],
            sentence=a.sentence,
        )
        for a in attributions
    )


def format_statement(statement: Statement) -> str:
    """One line for the CLI text form: direct speech in quote marks, reported speech as "said that"."""
    if statement.kind == "direct":
        return f'{statement.speaker} (direct): "{statement.quote}"'
    return f"{statement.speaker} (reported): {statement.quote}"
