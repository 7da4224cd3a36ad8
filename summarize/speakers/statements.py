"""The Brief's `speakers` from the attributions, and their one-line form."""

from __future__ import annotations

from collections.abc import Sequence

from summarize.model import Statement
from summarize.parse import Parsed
from summarize.speakers.attribution import Attribution, find_attributions


def extract_speakers(
    parsed: Parsed, attributions: Sequence[Attribution] | None = None
) -> tuple[Statement, ...]:
    """The Brief's `speakers`: one Statement per attribution, its quote verbatim from `parsed.text`."""
    if attributions is None:
        attributions = find_attributions(parsed)
    return tuple(
        Statement(
            speaker=a.speaker,
            kind=a.kind,
            quote=parsed.text[a.content_start : a.content_end],
            sentence=a.sentence,
        )
        for a in attributions
    )


def format_statement(statement: Statement) -> str:
    """One line for the CLI text form: direct speech in quote marks, reported speech as "said that"."""
    if statement.kind == "direct":
        return f'{statement.speaker} (direct): "{statement.quote}"'
    return f"{statement.speaker} (reported): {statement.quote}"
