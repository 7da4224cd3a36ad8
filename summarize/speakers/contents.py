"""Contents: what a cue says (its clause, the clause it interrupts, a quote next to it, verb-led content),
as token pieces trimmed to verbatim character spans.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Token

from summarize.mentions import (
    Mention,
)
from summarize.parse import Parsed
from summarize.quotes import QuoteSpan
from summarize.speakers.cues import asserted, cue_clause, is_infinitive, is_speech_cue, leads_into
from summarize.speakers.quote_tokens import QuoteTokens, skip_blank, word_count
from summarize.speakers.sources import RELATIVES, left_noun
from summarize.speakers.words import (
    CLAUSE_ONLY,
    INFINITIVE_CONTENT,
    OBJECT_CONTENT,
    QUOTE_ONLY,
    RECIPIENT_VERBS,
    SUBORDINATORS,
    TAIL_STARTS,
)

# Dependents that make a quote part of the writer's clause: 'is "a microcosm"', 'called it "a disgrace"'.
_ARGUMENTS = frozenset({"attr", "acomp", "dobj", "xcomp", "oprd", "pobj"})


_EDGE_PUNCT = frozenset({",", ";", ":", "—", "–", "-", "(", ")"})


DIRECT_COVERAGE = 0.6  # a quote covering this share of the content's words makes it a direct quote


@dataclass(frozen=True)
class Piece:
    """Content found for one cue before deciding direct or reported: a token range and/or a quote."""

    start: int  # token range [start, end) of reported content; start == end when only a quote
    end: int
    quote: int | None = None  # index into the quote spans when the piece is a quote next to the cue
    with_cue: bool = False  # the range starts at the cue: "vowed to limit ...", "denied all the allegations"
    spoken: bool = False  # the speaker's own words without quote marks: paragraphs after "X said:"


def _verb_led(cue: Token, quotes: QuoteTokens) -> Piece | None:
    """Content that is not a clause of its own, kept with its verb so the kind of speech act stays visible:
    a promise, call or claim with an infinitive ("vowed to limit ...", "urged voters to vote early") or a
    speech act on a noun phrase ("has denied all three allegations", "announced plans to ...")."""
    lemma = cue.lemma_.lower()
    if not asserted(cue):
        return None
    # "has vowed to ...", "has urged them to ...": a standing promise or appeal, background to the story
    perfect = cue.tag_ == "VBN" and any(c.dep_ == "aux" and c.lemma_ == "have" for c in cue.children)
    if lemma in INFINITIVE_CONTENT and not perfect:
        for child in cue.children:
            # "the talks promise to be difficult" is no promise
            if (
                child.dep_ in ("xcomp", "ccomp")
                and child.i > cue.i
                and is_infinitive(child)
                and child.lemma_ != "be"
            ):
                return Piece(cue.i, child.right_edge.i + 1, with_cue=True)
    obj = next((c for c in cue.children if c.dep_ == "dobj" and c.i > cue.i), None)
    if lemma in CLAUSE_ONLY and obj is not None and obj.pos_ in ("NOUN", "PROPN") and not quotes.inside(obj):
        # "say" takes a clause, so a noun object is the subject of a clause the parser broke up ("said the
        # difference ... is "pretty remarkable""): the content runs from it to the end of the cue's clause
        ends = [c.right_edge.i for c in cue.children if c.i > cue.i and c.dep_ not in ("conj", "cc", "punct")]
        return Piece(obj.left_edge.i, max(ends) + 1)
    if lemma not in OBJECT_CONTENT:
        return None
    if obj is None or obj.pos_ not in ("NOUN", "PROPN") or obj.ent_type_ == "PERSON" or quotes.inside(obj):
        return None
    if word_count(cue.doc, obj.left_edge.i, obj.right_edge.i + 1) < 2:
        return None
    # what follows the object in the same clause ("promised X, if elected, starting with ..."), not a new
    # coordinated clause ("..., and suggested they are ...")
    end = max(
        [obj.right_edge.i]
        + [c.right_edge.i for c in cue.children if c.i > obj.i and c.dep_ in ("prep", "advcl", "npadvmod")]
    )
    return Piece(cue.i, end + 1, with_cue=True)


def _content_heads(cue: Token, is_cue) -> list[Token]:
    """Clauses the cue governs: "said (that) X", "said X ... and that Y"."""
    heads = [c for c in cue.children if c.dep_ == "ccomp" and not is_infinitive(c)]
    for child in cue.children:
        if child.dep_ != "conj" or is_cue(child) or child.pos_ not in ("VERB", "AUX"):
            continue
        if any(c.dep_ == "mark" for c in child.children) or child.left_edge.is_quote:
            heads.append(child)
    return heads


def _interrupts(cue: Token, quotes: QuoteTokens) -> bool:
    """Whether a cue clause can be a parenthetical ("..., the alliance said"): it has its own speaker and
    nothing else to say. Not a subordinate clause ("since regulators announced ...", "when he said"), a
    participle ("..., promising more funding"), a relative clause ("who have accused him") or a verb with
    an object of its own ("the economy is adding 182,000 jobs")."""
    children = [c for c in cue.children if not quotes.inside(c)]
    subjects = [c for c in children if c.dep_ == "nsubj"] or [
        t for t in [left_noun(cue, quotes)] if t is not None
    ]
    if not subjects or subjects[0].lower_ in RELATIVES:
        return False
    for child in children:
        if (child.dep_ == "mark" and child.lower_ != "as") or (
            child.dep_ == "advmod" and child.lower_ in SUBORDINATORS
        ):  # "as Politico reported, ..." is a parenthetical
            return False
        if (
            child.dep_ == "dobj"
            and child.pos_ in ("NOUN", "PROPN", "NUM")
            and cue.lemma_ not in RECIPIENT_VERBS
        ):
            return False
    return True


def _parenthetical(cue: Token, clause: tuple[int, int], quotes: QuoteTokens) -> Piece | None:
    """The clause a cue interrupts: "Rutte will hold talks ..., the alliance said" / "That culture, they
    said, emphasizes selling". With words on both sides the span keeps the cue inside it (verbatim)."""
    head = cue.head
    # "..., Steve Mnuchin, told the Post": the parser makes an inverted cue a conjunct of the clause
    if cue.dep_ == "conj" and (
        any(c.dep_ == "nsubj" for c in cue.children) or left_noun(cue, quotes) is None
    ):
        return None
    if head.i == cue.i or cue.dep_ not in ("parataxis", "ccomp", "advcl", "conj") or is_speech_cue(head):
        return None
    if not _interrupts(cue, quotes):
        return None
    doc = cue.doc
    start, end = head.left_edge.i, head.right_edge.i + 1
    left, right = (start, clause[0]), (clause[1], end)
    left_words, right_words = word_count(doc, *left), word_count(doc, *right)
    if left_words >= 4 and right_words >= 4:
        return Piece(start, end)
    best = left if left_words >= right_words else right
    return Piece(*best) if word_count(doc, *best) >= 3 else None


def _clip(piece: Piece, cue: int, stops: Sequence[int]) -> Piece | None:
    """Keep reported content within the cue's sentence: a parse may hang the next sentence on the cue."""
    if piece.quote is not None:
        return piece
    start, end = piece.start, piece.end
    for stop in stops:
        if cue < stop < start or end <= stop < cue:
            return None  # the whole piece is another sentence
        if start <= stop < end - 1:
            if stop < cue:
                start = stop + 1
            else:
                end = stop + 1
                break
    return replace(piece, start=start, end=end)


def content_pieces(cue: Token, written: Mention, quotes: QuoteTokens, is_cue) -> list[Piece]:
    doc = cue.doc
    pieces = [Piece(h.left_edge.i, h.right_edge.i + 1) for h in _content_heads(cue, is_cue)]
    clause_start, clause_end = cue_clause(cue, written, quotes)
    if not pieces:
        led = _verb_led(cue, quotes)
        if led is not None:
            pieces.append(led)
            clause_end = cue.i + 1  # the content starts at the cue; a quote after it is inside it
    if not pieces:
        piece = _parenthetical(cue, (clause_start, clause_end), quotes)
        if piece is not None:
            pieces.append(piece)
    # a quote right before or after the cue clause: '"...," X said' / 'X said: "..."' / split quotes
    before = skip_blank(doc, clause_start - 1, -1, {","})
    if (
        before >= 0
        and quotes.inside(doc[before])
        and doc[before].is_quote
        and leads_into(quotes.text, quotes.spans[quotes.of_token[before]], doc[clause_start].idx)
    ):
        pieces.append(Piece(clause_start, clause_start, quotes.of_token[before]))
    after = skip_blank(doc, clause_end, 1, {",", ":"})
    if after < len(doc) and quotes.inside(doc[after]) and doc[after].is_quote:
        k = quotes.of_token[after]
        if quotes.spans[k].open == doc[after].idx:
            pieces.append(Piece(clause_end, clause_end, k))
    if cue.lemma_.lower() in QUOTE_ONLY:
        pieces = [p for p in pieces if p.quote is not None]
    pieces = [c for c in (_clip(p, cue.i, quotes.stops()) for p in pieces) if c is not None]
    # "X happened near the city, aid workers and officials said": a parse may hang an inverted speaker on the
    # content's last noun; the content ends before it
    pieces = [
        replace(p, end=written.start)
        if p.quote is None and p.start < written.start < p.end <= cue.i + 1 and written.start < cue.i
        else p
        for p in pieces
    ]
    # the content never holds its own cue or speaker ("GOP nominee Donald Trump ... said")
    return [
        p
        for p in pieces
        if p.quote is not None
        or p.with_cue
        or not (p.start <= cue.i < p.end and word_count(doc, p.start, p.end) < 12)
        and not (p.start < written.end and written.start < p.end and not p.start <= cue.i < p.end)
    ]


def _phrase_edges(token: Token) -> tuple[int, int]:
    phrase = [t.i for t in token.subtree]
    return min(phrase), max(phrase) + 1


def closes_sentence(token: Token) -> bool:
    """Whether the phrase headed by `token` ("according to X") ends its sentence (only punctuation after)."""
    sentence, end = token.sent, _phrase_edges(token)[1]
    return all(t.is_punct or t.is_space for t in token.doc[end : sentence.end])


def opens_sentence(token: Token) -> bool:
    """Whether the phrase headed by `token` starts its sentence (only punctuation before)."""
    sentence, start = token.sent, _phrase_edges(token)[0]
    return all(t.is_punct or t.is_space for t in token.doc[sentence.start : start])


def according_piece(token: Token) -> Piece | None:
    """The clause that "according to X" qualifies, without the phrase itself (the larger side)."""
    clause = token.head
    while clause.pos_ not in ("VERB", "AUX") and clause.head.i != clause.i:
        clause = clause.head
    phrase = sorted(t.i for t in token.subtree)
    if closes_sentence(token):
        # "X did A, and did B, according to Y": a phrase closing the sentence vouches for the whole
        # coordination, though the parser hangs it on the last conjunct
        while clause.dep_ == "conj" and clause.head.i != clause.i:
            clause = clause.head
    lo, hi = clause.left_edge.i, clause.right_edge.i + 1
    left, right = (lo, phrase[0]), (phrase[-1] + 1, hi)
    doc = token.doc

    def words(r: tuple[int, int]) -> int:
        return sum(doc[i].is_alpha for i in range(*r))

    best = left if words(left) >= words(right) else right
    return Piece(*best) if words(best) >= 3 else None


def trim_content(parsed: Parsed, start: int, end: int, quotes: QuoteTokens) -> tuple[int, int] | None:
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
        if doc[i].text != "," or tail.lower_ not in TAIL_STARTS:
            continue
        clause = tail  # the largest constituent that starts at the tail word
        while clause.head.i != clause.i and clause.head.left_edge.i == tail.i:
            clause = clause.head
        after = clause.right_edge.i + 1
        if not (after + 1 < end and doc[after].text == ","):  # not an insertion the content goes on after
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


def quote_chars(parsed: Parsed, span: QuoteSpan) -> tuple[int, int] | None:
    start, end = span.start, span.end
    while end > start and (parsed.text[end - 1] in ",;:—–-" or parsed.text[end - 1].isspace()):
        end -= 1
    return (start, end) if end > start else None


def embedded_quote(doc: Doc, quotes: QuoteTokens, k: int, start: int) -> bool:
    """Whether quote k finishes a clause begun in the writer's words: the quote is an argument of the
    writer's verb ('Hillsborough is "a microcosm of ..."') or the writer supplied part of its verb group
    ('the plan would "lead to World War Three"'). Then the whole sentence is the reported statement; the
    quote alone would lose its verb. A quoted clause with a subject outside it ('he has heard the North
    Koreans "may be used ..."') or after a colon is the speaker's own sentence."""
    first, last = quotes.first_token(k), quotes.last_token(k)
    opening = skip_blank(doc, first - 1, -1, set())
    if opening > start and doc[opening].is_quote and doc[skip_blank(doc, opening - 1, -1, set())].text == ":":
        return False
    for token in doc[start : max(start, first)]:
        if token.pos_ not in ("VERB", "AUX") or quotes.inside(token):
            continue
        if token.dep_ in ("aux", "auxpass", "neg") and first <= token.head.i <= last:
            return True
        if any(first <= c.i <= last and c.dep_ in _ARGUMENTS for c in token.children):
            return True
    return False


_HEADING_WORDS = 6  # a line this short without a full stop is a heading ("Further information"), not speech


def colon_paragraphs(cue: Token, clause_end: int, quotes: QuoteTokens) -> list[Piece]:
    """'Foreign Office Minister X said:' ending its paragraph, with no quote mark after it: the following
    paragraphs are X's own words (press-release style), up to a heading line, a paragraph that opens a
    quote or holds a cue of its own, or the end of the text. One piece a paragraph."""
    doc = cue.doc
    colon = skip_blank(doc, clause_end, 1, set())
    if (
        colon >= len(doc)
        or doc[colon].text != ":"
        or colon + 1 >= len(doc)
        or "\n" not in doc[colon + 1].text
    ):
        return []
    pieces: list[Piece] = []
    start = colon + 2
    while start < len(doc):
        end = start
        while end < len(doc) and "\n" not in doc[end].text:
            end += 1
        tokens = doc[start:end]
        words = sum(t.is_alpha for t in tokens)
        if words == 0:
            start = end + 1
            continue
        heading = words <= _HEADING_WORDS and tokens[-1].text not in (".", "!", "?", ":")
        if heading or any(quotes.inside(t) for t in tokens) or tokens[-1].text == ":":
            break
        pieces.append(Piece(start, end, spoken=True))
        start = end + 1
    return pieces
