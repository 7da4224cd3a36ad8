"""Word lists of the figures extractor, read once from the text files in `words/` beside this module.

Edit a list there (one word a line, `#` comments); this module only names them.
"""

from __future__ import annotations

from summarize.wordlists import word_pairs, word_set

MONTHS = word_set("figures", "months")


CALENDAR_WORDS = word_set("figures", "calendar_words") | MONTHS


TIME_UNITS = word_set("figures", "time_units")


TIME_OF_DAY = word_set("figures", "time_of_day")


# "Article 5", "Resolution 2254", "Flight 752": a number that names a thing.
NAME_PREFIXES = word_set("figures", "name_prefixes")


CASE_FREE_PREFIXES = word_set("figures", "name_prefixes_any_case")


IDIOM_NOUNS = word_set("figures", "idiom_nouns")


KILL_WORDS = word_set("figures", "killed")


WOUND_WORDS = word_set("figures", "wounded")


LUMPED_WORDS = word_set("figures", "casualties")


DISPLACED_WORDS = word_set("figures", "displaced")


TROOP_WORDS = word_set("figures", "troops")


EQUIPMENT_WORDS = word_set("figures", "equipment")


EQUIPMENT_COMPOUNDS = word_set("figures", "equipment_compounds")


# People who tell a story: "two security sources said" counts the sources, not the story.
SOURCE_NOUNS = word_set("figures", "source_nouns")


# Places a front line is counted in: "took control of six settlements".
SETTLEMENT_WORDS = word_set("figures", "settlements")


TERRITORY_VERBS = word_set("figures", "territory_verbs")


CLAIM_NOUNS = word_set("figures", "claim_nouns")
BARE_QUANTIFIERS = word_set("figures", "bare_quantifiers")
SPEECH_UNITS = word_set("figures", "speech_units")


# Participles for verbs whose object a figure counts: the event goes into `counts` (words/participles.txt).
PARTICIPLES = word_pairs("figures", "participles")


PARTICIPLE_FORMS = frozenset(PARTICIPLES.values()) | {"died", "fled", "missing"}


EVENT_LEMMAS = frozenset(PARTICIPLES) | KILL_WORDS | WOUND_WORDS | DISPLACED_WORDS


PLACE_PREPS = word_set("figures", "place_prepositions")


PLACE_NOUNS = word_set("figures", "place_nouns")


STATE_ADJECTIVES = word_set("figures", "state_adjectives")


MOVEMENT_VERBS = word_set("figures", "movement_verbs")


# "Reports put the figure at 900 km²": the measured noun says nothing about what is counted.
MEASURE_NOUNS = word_set("figures", "measure_nouns")
# "the number of munitions now totals 6,602": the object is the amount of the subject
TOTAL_VERBS = word_set("figures", "total_verbs")
# "the number of fighters has risen from 2,000 to 9,000": both ends count the fighters
CHANGE_VERBS = word_set("figures", "change_verbs")
CHANGE_NOUNS = word_set("figures", "change_nouns")


# Claims someone else made: a figure inside "claims of N" is theirs, even when the sentence's speaker
# quotes or rejects it.
HEARSAY_NOUNS = word_set("figures", "hearsay_nouns")


# "told 300 supporters": the object of these reporting verbs is the listener, not the claim.
LISTENER_VERBS = word_set("figures", "listener_verbs")


# "confirmed reports that ...": the confirming source owns the claim noun.
CONFIRM_VERBS = word_set("figures", "confirm_verbs")


# "put the toll at 30": these reporting verbs carry their amount in a prepositional phrase.
AMOUNT_VERBS = word_set("figures", "amount_verbs")


# "claimed the attack / responsibility for ...": a deed claimed, not a statement made.
RESPONSIBILITY_NOUNS = word_set("figures", "responsibility_nouns")


# "one country, two systems", "the two-state solution": phrases whose numbers count nothing.
NUMBER_NAMES = word_set("figures", "number_names")
