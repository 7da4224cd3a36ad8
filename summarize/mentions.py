"""Speaker mentions: the noun phrase that names a source, and what a pronoun or "the minister" refers to.

A small rule-based resolver over the one parse: recency with a subject preference (Hobbs-style, sentence
by sentence backwards), typed by what the mention can refer to (a person for he/she, a group or an
organisation for they/it, a title word such as "minister" for "the minister").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from summarize.parse import TITLE_ABBREVIATIONS, ent_containing, ents_in, ents_starting_before
from summarize.wordlists import word_set

PERSON_PRONOUNS = frozenset({"he", "she", "him", "her"})
GROUP_PRONOUNS = frozenset({"they", "them"})
THING_PRONOUNS = frozenset({"it"})
# Dependents that are not part of the name itself: "Kuleba, who ...", "Kuleba, the foreign minister,".
_NOT_NAME = frozenset({"relcl", "acl", "appos", "advcl", "punct", "parataxis", "prep_by"})
# Nouns of institutions; "the alliance" / "the ministry" refer back to an organisation.
ORG_NOUNS = word_set("", "org_nouns")
# Role nouns; "the minister" refers back to a person named with that title ("Defence Minister X").
PERSON_NOUNS = word_set("", "person_nouns")
# Nouns that only name a person ("a young teacher, X"): a name beside one is a person (person_kinds.txt).
PERSON_KINDS = word_set("", "person_kinds")
# News agencies are named as recipients ("told AFP"), never the referent of "the alliance".
MEDIA = word_set("", "media")
# Heads that can say nothing: "Images of bullet casings ... suggest", "previous claims", "the data".
NOT_SPEAKERS = word_set("", "not_speakers")
# "the alliance" may be any organisation named before; "the military" only one with that word in its name.
GENERIC_ORG_NOUNS = word_set("", "generic_org_nouns")
_ORG_LABELS = frozenset({"ORG", "GPE", "NORP"})
# "Kyiv-based", "Iran-backed": a name in such a modifier describes the noun after it (hyphen_modifiers.txt).
HYPHEN_MODIFIERS = word_set("", "hyphen_modifiers")
# "the country" / "the kingdom" refer back to the state named just before.
COUNTRY_NOUNS = word_set("", "country_nouns")
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "poss"})
# A share of respondents is no speaker or claimant: "9 percent of voters said", "about half of".
SURVEY_SHARE = re.compile(
    r"^(?:(?:just|only|about|some|nearly|almost|over|under|roughly|more than|less than|fewer than|a|an)\s+)*"
    r"(?:[\w.,-]+\s*(?:%|percent\b|per cent\b)|(?:\w+[-\s]+)?(?:half|thirds?|quarters?|majority|minority|plurality)\s+of\b)",
    re.I,
)

# Gender cues for he / she (spaCy has none): honorifics and role nouns, and common given names.
FEMALE_WORDS = word_set("", "female_words")
MALE_WORDS = word_set("", "male_words")
FEMALE_NAMES = word_set("", "female_names")
MALE_NAMES = word_set("", "male_names")
_HONORIFICS = {"mr": "male", "mrs": "female", "ms": "female", "miss": "female"}
# Marks inside one written word: "al-Jabouri", "Abdel-Rahman", "O'Malley" (the tokenizer splits them off).
_JOINERS = frozenset({"-", "\u2010", "\u2011", "'", "\u2019"})


@dataclass(frozen=True)
class Mention:
    """A speaker as written: token span [start, end) of the doc, and its head token."""

    start: int
    end: int
    head: int

    def span(self, doc: Doc) -> Span:
        return doc[self.start : self.end]


def mention_of(token: Token) -> Mention:
    """The noun phrase headed by `token`, without relative clauses, appositions or trailing punctuation."""
    kept = [token]
    name = title_name(token)
    for child in token.children:
        if child.dep_ in _NOT_NAME and (name is None or child.i != name.i):
            continue
        if _reporting_place(token, child):
            continue
        kept.extend(child.subtree)
    indices = sorted(t.i for t in kept)
    start, end = indices[0], indices[-1] + 1
    # keep it contiguous around the head: stop at a comma between the head and a far dependent
    doc = token.doc
    for i in range(token.i, end):
        if doc[i].text in {",", ";", "(", "—"} or quote_mark(doc[i]):
            end = i
            break
    for i in range(token.i, start - 1, -1):
        if doc[i].text in {",", ";", ")", "—"} or quote_mark(doc[i]):
            start = i + 1
            break
    while end > start + 1 and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    while start < end - 1 and (doc[start].is_punct or doc[start].is_space):
        start += 1
    start, end = whole_words(doc, start, end)
    return Mention(start, person_end(doc, start, end), token.i)


def _reporting_place(name: Token, child: Token) -> bool:
    """ "The BBC's Anna Holt in Paris says": the place a named source speaks from is no part of the name
    (a common noun keeps it: "officials in Kabul" are other officials than those in Herat)."""
    return (
        name.pos_ == "PROPN"
        and child.dep_ == "prep"
        and child.lower_ in ("in", "at")
        and child.i > name.i
        and any(c.dep_ == "pobj" and c.ent_type_ in ("GPE", "LOC") for c in child.children)
    )


def quote_mark(token: Token) -> bool:
    """A quote mark, which a name never holds: a misread quote ran its last words into the speaker ("...
    Hunger, cold and fear' One farmer"). Not the possessive apostrophe of "the fighters' commander"."""
    return token.is_quote and token.tag_ != "POS"


def person_end(doc: Doc, start: int, end: int) -> int:
    """`end` moved to the end of the person's name the span [start, end) stops inside: the parser may hang
    a name's last word on the verb ("Mary O\u2019Neill said": "O\u2019Neill" read as an adverb), and the
    span would show "Mary". Only to the right and only inside one PERSON entity: a misread entity's extra
    word sits in front of the name ("ambassador to Britain Liu Xiaming"), never after it."""
    ent = ent_containing(doc, end - 1) if end > start else None
    if ent is None or ent.label_ != "PERSON" or ent.end <= end:
        return end
    if any(t.is_punct and t.text not in _JOINERS for t in doc[end : ent.end]):
        return end
    # a word that governs the name is its verb, not part of it: the entity "Obama Says" of a headline
    governing = {t.i for t in doc[end - 1].ancestors}
    if any(t.i in governing for t in doc[end : ent.end]):
        return end
    return ent.end


def whole_words(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """[start, end) widened so that it never ends or starts inside a written word: the parser hangs
    "al", "-" and "Jabouri" of "Raed al-Jabouri" on the verb one by one, and a span cut there shows a
    wrong name ("Raed al"). Only a hyphen or apostrophe with no space on either side joins words."""
    n = len(doc)

    def joined(left: int, right: int) -> bool:  # tokens left and right are adjacent, with no space between
        return doc[left].whitespace_ == "" and doc[left].text not in ",;:()"

    while end < n and joined(end - 1, end):
        if doc[end].text in _JOINERS and end + 1 < n and joined(end, end + 1) and doc[end + 1].is_alpha:
            end += 2
        elif doc[end - 1].text in _JOINERS and doc[end].is_alpha:
            end += 1
        else:
            break
    while start > 0 and joined(start - 1, start):
        if (
            doc[start - 1].text in _JOINERS
            and start > 1
            and joined(start - 2, start - 1)
            and doc[start - 2].is_alpha
        ):
            start -= 2
        elif doc[start].text in _JOINERS and doc[start - 1].is_alpha:
            start -= 1
        else:
            break
    return start, end


def title_name(token: Token) -> Token | None:
    """The name a title is followed by when the parser makes the name the title's apposition: "Lt. Col.
    [Yosef Ben-David]" with no comma between. A comma-separated apposition ("Kuleba, the minister") is
    another description and stays out of the name; so does anything after a word that is not a title."""
    if not is_title(token):
        return None
    doc = token.doc
    for child in token.children:
        if child.dep_ != "appos" or child.i < token.i:
            continue
        if not (child.ent_type_ == "PERSON" or child.pos_ == "PROPN"):
            continue
        if any(t.is_punct for t in doc[token.i + 1 : child.left_edge.i]) or child.left_edge.i < token.i:
            continue
        return child
    return None


def is_title(token: Token) -> bool:
    """A person's title: an abbreviation with a period ("Col.") or a role noun ("Colonel", "minister")."""
    return (
        token.text in TITLE_ABBREVIATIONS
        or token.lemma_.lower() in PERSON_NOUNS
        or token.lower_ in PERSON_NOUNS
    )


def _name_hung_on_object(role: Token) -> Token | None:
    """ "A spokesman for the Kurdish-led forces, Mustafa Bali, said": the parser hangs the name on the
    preposition's object, but a person's name after a role noun's "for / of / to X," names the role."""
    if not is_title(role) or any(c.dep_ == "appos" for c in role.children):
        return None
    doc = role.doc
    for obj in _role_objects(role):
        for name in obj.children:
            if name.dep_ != "appos" or name.i < obj.i or doc[name.left_edge.i - 1].text != ",":
                continue
            if name.ent_type_ == "PERSON" or _is_person_name(doc, mention_of(name).span(doc).text):
                return name
    return None


def _role_objects(role: Token, depth: int = 3) -> Iterable[Token]:
    """The objects of a role noun's "for / of / to / at X", and of the phrases hung on those ("the head of
    the agency in Chad, X,": the parser hangs the name on the last object, Chad), at most `depth` deep."""
    preps = ("for", "of", "to", "at") if depth == 3 else ("for", "of", "to", "at", "in")
    for prep in (c for c in role.children if c.dep_ == "prep" and c.lower_ in preps):
        for obj in (c for c in prep.children if c.dep_ == "pobj" and c.ent_type_ != "PERSON"):
            yield obj
            if depth > 1:
                yield from _role_objects(obj, depth - 1)


def named_mention(token: Token) -> Mention:
    """As `mention_of`, but "Ukraine's foreign minister, Dmytro Kuleba," names the person, not the role."""
    hung = _name_hung_on_object(token)
    if hung is not None:
        return mention_of(hung)
    if token.ent_type_ not in ("PERSON", "ORG") and token.pos_ != "PROPN":
        for child in token.children:
            if child.dep_ == "appos" and (child.ent_type_ in ("PERSON", "ORG") or child.pos_ == "PROPN"):
                token = child
                break
        else:
            return mention_of(token)
    elif token.pos_ == "PROPN" and token.ent_type_ != "PERSON" and is_title(token):
        # "The Task Force Commander, Lt. Gen. X, said": a capitalised role is tagged a proper noun, but
        # the person named in its apposition is who speaks
        person = next((c for c in token.children if c.dep_ == "appos" and c.ent_type_ == "PERSON"), None)
        if person is not None:
            token = person
    mention = mention_of(token)
    name = title_name(token)
    # "Lt. Col. Yosef Ben-David" headed by the title: the name's own head is who the mention is (a person)
    return Mention(mention.start, mention.end, name.i) if name is not None else mention


def has_person_title(doc: Doc, mention: Mention) -> bool:
    """A name with a person's title in front: "Defense Minister Taras Holub", "Colonel Patrice Mbala"."""
    head = doc[mention.head]
    return head.pos_ == "PROPN" and any(
        doc[i].lemma_.lower() in PERSON_NOUNS or doc[i].lower_ in PERSON_NOUNS
        for i in range(mention.start, head.i)
    )


def fuller_name(doc: Doc, name: str, before: int) -> str | None:
    """The fuller earlier name a bare surname refers to: "Mbala" -> "Patrice Mbala" (the last one before
    token `before`), so a figure shown on its own line still says who claims it."""
    if not name.istitle() or " " in name:
        return None
    found = None
    for ent in ents_starting_before(doc, before):
        # "al-Jabouri" / "Al-Jabouri" is the last written word of "Raed al-Jabouri", not its last token
        if ent.label_ == "PERSON" and " " in ent.text and ent.text.lower().endswith(" " + name.lower()):
            found = ent.text
    return found


def fuller_from_first_word(doc: Doc, name: str, before: int) -> str | None:
    """The earlier name a bare one-word name begins: "Wang" -> "Wang Jiaxiang" (the family name first, as in
    Chinese names; or a feature's "Karim" for "Karim Wasifi"), from the word on when the tagger glued a
    word in front ("Britain Wang Jiaxiang"). The last such PERSON name before token `before`."""
    if not name.istitle() or " " in name:
        return None
    found = None
    for ent in ents_starting_before(doc, before):
        if ent.label_ != "PERSON" or ent.end > before:
            continue
        words = [t for t in ent if t.is_alpha]
        for k, token in enumerate(words[:-1]):
            if token.text == name and all(t.is_title for t in words[k:]):
                found = doc[token.i : ent.end].text
    return found


def is_pronoun(token: Token) -> bool:
    return token.pos_ == "PRON" and token.lower_ in PERSON_PRONOUNS | GROUP_PRONOUNS | THING_PRONOUNS


def is_nominal(doc: Doc, mention: Mention) -> bool:
    """A definite description without a name: "the minister", "the alliance", "the defence ministry"."""
    head = doc[mention.head]
    tokens = mention.span(doc)
    return (
        head.pos_ == "NOUN"
        and tokens[0].lower_ in {"the", "this", "that", "these", "those"}
        and not any(t.pos_ == "PROPN" or t.ent_type_ or t.dep_ == "poss" for t in tokens)
        and len(tokens) <= 4
    )


@dataclass(frozen=True)
class Candidate:
    """Something a later pronoun may refer to: an earlier speaker or named entity."""

    token: int  # head token index
    name: str
    kind: str  # "person", "group" or "org"
    is_speaker: bool = False
    is_subject: bool = False


def _kind_of(token: Token) -> str:
    if token.ent_type_ == "PERSON" or token.lemma_.lower() in PERSON_NOUNS and token.tag_ in ("NN", "NNP"):
        return "person"
    if token.tag_ in ("NNS", "NNPS") or token.lemma_.lower() in PERSON_NOUNS:
        return "group"
    if token.ent_type_ in _ORG_LABELS or token.lemma_.lower() in ORG_NOUNS:
        return "org"
    return "other"


def _entity_candidates(doc: Doc, sentence: Span, before: int) -> Iterable[Candidate]:
    for ent in ents_in(sentence):
        if ent.start >= before or ent.label_ not in ("PERSON", "ORG", "GPE", "NORP"):
            continue
        if ent.text.lower() in MEDIA or _in_hyphen_modifier(doc, ent):
            continue
        head = ent.root
        kind = "person" if ent.label_ == "PERSON" or _after_a_person_word(doc, ent) else "org"
        if ent.label_ == "NORP" and head.tag_ not in ("NNPS", "NNS"):
            continue  # "Ukrainian" as an adjective names nobody
        if head.dep_ == "poss":
            continue  # "Lysenko's deputy, Roman Shevchuk, ...": the possessor is not who the sentence is about
        # "Lysenko's deputy, Captain Roman Shevchuk, was ...": a name in apposition to the subject is the subject
        role = head.head.dep_ if head.dep_ == "appos" else head.dep_
        yield Candidate(head.i, ent.text, kind, is_subject=role in ("nsubj", "nsubjpass"))


def _after_a_person_word(doc: Doc, ent: Span) -> bool:
    """ "blogger Pavel Sumin", "chief editor X": an organisation-tagged name right after a noun that names
    a person or a person's role is a person (the small model tags unfamiliar names ORG)."""
    if ent.label_ != "ORG" or ent.start == 0 or not all(t.pos_ == "PROPN" for t in ent):
        return False
    before = doc[ent.start - 1]
    words = {before.lemma_.lower(), before.lower_}
    # a lower-case word tagged a proper noun ("blogger Pavel Sumin") is a common noun the tagger misread
    common = before.pos_ == "NOUN" or (before.pos_ == "PROPN" and before.is_lower)
    return common and bool(words & (PERSON_KINDS | PERSON_NOUNS))


def _in_hyphen_modifier(doc: Doc, ent: Span) -> bool:
    """ "Rostov-based blogger X": the name is the first part of a hyphened modifier, no one a pronoun means."""
    end = ent.end
    return (
        end + 1 < len(doc)
        and doc[end - 1].whitespace_ == ""
        and doc[end].text == "-"
        and doc[end].whitespace_ == ""
        and doc[end + 1].lower_ in HYPHEN_MODIFIERS
    )


def _nominal_subject_candidates(doc: Doc, sentence: Span, before: int) -> Iterable[Candidate]:
    """Common-noun subjects that can speak ("the union of farmers", "the opposition", "the regional
    governor"): the nearest compatible antecedent of a later pronoun even without a name. Without them a
    name two sentences back won over the sentence in between ("But the opposition rejects that. It says
    ..." went to a city named before it). Only subjects of the sentence's main clause, and only nouns that
    name a person, group or institution."""
    root = sentence.root
    for token in sentence:
        if token.i >= before or token.dep_ not in ("nsubj", "nsubjpass") or token.pos_ != "NOUN":
            continue
        if token.ent_type_ or not (
            token.head == root or token.head.head == root and token.head.dep_ == "conj"
        ):
            continue
        lemma = token.lemma_.lower()
        if not can_speak(token) or SURVEY_SHARE.match(mention_of(token).span(doc).text):
            continue
        if any(c.dep_ == "appos" for c in token.children):
            continue  # "The governor of the region, Oleh Syniehubov, ...": the name is the candidate
        if lemma in PERSON_NOUNS and token.tag_ == "NN":
            kind = "person"
        elif lemma in ORG_NOUNS or lemma in GENERIC_ORG_NOUNS:
            kind = "org" if token.tag_ == "NN" else "group"
        elif token.tag_ == "NNS" and lemma in PERSON_NOUNS:
            kind = "group"
        else:
            continue  # "the road", "the offensive": nothing that says things
        yield Candidate(token.i, mention_of(token).span(doc).text, kind, is_subject=True)


def gender_of(doc: Doc, name: str) -> str | None:
    """ "male", "female" or None (unknown) for a name or description as written: an honorific or role noun
    in it ("Mrs. Ortiz", "the spokeswoman", "widow Ana Ruiz"), its given name ("Maria Ortiz"; a one-word
    name is taken as a given name), else an honorific the article puts before its last word elsewhere
    ("Ms. Ortiz said" makes a later "Ortiz" a woman). "Zelensky (the president)" is judged by "Zelensky".
    A surname that is also a given name ("Carmel Martin") says nothing."""
    words = [w.strip(".,").lower() for w in name.split("(", 1)[0].split()]
    words = [w for w in words if w]
    if not words:
        return None
    marked = {_HONORIFICS[w] for w in words if w in _HONORIFICS}
    marked |= {"female" for w in words if w in FEMALE_WORDS} | {"male" for w in words if w in MALE_WORDS}
    if len(marked) == 1:
        return marked.pop()
    given = words[-2] if len(words) > 1 else words[0]
    if given in FEMALE_NAMES or given in MALE_NAMES:
        return "female" if given in FEMALE_NAMES else "male"
    return _titled_surnames(doc).get(words[-1])


_TITLED = "conflictbrief.titled_surnames"  # Doc.user_data key: plain strings, so a Doc still serialises


def _titled_surnames(doc: Doc) -> dict[str, str]:
    """Surname -> gender for every "Mr. / Mrs. / Ms. X" in the article (a surname titled both ways is left
    out), built once per Doc: pronoun resolution asks for it per candidate."""
    found = doc.user_data.get(_TITLED)
    if found is None:
        seen: dict[str, set[str]] = {}
        for t in doc[1:]:
            title = doc[t.i - 1].lower_.rstrip(".")
            if title in _HONORIFICS and t.is_title:
                seen.setdefault(t.lower_, set()).add(_HONORIFICS[title])
        found = {surname: genders.pop() for surname, genders in seen.items() if len(genders) == 1}
        doc.user_data[_TITLED] = found
    return found


def _is_person_name(doc: Doc, name: str) -> bool:
    """A name with a gender cue, or whose last word the article tags PERSON somewhere."""
    if gender_of(doc, name) is not None:
        return True
    words = name.split("(", 1)[0].split()
    last = words[-1].lower() if words else ""
    return bool(last) and last in _person_words(doc)


_PERSONS = "conflictbrief.person_words"  # Doc.user_data key: plain strings, so a Doc still serialises


def _person_words(doc: Doc) -> frozenset[str]:
    """The lower-cased last word of every PERSON entity (possessive cut off), built once per Doc."""
    found = doc.user_data.get(_PERSONS)
    if found is None:
        found = []
        for ent in doc.ents:
            if ent.label_ == "PERSON":
                tokens = [t for t in ent if t.tag_ != "POS" and t.is_alpha]
                if tokens:
                    found.append(tokens[-1].lower_)
        doc.user_data[_PERSONS] = found
    return frozenset(found)


_PRONOUN_GENDER = {"he": "male", "him": "male", "she": "female", "her": "female"}


def _fits(pronoun: str, candidate: Candidate) -> bool:
    if pronoun in PERSON_PRONOUNS:
        return candidate.kind == "person"
    if pronoun in GROUP_PRONOUNS:
        return candidate.kind in ("group", "org")
    return candidate.kind == "org"


def resolve_pronoun(
    doc: Doc, sentences: Sequence[Span], sentence_of, pronoun: Token, speakers: Sequence[Candidate]
) -> str | None:
    """The name a he/she/they/it subject refers to: the nearest fitting earlier speaker or entity.

    Sentence by sentence backwards (the pronoun's own sentence first, then up to three before it); in
    each, an earlier speaker wins over a subject, which wins over any other mention.
    """
    word = pronoun.lower_
    here = sentence_of(pronoun.i)
    for index in range(here, max(-1, here - 4), -1):
        sentence = sentences[index]
        limit = pronoun.i if index == here else sentence.end
        pool = [c for c in speakers if sentence.start <= c.token < limit and _fits(word, c)]
        # "it" / "they" point at what a sentence is about: "A video showed militants in Libya. It showed ..."
        # is the video, never Libya; a place or group named in passing is no referent for them
        pool += [
            c
            for c in _entity_candidates(doc, sentence, limit)
            if _fits(word, c) and (word in PERSON_PRONOUNS or c.is_subject)
        ]
        pool += [c for c in _nominal_subject_candidates(doc, sentence, limit) if _fits(word, c)]
        if word in _PRONOUN_GENDER:
            # "she" never means "Jason Miller": a name of the other gender is no referent
            pool = [c for c in pool if gender_of(doc, c.name) in (None, _PRONOUN_GENDER[word])]
        elif word in THING_PRONOUNS:
            # "it" never means a person, even one the small model tagged ORG ("Keith Lamont Scott"); a
            # speaker written as an institution's noun ("the newspaper said") is one, whatever its name's tag
            pool = [c for c in pool if not _is_person_name(doc, c.name) or _written_as_noun(doc, c)]
        if not pool:
            continue
        pool.sort(key=lambda c: (not c.is_speaker, not c.is_subject, c.token))
        return pool[0].name
    return None


def _written_as_noun(doc: Doc, candidate: Candidate) -> bool:
    """An earlier speaker written as a common noun ("the newspaper", "the ministry"), not as the name."""
    return candidate.is_speaker and candidate.kind != "person" and doc[candidate.token].pos_ == "NOUN"


def speaker_over_place(
    doc: Doc, sentence_of, pronoun: Token, name: str, speakers: Sequence[Candidate], within: int = 3
) -> str | None:
    """For an "it"/"they" speaker resolved to a place that has not spoken: the most recent earlier speaker
    of a fitting kind, at most `within` sentences back. A place named in passing ("If Portugal fails to act,
    it says ...", a caption "Chad and Sudan were the routes") is nearer, but the one that goes on saying
    things is the group or office quoted just before; a state that speaks is named ("Portugal says")."""
    word = pronoun.lower_
    if word not in THING_PRONOUNS | GROUP_PRONOUNS:
        return None
    if not any(ent.text == name and ent.label_ in ("GPE", "LOC") for ent in doc.ents):
        return None
    earlier = [c for c in speakers if c.token < pronoun.i]
    if any(c.name == name for c in earlier):
        return None  # the place has spoken before: "Portugal said ... It added" is Portugal
    here = sentence_of(pronoun.i)
    for c in reversed(earlier):
        if here - sentence_of(c.token) > within:
            return None
        if _fits(word, c) and not _is_person_name(doc, c.name):
            return c.name
    return None


def last_fitting_speaker(
    doc: Doc, sentence_of, pronoun: Token, speakers: Sequence[Candidate], within: int = 12
) -> str | None:
    """For a "he"/"she" that `resolve_pronoun` left open: the most recent earlier speaker of that kind and
    gender, at most `within` sentences back. Wire features quote a person, describe the scene for a
    paragraph, then go back to them with "he says"; a bare pronoun tells the reader nothing."""
    word = pronoun.lower_
    if word not in _PRONOUN_GENDER:
        return None
    here = sentence_of(pronoun.i)
    earlier = [c for c in speakers if c.token < pronoun.i]
    for c in reversed(earlier):
        if here - sentence_of(c.token) > within:
            return None
        if _fits(word, c) and gender_of(doc, c.name) in (None, _PRONOUN_GENDER[word]):
            return _named_again(doc, c, earlier, pronoun) or c.name
    return None


def _named_again(doc: Doc, last: Candidate, earlier: Sequence[Candidate], pronoun: Token) -> str | None:
    """Another earlier speaker named again as the subject of a main clause between `last` (the most recent
    fitting speaker) and the pronoun: "..., Karl replied. ... Otto had also come to ... He survived ...
    '...,' he said" is Otto, whom the paragraph is about. Any kind of speaker: the tagger may have called a
    one-word name a place, but a name that spoke a quote is someone."""
    gender = _PRONOUN_GENDER[pronoun.lower_]
    # by any word of the name: "Sadiq" names "Sadiq Maroof" again, "Maroof" too
    taken = set(_name_words(last.name))
    others = {w: c.name for c in earlier for w in _name_words(c.name) if w not in taken}
    for token in reversed(doc[last.token + 1 : pronoun.i]):  # the nearest one before the pronoun
        if token.dep_ != "nsubj" or token.head.dep_ != "ROOT" or token.pos_ != "PROPN":
            continue
        name = others.get(token.lower_)
        if name is not None and gender_of(doc, name) in (None, gender):
            return name
    return None


def _name_words(name: str) -> list[str]:
    """The capitalised words of a name as written, lower-cased ("Sadiq Maroof (Sadiq)" -> sadiq, maroof)."""
    return [w.strip(".,").lower() for w in name.split("(", 1)[0].split() if w[:1].isupper()]


def resolve_nominal(doc: Doc, sentences: Sequence[Span], sentence_of, mention: Mention) -> str | None:
    """The name "the minister" / "the alliance" refers to, or None when the article does not say."""
    head = doc[mention.head]
    lemma = head.lemma_.lower()
    here = sentence_of(head.i)
    first = sentences[max(0, here - 5)].start
    # an earlier mention with the same title word: "Defence Minister Rustem Umerov", "Russia's Defense Ministry"
    for i in range(mention.start - 1, first - 1, -1):
        token = doc[i]
        if token.lemma_.lower() != lemma and token.lower_ != head.lower_:
            continue
        name = _name_around(token)
        if name:
            return name
    if lemma in COUNTRY_NOUNS:
        return _country_before(doc, sentences, here, mention.start)
    if lemma in GENERIC_ORG_NOUNS:
        for index in range(here, max(-1, here - 4), -1):
            sentence = sentences[index]
            limit = mention.start if index == here else sentence.end
            orgs = [c for c in _entity_candidates(doc, sentence, limit) if c.kind == "org"]
            # "the military" is never "the health ministry": an organisation named by another institution noun
            organisations = [
                c
                for c in orgs
                if doc[c.token].ent_type_ == "ORG"
                and not any(
                    w.lemma_.lower() in ORG_NOUNS and w.lemma_.lower() != lemma for w in doc[c.token].subtree
                )
            ]
            if organisations:
                return organisations[-1].name
    return None


def _country_before(doc: Doc, sentences: Sequence[Span], here: int, before: int) -> str | None:
    """The state "the country" names: the one place (GPE) in this and the two sentences before that is a
    subject or an owner ("Jordan says", "Jordan's government"); None when there is none or more than one
    (a wrong claimant does more harm than "the country")."""
    found: list[Span] = []
    for index in range(here, max(-1, here - 3), -1):
        found += [ent for ent in ents_in(sentences[index]) if ent.label_ == "GPE" and ent.start < before]
    # Only a state that is a subject or owner: a place named in passing ("officials in Amman") may be a
    # city, and spaCy's GPE does not tell a city from a country.
    names = {ent.text for ent in found if _is_subject_or_owner(ent)}
    return names.pop() if len(names) == 1 else None


def _is_subject_or_owner(ent: Span) -> bool:
    root = ent.root
    return root.dep_ in _SUBJECT_DEPS or (root.dep_ == "compound" and root.head.dep_ in _SUBJECT_DEPS)


def _name_around(token: Token) -> str | None:
    """The proper name a title word belongs to: its entity, the entity it is a compound of, or its NP."""
    doc = token.doc
    if token.ent_type_ in ("PERSON", "ORG"):
        ent = ent_containing(doc, token.i)
        if ent is not None:
            return ent.text if ent.root.i != token.i or token.pos_ == "PROPN" else None
    if token.dep_ == "compound" and token.head.ent_type_ in ("PERSON", "ORG"):
        ent = ent_containing(doc, token.head.i)
        if ent is not None:
            return ent.text
    head = token.head
    if token.dep_ == "compound" and head.pos_ == "PROPN" and head.i > token.i:
        # "Defence Minister Rustem Umerov" without an entity from the small model: the names after the title
        names = doc[token.i + 1 : head.i + 1]
        if all(t.pos_ == "PROPN" and t.is_title for t in names):
            return names.text
    for child in token.children:
        if child.dep_ == "appos" and child.ent_type_ in ("PERSON", "ORG"):
            return mention_of(child).span(doc).text
    if token.dep_ == "appos" and token.head.ent_type_ in ("PERSON", "ORG"):
        return mention_of(token.head).span(doc).text
    mention = mention_of(token)
    if token.pos_ == "PROPN" and any(t.dep_ == "poss" or t.ent_type_ for t in mention.span(doc)):
        return mention.span(doc).text
    return None


def can_speak(token: Token) -> bool:
    """Whether a speaker or claimant head can say things: a person, group, office or document, not an image,
    a piece of evidence or a word such as "claims"."""
    if any(c.lower_ == "whose" for c in token.children):
        return False  # "X, whose names have been changed, ...": a noun of a relative clause, not who speaks
    return token.lemma_.lower() not in NOT_SPEAKERS and token.lower_ not in NOT_SPEAKERS


_HEADER_ENDS = frozenset({"-", "--", "\u2013", "\u2014", ":", "("})


def _capitals(token: Token) -> bool:
    return token.is_alpha and len(token.text) >= 2 and token.text.isupper()


def is_header(token: Token) -> bool:
    """Whether the phrase headed by `token` begins with a dateline or section header in capitals that opens
    a line ("WASHINGTON -- ...", "CORRECTION: ...", "THE ROAD AHEAD Back when ..."): a place or a heading,
    never a speaker. A capitalised name that speaks ("NATO said") is followed by no dash and no more
    capitals, so it stays."""
    doc = token.doc
    first = doc[mention_of(token).start]
    if not _capitals(first):
        return False
    before = first.i - 1
    if before >= 0 and "\n" not in doc[before].text_with_ws:
        return False  # not at the start of a line
    after = first.i + 1
    while after < len(doc) and doc[after].is_space and "\n" not in doc[after].text:
        after += 1
    return after < len(doc) and (doc[after].text in _HEADER_ENDS or _capitals(doc[after]))


def source_can_speak(token: Token) -> bool:
    """A source head that can speak, or a thing that carries words named for who issued it: "UN figures",
    "the ministry's data" speak for the UN and the ministry; "the leaked data", "its own website" do not."""
    return can_speak(token) or any(
        c.dep_ in ("compound", "poss", "nmod")
        and c.pos_ == "PROPN"
        and (c.ent_type_ in ("ORG", "PERSON", "GPE", "NORP") or c.dep_ == "poss")
        for c in token.children
    )


def relative_can_speak(token: Token) -> bool:
    """A relative "which" / "that" speaks only for a group, office or document it refers to: "the ministry,
    which said" can, "the funding system, which advocates say ..." (a misparse) or "rules that aim to"
    cannot. Other words are left to `can_speak`."""
    if token.lower_ not in ("which", "that") or token.head.dep_ != "relcl":
        return True
    antecedent = token.head.head
    lemma = antecedent.lemma_.lower()
    return antecedent.ent_type_ in ("PERSON", "ORG", "GPE", "NORP") or (
        lemma in ORG_NOUNS or lemma in PERSON_NOUNS or lemma in GENERIC_ORG_NOUNS
    )
