"""Key figures: every amount a careful reader wants, what it counts, who claims it, where and when.

One module a concern, all on the one parse (`Parsed.doc`), word lists as text files in `words/`:
- `values`: the amount at a token (digits, number words, vague amounts, ranges, qualifiers, units), dates;
- `not_figures`: what looks like a number but is no figure (dates, years, ages, ordinals, names, metadata);
- `mentions`: the figure candidates of a sentence (values minus what is no figure);
- `counted`: what is counted, with the verb that governs it; `category`: killed, troops, money, ...;
- `claimant`: who claims it; `place_time`: where and when; `assemble`: the `Figure`s and their one-line form.
"""

from summarize.figures.assemble import counted_phrase, extract_figures, format_figure, short_place
from summarize.figures.words import (
    CLAIM_NOUNS,
    DISPLACED_WORDS,
    EQUIPMENT_WORDS,
    KILL_WORDS,
    LUMPED_WORDS,
    MONTHS,
    PARTICIPLE_FORMS,
    TROOP_WORDS,
    WOUND_WORDS,
)

__all__ = [
    "CLAIM_NOUNS",
    "DISPLACED_WORDS",
    "EQUIPMENT_WORDS",
    "KILL_WORDS",
    "LUMPED_WORDS",
    "MONTHS",
    "PARTICIPLE_FORMS",
    "TROOP_WORDS",
    "WOUND_WORDS",
    "counted_phrase",
    "extract_figures",
    "format_figure",
    "short_place",
]
