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

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Span, Token

from summarize.lexicon import REPORTING_VERBS
from summarize.mentions import (
    MEDIA,
    ORG_NOUNS,
    Candidate,
    Mention,
    has_person_title,
    is_nominal,
    is_pronoun,
    mention_of,
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
_RELATIVES = frozenset({"who", "which", "that", "whom"})
# Nouns whose "saying" clause is a document, not a speaker: "a statement saying ..." takes the verb's subject.
_DOCUMENTS = frozenset({"statement", "report", "letter", "post", "tweet", "message", "email", "memo", "document",
    "release", "note", "interview", "speech", "remark", "video", "ad", "survey", "poll", "study", "filing",
    "comment", "article", "book", "film", "page", "website"})  # fmt: skip
_CLIMB = ("conj", "advcl", "xcomp", "acl", "relcl", "dobj", "pobj", "prep", "pcomp")
_CUE_CLAUSE = ("nsubj", "aux", "neg", "advmod", "npadvmod", "prep", "dobj", "dative", "agent", "prt")
# Speech acts whose content may be an infinitive ("vowed to ...", "urged voters to ...", "claimed to have ...").
_INFINITIVE_CONTENT = frozenset(
    {"urge", "ask", "tell", "warn", "promise", "vow", "pledge", "claim", "demand"}
)
# Speech acts whose content may be a noun phrase ("denied the allegations", "announced plans to ...").
_OBJECT_CONTENT = frozenset({"deny", "promise", "pledge", "vow", "announce", "repeat", "reiterate", "demand",
    "predict", "confirm", "acknowledge", "claim"})  # fmt: skip
# Verbs after which an infinitive cue is a statement made: "he went on to say", "she continued to insist".
# Cues that are speech only next to a quote ('"...," he continued'), not "the fighting will continue".
_QUOTE_ONLY = frozenset({"continue"})
_GO_ON = frozenset({"go", "continue", "proceed", "begin", "start"})
# Dependents that make a quote part of the writer's clause: 'is "a microcosm"', 'called it "a disgrace"'.
_ARGUMENTS = frozenset({"attr", "acomp", "dobj", "xcomp", "oprd", "pobj"})
# A verb with one of these is saying something of its own, not framing a quote.
_COMPLEMENTS = frozenset({"dobj", "ccomp", "xcomp", "attr", "acomp", "oprd", "dative", "prep"})
# Speech verbs whose content is always a clause, never a noun phrase.
_CLAUSE_ONLY = frozenset({"say", "argue", "insist", "assert", "contend", "explain"})
_TIME_PREPOSITIONS = frozenset({"while", "after", "before", "by", "since", "when"})
_SUBORDINATORS = frozenset({"when", "while", "since", "because", "after", "before", "where", "if", "once"})
# Verbs whose object is the hearer, not the content: "..., Kuleba told reporters".
_RECIPIENT_VERBS = frozenset({"tell", "ask", "inform", "brief", "remind", "assure", "warn", "urge"})
_TAIL_STARTS = frozenset({"where", "which", "who", "whom", "while", "down", "up"})
_TERMINAL_MARKS = frozenset({".", "!", "?", "…"})
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
    with_cue: bool = False  # the range starts at the cue: "vowed to limit ...", "denied all the allegations"


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
                mark = t.text in _TERMINAL_MARKS or (t.text == ";" and depth == 0)  # "; " joins two sentences
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


def _is_cue(token: Token) -> bool:
    return token.pos_ == "VERB" and token.lemma_.lower() in SPEECH_VERBS


def _framing_verb(token: Token, quotes: _Quotes) -> bool:
    """Any verb frames a quote when its clause is only speaker and verb, set off by the quote:
    '"...," Clinton gushed.' / '"...?" fumed the senator.' / 'He sighed: "..."'. The quote's own comma,
    question or exclamation mark (or the colon) ties them; a verb with an object or complement of its own
    ("she wrote "Trump 2016" on the sidewalk") is not such a frame."""
    if token.pos_ != "VERB" or token.tag_ not in ("VBD", "VBZ", "VBP"):
        return False
    children = [c for c in token.children if not quotes.inside(c)]
    subjects = [c for c in children if c.dep_ == "nsubj" and c.pos_ in ("PROPN", "NOUN", "PRON")]
    if not subjects or subjects[0].lower_ in _RELATIVES:
        return False
    if any(c.dep_ in _COMPLEMENTS for c in children):
        return False
    doc = token.doc
    start, end = _cue_clause(token, mention_of(subjects[0]), quotes)
    if end - start > 8:
        return False  # a clause of its own, not a frame
    before = _skip(doc, start - 1, -1, {","})
    if before >= 0 and doc[before].is_quote and quotes.inside(doc[before]):
        span = quotes.spans[quotes.of_token[before]]
        closing = doc.text[span.start : span.end].rstrip()[-1:]
        after = _skip(doc, end, 1, set())
        if closing in (",", "?", "!") and (after >= len(doc) or doc[after].text in (".", ",", "\n")):
            return _leads_into(doc.text, span, doc[start].idx)
    after = _skip(doc, end, 1, set())
    if after + 1 < len(doc) and doc[after].text == ":":
        opening = _skip(doc, after + 1, 1, set())
        return opening < len(doc) and doc[opening].is_quote and quotes.inside(doc[opening])
    return False


def _left_noun(cue: Token, quotes: _Quotes) -> Token | None:
    """An inverted speaker the parser left unattached: '..., Steve Mnuchin, told AP' / '"...," Trump, 70, told'."""
    doc = cue.doc
    if cue.tag_ in ("VBG", "VBN"):
        return (
            None  # a participle ("..., Mich., vowing victory") hangs on a clause, not on the noun before it
        )
    i = cue.i - 1
    while i >= 0 and (doc[i].is_space or doc[i].text == "," or doc[i].pos_ in ("NUM", "ADV", "AUX", "PART")):
        i -= 1
    if i < 0 or quotes.inside(doc[i]):
        return None
    if doc[i].pos_ not in ("PROPN", "NOUN") and doc[i].ent_type_ not in ("PERSON", "ORG"):
        return None
    noun = doc[i]
    # "..., the General Staff of Ukraine's Armed Forces reported": the last word hangs on the speaker's noun
    while noun.dep_ == "pobj" and noun.head.dep_ == "prep" and noun.head.head.pos_ in ("NOUN", "PROPN"):
        noun = noun.head.head
    mention = mention_of(noun)
    before = _skip(doc, mention.start - 1, -1, set())
    # "..., local officials and the United Nations said": the speaker is the whole coordination
    if before > 0 and doc[before].lower_ in ("and", "or") and noun.dep_ == "conj":
        left = _skip(doc, before - 1, -1, set())
        if left >= 0 and doc[left].pos_ in ("NOUN", "PROPN") and noun.head.i == left:
            noun, mention = doc[left], mention_of(doc[left])
            before = _skip(doc, mention.start - 1, -1, set())
    if before < 0 or doc[before].text == "," or doc[before].is_quote or doc[before].is_sent_end:
        return noun
    return None


def _subject(cue: Token, quotes: _Quotes) -> tuple[Token, Token] | None:
    """(the speaker as written, what it refers to) for a cue.

    The cue's own subject first; "who said" refers to the noun the clause hangs on; "analysts saying",
    "..., saying that" and "and added" take the subject of the clause they hang on.
    """
    token = cue
    for depth in range(4):
        for child in token.children:
            if quotes.inside(child) and not quotes.inside(cue):
                continue  # a misparse hangs a word of the quote on the cue: '"... he would ...," Biden said'
            if child.dep_ in _SUBJECTS or (depth > 0 and child.dep_ == "nsubjpass"):
                if child.lower_ in _RELATIVES and token.dep_ == "relcl":
                    return child, token.head
                return child, child
        if depth == 0:
            left = _left_noun(cue, quotes)
            if left is not None:
                return left, left
        if (
            token.dep_ == "acl"
            and token.head.pos_ in ("NOUN", "PROPN")
            and token.head.lemma_ not in _DOCUMENTS
        ):
            return token.head, token.head  # "with analysts saying ..."
        if token.dep_ in _CLIMB and token.head.i != token.i:
            token = token.head
        else:
            return None
    return None


def _infinitive(token: Token) -> bool:
    return token.pos_ in ("VERB", "AUX") and any(c.dep_ == "aux" and c.lower_ == "to" for c in token.children)


def _asserted(cue: Token) -> bool:
    """Whether a cue reports a speech act that took place: a finite verb or a participle hanging on the
    speaker's clause ("..., vowing to ..."), not a hypothetical ("if he repeats ..."), a modal ("will ask"),
    a gerund after a preposition ("seen as predicting ...") or a speech act inside what someone else said
    ("said it will ask Rosneft to ...")."""
    finite = cue.tag_ in ("VBD", "VBZ", "VBP") or any(
        c.dep_ == "aux" and c.lemma_ in ("have", "be") for c in cue.children
    )  # "has denied", "is urging"
    participle = cue.tag_ == "VBG" and (
        cue.dep_ in ("advcl", "conj") or (cue.dep_ == "pcomp" and cue.head.lower_ in _TIME_PREPOSITIONS)
    )  # "..., vowing to", "while promising to"; not "seen as predicting"
    if not (finite or participle):
        return False
    if any(c.dep_ == "aux" and c.tag_ == "MD" for c in cue.children):
        return False
    clause = cue
    while clause.dep_ == "conj" and clause.head.i != clause.i:
        clause = clause.head
    if any(c.dep_ == "mark" and c.lower_ in ("if", "unless", "whether") for c in clause.children):
        return False
    token = clause
    while token.head.i != token.i:
        if token.dep_ in ("ccomp", "xcomp") and _is_cue(token.head):
            return False
        token = token.head
    return True


def _verb_led(cue: Token, quotes: _Quotes) -> _Piece | None:
    """Content that is not a clause of its own, kept with its verb so the kind of speech act stays visible:
    a promise, call or claim with an infinitive ("vowed to limit ...", "urged voters to vote early") or a
    speech act on a noun phrase ("has denied all three allegations", "announced plans to ...")."""
    lemma = cue.lemma_.lower()
    if not _asserted(cue):
        return None
    # "has vowed to ...", "has urged them to ...": a standing promise or appeal, background to the story
    perfect = cue.tag_ == "VBN" and any(c.dep_ == "aux" and c.lemma_ == "have" for c in cue.children)
    if lemma in _INFINITIVE_CONTENT and not perfect:
        for child in cue.children:
            # "the talks promise to be difficult" is no promise
            if (
                child.dep_ in ("xcomp", "ccomp")
                and child.i > cue.i
                and _infinitive(child)
                and child.lemma_ != "be"
            ):
                return _Piece(cue.i, child.right_edge.i + 1, with_cue=True)
    obj = next((c for c in cue.children if c.dep_ == "dobj" and c.i > cue.i), None)
    if lemma in _CLAUSE_ONLY and obj is not None and obj.pos_ in ("NOUN", "PROPN") and not quotes.inside(obj):
        # "say" takes a clause, so a noun object is the subject of a clause the parser broke up ("said the
        # difference ... is "pretty remarkable""): the content runs from it to the end of the cue's clause
        ends = [c.right_edge.i for c in cue.children if c.i > cue.i and c.dep_ not in ("conj", "cc", "punct")]
        return _Piece(obj.left_edge.i, max(ends) + 1)
    if lemma not in _OBJECT_CONTENT:
        return None
    if obj is None or obj.pos_ not in ("NOUN", "PROPN") or obj.ent_type_ == "PERSON" or quotes.inside(obj):
        return None
    if _words(cue.doc, obj.left_edge.i, obj.right_edge.i + 1) < 2:
        return None
    # what follows the object in the same clause ("promised X, if elected, starting with ..."), not a new
    # coordinated clause ("..., and suggested they are ...")
    end = max(
        [obj.right_edge.i]
        + [c.right_edge.i for c in cue.children if c.i > obj.i and c.dep_ in ("prep", "advcl", "npadvmod")]
    )
    return _Piece(cue.i, end + 1, with_cue=True)


def _content_heads(cue: Token, is_cue) -> list[Token]:
    """Clauses the cue governs: "said (that) X", "said X ... and that Y"."""
    heads = [c for c in cue.children if c.dep_ == "ccomp" and not _infinitive(c)]
    for child in cue.children:
        if child.dep_ != "conj" or is_cue(child) or child.pos_ not in ("VERB", "AUX"):
            continue
        if any(c.dep_ == "mark" for c in child.children) or child.left_edge.is_quote:
            heads.append(child)
    return heads


def _cue_clause(cue: Token, written: Mention, quotes: _Quotes) -> tuple[int, int]:
    """Token range of "the commander said (on Monday)": the cue, its speaker and non-content dependents."""
    indices = [cue.i]
    for child in cue.children:
        if child.dep_ in _CUE_CLAUSE and not quotes.inside(child):
            indices.extend(t.i for t in child.subtree)
    if abs(written.start - cue.i) <= 8 or abs(written.end - cue.i) <= 8:
        indices.extend(range(written.start, written.end))
    return min(indices), max(indices) + 1


def _skip(doc: Doc, i: int, step: int, allowed: set[str]) -> int:
    while 0 <= i < len(doc) and (doc[i].is_space or doc[i].text in allowed):
        i += step
    return i


def _leads_into(text: str, span: QuoteSpan, clause_char: int) -> bool:
    """Whether a quote right before a cue clause is its content ('"...," X said'): not when a paragraph
    ends between them, nor when the quote ends its own sentence ('... with it." X said he ...')."""
    between = text[span.close + 1 : clause_char]
    if "\n" in between:
        return False
    return not (text[span.start : span.end].rstrip().endswith(".") and "," not in between)


def _words(doc: Doc, start: int, end: int) -> int:
    return sum(doc[i].is_alpha for i in range(start, end))


def _interrupts(cue: Token, quotes: _Quotes) -> bool:
    """Whether a cue clause can be a parenthetical ("..., the alliance said"): it has its own speaker and
    nothing else to say. Not a subordinate clause ("since regulators announced ...", "when he said"), a
    participle ("..., promising more funding"), a relative clause ("who have accused him") or a verb with
    an object of its own ("the economy is adding 182,000 jobs")."""
    children = [c for c in cue.children if not quotes.inside(c)]
    subjects = [c for c in children if c.dep_ == "nsubj"] or [
        t for t in [_left_noun(cue, quotes)] if t is not None
    ]
    if not subjects or subjects[0].lower_ in _RELATIVES:
        return False
    for child in children:
        if (child.dep_ == "mark" and child.lower_ != "as") or (
            child.dep_ == "advmod" and child.lower_ in _SUBORDINATORS
        ):  # "as Politico reported, ..." is a parenthetical
            return False
        if (
            child.dep_ == "dobj"
            and child.pos_ in ("NOUN", "PROPN", "NUM")
            and cue.lemma_ not in _RECIPIENT_VERBS
        ):
            return False
    return True


def _parenthetical(cue: Token, clause: tuple[int, int], quotes: _Quotes) -> _Piece | None:
    """The clause a cue interrupts: "Rutte will hold talks ..., the alliance said" / "That culture, they
    said, emphasizes selling". With words on both sides the span keeps the cue inside it (verbatim)."""
    head = cue.head
    # "..., Steve Mnuchin, told the Post": the parser makes an inverted cue a conjunct of the clause
    if cue.dep_ == "conj" and (
        any(c.dep_ == "nsubj" for c in cue.children) or _left_noun(cue, quotes) is None
    ):
        return None
    if head.i == cue.i or cue.dep_ not in ("parataxis", "ccomp", "advcl", "conj") or _is_cue(head):
        return None
    if not _interrupts(cue, quotes):
        return None
    doc = cue.doc
    start, end = head.left_edge.i, head.right_edge.i + 1
    left, right = (start, clause[0]), (clause[1], end)
    left_words, right_words = _words(doc, *left), _words(doc, *right)
    if left_words >= 4 and right_words >= 4:
        return _Piece(start, end)
    best = left if left_words >= right_words else right
    return _Piece(*best) if _words(doc, *best) >= 3 else None


def _clip(piece: _Piece, cue: int, stops: Sequence[int]) -> _Piece | None:
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


def _pieces(cue: Token, written: Mention, quotes: _Quotes, is_cue) -> list[_Piece]:
    doc = cue.doc
    pieces = [_Piece(h.left_edge.i, h.right_edge.i + 1) for h in _content_heads(cue, is_cue)]
    clause_start, clause_end = _cue_clause(cue, written, quotes)
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
    before = _skip(doc, clause_start - 1, -1, {","})
    if (
        before >= 0
        and quotes.inside(doc[before])
        and doc[before].is_quote
        and _leads_into(doc.text, quotes.spans[quotes.of_token[before]], doc[clause_start].idx)
    ):
        pieces.append(_Piece(clause_start, clause_start, quotes.of_token[before]))
    after = _skip(doc, clause_end, 1, {",", ":"})
    if after < len(doc) and quotes.inside(doc[after]) and doc[after].is_quote:
        k = quotes.of_token[after]
        if quotes.spans[k].open == doc[after].idx:
            pieces.append(_Piece(clause_end, clause_end, k))
    if cue.lemma_.lower() in _QUOTE_ONLY:
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
        or not (p.start <= cue.i < p.end and _words(doc, p.start, p.end) < 12)
        and not (p.start < written.end and written.start < p.end and not p.start <= cue.i < p.end)
    ]


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
    while clause.pos_ not in ("VERB", "AUX") and clause.head.i != clause.i:
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
        if doc[i].text != "," or tail.lower_ not in _TAIL_STARTS:
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
        if head.lemma_.lower() in _DOCUMENTS:
            kind = "org"  # "a comment suggesting ...": a later "she" never means the comment
        elif (
            head.ent_type_ == "PERSON"
            or head.lower_ in ("he", "she")
            or has_person_title(self.parsed.doc, mention)
        ):
            kind = "person"
        elif head.lemma_.lower() in ORG_NOUNS and head.tag_ in ("NN", "NNP"):
            kind = "org"  # "Ukraine's air force", "the Israeli military": a later "it"
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


def _embedded(doc: Doc, quotes: _Quotes, k: int, start: int) -> bool:
    """Whether quote k finishes a clause begun in the writer's words: the quote is an argument of the
    writer's verb ('Hillsborough is "a microcosm of ..."') or the writer supplied part of its verb group
    ('the plan would "lead to World War Three"'). Then the whole sentence is the reported statement; the
    quote alone would lose its verb. A quoted clause with a subject outside it ('he has heard the North
    Koreans "may be used ..."') or after a colon is the speaker's own sentence."""
    first, last = quotes.first_token(k), quotes.last_token(k)
    opening = _skip(doc, first - 1, -1, set())
    if opening > start and doc[opening].is_quote and doc[_skip(doc, opening - 1, -1, set())].text == ":":
        return False
    for token in doc[start : max(start, first)]:
        if token.pos_ not in ("VERB", "AUX") or quotes.inside(token):
            continue
        if token.dep_ in ("aux", "auxpass", "neg") and first <= token.head.i <= last:
            return True
        if any(first <= c.i <= last and c.dep_ in _ARGUMENTS for c in token.children):
            return True
    return False


def _has_verb(doc: Doc, start: int, end: int) -> bool:
    return any(doc[i].pos_ in ("VERB", "AUX") for i in range(start, end))


def find_attributions(parsed: Parsed) -> tuple[Attribution, ...]:
    """Every statement in the article with its speaker, in text order (from `parsed.doc` only)."""
    doc = parsed.doc
    quotes = _Quotes(doc, find_quote_spans(parsed.text))
    resolver = _Resolver(parsed)
    used_quotes: set[int] = set()
    reported_ranges: list[tuple[int, int]] = []
    found: list[Attribution] = []

    def add(written: Span, name: str, cue: int, kind: SpeechKind, chars: tuple[int, int] | None) -> None:
        if chars is None:
            return
        first = doc.char_span(chars[0], chars[1], alignment_mode="expand")
        token = first.start if first is not None else cue
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
            )
        )

    def emit(written: Mention, referent: Mention, cue: Token, pieces: list[_Piece]) -> None:
        statements: list[tuple[SpeechKind, tuple[int, int] | None]] = []
        for piece in pieces:
            if piece.quote is not None:
                k = piece.quote
                if k not in used_quotes and quotes.words[k] >= 2 and not quotes.title_like(k):
                    statements.append(("direct", _quote_chars(parsed, quotes.spans[k])))
                    used_quotes.add(k)
                continue
            inner = [k for k in quotes.in_range(piece.start, piece.end) if not quotes.title_like(k)]
            content_words = _words(doc, piece.start, piece.end)
            direct = [
                k
                for k in inner
                if k not in used_quotes
                and (quotes.clausal(k) or quotes.words[k] >= _DIRECT_COVERAGE * content_words)
                and not _embedded(doc, quotes, k, piece.start)
            ]
            if direct:
                # "X said Y was acting out of worry: "It's pretty rattling ..."": the lead-in is reported too
                opening = quotes.first_token(direct[0])
                colon = _skip(doc, opening - 1, -1, set())
                if (
                    colon > piece.start
                    and doc[colon].text == ":"
                    and _has_verb(doc, piece.start, colon)
                    and _words(doc, piece.start, colon) >= 3
                ):
                    statements.append(("reported", _trim(parsed, piece.start, colon, quotes)))
                statements.extend(("direct", _quote_chars(parsed, quotes.spans[k])) for k in direct)
                used_quotes.update(direct)
            elif not any(k in used_quotes for k in inner):
                if content_words < 3 or not _has_verb(doc, piece.start, piece.end):
                    continue
                statements.append(("reported", _trim(parsed, piece.start, piece.end, quotes)))
                used_quotes.update(inner)
                reported_ranges.append((piece.start, piece.end))
        if not any(chars for _, chars in statements):
            return
        name = resolver.name(referent)
        for kind, chars in statements:
            add(written.span(doc), name, cue.i, kind, chars)
        resolver.remember(referent, name)

    for token in doc:
        if quotes.inside(token):
            continue
        speech_verb = _is_cue(token)
        if not speech_verb and not _framing_verb(token, quotes):
            continue
        if _infinitive(token) and token.head.lemma_.lower() not in _GO_ON:
            continue  # "urged Comey not to announce", "is to say", "not to mention": no statement made
        subject = _subject(token, quotes)
        if subject is None or subject[1].lower_ in MEDIA or subject[1].lower_ in ("i", "we", "you"):
            continue
        written = mention_of(subject[0]) if subject[0].i != subject[1].i else named_mention(subject[0])
        pieces = _pieces(token, written, quotes, _is_cue)
        if not speech_verb:
            pieces = [p for p in pieces if p.quote is not None]
        emit(written, named_mention(subject[1]), token, pieces)
    # "according to X" inside another statement ("he said that according to his information, ...") is
    # part of that statement, not a source of its own
    for token in doc:
        source = _according_to(token)
        if source is None or quotes.inside(token) or any(lo <= token.i < hi for lo, hi in reported_ranges):
            continue
        piece = _according_piece(token)
        if piece is not None:
            mention = named_mention(source)
            emit(mention, mention, token, [piece])
    _continue_quotes(parsed, quotes, used_quotes, found, add)
    unique: dict[tuple[int, int], Attribution] = {}
    for attribution in found:
        unique.setdefault((attribution.content_start, attribution.content_end), attribution)
    return tuple(sorted(unique.values(), key=lambda a: (a.content_start, a.content_end)))


def _continue_quotes(parsed: Parsed, quotes: _Quotes, used: set[int], found: list[Attribution], add) -> None:
    """A quote standing alone right after a statement goes on with the same speaker:
    '"This is spectacular," said Chris Low. "The market reaction is ..."'. At most one short sentence
    may stand between them ('..., a spokeswoman said, speaking on condition of anonymity. "..."'). A quote
    whose own sentence has a speech verb is left alone (its cue did not resolve, so neither do we)."""
    doc, text = parsed.doc, parsed.text
    for k, span in enumerate(quotes.spans):
        if k in used or quotes.words[k] < 2 or quotes.title_like(k):
            continue
        opening = quotes.first_token(k) - 1
        before = _skip(doc, opening - 1, -1, set())
        if before >= 0 and not (doc[before].text in _TERMINAL_MARKS or doc[before].is_quote):
            continue  # the quote does not start a sentence
        last = quotes.last_token(k)
        tail_end = next((stop for stop in quotes.stops() if stop > last), len(doc))
        if text[span.start : span.end].rstrip()[-1:] in _TERMINAL_MARKS:
            tail_end = last + 1  # '... coming again."': the quote ends its sentence, no cue can follow
        newline = next((i for i in range(last + 1, tail_end) if "\n" in doc[i].text), tail_end)
        tail_end = min(tail_end, newline)
        if any(_is_cue(doc[i]) and not quotes.inside(doc[i]) for i in range(last + 1, tail_end)):
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
        written = doc.char_span(previous.speaker_start, previous.speaker_end, alignment_mode="expand")
        if written is None:
            continue
        add(written, previous.speaker, previous.cue, "direct", _quote_chars(parsed, span))
        used.add(k)


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
