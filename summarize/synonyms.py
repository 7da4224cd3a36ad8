"""The words /ask treats as saying the same thing: a small table kept as data in `words/ask_same.txt`
and `words/ask_broader.txt`, read once at import.

`SAME` groups words (and two-word phrases) that report one event or one kind of thing; any member in a
question is met by any member in an article ("How many people died?" meets "the three fatalities"; "shoot
down" meets "intercepted"). `BROADER` is one-way: a question's word is met by the narrower words listed
("casualties" is met by "killed", but a question about the killed is not met by "casualties"). Inflections
that the Porter stemmer does not join ("shot"/"shoot", "fled"/"flee") are listed as members.
"""

from __future__ import annotations

from summarize.wordlists import word_set


def _members(text: str) -> tuple[str, ...]:
    return tuple(" ".join(member.split()).lower() for member in text.split(",") if member.strip())


# word_set gives a file's lines, each line one group; sorted, so the table is the same in every process.
SAME: tuple[tuple[str, ...], ...] = tuple(_members(line) for line in sorted(word_set("", "ask_same")))
BROADER: dict[str, tuple[str, ...]] = {
    " ".join(word.split()).lower(): _members(narrower)
    for word, _, narrower in (line.partition(":") for line in sorted(word_set("", "ask_broader")))
}
