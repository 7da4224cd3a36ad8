"""The plain-text form of a Brief: what the CLI prints and what a person would want to read."""

from __future__ import annotations

from summarize.model import Brief, Figure, Statement


def format_figure(figure: Figure) -> str:
    """`at least 30 North Korean soldiers killed or wounded (Ukraine's military intelligence; near ...; Dec. 14)`."""
    head = figure.value
    if figure.counts and figure.counts.casefold() not in figure.value.casefold():
        head = f"{figure.value} {figure.counts}"
    context = [part for part in (figure.claimed_by, figure.where, figure.when) if part]
    return f"{head} ({'; '.join(context)})" if context else head


def format_statement(statement: Statement) -> str:
    return f'{statement.speaker} ({statement.kind}): "{statement.quote}"'


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
        lines.extend(f"• {format_figure(f)}" for f in brief.figures)
    if brief.speakers:
        lines += ["", "Who said what"]
        lines.extend(f"• {format_statement(s)}" for s in brief.speakers)
    if brief.notices:
        lines += [""] + [f"Note: {notice}" for notice in brief.notices]
    return "\n".join(lines)
