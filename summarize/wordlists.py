"""Word lists kept as data beside the code that uses them: one entry a line, `#` starts a comment.

Each package's `words.py` reads its lists once, at import (once per process), through importlib.resources,
so they are found in an installed wheel as well as in a checkout (pyproject ships `words/*.txt`).
"""

from __future__ import annotations

from importlib.resources import files


def _entries(package: str, name: str) -> list[str]:
    module = f"summarize.{package}" if package else "summarize"
    text = files(module).joinpath("words", f"{name}.txt").read_text(encoding="utf-8")
    entries = []
    for line in text.splitlines():
        entry = line.split("#", 1)[0].strip()
        if entry:
            entries.append(entry)
    return entries


def word_set(package: str, name: str) -> frozenset[str]:
    """The entries of `summarize/<package>/words/<name>.txt` (`summarize/words/` for package "")."""
    return frozenset(_entries(package, name))


def word_pairs(package: str, name: str) -> dict[str, str]:
    """Two words a line ("kill killed"): a mapping from the first to the second."""
    pairs = {}
    for entry in _entries(package, name):
        key, value = entry.split()
        pairs[key] = value
    return pairs
