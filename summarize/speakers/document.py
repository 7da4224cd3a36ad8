"""Whole-document speakers: a statement or press release that is one speaker's words throughout.

"Statement by the Ministry of Defence on ...", "Remarks of Foreign Minister X at ...", "Minister X comments
on ...": the title (or the first line) names who speaks, and the document's own "we" / "I" and its
unattributed figures are that speaker's. Anything else has no document speaker: the writer's "I" in a
report is nobody's claim.
"""

from __future__ import annotations

import re

from summarize.mentions import ORG_NOUNS
from summarize.parse import Parsed
from summarize.wordlists import word_set

_LEAD = re.compile(
    r"^\s*(?:joint\s+)?(?:press\s+release|press\s+statement|statement|remarks|comments?|readout|address|message)"
    r"\s+(?:by|of|from)\s+(?P<who>.+?)(?:\s+(?:on|about|regarding|concerning|at|to|in)\s+.+)?\s*[.:]?\s*$",
    re.IGNORECASE,
)
_TRAIL = re.compile(
    r"^\s*(?P<who>.+?)\s+(?:comments|remarks|statement|says|speaks)\s+(?:on|about|regarding)\s+.+$"
)
_MAX_WORDS = 10


def document_speaker(parsed: Parsed) -> str | None:
    """Who speaks throughout the document, from its title or first line; None for an ordinary report."""
    lines = [parsed.title] if parsed.title else []
    if parsed.sentences:
        lines.append(parsed.sentences[0].text.split("\n")[0])
    for line in lines:
        for pattern in (_LEAD, _TRAIL):
            found = pattern.match(line)
            if found is None:
                continue
            who = found.group("who").strip(" ,.:;-—")
            named = who[:1].isupper() or who.lower().startswith("the ")
            if named and 0 < len(who.split()) <= _MAX_WORDS:
                return who
    return issuer_of_we(parsed)


_FIRST_PLURAL = frozenset({"we", "our", "us", "ours", "ourselves"})
_ISSUER_ENTS = frozenset({"ORG", "GPE"})  # not NORP: "Syrians face ..." are people, not an issuer
# Only saying verbs (not "continue", "urge"): a release's "we will continue" is still the writer's voice.
_SAYING = word_set("speakers", "saying")
_NEWSROOM = word_set("speakers", "newsroom_verbs")
_MAX_RELEASE_SENTENCES = 20  # releases and statements are short; columns that say "we" are long
_MAX_DISTANCE = 3  # sentences between the issuer's own present-tense sentence and its "we"


def _author_sentences(parsed: Parsed) -> list[int] | None:
    """Sentences in the writer's own voice: no quotation and no speech cue. None when a "said:" line hands
    the following paragraphs to a speaker (the heading rule, not this one, owns such statements)."""
    from summarize.quotes import find_quote_spans

    quotes = find_quote_spans(parsed.text)
    own = []
    for index, sentence in enumerate(parsed.sentences):
        # "As the minister announced today, the ministry will ...": a saying verb only in a side clause
        # leaves the main clause the writer's
        speech = any(
            t.lemma_.lower() in _SAYING and (t.dep_ in ("ROOT", "conj") or t.lower_ == "according")
            for t in sentence
        )
        if speech and sentence.text.rstrip().endswith(":"):
            return None
        quoted = any(q.start < sentence.end_char and sentence.start_char < q.end for q in quotes)
        if not speech and not quoted:
            own.append(index)
    return own


def _present_issuer(sentence) -> str | None:
    """'The Coalition complies ...', 'the United States will provide ...': a named body doing in the present
    or future tense, as an issuer writes of itself; past deeds ('the SDF liberated') are what it reports."""
    for token in sentence:
        verb = token.head
        if token.dep_ != "nsubj" or verb.dep_ not in ("ROOT", "conj") or verb.pos_ not in ("VERB", "AUX"):
            continue
        named_body = token.tag_ == "NNP" and token.lemma_.lower() in ORG_NOUNS  # "The Coalition"
        if not (token.ent_type_ in _ISSUER_ENTS or named_body) or token.lower_ in _FIRST_PLURAL:
            continue
        auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
        if any(a.lemma_.lower() == "have" for a in auxes):
            continue  # "has liberated": a past deed
        present = verb.tag_ in ("VBZ", "VBP") or any(
            a.tag_ in ("VBZ", "VBP") or a.lower_ in ("will", "shall") for a in auxes
        )
        if present:
            words = [t for t in token.subtree if not t.is_punct or t.text in (".", "&")]
            text = " ".join(t.text for t in words).replace(" .", ".").strip()
            return text[:1].lower() + text[1:] if text.lower().startswith("the ") else text
    return None


def issuer_of_we(parsed: Parsed) -> str | None:
    """A release written as a body's "we" ("The Coalition complies ... We will continue to strike"): the
    named body the writer's own present tense speaks as, nearest to the writer's own "we". A wire report
    (dateline), a statement handed to a speaker by "said:", or one stray "we" gives none."""
    if parsed.dateline or len(parsed.sentences) > _MAX_RELEASE_SENTENCES:
        return None  # a wire report, or copy as long as a column or feature: not a release
    own = _author_sentences(parsed)
    if not own:
        return None
    plural = [i for i in own if any(t.lower_ in _FIRST_PLURAL for t in parsed.sentences[i])]
    count = sum(t.lower_ in _FIRST_PLURAL for i in plural for t in parsed.sentences[i])
    if count < 2:
        return None
    if any(t.lower_ in ("i", "me", "my") for i in own for t in parsed.sentences[i]):
        return None  # "I grew up ... we all know": a columnist's "we", not a body's
    if any(
        t.lower_ == "we" and t.dep_ == "nsubj" and t.head.lemma_.lower() in _NEWSROOM
        for i in plural
        for t in parsed.sentences[i]
    ):
        return None  # "We could not reach the rebels": a newsroom's "we", the copy is a report
    best: tuple[int, int, str] | None = None
    for index in own:
        issuer = _present_issuer(parsed.sentences[index])
        if issuer is None:
            continue
        distance = min(abs(index - i) for i in plural)
        if distance <= _MAX_DISTANCE and (best is None or (distance, index) < best[:2]):
            best = (distance, index, issuer)
    return best[2] if best else None
