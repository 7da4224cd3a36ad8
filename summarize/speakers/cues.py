"""Cues: speech verbs outside quotes, verbs that frame a quote, "according to"; whether a speech act took place."""

from __future__ import annotations

from spacy.tokens import Token

from summarize.lexicon import is_particle_speech, is_speech_sense
from summarize.mentions import (
    Mention,
    mention_of,
)
from summarize.quotes import QuoteSpan
from summarize.speakers.quote_tokens import QuoteTokens, skip_blank
from summarize.speakers.sources import RELATIVES
from summarize.speakers.words import ISSUED_WORDS, SPEECH_VERBS, TIME_PREPOSITIONS

_CUE_CLAUSE = ("nsubj", "aux", "neg", "advmod", "npadvmod", "prep", "dobj", "dative", "agent", "prt")


# A verb with one of these is saying something of its own, not framing a quote.
_COMPLEMENTS = frozenset({"dobj", "ccomp", "xcomp", "attr", "acomp", "oprd", "dative", "prep"})


def is_speech_cue(token: Token) -> bool:
    if token.pos_ != "VERB":
        return False
    return (token.lemma_.lower() in SPEECH_VERBS and is_speech_sense(token)) or is_particle_speech(token)


def framing_verb(token: Token, quotes: QuoteTokens) -> bool:
    """Any verb frames a quote when its clause is only speaker and verb, set off by the quote:
    '"...," Clinton gushed.' / '"...?" fumed the senator.' / 'He sighed: "..."'. The quote's own comma,
    question or exclamation mark (or the colon) ties them; a verb with an object or complement of its own
    ("she wrote "Trump 2016" on the sidewalk") is not such a frame."""
    if token.pos_ != "VERB" or token.tag_ not in ("VBD", "VBZ", "VBP"):
        return False
    children = [c for c in token.children if not quotes.inside(c)]
    subjects = [c for c in children if c.dep_ == "nsubj" and c.pos_ in ("PROPN", "NOUN", "PRON")]
    if not subjects or subjects[0].lower_ in RELATIVES:
        return False
    if any(c.dep_ in _COMPLEMENTS for c in children):
        return False
    doc = token.doc
    start, end = cue_clause(token, mention_of(subjects[0]), quotes)
    if end - start > 8:
        return False  # a clause of its own, not a frame
    before = skip_blank(doc, start - 1, -1, {","})
    if before >= 0 and doc[before].is_quote and quotes.inside(doc[before]):
        span = quotes.spans[quotes.of_token[before]]
        closing = quotes.text[span.start : span.end].rstrip()[-1:]
        after = skip_blank(doc, end, 1, set())
        if closing in (",", "?", "!") and (after >= len(doc) or doc[after].text in (".", ",", "\n")):
            return leads_into(quotes.text, span, doc[start].idx)
    after = skip_blank(doc, end, 1, set())
    if after + 1 < len(doc) and doc[after].text == ":":
        opening = skip_blank(doc, after + 1, 1, set())
        return opening < len(doc) and doc[opening].is_quote and quotes.inside(doc[opening])
    return False


def issues_statement(token: Token, quotes: QuoteTokens) -> bool:
    """'Gen. X released the following statement (today):' with a quote after the colon: the press-release
    frame that hands the following quote paragraphs to X. Only a finite verb whose object is a word for a
    statement ("statement", "remarks", "message") and whose clause ends in a colon right before a quote."""
    if token.pos_ != "VERB" or token.tag_ not in ("VBD", "VBZ", "VBP"):
        return False
    if not any(c.dep_ == "nsubj" for c in token.children):
        return False
    if not any(c.dep_ == "dobj" and c.lemma_.lower() in ISSUED_WORDS for c in token.children):
        return False
    doc = token.doc
    colon = token.i + 1  # the first colon after the verb, before any quote or sentence end
    while colon < len(doc) and not (
        doc[colon].text in (":", ".", "!", "?") or "\n" in doc[colon].text or quotes.inside(doc[colon])
    ):
        colon += 1
    if colon >= len(doc) or doc[colon].text != ":":
        return False
    opening = skip_blank(doc, colon + 1, 1, set())
    return opening < len(doc) and doc[opening].is_quote and quotes.inside(doc[opening])


def is_infinitive(token: Token) -> bool:
    return token.pos_ in ("VERB", "AUX") and any(c.dep_ == "aux" and c.lower_ == "to" for c in token.children)


def asserted(cue: Token) -> bool:
    """Whether a cue reports a speech act that took place: a finite verb or a participle hanging on the
    speaker's clause ("..., vowing to ..."), not a hypothetical ("if he repeats ..."), a modal ("will ask"),
    a gerund after a preposition ("seen as predicting ...") or a speech act inside what someone else said
    ("said it will ask Rosneft to ...")."""
    finite = cue.tag_ in ("VBD", "VBZ", "VBP") or any(
        c.dep_ == "aux" and c.lemma_ in ("have", "be") for c in cue.children
    )  # "has denied", "is urging"
    participle = cue.tag_ == "VBG" and (
        cue.dep_ in ("advcl", "conj") or (cue.dep_ == "pcomp" and cue.head.lower_ in TIME_PREPOSITIONS)
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
        if token.dep_ in ("ccomp", "xcomp") and is_speech_cue(token.head):
            return False
        token = token.head
    return True


def cue_clause(cue: Token, written: Mention, quotes: QuoteTokens) -> tuple[int, int]:
    """Token range of "the commander said (on Monday)": the cue, its speaker and non-content dependents."""
    indices = [cue.i]
    for child in cue.children:
        if child.dep_ in _CUE_CLAUSE and not quotes.inside(child):
            indices.extend(t.i for t in child.subtree)
    if abs(written.start - cue.i) <= 8 or abs(written.end - cue.i) <= 8:
        indices.extend(range(written.start, written.end))
    return min(indices), max(indices) + 1


def leads_into(text: str, span: QuoteSpan, clause_char: int) -> bool:
    """Whether a quote right before a cue clause is its content ('"...," X said'): not when a paragraph
    ends between them, nor when the quote ends its own sentence ('... with it." X said he ...')."""
    between = text[span.close + 1 : clause_char]
    if "\n" in between:
        return False
    return not (text[span.start : span.end].rstrip().endswith(".") and "," not in between)


def according_source(token: Token) -> Token | None:
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
