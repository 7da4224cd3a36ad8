"""Long inputs of distinct real text: CNN/DailyMail articles of the FRANK sample joined until a length.

Each article appears once (no repeats, so nothing is cheaper for being seen twice); articles are joined by
a blank line and the text is cut at the last article boundary before the length, or mid-article at a
sentence end when one article would overshoot. Articles stay in ../shared/data: nothing is copied.
"""

from __future__ import annotations

import json
from pathlib import Path


def articles(shared: Path) -> list[str]:
    path = shared / "data" / "frank_cnndm_xsum" / "items.jsonl"
    if not path.exists():
        return []
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    rows = sorted((r for r in rows if r["dataset"] == "cnndm"), key=lambda r: r["id"])
    seen: set[str] = set()
    texts = []
    for row in rows:
        if row["article"] not in seen:
            seen.add(row["article"])
            texts.append(row["article"].strip())
    return texts


def joined_text(shared: Path, chars: int) -> str | None:
    """About `chars` characters (never more) of distinct articles, or None when the data has too few."""
    parts: list[str] = []
    size = 0
    for text in articles(shared):
        room = chars - size - (2 if parts else 0)
        if room <= 0:
            break
        if len(text) > room:
            cut = text.rfind(". ", 0, room)
            if cut > 0:
                parts.append(text[: cut + 1])
            break
        parts.append(text)
        size += len(text) + (2 if len(parts) > 1 else 0)
    joined = "\n\n".join(parts)
    return joined if len(joined) >= chars * 0.9 else None
