"""Number mentions: the amount at a token with its range, qualifiers and unit, and the article's date spans.

Token-level rules over the one parse; what a word *means* as a number is `summarize.numbers` (no spaCy).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from summarize.figures.words import CALENDAR_WORDS, CASE_FREE_PREFIXES, MONTHS, NAME_PREFIXES, TIME_OF_DAY
from summarize.numbers import (
    AMBIGUOUS_QUALIFIERS,
    CURRENCY_SYMBOLS,
    NUMBER_WORDS,
    QUALIFIERS,
    SCALES,
    TRAILING_QUALIFIERS,
    VAGUE_WORDS,
    Unit,
    bounds,
    digit_value,
    match_unit,
    qualifier_kind,
    scaled_digit_value,
    words_value,
)


@dataclass(frozen=True)
class NumberMention:
    start: int  # token span of the whole value (qualifier .. unit)
    end: int
    anchor: Token  # the syntactic head of the value
    number: float | None
    low: float | None
    high: float | None
    qualifier: str | None
    unit: Unit | None
    vague: bool


def date_spans(doc: Doc) -> list[tuple[int, int]]:
    """Token spans that are calendar dates or times of day (including "Dec. 14 and 15"), not durations."""
    spans = []
    for ent in doc.ents:
        if ent.label_ not in ("DATE", "TIME"):
            continue
        words = {token.lower_ for token in ent}
        # "would last 42 days": "last" as a verb is no calendar word
        words = {token.lower_ for token in ent if token.pos_ != "VERB"}
        is_calendar = bool(words & CALENDAR_WORDS) or any(looks_like_year(token) for token in ent)
        is_clock = ent.label_ == "TIME" and (bool(words & TIME_OF_DAY) or any(":" in t.text for t in ent))
        if not (is_calendar or is_clock):
            continue  # durations ("nearly three years") and mislabelled counts stay candidates
        start, end = ent.start, ent.end
        # "Dec. 14 and 15", "Dec. 14-15": the second day belongs to the date.
        while end + 1 < len(doc) and doc[end].text in ("and", "-", "–", "to", "or") and _is_day(doc[end + 1]):
            end += 2
        # "14 and 15 December"
        while (
            start - 2 >= 0 and doc[start - 1].text in ("and", "-", "–", "to", ",") and _is_day(doc[start - 2])
        ):
            start -= 2
        spans.append((start, end))
    return spans


def _is_day(token: Token) -> bool:
    value = digit_value(token.text)
    return value is not None and 1 <= value <= 31 and value == int(value)


def looks_like_year(token: Token) -> bool:
    return bool(re.fullmatch(r"(1[89]|20)\d\d", token.text))


def in_spans(i: int, spans: list[tuple[int, int]]) -> bool:
    return any(start <= i < end for start, end in spans)


def names_thing(token: Token) -> bool:
    """'Article', 'Resolution', 'Flight' before a number: the number is a name, not an amount."""
    lower = token.lower_
    return lower in CASE_FREE_PREFIXES or (lower in NAME_PREFIXES and token.is_title)


def is_core_token(token: Token) -> bool:
    lower = token.lower_
    return (
        digit_value(token.text) is not None
        or scaled_digit_value(token.text, money=True) is not None
        or lower in NUMBER_WORDS
        or lower in VAGUE_WORDS
        or lower in CURRENCY_SYMBOLS
        or lower == "dozen"
    )


def _is_number_word(token: Token) -> bool:
    return token.lower_ in NUMBER_WORDS or token.lower_ == "dozen"


def core_amount(doc: Doc, i: int, limit: int) -> tuple[int, int, float | None, bool, bool] | None:
    """The bare amount starting at token i: (start, end, value, vague, money_symbol) or None."""
    token = doc[i]
    lower = token.lower_
    money = lower in CURRENCY_SYMBOLS
    j = i + 1 if money else i
    if j >= limit:
        return None
    first = doc[j]
    if money and not (digit_value(first.text) is not None or scaled_digit_value(first.text, money=True)):
        return None
    # vague: "dozens", "tens of thousands", "hundreds of thousands", "several hundred"
    if first.lower_ in VAGUE_WORDS and not money:
        end = j + 1
        while end + 1 < limit and doc[end].lower_ == "of" and doc[end + 1].lower_ in VAGUE_WORDS - {"dozens"}:
            end += 2
        if first.lower_ == "tens" and end == j + 1:
            return None  # "tens" is an amount only in "tens of thousands"
        if first.lower_ == "scores" and not (end < limit and doc[end].lower_ == "of"):
            return None  # "scores" only in "scores of people", never "the scores"
        return i, end, None, True, False
    if (
        first.lower_ in ("several", "few")
        and j + 1 < limit
        and doc[j + 1].lower_ in ("hundred", "thousand", "million")
    ):
        start = j - 1 if first.lower_ == "few" and j > 0 and doc[j - 1].lower_ == "a" else j
        return start, j + 2, None, True, False
    if (
        first.lower_ in ("a", "an")
        and j + 1 < limit
        and doc[j + 1].lower_ in ("dozen", "hundred", "thousand", "million", "billion")
    ):
        end = j + 2
        return i, end, words_value([t.text for t in doc[j:end]]), False, money
    if first.lower_ == "half" and j + 2 < limit and doc[j + 1].lower_ == "a" and doc[j + 2].lower_ in SCALES:
        return i, j + 3, words_value([t.text for t in doc[j : j + 3]]), False, money
    scaled = scaled_digit_value(first.text, money=money)
    if scaled is not None:
        return i, j + 1, scaled, False, money
    if digit_value(first.text) is not None:
        end = j + 1
        while end < limit and doc[end].lower_ in SCALES and doc[end].lower_ not in ("k",):
            end += 1
        if money and end < limit and doc[end].lower_ in ("m", "b") and doc[end - 1].whitespace_ == "":
            end += 1
        words = [t.lower_ for t in doc[j:end]]
        if money and words[-1] in ("m", "b"):
            value = digit_value(words[0]) * (1e6 if words[-1] == "m" else 1e9)
        else:
            value = words_value(words)
        return i, end, value, False, money
    if _is_number_word(first) and first.lower_ not in ("hundred", "thousand", "million", "billion", "dozen"):
        end = j + 1
        while end < limit:
            nxt = doc[end]
            if _is_number_word(nxt):
                end += 1
            elif (
                nxt.text == "-"
                and end + 1 < limit
                and doc[end + 1].lower_
                in ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
                and doc[end - 1].lower_
                in ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
            ) or (
                nxt.lower_ == "and"
                and doc[end - 1].lower_ in ("hundred", "thousand")
                and end + 1 < limit
                and _is_number_word(doc[end + 1])
                and doc[end + 1].lower_ not in SCALES
            ):
                end += 2
            else:
                break
        value = words_value([t.text for t in doc[j:end]])
        if value is None:
            return None
        return i, end, value, False, money
    return None


_DEICTIC_TIME = frozenset({"last", "next", "previous", "coming", "past", "following"})


def complete_mention(
    doc: Doc, sentence: Span, core: tuple[int, int, float | None, bool, bool]
) -> NumberMention | None:
    """Add the range, qualifiers and unit around a bare amount."""
    start, end, number, vague, money = core
    limit = sentence.end
    low = high = None
    qualifier: str | None = None
    # range: "20 to 30", "20-30", "two or three", "between 20 and 30"
    before = doc[start - 1].lower_ if start > sentence.start else ""
    after_month = before in MONTHS  # "since Dec. 5 to 922": a day, then a count; no range between them
    if end + 1 < limit and not vague and number is not None and not after_month:
        link = doc[end].lower_
        between = before == "between" and link == "and"
        if link in ("-", "–", "to", "or") or between:
            second = core_amount(doc, end + 1, limit)
            if (
                second is not None
                and not second[3]
                and second[2] is not None
                and not (link == "or" and _or_more(doc, end))
            ):
                ok = link != "to" or before != "from"  # "from 20 to 30" is a change, not a range
                if link in ("-", "–") and (doc[end - 1].whitespace_ or doc[end].whitespace_):
                    ok = ok and link == "–"
                if ok and second[2] > number:
                    low, high = number, second[2]
                    # "20 to 30 million": the scale of the second applies to the first
                    if second[1] - second[0] > 1 and number < 1000 and second[2] >= 1e6:
                        scale = second[2] / (digit_value(doc[second[0]].text) or second[2])
                        low = number * scale if scale > 1 else number
                    end = second[1]
                    number = None
                    money = money or second[4]
                    if between:
                        qualifier = "between"
                        start -= 1
    unit: Unit | None = None
    words = [t.lower_ for t in doc[end : min(limit, end + 3)]]
    if words[:1] == ["-"] and doc[end - 1].whitespace_ == "" and len(words) > 1:
        # hyphenated: "a 30-day ceasefire", "45-year-old"
        hyphen = match_unit(words[1:])
        if hyphen is not None and hyphen[0].kind in ("time", "distance", "area"):
            unit, end = hyphen[0], end + 1 + hyphen[1]
    elif (
        len(words) > 1
        and doc[end].pos_ == "ADJ"
        and words[0] not in _DEICTIC_TIME  # "rose to 5,000 last week": when, not 5,000 weeks
        and (matched := match_unit(words[1:])) is not None
    ):
        # "four long years", "four more days", "two Jordanian dinars"
        if matched[0].kind in ("time", "currency"):
            unit, end = matched[0], end + 1 + matched[1]
    elif (
        vague
        and words[:1] == ["of"]
        and (matched := match_unit(words[1:])) is not None
        and matched[0].kind == "currency"
    ):
        # "billions of dollars": the money, not a count of dollars
        unit, end = matched[0], end + 1 + matched[1]
    if unit is None and words and words[0] != "-":
        matched = match_unit(words)
        if matched is not None and not (matched[0].name == "m" and doc[end - 1].whitespace_):
            unit, end = matched[0], end + matched[1]
    if money and unit is None:
        unit = Unit(
            CURRENCY_SYMBOLS.get(doc[start].lower_, "dollars"),
            "currency",
        )
    if unit is not None and unit.name == "pounds" and end < limit and doc[end].lower_ == "of":
        unit = Unit("pounds", "weight")
    elif unit is not None and unit.name == "pounds" and unit.kind == "weight":
        unit = Unit("pounds", "currency")
    # trailing qualifier: "20 or more", "60-plus"
    if qualifier is None and number is not None:
        for pattern, name, _kind in TRAILING_QUALIFIERS:
            parts = ["-", pattern[1:]] if pattern.startswith("-") else pattern.split()
            if [t.lower_ for t in doc[end : end + len(parts)]] == parts and end + len(parts) <= limit:
                qualifier, end = name, end + len(parts)
                break
    # leading qualifier: "at least", "nearly", "up to"
    if qualifier is None:
        for phrase, _kind in QUALIFIERS:
            parts = phrase.split()
            q_start = start - len(parts)
            if q_start < sentence.start or [t.lower_ for t in doc[q_start:start]] != parts:
                continue
            if phrase == "between":
                continue
            if (
                phrase in AMBIGUOUS_QUALIFIERS
                and doc[start - 1].dep_ == "prep"
                and not _is_modifier(doc[start - 1])
            ):
                continue
            if phrase == "over" and unit is not None and unit.kind == "time":
                continue  # "over three days" is when, not "more than"
            if phrase == "up to" and q_start > sentence.start and doc[q_start - 1].lemma_.lower() == "add":
                continue  # "would add up to $2 billion": a total, not at most $2 billion
            qualifier, start = phrase, q_start
            break
    if qualifier is not None and qualifier_kind(qualifier) != "range":
        low, high = bounds(number, qualifier)
    span = doc[start:end]
    return NumberMention(start, end, _head_of(span), number, low, high, qualifier, unit, vague)


def _or_more(doc: Doc, i: int) -> bool:
    return i + 1 < len(doc) and doc[i].lower_ == "or" and doc[i + 1].lower_ in ("more", "so")


def _is_modifier(token: Token) -> bool:
    """A qualifier the parser hung on the number (quantmod/advmod), not a preposition with it as object."""
    return any(child.dep_ == "pobj" and child.pos_ == "NUM" for child in token.children) is False


def _head_of(span: Span) -> Token:
    heads = [t for t in span if t.head.i < span.start or t.head.i >= span.end or t.head.i == t.i]
    numeric = [t for t in heads if t.pos_ in ("NUM", "NOUN", "PROPN", "SYM")]
    return (numeric or heads or [span[-1]])[-1]
