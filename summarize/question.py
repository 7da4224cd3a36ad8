"""What a reader's question asks for: its type, the words an answer must hold, a speaker, category hints.

Pure Python on purpose (no spaCy): questions are short and formulaic, the small model parses questions
poorly (it is trained on declarative news text), and a rule-based analysis costs microseconds, so the bot
runs it on the event loop instead of a round trip to the NLP pool. Words are compared as Porter stems,
the same stemmer the SQLite FTS5 index uses, so "killed" in a question meets "kill" in the index.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Literal

from nltk.stem.porter import PorterStemmer
from spacy.lang.en.stop_words import STOP_WORDS

from summarize.model import Category
from summarize.synonyms import BROADER, SAME
from summarize.wordlists import word_set

QuestionKind = Literal["how_many", "who_said", "who", "where", "when", "other"]

_SAY_VERBS = (
    r"say|said|says|tell|told|claim|claimed|claims|state|stated|announce|announced|warn|warned|report|"
    r"reported|add|added|insist|insisted|confirm|confirmed|deny|denied|admit|admitted|mean|think|promise|"
    r"promised|vow|vowed|describe|described|write|wrote|tweet|tweeted|comment|commented"
)
_WHAT_DID_X_SAY = re.compile(
    rf"^\s*what\s+(?:did|does|do|has|have|had|will|would|is|was)\s+(?P<name>.+?)\s+(?:{_SAY_VERBS})\b(?P<rest>.*)$",
    re.IGNORECASE,
)
_X_SAID_WHAT = re.compile(
    rf"^\s*(?:and\s+)?(?:what\s+about\s+)?(?P<name>.+?)\s+(?:{_SAY_VERBS})\s+what\b(?P<rest>.*)$",
    re.IGNORECASE,
)
_QUOTES_OF_X = re.compile(
    r"^\s*(?:any\s+|the\s+)?(?:quotes?|statements?|comments?|words?|remarks?)\s+(?:from|by|of)\s+(?P<name>.+?)"
    r"(?:\s+(?:about|on|regarding)\b(?P<rest>.*))?\??\s*$",
    re.IGNORECASE,
)
_X_POSITION = re.compile(
    r"^\s*what\s+(?:is|was|were|are)\s+(?P<name>.+?)['’]s?\s+"
    r"(?:position|view|stance|statement|response|reaction|comment|message|words)\b(?P<rest>.*)$",
    re.IGNORECASE,
)
_WHO_SAID = re.compile(rf"^\s*who\s+(?P<verb>{_SAY_VERBS})\b", re.IGNORECASE)
_OBJECT_OPENERS = frozenset({"the", "a", "an", "its", "their", "his", "her"})
_FINITE = frozenset({
    "is", "are", "was", "were", "has", "have", "had", "will", "would", "could", "can", "should", "must", "did",
    "does", "do", "may", "might",
})  # fmt: skip


def _saying_as_deed(text: str) -> bool:
    """ "Who announced the ceasefire in Syria?": a verb of saying with a thing as its object, no clause
    after it, asks who did the announcing. "Who said the losses were heavy?" (a clause: "were") asks
    for a quote."""
    match = _WHO_SAID.match(text)
    if match is None:
        return False
    rest = words(text[match.end() :])
    return (
        bool(rest)
        and rest[0].lower() in _OBJECT_OPENERS
        and not any(w.lower() in _FINITE or _past_form(w) for w in rest[1:])
    )


# "Who claimed the attack?" asks who did it (responsibility), not for a quote.
_WHO_CLAIMED_DEED = re.compile(
    r"^\s*who\s+(?:has\s+)?claim(?:ed|s)?\s+(?:responsibility|credit|the|an?)\b", re.IGNORECASE
)
# "What was X's real name?", "What is the name of the group?": a name is asked for, not a word "name".
_NAME_QUESTION = re.compile(
    r"^\s*(?:(?:and|so|but)\s+)?what\s+(?:is|was|are|were)\s+(?:(?:the|his|her|its|their)\s+)?"
    r"(?:(?P<m1>real|full|birth|original|code|first|last)\s+)?names?\s+of\b"
    r"|^\s*(?:(?:and|so|but)\s+)?what\s+(?:is|was|are|were)\s+.+?['’]s?\s+"
    r"(?:(?P<m2>real|full|birth|original|code|first|last)\s+)?names?\s*\??\s*$",
    re.IGNORECASE,
)
_WHO = re.compile(
    r"^\s*(?:(?:and|so|but)\s+)?(?:who|whom|which\s+(?:group|country|army|side|person|official))\b",
    re.IGNORECASE,
)
_HOW_MANY = re.compile(
    r"^\s*(?:(?:and|so|but)\s+)?(?:how\s+(?:many|much|long|far|close|large|big|old)|what\s+(?:is|was|were|are)\s+the\s+"
    r"(?:number|death\s+toll|toll|total|size|cost|amount)|what\s+number)\b|\b(?:death\s+toll|number\s+of)\b",
    re.IGNORECASE,
)
_WHEN = re.compile(
    r"^\s*(?:(?:and|so|but)\s+)?(?:when|since\s+when|what\s+(?:day|date|time|year|month)|on\s+which\s+day)\b",
    re.IGNORECASE,
)
_WHERE = re.compile(
    r"^\s*(?:(?:and|so|but)\s+)?(?:where|(?:in|at|near)\s+which\s+\w+|which\s+(?:city|town|village|region|"
    r"country|area|province|district)|what\s+(?:place|city|town|village|region|country|area))\b",
    re.IGNORECASE,
)
_TITLES = {
    "president", "prime", "minister", "chancellor", "secretary", "general", "gen", "gen.", "mr", "mr.", "mrs",
    "mrs.", "ms", "ms.", "dr", "dr.", "king", "queen", "chief", "leader", "spokesman", "spokeswoman", "foreign",
    "defence", "defense", "sir", "lt", "lt.", "col", "col.", "commander", "ambassador", "envoy", "the",
    "former", "deputy", "vice", "governor", "mayor", "regional", "spokesperson", "head", "pope", "sheikh", "emir", "colonel", "lieutenant", "senator", "rep.",
}  # fmt: skip
# Words that deny what follows them ("no group has claimed", "had not been given").
_NEGATORS = frozenset({"no", "not", "never", "nobody", "none", "neither", "nor", "without", "nothing"})
_PARTICLE_NAME = re.compile(r"^[a-z]{1,3}-[A-Z]")
# "U.S.", "U.N." are one word (a name), not the letters "U" and "S".
_WORD = re.compile(r"(?:[A-Z]\.){2,}|[^\W_]+(?:['’-][^\W_]+)*", re.UNICODE)
_QUESTION_WORDS = {
    "how", "many", "much", "long", "far", "large", "big", "what", "which", "who", "whom", "whose", "where",
    "when", "why", "did", "does", "do", "say", "said", "says", "tell", "told", "number", "total", "according",
    "exactly", "really", "actually", "reportedly", "claim", "claimed", "claims", "report", "reported", "happen",
    "happened", "place", "time", "day", "date", "year", "month", "about", "stated", "state", "announce",
    "announced", "quote", "quotes", "statement", "statements", "comment", "comments", "think", "mean",
}  # fmt: skip
# Words a question uses to name what is counted that carry little of its meaning on their own.
_GENERIC = {
    "people",
    "persons",
    "person",
    "individuals",
    "amount",
    "figure",
    "figures",
    "estimate",
    "estimated",
    "toll",
    "so",
    "far",
}


def _related_table() -> dict[str, tuple[str, ...]]:
    """What a word (or two-word phrase) of a question may meet in an answer, from summarize/synonyms.py."""
    table: dict[str, list[str]] = {}
    for group in SAME:
        for word in group:
            related = table.setdefault(word, [])
            related.extend(w for w in group if w != word and w not in related)
    for word, narrower in BROADER.items():
        related = table.setdefault(word, [])
        related.extend(w for w in narrower if w != word and w not in related)
    return {word: tuple(related) for word, related in table.items()}


_RELATED_WORDS = _related_table()


def related_words(word: str) -> tuple[str, ...]:
    """The words (and two-word phrases) that may stand for a question's `word` in an answer."""
    return _RELATED_WORDS.get(word, ())


_PHRASES = frozenset(word for word in _RELATED_WORDS if " " in word)
# Verbs of war news whose past forms do not end in -ed; "How many were captured/shot/sent?" turns on them.
_EVENT_WORDS = {
    "sent", "send", "shot", "hit", "lost", "taken", "held", "fled", "flee", "dead", "died", "killed", "wounded",
    "injured", "captured", "destroyed", "downed", "struck", "seized", "freed", "released", "arrested", "die",
    "kill", "shoot", "destroy", "intercept", "capture", "seize", "free", "release", "arrest", "kidnap",
    "evacuated", "displaced", "deployed", "executed", "kidnapped", "abducted", "missing", "launched", "fired",
}  # fmt: skip


def is_event_word(word: str) -> bool:
    """Whether a word says what happened ("killed", "abducted", "shot"): a war verb or a past form."""
    return word.lower() in _EVENT_WORDS or _past_form(word)


def _past_form(token: str) -> bool:
    """A past form by its ending ("seized", "shelled"), as written: "counter-IED" and "IEDs" end in an
    acronym (improvised explosive device), not in -ed."""
    last = token.split("-")[-1]
    return not (last.isupper() and len(last) > 1) and token.lower().endswith("ed") and len(token) > 4


# Words that point at a figure category (Figure.category values).
_CATEGORY_WORDS: dict[str, tuple[Category, ...]] = {
    "killed": ("killed", "casualties"), "dead": ("killed", "casualties"), "died": ("killed", "casualties"),
    "deaths": ("killed", "casualties"), "death": ("killed", "casualties"), "toll": ("killed", "casualties"),
    "fatalities": ("killed", "casualties"), "die": ("killed", "casualties"), "kill": ("killed", "casualties"),
    "wounded": ("wounded", "casualties"), "injured": ("wounded", "casualties"),
    "casualties": ("casualties", "killed", "wounded"), "losses": ("casualties", "killed", "wounded"),
    "troops": ("troops",), "soldiers": ("troops",), "fighters": ("troops",), "forces": ("troops",), "territory": ("territory",), "land": ("territory",),
    "area": ("territory",), "money": ("money",), "cost": ("money",), "aid": ("money",), "funding": ("money",),
    "dollars": ("money",), "spent": ("money",), "spend": ("money",), "paid": ("money",), "pay": ("money",), "displaced": ("displaced",), "refugees": ("displaced",), "fled": ("displaced",),
    "tanks": ("equipment",), "drones": ("equipment",), "missiles": ("equipment",), "vehicles": ("equipment",),
    "weapons": ("equipment",), "aircraft": ("equipment",),
}  # fmt: skip

# spaCy's list minus words that carry meaning in war news ("front line", "back", "three", "fifty").
_STOP = frozenset(STOP_WORDS) - {
    "front", "back", "side", "bottom", "top", "call", "show", "give", "part", "full", "empty", "move", "former",
    "serious", "first", "third", "last", "hundred", "name", "keep", "take", "made", "make",
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "fifteen", "twenty", "forty", "fifty", "sixty",
} | {"near", "outside", "inside", "ago", "per", "via", "amid", "despite", "including", "currently", "now", "yet"}  # fmt: skip

_stemmer = PorterStemmer()


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The Porter stem of a lower-cased word ("killed" → "kill"), of each word of a two-word phrase
    ("shot down" → "shot down"); cached, answers stem many sentences."""
    if " " in word:
        return " ".join(stem(part) for part in word.split())
    # "U.S." and "US" are one name
    return _stemmer.stem(word.lower().replace("’", "'").removesuffix("'s").replace(".", ""))


def words(text: str) -> list[str]:
    """The words of `text` (letters and digits, keeping inner hyphens and apostrophes), as written."""
    return list(_words(text))


@lru_cache(maxsize=32768)
def _words(text: str) -> tuple[str, ...]:
    # /ask splits the same candidate sentences again for every check (about 400 times per question at
    # 10,000 stored articles); a fresh list per call keeps callers free to change theirs.
    return tuple(_WORD.findall(text))


@dataclass(frozen=True)
class Term:
    """One content word of the question and the stems an answer may hold for it."""

    word: str  # lower-cased, as written in the question
    stems: tuple[str, ...]  # its own stem first, then the stems of related words
    weight: float  # 2 for a name, 1 for a content word, 0.5 for a generic one
    is_name: bool
    is_event: bool = False  # what happened ("killed", "captured"): an answer must hold one of these
    # What the answer is, not what it is about: the asked type ("town" in "Which town did …") or a number
    # word ("the three men"), which an answer need not repeat.
    is_type: bool = False

    @property
    def required(self) -> bool:
        """A content word an answer sentence (or the sentences just before it) must hold: a question
        about a ceasefire is not answered by a sentence that never mentions one."""
        return not self.is_name and not self.is_type and self.weight >= 1


@dataclass(frozen=True)
class Question:
    text: str
    kind: QuestionKind
    terms: tuple[Term, ...]  # content words, speaker excluded for "what did X say"
    names: tuple[str, ...]  # capitalised names in the question ("North Korean", "Kursk")
    speaker: str | None  # who_said: the person or body asked about, titles and possessive kept as written
    categories: tuple[Category, ...]  # figure categories the question points at (how_many)
    # how_many: the terms naming what is counted ("Ukrainian soldiers" in "How many Ukrainian soldiers
    # were killed?"); an answer's figure must count that, not something else the sentence mentions.
    counted: tuple[Term, ...] = ()

    @property
    def measure_categories(self) -> tuple[Category, ...]:
        """ "How much money/territory/aid …": the figure categories the mass noun asked about names; a
        figure of one of those answers whatever it says it counts ("a $10m bounty")."""
        if _HOW_MUCH.match(self.text) is None or self.counted_head is None:
            return ()
        return _CATEGORY_WORDS.get(self.counted_head.word, ())

    @property
    def said_deed(self) -> str | None:
        """ "Who announced the ceasefire?": the verb of saying done to a thing, which the answer must hold
        ("the ceasefire announced by Russia"); a quote about the ceasefire is no answer."""
        match = _WHO_SAID.match(self.text)
        return match.group("verb").lower() if match and _saying_as_deed(self.text) else None

    @property
    def asks_claim(self) -> bool:
        """ "Who claimed the attack?": an answer must say who claimed it (or took responsibility)."""
        return _WHO_CLAIMED_DEED.match(self.text) is not None

    @property
    def negated(self) -> bool:
        """ "Which side did not sign?": the question itself asks about something that did not happen."""
        return any(w.lower() in _NEGATORS or w.lower().endswith("n't") for w in words(self.text))

    @property
    def asks_name(self) -> bool:
        """ "What was X's real name?": only a sentence that gives a name answers."""
        return _NAME_QUESTION.match(self.text) is not None

    @property
    def asks_body(self) -> bool:
        """ "Which company built the dam?", "What group runs the camp?": a named body is asked for, so only
        a sentence that names one answers (org_nouns.txt: company, group, ministry, …)."""
        match = _ASKED_TYPE.match(self.text)
        return match is not None and _singular_noun(match.group("type").lower()) in _ORG_NOUNS

    @property
    def asks_measure(self) -> bool:
        """ "How fast is the economy growing?": a measure, so only a sentence with a number answers."""
        tokens = [w.lower() for w in words(self.text)]
        if tokens[:1] in (["and"], ["so"], ["but"]):
            tokens = tokens[1:]
        return (len(tokens) > 1 and tokens[0] == "how" and tokens[1] in _MEASURE) or _measure_noun(
            self.text
        ) is not None

    @property
    def asks_age(self) -> bool:
        """ "How old was al-Douri?": only an age answers ("Al-Douri, 72,", "a 42-year-old")."""
        return re.match(r"^\s*(?:(?:and|so|but)\s+)?how\s+old\b", self.text, re.IGNORECASE) is not None

    @property
    def asks_duration(self) -> bool:
        """ "How long will the airmen be deployed?", "How long were the hostages held?": only a stretch of
        time answers. "How long is the bridge?" (the + a noun, no verb after it) measures the thing."""
        text = self.text.strip()
        opening = re.match(r"^(?:(?:and|so|but)\s+)?how\s+long\s+", text, re.IGNORECASE)
        if opening is None:
            return False
        rest = text[opening.end() :]
        thing = re.match(r"(?:is|was|are|were)\s+(?:the|its|their|this|that)\s+(?P<after>[^?]*)", rest, re.I)
        if thing is None:
            return True
        # "were the hostages held": a verb after the noun says what lasted.
        return any(
            w.lower().endswith(("ed", "en", "ing")) or w.lower() in _EVENT_WORDS
            for w in words(thing["after"])
        )

    @property
    def counted_head(self) -> Term | None:
        """The noun a figure must count: the counted phrase's last word that is not a name ("soldiers"),
        None when that is a generic word ("people") that any count of persons answers."""
        plain = [t for t in self.counted if not t.is_name]
        head = plain[-1] if plain else (self.counted[-1] if self.counted else None)
        return None if head is None or head.word in _GENERIC else head

    @property
    def search_words(self) -> tuple[str, ...]:
        """Words for a full-text query: every term and its related words (FTS5 stems them itself)."""
        found: list[str] = []
        for term in self.terms:
            dotless = (term.word.replace(".", ""),) if "." in term.word else ()
            for phrase in (term.word, *dotless, *_RELATED_WORDS.get(term.word, ())):
                word = phrase.split()[0]  # the index holds words: a phrase is looked up by its first
                if word not in found:
                    found.append(word)
        return tuple(found)


def _names(text: str) -> list[str]:
    """Runs of capitalised words not at the start of the question (a lower-case question has none)."""
    names: list[str] = []
    current: list[str] = []
    tokens = words(text)
    for index, token in enumerate(tokens):
        bare = re.sub(r"['’]s$", "", token)
        # "al-Douri", "bin-Laden": a lower-case particle joined to a capitalised name is still a name.
        capital = (bare[:1].isupper() or _PARTICLE_NAME.match(bare) is not None) and (
            index > 0 or bare.lower() not in _QUESTION_WORDS | _STOP
        )
        if capital and bare.lower() not in _STOP:
            current.append(bare)
            if bare != token:  # "Kiev's" ends a name
                names.append(" ".join(current))
                current = []
        elif current:
            names.append(" ".join(current))
            current = []
    if current:
        names.append(" ".join(current))
    return names


def name_words(speaker: str) -> tuple[str, ...]:
    """A speaker's words without titles and possessives, lower-cased ("President Zelensky" → zelensky)."""
    tokens = [re.sub(r"['’]s$", "", t).lower() for t in words(speaker)]
    return tuple(t for t in tokens if t not in _TITLES) or tuple(tokens)


def speaker_key(speaker: str) -> str:
    """The word that identifies a speaker across name forms: the last word after titles and possessives
    ("President Volodymyr Zelensky" → "zelensky", "Ukraine's military intelligence" → "intelligence")."""
    tokens = name_words(speaker)
    return tokens[-1] if tokens else ""


def same_speaker(asked: str, stored: str) -> bool:
    """Whether two name forms can be one speaker: one's words (titles aside) hold all of the other's.
    "Zelensky" ~ "President Volodymyr Zelensky"; "US intelligence" ≁ "Ukraine's military intelligence"."""
    a, b = set(name_words(asked)), set(name_words(stored))
    head = _related_group(stored)
    if head and not head & a:
        b = head  # "Critics of Mr Putin" are not Putin: the speaker is the phrase's head, not its object
    return bool(a and b) and (a <= b or b <= a)


_RELATION = re.compile(r"\s+(?:of|for|to|close\s+to|around|near|loyal\s+to|allied\s+with)\s+", re.IGNORECASE)


def _related_group(speaker: str) -> set[str]:
    """The head words of a speaker named by relation to someone else ("Critics of Mr Putin" → critics,
    "Supporters of the rebels" → supporters); empty when the head is only a title ("Secretary of State
    Blinken" is Blinken) or there is no such relation."""
    parts = _RELATION.split(speaker, maxsplit=1)
    if len(parts) < 2:
        return set()
    head = {re.sub(r"['’]s$", "", t).lower() for t in words(parts[0])}
    return head - _TITLES - {"a", "an"}


_AUXILIARY = frozenset(
    ("did", "does", "do", "will", "would", "can", "could", "has", "have", "had", "was", "is")
)


def _verb_after_name(tokens: list[str]) -> str | None:
    """The verb of "(When) did Jordan close …" / "Did Trump endorse …": the first lower-case word after an
    auxiliary followed by a capitalised subject. An answer that does not hold it answers another event."""
    # Only where the auxiliary opens the question or follows its wh-word: in "How many bridges do Iraqi
    # forces control?" the word after the name is part of the subject, not the verb.
    for index, token in enumerate(tokens[:2]):
        if index + 2 >= len(tokens):
            break
        opens = index == 0 or tokens[0].lower() in ("when", "where", "why", "who", "what", "whom")
        if opens and token.lower() in _AUXILIARY and tokens[index + 1][:1].isupper():
            for later in tokens[index + 2 :]:
                if later[:1].islower():
                    word = later.lower()
                    return None if word in _STOP or word in _QUESTION_WORDS else word
    return None


def _terms(text: str, names: list[str], exclude: set[str], *, deed_asked: bool = False) -> tuple[Term, ...]:
    name_words = {w.lower() for name in names for w in words(name)}
    terms: list[Term] = []
    seen: set[str] = set()
    tokens = words(text)
    verb = _verb_after_name(tokens)
    counted = _COUNTED.match(text) is not None
    asked = _ASKED_TYPE.match(text)
    asked_type = asked.group("type").lower() if asked else None
    measure = _measure_noun(text)  # "What is the output of …": the answer's type
    gathering = any(t.lower() in _GATHERINGS for t in tokens)
    skip = False
    for index, token in enumerate(tokens):
        if skip:
            skip = False
            continue
        word = re.sub(r"['’]s$", "", token).lower()
        pair = f"{word} {tokens[index + 1].lower()}" if index + 1 < len(tokens) else ""
        # "come from", "carried out": the frame of a where / who / when question, not its topic; in "How
        # many attacks has ISIL carried out?" the verb is what is counted, so it stays.
        if pair in _LIGHT_VERBS and not counted:
            skip = True
            continue
        if pair in _PHRASES:  # "shoot down" is one term: "down" alone is a stop word
            word, skip = pair, True
        if word in seen or word in exclude or word in _STOP or word in _QUESTION_WORDS or len(word) < 2:
            continue
        seen.add(word)
        related = tuple(stem(w) for w in _RELATED_WORDS.get(word, ()))
        if word not in name_words and " " not in word and word.isalpha() and not word.endswith("ed"):
            # "Which orchestra does Karim conduct?" is answered by "He's the conductor of …": a verb is
            # met by the noun of its doer (a count is still checked as a noun, `bot.ask._holds_noun`).
            related = (*related, stem(word + "or"), stem(word + "er"))
        is_name = word in name_words
        weight = 2.0 if is_name else 0.5 if word in _GENERIC else 1.0
        is_event = not is_name and (
            word in _EVENT_WORDS
            or word in _PHRASES
            or word == verb
            or _past_form(re.sub(r"['’]s$", "", token))
        )
        is_type = word.isdigit() or word in _NUMBER_WORDS or word in (asked_type, measure)
        following = tokens[index + 1].lower() if index + 1 < len(tokens) else ""
        if following == "to" and word in _CATENATIVE:
            # "try to seize": what happened is the seizing; the article may say "attempted to seize".
            weight, is_event = 0.5, False
        if word in ("held", "hold") and index and tokens[index - 1].lower() in _BE and gathering:
            weight, is_event = 0.5, False  # "Where will the summit be held?": it frames, like "take place"
        if not deed_asked and _supports_noun(word, tokens[index + 1] if index + 1 < len(tokens) else ""):
            # "make his pledge", "hold talks": the noun says what happened, the verb only carries it.
            weight, is_event = 0.5, False
        if index == 1 and tokens[0].lower() == "how" and word in _MEASURE:
            is_type = True  # "how old", "how fast": the answer's type (an age, a rate), not a topic
        terms.append(Term(word, (stem(word), *related), weight, is_name, is_event, is_type))
    return tuple(terms)


# Verbs that take another verb ("try to seize", "plan to attack"): the other verb is the event.
_CATENATIVE = frozenset({
    "try", "tried", "tries", "attempt", "attempted", "seek", "sought", "manage", "managed", "plan", "planned",
    "want", "wanted", "fail", "failed", "hope", "hoped", "intend", "intended", "threaten", "threatened",
})  # fmt: skip
_COUNTED = re.compile(
    r"^\s*(?:(?:and|so|but)\s+)?(?:how\s+(?:many|much)|what\s+(?:is|was|were|are)\s+the\s+number\s+of"
    # "How big was the bounty?", "How far is the courthouse from …": the thing measured.
    r"|how\s+(?:big|large|long|far|close|old|high|wide|deep)\s+(?:is|was|are|were)(?:\s+the)?)\s+(?P<phrase>.*)$",
    re.IGNORECASE,
)
_NUMBER_WORDS = frozenset({
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "fifteen",
    "twenty", "thirty", "forty", "fifty", "sixty", "hundred", "thousand",
})  # fmt: skip
# "Which town did …", "In which province …", "What city …": the noun names the answer's type.
_ASKED_TYPE = re.compile(
    r"^\s*(?:(?:and|so|but)\s+)?(?:(?:in|at|near|from|to)\s+)?(?:which|what)\s+(?P<type>[a-z]+)\b",
    re.IGNORECASE,
)
_HOW_MUCH = re.compile(r"^\s*(?:(?:and|so|but)\s+)?how\s+much\b", re.IGNORECASE)
_MEASURED = re.compile(r"^\s*(?:(?:and|so|but)\s+)?how\s+(?!many\b|much\b)", re.IGNORECASE)
# Where the counted phrase ends: the verb's auxiliary or a preposition ("How many bridges over the Tigris
# do Iraqi forces control?" counts bridges).
_COUNTED_END = word_set("", "ask_counted_end")
_PLURALS = word_set("", "ask_plural_nouns")
_LIGHT_VERBS = word_set("", "ask_light_verbs")
_MEASURE = word_set("", "ask_measure")
_SUPPORT_VERBS = word_set("", "ask_support_verbs")
_MEASURE_NOUNS = word_set("", "ask_measure_nouns")
_GATHERINGS = word_set("", "ask_gatherings")
_BE = frozenset({"be", "been", "being", "is", "are", "was", "were"})
_WHAT_IS_THE = re.compile(
    r"^\s*(?:(?:and|so|but)\s+)?what\s+(?:is|was|are|were)\s+the\s+(?P<noun>[a-z]+)\s+of\b", re.IGNORECASE
)


def _measure_noun(text: str) -> str | None:
    """The measure asked for by "What is the output of …?" ("output"), else None."""
    match = _WHAT_IS_THE.match(text)
    noun = match.group("noun").lower() if match else None
    return noun if noun in _MEASURE_NOUNS else None


_ORG_NOUNS = word_set("", "org_nouns")


def _singular_noun(word: str) -> str:
    """ "companies" → company, "groups" → group: enough to look a plural type up among the org nouns."""
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


_SUPPORT_OBJECT_OPENERS = frozenset({"a", "an", "the", "his", "her", "its", "their", "our", "my", "your"})
_HOLDING = frozenset({"hold", "holds", "holding"})  # "hold the town" is to control it, "hold talks" is not


def _supports_noun(verb: str, after: str) -> bool:
    """Whether `verb` is a support verb taking the noun that follows: an article or possessive opens it
    ("make his pledge", "make the promise"; not "hold the …"), or a bare lower-case noun ("hold talks")."""
    if verb not in _SUPPORT_VERBS:
        return False
    if after.lower() in _SUPPORT_OBJECT_OPENERS:
        return not (verb in _HOLDING and after.lower() == "the")
    return after.isalpha() and after.islower() and after not in _STOP


def _counted(text: str, terms: tuple[Term, ...]) -> tuple[Term, ...]:
    match = _COUNTED.match(text)
    if match is None:
        return ()
    # A measured thing ("the Azaz courthouse") is named, not counted: its names need only be in the
    # answer's article, like any other name of the question.
    measured = _MEASURED.match(text) is not None
    phrase: list[str] = []
    for token in words(match.group("phrase")):
        word = re.sub(r"['’]s$", "", token).lower()
        if word in _COUNTED_END or word in _EVENT_WORDS or _past_form(re.sub(r"['’]s$", "", token)):
            break
        phrase.append(word)
    if not measured:
        # No auxiliary ("How many soldiers remain in Kursk?"): the verb follows the last plural noun.
        plural = [i for i, w in enumerate(phrase) if w in _PLURALS or (w.endswith("s") and len(w) > 3)]
        if plural:
            phrase = phrase[: plural[-1] + 1]
    return tuple(t for t in terms if t.word in phrase and not (measured and t.is_name))


def _speaker_form(text: str) -> tuple[str, str] | None:
    for pattern in (_WHAT_DID_X_SAY, _X_POSITION, _QUOTES_OF_X, _X_SAID_WHAT):
        match = pattern.match(text)
        if match:
            name = match.group("name").strip(" ,?")
            if name and name.lower() not in {"they", "he", "she", "it", "you", "we", "i", "people"}:
                return name, match.group("rest") or ""
    return None


def analyze_question(text: str) -> Question:
    """Classify a question and pick out what an answer must contain."""
    text = " ".join(text.split())
    names = _names(text)
    speaker_form = _speaker_form(text)
    categories: list[Category] = []
    if speaker_form is not None:
        kind: QuestionKind = "who_said"
        speaker, rest = speaker_form
        terms = _terms(rest, names, exclude=set())
        names = [n for n in names if n.lower() not in speaker.lower()]
        return Question(text, kind, terms, tuple(names), speaker, ())
    if _WHO_CLAIMED_DEED.match(text) or _NAME_QUESTION.match(text) or _saying_as_deed(text):
        kind = "who"
    elif _WHO_SAID.match(text):
        kind = "who_said"
    elif _HOW_MANY.search(text):
        kind = "how_many"
    elif _WHEN.match(text):
        kind = "when"
    elif _WHO.match(text):
        kind = "who"
    elif _WHERE.match(text):
        kind = "where"
    else:
        kind = "other"
    # "Who made the bomb?" asks for the maker: there the verb is the deed, not a support verb.
    terms = _terms(text, names, exclude=set(), deed_asked=kind == "who")
    naming = _NAME_QUESTION.match(text)
    if naming:
        # "real name": the word "name" and its modifier are the answer's type, not words it must hold.
        asked = {"name", "names", (naming.group("m1") or naming.group("m2") or "").lower()}
        terms = tuple(replace(t, is_type=True, is_event=False) if t.word in asked else t for t in terms)
    counted: tuple[Term, ...] = ()
    if kind == "how_many":
        counted = _counted(text, terms)
        # The category is of what is counted and what happened to it, not of every word ("How many men
        # were shot in a desert area?" does not ask for territory).
        pointing = [t for t in terms if t in counted or t.is_event] if counted else list(terms)
        for term in pointing:
            for category in _CATEGORY_WORDS.get(term.word, ()):
                if category not in categories:
                    categories.append(category)
        if {"killed", "wounded", "casualties"} & set(categories):  # "soldiers killed" counts the dead
            categories = [c for c in categories if c != "troops"]
        if re.match(r"^\s*how\s+long\b", text, re.IGNORECASE):
            categories = ["time"]
    return Question(text, kind, terms, tuple(names), None, tuple(categories), counted)
