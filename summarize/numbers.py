"""Pure parsing of how news writes amounts: digits, number words, scales, vague amounts, qualifiers, units.

No spaCy here: these functions take plain lowercased words, so they are cheap to test exhaustively. The
figures extractor decides *where* a number is; this module says *what* it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
SCALES = {
    "hundred": 100.0,
    "thousand": 1e3,
    "million": 1e6,
    "billion": 1e9,
    "trillion": 1e12,
    "mln": 1e6,
    "mn": 1e6,
    "bn": 1e9,
    "bln": 1e9,
    "tn": 1e12,
    "k": 1e3,
}
# Abbreviated scales that are only a scale right after a currency amount ("$100m"); elsewhere "m" is metres.
MONEY_ONLY_SCALES = {"m": 1e6, "b": 1e9}
NUMBER_WORDS = (
    frozenset(_UNITS) | frozenset(_TENS) | {"hundred", "thousand", "million", "billion", "trillion"}
)

# Plural amounts with no number: kept as figures with `number` None.
VAGUE_WORDS = frozenset({"dozens", "scores", "hundreds", "thousands", "millions", "billions", "tens"})

ORDINAL_WORDS = frozenset(
    {
        "first",
        "second",
        "third",
        "fourth",
        "fifth",
        "sixth",
        "seventh",
        "eighth",
        "ninth",
        "tenth",
        "eleventh",
        "twelfth",
        "twentieth",
        "thirtieth",
        "hundredth",
        "thousandth",
        "millionth",
        "last",
        "next",
    }
)

_DIGITS = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_DIGITS_SCALED = re.compile(
    r"^((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)(bn|bln|mln|mn|tn|k|m|b)$", re.IGNORECASE
)


def digit_value(text: str) -> float | None:
    """'1,400' -> 1400.0, '1.2' -> 1.2; None for anything that is not a plain written number."""
    if not _DIGITS.match(text):
        return None
    return float(text.replace(",", ""))


def scaled_digit_value(text: str, *, money: bool) -> float | None:
    """'1.2bn' -> 1.2e9; '100m' -> 1e8 only when `money` (otherwise it is 100 metres)."""
    match = _DIGITS_SCALED.match(text)
    if not match:
        return None
    suffix = match.group(2).lower()
    scale = SCALES.get(suffix) or (MONEY_ONLY_SCALES.get(suffix) if money else None)
    if scale is None:
        return None
    return float(match.group(1).replace(",", "")) * scale


def words_value(words: list[str]) -> float | None:
    """Number words to a value: ['two', 'hundred', 'and', 'fifty'] -> 250, ['a', 'dozen'] -> 12.

    Also takes digits followed by scale words (['1.2', 'billion']) and 'half a million'. None when the words
    are not one number.
    """
    words = [w.lower() for w in words if w not in ("-", "and")]
    if not words:
        return None
    if words[:2] == ["half", "a"] and len(words) == 3 and words[2] in SCALES:
        return 0.5 * SCALES[words[2]]
    if words[0] in ("a", "an"):
        words = ["one", *words[1:]]
        if len(words) == 1:
            return None
    total = 0.0
    current = 0.0
    seen = False
    for word in words:
        digits = digit_value(word)
        if digits is not None:
            if seen and current:
                return None  # two numbers in a row: not one number
            current += digits
        elif word in _UNITS:
            current += _UNITS[word]
        elif word in _TENS:
            current += _TENS[word]
        elif word == "dozen":
            current = (current or 1) * 12
        elif word == "hundred":
            current = (current or 1) * 100
        elif word in SCALES:
            total += (current or 1) * SCALES[word]
            current = 0.0
        else:
            return None
        seen = True
    return total + current


# Qualifiers before a number, longest first. The kind says how it bounds the number.
QUALIFIERS: tuple[tuple[str, str], ...] = (
    ("no fewer than", "low"),
    ("no less than", "low"),
    ("not less than", "low"),
    ("in excess of", "low"),
    ("upwards of", "low"),
    ("more than", "low"),
    ("greater than", "low"),
    ("at least", "low"),
    ("well over", "low"),
    ("just over", "low"),
    ("over", "low"),
    ("no more than", "high"),
    ("not more than", "high"),
    ("fewer than", "high"),
    ("less than", "high"),
    ("as many as", "high"),
    ("just under", "high"),
    ("up to", "high"),
    ("at most", "high"),
    ("nearly", "high"),
    ("almost", "high"),
    ("under", "high"),
    ("an estimated", "approx"),
    ("approximately", "approx"),
    ("close to", "approx"),
    ("roughly", "approx"),
    ("around", "approx"),
    ("about", "approx"),
    ("some", "approx"),
    ("estimated", "approx"),
    ("circa", "approx"),
    ("approx.", "approx"),
    ("between", "range"),
)
# Qualifiers after a number ("20 or more", "60-plus", "30-odd").
TRAILING_QUALIFIERS: tuple[tuple[str, str, str], ...] = (
    ("or more", "or more", "low"),
    ("-plus", "plus", "low"),
    ("plus", "plus", "low"),
    ("or so", "or so", "approx"),
    ("-odd", "odd", "approx"),
)
# Words that can be a preposition rather than a qualifier ("talked about 30 drones"): checked against the parse.
AMBIGUOUS_QUALIFIERS = frozenset({"over", "about", "around", "under", "some", "close to", "estimated"})


def qualifier_kind(qualifier: str | None) -> str | None:
    if qualifier is None:
        return None
    for phrase, kind in QUALIFIERS:
        if phrase == qualifier.lower():
            return kind
    for _, name, kind in TRAILING_QUALIFIERS:
        if name == qualifier.lower():
            return kind
    return None


def bounds(number: float | None, qualifier: str | None) -> tuple[float | None, float | None]:
    """(low, high) implied by a qualifier: 'at least 30' -> (30, None), 'up to 30' -> (None, 30)."""
    if number is None:
        return None, None
    kind = qualifier_kind(qualifier)
    if kind == "low":
        return number, None
    if kind == "high":
        return None, number
    return None, None


@dataclass(frozen=True)
class Unit:
    name: str  # as written in the article, lowercased ("square kilometers", "dollars", "years")
    kind: str  # area | currency | time | distance | weight | percent


# Multi-word units first; each is a tuple of lowercased tokens.
_UNIT_TABLE: tuple[tuple[tuple[str, ...], str], ...] = (
    (("square", "kilometers"), "area"),
    (("square", "kilometres"), "area"),
    (("square", "kilometer"), "area"),
    (("square", "kilometre"), "area"),
    (("square", "km"), "area"),
    (("square", "miles"), "area"),
    (("square", "mile"), "area"),
    (("square", "meters"), "area"),
    (("square", "metres"), "area"),
    (("sq", "km"), "area"),
    (("sq.", "km"), "area"),
    (("sq", "miles"), "area"),
    (("km2",), "area"),
    (("km²",), "area"),
    (("sq.km",), "area"),
    (("hectares",), "area"),
    (("hectare",), "area"),
    (("acres",), "area"),
    (("us", "dollars"), "currency"),
    (("u.s.", "dollars"), "currency"),
    (("dollars",), "currency"),
    (("dollar",), "currency"),
    (("euros",), "currency"),
    (("euro",), "currency"),
    (("pounds", "sterling"), "currency"),
    (("hryvnias",), "currency"),
    (("hryvnia",), "currency"),
    (("hryvnyas",), "currency"),
    (("rubles",), "currency"),
    (("roubles",), "currency"),
    (("ruble",), "currency"),
    (("rouble",), "currency"),
    (("yuan",), "currency"),
    (("shekels",), "currency"),
    (("rials",), "currency"),
    (("riyals",), "currency"),
    (("dinars",), "currency"),
    (("dinar",), "currency"),
    (("shekel",), "currency"),
    (("rial",), "currency"),
    (("riyal",), "currency"),
    (("rupee",), "currency"),
    (("franc",), "currency"),
    (("lira",), "currency"),
    (("liras",), "currency"),
    (("rupees",), "currency"),
    (("francs",), "currency"),
    (("usd",), "currency"),
    (("eur",), "currency"),
    (("decades",), "time"),
    (("decade",), "time"),
    (("years",), "time"),
    (("year",), "time"),
    (("months",), "time"),
    (("month",), "time"),
    (("weeks",), "time"),
    (("week",), "time"),
    (("days",), "time"),
    (("day",), "time"),
    (("hours",), "time"),
    (("hour",), "time"),
    (("minutes",), "time"),
    (("kilometers",), "distance"),
    (("kilometres",), "distance"),
    (("kilometer",), "distance"),
    (("kilometre",), "distance"),
    (("km",), "distance"),
    (("miles",), "distance"),
    (("mile",), "distance"),
    (("meters",), "distance"),
    (("metres",), "distance"),
    (("m",), "distance"),
    (("feet",), "distance"),
    (("ft",), "distance"),
    (("tonnes",), "weight"),
    (("tons",), "weight"),
    (("tonne",), "weight"),
    (("kg",), "weight"),
    (("kilograms",), "weight"),
    (("pounds",), "weight"),
    (("per", "cent"), "percent"),
    (("percent",), "percent"),
    (("%",), "percent"),
)
# Sizes of a thing rather than amounts: "155mm shells", "a 500-pound bomb" are specifications, not figures.
CALIBRE_UNITS = frozenset(
    {"mm", "millimeter", "millimetre", "millimeters", "millimetres", "caliber", "calibre"}
)

CURRENCY_SYMBOLS = {
    "$": "dollars",
    "us$": "dollars",
    "€": "euros",
    "£": "pounds",
    "₴": "hryvnias",
    "₽": "rubles",
    "¥": "yuan",
    "₪": "shekels",
}


def match_unit(words: list[str]) -> tuple[Unit, int] | None:
    """The unit at the start of `words` (lowercased tokens) and how many tokens it takes."""
    for pattern, kind in _UNIT_TABLE:
        if tuple(words[: len(pattern)]) == pattern:
            return Unit(" ".join(pattern), kind), len(pattern)
    return None
