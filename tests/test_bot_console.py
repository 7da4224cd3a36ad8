"""The console chat as a person runs it: `python -m bot --console` in a real subprocess, scripted mode."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO, SEED_ARTICLE


def run_console(script: str, db: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NLP_WORKERS": "1", "TELEGRAM_BOT_TOKEN": "", "LOG_LEVEL": "WARNING"}
    return subprocess.run(
        [sys.executable, "-m", "bot", "--console", "--db", str(db), *extra],
        input=script,
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=120,
    )


def test_scripted_console_briefs_the_seed_article(shared_dir: Path, tmp_path: Path) -> None:
    seed = SEED_ARTICLE.read_text(encoding="utf-8")
    script = f"{seed}\n---\n/history\n---\n/speakers Zelensky\n---\n/nonsense\n"
    result = run_console(script, tmp_path / "console.sqlite3")
    assert result.returncode == 0, result.stderr[-2000:]
    blocks = result.stdout.split("\n---\n")
    assert result.stdout.endswith("---\n") and len(blocks) == 5 and blocks[-1] == ""
    brief, history, speakers, unknown = blocks[:4]
    assert brief.startswith("At least 30 N Korean soldiers killed, wounded in Kursk: Ukraine")
    assert "Summary" in brief and "Key figures" in brief and "Who said what" in brief
    summary = [line[2:] for line in brief.split("Key figures")[0].splitlines() if line.startswith("• ")]
    assert summary and all(sentence in seed for sentence in summary)
    assert "at least 30" in brief.lower()
    assert "<b>" not in brief and "&amp;" not in brief  # plain text, entities unescaped
    assert "[More sentences]" in brief
    assert "Recent articles (1)" in history and "Kursk" in history
    assert "Zelensky" in speakers
    assert "/help" in unknown
    assert (tmp_path / "console.sqlite3").exists()


def test_console_chat_id_and_button_press(tmp_path: Path) -> None:
    article = (REPO / "tests" / "bot_support.py").read_text(encoding="utf-8")
    text = article.split('ARTICLE_TEXT = """\\\n')[1].split('"""')[0]
    db = tmp_path / "c.sqlite3"
    result = run_console(f"{text}\n---\n[More sentences]\n", db, "--chat-id", "42")
    assert result.returncode == 0, result.stderr[-2000:]
    brief, more, _ = result.stdout.split("\n---\n")
    assert "Shelling of the river town" in brief or "Zarichne" in brief
    assert "More from" in more or "every sentence" in more
    other = run_console("/history\n", db, "--chat-id", "7")
    assert "Nothing here yet" in other.stdout  # chat 7 does not see chat 42's history


def run_console_bytes(script: bytes, db: Path, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "NLP_WORKERS": "1", "TELEGRAM_BOT_TOKEN": "", "LOG_LEVEL": "WARNING"}
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.run(
        [sys.executable, "-m", "bot", "--console", "--db", str(db)],
        input=script,
        capture_output=True,
        cwd=cwd,
        env=env,
        timeout=120,
    )


def test_console_survives_bad_utf8_prints_edits_saves_exports_and_says_it_loads(tmp_path: Path) -> None:
    """One scripted session as a newcomer meets it: a stray non-UTF-8 byte, /export, /forget and its
    confirmation (an edit of an earlier message), run from a folder of the user's own."""
    work = tmp_path / "work"
    work.mkdir()
    script = b"/ask caf\xe9 \xff?\n---\n/export\n---\n/forget\n---\n[Yes, delete everything]\n---\n/export\n"
    result = run_console_bytes(script, tmp_path / "c.sqlite3", work)
    stdout = result.stdout.decode("utf-8")
    stderr = result.stderr.decode("utf-8", "replace")
    assert result.returncode == 0, stderr[-2000:]
    assert "Traceback" not in stderr
    blocks = stdout.split("\n---\n")
    assert len(blocks) == 6 and blocks[-1] == "", stdout
    ask, export, forget, confirmed, second = blocks[:5]
    assert ask.startswith("This chat has no articles yet.")  # answered, not crashed
    saved = work / "conflictbrief-chat-1.json"
    assert saved.is_file() and str(saved.resolve()) in export
    assert json.loads(saved.read_text(encoding="utf-8"))["articles"] == []
    assert "Delete every article" in forget
    assert "(edited)" in confirmed and "Done: deleted" in confirmed
    assert stderr.count("loading the language model…") == 1
    assert (work / "conflictbrief-chat-1 (2).json").is_file()  # never overwrites an earlier export
    assert "conflictbrief-chat-1 (2).json" in second
