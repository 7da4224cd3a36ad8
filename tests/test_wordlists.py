"""Word lists are data files beside the code: every file is read by a `words` module and none is empty."""

from __future__ import annotations

import re
from pathlib import Path

import summarize
from summarize.wordlists import word_pairs, word_set

ROOT = Path(summarize.__file__).parent
LISTS = sorted(ROOT.glob("**/words/*.txt"))


def test_every_list_is_used_and_loads():
    # the NLP core's lists are also read by the bot's /ask (bot/ask.py), so both packages are searched
    readers = [*ROOT.glob("**/*.py"), *(ROOT.parent / "bot").glob("**/*.py")]
    sources = "\n".join(p.read_text(encoding="utf-8") for p in readers)
    assert len(LISTS) >= 30
    for path in LISTS:
        folder = path.parent.parent.relative_to(ROOT).as_posix()
        package = "" if folder == "." else folder.replace("/", ".")
        name = path.stem
        assert re.search(rf'word_(set|pairs)\("{re.escape(package)}", "{name}"\)', sources), path
        entries = word_pairs(package, name) if name == "participles" else word_set(package, name)
        assert entries, path


def test_comments_and_blank_lines_are_not_words():
    words = word_set("figures", "participles") | word_set("", "reporting_verbs")
    assert not any(w.startswith("#") or not w.strip() for w in words)
    assert word_pairs("figures", "participles")["shoot"] == "shot"
