"""What a figure counts: the counted noun with its modifiers and the event verb that governs it
("North Korean soldiers killed or wounded", "drones shot down").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from spacy.tokens import Doc, Token

from summarize.figures.phrases import phrase_text, resolve_relative
from summarize.figures.values import NumberMention
from summarize.figures.words import (
    CHANGE_NOUNS,
    CHANGE_VERBS,
    EVENT_LEMMAS,
    MEASURE_NOUNS,
    PARTICIPLES,
    STATE_ADJECTIVES,
    TIME_UNITS,
    TOTAL_VERBS,
)
from summarize.lexicon import REPORTING_VERBS

_PARTICLES = frozenset({"down", "off", "out", "up"})


def _partitive_noun(doc: Doc, m: NumberMention) -> Token | None:
    """The noun of "12 of 15 drones" for its part, 12: a plural noun a few words after "of" + a number."""
    if m.end + 1 >= len(doc) or doc[m.end].lower_ != "of" or not doc[m.end + 1].like_num:
        return None
    for token in doc[m.end + 2 : m.end + 5]:
        if token.tag_ == "NNS":
            return token
        if not (token.like_num or token.dep_ in ("amod", "compound", "nummod", "quantmod")):
            return None
    return None


def _is_partitive_total(doc: Doc, m: NumberMention) -> bool:
    """15 in "12 of 15 drones": the whole the part was taken from, not what the verb did."""
    return m.start >= 2 and doc[m.start - 1].lower_ == "of" and doc[m.start - 2].like_num


def _out_of_whole(doc: Doc, m: NumberMention) -> Token | None:
    """The noun 45 counts in "30 drones out of 45 launched": the part's own plural noun, before "out of"."""
    if m.start < 4 or doc[m.start - 1].lower_ != "of" or doc[m.start - 2].lower_ != "out":
        return None
    for token in reversed(doc[max(0, m.start - 6) : m.start - 2]):
        if token.tag_ == "NNS" and any(c.dep_ == "nummod" for c in token.children):
            return token
    return None


def _fronted_whole(doc: Doc, m: NumberMention) -> Token | None:
    """The noun 31 counts in "Of the 40 missiles fired, 31 were intercepted": a bare number subject whose
    verb has a fronted "of" phrase naming the whole with its own number."""
    anchor = m.anchor
    if m.unit is not None or anchor.dep_ not in ("nsubj", "nsubjpass") or anchor.head.pos_ != "VERB":
        return None
    for prep in anchor.head.children:
        if prep.dep_ == "prep" and prep.lower_ == "of" and prep.i < anchor.i:
            whole = next((c for c in prep.children if c.dep_ == "pobj" and c.tag_ == "NNS"), None)
            if whole is not None and any(c.like_num for c in whole.children):
                return whole
    return None


_COUNT_NOUNS = frozenset({"number", "total", "count", "tally"})  # "the number of X" counts X


def of_what(noun: Token) -> Token | None:
    """Y of "noun of Y": what "the number of mines" counts (mines), or None."""
    of = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    return next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None


def _total_of(anchor: Token) -> Token | None:
    """ "the number of mines cleared now totals 6,602": what the subject of a total verb counts."""
    if anchor.dep_ != "dobj" or anchor.head.lemma_.lower() not in TOTAL_VERBS:
        return None
    subject = next((c for c in anchor.head.children if c.dep_ == "nsubj" and c.pos_ == "NOUN"), None)
    if subject is None:
        return None
    if subject.lemma_.lower() in _COUNT_NOUNS:
        return of_what(subject)
    return subject


_NOW_WORDS = frozenset({"today", "now", "yesterday", "tonight"})


def _changed_count_of(anchor: Token) -> Token | None:
    """ "the number of fighters has risen from 2,000 ... to more than 9,000 today": what a count that changed
    counts, at either end ("9,000" may hang on "today" in the parse)."""
    node = anchor
    if node.dep_ == "nummod" and node.head.dep_ == "pobj" and node.head.lower_ in _NOW_WORDS:
        node = node.head
    if node.dep_ != "pobj" or node.head.lower_ not in ("from", "to"):
        return None
    verb = node.head.head
    if verb.lemma_.lower() not in CHANGE_VERBS:
        return None
    subject = next((c for c in verb.children if c.dep_ == "nsubj" and c.pos_ == "NOUN"), None)
    if subject is None or subject.lemma_.lower() not in _COUNT_NOUNS:
        return None
    return of_what(subject)


def counted_noun(doc: Doc, m: NumberMention) -> Token | None:
    anchor = m.anchor
    total_of = _total_of(anchor) or _changed_count_of(anchor) if m.unit is None and not m.vague else None
    if total_of is not None:
        return total_of
    partitive = _partitive_noun(doc, m) if m.unit is None else None
    if partitive is not None:
        return partitive
    inside = range(m.start, m.end)
    if m.unit is not None or m.vague:
        for token in doc[m.start : m.end]:
            for child in token.children:
                if child.dep_ == "prep" and child.lower_ in ("of", "in", "for") and child.i >= m.end:
                    objects = [c for c in child.children if c.dep_ in ("pobj", "pcomp")]
                    if objects and objects[0].pos_ not in ("PRON", "NUM"):
                        if child.lower_ in ("in", "for") and not (
                            m.unit is not None and m.unit.kind == "currency"
                        ):
                            continue
                        return objects[0]
        currency = m.unit is not None and m.unit.kind == "currency"
        if currency and m.end < len(doc) and doc[m.end].lower_ in ("in", "for"):  # "$1.2bn in equipment"
            objects = [c for c in doc[m.end].children if c.dep_ == "pobj" and c.pos_ in ("NOUN", "PROPN")]
            if objects:
                return objects[0]
        if m.end < len(doc) and doc[m.end].lower_ == "of" and m.end + 1 < len(doc):
            for token in doc[m.end + 1 : m.end + 6]:
                if token.head.i == m.end and token.pos_ in ("NOUN", "PROPN", "VERB"):
                    return token
    if (
        anchor.dep_ in ("nummod", "quantmod", "compound", "amod", "nmod", "npadvmod")
        and anchor.head.i not in inside
    ):
        head = anchor.head
        if head.pos_ in ("NOUN", "PROPN") and head.i > anchor.i and head.lemma_.lower() not in TIME_UNITS:
            return head
        if head.pos_ == "ADJ" and head.lower_ in STATE_ADJECTIVES and head.i > anchor.i:  # "35 dead"
            return head
    if m.unit is None and not m.vague:
        # "11 wounded", "4 dead": a state word right after the number is what it counts, whatever the parse
        if m.end < len(doc) and doc[m.end].lower_ in STATE_ADJECTIVES:
            return doc[m.end]
        for child in anchor.children:
            if child.dep_ == "prep" and child.lower_ == "of" and child.i >= m.end:
                objects = [c for c in child.children if c.dep_ == "pobj" and c.pos_ in ("NOUN", "PROPN")]
                if objects:
                    return objects[0]
        # the parser sometimes misses "20-30 tanks": take a plural noun right after the value
        j = m.end
        while j < len(doc) and doc[j].pos_ in ("ADJ",) and doc[j].dep_ in ("amod", "compound"):
            j += 1
        if j < len(doc) and doc[j].tag_ == "NNS" and doc[j].lemma_.lower() not in TIME_UNITS:
            return doc[j]
        return _out_of_whole(doc, m) or _fronted_whole(doc, m)
    return None


def _glued_hyphen(token: Token) -> bool:
    """A hyphen inside a word ("rocket-propelled"), not a dash between words."""
    return (
        token.text in ("-", "‑")
        and token.whitespace_ == ""
        and token.i > 0
        and token.doc[token.i - 1].whitespace_ == ""
        and token.doc[token.i - 1].is_alpha
    )


def _noun_phrase(noun: Token, skip: range, extra_preps: Sequence[Token] = ()) -> str:
    """The counted thing as a reader says it: modifiers + noun + 'from X' / 'of X'."""
    doc = noun.doc
    subtree = {t.i for t in noun.subtree}
    start = noun.i
    while start - 1 >= 0 and start - 1 not in skip and start - 1 in subtree:
        before = doc[start - 1]
        if _glued_hyphen(before) and start - 2 not in skip and start - 2 in subtree:
            start -= 2  # "rocket-propelled grenades", "front-end loaders": a hyphenated modifier stays whole
            continue
        if (
            before.dep_ in ("det", "punct", "prep", "cc", "advmod", "predet", "nummod", "quantmod")
            or before.pos_ in ("DET", "NUM", "PUNCT")
            or before.lower_ == "of"
            or (before.pos_ == "PRON" and before.dep_ == "poss")
        ):
            break
        start -= 1
    parts = [doc[start : noun.i + 1].text]
    preps = [c for c in noun.children if c.dep_ == "prep" and c.lower_ in ("from", "of") and c.i > noun.i]
    preps += [p for p in extra_preps if p.i > noun.i]
    for prep in sorted(preps, key=lambda t: t.i)[:1]:
        tokens = list(prep.subtree)
        if len(tokens) <= 7 and not any(t.pos_ in ("VERB", "AUX") for t in tokens):
            parts.append(doc[tokens[0].i : tokens[-1].i + 1].text)
    return " ".join(parts)


def _role_token(m: NumberMention, noun: Token | None) -> Token:
    """The token whose dependency says what role the figure plays in its clause."""
    inside = range(m.start, m.end)
    if noun is None or m.vague or noun.head.i in inside:
        return m.anchor
    fronted = _fronted_whole(noun.doc, m)
    if fronted is not None and fronted.i == noun.i:
        return m.anchor  # the number is the verb's subject; the fronted whole only names what it counts
    if noun.head.dep_ == "prep" and noun.head.head.i in inside:  # "10 of the drones", "800 km² of territory"
        return m.anchor
    return noun


def _event_verbs(role: Token, noun: Token | None = None) -> tuple[list[Token], str | None]:
    """The verb(s) acting on the counted thing and the role ('object', 'subject', 'passive')."""
    verbs, role_name = _governing_verbs(role)
    eventful = {v.lemma_.lower() for v in verbs} & EVENT_LEMMAS
    if not eventful:
        # "30 soldiers killed in the attack": a reduced relative clause carries the event, also on the noun
        # of a count that is the clause's word ("left scores of others injured")
        holders = [role] if noun is None or noun.i == role.i else [role, noun]
        participles = [
            c for holder in holders for c in holder.children if c.dep_ == "acl" and c.tag_ == "VBN"
        ]
        if participles:
            first = participles[0]
            return [first, *(c for c in first.children if c.dep_ == "conj" and c.pos_ == "VERB")], "passive"
    return verbs, role_name


def _state_word_of_another_count(role: Token, verb: Token) -> bool:
    """Whether `verb` is the state word of the count just before it, not `role`'s verb. In "1,200 civilians
    and 30 wounded were evacuated" the parser may make "wounded" the verb of "civilians": it says what the
    30 are, and the civilians are not wounded."""
    before = verb.doc[verb.i - 1] if verb.i > 0 else None
    return (
        verb.lower_ in STATE_ADJECTIVES
        and before is not None
        and before.like_num
        and before.i != role.i
        and not (before.dep_ == "nummod" and before.head.i == role.i)  # "30 wounded" counted by its own noun
    )


_DASHES = frozenset({"-", "\u2013", "\u2014", "--"})
_ASIDE_WORDS = 10  # the longest aside between dashes looked across


def _verb_after_aside(role: Token) -> Token | None:
    """The verb right after a dashed aside that follows `role` ("2,000 people - many of them children - have
    been killed"), which the parser tends to leave unattached to the noun before it."""
    doc = role.doc
    if role.i + 1 >= len(doc) or doc[role.i + 1].text not in _DASHES:
        return None
    close = next(
        (t for t in doc[role.i + 2 : role.i + 2 + _ASIDE_WORDS] if t.text in _DASHES or t.is_sent_start),
        None,
    )
    if close is None or close.text not in _DASHES or close.i + 1 >= len(doc):
        return None
    after = doc[close.i + 1]
    if after.pos_ == "AUX" and after.head.pos_ == "VERB" and after.head.i > after.i:
        return after.head
    return after if after.pos_ == "VERB" else None


def _governing_verbs(role: Token) -> tuple[list[Token], str | None]:
    verb = role.head
    dep = role.dep_
    if dep not in ("nsubj", "nsubjpass", "dobj", "pobj", "attr", "oprd", "npadvmod") or verb.pos_ not in (
        "VERB",
        "AUX",
    ):
        after = _verb_after_aside(role)
        if after is not None:
            passive = any(c.dep_ == "auxpass" for c in after.children)
            verb, dep = after, ("nsubjpass" if passive else "nsubj")
    if dep in ("nsubj", "nsubjpass") and _state_word_of_another_count(role, verb):
        # the clause's own verb, if the parser hung it under the state word ("... wounded were evacuated")
        clause = next(
            (
                c
                for c in verb.children
                if c.dep_ in ("ccomp", "conj")
                and c.pos_ == "VERB"
                and any(a.dep_ == "auxpass" for a in c.children)
            ),
            None,
        )
        if clause is None:
            return [], None
        verb, dep = clause, "nsubjpass"
    if dep == "pobj" and verb.dep_ in ("prep", "agent") and verb.head.pos_ in ("VERB", "AUX"):
        return [verb.head], "oblique"
    if dep == "npadvmod" and verb.lower_ in _PARTICLES and verb.head.pos_ == "VERB" and role.i > verb.i:
        verb = verb.head  # "shot down 21 of 27 drones" parsed with the count under "down"
    if verb.pos_ not in ("VERB", "AUX") or verb.i == role.i:
        return [], None
    if dep == "npadvmod" and role.i > verb.i and verb.lemma_.lower() in EVENT_LEMMAS:
        dep = "dobj"  # "shot down 21 of 27 drones": the parser makes the count an adverbial of the verb
    if dep in ("dobj", "nsubjpass", "attr", "oprd"):
        role_name = "object" if dep == "dobj" else "passive"
    elif dep == "nsubj":
        role_name = "subject"
    else:
        return [], None
    verbs = [verb]
    # shared object: "killed or wounded 30", "were killed and wounded"
    if (
        verb.dep_ == "conj"
        and verb.head.pos_ == "VERB"
        and verb.head.lemma_.lower() in EVENT_LEMMAS
        and not any(c.dep_ in ("dobj", "nsubjpass") for c in verb.head.children)
    ):
        verbs.insert(0, verb.head)
    for child in verb.children:
        if (
            child.dep_ == "conj"
            and child.pos_ == "VERB"
            and child.lemma_.lower() in EVENT_LEMMAS
            and not any(c.dep_ in ("dobj", "nsubj", "nsubjpass") for c in child.children)
        ):
            verbs.append(child)
    return verbs, role_name


def _verb_words(verbs: list[Token], participle: bool) -> str:
    doc = verbs[0].doc
    words = []
    for index, verb in enumerate(verbs):
        if index:
            ccs = [t for t in doc[verbs[index - 1].i + 1 : verb.i] if t.dep_ == "cc"]
            words.append(ccs[0].lower_ if ccs else "and")
        form = _participle(verb) if participle else verb.text
        particle = [
            c.text for c in verb.children if c.dep_ == "prt" or (c.i == verb.i + 1 and c.lower_ in _PARTICLES)
        ]
        words.append(" ".join([form or verb.text, *particle]))
    return " ".join(words)


def _participle(verb: Token) -> str | None:
    if verb.tag_ == "VBN" or (
        verb.tag_ == "VBD" and verb.lemma_.lower() not in ("take", "give", "shoot", "strike")
    ):
        return verb.lower_
    return PARTICIPLES.get(verb.lemma_.lower())


def _subject(verb: Token) -> Token | None:
    for candidate in (verb, verb.head if verb.dep_ in ("conj", "xcomp") else None):
        if candidate is None:
            continue
        for child in candidate.children:
            if child.dep_ in ("nsubj",):
                return child
    return None


def _measured_object(verb: Token) -> Token | None:
    """The object a figure is the level of ("put the toll at 150,000"), also of the verb a coordinated one
    shares it with ("brought the number of munitions ... and dropped ... to 1,340"), before any subject."""
    own = next((c for c in verb.children if c.dep_ == "dobj"), None)
    if own is not None or verb.dep_ != "conj":
        return own
    return next(
        (c for c in verb.head.children if c.dep_ == "dobj" and c.lemma_.lower() in MEASURE_NOUNS), None
    )


def _is_proper(token: Token) -> bool:
    """A named subject worth naming in `counts` ("sent by North Korea"), not "its troops"."""
    phrase = phrase_text(token).split()
    owned = any(t.pos_ == "PRON" for t in token.children if t.dep_ == "poss")
    named = token.pos_ == "PROPN" or any(
        c.ent_type_ in ("NORP", "GPE", "ORG") for c in token.children if c.dep_ in ("amod", "compound")
    )
    return named and not owned and len(phrase) <= 6


def counted_text(doc: Doc, m: NumberMention, noun: Token | None) -> tuple[str | None, list[Token]]:
    extra: list[Token] = []
    if m.vague:
        extra = [c for c in m.anchor.children if c.dep_ == "prep" and c.lower_ == "from"]
    if noun is not None and noun.lemma_.lower() in CHANGE_NOUNS:
        # "a 40% drop in attacks": the change keeps what changed
        extra = [c for c in noun.children if c.dep_ == "prep" and c.lower_ == "in"]
    phrase = _noun_phrase(noun, range(m.start, m.end), extra) if noun is not None else None
    if noun is not None and noun.pos_ == "VERB":  # "three years of battling the invasion"
        tokens = list(noun.subtree)
        phrase = doc[tokens[0].i : tokens[-1].i + 1].text if len(tokens) <= 8 else noun.text
    if noun is not None and noun.i == m.end and noun.lower_ in STATE_ADJECTIVES:
        phrase = noun.text  # "11 wounded": the state word alone, not the clause the parser hung on it
    if noun is not None and phrase and m.unit is None and _is_partitive_total(doc, m):
        # the total of "12 of 15 drones" keeps only its own participle ("15 drones launched"), never the
        # verb that acted on the part ("shot down")
        participles = [c for c in noun.children if c.dep_ == "acl" and c.tag_ == "VBN"]
        return (f"{phrase} {participles[0].text}" if participles else phrase), participles[:1]
    whole_of = _out_of_whole(doc, m) if noun is not None and m.unit is None else None
    if whole_of is not None and whole_of.i == noun.i:
        # its own participle ("out of 45 launched"), never the verb of the part ("shot down")
        participle = doc[m.end] if m.end < len(doc) and doc[m.end].tag_ == "VBN" else None
        return (f"{whole_of.text} {participle.text}" if participle else whole_of.text), [
            participle
        ] if participle else []
    role = _role_token(m, noun)
    verbs, role_name = _event_verbs(role, noun)
    if phrase is None and role_name == "oblique" and role.head.lower_ in ("at", "to"):
        # "put the death toll at 150,000", "casualties rose to 300": the thing measured is the object/subject
        measured = _measured_object(verbs[0]) or _subject(verbs[0])
        if measured is not None and measured.pos_ in ("NOUN", "PROPN"):
            phrase = re.sub(r"^(the|a|an)\s+", "", phrase_text(measured), flags=re.IGNORECASE)
            if phrase.lower() in MEASURE_NOUNS:
                phrase = None  # "put the figure at 900 km²": no counted thing rather than "of figure"
    if (
        noun is not None
        and m.unit is None
        and not m.vague
        and (total := _total_of(m.anchor)) is not None
        and total.i == noun.i
    ):
        # "the number of mines cleared now totals 6,602": the subject, without "the number of"
        subject = _subject(m.anchor.head) or noun
        text = re.sub(r"^(the|a|an)\s+", "", phrase_text(subject), flags=re.IGNORECASE)
        text = re.sub(r"^(total\s+)?(number|count|tally)\s+of\s+", "", text, flags=re.IGNORECASE)
        return (None if text.lower() in MEASURE_NOUNS else text), verbs
    if phrase is None and m.unit is not None and m.unit.kind == "time" and verbs:
        # "fighting has raged for nearly three weeks" -> "three weeks of fighting"
        subject = _subject(verbs[0])
        if subject is not None and subject.pos_ in ("NOUN", "PROPN"):
            text = phrase_text(subject)
            phrase = re.sub(r"^(the|a|an|this|that)\s+", "", text, flags=re.IGNORECASE)
    if not verbs or role_name in ("oblique",):
        return phrase, verbs
    eventful = bool({v.lemma_.lower() for v in verbs} & EVENT_LEMMAS)
    if role_name in ("object", "passive") and eventful and all(_participle(v) for v in verbs):
        event = _verb_words(verbs, participle=True)
        subject = _subject(verbs[0]) if role_name == "object" else None
        if subject is not None:
            subject = resolve_relative(subject)
        if subject is not None and _is_proper(subject):
            event += " by " + phrase_text(subject)
        return (f"{phrase} {event}" if phrase else event), verbs
    if role_name == "subject" and eventful and phrase:
        return f"{phrase} {_verb_words(verbs, participle=False)}", verbs
    # "30 drones Russia fired"; never "30 deaths The UN reported": who reports is the claimant, shown apart
    if role_name == "object" and phrase and verbs[0].lemma_.lower() not in REPORTING_VERBS:
        subject = _subject(verbs[0])
        if subject is not None and _is_proper(subject) and len(list(subject.subtree)) <= 4:
            return f"{phrase} {phrase_text(subject)} {verbs[0].text}", verbs
    return phrase, verbs
