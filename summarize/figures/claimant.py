"""Who claims a figure: the nearest source up the tree, "according to X", a claim noun, the quotation's
speaker or the speakers extractor's attribution around it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING

from spacy.tokens import Span, Token

from summarize.figures.phrases import RELATIVE_WORDS, phrase_text, resolve_relative
from summarize.figures.values import NumberMention
from summarize.figures.words import (
    AMOUNT_VERBS,
    BARE_QUANTIFIERS,
    CLAIM_NOUNS,
    CONFIRM_VERBS,
    HEARSAY_NOUNS,
    KILL_WORDS,
    LISTENER_VERBS,
    LUMPED_WORDS,
    RESPONSIBILITY_NOUNS,
    SPEECH_UNITS,
    WOUND_WORDS,
)
from summarize.lexicon import FIRST_PERSON, REPORTING_VERBS, is_speech_sense
from summarize.mentions import (
    COUNTRY_NOUNS,
    SURVEY_SHARE,
    Candidate,
    can_speak,
    fuller_name,
    is_header,
    is_pronoun,
    quote_mark,
    resolve_pronoun,
    source_can_speak,
)
from summarize.parse import Parsed
from summarize.quotes import QuoteSpan, find_quote_spans
from summarize.speakers.contents import closes_sentence, opens_sentence

if TYPE_CHECKING:
    from summarize.speakers import Attribution


# Set to a dict by `evaluation/claim_rules.py` to learn which rule of `_claimant_as_written` gave each figure's
# claimant, keyed by (id of the doc, character offset of the figure); None (the default) records nothing.
RULE_LOG: ContextVar[dict[tuple[int, int], str] | None] = ContextVar("claimant_rule_log", default=None)


@dataclass(frozen=True)
class ClaimSources:
    """The attribution model as the figures see it, built once per parse: each attribution by its cue token
    and by the sentences its content touches, and its speaker as an antecedent for later pronouns."""

    by_cue: dict[int, Attribution]
    by_sentence: dict[int, tuple[Attribution, ...]]
    candidates: tuple[Candidate, ...]
    document: str | None = (
        None  # the speaker of a statement or press release throughout (speakers/document.py)
    )
    quotes: tuple[QuoteSpan, ...] = ()  # the article's quotations (summarize/quotes.py)

    def quote_holding(self, start_char: int, end_char: int) -> QuoteSpan | None:
        return next((q for q in self.quotes if q.start <= start_char and end_char <= q.end), None)


def claim_sources(parsed: Parsed, attributions: Sequence[Attribution]) -> ClaimSources:
    doc = parsed.doc
    by_cue: dict[int, Attribution] = {}
    by_sentence: dict[int, list[Attribution]] = defaultdict(list)
    candidates = []
    for attribution in attributions:
        # "claimed the attack that killed 19": the group owns the attack, not its count (still an antecedent)
        deed = _claims_a_deed(doc[attribution.cue])
        if not deed:
            by_cue.setdefault(attribution.cue, attribution)
        content = doc.char_span(attribution.content_start, attribution.content_end, alignment_mode="expand")
        if content is not None and not deed:
            first, last = parsed.sentence_index(content.start), parsed.sentence_index(content.end - 1)
            for index in range(first, last + 1):
                by_sentence[index].append(attribution)
        if attribution.speaker_start >= 0:
            written = doc.char_span(
                attribution.speaker_start, attribution.speaker_end, alignment_mode="expand"
            )
            if written is not None:
                kind = attribution.speaker_kind
                candidates.append(Candidate(written.root.i, attribution.speaker, kind, True, True))
    from summarize.speakers import document_speaker

    return ClaimSources(
        by_cue,
        {k: tuple(v) for k, v in by_sentence.items()},
        tuple(candidates),
        document_speaker(parsed),
        find_quote_spans(parsed.text),
    )


def _claims_a_deed(cue: Token) -> bool:
    """'X claimed (responsibility for) the attack': a claim of responsibility, whose object is a deed."""
    return cue.lemma_.lower() == "claim" and any(
        c.dep_ == "dobj" and c.lemma_.lower() in RESPONSIBILITY_NOUNS for c in cue.children
    )


def _innermost(sources: ClaimSources, index: int, start_char: int, end_char: int) -> Attribution | None:
    """The attribution whose content holds the figure, the smallest when several do."""
    best = None
    for attribution in sources.by_sentence.get(index, ()):
        lo, hi = attribution.content_start, attribution.content_end
        if (
            lo <= start_char
            and end_char <= hi
            and (best is None or hi - lo < best.content_end - best.content_start)
        ):
            best = attribution
    return best


def _source_of(verb: Token) -> tuple[Token, str] | None:
    """'X said' -> X; 'told AFP' adds ', to AFP'; passive 'was reported by X' -> X. (subject token, text)"""
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
        subject = _misread_participle_subject(verb)
    if subject is None:
        return None
    subject = resolve_relative(subject)
    if is_header(subject):
        return None  # "WASHINGTON -- ... said": a dateline claims nothing
    if _across_a_quote_edge(subject, verb):
        return None  # the parse joined words on both sides of a quote's edge: who speaks is not sure
    if subject.lower_ in RELATIVE_WORDS or subject.lower_ in ("it", "there") and verb.tag_ == "VBN":
        return None
    text = phrase_text(subject)
    if verb.lemma_.lower() == "tell":
        listener = next(
            (c for c in verb.children if c.dep_ in ("dobj", "dative") and c.ent_type_ == "ORG"), None
        )
        if listener is not None:
            text += f", to {listener.text}"
    return subject, text


def _misread_participle_subject(verb: Token) -> Token | None:
    """ "Border guards estimated in April that N ...": with a phrase before "that", the parser reads the
    reporting verb as a participle of the noun before it ("guards estimated in April"). A participle takes
    no "that" clause, so the noun is the verb's subject."""
    if verb.dep_ != "acl" or verb.tag_ not in ("VBD", "VBN") or verb.head.pos_ not in ("NOUN", "PROPN"):
        return None
    that_clause = any(
        c.dep_ == "ccomp" and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)
        for c in verb.children
    )
    return verb.head if that_clause else None


def _root_with_misread_subject(root: Token) -> tuple[Token, Token] | None:
    """ "Afghan forces estimated in March that N were active": the parser makes the clause after "that" the
    root, with the speaker as a second subject carrying the reporting verb as a participle. (subject, verb)"""
    mark = next((c for c in root.children if c.dep_ == "mark" and c.lower_ == "that"), None)
    if mark is None:
        return None
    for subject in (c for c in root.children if c.dep_ == "nsubj" and c.i < mark.i):
        for verb in (c for c in subject.children if c.dep_ == "acl" and c.i < mark.i):
            if (
                verb.lemma_.lower() in REPORTING_VERBS
                and verb.tag_ in ("VBD", "VBN")
                and is_speech_sense(verb)
            ):
                return subject, verb
    return None


def _across_a_quote_edge(subject: Token, verb: Token) -> bool:
    """An odd number of quote marks between a subject and its verb: one of them is a quote's edge, so the
    parser made a subject of words from the other side ("... Hunger, cold and fear' One farmer, ... told":
    the subject found is the quote's last words). A quote inside a relative clause has two marks."""
    doc = subject.doc
    low, high = sorted((subject.i, verb.i))
    if sum(quote_mark(t) for t in doc[low + 1 : high]) % 2 == 1:
        return True
    # a closing mark after the subject's head and before a new capitalised phrase: the head is the quote's
    # last word, whatever the tagger said of the mark ("homelessness' One resident" read as a possessive)
    return any(
        t.text in _CLOSING_MARKS
        and t.i > subject.i
        and doc[t.i - 1].whitespace_ == ""
        and t.whitespace_
        and t.i + 1 < len(doc)
        and doc[t.i + 1].is_title
        for t in subject.subtree
    )


_CLOSING_MARKS = frozenset({"'", "\u2019", '"', "\u201d"})


def _according_to(token: Token, cues: tuple[str, ...] = ("according", "citing", "quoting")) -> str | None:
    for child in token.children:
        if child.lower_ in cues and child.dep_ in (
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
            if obj is not None and not any(t.pos_ == "PRON" for t in obj.subtree) and source_can_speak(obj):
                return phrase_text(obj)
    return None


# Relative words that make a clause describe the noun before it; "that" may open a claim's content.
_DESCRIBING_RELATIVES = frozenset({"who", "whom", "whose", "which"})


def _claim_noun_before(clause: Token) -> str | None:
    """'previous claims it controlled 1,400 km²': a claim noun right before the clause owns it. Its owner is
    the claimant ("Kiev's previous claims" -> Kiev), else the claim itself."""
    doc = clause.doc
    i = clause.left_edge.i - 1
    if i >= 0 and doc[i].lower_ == "that":
        i -= 1
    if i < 0:
        return None
    noun = doc[i]
    if clause.left_edge.lower_ in _DESCRIBING_RELATIVES:
        return (
            None  # "a lonely figure who died at 61": the clause tells what the noun did, no claim's content
        )
    if noun.pos_ == "NOUN" and noun.lemma_.lower() in CLAIM_NOUNS:
        return _claim_owner(noun)
    return None


def _claim_owner(noun: Token) -> str:
    """Who a claim noun belongs to: its owner ("Kiev's claims", "claims by Kiev"), else the claim itself
    (the seed's gold names "previous claims" the claimant)."""
    doc = noun.doc
    owner = next((c for c in noun.children if c.dep_ == "poss" and c.pos_ in ("PROPN", "NOUN")), None)
    if owner is None:
        by = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ in ("by", "from")), None)
        owner = next((c for c in by.children if c.dep_ == "pobj"), None) if by is not None else None
    if owner is not None:
        return phrase_text(owner)
    medium_of = noun.head.head if noun.dep_ == "pobj" and noun.head.dep_ == "prep" else None
    if medium_of is not None and medium_of.lemma_.lower() in REPORTING_VERBS and medium_of.pos_ == "VERB":
        # "X said in a statement that 12 were killed": the statement is how X spoke; the claim is X's, which
        # the statement holding the figure names (with pronouns resolved)
        return ""
    if noun.dep_ == "dobj" and noun.head.lemma_.lower() in CONFIRM_VERBS:
        if any(c.dep_ == "neg" for c in noun.head.children):
            return ""  # "could not verify the reports that 40 died": nobody here vouches for the 40
        confirmer = next((c for c in noun.head.children if c.dep_ == "nsubj"), None)
        if confirmer is not None and confirmer.pos_ != "PRON" and can_speak(confirmer):
            return phrase_text(confirmer)  # "The UN has confirmed reports that ...": the UN's claim
    start = noun.i
    while (
        start - 1 >= 0
        and doc[start - 1].dep_ in ("amod", "compound", "case")
        and doc[start - 1].head.i in (noun.i, start)
    ):
        start -= 1
    return doc[start : noun.i + 1].text


CONTENT_DEPS = frozenset({"ccomp", "xcomp", "parataxis", "attr", "oprd"})
CHARGE_VERBS = frozenset({"charge", "accuse"})  # what they charge comes with "with" / "of"


def _states_content(verb: Token, child: Token) -> bool:
    """Whether the path up from the figure reaches the reporting verb through what it says: "said (that) 30
    died", "claimed 30 deaths", "put the toll at 30". A figure in the verb's subject, in an adjunct ("Speaking
    to thousands, he said", "after 41 shots, X wrote") or in a listener ("told 300 supporters") is the
    writer's, not the speaker's claim."""
    lemma = verb.lemma_.lower()
    if child.dep_ in CONTENT_DEPS:
        return True
    if child.dep_ == "dobj":
        if _claims_a_deed(verb):
            return False  # "claimed the attack that killed 19": a deed claimed, its toll is not their claim
        if lemma in CHARGE_VERBS:
            # "charged two developers with fraud": the accused are part of the accusation; without "with" /
            # "of" the verb is a price ("charged a $300 fee"), no claim
            return any(c.dep_ == "prep" and c.lower_ in ("with", "of") for c in verb.children)
        return lemma not in LISTENER_VERBS
    if child.dep_ == "prep":  # "put the toll at 30", "charged them with killing 30"
        return lemma in AMOUNT_VERBS or (lemma in CHARGE_VERBS and child.lower_ in ("with", "of"))
    if child.dep_ in ("advcl", "conj"):  # "said, adding that 30 ...": the content goes on in a second cue
        if child.lemma_.lower() in REPORTING_VERBS and child.pos_ == "VERB":
            return not any(c.dep_ in ("nsubj", "nsubjpass") for c in child.children)  # else its own speaker
        # "announced plans to send 30 troops": an infinitive the parser hung on the verb, not the noun
        return child.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in child.children)
    return False


# What `_tree_claimant` gives for a figure in the description of a speaker ("the father of four said").
_IN_SPEAKER = "\x00in speaker"
# What it gives for a figure in a relative clause set off by a comma (", whose parent company moved 1,400
# jobs"): the writer's background to a noun, not part of what the speaker says.
_BACKGROUND = "\x00background"


def _set_off(relative_clause: Token) -> bool:
    before = relative_clause.left_edge.i - 1
    return before >= 0 and relative_clause.doc[before].text in (",", "—", "–", "(")


def _in_reported_clause(node: Token, sentence: Span) -> bool:
    """Whether `node` lies in the clause a reporting verb above it governs ("said that ... the camp, where 15
    were killed"): that clause is what the speaker says, background included. A noun object ("praised the
    plan, which ...") or no reporting verb at all leaves a set-off relative clause to the writer."""
    child, up = node, node.head
    while up.i != child.i and sentence.start <= up.i < sentence.end:
        speaks = any(c.dep_ in ("nsubj", "agent") for c in up.children)  # not "famine was confirmed in ..."
        if up.pos_ == "VERB" and up.lemma_.lower() in REPORTING_VERBS and is_speech_sense(up) and speaks:
            return child.dep_ in ("ccomp", "parataxis", "xcomp", "conj")
        child, up = up, up.head
    return False


# A figure in the writer's ", where ..." / ", which ..." clause under a reporting verb.
_RELATIVE_TAILS = frozenset({"where", "which", "who", "whom"})
HARM_WORDS = KILL_WORDS | WOUND_WORDS | LUMPED_WORDS


def _background_clause(node: Token) -> bool:
    """ "..., where 300 people were shopping": a non-restrictive relative clause, set off by a comma, is the
    writer's background, as the speakers' content leaves it out (`contents.trim_content`)."""
    if node.pos_ not in ("VERB", "AUX") or node.dep_ not in ("relcl", "advcl"):
        return False
    if node.lemma_.lower() in HARM_WORDS:
        return False  # "..., where 15 members of one family were killed": the toll is what was reported
    first, doc = node.left_edge, node.doc
    if not (first.lower_ in _RELATIVE_TAILS and first.i > 0 and doc[first.i - 1].text == ","):
        return False
    # "the strikes, which killed 30, were a war crime": an insertion the content goes on after is the speaker's
    after = node.right_edge.i + 1
    return not (after + 1 < node.sent.end and doc[after].text == "," and not doc[after + 1].is_punct)


def _outermost(
    verb: Token, source: tuple[Token, str], sentence: Span
) -> tuple[str | None, Token | None, Token | None]:
    """The source of the outermost speech verb whose clause holds `verb`: "X said that medical workers had
    counted 97 dead" is X's claim, the one the article quotes; the workers' count is what X says."""
    found = (source[1], source[0], verb)
    child, node = verb, verb.head
    while node.i != child.i and sentence.start <= node.i < sentence.end:
        lemma = node.lemma_.lower()
        if (
            node.pos_ == "VERB"
            and lemma in REPORTING_VERBS
            and lemma != "call"
            and child.dep_ in ("ccomp", "parataxis")
            and not any(c.dep_ == "neg" for c in node.children)
        ):
            outer = _source_of(node)
            lo, hi = sorted((node.i, verb.i))
            # "X estimates ...; Y puts the figure at ...": a semicolon parts two claims the parser joined
            if outer is not None and can_speak(outer[0]) and not any(t.text == ";" for t in node.doc[lo:hi]):
                found = (outer[1], outer[0], node)
        child, node = node, node.head
    return found


# Modal auxiliaries: "will announce", "could claim", "may report" speak of a statement not made (yet).
_MODALS = frozenset({"will", "would", "shall", "should", "can", "could", "may", "might", "must"})


def _not_yet_said(verb: Token) -> bool:
    """ "The council will announce 40 posts": nobody has claimed the 40 yet; the walk goes on up, so "the mayor
    said the council would announce 40 posts" stays the mayor's."""
    return any(c.dep_ == "aux" and c.lower_ in _MODALS for c in verb.children)


def _counts_the_utterance(anchor: Token) -> bool:
    """ "posted just two words", "said 'peace' six times": the figure counts units of the speaking itself (its
    noun hung on the speech verb, or set beside what it says), the writer's account of how they spoke."""
    noun = anchor.head if anchor.dep_ == "nummod" else anchor
    if noun.pos_ != "NOUN" or noun.lemma_.lower() not in SPEECH_UNITS:
        return False
    verb = noun.head.head if noun.dep_ == "appos" else noun.head
    return (
        verb.pos_ == "VERB"
        and verb.lemma_.lower() in REPORTING_VERBS
        and noun.dep_ in ("dobj", "npadvmod", "appos")
    )


def _opening_participle(node: Token, sentence: Span) -> bool:
    """ "Emerging from two hours of talks, the envoy looked tired": a participle with no subject of its own that
    opens the sentence, set off by a comma, is the writer's scene before the clause, not what anyone claims."""
    if node.dep_ != "advcl" or node.tag_ not in ("VBG", "VBN") or node.left_edge.i != sentence.start:
        return False
    if node.lemma_.lower() in REPORTING_VERBS and is_speech_sense(node):
        return False  # "Citing 40 deaths, the agency said": the participle itself reports
    if any(c.dep_ in ("nsubj", "nsubjpass", "mark") for c in node.children):
        return False  # "While 30 were held, ..." / "Asked about 30 ...": a clause or a question put to them
    after = node.right_edge.i + 1
    return after < sentence.end and node.doc[after].text == ","


def _tree_claimant(anchor: Token, sentence: Span) -> tuple[str | None, Token | None, Token | None]:
    """Walk up from the figure to the nearest owner of the claim: (text, its subject token, the verb)."""
    node = anchor
    child = anchor
    in_speaker = False
    set_off: Token | None = None  # a relative clause set off by a comma that holds the figure
    background: int | None = None  # where a ", where ..." / ", which ..." clause crossed on the way starts
    while True:
        if node.pos_ in ("VERB", "AUX") and node.i != anchor.i and is_speech_sense(node):
            lemma = node.lemma_.lower()
            if lemma in REPORTING_VERBS and child.dep_ in ("nsubj", "csubj"):
                # "eight out of 10 said", "the mother of three replied": the figure is in who speaks, the
                # writer's description of them; it is a claim only inside a higher speaker's content
                in_speaker = True
            if (
                lemma in REPORTING_VERBS
                and lemma != "call"
                and _states_content(node, child)
                and not _not_yet_said(node)
            ):
                if lemma != "deny" and any(c.dep_ == "neg" for c in node.children):
                    return None, None, None  # "did not say whether 40 died": nobody claims the 40
                source = _source_of(node)
                if source is not None and background is not None and node.i < background:
                    return _BACKGROUND, None, None
                if source is not None:
                    found = _outermost(node, source, sentence)
                    # "Police said 12 were hurt, according to the agency": the source nearest the reader
                    # ("citing X, the agency said": the agency, who names its own source)
                    cited = _according_to(found[2], ("according",)) if found[2] is not None else None
                    return (cited, None, None) if cited is not None else found
            cited = _according_to(node)
            if cited is not None:
                return cited, None, None
        if _opening_participle(node, sentence):
            return _IN_SPEAKER, None, None  # the writer's opening scene: a claim only inside a quotation
        # crossed on the way up to a reporting verb before it: the speaker did not say what the writer adds
        # after their words ("X said the shelling hit the market, where 300 ..."); a clause before a closing
        # cue ("targets, which include three units, Davis said") is inside what was said
        if background is None and _background_clause(node):
            background = node.left_edge.i
        if node.pos_ == "NOUN" and node.lemma_.lower() in HEARSAY_NOUNS and child.lower_ == "of":
            # "claims of 40 dead were false, he said": the figure is the claim's, not the one who rejects it
            return _claim_owner(node), None, None
        if node.pos_ in ("VERB", "AUX") and node.dep_ in ("ccomp", "relcl", "acl", "advcl", "conj", "xcomp"):
            noun_claim = _claim_noun_before(node)
            if noun_claim is not None:
                return noun_claim, None, None
        if node.head.i == node.i or node.head.i < sentence.start or node.head.i >= sentence.end:
            break
        if in_speaker and node.dep_ == "conj":
            break  # "..., and the mother of three replied": a clause of the writer's, coordinated
        if node.dep_ == "relcl" and _set_off(node) and not _in_reported_clause(node, sentence):
            set_off = node
            break
        child, node = node, node.head
    if in_speaker:
        return _IN_SPEAKER, None, None
    misread = _root_with_misread_subject(node) if node.dep_ == "ROOT" else None
    if misread is not None and background is None:
        return phrase_text(misread[0]), misread[0], misread[1]
    for token in sentence:  # "according to X" anywhere in the sentence (it covers a background clause too)
        if token.lower_ == "according" and token.i + 2 < sentence.end and token.nbor(1).lower_ == "to":
            if not _according_covers(token, anchor):
                continue  # "seized 12 villages, and according to X, burned 30 homes": X vouches for the 30 only
            obj = next((c for c in token.nbor(1).children if c.dep_ == "pobj"), None)
            # "according to the data": data says nothing, the reading of it is the writer's
            if obj is not None and not any(t.pos_ == "PRON" for t in obj.subtree) and source_can_speak(obj):
                return phrase_text(obj), None, None
    if set_off is not None:
        return _BACKGROUND, None, None
    return None, None, None


def _according_covers(according: Token, anchor: Token) -> bool:
    """Whether "according to X" vouches for the figure at `anchor`: a phrase that opens or closes the sentence
    qualifies all of it; one inside the sentence only the clause it hangs on."""
    if opens_sentence(according) or closes_sentence(according):
        return True
    clause = according.head
    while clause.pos_ not in ("VERB", "AUX") and clause.head.i != clause.i:
        clause = clause.head
    return clause.left_edge.i <= anchor.i <= clause.right_edge.i


def claimant_of(
    parsed: Parsed, sentence: Span, index: int, m: NumberMention, sources: ClaimSources
) -> str | None:
    claimant, rule = _claimant_as_written(parsed, sentence, index, m, sources)
    log = RULE_LOG.get()
    if log is not None:  # `python -m evaluation.claim_rules`: which rule gave each figure's claimant
        log[(id(parsed.doc), parsed.doc[m.start].idx)] = rule
    claimant = _tidy(claimant) if claimant else None
    if not claimant:
        return None  # shown as "no claimant named": unsure is better than wrong
    named = fuller_name(parsed.doc, claimant, m.start) or claimant
    if _unresolved_country(named):
        return None  # "the country" with no state named before it: which one is not known
    return named


def _unresolved_country(claimant: str) -> bool:
    words = claimant.casefold().split()
    # "the state" is left alone: in much copy it names a state of a federation or a government
    return len(words) == 2 and words[0] == "the" and words[1] in COUNTRY_NOUNS - {"state"}


PRONOUN_CLAIMANTS = frozenset({"i", "we", "you", "he", "she", "it", "they", "this", "that", "these", "those"})
_DATELINE = re.compile(r"^[A-Z][A-Z .'-]+, ")  # "LOS ANGELES, Sept. 28 (UPI)": where the wire filed from


_SMALL_NUMBER = r"(?:\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten)"
# "one in three residents", "about four out of 10 voters": a share of those asked speaks as a poll's answer,
# no one the reader can hold to the figure (a count of people, "two of the 12 officers", still speaks)
_SHARE_OF_GROUP = re.compile(
    rf"^(?:(?:just|only|about|some|nearly|almost|roughly|more than|fewer than)\s+)*{_SMALL_NUMBER}\s+"
    rf"(?:in|out of)\s+(?:every\s+)?{_SMALL_NUMBER}\b",
    re.I,
)


_DAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|tonight)"
_PART_OF_DAY = r"(?:morning|afternoon|evening|night)"
# "Cruz's campaign on Monday", "Broaddrick Sunday night", "the mayor last week": when they spoke, which the
# tagger's speaker span took in; who claims is the words before it. A bare day is left ("a poll released
# Thursday": it may date the poll, and cutting it would leave half a phrase)
_TIME_TAIL = re.compile(
    rf"\s+(?:(?:on|earlier|late|early)\s+{_DAY}(?:\s+{_PART_OF_DAY})?|{_DAY}\s+{_PART_OF_DAY}"
    r"|(?:last|this|earlier this|late last)\s+(?:week|weekend|month|year|night|morning|evening))$",
    re.I,
)


def _tidy(claimant: str) -> str | None:
    """A claimant as a reader can trust it, or None: no markup or quote marks in front ('">Sanders'), no
    half of a dateline ("LOS ANGELES, Sept. 28 (UPI"), no share of a survey ("9 percent of voters said")."""
    claimant = re.sub(r"^[^\w(]+", "", claimant).strip()
    claimant = re.sub(r",\s*\d{1,3}\s*$", "", claimant)  # "Mr Ortiz, 54": the age is no part of who claims
    claimant = _TIME_TAIL.sub("", claimant)
    if (
        claimant.count("(") != claimant.count(")")
        or SURVEY_SHARE.match(claimant)
        or _SHARE_OF_GROUP.match(claimant)
        or _DATELINE.match(claimant)
    ):
        return None
    if not re.search(r"[^\W\d_]{2}", claimant):  # "'s", "3": no word in it
        return None
    if claimant.casefold() in PRONOUN_CLAIMANTS:  # "They", unresolved: who is not known
        return None
    if claimant.casefold() in BARE_QUANTIFIERS:  # "All told, ...", "Some said": a quantifier names nobody
        return None
    return claimant or None


_NONE: tuple[None, str] = (None, "no speaker there")


def _claimant_as_written(
    parsed: Parsed, sentence: Span, index: int, m: NumberMention, sources: ClaimSources
) -> tuple[str | None, str]:
    """The claimant as the article writes it, and which rule gave it (for `claim_paths` and the gate)."""
    doc = parsed.doc
    if _counts_the_utterance(m.anchor):
        return None, "counts the utterance"
    text, subject, verb = _tree_claimant(m.anchor, sentence)
    start_char, end_char = doc[m.start].idx, doc[m.end - 1].idx + len(doc[m.end - 1])
    inside = _innermost(sources, index, start_char, end_char)
    if text is _IN_SPEAKER:  # "the mother of five replied": the writer's words unless inside a quotation
        return (
            (inside.speaker, "quote around the speaker's description")
            if inside is not None and inside.kind == "direct"
            else _NONE
        )
    if text is _BACKGROUND:  # the writer's ", where / which ..." clause: a speaker's only inside their quote
        if inside is not None and inside.kind == "direct":
            return inside.speaker, "quote around a background clause"
        return (sources.document, "document speaker") if sources.document else (None, "background clause")
    if text is not None and _tidy(text) is None:  # "9 percent of voters said": look further, as if none
        text, subject, verb = None, None, None
    if verb is not None:
        quote = sources.quote_holding(verb.idx, verb.idx + len(verb))
        if quote is not None and quote.start <= start_char and end_char <= quote.end:
            # '"People say he will get 90 percent," said X': a cue inside a quotation is part of what the
            # quotation's speaker says, so the figure is that speaker's, or nobody's when none is known
            return (
                (inside.speaker, "quotation around a cue")
                if inside is not None and inside.kind == "direct"
                else _NONE
            )
    if verb is not None and verb.i in sources.by_cue:
        attribution = sources.by_cue[verb.i]  # the attribution model resolved this very cue
        if attribution.speaker == attribution.mention and text:
            return (
                text,
                "cue as written",
            )  # not a pronoun or "the minister": the phrase whole, with its apposition ("UNRWA")
        speaker = attribution.speaker
        listener = text.rfind(", to ") if text else -1
        return (
            speaker + text[listener:] if listener > 0 and ", to " not in speaker else speaker
        ), "cue resolved"
    if subject is not None:
        if subject.lower_ in FIRST_PERSON:
            # "We counted 35 dead," said X: a quote's "we" is its speaker; a press release's "we" is its author;
            # the writer's own "I" is nobody's claim
            if inside is not None:
                return inside.speaker, "first person in a statement"
            return sources.document, "first person of the document"
        if not can_speak(subject):
            return _NONE
        if is_pronoun(subject):
            resolved = resolve_pronoun(
                doc, parsed.sentences, parsed.sentence_index, subject, sources.candidates
            )
            if resolved:
                return resolved, "pronoun resolved"
            return (inside.speaker, "statement around a pronoun") if inside is not None else _NONE
        return text, "speech verb's subject"
    if text is not None:
        return text, "according to or claim noun"
    if inside is not None:
        return inside.speaker, "statement holding it"
    return sources.document, "document speaker" if sources.document else "nothing found"
