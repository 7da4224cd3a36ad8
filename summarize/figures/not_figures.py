"""What is no figure: dates, years, times of day, ages, ordinals, numbers that name things, idioms,
the number of sources telling the story, and article metadata lines.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span, Token

from summarize.figures.values import NumberMention, in_spans, is_core_token, looks_like_year, names_thing
from summarize.figures.words import CHANGE_NOUNS, IDIOM_NOUNS, MONTHS, NUMBER_NAMES, SOURCE_NOUNS, TIME_OF_DAY
from summarize.lexicon import REPORTING_VERBS
from summarize.numbers import (
    CALIBRE_UNITS,
    ORDINAL_WORDS,
    digit_value,
    scaled_digit_value,
)

_METADATA = re.compile(
    r"^\s*(updated|published|posted|last updated|first published|modified)\b|\bmin(ute)?s? read\b|copyright|©|"
    r"all rights reserved|\b(reporting|editing|writing|additional reporting) by\b|^\s*(photo|image|file photo|"
    r"video)\s*[:|(]|\bgetty images\b|^\s*(follow|subscribe|share|sign up)\b|\bcoordinates\s*:",
    re.IGNORECASE,
)


def is_metadata(sentence: Span) -> bool:
    if _METADATA.search(sentence.text):
        return True
    return sum(1 for token in sentence if token.is_alpha) < 2


def is_excluded(doc: Doc, sentence: Span, m: NumberMention, dates: list[tuple[int, int]]) -> bool:
    """Dates, years, times of day, ages, ordinals, names with numbers, idioms: not figures."""
    core = [t for t in doc[m.start : m.end] if is_core_token(t)]
    if not core:
        return True
    first = doc[m.start]
    prev = doc[m.start - 1] if m.start > sentence.start else None
    nxt = doc[m.end] if m.end < sentence.end else None
    if any(in_spans(t.i, dates) for t in core):
        return True
    if _names_with_number(doc, sentence, m, prev, nxt):
        return True
    if _inside_number_name(sentence, doc[m.start].idx):
        return True
    # the tagger's ORDINAL, except on a scaled amount it sometimes labels so ("53bn roubles")
    if any(
        t.lower_ in ORDINAL_WORDS
        or (t.ent_type_ == "ORDINAL" and scaled_digit_value(t.text, money=True) is None)
        for t in core
    ):
        return True
    if (
        m.unit is not None
        and m.unit.kind == "percent"
        and not (nxt is not None and nxt.lower_ == "of")
        and not _sizes_a_change(doc, sentence, m)
    ):
        return True  # a bare percentage ("up 5%") says little in a brief; "40% of the city" is kept
    # times of day and clock readings
    if nxt is not None and (nxt.lower_ in TIME_OF_DAY or nxt.text.startswith(":")):
        return True
    if any(":" in t.text for t in core):
        return True
    # calendar: "Dec 14", "14 December", "in 2014"
    if (prev is not None and prev.lower_ in MONTHS) or (nxt is not None and nxt.lower_ in MONTHS):
        return True
    # "ended in 1648": an older year is a year when the parser reads it as a date (a count stays CARDINAL)
    older_year = bool(re.fullmatch(r"1\d{3}", core[0].text)) and core[0].ent_type_ == "DATE"
    if m.unit is None and m.qualifier is None and len(core) == 1 and (looks_like_year(core[0]) or older_year):
        noun = core[0].head
        if not (
            core[0].dep_ == "nummod" and noun.pos_ == "NOUN" and noun.tag_ == "NNS" and noun.i > core[0].i
        ):
            return True
    # ages: "45-year-old", "aged 45", "45 years old", "John Smith, 45,"
    tail = [t.lower_ for t in doc[m.end : min(sentence.end, m.end + 4)]]
    if m.unit is not None and m.unit.kind == "time" and (tail[:1] == ["old"] or tail[:2] == ["-", "old"]):
        return True
    if tail[:4] in (["-", "year", "-", "old"], ["-", "years", "-", "old"], ["-", "month", "-", "old"]):
        return True
    if tail[:2] in (["years", "old"], ["year", "old"]):
        return True
    if prev is not None and prev.lower_ in ("aged", "age", "ages"):
        return True
    # "aged just 14", "no more than 25 years of age", "when she was 13"
    if (
        prev is not None
        and prev.lower_ in _AGE_ADVERBS
        and m.start - 2 >= sentence.start
        and doc[m.start - 2].lower_ in ("aged", "age")
    ):
        return True
    if m.unit is not None and m.unit.name in ("years", "year") and tail[:2] == ["of", "age"]:
        return True
    if _age_of_pronoun(m, first, nxt):
        return True
    # "boys as young as 12"
    if [t.lower_ for t in doc[max(sentence.start, m.start - 3) : m.start]] in (
        ["as", "young", "as"],
        ["as", "old", "as"],
    ):
        return True
    if _designator_number(doc, m, prev, nxt):
        return True
    if (
        prev is not None
        and prev.text == ","
        and m.start - 2 >= sentence.start
        and _names_someone(doc[m.start - 2])
        and nxt is not None
        and (nxt.text in (",", ")") or (nxt.text == "." and m.end + 1 >= sentence.end))
        and m.unit is None
        and m.qualifier is None
        and m.number is not None
        and m.number == int(m.number)
        and 1 <= m.number <= 110
    ):
        return True
    # a year with its century left out: "in '08", "since ’14"
    if (
        prev is not None
        and prev.text in ("'", "’")
        and prev.whitespace_ == ""
        and len(core) == 1
        and re.fullmatch(r"\d\d", core[0].text)
    ):
        return True
    # calibres and model names: "155mm shells", "Su-34", "Article 5", "COVID-19"
    if nxt is not None and (
        nxt.lower_ in CALIBRE_UNITS
        or (nxt.text == "-" and m.end + 1 < sentence.end and doc[m.end + 1].lower_ in CALIBRE_UNITS)
    ):
        return True
    if (
        prev is not None
        and prev.text in ("-", "/")
        and prev.whitespace_ == ""
        and m.start - 2 >= 0
        and doc[m.start - 2].whitespace_ == ""
        and doc[m.start - 2].is_alpha
    ):
        return True
    if prev is not None and m.qualifier is None and not (m.unit and m.unit.kind == "currency"):
        if names_thing(prev):
            return True
        counted_next = nxt is not None and nxt.tag_ == "NNS"
        if (
            prev.pos_ == "PROPN"
            and prev.is_title
            and prev.whitespace_
            and "," not in first.text
            and not counted_next
            and not m.vague  # "cost Turkey billions of dollars": no name ends in "billions"
        ):
            return True  # "Committee 1267", "Exercise Eager Lion 16"
        if first.dep_ == "conj" and first.head.i < first.i and prev.lower_ in ("and", ","):
            before = first.head.i - 1
            if before >= 0 and names_thing(doc[before]):  # "Resolutions 2254 and 2118"
                return True
    # "a five-storey building", "a three-way deal": the number is part of a compound modifier
    if (
        nxt is not None
        and nxt.text == "-"
        and not nxt.whitespace_
        and m.unit is None
        and m.end + 1 < len(doc)
        and doc[m.end + 1].is_alpha
        and doc[m.end + 1].lower_ not in ("plus", "odd")
    ):
        return True
    # coordinates, bearings and other technical readings: "33°47′N", "13° East", "575 B.C."
    if nxt is not None and (
        nxt.text[:1] in ("°", "′", "″") or nxt.lower_ in ("b.c.", "bc", "bce", "a.d.", "ad")
    ):
        return True
    # phone numbers: "910-432-3383"
    glued = prev is not None and prev.text == "-" and not prev.whitespace_ and m.start >= 2
    if glued and digit_value(doc[m.start - 2].text) is not None and not doc[m.start - 2].whitespace_:
        return True
    if (
        nxt is not None
        and nxt.text == "-"
        and not nxt.whitespace_
        and m.end + 1 < len(doc)
        and digit_value(doc[m.end + 1].text) is not None
        and m.low is not None
    ):
        return True
    # list numbering at the start of a line: "1." / "2)"
    if m.start == sentence.start and nxt is not None and nxt.text in (".", ")") and m.end == m.start + 1:
        return True
    # long digit strings: phone numbers, identifiers
    if any(t.text.isdigit() and len(t.text) > 7 for t in core) and not (m.unit and m.unit.kind == "currency"):
        return True
    # "one": only as a count of something ("one soldier was killed"), not "one of the", "at one point"
    if first.lower_ == "one" and nxt is not None and nxt.lower_ == "of":
        return True
    if m.qualifier is None and m.unit is None and m.end - m.start == 1 and first.lower_ == "one":
        head = first.head
        if (
            first.dep_ != "nummod"
            or head.lemma_.lower() in IDIOM_NOUNS
            or (nxt is not None and nxt.lower_ == "of")
        ):
            return True
        if prev is not None and prev.lower_ in (
            "no",
            "the",
            "this",
            "that",
            "any",
            "every",
            "at",
            "each",
            "only",
        ):
            return True
    # "two security sources said": the number of people telling the story is no figure of the story
    if (
        m.qualifier is None
        and m.unit is None
        and first.dep_ == "nummod"
        and first.head.lemma_.lower() in SOURCE_NOUNS
        and _is_speaking_subject(first.head)
    ):
        return True
    # "the two sides": a definite small number refers back, it is not a new count
    return (
        m.qualifier is None
        and m.unit is None
        and prev is not None
        and prev.lower_ in ("the", "these", "those", "both", "all", "our", "their", "its", "his", "her")
        and m.number is not None
        and m.number <= 10
    )


_NUMBER_NAME = re.compile(
    r"(?<!\w)(?:"
    + "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in sorted(NUMBER_NAMES, key=len, reverse=True))
    + r")(?!\w)",
    re.IGNORECASE,
)


def _inside_number_name(sentence: Span, offset: int) -> bool:
    """Whether the character at `offset` lies in a doctrine or formula ("one country, two systems")."""
    base = sentence.start_char
    return any(
        match.start() + base <= offset < match.end() + base for match in _NUMBER_NAME.finditer(sentence.text)
    )


def _sizes_a_change(doc: Doc, sentence: Span, m: NumberMention) -> bool:
    """ "A 71 per cent rise in the number of fighters", "a 40% drop in attacks": the share sizes a change of
    a thing the sentence names, unlike "up 5%"."""
    if m.end + 1 >= sentence.end:
        return False
    change, after = doc[m.end], doc[m.end + 1]
    return change.pos_ == "NOUN" and change.lemma_.lower() in CHANGE_NOUNS and after.lower_ in ("in", "of")


_AGE_ADVERBS = frozenset({"just", "only", "about", "around", "barely", "nearly"})


def _age_of_pronoun(m: NumberMention, first: Token, nxt: Token | None) -> bool:
    """ "When she was 13": a bare number a person pronoun is (a count has its noun: "the toll was 13")."""
    if (
        m.unit is not None
        or m.qualifier is not None
        or m.end - m.start != 1
        or first.dep_ not in ("attr", "acomp")
    ):
        return False
    if nxt is not None and nxt.pos_ in ("NOUN", "PROPN"):
        return False
    verb = first.head
    return verb.lemma_ == "be" and any(
        c.dep_ == "nsubj" and c.lower_ in ("he", "she", "i") for c in verb.children
    )


def _acronym(token: Token) -> bool:
    return token.is_alpha and token.text.isupper() and len(token.text) <= 5


def _designator_number(doc: Doc, m: NumberMention, prev: Token | None, nxt: Token | None) -> bool:
    """A bare number after an acronym names a unit or a ship: "CTF 151", "(DDG 64)", "Task Force (CTF) 151".
    Never a count of a noun that follows ("US 30 troops" is read as a count)."""
    if prev is None or m.unit is not None or m.qualifier is not None or m.end - m.start != 1:
        return False
    if nxt is not None and nxt.tag_ == "NNS":
        return False
    if _acronym(prev) and prev.ent_type_ not in ("GPE", "NORP"):
        return True
    return prev.text == ")" and m.start >= 3 and _acronym(doc[m.start - 2]) and doc[m.start - 3].text == "("


def _names_someone(token: Token) -> bool:
    """A person's name before ", 38,": tagged PERSON, or a proper noun the NER gave no other person-free
    label (it tags some surnames ORG). Places and dates before a comma are left alone."""
    if token.ent_type_ == "PERSON":
        return True
    return token.pos_ == "PROPN" and token.ent_type_ in ("", "ORG") and token.is_title


def _is_speaking_subject(noun: Token) -> bool:
    """The noun (or a conjunct it heads) is the subject of a reporting verb: "two sources and an official said"."""
    while noun.dep_ == "conj" and noun.head.i != noun.i:
        noun = noun.head
    return noun.dep_ == "nsubj" and noun.head.lemma_.lower() in REPORTING_VERBS


_NAME_LABELS = frozenset({"EVENT", "LAW", "WORK_OF_ART", "FAC", "PRODUCT"})
_QUOTE_MARKS = frozenset({'"', "“", "”", "«", "»", "‘", "’", "'"})


def _names_with_number(
    doc: Doc, sentence: Span, m: NumberMention, prev: Token | None, nxt: Token | None
) -> bool:
    """Names that contain a number are no figures: wars and events ("the Six-Day War"), laws and doctrines
    ("one country, two systems"), places and zones labelled by a number ("area 55")."""
    tokens = doc[m.start : m.end]
    if any(t.ent_type_ in _NAME_LABELS for t in tokens):
        return True
    # "the Nine-Year War", "the Hundred Years' War": a capitalised number in a capitalised name
    last = doc[m.end - 1]
    if doc[m.start].is_title and doc[m.start].is_alpha and last.is_title and m.end < sentence.end:
        following = doc[m.end]
        if following.text in ("'", "’") and m.end + 1 < sentence.end:
            following = doc[m.end + 1]
        if (
            following.is_title
            and following.pos_ in ("PROPN", "NOUN")
            and (m.unit is not None or "-" in tokens.text)
        ):
            return True
    # a short quoted phrase without a verb, in parts, is a slogan or a name: "one country, two systems"
    left = next(
        (
            i
            for i in range(m.start - 1, max(sentence.start, m.start - 7) - 1, -1)
            if doc[i].text in _QUOTE_MARKS
        ),
        None,
    )
    right = next((i for i in range(m.end, min(sentence.end, m.end + 7)) if doc[i].text in _QUOTE_MARKS), None)
    if left is not None and right is not None:
        inner = doc[left + 1 : right]
        numbers = sum(t.like_num for t in inner)
        slogan = (
            any(t.text in (",", ";") for t in inner) or numbers >= 2
        )  # a quoted "two brigades" is a count
        if (
            slogan
            and not any(t.pos_ in ("VERB", "AUX") for t in inner)
            and sum(t.is_alpha for t in inner) <= 6
        ):
            return True
    # "area 55", "zone 9", "sector 4": a singular noun right before a bare small number labels a place
    return (
        prev is not None
        and prev.tag_ == "NN"
        and prev.is_alpha
        and prev.is_lower
        and m.unit is None
        and m.qualifier is None
        and m.number is not None
        and m.number < 1000
        and m.end - m.start == 1
        and not (nxt is not None and nxt.tag_ in ("NNS", "NNPS"))
    )
