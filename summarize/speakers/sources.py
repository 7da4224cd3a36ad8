"""Sources: the speaker of a cue as written (its subject, an inverted noun before it, "who said")."""

from __future__ import annotations

from spacy.tokens import Token

from summarize.mentions import is_header, mention_of
from summarize.speakers.quote_tokens import QuoteTokens, skip_blank
from summarize.speakers.words import DOCUMENTS, SPEECH_VERBS

_SUBJECTS = ("nsubj",)


RELATIVES = frozenset({"who", "which", "that", "whom"})


_CLIMB = ("conj", "advcl", "xcomp", "acl", "relcl", "dobj", "pobj", "prep", "pcomp")


def left_noun(cue: Token, quotes: QuoteTokens) -> Token | None:
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
    before = skip_blank(doc, mention.start - 1, -1, set())
    # "..., local officials and the United Nations said": the speaker is the whole coordination
    if before > 0 and doc[before].lower_ in ("and", "or") and noun.dep_ == "conj":
        left = skip_blank(doc, before - 1, -1, set())
        if left >= 0 and doc[left].pos_ in ("NOUN", "PROPN") and noun.head.i == left:
            noun, mention = doc[left], mention_of(doc[left])
            before = skip_blank(doc, mention.start - 1, -1, set())
    if before < 0 or doc[before].text == "," or doc[before].is_quote or doc[before].is_sent_end:
        return noun
    return None


def speaker_of_cue(cue: Token, quotes: QuoteTokens) -> tuple[Token, Token] | None:
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
                if is_header(child):
                    continue  # "WASHINGTON -- ... said": the dateline is a place, a later subject may speak
                if child.lower_ in RELATIVES and token.dep_ == "relcl":
                    return child, token.head
                return child, child
        if depth == 0:
            left = left_noun(cue, quotes)
            if left is not None and not is_header(left):
                return left, left
        if (
            token.dep_ == "acl"
            and token.head.pos_ in ("NOUN", "PROPN")
            and token.head.lemma_ not in DOCUMENTS
            and not is_header(token.head)
        ):
            return token.head, token.head  # "with analysts saying ..."
        if token.dep_ in _CLIMB and token.head.i != token.i:
            token = _reporters_clause(token, token.head)
        else:
            return None
    return None


def _reporters_clause(child: Token, verb: Token) -> Token:
    """Where a climb from `child` to `verb` goes on: past a reported clause to its reporting verb when
    `child` is a ", saying ..." participle. "X said the council had decided Y, saying Z" hangs "saying" on
    the last verb (decided), but what Z is said by is the reporter: the council is inside X's words."""
    if (
        child.dep_ == "advcl"
        and child.tag_ == "VBG"
        and verb.dep_ == "ccomp"
        and verb.head.pos_ == "VERB"
        and verb.head.lemma_.lower() in SPEECH_VERBS
    ):
        return verb.head
    return verb
