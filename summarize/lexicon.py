"""Word lists shared by the extractors (figures and speakers use the same notion of a reporting verb)."""

from __future__ import annotations

from spacy.tokens import Token

from summarize.wordlists import word_pairs, word_set

# Lemmas of verbs that introduce speech or a claim: their subject is the source of what follows.
REPORTING_VERBS: frozenset[str] = word_set("", "reporting_verbs")

# Particles that take a reporting verb out of speech ("add up to $2 billion"): lemma -> particle.
_NOT_SPEECH_PARTICLES: dict[str, str] = word_pairs("", "not_speech_particles")


def is_speech_sense(verb: Token) -> bool:
    """False for a reporting verb used with a particle that makes it no speech ("add up to")."""
    particle = _NOT_SPEECH_PARTICLES.get(verb.lemma_.lower())
    if particle is None:
        return True
    following = verb.doc[verb.i + 1] if verb.i + 1 < len(verb.doc) else None
    return not (_has_particle(verb, particle) or (following is not None and following.lower_ == particle))


def _has_particle(verb: Token, particle: str) -> bool:
    return any(c.dep_ == "prt" and c.lower_ == particle for c in verb.children)


_PARTICLE_SPEECH: dict[str, str] = word_pairs("", "particle_speech")


def is_particle_speech(verb: Token) -> bool:
    """A verb that is speech only with its particle ("pointed out that ...")."""
    particle = _PARTICLE_SPEECH.get(verb.lemma_.lower())
    return particle is not None and _has_particle(verb, particle)


# Multi-word cues whose object is the source: "according to X", "citing X", "quoted by X".
SOURCE_PREPOSITIONS: tuple[tuple[str, ...], ...] = (("according", "to"), ("citing",), ("quoting",), ("per",))

# Third-person pronouns that a speaker resolver maps back to a named speaker.
SPEAKER_PRONOUNS: frozenset[str] = frozenset({"he", "she", "they", "it", "him", "her", "them"})

# First-person pronouns: in a quote they are its speaker; in the writer's own words, nobody's claim.
FIRST_PERSON: frozenset[str] = frozenset({"i", "we", "me", "us", "you", "our", "my"})
