"""Rules found on the real tune4 split (wire reports), each on sentences invented here; none is taken from
../shared.

- ", saying ..." after a reported clause is the reporter's: "X said the council had decided Y, saying Z" hangs
  "saying" on the last verb (decided), whose subject (the council) is inside what X said, not who says Z.
- Newsroom roles are a person's ("the paper's chief editor X", "correspondent X", "a reporter, X"): a name beside
  one is a person whatever the entity tagger said, so a later "he wrote" refers to them.
"""

from __future__ import annotations

from summarize.parse import parse
from summarize.speakers import extract_speakers, find_attributions


def _speakers(nlp, text: str) -> list[str]:
    parsed = parse(text, nlp=nlp)
    return [s.speaker for s in extract_speakers(parsed, find_attributions(parsed))]


def _speaker_of(nlp, text: str, quote_start: str) -> list[str]:
    """The speakers of the statements whose words start with `quote_start`."""
    parsed = parse(text, nlp=nlp)
    statements = extract_speakers(parsed, find_attributions(parsed))
    return [s.speaker for s in statements if s.quote.startswith(quote_start)]


def test_saying_after_a_reported_clause_is_the_reporters(nlp) -> None:
    text = (
        "Mayor Ana Duarte said that after a long review the council had decided the bridge was unsafe, "
        "saying she expected the army engineers to repair it."
    )
    assert _speaker_of(nlp, text, "she expected") == ["Mayor Ana Duarte"]


def test_saying_after_a_reported_clause_with_a_place_subject(nlp) -> None:
    text = (
        "Colonel Tomas Berg said Brussels had concluded the convoy route was closed, "
        "saying he trusted the local police to reopen it."
    )
    assert _speaker_of(nlp, text, "he trusted") == ["Colonel Tomas Berg"]


def test_he_refers_to_a_name_in_apposition_to_an_editor(nlp) -> None:
    """The tagger calls the name an organisation; beside "chief editor" it is a person, the one "he" means
    (not a place tagged a person two sentences back)."""
    text = (
        "Reports about the camps near Tula named Mr Volkov. In a letter to the governor, the magazine's chief "
        'editor Pavel Sumin said his staff would keep working. "We did not slander anyone," he wrote.'
    )
    assert _speakers(nlp, text) == ["Pavel Sumin", "Pavel Sumin"]
