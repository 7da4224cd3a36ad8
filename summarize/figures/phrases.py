"""Noun-phrase text helpers shared by the counted-thing and claimant rules."""

from __future__ import annotations

from spacy.tokens import Token

from summarize.mentions import person_end, quote_mark, whole_words

RELATIVE_WORDS = frozenset({"who", "which", "that", "whom"})


def phrase_text(token: Token) -> str:
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
    # a name holds no quote mark: a misread quote ran its last words into the subject ("... fear' One farmer")
    start = next((i + 1 for i in range(token.i - 1, start - 1, -1) if quote_mark(doc[i])), start)
    end = next((i - 1 for i in range(token.i + 1, end + 1) if quote_mark(doc[i])), end)
    while end > start and (doc[end].is_punct or doc[end].lower_ in ("and", "or")):
        if doc[end].text == ")" and "(" in doc[start:end].text:
            break  # "Jama'at Nusrat al-Islam wal-Muslimin (JNIM)": the bracket closes inside the name
        end -= 1
    while start < end and (doc[start].is_punct or doc[start].is_quote):
        start += 1
    start, stop = whole_words(doc, start, end + 1)  # "Raed al-Jabouri", never "Raed al"
    stop = person_end(doc, start, stop)
    return doc[start:stop].text


def resolve_relative(token: Token) -> Token:
    """'which' / 'who' in a relative clause -> the noun the clause hangs on."""
    if token.lower_ not in RELATIVE_WORDS:
        return token
    node = token.head
    while node.dep_ != "relcl" and node.head.i != node.i:
        node = node.head
    return node.head if node.dep_ == "relcl" else token
