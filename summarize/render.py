"""The plain-text form of a Brief: what the CLI prints and what a person would want to read."""

from __future__ import annotations

from summarize.figures import format_figure
from summarize.model import Brief
from summarize.speakers import format_statement

__all__ = ["brief_as_text", "format_figure", "format_statement", "mentions_note", "source_line"]


def mentions_note(mentions: int) -> str:
    """ " (mentioned 3 times)" after a figure the text states more than once; nothing otherwise."""
    return f" (mentioned {mentions} times)" if mentions > 1 else ""


def source_line(brief: Brief) -> str:
    return " · ".join(part for part in (brief.dateline, brief.published, brief.url) if part)


def brief_as_text(brief: Brief) -> str:
    lines: list[str] = []
    if brief.title:
        lines.append(brief.title)
    if source := source_line(brief):
        lines.append(source)
    if lines:
        lines.append("")
    lines.append("Summary")
    lines.extend(f"• {s.text}" for s in brief.summary)
    if brief.figures:
        lines += ["", "Key figures"]
        lines.extend(f"• {format_figure(f)}{mentions_note(f.mentions)}" for f in brief.figures)
    if brief.speakers:
        lines += ["", "Who said what"]
        lines.extend(f"• {format_statement(s)}" for s in brief.speakers)
    if brief.notices:
        lines += [""] + [f"Note: {notice}" for notice in brief.notices]
    return "\n".join(lines)
