"""Speaker resolution: pronouns and "the minister" to names, remembering earlier speakers."""

from __future__ import annotations

import re

from spacy.tokens import Doc

from summarize.mentions import (
    ORG_NOUNS,
    PERSON_KINDS,
    PERSON_NOUNS,
    Candidate,
    Mention,
    fuller_from_first_word,
    has_person_title,
    is_nominal,
    is_pronoun,
    last_fitting_speaker,
    resolve_nominal,
    resolve_pronoun,
    speaker_over_place,
)
from summarize.parse import Parsed
from summarize.speakers.words import DOCUMENTS

# "Kessler's Militia Remarks": a possessive after the name makes the phrase a thing of theirs (a headline the
# tagger took for a name), never a fuller form of who speaks.
_POSSESSIVE = re.compile(r"['\u2019]s\b")


def _fuller_name(doc: Doc, name: str, before: int) -> str | None:
    fuller = fuller_from_first_word(doc, name, before)
    if fuller is None or _POSSESSIVE.search(fuller) or _has_a_verb(doc, fuller, before):
        return None
    return fuller


def _has_a_verb(doc: Doc, fuller: str, before: int) -> bool:
    """ "Dorsan Stands Firm On Border": a verb in the capitalised run makes it a headline, not a name."""
    end = doc[before].idx if before < len(doc) else len(doc.text)
    start = doc.text.rfind(fuller, 0, end)
    span = doc.char_span(start, start + len(fuller), alignment_mode="expand") if start >= 0 else None
    return span is not None and any(t.pos_ in ("VERB", "AUX") for t in span[1:])


class Resolver:
    """Turns speaker mentions into names, remembering earlier speakers for later pronouns."""

    def __init__(self, parsed: Parsed, document_speaker: str | None = None):
        self.parsed = parsed
        self.speakers: list[Candidate] = []
        self.document_speaker = document_speaker  # whose "we" / "I" the document's own words are

    def name(self, mention: Mention) -> str:
        parsed, doc = self.parsed, self.parsed.doc
        head = doc[mention.head]
        text = mention.span(doc).text
        if head.lower_ in ("we", "i") and self.document_speaker:
            return self.document_speaker
        if is_pronoun(head):
            resolved = resolve_pronoun(doc, parsed.sentences, parsed.sentence_index, head, self.speakers)
            if resolved is not None:
                return (
                    speaker_over_place(doc, parsed.sentence_index, head, resolved, self.speakers) or resolved
                )
            return last_fitting_speaker(doc, parsed.sentence_index, head, self.speakers) or text
        if is_nominal(doc, mention):
            resolved = resolve_nominal(doc, parsed.sentences, parsed.sentence_index, mention)
            return f"{resolved} ({text})" if resolved else text
        return _fuller_name(doc, text, mention.start) or text

    def remember(self, mention: Mention, name: str) -> None:
        self.speakers.append(
            Candidate(mention.head, name, self.kind(mention), is_speaker=True, is_subject=True)
        )

    def kind(self, mention: Mention) -> str:
        """What a later pronoun must be to refer to this speaker: "person", "group" or "org"."""
        head = self.parsed.doc[mention.head]
        if head.lemma_.lower() in DOCUMENTS:
            kind = "org"  # "a comment suggesting ...": a later "she" never means the comment
        elif (
            head.ent_type_ == "PERSON"
            or head.lower_ in ("he", "she")
            or has_person_title(self.parsed.doc, mention)
        ):
            kind = "person"
        elif _beside_a_person_kind(head):
            kind = "person"  # "One young teacher, X, tells me ...": a person, whatever the tagger said
        elif head.lemma_.lower() in PERSON_NOUNS and head.tag_ == "NN":
            kind = "person"  # "the regional governor said ... , he added": a later "he" is the governor
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
        return kind


def _beside_a_person_kind(head) -> bool:
    """A proper name in apposition to a noun that only names a person or to a person's role: "a young
    teacher, X" (X is the noun's appositive), "X, a former student" (the noun is X's), "UN envoy X" parsed
    as the envoy with X in apposition."""
    if head.pos_ != "PROPN":
        return False
    nouns = [c for c in head.children if c.dep_ == "appos"]
    if head.dep_ == "appos":
        nouns.append(head.head)
    return any(n.lemma_.lower() in PERSON_KINDS or n.lemma_.lower() in PERSON_NOUNS for n in nouns)
