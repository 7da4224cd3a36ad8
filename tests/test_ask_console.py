"""The console chat (scripted mode), with /ask registered: after the seed article, each of the seed gold's
follow-up questions gets an answer holding its expected text."""

from __future__ import annotations

import io
import json
from functools import partial
from pathlib import Path

import pytest

import bot.console
from bot.app import HANDLER_MODULES, build_application
from bot.settings import Settings
from tests.conftest import SEED_GOLD

MODULES = tuple(dict.fromkeys((*HANDLER_MODULES, "bot.handlers.ask")))


async def test_seed_follow_ups_in_the_console(
    tmp_path: Path, seed_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The console builds the real Application; only the module list is ours, so /ask is in it even before
    # bot/app.py lists it.
    monkeypatch.setattr(bot.console, "build_application", partial(build_application, modules=MODULES))
    follow_ups = json.loads(SEED_GOLD.read_text(encoding="utf-8"))["follow_up_questions"]
    script = "\n---\n".join([seed_text.strip(), *(f"/ask {f['ask']}" for f in follow_ups)]) + "\n"
    out = io.StringIO()
    settings = Settings(database_path=tmp_path / "console.sqlite3", nlp_workers=1)
    code = await bot.console.run_console(settings, stdin=io.StringIO(script), stdout=out, interactive=False)
    assert code == 0
    blocks = [b.strip() for b in out.getvalue().split("\n---\n")]
    assert "Kursk" in blocks[0]  # the brief of the seed article
    for follow_up, block in zip(follow_ups, blocks[1:], strict=False):
        assert block.startswith("From what this chat has read:"), (follow_up, block)
        assert follow_up["answer_contains"].lower() in block.lower(), (follow_up, block)
    assert len(blocks) >= 1 + len(follow_ups)
