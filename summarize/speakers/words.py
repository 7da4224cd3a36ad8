"""Word lists of the speakers extractor, read once from the text files in `words/` beside this module.

Edit a list there (one word a line, `#` comments); this module only names them.
"""

from __future__ import annotations

from summarize.lexicon import REPORTING_VERBS
from summarize.wordlists import word_set

# Reporting verbs that introduce beliefs, estimates or evidence rather than speech ("officials estimate").
NOT_SPEECH = word_set("speakers", "not_speech")


MORE_SPEECH = word_set("speakers", "more_speech")


SPEECH_VERBS: frozenset[str] = (REPORTING_VERBS - NOT_SPEECH) | MORE_SPEECH


# Nouns whose "saying" clause is a document, not a speaker: "a statement saying ..." takes the verb's subject.
DOCUMENTS = word_set("speakers", "documents")


# Speech acts whose content may be an infinitive ("vowed to ...", "urged voters to ...", "claimed to have ...").
INFINITIVE_CONTENT = word_set("speakers", "infinitive_content")


# Speech acts whose content may be a noun phrase ("denied the allegations", "announced plans to ...").
OBJECT_CONTENT = word_set("speakers", "object_content")


# Verbs after which an infinitive cue is a statement made: "he went on to say", "she continued to insist".
# Cues that are speech only next to a quote ('"...," he continued'), not "the fighting will continue".
QUOTE_ONLY = word_set("speakers", "quote_only")


GO_ON = word_set("speakers", "go_on")


# Speech verbs whose content is always a clause, never a noun phrase.
CLAUSE_ONLY = word_set("speakers", "clause_only")


TIME_PREPOSITIONS = word_set("speakers", "time_prepositions")


SUBORDINATORS = word_set("speakers", "subordinators")


# Verbs whose object is the hearer, not the content: "..., Kuleba told reporters".
RECIPIENT_VERBS = word_set("speakers", "recipient_verbs")


TAIL_STARTS = word_set("speakers", "tail_starts")


# Nouns for words issued: "Gen. X released the following statement:" + a quote frames the quote as X's words.
ISSUED_WORDS = word_set("speakers", "issued_words")
