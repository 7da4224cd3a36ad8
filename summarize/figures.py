"""Key figures: every amount a careful reader wants, what it counts, who claims it, where and when.

Works on the one parse (`Parsed.doc`): tokens find the amount (digits, number words, vague amounts, ranges,
qualifiers, units), the dependency tree finds what it counts and the reporting verb that owns it, entities
find places and dates. Dates, years, times of day, ages, ordinals, model names ("Su-34") and article
metadata are not figures. Claimants come from the nearest source on the way up the tree ("X said",
"X estimate", "according to X", "previous claims that ..."), then from speaker attributions (speakers.py),
then from the quotation around the figure.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from spacy.tokens import Doc, Span, Token

from summarize.lexicon import REPORTING_VERBS, SPEAKER_PRONOUNS
from summarize.mentions import fuller_name
from summarize.model import Category, Figure
from summarize.numbers import (
    AMBIGUOUS_QUALIFIERS,
    CALIBRE_UNITS,
    CURRENCY_SYMBOLS,
    NUMBER_WORDS,
    ORDINAL_WORDS,
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
from summarize.parse import Parsed

if TYPE_CHECKING:  # speakers.py is written in parallel; only its shape is relied on
    from summarize.speakers import Attribution

MONTHS = frozenset(
    [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "jan",
        "jan.",
        "feb",
        "feb.",
        "mar",
        "mar.",
        "apr",
        "apr.",
        "jun",
        "jun.",
        "jul",
        "jul.",
        "aug",
        "aug.",
        "sep",
        "sep.",
        "sept",
        "sept.",
        "oct",
        "oct.",
        "nov",
        "nov.",
        "dec",
        "dec.",
    ]
)
_CALENDAR_WORDS = (
    frozenset(
        [
            "monday",
            "tuesday",
            "wednesday",
            "thursday",
            "friday",
            "saturday",
            "sunday",
            "today",
            "yesterday",
            "tomorrow",
            "tonight",
            "overnight",
            "ago",
            "last",
            "next",
            "this",
            "past",
            "recent",
            "recently",
            "earlier",
            "later",
            "previous",
            "weekend",
            "morning",
            "afternoon",
            "evening",
            "night",
            "dawn",
            "dusk",
            "midnight",
            "noon",
            "summer",
            "winter",
            "spring",
            "autumn",
            "fall",
            "season",
        ]
    )
    | MONTHS
)
_TIME_UNITS = frozenset(
    [
        "year",
        "years",
        "month",
        "months",
        "week",
        "weeks",
        "day",
        "days",
        "hour",
        "hours",
        "minute",
        "minutes",
        "decade",
        "decades",
    ]
)
_TIME_OF_DAY = frozenset(["a.m.", "p.m.", "am", "pm", "gmt", "utc", "o'clock", "hrs", "h", "local"])
# "Article 5", "Resolution 2254", "Flight 752": a number that names a thing.
_NAME_PREFIXES = frozenset(
    [
        "no.",
        "no",
        "number",
        "nos.",
        "article",
        "articles",
        "resolution",
        "resolutions",
        "route",
        "highway",
        "flight",
        "brigade",
        "regiment",
        "battalion",
        "division",
        "corps",
        "unit",
        "block",
        "section",
        "chapter",
        "page",
        "part",
        "paragraph",
        "level",
        "phase",
        "category",
        "class",
        "grade",
        "gate",
        "terminal",
        "platform",
        "channel",
        "sector",
        "camp",
        "point",
        "item",
        "line",
        "road",
        "street",
        "avenue",
        "building",
        "room",
        "floor",
        "apartment",
        "vol.",
        "volume",
        "episode",
        "season",
        "round",
        "stage",
    ]
)
_IDIOM_NOUNS = frozenset(
    [
        "point",
        "side",
        "hand",
        "way",
        "thing",
        "time",
        "moment",
        "reason",
        "example",
        "question",
        "issue",
        "day",
    ]
)
_METADATA = re.compile(
    r"^\s*(updated|published|posted|last updated|first published|modified)\b|\bmin(ute)?s? read\b|copyright|©|"
    r"all rights reserved|\b(reporting|editing|writing|additional reporting) by\b|^\s*(photo|image|file photo|"
    r"video)\s*[:|(]|\bgetty images\b|^\s*(follow|subscribe|share|sign up)\b|\bcoordinates\s*:",
    re.IGNORECASE,
)

KILL_WORDS = frozenset(
    [
        "kill",
        "die",
        "dead",
        "death",
        "fatality",
        "execute",
        "massacre",
        "murder",
        "perish",
        "body",
        "corpse",
        "slay",
        "toll",
        "behead",
    ]
)
WOUND_WORDS = frozenset(["wound", "injure", "injured", "wounded", "hurt", "injury", "maim"])
LUMPED_WORDS = frozenset(["casualty", "loss"])
DISPLACED_WORDS = frozenset(
    [
        "refugee",
        "evacuee",
        "displace",
        "displaced",
        "idp",
        "idps",
        "flee",
        "evacuate",
        "relocate",
        "uproot",
        "homeless",
        "asylum",
        "exodus",
        "evacuation",
    ]
)
TROOP_WORDS = frozenset(
    [
        "soldier",
        "troop",
        "fighter",
        "serviceman",
        "servicemen",
        "servicemember",
        "personnel",
        "militant",
        "mercenary",
        "reservist",
        "conscript",
        "recruit",
        "marine",
        "paratrooper",
        "commando",
        "combatant",
        "insurgent",
        "rebel",
        "guerrilla",
        "militiaman",
        "force",
        "sailor",
        "infantryman",
        "trooper",
        "jihadist",
    ]
)
EQUIPMENT_WORDS = frozenset(
    [
        "drone",
        "missile",
        "rocket",
        "tank",
        "shell",
        "artillery",
        "howitzer",
        "vehicle",
        "aircraft",
        "jet",
        "plane",
        "helicopter",
        "warplane",
        "bomber",
        "munition",
        "bomb",
        "round",
        "launcher",
        "ship",
        "boat",
        "vessel",
        "warship",
        "submarine",
        "gun",
        "rifle",
        "weapon",
        "mortar",
        "grenade",
        "mine",
        "shahed",
        "himars",
        "apc",
        "truck",
        "interceptor",
        "projectile",
        "warhead",
        "ammunition",
        "uav",
        "fighter-jet",
        "cannon",
    ]
)
_EQUIPMENT_COMPOUNDS = frozenset(
    ["defense", "defence", "missile", "artillery", "rocket", "air", "weapon", "weapons", "radar", "warfare"]
)
# People who tell a story: "two security sources said" counts the sources, not the story.
_SOURCE_NOUNS = frozenset(["source", "official", "diplomat", "witness", "medic", "doctor", "analyst"])
# Places a front line is counted in: "took control of six settlements".
_SETTLEMENT_WORDS = frozenset(["settlement", "village", "town", "locality", "hamlet"])
_TERRITORY_VERBS = frozenset(
    ["capture", "seize", "take", "control", "recapture", "retake", "liberate", "occupy", "lose", "cede"]
)
CLAIM_NOUNS = frozenset(
    ["claim", "estimate", "report", "figure", "assessment", "statement", "data", "tally", "count"]
)
# Participles for verbs whose object a figure counts: the event goes into `counts`.
_PARTICIPLES = {
    "kill": "killed",
    "wound": "wounded",
    "injure": "injured",
    "send": "sent",
    "deploy": "deployed",
    "destroy": "destroyed",
    "shoot": "shot",
    "down": "downed",
    "intercept": "intercepted",
    "capture": "captured",
    "seize": "seized",
    "recapture": "recaptured",
    "retake": "retaken",
    "liberate": "liberated",
    "occupy": "occupied",
    "control": "controlled",
    "hold": "held",
    "lose": "lost",
    "displace": "displaced",
    "evacuate": "evacuated",
    "launch": "launched",
    "fire": "fired",
    "detain": "detained",
    "arrest": "arrested",
    "free": "freed",
    "release": "released",
    "exchange": "exchanged",
    "abduct": "abducted",
    "take": "taken",
    "mobilize": "mobilized",
    "mobilise": "mobilised",
    "recruit": "recruited",
    "train": "trained",
    "pledge": "pledged",
    "approve": "approved",
    "allocate": "allocated",
    "provide": "provided",
    "give": "given",
    "receive": "received",
    "damage": "damaged",
    "hit": "hit",
    "strike": "struck",
    "rescue": "rescued",
    "execute": "executed",
    "bury": "buried",
    "identify": "identified",
    "return": "returned",
    "transfer": "transferred",
    "deliver": "delivered",
    "supply": "supplied",
    "spend": "spent",
    "raise": "raised",
    "promise": "promised",
}
PARTICIPLE_FORMS = frozenset(_PARTICIPLES.values()) | {"died", "fled", "missing"}
_EVENT_LEMMAS = frozenset(_PARTICIPLES) | KILL_WORDS | WOUND_WORDS | DISPLACED_WORDS
_PLACE_PREPS = frozenset(
    [
        "in",
        "near",
        "at",
        "around",
        "outside",
        "inside",
        "across",
        "along",
        "into",
        "to",
        "on",
        "off",
        "within",
        "throughout",
    ]
)
_PLACE_NOUNS = frozenset(
    [
        "region",
        "oblast",
        "province",
        "district",
        "city",
        "town",
        "village",
        "villages",
        "settlement",
        "area",
        "border",
        "front",
        "frontline",
        "county",
        "state",
        "territory",
        "peninsula",
        "coast",
        "port",
        "base",
        "airfield",
        "airport",
    ]
)
_RELATIVE = frozenset({"who", "which", "that", "whom"})
_PARTICLES = frozenset({"down", "off", "out", "up"})
_STATE_ADJECTIVES = frozenset({"dead", "wounded", "injured", "missing", "displaced", "homeless"})
_MOVEMENT_VERBS = frozenset(
    [
        "deploy",
        "redeploy",
        "send",
        "move",
        "transfer",
        "bring",
        "dispatch",
        "fly",
        "ship",
        "deliver",
        "return",
        "flee",
    ]
)


@dataclass(frozen=True)
class _Mention:
    start: int  # token span of the whole value (qualifier .. unit)
    end: int
    anchor: Token  # the syntactic head of the value
    number: float | None
    low: float | None
    high: float | None
    qualifier: str | None
    unit: Unit | None
    vague: bool


# --------------------------------------------------------------------------------------------- public


def extract_figures(parsed: Parsed, attributions: Sequence[Attribution] = ()) -> tuple[Figure, ...]:
    """Every key figure of the article, in reading order, on the one parse."""
    doc = parsed.doc
    dates = _date_spans(doc)
    quotes = _quote_regions(doc)
    figures: list[Figure] = []
    for index, sentence in enumerate(parsed.sentences):
        if _is_metadata(sentence):
            continue
        for mention in _mentions(sentence, dates):
            figure = _figure(parsed, index, sentence, mention, dates, quotes, attributions)
            if figure.number == 1 and figure.category not in ("killed", "wounded", "casualties"):
                continue  # "one man I spoke to", "one day": a single thing is a figure only as a casualty
            figures.append(figure)
    return tuple(figures)


def counted_phrase(figure: Figure) -> str:
    """The figure with what it counts, as a reader says it: "Thousands of troops", "at least 30 soldiers"."""
    text = figure.value
    if figure.counts and figure.counts.casefold() not in figure.value.casefold():
        first = figure.counts.split()[0].lower()
        vague = figure.value.split()[-1].lower() in VAGUE_WORDS
        adjectival = "-" in figure.value.split()[-1]  # "a 30-day ceasefire"
        joiner = (
            " of " if (figure.unit or vague) and first not in PARTICIPLE_FORMS and not adjectival else " "
        )
        text += joiner + figure.counts
    return text


def short_place(where: str | None) -> str | None:
    """The place without its lead-in words: "near Plekhovo, Vorozhba, Martynovka, Kursk region of Russia"."""
    return _short_place(where)


def format_figure(figure: Figure) -> str:
    """One line a person reads: 'at least 30 soldiers killed (Ukraine's army; near Bakhmut; Dec. 14)'."""
    context = [part for part in (figure.claimed_by, short_place(figure.where), figure.when) if part]
    text = counted_phrase(figure)
    return f"{text} ({'; '.join(context)})" if context else text


# ------------------------------------------------------------------------------------- finding values


def _is_metadata(sentence: Span) -> bool:
    if _METADATA.search(sentence.text):
        return True
    return sum(1 for token in sentence if token.is_alpha) < 2


def _date_spans(doc: Doc) -> list[tuple[int, int]]:
    """Token spans that are calendar dates or times of day (including "Dec. 14 and 15"), not durations."""
    spans = []
    for ent in doc.ents:
        if ent.label_ not in ("DATE", "TIME"):
            continue
        words = {token.lower_ for token in ent}
        # "would last 42 days": "last" as a verb is no calendar word
        words = {token.lower_ for token in ent if token.pos_ != "VERB"}
        is_calendar = bool(words & _CALENDAR_WORDS) or any(_looks_like_year(token) for token in ent)
        is_clock = ent.label_ == "TIME" and (bool(words & _TIME_OF_DAY) or any(":" in t.text for t in ent))
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


def _looks_like_year(token: Token) -> bool:
    return bool(re.fullmatch(r"(1[89]|20)\d\d", token.text))


def _in_spans(i: int, spans: list[tuple[int, int]]) -> bool:
    return any(start <= i < end for start, end in spans)


def _mentions(sentence: Span, dates: list[tuple[int, int]]) -> list[_Mention]:
    doc = sentence.doc
    found: list[_Mention] = []
    i = sentence.start
    while i < sentence.end:
        core = _core(doc, i, sentence.end)
        if core is None:
            i += 1
            continue
        mention = _complete(doc, sentence, core)
        i = core[1] if mention is None else max(mention.end, i + 1)
        if mention is None or _excluded(doc, sentence, mention, dates):
            continue
        # "10 km (6 miles)": the converted amount in brackets is the same figure again
        if found and doc[mention.start - 1].text == "(" and found[-1].end == mention.start - 1:
            continue
        found.append(mention)
    return found


_CASE_FREE_PREFIXES = frozenset(
    {"no.", "number", "article", "articles", "resolution", "resolutions", "section"}
)


def _names_thing(token: Token) -> bool:
    """'Article', 'Resolution', 'Flight' before a number: the number is a name, not an amount."""
    lower = token.lower_
    return lower in _CASE_FREE_PREFIXES or (lower in _NAME_PREFIXES and token.is_title)


def _is_core_token(token: Token) -> bool:
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


def _core(doc: Doc, i: int, limit: int) -> tuple[int, int, float | None, bool, bool] | None:
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
        if first.lower_ in ("tens", "scores") and end == j + 1:
            return None  # "tens" and "scores" are amounts only in "tens of thousands", "scores of people"
        if first.lower_ == "scores" and not (end < limit and doc[end].lower_ == "of"):
            return None
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


def _complete(doc: Doc, sentence: Span, core: tuple[int, int, float | None, bool, bool]) -> _Mention | None:
    """Add the range, qualifiers and unit around a bare amount."""
    start, end, number, vague, money = core
    limit = sentence.end
    low = high = None
    qualifier: str | None = None
    # range: "20 to 30", "20-30", "two or three", "between 20 and 30"
    before = doc[start - 1].lower_ if start > sentence.start else ""
    if end + 1 < limit and not vague and number is not None:
        link = doc[end].lower_
        between = before == "between" and link == "and"
        if link in ("-", "–", "to", "or") or between:
            second = _core(doc, end + 1, limit)
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
    elif len(words) > 1 and doc[end].pos_ == "ADJ" and (match_unit(words[1:]) or (None,))[0] is not None:
        matched = match_unit(words[1:])  # "four long years", "four more days"
        if matched is not None and matched[0].kind == "time":
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
            qualifier, start = phrase, q_start
            break
    if qualifier is not None and qualifier_kind(qualifier) != "range":
        low, high = bounds(number, qualifier)
    span = doc[start:end]
    return _Mention(start, end, _head_of(span), number, low, high, qualifier, unit, vague)


def _or_more(doc: Doc, i: int) -> bool:
    return i + 1 < len(doc) and doc[i].lower_ == "or" and doc[i + 1].lower_ in ("more", "so")


def _is_modifier(token: Token) -> bool:
    """A qualifier the parser hung on the number (quantmod/advmod), not a preposition with it as object."""
    return any(child.dep_ == "pobj" and child.pos_ == "NUM" for child in token.children) is False


def _head_of(span: Span) -> Token:
    heads = [t for t in span if t.head.i < span.start or t.head.i >= span.end or t.head.i == t.i]
    numeric = [t for t in heads if t.pos_ in ("NUM", "NOUN", "PROPN", "SYM")]
    return (numeric or heads or [span[-1]])[-1]


def _excluded(doc: Doc, sentence: Span, m: _Mention, dates: list[tuple[int, int]]) -> bool:
    """Dates, years, times of day, ages, ordinals, names with numbers, idioms: not figures."""
    core = [t for t in doc[m.start : m.end] if _is_core_token(t)]
    if not core:
        return True
    first = doc[m.start]
    prev = doc[m.start - 1] if m.start > sentence.start else None
    nxt = doc[m.end] if m.end < sentence.end else None
    if any(_in_spans(t.i, dates) for t in core):
        return True
    if any(t.lower_ in ORDINAL_WORDS or t.ent_type_ == "ORDINAL" for t in core):
        return True
    if m.unit is not None and m.unit.kind == "percent" and not (nxt is not None and nxt.lower_ == "of"):
        return True  # a bare percentage ("up 5%") says little in a brief; "40% of the city" is kept
    # times of day and clock readings
    if nxt is not None and (nxt.lower_ in _TIME_OF_DAY or nxt.text.startswith(":")):
        return True
    if any(":" in t.text for t in core):
        return True
    # calendar: "Dec 14", "14 December", "in 2014"
    if (prev is not None and prev.lower_ in MONTHS) or (nxt is not None and nxt.lower_ in MONTHS):
        return True
    if m.unit is None and m.qualifier is None and len(core) == 1 and _looks_like_year(core[0]):
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
    if (
        prev is not None
        and prev.text == ","
        and m.start - 2 >= sentence.start
        and doc[m.start - 2].ent_type_ == "PERSON"
        and nxt is not None
        and nxt.text in (",", ")")
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
        if _names_thing(prev):
            return True
        counted_next = nxt is not None and nxt.tag_ == "NNS"
        if (
            prev.pos_ == "PROPN"
            and prev.is_title
            and prev.whitespace_
            and "," not in first.text
            and not counted_next
        ):
            return True  # "Committee 1267", "Exercise Eager Lion 16"
        if first.dep_ == "conj" and first.head.i < first.i and prev.lower_ in ("and", ","):
            before = first.head.i - 1
            if before >= 0 and _names_thing(doc[before]):  # "Resolutions 2254 and 2118"
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
            or head.lemma_.lower() in _IDIOM_NOUNS
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
        and first.head.lemma_.lower() in _SOURCE_NOUNS
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


def _is_speaking_subject(noun: Token) -> bool:
    """The noun (or a conjunct it heads) is the subject of a reporting verb: "two sources and an official said"."""
    while noun.dep_ == "conj" and noun.head.i != noun.i:
        noun = noun.head
    return noun.dep_ == "nsubj" and noun.head.lemma_.lower() in REPORTING_VERBS


# --------------------------------------------------------------------------------- what it counts


def _counted_noun(doc: Doc, m: _Mention) -> Token | None:
    anchor = m.anchor
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
        if head.pos_ in ("NOUN", "PROPN") and head.i > anchor.i and head.lemma_.lower() not in _TIME_UNITS:
            return head
        if head.pos_ == "ADJ" and head.lower_ in _STATE_ADJECTIVES and head.i > anchor.i:  # "35 dead"
            return head
    if m.unit is None and not m.vague:
        for child in anchor.children:
            if child.dep_ == "prep" and child.lower_ == "of" and child.i >= m.end:
                objects = [c for c in child.children if c.dep_ == "pobj" and c.pos_ in ("NOUN", "PROPN")]
                if objects:
                    return objects[0]
        # the parser sometimes misses "20-30 tanks": take a plural noun right after the value
        j = m.end
        while j < len(doc) and doc[j].pos_ in ("ADJ",) and doc[j].dep_ in ("amod", "compound"):
            j += 1
        if j < len(doc) and doc[j].tag_ == "NNS" and doc[j].lemma_.lower() not in _TIME_UNITS:
            return doc[j]
    return None


def _noun_phrase(noun: Token, skip: range, extra_preps: Sequence[Token] = ()) -> str:
    """The counted thing as a reader says it: modifiers + noun + 'from X' / 'of X'."""
    doc = noun.doc
    subtree = {t.i for t in noun.subtree}
    start = noun.i
    while (
        start - 1 >= 0
        and start - 1 not in skip
        and start - 1 in subtree
        and doc[start - 1].dep_
        not in ("det", "punct", "prep", "cc", "advmod", "predet", "nummod", "quantmod")
        and doc[start - 1].pos_ not in ("DET", "NUM", "PUNCT")
        and doc[start - 1].lower_ not in ("of",)
        and not (doc[start - 1].pos_ == "PRON" and doc[start - 1].dep_ == "poss")
    ):
        start -= 1
    parts = [doc[start : noun.i + 1].text]
    preps = [c for c in noun.children if c.dep_ == "prep" and c.lower_ in ("from", "of") and c.i > noun.i]
    preps += [p for p in extra_preps if p.i > noun.i]
    for prep in sorted(preps, key=lambda t: t.i)[:1]:
        tokens = list(prep.subtree)
        if len(tokens) <= 7 and not any(t.pos_ in ("VERB", "AUX") for t in tokens):
            parts.append(doc[tokens[0].i : tokens[-1].i + 1].text)
    return " ".join(parts)


def _role_token(m: _Mention, noun: Token | None) -> Token:
    """The token whose dependency says what role the figure plays in its clause."""
    inside = range(m.start, m.end)
    if noun is None or m.vague or noun.head.i in inside:
        return m.anchor
    if noun.head.dep_ == "prep" and noun.head.head.i in inside:  # "10 of the drones", "800 km² of territory"
        return m.anchor
    return noun


def _event_verbs(role: Token) -> tuple[list[Token], str | None]:
    """The verb(s) acting on the counted thing and the role ('object', 'subject', 'passive')."""
    verbs, role_name = _governing_verbs(role)
    eventful = {v.lemma_.lower() for v in verbs} & _EVENT_LEMMAS
    if not eventful:
        # "30 soldiers killed in the attack": a reduced relative clause carries the event
        participles = [c for c in role.children if c.dep_ == "acl" and c.tag_ == "VBN"]
        if participles:
            first = participles[0]
            return [first, *(c for c in first.children if c.dep_ == "conj" and c.pos_ == "VERB")], "passive"
    return verbs, role_name


def _governing_verbs(role: Token) -> tuple[list[Token], str | None]:
    verb = role.head
    dep = role.dep_
    if dep == "pobj" and verb.dep_ in ("prep", "agent") and verb.head.pos_ in ("VERB", "AUX"):
        return [verb.head], "oblique"
    if verb.pos_ not in ("VERB", "AUX") or verb.i == role.i:
        return [], None
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
        and verb.head.lemma_.lower() in _EVENT_LEMMAS
        and not any(c.dep_ in ("dobj", "nsubjpass") for c in verb.head.children)
    ):
        verbs.insert(0, verb.head)
    for child in verb.children:
        if (
            child.dep_ == "conj"
            and child.pos_ == "VERB"
            and child.lemma_.lower() in _EVENT_LEMMAS
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
    return _PARTICIPLES.get(verb.lemma_.lower())


def _subject(verb: Token) -> Token | None:
    for candidate in (verb, verb.head if verb.dep_ in ("conj", "xcomp") else None):
        if candidate is None:
            continue
        for child in candidate.children:
            if child.dep_ in ("nsubj",):
                return child
    return None


def _resolve_relative(token: Token) -> Token:
    """'which' / 'who' in a relative clause -> the noun the clause hangs on."""
    if token.lower_ not in _RELATIVE:
        return token
    node = token.head
    while node.dep_ != "relcl" and node.head.i != node.i:
        node = node.head
    return node.head if node.dep_ == "relcl" else token


def _is_proper(token: Token) -> bool:
    """A named subject worth naming in `counts` ("sent by North Korea"), not "its troops"."""
    phrase = _phrase_text(token).split()
    owned = any(t.pos_ == "PRON" for t in token.children if t.dep_ == "poss")
    named = token.pos_ == "PROPN" or any(
        c.ent_type_ in ("NORP", "GPE", "ORG") for c in token.children if c.dep_ in ("amod", "compound")
    )
    return named and not owned and len(phrase) <= 6


def _counts(doc: Doc, m: _Mention, noun: Token | None) -> tuple[str | None, list[Token]]:
    extra: list[Token] = []
    if m.vague:
        extra = [c for c in m.anchor.children if c.dep_ == "prep" and c.lower_ == "from"]
    phrase = _noun_phrase(noun, range(m.start, m.end), extra) if noun is not None else None
    if noun is not None and noun.pos_ == "VERB":  # "three years of battling the invasion"
        tokens = list(noun.subtree)
        phrase = doc[tokens[0].i : tokens[-1].i + 1].text if len(tokens) <= 8 else noun.text
    role = _role_token(m, noun)
    verbs, role_name = _event_verbs(role)
    if phrase is None and role_name == "oblique" and role.head.lower_ in ("at", "to"):
        # "put the death toll at 150,000", "casualties rose to 300": the thing measured is the object/subject
        measured = next((c for c in verbs[0].children if c.dep_ == "dobj"), None) or _subject(verbs[0])
        if measured is not None and measured.pos_ in ("NOUN", "PROPN"):
            phrase = re.sub(r"^(the|a|an)\s+", "", _phrase_text(measured), flags=re.IGNORECASE)
    if phrase is None and m.unit is not None and m.unit.kind == "time" and verbs:
        # "fighting has raged for nearly three weeks" -> "three weeks of fighting"
        subject = _subject(verbs[0])
        if subject is not None and subject.pos_ in ("NOUN", "PROPN"):
            text = _phrase_text(subject)
            phrase = re.sub(r"^(the|a|an|this|that)\s+", "", text, flags=re.IGNORECASE)
    if not verbs or role_name in ("oblique",):
        return phrase, verbs
    eventful = bool({v.lemma_.lower() for v in verbs} & _EVENT_LEMMAS)
    if role_name in ("object", "passive") and eventful and all(_participle(v) for v in verbs):
        event = _verb_words(verbs, participle=True)
        subject = _subject(verbs[0]) if role_name == "object" else None
        if subject is not None:
            subject = _resolve_relative(subject)
        if subject is not None and _is_proper(subject):
            event += " by " + _phrase_text(subject)
        return (f"{phrase} {event}" if phrase else event), verbs
    if role_name == "subject" and eventful and phrase:
        return f"{phrase} {_verb_words(verbs, participle=False)}", verbs
    if role_name == "object" and phrase:
        subject = _subject(verbs[0])
        if subject is not None and _is_proper(subject) and len(list(subject.subtree)) <= 4:
            return f"{phrase} {_phrase_text(subject)} {verbs[0].text}", verbs
    return phrase, verbs


def _category(m: _Mention, noun: Token | None, verbs: list[Token]) -> Category:
    if m.unit is not None:
        kind = m.unit.kind
        if kind == "currency":
            return "money"
        if kind == "area":
            return "territory"
        if kind == "time":
            return "time"
        if kind == "percent" and noun is not None and noun.lemma_.lower() == "territory":
            return "territory"
    lemmas: set[str] = {v.lemma_.lower() for v in verbs}
    noun_lemma = noun.lemma_.lower() if noun is not None else ""
    if noun is not None:
        lemmas.add(noun_lemma)
        # "losses of up to 420 servicemen", "the evacuation of 3,000 residents": the noun it is "of"
        if noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.head.head.pos_ == "NOUN":
            lemmas.add(noun.head.head.lemma_.lower())
        lemmas |= {c.lemma_.lower() for c in noun.children if c.dep_ in ("amod", "compound")}
        lemmas |= {c.lower_ for c in noun.children if c.dep_ in ("amod", "compound")}
    # "6.5 million remain refugees": the complement says what they are
    for verb in verbs:
        lemmas |= {c.lemma_.lower() for c in verb.children if c.dep_ in ("attr", "oprd", "acomp")}
        # "forced tens of thousands from their homes"
        for prep in (c for c in verb.children if c.dep_ == "prep" and c.lower_ == "from"):
            if any(o.lemma_.lower() in ("home", "house") for o in prep.children):
                lemmas.add("displaced")
    # "the death toll rose to 30": the subject of the verb the figure completes
    for verb in verbs:
        for child in verb.children:
            if child.dep_ in ("nsubj", "nsubjpass", "dobj") and noun is None:
                lemmas |= {t.lemma_.lower() for t in child.subtree}
    if noun_lemma in EQUIPMENT_WORDS or (
        noun_lemma == "system"
        and any(
            c.lower_ in _EQUIPMENT_COMPOUNDS or (c.dep_ == "compound" and c.pos_ == "PROPN")
            for c in noun.children
        )  # "air defense systems", "Patriot systems": a named model is a weapon
    ):
        return "equipment"
    if noun_lemma in _SETTLEMENT_WORDS and lemmas & _TERRITORY_VERBS:
        return "territory"
    killed = bool(lemmas & KILL_WORDS)
    wounded = bool(lemmas & WOUND_WORDS)
    lost_troops = "lose" in lemmas and (noun_lemma in TROOP_WORDS or noun_lemma in ("man", "people", "life"))
    if (killed and wounded) or (lemmas & LUMPED_WORDS) or lost_troops:
        return "casualties"
    if killed:
        return "killed"
    if wounded:
        return "wounded"
    if lemmas & DISPLACED_WORDS:
        return "displaced"
    if noun_lemma in TROOP_WORDS or (noun is not None and noun.lower_ in TROOP_WORDS):
        return "troops"
    return "other"


# ------------------------------------------------------------------------------------ who claims it


def _phrase_text(token: Token) -> str:
    """A noun phrase without its relative clauses and trailing punctuation."""
    doc = token.doc
    drop: set[int] = set()
    for child in token.children:
        if child.dep_ in ("relcl", "acl", "advcl", "ccomp") or (
            child.dep_ == "punct" and child.i > token.i and child.text in '"“”'
        ):
            drop |= {t.i for t in child.subtree}
    kept = [t.i for t in token.subtree if t.i not in drop]
    start = kept[0]
    end = start
    while end + 1 in kept:
        end += 1
    if token.i > end:  # the head itself must be inside
        start, end = token.i, token.i
    while end > start and (doc[end].is_punct or doc[end].lower_ in ("and", "or")):
        end -= 1
    while start < end and (doc[start].is_punct or doc[start].is_quote):
        start += 1
    return doc[start : end + 1].text


def _source_of(verb: Token) -> str | None:
    """'X said' -> X; 'told AFP' adds ', to AFP'; passive 'was reported by X' -> X."""
    subject = None
    for candidate in (verb, verb.head if verb.dep_ == "conj" else None):
        if candidate is None:
            continue
        subject = next((c for c in candidate.children if c.dep_ in ("nsubj",)), None)
        if subject is None:
            agent = next((c for c in candidate.children if c.dep_ == "agent"), None)
            if agent is not None:
                subject = next((c for c in agent.children if c.dep_ == "pobj"), None)
        if subject is not None:
            break
    if subject is None:
        return None
    subject = _resolve_relative(subject)
    if subject.lower_ in _RELATIVE or subject.lower_ in ("it", "there") and verb.tag_ == "VBN":
        return None
    text = _phrase_text(subject)
    if verb.lemma_.lower() == "tell":
        listener = next(
            (c for c in verb.children if c.dep_ in ("dobj", "dative") and c.ent_type_ == "ORG"), None
        )
        if listener is not None:
            text += f", to {listener.text}"
    return text


def _according_to(token: Token) -> str | None:
    for child in token.children:
        if child.lower_ in ("according", "citing", "quoting") and child.dep_ in (
            "prep",
            "advcl",
            "pcomp",
            "advmod",
        ):
            target = child
            to = next((c for c in child.children if c.lower_ == "to"), None)
            if to is not None:
                target = to
            obj = next((c for c in target.children if c.dep_ in ("pobj", "dobj")), None)
            if obj is not None and not any(t.pos_ == "PRON" for t in obj.subtree):
                return _phrase_text(obj)
    return None


def _claim_noun_before(clause: Token) -> str | None:
    """'previous claims it controlled 1,400 km²': a claim noun right before the clause owns it."""
    doc = clause.doc
    i = clause.left_edge.i - 1
    if i >= 0 and doc[i].lower_ == "that":
        i -= 1
    if i < 0:
        return None
    noun = doc[i]
    if noun.pos_ == "NOUN" and noun.lemma_.lower() in CLAIM_NOUNS:
        start = noun.i
        while (
            start - 1 >= 0
            and doc[start - 1].dep_ in ("amod", "compound", "poss", "case")
            and doc[start - 1].head.i in (noun.i, start)
        ):
            start -= 1
        return doc[start : noun.i + 1].text
    return None


def _tree_claimant(anchor: Token, sentence: Span) -> tuple[str | None, Token | None]:
    """Walk up from the figure to the nearest owner of the claim. Returns (text, subject head or None)."""
    node = anchor
    child = anchor
    while True:
        if node.pos_ in ("VERB", "AUX") and node.i != anchor.i:
            in_subject = child.dep_ in ("nsubj", "nsubjpass", "csubj")
            if node.lemma_.lower() in REPORTING_VERBS and not in_subject and node.lemma_.lower() != "call":
                source = _source_of(node)
                if source is not None:
                    return source, node
            cited = _according_to(node)
            if cited is not None:
                return cited, None
        if node.pos_ in ("VERB", "AUX") and node.dep_ in ("ccomp", "relcl", "acl", "advcl", "conj", "xcomp"):
            noun_claim = _claim_noun_before(node)
            if noun_claim is not None:
                return noun_claim, None
        if node.head.i == node.i or node.head.i < sentence.start or node.head.i >= sentence.end:
            break
        child, node = node, node.head
    for token in sentence:  # "according to X" anywhere in the sentence
        if token.lower_ == "according" and token.i + 2 < sentence.end and token.nbor(1).lower_ == "to":
            obj = next((c for c in token.nbor(1).children if c.dep_ == "pobj"), None)
            if obj is not None and not any(t.pos_ == "PRON" for t in obj.subtree):
                return _phrase_text(obj), None
    return None, None


def _quote_regions(doc: Doc) -> list[tuple[int, int]]:
    """Token spans (open mark, close mark) of double-quoted passages, across sentences."""
    regions = []
    open_at: int | None = None
    for token in doc:
        text = token.text
        if text in ("“", "«"):
            open_at = token.i
        elif text in ("”", "»") and open_at is not None:
            regions.append((open_at, token.i))
            open_at = None
        elif text == '"':
            if open_at is None:
                open_at = token.i
            else:
                regions.append((open_at, token.i))
                open_at = None
        elif "\n" in text and open_at is not None and text.count("\n") > 1:
            open_at = None  # paragraph end: news style leaves a quote open there
    return regions


def _quote_speaker(parsed: Parsed, anchor: Token, quotes: list[tuple[int, int]]) -> str | None:
    doc = parsed.doc
    for open_i, close_i in quotes:
        if not open_i < anchor.i < close_i:
            continue
        after = parsed.sentences[parsed.sentence_index(close_i)]
        candidates = [t for t in doc[close_i + 1 : after.end]]
        before = parsed.sentences[parsed.sentence_index(open_i)]
        candidates += list(reversed(doc[before.start : open_i]))
        for token in candidates:
            if token.lemma_.lower() in REPORTING_VERBS and token.pos_ == "VERB":
                source = _source_of(token)
                if source is not None:
                    return _resolve_pronoun_text(parsed, source, token)
    return None


def _resolve_pronoun_text(parsed: Parsed, text: str, at: Token) -> str:
    """'he' / 'she' -> the nearest person named before; 'they' / 'it' -> the last named source before."""
    lower = text.lower()
    if lower not in SPEAKER_PRONOUNS and lower not in ("we", "i"):
        return text
    doc = parsed.doc
    if lower in ("he", "she", "him", "her"):
        people = [ent for ent in doc.ents if ent.label_ == "PERSON" and ent.end <= at.i]
        if people:
            return people[-1].text
        return text
    for token in reversed(doc[: at.sent.start]):
        if token.lemma_.lower() in REPORTING_VERBS and token.pos_ == "VERB":
            source = _source_of(token)
            if source is not None and source.lower() not in SPEAKER_PRONOUNS:
                return source
    return text


def _attributed(attributions: Sequence[Any], start_char: int, end_char: int) -> str | None:
    """The speaker of the innermost attribution whose content holds the figure (speakers.py's shape)."""
    best = None
    for attribution in attributions:
        lo, hi = getattr(attribution, "content_start", None), getattr(attribution, "content_end", None)
        if lo is None or hi is None or not (lo <= start_char and end_char <= hi):
            continue
        if best is None or hi - lo < best[0]:
            best = (hi - lo, getattr(attribution, "speaker", None))
    return best[1] if best else None


def _claimant(parsed: Parsed, sentence: Span, m: _Mention, quotes, attributions) -> str | None:
    claimant = _claimant_as_written(parsed, sentence, m, quotes, attributions)
    return claimant and (fuller_name(parsed.doc, claimant, m.start) or claimant)


def _claimant_as_written(parsed: Parsed, sentence: Span, m: _Mention, quotes, attributions) -> str | None:
    doc = parsed.doc
    text, verb = _tree_claimant(m.anchor, sentence)
    start_char, end_char = doc[m.start].idx, doc[m.end - 1].idx + len(doc[m.end - 1])
    from_speakers = _attributed(attributions, start_char, end_char)
    if text is not None and text.lower() in ("we", "i"):  # "We counted 35 dead," said X
        return from_speakers or _quote_speaker(parsed, m.anchor, quotes) or text
    if text is not None and text.lower() in SPEAKER_PRONOUNS:
        return from_speakers or _resolve_pronoun_text(parsed, text, verb or m.anchor)
    if text is not None:
        return text
    if from_speakers:
        return from_speakers
    return _quote_speaker(parsed, m.anchor, quotes)


# ----------------------------------------------------------------------------------- where and when


def _scope(anchor: Token, sentence: Span) -> list[Token]:
    """The figure's clause: from the figure up to (not including) a reporting verb or the sentence root."""
    path = [anchor]
    node = anchor
    while node.head.i != node.i and sentence.start <= node.head.i < sentence.end:
        if node.head.lemma_.lower() in REPORTING_VERBS and node.dep_ in (
            "ccomp",
            "xcomp",
            "dobj",
            "parataxis",
        ):
            break
        node = node.head
        path.append(node)
    return path


def _clause_levels(anchor: Token, sentence: Span) -> list[Token]:
    """Verbs on the way up from the figure, lowest first, stopping at a reporting verb or a clause that
    hangs on a noun ("fears that ...": the place of the fears is not the place of the figure)."""
    levels = []
    for node in _scope(anchor, sentence):
        if node.pos_ in ("VERB", "AUX"):
            levels.append(node)
            if node.dep_ in ("acl", "relcl") and node.head.pos_ in ("NOUN", "PROPN"):
                break
    return levels or [_scope(anchor, sentence)[-1]]


def _is_place_phrase(prep: Token, dates: list[tuple[int, int]]) -> bool:
    if prep.dep_ != "prep" or prep.lower_ not in _PLACE_PREPS:
        return False
    if prep.lower_ == "to" and prep.head.lemma_.lower() not in _MOVEMENT_VERBS:
        return False  # "concessions to Moscow" is no place
    obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
    if obj is None or _in_spans(obj.i, dates) or obj.ent_type_ in ("DATE", "TIME", "PERSON", "NORP"):
        return False
    subtree = list(obj.subtree)
    return any(t.ent_type_ in ("GPE", "LOC", "FAC") for t in subtree) or (
        obj.lemma_.lower() in _PLACE_NOUNS and any(t.pos_ == "PROPN" for t in subtree)
    )


def _where(anchor: Token, sentence: Span, dates: list[tuple[int, int]]) -> str | None:
    path = {t.i for t in _scope(anchor, sentence)}
    for level in _clause_levels(anchor, sentence):
        places = [t for t in level.subtree if _is_place_phrase(t, dates)]
        outer = [p for p in places if not any(q.i != p.i and p in q.subtree for q in places)]
        if outer:
            outer.sort(key=lambda t: (t.head.i not in path, abs(t.i - anchor.i)))
            return _phrase_text_from(outer[0])
    top = _scope(anchor, sentence)[-1]
    reporting = [t for t in top.head.children if t.i != top.i and _is_place_phrase(t, dates)]
    return _phrase_text_from(reporting[0]) if reporting and top.head.i != top.i else None


def _phrase_text_from(prep: Token) -> str:
    doc = prep.doc
    drop: set[int] = set()
    for token in prep.subtree:
        if token.dep_ in ("relcl", "acl", "advcl") and token.i != prep.i:
            drop |= {t.i for t in token.subtree}
        elif token.dep_ == "appos" and any(t.ent_type_ == "PERSON" for t in token.subtree):
            drop |= {t.i for t in token.subtree}  # "near Robotyne, a spokesperson, Andriy Kovalyov"
    kept = sorted(t.i for t in prep.subtree if t.i not in drop)
    end = kept[0]
    while end + 1 in kept:
        end += 1
    while end > prep.i and (doc[end].is_punct or doc[end].lower_ in ("and", "or", "where")):
        end -= 1
    return doc[prep.i : end + 1].text


def _when(doc: Doc, anchor: Token, sentence: Span, dates: list[tuple[int, int]], own: range) -> str | None:
    spans = [
        (s, e)
        for s, e in dates
        if sentence.start <= s < sentence.end and not (s < own.stop and own.start < e)
    ]
    if not spans:
        return None
    path = _scope(anchor, sentence)
    scope = {t.i for t in path[-1].subtree}
    inside = [span for span in spans if span[0] in scope]
    chosen = inside or spans
    chosen.sort(key=lambda span: abs(span[0] - anchor.i))
    start, end = chosen[0]
    return doc[start:end].text


def _short_place(where: str | None) -> str | None:
    """'near the villages of A, B in the Kursk region' -> 'near A, B, Kursk region' for the one-line form."""
    if not where:
        return None
    short = re.sub(r"\bthe (villages?|towns?|cities|city|settlements?|hamlets?) of\s+", "", where)
    short = re.sub(r"\s+in the\s+", ", ", short)
    return re.sub(r"^(in|at) the\s+", r"\1 ", short)


# --------------------------------------------------------------------------------------- assemble


def _figure(parsed, index, sentence, m: _Mention, dates, quotes, attributions) -> Figure:
    doc = parsed.doc
    noun = _counted_noun(doc, m)
    counts, verbs = _counts(doc, m, noun)
    value = doc[m.start : m.end].text
    return Figure(
        value=value,
        number=m.number,
        low=m.low,
        high=m.high,
        qualifier=m.qualifier,
        unit=m.unit.name if m.unit else None,
        category=_category(m, noun, verbs),
        counts=counts,
        claimed_by=_claimant(parsed, sentence, m, quotes, attributions),
        where=_where(m.anchor, sentence, dates),
        when=_when(doc, m.anchor, sentence, dates, range(m.start, m.end)),
        sentence=index,
    )
