"""/ask: answer a question from what this chat has read, extractively, citing where, or say plainly that
the history does not hold it.

Every answer item is verbatim stored text (a figure's value and sentence, a quote, a sentence) with its
source. A candidate is scored by how much of the question's weighted content words it holds (names count
double); below `threshold` nothing is answered, because a wrong figure or a misattributed quote does more
harm than "not in what this chat has read". The threshold was chosen by measurement (evaluation/ask.py).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Literal
from zoneinfo import ZoneInfo

from spacy.lang.en.stop_words import STOP_WORDS

from storage.ask_queries import (
    ArticleRef,
    SentenceMatch,
    facts_in_sentences,
    quotes_by_speaker,
    sentence_matches,
    sentences_at,
    sentences_before,
)
from storage.database import Database
from storage.keys import fold
from summarize.figures import counted_phrase
from summarize.model import Figure
from summarize.question import (
    Question,
    QuestionKind,
    Term,
    analyze_question,
    is_event_word,
    related_words,
    same_speaker,
    speaker_key,
    stem,
    words,
)
from summarize.wordlists import word_set

ANSWER_THRESHOLD = (
    0.65  # the least harm cost on dev (`python -m evaluation.ask --split dev`): no false answers
)
CLAIM_MARGIN = 0.15  # claims this close to the best are shown side by side
MAX_ITEMS = 5
MAX_MESSAGE = 4096  # Telegram's limit on a message's text
MAX_SNIPPET = 700  # a single sentence or quote longer than this is cut (with an ellipsis) in the reply
CANDIDATES = 60

ItemKind = Literal["figure", "quote", "sentence"]

NOT_FOUND_TEXT = "Not in what this chat has read."
HINT_TEXT = (
    "Send me an article (a link or its text) or subscribe to a feed, then ask again. "
    "Answers come only from articles this chat has sent me."
)
_SAY_WORDS = (
    "said", "says", "told", "tells", "claimed", "claims", "stated", "announced", "warned", "reported", "added",
    "insisted", "confirmed", "denied", "admitted", "according", "wrote", "described", "vowed", "promised",
)  # fmt: skip
_TITLE_WORDS = frozenset({"mr", "mrs", "ms", "dr", "president", "prime", "minister", "general", "gen", "the"})
_TIME_CUE = re.compile(
    r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|may|june|"
    r"july|august|september|october|november|december|jan|feb|aug|sept?|oct|nov|dec|yesterday|today|"
    r"tomorrow|tonight|week|month|year|ago|since|(?:19|20)\d\d|morning|evening|night|summer|winter|spring|"
    r"autumn|dawn|dusk|noon|midnight|gmt|utc|a\.m|p\.m)\b|\b\d{1,2}[:.]\d\d\b",
    re.IGNORECASE,
)
# Numbers that are not counts: dates, years, clock times, citation marks ("[3]").
_MONTH = (
    r"(?:jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.?|january|february|march|april|may|june|july|august|"
    r"september|october|november|december"
)
_PLACE_CUE = re.compile(
    # "a native of Kamensk": where someone is from
    # "Near Tal Afar, one strike …": a sentence may open on its place, the preposition capitalised.
    r"\b(?i:in|near|at|from|outside|across|around|into|inside|along|over|off|towards?|up|natives?\s+of)\s+(?:the\s+)?"
    # "in northern Syria", "in the vicinity of Ayn Issa", "in the heart of East Mosul"
    r"(?:(?:(?:north|south)-?(?:east|west)(?:ern)?|northern|southern|eastern|western|central|north|south|east|"
    r"west|vicinity|outskirts|heart|centre|"
    r"center|suburbs?|city|town|village|region|province|district|area|capital|port)\s+(?:of\s+(?:the\s+)?)?){0,2}"
    # a month or a weekday is a time, not a place ("in March", "on Monday"); a name that only begins like
    # one is a place ("in Marea", "in Sunderland")
    r"(?!(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|"
    r"Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?|(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)(?:day)?)"
    r"\b)[A-Z][\w'-]+"
)
_ORIGIN_CUE = re.compile(r"^(?:from|natives?\s+of)\b", re.IGNORECASE)
_ORIGIN_WORDS = frozenset({"from", "native", "born", "come", "comes", "came", "hail", "hails", "hailed"})


def _gives_place(question: Question, text: str) -> bool:
    """Whether `text` names a place the where-question can be answered with. Where someone comes from
    ("a native of Lisko", "sailors from Brill") answers "Where is X from?", not where something happened."""
    origin = any(w.lower() in _ORIGIN_WORDS for w in words(question.text))
    return any(origin or not _ORIGIN_CUE.match(m.group()) for m in _PLACE_CUE.finditer(text))


_PLACE_NOUNS = word_set("figures", "place_nouns")


def _refers_to_place(text: str) -> bool:
    """Whether `text` points at a place named before it: "the city would open …", "fighting there".
    "The exercise showcased …" points at none, whatever the sentence before names."""
    return bool(_determined_words(text) & _PLACE_NOUNS) or _HERE.search(text) is not None


_NOT_A_COUNT = re.compile(
    rf"\[\d+\]|\b(?:{_MONTH})\s+\d{{1,2}}(?:st|nd|rd|th)?\b|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTH})(?!\w)"
    r"|\b(?:19|20)\d\d\b(?!\s+[a-z]+s\b)|\b\d{1,2}[:.]\d\d\b",
    re.IGNORECASE,
)
# An age as news gives one: "Al-Douri, 72,", "a 42-year-old", "aged 72", "72 years old", "boys as young
# as 12".
_AGE = re.compile(
    r"\b\d{1,3}-year-old\b|\b(?:aged|age\s+of)\s+\d{1,3}\b|\b\d{1,3}\s+years?\s+old\b|[A-Za-z],\s*\d{1,3}\s*,"
    r"|\bas\s+(?:young|old)\s+as\s+\d{1,3}\b",
    re.IGNORECASE,
)
# A stretch of time: "two months", "for 18 days", "a 12-hour siege", "three weeks on".
_DURATION = re.compile(
    r"\b(?:\d+(?:[.,]\d+)?|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|few"
    r"|fifteen|twenty|thirty|forty|fifty|hundred)[\s-]+(?:more\s+|full\s+)?"
    r"(?:second|minute|hour|day|night|week|month|year|decade)s?\b",
    re.IGNORECASE,
)
_PLACE_WORDS = frozenset({"in", "near", "at", "outside", "around", "inside", "across", "over", "from"})
# Words that end a place phrase: another preposition, a conjunction, a time ("in Kursk on Sunday").
_PHRASE_END = frozenset(
    {"on", "of", "to", "for", "by", "with", "during", "since", "and", "or", "last", "this", "after", "before"}
)
_NEAR = 3  # a counting number stands at most this many words from what it counts ("38 of the drones")
_NUMBER = re.compile(
    r"\d|\b(?:dozens?|hundreds?|thousands?|millions?|billions?|one|two|three|four|five|six|seven|eight|"
    r"nine|ten|eleven|twelve|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Source:
    title: str | None
    url: str | None
    channel: str | None  # the channel a forwarded post came from
    article_id: int


@dataclass(frozen=True)
class AnswerItem:
    kind: ItemKind
    text: str  # figure: its value; quote: the quote; sentence: the sentence (all verbatim)
    sentence: str | None  # figure or quote: the sentence it stands in
    counts: str | None  # figure: what it counts
    claimant: str | None  # figure: who claims it; quote: the speaker
    where: str | None
    when: str | None
    source: Source
    score: float
    phrase: str | None = None  # figure: value and what it counts as a reader says it ("Thousands of troops")
    # The article's published date, else the day it was received (ISO, in the chat's zone): set by
    # `answer_question` from the article each candidate is paired with.
    date: str | None = None


@dataclass(frozen=True)
class Answer:
    question: str
    kind: QuestionKind
    items: tuple[AnswerItem, ...]
    found: bool
    best_score: float  # of the best candidate, answered or not (the evaluation sweeps thresholds over it)
    scoped: bool = False  # answered from one article (a reply to its brief)
    searched: int = 0  # how many articles the answer was looked for in

    def to_html(self) -> str:
        return _render(self, html_mode=True)

    def to_text(self) -> str:
        return _render(self, html_mode=False)


# ---- scoring ---------------------------------------------------------------------------------------


# Cached: one /ask scores the same stored sentences in several rules and for many candidates (profiling at
# 1,000 stored articles put two thirds of the time in re-deriving these sets); the sets are frozen so a
# caller cannot change a shared one.
@lru_cache(maxsize=32768)
def _stems(text: str) -> frozenset[str]:
    """The stems of `text`'s words and of each pair of neighbours ("shot down"), for two-word synonyms,
    and of each part of a hyphenated word ("a 400-bed hospital" holds "bed")."""
    tokens = words(text)
    singles = [stem(w) for w in tokens]
    parts = {stem(part) for w in tokens if "-" in w for part in w.split("-") if part}
    return frozenset({*singles, *parts, *(f"{a} {b}" for a, b in zip(singles, singles[1:], strict=False))})


def _holds(term: Term, stems: set[str]) -> bool:
    if any(s in stems for s in term.stems):
        return True
    own = term.stems[0]
    # "Korea" meets "Korean", "Ukrain" meets "Ukrainian": a name's adjective or demonym. Only a name's:
    # "leads" is not met by "leaders", nor "attack" by "attackers".
    return term.is_name and len(own) >= 4 and any(s.startswith(own) for s in stems)


_DEMONYM_ENDS = frozenset({"n", "an", "ian", "i", "ese", "ish"})  # Syria-n, Jordan-ian, Iraq-i, Sudan-ese


def _holds_name(term: Term, stems: set[str]) -> bool:
    """`_holds`, and a demonym of the question met by its country: "the Jordanian army" is the article's
    "Jordan Armed Forces". Only to place a candidate in the story asked about (`names_held`): "Ukraine"
    in a sentence does not make its soldiers Ukrainian ones."""
    own = term.stems[0]
    return _holds(term, stems) or (
        term.is_name
        and any(len(s) >= 4 and own.startswith(s) and own[len(s) :] in _DEMONYM_ENDS for s in stems)
    )


def coverage(
    question: Question, text: str, *, context: str = "", title: str | None = None, earlier: str = ""
) -> float:
    """The weighted share of the question's content words that `text` holds (0..1).

    Words found only around it count half: in the `context` (the sentences just before, which a sentence
    like "More than 50 people were also wounded" leans on) or in the article's `title`; a name found in
    the title counts whole ("Kursk" for a sentence that says "there"). When the question names what
    happened ("captured"), a text holding none of those words scores half: a figure about the same
    soldiers but another event is not an answer. The asked type ("town" in "Which town …", "old" in "How
    old …") is what the answer gives, not a word it must repeat: it does not count."""
    terms = [t for t in question.terms if not t.is_type] or list(question.terms)
    total = sum(t.weight for t in terms)
    if total == 0:
        return 0.0
    stems = _stems(text)
    around = _stems(context + " " + (title or ""))
    title_stems = _stems(title) if title else set()
    score = 0.0
    event_held = False
    # "The IS group has claimed the attack": a definite noun of the question refers back to the
    # sentences before, so what they say of it ("the hospital roof") is said of it whole.
    tokens = [w.lower() for w in words(text)]
    definite = {stem(b) for a, b in zip(tokens, tokens[1:], strict=False) if a in ("the", "this", "that")}
    refers_back = any(not t.is_name and t.stems[0] in definite for t in terms)
    # "He was ranked sixth …": a sentence opening on a pronoun is about the one named just before.
    named_before = _pronoun_led(text)
    # "The 9,000 include about 700 children": a sentence that opens by referring back is about what
    # the sentence before it says happened ("9,000 people were trapped"), so that event is its own.
    before_stems = _stems(context) if _BACK_OPENING.match(text) else set()
    # What the article established earlier for this sentence (`_said_earlier`) counts whole.
    earlier_stems = _stems(earlier) if earlier else set()
    for term in terms:
        if (
            (_holds_name(term, stems) if term.is_name else _holds(term, stems))
            or (term.is_name and _holds(term, title_stems))
            or _holds(term, earlier_stems)
        ):
            score += term.weight
            event_held |= term.is_event
        elif _holds(term, around):
            carried = term.is_event and _holds(term, before_stems)
            whole = named_before if term.is_name else refers_back or carried
            score += term.weight if whole else term.weight / 2
            event_held |= carried
    score /= total
    if not event_held and any(t.is_event for t in terms):
        score *= 0.5
    return score


def names_held(question: Question, text: str, *, context: str = "", title: str | None = None) -> bool:
    """Negative evidence: whether every name the question asks about is in the candidate, the sentences
    just before it or its article's title. A sentence about Kursk that never names NATO does not answer
    "Did NATO send troops to Ukraine?", however many other words it shares."""
    held = _stems(" ".join((text, context, title or "")))
    return all(_holds_name(t, held) for t in question.terms if t.is_name or _names_by_number(question, t))


def _names_by_number(question: Question, term: Term) -> bool:
    """Whether a number of the question names which thing is asked about ("Resolution 2328", "Task
    Force 50", "in 2014"), like a name: one that is not part of what a how-many question counts ("the
    12 hostages")."""
    return term.word.isdigit() and term not in question.counted


def words_missing(question: Question, text: str) -> list[str]:
    """The question's required content words (`Term.required`) that `text` does not hold."""
    held = _stems(text)
    return [t.word for t in question.terms if t.required and not _holds(t, held)]


@lru_cache(maxsize=65536)
def _singular(word: str) -> str:
    """A plural noun's singular by the regular rules ("attackers" → attacker, "casualties" → casualty)."""
    word = word.lower().replace("’", "'").removesuffix("'s")
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


@lru_cache(maxsize=32768)
def _nouns(text: str) -> frozenset[str]:
    """The singulars of `text`'s words and of each part of a hyphenated word ("400-bed" holds bed)."""
    tokens = words(text)
    parts = [part for w in tokens if "-" in w for part in w.split("-") if part]
    return frozenset({_singular(w) for w in (*tokens, *parts)})


@lru_cache(maxsize=65536)
def _holds_noun(term: Term, text: str) -> bool:
    """Whether `text` holds the counted noun `term` or a noun it stands for, compared as nouns: Porter
    stems join "attackers" and "attacks" (both "attack"), but four attackers are not two attacks."""
    nouns = _nouns(text)
    forms = [term.word, *related_words(term.word)]
    if any(_singular(form) in nouns for form in forms if " " not in form):
        return True
    # A two-word synonym, or a noun the singular rules do not reach ("people", "men"): by stem.
    return _holds(term, _stems(text)) and not any(
        _singular(w) != _singular(term.word) and stem(w) == term.stems[0] for w in words(text)
    )


# Where a figure's counted phrase stops naming what it counts: a passive or relative clause, a place or a
# time ("vehicles hit by a strike", "soldiers who died in Kursk", "people in Aleppo").
_CLAUSE_START = frozenset(
    {"by", "who", "which", "that", "in", "at", "near", "on", "from", "during", "after", "before", "since"}
)


def _own_noun(counts: str) -> str:
    """A figure's counted phrase up to the clause after its noun ("Qaida vehicles hit by A U.S. strike"
    → "Qaida vehicles"); the whole phrase when it opens with such a word."""
    tokens = words(counts)
    for index, token in enumerate(tokens):
        if index and token.lower() in _CLAUSE_START:
            # "hit by": the participle before "by" belongs to the clause too.
            end = index - 1 if token.lower() == "by" and index > 1 else index
            return " ".join(tokens[:end])
    return counts


def _counts_the_named(question: Question, counts: str) -> bool:
    """Whether the figure counts only the people of a name of the question's counted phrase ("Syrians"
    for "How many Syrian refugees …")."""
    names = [t for t in question.counted if t.is_name]
    return len(words(counts)) == 1 and any(_holds(t, _stems(counts)) for t in names)


_HOW_MANY = re.compile(r"^\W*(?:(?:and|so|but)\s+)?how\s+many\b", re.IGNORECASE)  # a count, not a measure


def _other_event(question: Question, counts: str | None) -> bool:
    """Whether a figure counts those of another event than the asked one: "two Moroccans abducted"
    for "How many people did he kill?" (the sentence's "killed traders" is not a count)."""
    events = [t for t in question.terms if t.is_event]
    own = [w for w in words(counts or "") if is_event_word(w)]
    return bool(events and own) and not any(_holds(t, _stems(counts or "")) for t in events)


def _people_named(term: Term, counts: str) -> bool:
    """ "How many people …" is met by people counted by a name ("292 Iraqis", "40 Palestinians"): a
    capitalised plural noun opening what the figure counts."""
    tokens = words(counts)
    return (
        term.word in ("people", "persons")
        and bool(tokens)
        and tokens[0][:1].isupper()
        and tokens[0].endswith("s")
    )


_HOW_MUCH_Q = re.compile(r"^\W*(?:(?:and|so|but)\s+)?how\s+much\b", re.IGNORECASE)
_AMOUNT_SIGN = re.compile(r"[$£€¥%]|\d(?:bn|m|k)\b", re.IGNORECASE)


def _bare_count(question: Question, figure: Figure) -> bool:
    """Whether a figure counts things named by the mass noun a how-much question asks about ("16 oil
    tanker trucks", "three oil well heads" for "How much oil …"): a plain number (no sum of money, share
    or unit in its value) right before the noun. That answers "how many", never "how much"; "9,000
    tonnes of fuel" is an amount of fuel."""
    head = question.counted_head
    if head is None or figure.category in ("money", "territory") or _AMOUNT_SIGN.search(figure.value):
        return False
    first = words(figure.counts or "")[:1]
    return not _unit_of(figure.value) and bool(first) and _holds_noun(head, first[0])


def _counts_the_mass(question: Question, text: str) -> bool:
    """Whether the only amount `text` gives of a how-much question's noun is a count of things it
    names ("destroyed 12 fuel tankers"): a plain number right before the noun, no sum or share."""
    head = question.counted_head
    if head is None or _AMOUNT_SIGN.search(text):
        return False
    tokens = words(_NOT_A_COUNT.sub(" ", text))
    return any(_NUMBER.search(a) and _holds_noun(head, b) for a, b in zip(tokens, tokens[1:], strict=False))


def _unit_of(value: str) -> str:
    """The unit a figure's value is given in ("about seven miles" → miles), "" for a bare number."""
    tokens = words(value)
    last = tokens[-1] if tokens else ""
    return last if last.isalpha() and not _NUMBER.search(last) else ""


def counts_what_is_asked(
    question: Question, counts: str | None, sentence: str, category: str | None = None
) -> bool:
    """Whether a figure counts what a how-many question asks about: the counted noun ("bridges",
    "drones", or a synonym) in what the figure counts (in its sentence when the figure names no thing),
    and the names inside the counted phrase ("Ukrainian soldiers") in the figure or its own sentence."""
    head = question.counted_head
    # "How much money …" is answered by any sum of money ("a $10m bounty"): a mass noun names the
    # figure's category, not a thing that is counted.
    by_category = category is not None and category in question.measure_categories
    # What the figure counts is its own noun: "vehicles hit by a strike" are no count of strikes. People
    # counted by the name the question gives them ("650,000 Syrians" for "Syrian refugees") are what
    # the sentence says they are ("registered as refugees").
    where = sentence if not counts or _counts_the_named(question, counts) else _own_noun(counts)
    if head is not None and not by_category and not _holds_noun(head, where):
        return False
    names = [t for t in question.counted if t.is_name]
    if counts and names and not any(_holds(t, _stems(counts)) for t in names):
        # The figure names whose they are, and not the asked: "30,000 Iraqi security force personnel"
        # are not U.S. troops.
        asked = {w.lower() for w in words(question.text)}
        if any(w[:1].isupper() and w.lower() not in asked | STOP_WORDS for w in words(counts)):
            return False
    own = _stems((counts or "") + " " + sentence)
    return all(_holds(t, own) for t in names)


def _date(article: ArticleRef, tz: ZoneInfo | None = None) -> str:
    """The published date, else the day the chat received it, in the chat's time zone when known (23:30
    UTC is already tomorrow in Kyiv)."""
    received = article.received_at.astimezone(tz) if tz is not None else article.received_at
    return (article.published or "")[:10] or received.date().isoformat()


def _source(article: ArticleRef) -> Source:
    return Source(article.title, article.url, article.channel, article.article_id)


def _newest_first(items: list[tuple[AnswerItem, ArticleRef]]) -> list[AnswerItem]:
    ordered = sorted(items, key=lambda pair: (pair[1].received_at, pair[1].article_id), reverse=True)
    return [item for item, _ in ordered]


def _dedupe(items: list[AnswerItem]) -> list[AnswerItem]:
    """One item per distinct text and claimant: the same article stored twice is cited once."""
    seen: set[tuple[str, str, str]] = set()
    kept: list[AnswerItem] = []
    for item in items:
        key = (item.kind, fold(item.text + " " + (item.sentence or "")), fold(item.claimant or ""))
        if key not in seen:
            seen.add(key)
            kept.append(item)
    return kept


def _sentence_item(match: SentenceMatch, score: float, figures: list[Figure] = ()) -> AnswerItem:  # type: ignore[assignment]
    where = next((f.where for f in figures if f.where), None)
    when = next((f.when for f in figures if f.when), None)
    return AnswerItem(
        kind="sentence",
        text=match.text,
        sentence=None,
        counts=None,
        claimant=None,
        where=where,
        when=when,
        source=_source(match.article),
        score=score,
    )


# A capitalised word past the start of a sentence, or dotted initials ("U.S.-led", "U.N.").
_CAPITALISED = re.compile(r"(?<![.!?]\s)(?<!^)\b(?:(?:[A-Z]\.){2,}|[A-Z][\w'’-]+)")
_PRONOUNS = frozenset({"he", "she", "they", "it", "who", "which", "that", "i", "we", "you"})


_NAMING = word_set("", "ask_naming")


def _gives_name(text: str) -> bool:
    """Whether `text` gives a name with a naming word ("born Badran …", "known as", "code-named")."""
    tokens = [w.lower() for w in words(text)]
    pairs = {f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False)}
    return any(t in _NAMING for t in tokens) or bool(pairs & _NAMING)


def _names_someone(text: str, question: Question) -> bool:
    """Whether `text` names a person or group the question does not: a capitalised word past the start of
    a sentence that is not one of the question's own words."""
    asked = {w.lower() for w in words(question.text)}
    return any(m.group().lower() not in asked for m in _CAPITALISED.finditer(text.strip()))


# Words that report a death with no one doing it: they meet "killed" in a count, never "who killed".
_NO_DOER = frozenset(
    stem(w)
    for w in (
        "died",
        "die",
        "dies",
        "dying",
        "dead",
        "death",
        "deaths",
        "fatalities",
        "fatality",
        "perished",
        "lives",
    )
)


_SUBORDINATORS = frozenset({"after", "before", "when", "while", "since", "until", "because", "as", "once"})


def _has_doer(question: Question, text: str) -> bool:
    """Whether `text` can say who did what a who-question asks ("Who killed X?"): its event word is met
    by a word of doing ("killed", "shot"), not only by a state that has no doer ("X died")."""
    # "Who did X take orders from after Zarqawi died?": a clause after the asked verb is a time, not the deed.
    own = set()
    for word in words(question.text):
        if word.lower() in _SUBORDINATORS:
            break
        own.add(word.lower())
    events = [t for t in question.terms if t.is_event and t.word.split()[0] in own]
    if not events:
        return _does_the_deed(question, text)
    held = _stems(text) - _NO_DOER
    # "Who killed Rusk?" asks the doer (a sentence where he "was killed" names none); "Who was killed?"
    # asks the one it was done to.
    asks_doer = not _passive_at(words(question.text), events)
    return (
        all(_holds(t, held) for t in events)
        and not _done_to_another(question, text, events)
        and not (asks_doer and _passive_at(words(text), events))
    )


_PASSIVE = frozenset({"was", "were", "been", "be", "being", "is", "are", "got"})


def _passive_at(tokens: list[str], events: list[Term]) -> bool:
    """Whether every mention of the deed in `tokens` is passive with no doer after it: "Rusk, who was
    killed yesterday near Halm" says he was killed, not by whom ("was killed by a sniper" names one).
    "Who killed Rusk?" asks the doer; "Who was killed?" asks the one it was done to."""
    hits = [i for i, token in enumerate(tokens) if any(_holds(t, _stems(token)) for t in events)]

    def passive(index: int) -> bool:
        if not any(w.lower() in _PASSIVE for w in tokens[max(0, index - 2) : index]):
            return False
        return not any(w.lower() == "by" for w in tokens[index + 1 : index + 1 + _SAID_WINDOW])

    return bool(hits) and all(passive(i) for i in hits)


_DOING = ("carried out", *related_words("carried out"))  # "carry out", "conducted", …
_DOING_VERBS = word_set("", "ask_doing_verbs")


def _does_the_deed(question: Question, text: str) -> bool:
    """ "Who carried out the raid?" asks for the doer of the raid, so the answer must say it was done: the
    verb of doing or a synonym ("was carried out by", "conducted"), a claim of it, the deed as a verb
    ("raided"), or the deed's doer named on it ("the Brigade's raid", "the raid by the Brigade"). A
    sentence in which someone condemned the raid names no doer of it."""
    tokens = [w.lower() for w in words(question.text)]
    pairs = {f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False)}
    if not pairs & set(_DOING):
        return True
    held = _stems(text)
    if any(stem(phrase) in held for phrase in _DOING) or _says_claimed(text):
        return True
    deeds = {t.stems[0] for t in question.terms if not t.is_name}
    own = words(text)
    for index, word in enumerate(own):
        if stem(word) not in deeds:
            continue
        if word.lower().endswith("ed"):
            return True
        before = own[max(0, index - _NEAR) : index]
        if any(w[:1].isupper() and w.endswith(("'s", "’s")) for w in before):
            return True
        if any(w.lower() in _DOING_VERBS for w in before):
            return True  # "the brigade staged a raid"
        after = [w for w in own[index + 1 : index + 4] if w.lower() != "the"]
        if len(after) > 1 and after[0].lower() == "by" and after[1][:1].isupper():
            return True  # "the raid by the Grey Brigade"
    return False


_OF_WORDS = frozenset({"on", "in", "of", "at", "near", "for"})


def _another_of_its_kind(question: Question, text: str) -> bool:
    """Whether `text` is about another thing of the kind the question names by a name: "the raid on
    Kassel" for "Who carried out the raid on Pellin?" (Pellin only in the sentence before), "the Mosul
    Dam" for "Which company built the Samarra dam?". The same noun (and preposition), another name."""
    asked = words(question.text)
    lowered = {w.lower() for w in asked}
    # ("raid", "on"): a noun, a preposition and a name; ("dam", ""): a name and the noun it names.
    kinds = {
        (stem(a), b.lower())
        for a, b, c in zip(asked, asked[1:], asked[2:], strict=False)
        if a[:1].islower() and b.lower() in _OF_WORDS and c[:1].isupper()
    } | {
        (stem(b), "")
        for a, b in zip(asked[1:], asked[2:], strict=False)
        if a[:1].isupper() and b[:1].islower()
    }
    if not kinds:
        return False
    tokens = [w for w in words(text) if w.lower() != "the"]
    other = any(
        (stem(a), b.lower()) in kinds and c[:1].isupper() and c.lower() not in lowered
        for a, b, c in zip(tokens, tokens[1:], tokens[2:], strict=False)
    ) or any(
        (stem(b), "") in kinds and a[:1].isupper() and a.lower() not in lowered and index > 0
        for index, (a, b) in enumerate(zip(tokens, tokens[1:], strict=False))
    )
    return other and not all(_holds_name(t, _stems(text)) for t in question.terms if t.is_name)


def _done_to_another(question: Question, text: str, events: list[Term]) -> bool:
    """Whether every mention of the deed in `text` is of it done to someone the question does not name:
    "the killing of Mayor Rusu" says nothing of who killed Varga."""
    if not question.names:
        return False
    tokens = words(text)
    asked = {w.lower() for w in words(question.text)}
    # The deed as done ("killed"), not a death with no doer ("after Vell died").
    hits = [
        i
        for i, token in enumerate(tokens)
        if stem(token) not in _NO_DOER and any(_holds(t, _stems(token)) for t in events)
    ]

    def of_another(index: int) -> bool:
        # "Ghadiya was killed in a raid": the one it was done to is the passive's subject.
        before = tokens[max(0, index - 2) : index]
        if len(before) == 2 and before[1].lower() in _PASSIVE:
            return before[0][:1].isupper() and before[0].lower() not in asked | _PRONOUNS
        after = [w for w in tokens[index + 1 : index + 5] if w.lower() not in _TITLE_WORDS]
        if not after or after[0].lower() != "of" or len(after) < 2:
            return False
        return after[1][:1].isupper() and after[1].lower() not in asked

    return bool(hits) and all(of_another(i) for i in hits)


def _count_near(question: Question, text: str) -> bool:
    """Whether `text` holds a number that counts what is asked, not any number: one just before the
    counted noun ("the three fatalities", "38 of the drones", "all four attackers"); for a count of
    people, or a question naming no noun, one next to what happened ("killed at least 27"). Dates, years,
    clock times and citation marks are not counts. A question asking for neither (a distance, a size)
    takes any number."""
    tokens = words(_NOT_A_COUNT.sub(" ", text))
    numbers = [i for i, token in enumerate(tokens) if _NUMBER.search(token)]
    head = question.counted_head
    if head is not None:
        heads = [i for i, token in enumerate(tokens) if _holds_noun(head, token)]
        asked = {w.lower() for w in words(question.text)}

        def of_others(n: int, h: int) -> bool:
            # "3,000 Ukrainian troops" for "how many U.S. troops": a name between them that is not asked.
            # When the counted noun is capitalised too ("94 Citizen Airmen"), the words between are its
            # title-case name, not whose it is.
            if tokens[h][:1].isupper():
                return False
            return any(w[:1].isupper() and w.lower() not in asked | STOP_WORDS for w in tokens[n + 1 : h])

        def own_noun_between(n: int, h: int) -> bool:
            # "23 strikes using attack aircraft": the number counts the plural right after it.
            return any(
                w[:1].islower() and len(w) > 3 and w.endswith("s") and not w.endswith("ss")
                for w in tokens[n + 1 : h]
            )

        return any(
            (0 < h - n <= _NEAR and not of_others(n, h) and not own_noun_between(n, h))
            or (h == n and "-" in tokens[n])
            for n in numbers
            for h in heads
        )
    anchors_terms = [t for t in question.terms if t in question.counted or t.is_event]
    if not anchors_terms:
        return bool(numbers)
    anchors = [i for i, token in enumerate(tokens) if any(_holds(t, _stems(token)) for t in anchors_terms)]
    return any(0 < abs(a - n) <= _NEAR for n in numbers for a in anchors)


def _asked_places(question: Question) -> list[Term]:
    """The words of the place a question asks about: a phrase after a place preposition, up to the next
    preposition ("in Aleppo", "near Mosul", "at the Baghdad market" → Baghdad, market)."""
    tokens = [w.lower() for w in words(question.text)]
    places: set[str] = set()
    for index, token in enumerate(tokens):
        if token not in _PLACE_WORDS:
            continue
        for later in tokens[index + 1 :]:
            if later in _PLACE_WORDS or later in _PHRASE_END:
                break
            places.add(later)
    return [t for t in question.terms if not t.is_event and t.word.split()[0] in places]


def _elsewhere(
    question: Question, sentence: str, where: str | None, context: str = "", title: str | None = None
) -> bool:
    """Whether a count happened somewhere other than the place asked about: it names its own place (the
    figure's `where`, or a place in its sentence) and the asked place is only in an earlier sentence.
    Three killed in Erbil do not answer "how many were killed in Aleppo?", nor a toll in a Baghdad
    neighbourhood "how many were killed at the Baghdad market?". A name in the article's title is the
    whole article's ("Operation Steel Curtain")."""
    named = _stems(title) if title else set()
    if any(
        not _holds(t, _stems(" ".join((sentence, context, title or "")))) for t in _asked_places(question)
    ):
        return True  # the place asked about is not even around it: "at the Baghdad market"
    if not where and not _PLACE_CUE.search(sentence):
        return False
    own = _stems(sentence + " " + (where or ""))
    return any(not _holds(t, own) and not (t.is_name and _holds(t, named)) for t in _asked_places(question))


_CLAIM_STEMS = frozenset({"claim", "respons", "behind"})
_NEGATORS = frozenset({"no", "not", "never", "nobody", "none", "neither", "nor", "without", "nothing"})
_NEGATION_REACH = 4  # "no group has claimed", "had not been given": a negator this few words before


def _negated_at(tokens: list[str], index: int) -> bool:
    return any(t in _NEGATORS or t.endswith("n't") for t in tokens[max(0, index - _NEGATION_REACH) : index])


def _says_claimed(text: str) -> bool:
    """Whether `text` says someone claimed a deed (and not that no one has)."""
    tokens = [t.lower() for t in words(text)]
    return any(stem(t) in _CLAIM_STEMS and not _negated_at(tokens, i) for i, t in enumerate(tokens))


def _denies(question: Question, text: str) -> bool:
    """Whether `text` holds what the question says happened only under a negation ("So far no group has
    claimed it", "relatives have not been given compensation"): that is evidence it did not happen, no
    answer to when, where or who it happened."""
    events = [t for t in question.terms if t.is_event]
    tokens = [t.lower() for t in words(text)]
    hits = [i for i, token in enumerate(tokens) if any(_holds(t, _stems(token)) for t in events)]
    return bool(hits) and all(_negated_at(tokens, i) for i in hits)


_CONDITIONS = frozenset({"once", "if", "unless"})
_CONDITION_REACH = 2  # "once ratified", "once entered into force", "if it is signed"


def _only_on_condition(question: Question, text: str) -> bool:
    """Whether `text` holds what the question asks the time of only as a condition ("a pact that, once
    ratified, will reopen the harbour"): the time it gives ("Today") is of another event, not of that."""
    events = [t for t in question.terms if t.is_event]
    tokens = [t.lower() for t in words(text)]
    # A two-word event ("into force") is looked for at its first word.
    hits = [
        i
        for i, token in enumerate(tokens)
        if any(_holds(t, _stems(" ".join(tokens[i : i + 2]) if " " in t.word else token)) for t in events)
    ]
    return bool(hits) and all(
        any(t in _CONDITIONS for t in tokens[max(0, i - _CONDITION_REACH) : i]) for i in hits
    )


_PRONOUN_SUBJECT = re.compile(r"^\W*(?:he|she|his|her|they|their|it|its)\b", re.IGNORECASE)
_FOLLOWERS = 2  # sentences after a name that go on about it with a pronoun ("He … had a $10m bounty")


def _pronoun_led(text: str) -> bool:
    return _PRONOUN_SUBJECT.match(text) is not None


# "The 9,000 …", "These 40 …", "Those killed …", "Of them, …": an opening that points at the sentence before.
_BACK_OPENING = re.compile(
    r"^\W*(?:(?:the|these|those)\s+\d[\d,.]*\b|these\b|those\b|of\s+(?:them|these|those)\b)", re.IGNORECASE
)


_EARLIER = 40  # sentences back that a name given in full is looked for in ("Karim" after "Karim Wasifi")


def _name_terms(question: Question, name: str) -> list[Term]:
    own = {w.lower() for w in words(name)}
    return [t for t in question.terms if t.is_name and t.word in own]


# "died here", "fighting there": a place adverb, not "there were" / "there is" (which names no place).
_HERE = re.compile(r"\bhere\b|\bthere\b(?!\s+(?:is|are|was|were|has|have|had|will|would|may|might)\b)", re.I)


def _place_term(question: Question, word: str) -> list[Term]:
    return [t for t in question.terms if t.word == word]


def _compounds(question: Question) -> list[tuple[Term, Term]]:
    """The question's two-word nouns of plain words ("conference call", "hospital attack"): a modifier
    and its head, which an article names whole once and then by the head alone ("the call")."""
    plain = {t.word: t for t in question.terms if not t.is_name and not t.is_type and " " not in t.word}
    tokens = [w.lower() for w in words(question.text)]
    return [
        (plain[a], plain[b]) for a, b in zip(tokens, tokens[1:], strict=False) if a in plain and b in plain
    ]


@lru_cache(maxsize=32768)
def _determined_words(text: str) -> frozenset[str]:
    """The lower-cased words right after "the", "this" or "that" in `text`."""
    tokens = [w.lower() for w in words(text)]
    return frozenset(b for a, b in zip(tokens, tokens[1:], strict=False) if a in ("the", "this", "that"))


@lru_cache(maxsize=32768)
def _definite_heads(text: str) -> frozenset[str]:
    return frozenset(stem(w) for w in _determined_words(text))


async def _said_earlier(
    db: Database, chat_id: int, question: Question, matches: list[SentenceMatch], before: dict
) -> dict[tuple[int, int], str]:
    """For each candidate, what its article established earlier that the candidate refers to in short,
    keyed by (article, sentence): a name of the question given in full ("Karim Wasifi") when the
    candidate holds a capitalised part of it ("Karim"), and a compound noun's modifier ("conference")
    when the candidate holds its head with a definite article ("the call"). News names a person or a
    thing in full once, then short."""
    names = [n for n in question.names if len(_name_terms(question, n)) > 1]
    compounds = _compounds(question)
    # "292 Iraqis died here": the asked place ("in the Karrada attack") the article named before.
    places = [t for t in _asked_places(question) if t.is_name]
    partial: dict[tuple[int, int], list[str]] = {}
    heads: dict[tuple[int, int], list[tuple[Term, Term]]] = {}
    for m in matches:
        key = (m.article.article_id, m.sentence)
        around = m.text + " " + before.get(key, "")
        # The short form is itself written as a name: "the operation" is no short form of "Operation Amber".
        held = _stems(" ".join(w for w in words(around) if w[:1].isupper()))
        for name in names:
            hits = [_holds(t, held) for t in _name_terms(question, name)]
            if any(hits) and not all(hits):
                partial.setdefault(key, []).append(name)
        if _HERE.search(m.text):
            for place in places:
                if not _holds(place, _stems(around)):
                    partial.setdefault(key, []).append(place.word)
        definite, own = _definite_heads(m.text), _stems(around)
        for modifier, head in compounds:
            if any(s in definite for s in head.stems) and not _holds(modifier, own):
                heads.setdefault(key, []).append((modifier, head))
    if not partial and not heads:
        return {}
    earlier = await sentences_before(db, chat_id, list({**partial, **heads}), count=_EARLIER)
    found: dict[tuple[int, int], str] = {}
    for key in {**partial, **heads}:
        sentences = [_stems(sentence) for sentence in _SPLIT.split(earlier.get(key, ""))]
        # The name given whole in one sentence, not its words scattered over many.
        said = [
            n
            for n in partial.get(key, [])
            if any(
                all(_holds(t, own) for t in _name_terms(question, n) or _place_term(question, n))
                for own in sentences
            )
        ]
        pairs = {pair for own in sentences for pair in own if " " in pair}
        said += [
            modifier.word
            for modifier, head in heads.get(key, [])
            if any(f"{m} {h}" in pairs for m in modifier.stems for h in head.stems)
        ]
        if said:
            found[key] = " ".join(said)
    return found


_SPLIT = re.compile(r"(?<=[.!?])\s+")


async def _candidates(
    db: Database, chat_id: int, question: Question, article_id: int | None
) -> list[SentenceMatch]:
    """BM25 candidates, and after each that names someone the question names the sentences that go on
    about them with a pronoun ("Al-Douri was deemed …. He … had a $10m bounty on his head."): the index
    cannot find those by the name they never repeat."""
    matches = await sentence_matches(
        db, chat_id, question.search_words, article_id=article_id, limit=CANDIDATES
    )
    names = [t for t in question.terms if t.is_name]
    if not names or not matches:
        return matches
    have = {(m.article.article_id, m.sentence) for m in matches}
    naming = [m for m in matches if any(_holds(t, _stems(m.text)) for t in names)]
    wanted = [
        (m.article.article_id, m.sentence + step)
        for m in naming
        for step in range(1, _FOLLOWERS + 1)
        if (m.article.article_id, m.sentence + step) not in have
    ]
    texts = await sentences_at(db, chat_id, wanted)
    low = min(m.bm25 for m in matches)
    added: list[SentenceMatch] = []
    for m in naming:
        for step in range(1, _FOLLOWERS + 1):
            key = (m.article.article_id, m.sentence + step)
            text = texts.get(key)
            if text is None or not _pronoun_led(text):
                break  # the chain of pronouns ends: a later sentence may be about someone else
            if key not in have:
                have.add(key)
                added.append(SentenceMatch(m.article, key[1], text, low))
    return matches + added


# ---- the question types ----------------------------------------------------------------------------


async def _how_many(
    db: Database, chat_id: int, question: Question, article_id: int | None, threshold: float
) -> list[tuple[AnswerItem, ArticleRef]]:
    matches = await _candidates(db, chat_id, question, article_id)
    keys = [(m.article.article_id, m.sentence) for m in matches]
    figures, _ = await facts_in_sentences(db, chat_id, keys)
    before = await sentences_before(db, chat_id, keys)
    earlier = await _said_earlier(db, chat_id, question, matches, before)
    scored: list[tuple[AnswerItem, ArticleRef]] = []
    sentences: list[tuple[AnswerItem, ArticleRef]] = []
    for match in matches:
        key = (match.article.article_id, match.sentence)
        found = figures.get(key, [])
        # What the article said in full earlier ("the conference call", "Karim Wasifi").
        extra = earlier.get(key, "")
        title = " ".join(x for x in (match.article.title, extra) if x) or None
        if question.asks_age or question.asks_duration:
            # Only an age answers "how old", only a stretch of time "how long will …": a sentence with a
            # date (or a count of the people asked about) and the name is no answer.
            pattern = _AGE if question.asks_age else _DURATION
            if pattern.search(match.text) and names_held(
                question, match.text, context=before.get(key, ""), title=title
            ):
                held = coverage(question, match.text, context=before.get(key, ""), title=title, earlier=extra)
                sentences.append((_sentence_item(match, held * 0.95), match.article))
            continue
        answering = 0  # figures of this sentence that count what is asked
        other_event = False  # a figure of this sentence counts those of another event
        for figure in found:
            context = " ".join(
                x or "" for x in (match.text, figure.counts, figure.claimed_by, figure.where, figure.when)
            )
            if question.counted_head is not None and figure.category in question.measure_categories:
                context += " " + question.counted_head.word  # "$10m" is money: it need not say so
            # What the figure counts must be what is asked: "six villages" in a sentence about evacuated
            # residents does not answer "how many residents were evacuated"; nor do "30 soldiers" answer
            # "how many Ukrainian soldiers" when the sentence never says whose.
            if not counts_what_is_asked(
                question, figure.counts, match.text, figure.category
            ) or not names_held(question, context, context=before.get(key, ""), title=title):
                continue
            if _elsewhere(question, match.text, figure.where, before.get(key, ""), title):
                continue
            # A measure that names nothing it counts ("about seven miles") is no count of a noun that
            # stands elsewhere in its sentence ("asked volunteers to …").
            if _other_event(question, figure.counts):
                other_event = True
                continue
            if (
                figure.category == "money"
                and _HOW_MANY.match(question.text)
                and "money" not in question.categories
            ):
                continue  # "a grant of $200,000 … by a team of masons" is no count of masons
            if _HOW_MUCH_Q.match(question.text) and _bare_count(question, figure):
                continue  # "How much oil …" asks an amount: "16 oil tanker trucks" count trucks
            unit = _unit_of(figure.value) if not figure.counts else ""
            head = question.counted_head
            if unit and head is not None and _HOW_MANY.match(question.text) and not _holds_noun(head, unit):
                continue
            answering += 1
            if question.counted_head is not None:
                counted = 1.0  # the gate above: it counts the asked noun
            elif question.counted and figure.counts:
                # "How many people …": the share of the counted words ("people") it says it counts.
                own = _stems(figure.counts)
                counted = sum(_holds(t, own) or _people_named(t, figure.counts) for t in question.counted)
                counted /= len(question.counted)
            else:
                counted = coverage(question, figure.counts) if figure.counts else 0.5
            held = coverage(question, context, context=before.get(key, ""), title=title, earlier=extra)
            score = 0.75 * held + 0.25 * counted
            if question.categories and figure.category not in question.categories:
                score *= 0.85 if figure.category == "other" else 0.6
            elif not question.categories and figure.category == "time":
                score *= 0.6  # "three years" rarely answers "how many" about people or things
            item = AnswerItem(
                kind="figure",
                text=figure.value,
                sentence=match.text,
                counts=figure.counts,
                claimant=figure.claimed_by,
                where=figure.where,
                when=figure.when,
                source=_source(match.article),
                score=score,
                phrase=counted_phrase(figure),
            )
            scored.append((item, match.article))
        if (
            not answering
            # "killed or wounded at least 30 soldiers … where Ukraine has seized territory": the number
            # is the figure of another event, not a count of the seized.
            and not other_event
            and _count_near(question, match.text)
            # "How much …" asks an amount: a sentence of counted things holds none.
            and not (_HOW_MUCH_Q.match(question.text) and _counts_the_mass(question, match.text))
            and not _elsewhere(question, match.text, None, before.get(key, ""), title)
            and counts_what_is_asked(question, None, match.text)
            and names_held(question, match.text, context=before.get(key, ""), title=title)
        ):
            # A number the figure extractor did not take (or took as counting something else): the whole
            # sentence, verbatim, scored a little lower.
            score = (
                coverage(question, match.text, context=before.get(key, ""), title=title, earlier=extra) * 0.9
            )
            sentences.append((_sentence_item(match, score), match.article))
    # Sentences stand in only when no stored figure answers.
    return scored if any(item.score >= threshold for item, _ in scored) else scored + sentences


async def _who_said(
    db: Database, chat_id: int, question: Question, article_id: int | None
) -> list[tuple[AnswerItem, ArticleRef]]:
    if question.speaker is None:
        return await _quotes_by_content(db, chat_id, question, article_id)
    key = speaker_key(question.speaker)
    if not key:
        return []
    rows = [
        row
        for row in await quotes_by_speaker(db, chat_id, key, article_id=article_id)
        if same_speaker(question.speaker, row.statement.speaker)
    ]
    if not rows:
        return await _speaker_sentences(db, chat_id, question, key, article_id)
    scored: list[tuple[AnswerItem, ArticleRef]] = []
    for row in rows:
        # No topic: every quote of that speaker answers. With one: how well the quote holds it, all of
        # its sentences (a quote runs on past the sentence it is stored under).
        text = row.sentence_text + " " + row.statement.quote
        score = coverage(question, text) if question.terms else 1.0
        item = AnswerItem(
            kind="quote",
            text=row.statement.quote,
            sentence=row.sentence_text,
            counts=None,
            claimant=row.statement.speaker,
            where=None,
            when=None,
            source=_source(row.article),
            score=score,
        )
        scored.append((item, row.article))
    if question.terms:
        # A quote the extractor gave to someone else ("“… the key to global reach, “Caughlin said.") is
        # still in a sentence that names the speaker saying it.
        scored += await _speaker_sentences(db, chat_id, question, key, article_id)
    return scored


async def _quotes_by_content(
    db: Database, chat_id: int, question: Question, article_id: int | None
) -> list[tuple[AnswerItem, ArticleRef]]:
    """ "Who said the losses were noticeable?": quotes whose text holds the question's words."""
    matches = await sentence_matches(
        db, chat_id, question.search_words, article_id=article_id, limit=CANDIDATES
    )
    _, quotes = await facts_in_sentences(db, chat_id, [(m.article.article_id, m.sentence) for m in matches])
    scored: list[tuple[AnswerItem, ArticleRef]] = []
    for match in matches:
        # "Who said the dam was hit in Kherson?": a quote from an article that never names Kherson is
        # not the one asked about.
        if not names_held(question, match.text, title=match.article.title):
            continue
        for statement in quotes.get((match.article.article_id, match.sentence), []):
            item = AnswerItem(
                kind="quote",
                text=statement.quote,
                sentence=match.text,
                counts=None,
                claimant=statement.speaker,
                where=None,
                when=None,
                source=_source(match.article),
                score=coverage(question, statement.quote),
            )
            scored.append((item, match.article))
    return scored


# A verb of saying as a verb ("said", "told"), not a noun that shares its stem ("the report", "claims").
_SAID_FORMS = frozenset(_SAY_WORDS) - {"according", "claims"}
# Words before a name that make it the object of the sentence, not the one speaking ("critics of Mr
# Putin", "accusing President Putin").
_NOT_SUBJECT = frozenset({"of", "for", "about", "against", "accusing", "accused", "to", "by", "with", "on"})
_SAID_WINDOW = 6  # words from the speaker's name to the verb: "Zelensky, in a video address, said"


def _says(key: str, text: str) -> bool:
    """Whether `text` has the speaker `key` saying something: the name followed within a few words by a
    verb of saying ("Zelensky said", "Mr Yashin, who presented the report, said") or just after one
    ("said Zelensky"), "according to Zelensky", and not the object of another's words ("critics of Mr
    Putin praised …", "the report, entitled Putin")."""
    tokens = [t.lower() for t in words(text)]
    own = stem(key)
    for index, token in enumerate(tokens):
        if stem(token) != own:
            continue
        before = [t for t in tokens[max(0, index - 3) : index] if t not in _TITLE_WORDS]
        if before[-2:] == ["according", "to"]:
            return True
        if before and before[-1] in _NOT_SUBJECT:
            continue
        after = tokens[index + 1 : index + 1 + _SAID_WINDOW]
        if any(t in _SAID_FORMS for t in after) or (before and before[-1] in _SAID_FORMS - {"told"}):
            return True
    return False


async def _speaker_sentences(
    db: Database, chat_id: int, question: Question, key: str, article_id: int | None
) -> list[tuple[AnswerItem, ArticleRef]]:
    """No stored quote by that speaker: sentences naming them with a verb of saying, verbatim, so the
    reader sees the attribution as the article wrote it rather than one we made."""
    matches = await sentence_matches(db, chat_id, [key], article_id=article_id, limit=CANDIDATES)
    scored: list[tuple[AnswerItem, ArticleRef]] = []
    for match in matches:
        if not _says(key, match.text):
            continue
        score = coverage(question, match.text) if question.terms else 1.0
        scored.append((_sentence_item(match, score * 0.9), match.article))
    return scored


async def _by_sentence(
    db: Database, chat_id: int, question: Question, article_id: int | None
) -> list[tuple[AnswerItem, ArticleRef]]:
    """where / when / anything else: BM25 candidates re-ranked by overlap of content words and names."""
    matches = await _candidates(db, chat_id, question, article_id)
    if not matches:
        return []
    keys = [(m.article.article_id, m.sentence) for m in matches]
    figures, _ = await facts_in_sentences(db, chat_id, keys)
    before = await sentences_before(db, chat_id, keys)
    top_bm25 = max(m.bm25 for m in matches) or 1.0
    earlier = await _said_earlier(db, chat_id, question, matches, before)
    scored: list[tuple[AnswerItem, ArticleRef]] = []
    for match in matches:
        key = (match.article.article_id, match.sentence)
        found = figures.get(key, [])
        # A name the article gave in full earlier stands like one in its title.
        title = " ".join(x for x in (match.article.title, earlier.get(key)) if x) or None
        if not names_held(question, match.text, context=before.get(key, ""), title=title):
            continue
        # Every content word of the question must be in the sentence or just before it: "When did the
        # ceasefire in Lebanon start?" is not answered by when something else in Lebanon started.
        if words_missing(question, " ".join((match.text, before.get(key, ""), earlier.get(key, "")))):
            continue
        score = coverage(
            question, match.text, context=before.get(key, ""), title=title, earlier=earlier.get(key, "")
        )
        # An answer holds what the question asks for: a date or time for "when", a person or group for
        # "who", a place for "where"; a sentence without one is no answer, however many words it shares
        # with the question.
        if question.kind == "when" and not (_TIME_CUE.search(match.text) or any(f.when for f in found)):
            continue
        if question.kind == "when" and _only_on_condition(question, match.text):
            continue
        if question.asks_measure and not _NUMBER.search(_NOT_A_COUNT.sub(" ", match.text)):
            continue  # "How fast is it growing?" is answered by a rate, not by "it is growing"
        if question.asks_claim and not _says_claimed(match.text):
            continue  # "The daily Yeni Safak said its offices … were attacked" says nothing of who did it
        if not question.negated and _denies(question, match.text):
            continue
        if _another_of_its_kind(question, match.text):
            continue
        if question.asks_name and not _gives_name(match.text):
            continue  # "What was X's real name?" is answered by "born …", "known as …"
        if (question.kind == "who" or question.asks_body) and not _names_someone(match.text, question):
            continue  # "Which company built the Orsk bridge?" is not answered by "The Orsk bridge spans …"
        if question.said_deed and stem(question.said_deed) not in _stems(match.text):
            continue  # "Who announced the truce?" is answered by "the truce announced by …"
        if question.kind == "who" and not _has_doer(question, match.text):
            continue  # "Booker died in Jordan" names no one who killed him
        if question.kind == "where" and not (
            _gives_place(question, match.text) or any(f.where for f in found)
        ):
            # The place may be one the sentence refers back to ("the city would open four shelters"),
            # scored lower; with no place in it or just before it, it is no answer.
            if not (_refers_to_place(match.text) and _gives_place(question, before.get(key, ""))):
                continue
            score *= 0.7
        score += 0.02 * max(0.0, match.bm25 / top_bm25)  # BM25 only breaks ties
        scored.append((_sentence_item(match, min(score, 1.0), found), match.article))
    return scored


# ---- the engine --------------------------------------------------------------------------------------


def _select(
    question: Question, scored: list[tuple[AnswerItem, ArticleRef]], threshold: float
) -> list[AnswerItem]:
    if not scored:
        return []
    best = max(item.score for item, _ in scored)
    if best < threshold:
        return []
    floor = max(threshold, best - CLAIM_MARGIN)
    kept = [(item, article) for item, article in scored if item.score >= floor]
    if question.kind in ("how_many", "who_said"):
        # Different claims about the same thing, side by side, newest first.
        items = _newest_first(kept)
    else:
        kept.sort(key=lambda pair: (-pair[0].score, -pair[1].received_at.timestamp(), pair[1].article_id))
        items = [item for item, _ in kept]
    return _dedupe(items)[:MAX_ITEMS]


async def answer_question(
    db: Database,
    chat_id: int,
    question: str | Question,
    *,
    article_id: int | None = None,
    threshold: float = ANSWER_THRESHOLD,
    tz: ZoneInfo | None = None,
) -> Answer:
    """Answer `question` from chat `chat_id`'s stored articles (only article `article_id` when given);
    received dates are given in `tz`, the chat's time zone."""
    analysis = question if isinstance(question, Question) else analyze_question(question)
    if analysis.kind == "how_many":
        scored = await _how_many(db, chat_id, analysis, article_id, threshold)
    elif analysis.kind == "who_said":
        scored = await _who_said(db, chat_id, analysis, article_id)
    else:
        scored = await _by_sentence(db, chat_id, analysis, article_id)
    # Each candidate's date comes from its article, once, in the chat's zone.
    scored = [(replace(item, date=_date(article, tz)), article) for item, article in scored]
    best = max((item.score for item, _ in scored), default=0.0)
    items = _select(analysis, scored, threshold)
    searched = 1 if article_id is not None else await db.articles.count(chat_id)
    return Answer(
        question=analysis.text,
        kind=analysis.kind,
        items=tuple(items),
        found=bool(items),
        best_score=round(best, 4),
        scoped=article_id is not None,
        searched=searched,
    )


# ---- rendering --------------------------------------------------------------------------------------


def _cut(text: str, limit: int = MAX_SNIPPET) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _esc(text: str, html_mode: bool) -> str:
    return html.escape(text, quote=False) if html_mode else text


def _cite(item: AnswerItem, html_mode: bool) -> str:
    source = item.source
    name = source.title or source.channel or (source.url and _cut(source.url, 80)) or "text sent to this chat"
    name = _cut(name, 200)
    if html_mode and source.url:
        label = f'<a href="{html.escape(source.url, quote=True)}">{_esc(name, True)}</a>'
    elif source.url and name != source.url:
        label = f"{name} <{source.url}>"
    else:
        label = _esc(name, html_mode)
    if source.channel and source.title and source.channel != source.title:
        label += " " + _esc(f"(channel {source.channel})", html_mode)
    return f"{label}, {item.date}" if item.date else label


def _render_item(item: AnswerItem, html_mode: bool) -> str:
    def bold(text: str) -> str:
        return f"<b>{_esc(text, True)}</b>" if html_mode else text

    lines: list[str] = []
    if item.kind == "figure":
        head = bold(item.text)
        if item.phrase and item.phrase.startswith(item.text):
            head += _esc(item.phrase[len(item.text) :], html_mode)
        elif item.counts:
            head += " " + _esc(item.counts, html_mode)
        details = [
            label + _esc(_cut(value, 200), html_mode)
            for label, value in (
                ("claimed by ", item.claimant),
                ("where: ", item.where),
                ("when: ", item.when),
            )
            if value
        ]
        lines.append("• " + head + (" — " + "; ".join(details) if details else ""))
        if item.sentence:
            lines.append("  “" + _esc(_cut(item.sentence), html_mode) + "”")
    elif item.kind == "quote":
        lines.append(
            "• " + bold((item.claimant or "Someone") + ":") + " “" + _esc(_cut(item.text), html_mode) + "”"
        )
    else:
        lines.append("• “" + _esc(_cut(item.text), html_mode) + "”")
        details = [
            label + _esc(_cut(v, 200), html_mode)
            for label, v in (("where: ", item.where), ("when: ", item.when))
            if v
        ]
        if details:
            lines.append("  " + "; ".join(details))
    lines.append("  — " + _cite(item, html_mode))
    return "\n".join(lines)


# Where else a reader can look, by what the question asked for.
_ELSEWHERE: dict[str, str] = {
    "how_many": "/figures lists every figure stored here with who claims it (e.g. /figures killed).",
    "who_said": "/speakers lists everyone quoted here (e.g. /speakers Zelensky).",
    "who": "/speakers lists everyone quoted here.",
}


def refusal(answer: Answer) -> tuple[str, str]:
    """The head and the advice of a refusal: what was searched, and where else to look."""
    question = _cut(answer.question, 300)
    if answer.scoped:
        head = f"This article does not say: “{question}”"
    elif answer.searched == 0:
        return "This chat has no articles yet.", HINT_TEXT
    elif answer.searched == 1:
        head = f"The one article in this chat does not say: “{question}”"
    else:
        head = f"None of the {answer.searched:,} articles in this chat says: “{question}”"
    advice = _ELSEWHERE.get(
        answer.kind, "Ask with words the article would use, or send an article that says it."
    )
    return head, advice


def _render(answer: Answer, *, html_mode: bool) -> str:
    if not answer.found:
        head, advice = refusal(answer)
        return (f"<b>{_esc(head, True)}</b>" if html_mode else head) + "\n" + _esc(advice, html_mode)
    head = "From this article:" if answer.scoped else "From what this chat has read:"
    parts = [f"<b>{head}</b>" if html_mode else head]
    for item in answer.items:
        block = _render_item(item, html_mode)
        if len("\n\n".join([*parts, block])) > MAX_MESSAGE:
            break
        parts.append(block)
    return "\n\n".join(parts)
