"""Whole-document speakers: a statement or press release that is one speaker's words throughout.

"Statement by the Ministry of Defence on ...", "Remarks of Foreign Minister X at ...", "Minister X comments
on ...": the title (or the first line) names who speaks, and the document's own "we" / "I" and its
unattributed figures are that speaker's. Anything else has no document speaker: the writer's "I" in a
report is nobody's claim.
"""

from __future__ import annotations

import re

from summarize.parse import Parsed

_LEAD = re.compile(
    r"^\s*(?:joint\s+)?(?:press\s+release|press\s+statement|statement|remarks|comments?|readout|address|message)"
    r"\s+(?:by|of|from)\s+(?P<who>.+?)(?:\s+(?:on|about|regarding|concerning|at|to|in)\s+.+)?\s*[.:]?\s*$",
    re.IGNORECASE,
)
_TRAIL = re.compile(
    r"^\s*(?P<who>.+?)\s+(?:comments|remarks|statement|says|speaks)\s+(?:on|about|regarding)\s+.+$"
)
_MAX_WORDS = 10


def document_speaker(parsed: Parsed) -> str | None:
    """Who speaks throughout the document, from its title or first line; None for an ordinary report."""
    lines = [parsed.title] if parsed.title else []
    if parsed.sentences:
        lines.append(parsed.sentences[0].text.split("\n")[0])
    for line in lines:
        for pattern in (_LEAD, _TRAIL):
            found = pattern.match(line)
            if found is None:
                continue
            who = found.group("who").strip(" ,.:;-—")
            named = who[:1].isupper() or who.lower().startswith("the ")
            if named and 0 < len(who.split()) <= _MAX_WORDS:
                return who
    return None
