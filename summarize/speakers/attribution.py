"""The attribution model: every statement of the article (source, cue, content, resolved speaker),
computed once per parse and shared by the speakers and figures extractors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Span, Token

from summarize.mentions import (
    MEDIA,
    Mention,
    can_speak,
    mention_of,
    named_mention,
    relative_can_speak,
    source_can_speak,
)
from summarize.model import SpeechKind
from summarize.parse import Parsed
from summarize.quotes import find_quote_spans
from summarize.speakers.contents import (
    DIRECT_COVERAGE,
    Piece,
    according_piece,
    colon_paragraphs,
    content_pieces,
    embedded_quote,
    quote_chars,
    trim_content,
)
from summarize.speakers.cues import (
    according_source,
    cue_clause,
    framing_verb,
    is_infinitive,
    is_speech_cue,
    issues_statement,
)
from summarize.speakers.document import document_speaker
from summarize.speakers.quote_tokens import TERMINAL_MARKS, QuoteTokens, has_verb, skip_blank, word_count
from summarize.speakers.resolve import Resolver
from summarize.speakers.sources import speaker_of_cue
from summarize.speakers.words import GO_ON

# Subjects that are nobody the brief can credit: the reader ("you") and the writer with the reader ("let's").
_NOBODY = frozenset({"you", "'s", "\u2019s", "us"})
_DEMONSTRATIVES = frozenset({"this", "that", "these", "those"})


@dataclass(frozen=True)
class Attribution:
    """One statement found in the parse, with offsets into `parsed.text`: source (the speaker as written),
    cue and content spans, and the speaker resolved to a name. Figures take their claimant from it."""

    speaker: str  # resolved, as named in the article ("Zelensky", "NATO (the alliance)", "a NATO official")
    kind: SpeechKind
    content_start: int  # char offsets of what was said, without quote marks
    content_end: int
    sentence: int  # index into Parsed.sentences where the content starts
    cue: int  # token index of the cue ("said", "told", "according")
    speaker_start: int  # char span of the speaker as written ("he", "the alliance"); -1 when unknown
    speaker_end: int
    mention: str  # the speaker as written, before resolution
    cue_start: int = -1  # char span of the cue ("said", "according to")
    cue_end: int = -1
    speaker_kind: str = "person"  # what a later pronoun must be to refer to it: person, group or org


def find_attributions(parsed: Parsed) -> tuple[Attribution, ...]:
    """Every statement in the article with its speaker, in text order (from `parsed.doc` only)."""
    doc = parsed.doc
    quotes = QuoteTokens(doc, find_quote_spans(parsed.text))
    speaker_of_document = document_speaker(parsed)
    resolver = Resolver(parsed, speaker_of_document)
    used_quotes: set[int] = set()
    reported_ranges: list[tuple[int, int]] = []
    found: list[Attribution] = []

    def add(
        written: Span,
        name: str,
        cue: int,
        kind: SpeechKind,
        chars: tuple[int, int] | None,
        speaker_kind: str = "person",
    ) -> None:
        if chars is None:
            return
        first = doc.char_span(chars[0], chars[1], alignment_mode="expand")
        token = first.start if first is not None else cue
        cue_token = doc[cue]
        cue_last = (
            cue_token.nbor() if cue_token.lower_ == "according" and cue_token.i + 1 < len(doc) else cue_token
        )
        found.append(
            Attribution(
                speaker=name,
                kind=kind,
                content_start=chars[0],
                content_end=chars[1],
                sentence=parsed.sentence_index(token),
                cue=cue,
                speaker_start=written.start_char,
                speaker_end=written.end_char,
                mention=written.text,
                cue_start=cue_token.idx,
                cue_end=cue_last.idx + len(cue_last.text),
                speaker_kind=speaker_kind,
            )
        )

    def emit(written: Mention, referent: Mention, cue: Token, pieces: list[Piece]) -> None:
        statements: list[tuple[SpeechKind, tuple[int, int] | None]] = []
        for piece in pieces:
            if piece.spoken:
                statements.append(("direct", trim_content(parsed, piece.start, piece.end, quotes)))
                continue
            if piece.quote is not None:
                k = piece.quote
                if k not in used_quotes and quotes.words[k] >= 2 and not quotes.title_like(k):
                    statements.append(("direct", quote_chars(parsed, quotes.spans[k])))
                    used_quotes.add(k)
                continue
            inner = [k for k in quotes.in_range(piece.start, piece.end) if not quotes.title_like(k)]
            content_words = word_count(doc, piece.start, piece.end)
            direct = [
                k
                for k in inner
                if k not in used_quotes
                and (quotes.clausal(k) or quotes.words[k] >= DIRECT_COVERAGE * content_words)
                and not embedded_quote(doc, quotes, k, piece.start)
            ]
            if direct:
                # "X said Y was acting out of worry: "It's pretty rattling ..."": the lead-in is reported too
                opening = quotes.first_token(direct[0])
                colon = skip_blank(doc, opening - 1, -1, set())
                if (
                    colon > piece.start
                    and doc[colon].text == ":"
                    and has_verb(doc, piece.start, colon)
                    and word_count(doc, piece.start, colon) >= 3
                ):
                    statements.append(("reported", trim_content(parsed, piece.start, colon, quotes)))
                statements.extend(("direct", quote_chars(parsed, quotes.spans[k])) for k in direct)
                used_quotes.update(direct)
            elif not any(k in used_quotes for k in inner):
                if content_words < 3 or not has_verb(doc, piece.start, piece.end):
                    continue
                statements.append(("reported", trim_content(parsed, piece.start, piece.end, quotes)))
                used_quotes.update(inner)
                reported_ranges.append((piece.start, piece.end))
        if not any(chars for _, chars in statements):
            if pieces and any(p.quote is not None and p.quote in used_quotes for p in pieces):
                # '"...," the paper said.' whose quote an earlier cue took: the paper still spoke last,
                # so a following "it reported" refers to it
                resolver.remember(referent, resolver.name(referent))
            return
        name = resolver.name(referent)
        speaker_kind = resolver.kind(referent)
        for kind, chars in statements:
            add(written.span(doc), name, cue.i, kind, chars, speaker_kind)
        resolver.remember(referent, name)

    for token in doc:
        if quotes.inside(token):
            continue
        speech_verb = is_speech_cue(token)
        if not speech_verb and not framing_verb(token, quotes) and not issues_statement(token, quotes):
            continue
        if is_infinitive(token) and token.head.lemma_.lower() not in GO_ON:
            continue  # "urged Comey not to announce", "is to say", "not to mention": no statement made
        if speech_verb and token.lemma_ != "deny" and any(c.dep_ == "neg" for c in token.children):
            continue  # "does not say whether ...", "would not say how many": nothing was said
        subject = speaker_of_cue(token, quotes)
        if subject is None or subject[1].lower_ in MEDIA or subject[1].lower_ in _NOBODY:
            continue
        if subject[0].lower_ in _DEMONSTRATIVES and subject[0].head.dep_ != "relcl":
            continue  # "That makes me smart," he boasted: a demonstrative is what is talked about
        if subject[1].lower_ in ("i", "we") and not speaker_of_document:
            continue  # the writer's own "I" says nothing the brief should credit
        if not can_speak(subject[1]) or not relative_can_speak(subject[1]):
            continue  # "Images of bullet casings ... suggest": an image says nothing
        written = mention_of(subject[0]) if subject[0].i != subject[1].i else named_mention(subject[0])
        pieces = content_pieces(token, written, quotes, is_speech_cue)
        if not speech_verb:
            pieces = [p for p in pieces if p.quote is not None]
        elif not pieces:
            pieces = colon_paragraphs(token, cue_clause(token, written, quotes)[1], quotes)
        emit(written, named_mention(subject[1]), token, pieces)
    # "according to X" inside another statement ("he said that according to his information, ...") is
    # part of that statement, not a source of its own
    for token in doc:
        source = according_source(token)
        if source is None or quotes.inside(token) or any(lo <= token.i < hi for lo, hi in reported_ranges):
            continue
        if not source_can_speak(source):
            continue  # "according to its own website": a thing that carries words says nothing itself
        piece = according_piece(token)
        if piece is not None:
            mention = named_mention(source)
            emit(mention, mention, token, [piece])
    _continue_quotes(parsed, quotes, used_quotes, found, add)
    unique: dict[tuple[int, int], Attribution] = {}
    for attribution in found:
        unique.setdefault((attribution.content_start, attribution.content_end), attribution)
    return tuple(sorted(unique.values(), key=lambda a: (a.content_start, a.content_end)))


QUOTE_OPENERS = frozenset({'"', "\u201c", "\u00ab", "\u201e", "'", "\u2018"})


def _opens_paragraph(text: str, at: int) -> bool:
    """Whether position `at` (a quote's opening mark) starts a paragraph: only blanks since a line break."""
    line = text.rfind("\n", 0, at)
    return not text[line + 1 : at].strip()


def _surname(name: str) -> str:
    words = name.split("(", 1)[0].split()
    return words[-1].strip(".,").lower() if words else ""


def _next_quote_is_someone_elses(
    parsed: Parsed, found: list[Attribution], span, previous: Attribution
) -> bool:
    """Whether the quote straight after this lone quote (the next sentence) is given to another speaker:
    '"A." // "B," said Y.' after X's words may be X's or Y's, so the lone quote is left out."""
    text = parsed.text
    if not _opens_paragraph(text, span.open):
        return False  # inside the previous speaker's paragraph: it goes on with them
    after = [a for a in found if a.content_start > span.close and a.kind == "direct"]
    if not after:
        return False
    following = min(after, key=lambda a: a.content_start)
    line_start = text.rfind("\n", 0, following.content_start) + 1
    if text[line_start : following.content_start].strip() not in QUOTE_OPENERS:
        return False  # the next paragraph does not open with a quote of its own
    here = parsed.sentence_index(
        parsed.doc.char_span(span.open, span.open + 1, alignment_mode="expand").start
    )
    if following.sentence - here > 1:
        return False
    return _surname(following.speaker) != _surname(previous.speaker)


def _continue_quotes(
    parsed: Parsed, quotes: QuoteTokens, used: set[int], found: list[Attribution], add
) -> None:
    """A quote standing alone right after a statement goes on with the same speaker:
    '"This is spectacular," said Chris Low. "The market reaction is ..."'. At most one short sentence
    may stand between them ('..., a spokeswoman said, speaking on condition of anonymity. "..."'). A quote
    whose own sentence has a speech verb is left alone (its cue did not resolve, so neither do we)."""
    doc, text = parsed.doc, parsed.text
    for k, span in enumerate(quotes.spans):
        if k in used or quotes.words[k] < 2 or quotes.title_like(k):
            continue
        opening = quotes.first_token(k) - 1
        before = skip_blank(doc, opening - 1, -1, set())
        if before >= 0 and not (doc[before].text in TERMINAL_MARKS or doc[before].is_quote):
            continue  # the quote does not start a sentence
        last = quotes.last_token(k)
        tail_end = next((stop for stop in quotes.stops() if stop > last), len(doc))
        if text[span.start : span.end].rstrip()[-1:] in TERMINAL_MARKS:
            tail_end = last + 1  # '... coming again."': the quote ends its sentence, no cue can follow
        newline = next((i for i in range(last + 1, tail_end) if "\n" in doc[i].text), tail_end)
        tail_end = min(tail_end, newline)
        if any(is_speech_cue(doc[i]) and not quotes.inside(doc[i]) for i in range(last + 1, tail_end)):
            continue
        earlier = [a for a in found if a.content_end <= span.open and doc[a.cue].idx < span.open]
        if not earlier:
            continue
        previous = max(earlier, key=lambda a: (max(a.content_end, doc[a.cue].idx), a.content_start))
        anchor = max(previous.content_end, doc[previous.cue].idx)
        gap = text[anchor : span.open]
        # sentences by the parse, so "said the Rev. Al Sharpton." is one sentence, not two
        anchor_span = doc.char_span(anchor - 1, anchor, alignment_mode="expand")
        anchor_token = anchor_span.start if anchor_span is not None else previous.cue
        if (
            len(re.findall(r"\w+", gap)) > 20
            or parsed.sentence_index(opening) - parsed.sentence_index(anchor_token) > 1
        ):
            continue
        if _next_quote_is_someone_elses(parsed, found, span, previous):
            continue
        written = doc.char_span(previous.speaker_start, previous.speaker_end, alignment_mode="expand")
        if written is None:
            continue
        add(
            written,
            previous.speaker,
            previous.cue,
            "direct",
            quote_chars(parsed, span),
            previous.speaker_kind,
        )
        used.add(k)
