"""A figure's category (killed, wounded, troops, territory, money, ...) from its unit, noun and verbs."""

from __future__ import annotations

from spacy.tokens import Token

from summarize.figures.counted import of_what
from summarize.figures.values import NumberMention
from summarize.figures.words import (
    DISPLACED_WORDS,
    EQUIPMENT_COMPOUNDS,
    EQUIPMENT_WORDS,
    KILL_WORDS,
    LUMPED_WORDS,
    MEASURE_NOUNS,
    SETTLEMENT_WORDS,
    TERRITORY_VERBS,
    TROOP_WORDS,
    WOUND_WORDS,
)
from summarize.model import Category

LIFE_TAKING_VERBS = frozenset({"claim", "take", "cost", "lose"})


# Wholes a share of which is territory when held or taken ("40% of the country").
PLACE_WHOLES = frozenset({"city", "country", "territory", "land", "region", "province", "area", "district"})

# Verbs that make their object do what their infinitive says ("forced 5,000 people to flee").
CAUSATIVE_VERBS = frozenset({"force", "compel", "drive"})


def _as_complement_clause(token: Token) -> bool:
    """ "listed as displaced", parsed as a clause; never "arrested as they fled" (a clause with its own subject)."""
    return (
        token.dep_ == "advcl"
        and any(a.lower_ == "as" and a.dep_ in ("advmod", "mark", "prep") for a in token.children)
        and not any(a.dep_ in ("nsubj", "nsubjpass") for a in token.children)
    )


def _totalled(verbs: list[Token]) -> Token | None:
    """X of "the (total) number of X", the subject or object of the verb a figure completes."""
    # "brought the number of munitions ... and dropped ... to 1,340": also the object of a coordinated verb
    clauses = [*verbs, *(v.head for v in verbs if v.dep_ == "conj")]
    for verb in clauses:
        for measure in verb.children:
            if measure.dep_ in ("nsubj", "nsubjpass", "dobj") and measure.lemma_.lower() in MEASURE_NOUNS:
                return of_what(measure)
    return None


def _befell(verb: Token, depth: int = 3) -> set[str]:
    """Lemmas of "before/after being X-ed" under the verb or the infinitives it governs ("were forced to kneel
    before being executed", "flown home after being wounded"): a passive without a subject of its own says
    what befell the verb's subject."""
    found: set[str] = set()
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ in ("before", "after"):
            found |= {
                c.lemma_.lower()
                for c in child.children
                if c.dep_ == "pcomp" and any(a.dep_ == "auxpass" and a.lower_ == "being" for a in c.children)
            }
        elif child.dep_ == "xcomp" and depth > 1:
            found |= _befell(child, depth - 1)
    return found


def _fights(verb: Token, noun: Token) -> bool:
    """Whether `noun` (or the count it is "of") is the subject of a form of "fight"."""
    return verb.lemma_.lower() == "fight" and any(
        c.dep_ == "nsubj" and noun in c.subtree for c in verb.children
    )


def category_of(m: NumberMention, noun: Token | None, verbs: list[Token]) -> Category:
    if m.unit is not None:
        kind = m.unit.kind
        if kind == "currency":
            return "money"
        if kind == "area":
            return "territory"
        if kind == "time":
            return "time"
        if (
            kind == "percent"
            and noun is not None
            and any(t.lemma_.lower() == "territory" for t in noun.subtree)
        ):
            return "territory"  # "30% of territory ISIL held", which the parser hangs on the name
    lemmas: set[str] = {v.lemma_.lower() for v in verbs}
    noun_lemma = noun.lemma_.lower() if noun is not None else ""
    if noun is not None:
        lemmas.add(noun_lemma)
        # "losses of up to 420 servicemen", "the evacuation of 3,000 residents": the noun it is "of", also
        # through a group or the number itself ("the beheading of a group of 21", "the murder of hundreds
        # of people")
        node = noun
        for _ in range(3):
            if not (node.dep_ == "pobj" and node.head.lower_ == "of" and node.head.head.pos_ == "NOUN"):
                break
            node = node.head.head
            lemmas.add(node.lemma_.lower())
        if node.lemma_.lower() == "life" and node.head.lemma_.lower() in LIFE_TAKING_VERBS:
            lemmas.add("death")  # "claimed the lives of 200,000 people"
        lemmas |= {c.lemma_.lower() for c in noun.children if c.dep_ in ("amod", "compound")}
        lemmas |= {c.lower_ for c in noun.children if c.dep_ in ("amod", "compound")}
    # "6.5 million remain refugees": the complement says what they are
    for verb in verbs:
        lemmas |= {c.lemma_.lower() for c in verb.children if c.dep_ in ("attr", "oprd", "acomp")}
        # "500,000 are registered as refugees", "40 were counted as dead": what they are counted as
        for child in verb.children:
            if child.dep_ == "prep" and child.lower_ == "as":
                lemmas |= {o.lemma_.lower() for o in child.children if o.dep_ in ("pobj", "amod", "acomp")}
            elif _as_complement_clause(child):
                lemmas.add(child.lemma_.lower())
        lemmas |= _befell(verb)
        # "forcing tens of thousands of people to flee": a causative's infinitive says what befell them
        if verb.lemma_.lower() in CAUSATIVE_VERBS:
            lemmas |= {c.lemma_.lower() for c in verb.children if c.dep_ == "xcomp"}
        # "forced tens of thousands from their homes"
        for prep in (c for c in verb.children if c.dep_ == "prep" and c.lower_ == "from"):
            if any(o.lemma_.lower() in ("home", "house") for o in prep.children):
                lemmas.add("displaced")
    # "the death toll rose to 30": the subject of the verb the figure completes
    for verb in verbs:
        for child in verb.children:
            if child.dep_ in ("nsubj", "nsubjpass", "dobj") and noun is None:
                lemmas |= {t.lemma_.lower() for t in child.subtree}
    # "the number of troops rose to 5,000": what the total the figure completes is of
    totalled = _totalled(verbs) if noun is None else None
    if totalled is not None and totalled.lemma_.lower() in EQUIPMENT_WORDS:
        return "equipment"
    if (
        totalled is not None
        and totalled.lemma_.lower() in TROOP_WORDS
        and not lemmas & (KILL_WORDS | WOUND_WORDS)
    ):
        return "troops"
    if noun_lemma in EQUIPMENT_WORDS or (
        noun_lemma == "system"
        and any(
            c.lower_ in EQUIPMENT_COMPOUNDS
            or (c.dep_ == "compound" and (c.pos_ == "PROPN" or c.lemma_.lower() in EQUIPMENT_WORDS))
            for c in noun.children
        )  # "air defense systems", "Patriot systems", "mortar systems": a named model or a weapon word
    ):
        return "equipment"
    if noun_lemma in SETTLEMENT_WORDS and lemmas & TERRITORY_VERBS:
        return "territory"
    # "cleared 15 to 20 percent of the city", "control or contest about 40% of the country": a share of a
    # place held or taken
    if (
        m.unit is not None
        and m.unit.kind == "percent"
        and (noun_lemma in SETTLEMENT_WORDS or noun_lemma in PLACE_WHOLES)
        and lemmas & TERRITORY_VERBS
    ):
        return "territory"
    # "9 soldiers lost their lives": lives taken are deaths
    lives_lost = any(
        v.lemma_.lower() in LIFE_TAKING_VERBS
        and any(c.dep_ == "dobj" and c.lemma_.lower() == "life" for c in v.children)
        for v in verbs
    )
    killed = bool(lemmas & KILL_WORDS) or lives_lost
    wounded = bool(lemmas & WOUND_WORDS)
    lost_troops = (
        not lives_lost
        and "lose" in lemmas
        and (noun_lemma in TROOP_WORDS or noun_lemma in ("man", "people", "life"))
    )
    if (killed and wounded) or (lemmas & LUMPED_WORDS) or lost_troops:
        return "casualties"
    if killed:
        return "killed"
    if wounded:
        return "wounded"
    troop_noun = noun_lemma in TROOP_WORDS or (noun is not None and noun.lower_ in TROOP_WORDS)
    # "20,000 foreign fighters have fled to Syria": combatants on the move are no displaced people
    if troop_noun:
        return "troops"
    if lemmas & DISPLACED_WORDS:
        return "displaced"
    # "hundreds of foreigners are fighting in Yemen": those who fight are fighters
    if noun is not None and any(_fights(v, noun) for v in verbs):
        return "troops"
    return "other"
