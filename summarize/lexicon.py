"""Word lists shared by the extractors (figures and speakers use the same notion of a reporting verb)."""

from __future__ import annotations

from summarize.wordlists import word_set

# Lemmas of verbs that introduce speech or a claim: their subject is the source of what follows.
REPORTING_VERBS: frozenset[str] = word_set("", "reporting_verbs")

# Multi-word cues whose object is the source: "according to X", "citing X", "quoted by X".
SOURCE_PREPOSITIONS: tuple[tuple[str, ...], ...] = (("according", "to"), ("citing",), ("quoting",), ("per",))

# Third-person pronouns that a speaker resolver maps back to a named speaker.
SPEAKER_PRONOUNS: frozenset[str] = frozenset({"he", "she", "they", "it", "him", "her", "them"})
