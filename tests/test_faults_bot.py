"""Issue 12 row 9: the local Bot API injects faults (429 with retry_after on half the sends, 500 on a fifth,
getUpdates outages) and every reply still arrives, exactly once, and none is replaced by the apology.

The same conversation runs twice through the real Application, once on a well-behaved server and once on
a faulty one; the chats must read the same. Before `bot.delivery.RetryingRateLimiter` a 500 lost the reply
at once and four 429s in a row lost it after PTB's three retries (the apology came instead)."""

from __future__ import annotations

from pathlib import Path

from bot.local_api import Faults, LocalBotApi
from bot.nlp_pool import NlpPool
from tests.bot_support import *  # noqa: F403 - the fixtures (bot_nlp_pool)
from tests.bot_support import ARTICLE_TEXT, SECOND_TEXT, TOKEN, make_harness

CONVERSATION = {
    1: ["/help", ARTICLE_TEXT, "/history", "/settings timezone Europe", "ok", "/figures"],
    2: ["/start", SECOND_TEXT, "/speakers", "/settings digest 07:30", "/nope"],
    3: ["/history 2", "/feeds", "/digest off", "hello there", "/settings"],
}
FAULTS = Faults(seed=12, flood=0.5, retry_after_s=1, server_error=0.2, updates_outage=0.2)


async def _talk(
    tmp_path: Path, nlp: NlpPool, faults: Faults | None
) -> tuple[dict[int, list[str]], LocalBotApi]:
    async with LocalBotApi(token=TOKEN, faults=faults) as api:
        async with make_harness(tmp_path, nlp, api=api) as harness:
            for chat, texts in CONVERSATION.items():
                for text in texts:
                    await api.push_text(chat, text)
            await harness.idle(timeout=240)
            assert harness.errors == [], harness.errors
        return {chat: [m.text for m in api.messages(chat)] for chat in CONVERSATION}, api


async def test_row9_every_reply_arrives_once_under_injected_faults(
    tmp_path: Path, bot_nlp_pool: NlpPool
) -> None:
    calm, _ = await _talk(tmp_path / "calm", bot_nlp_pool, None)
    stormy, api = await _talk(tmp_path / "stormy", bot_nlp_pool, FAULTS)
    assert sum(api.injected.values()) >= 10, api.injected  # the storm did happen
    assert api.injected["429"] and api.injected["500"] and api.injected["getUpdates 502"]
    for chat in CONVERSATION:
        assert stormy[chat] == calm[chat], chat  # every reply, once, in order; no apology instead
        assert not any(text.startswith("Sorry, something went wrong") for text in stormy[chat])
    print(f"\nfaults injected: {dict(api.injected)}")
