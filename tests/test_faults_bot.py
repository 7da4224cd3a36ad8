"""Issue 12 row 9: the local Bot API injects faults (429 with retry_after on half the sends, 500 on a fifth,
getUpdates outages) and every reply still arrives, exactly once, and none is replaced by the apology.

The same conversation runs twice through the real Application, once on a well-behaved server and once on
a faulty one; the chats must read the same. Before `bot.delivery.RetryingRateLimiter` a 500 lost the reply
at once and four 429s in a row lost it after PTB's three retries (the apology came instead)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from bot.local_api import ApiError, Faults, LocalBotApi, _Params
from bot.nlp_pool import NlpPool
from bot.outbox import kept_for_later
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


# Sends and edits answered after hang_s (7 s), past PTB's 5 s read timeout: carried out, no answer in time.
TIMEOUTS = Faults(seed=5, timeout_after_delivery=0.3)
PROGRESS = ("Reading", "Writing", "Fetched", "Downloaded")  # a placeholder whose send landed twice stays
TIMEOUT_CONVERSATION = {
    1: [ARTICLE_TEXT, "/history"],  # the brief: a placeholder sent at once, then edited (and staged)
    2: ["/start", "/settings", "/help", "/feeds"],
}


def _extras(stormy: list[str], calm: list[str]) -> list[str] | None:
    """What `stormy` has beyond `calm`, if `calm` is in it in order (else None)."""
    extras, rest = [], iter(stormy)
    for wanted in calm:
        for text in rest:
            if text == wanted:
                break
            extras.append(text)
        else:
            return None
    return extras + list(rest)


async def test_a_call_answered_after_the_timeout_is_repeated_not_reported(
    tmp_path: Path, bot_nlp_pool: NlpPool
) -> None:
    """Issue 12 row 9, "a send answered after the read timeout": Telegram carried the call out, the bot
    never heard back. Edits are repeated, and "message is not modified" then means the first landed: the
    brief is never sent twice. Sends are repeated (no Bot API call can look a message up): a send that
    had landed shows twice, never not at all. Before: the send's TimedOut reached the error handler (the
    apology instead of the reply) and the repeated edit's "not modified" made the brief be sent again."""
    results = {}
    for name, faults in (("calm", None), ("stormy", TIMEOUTS)):
        async with LocalBotApi(token=TOKEN, faults=faults) as api:
            async with make_harness(tmp_path / name, bot_nlp_pool, api=api, placeholder_after_s=0) as harness:
                for chat, texts in TIMEOUT_CONVERSATION.items():
                    for text in texts:  # one at a time: the seeded faults fall on the same calls each run
                        await api.push_text(chat, text)
                        await harness.idle(timeout=120)
                assert harness.errors == [], harness.errors
                retried = dict(harness.application.bot.rate_limiter.retried)
            results[name] = {chat: [m.text for m in api.messages(chat)] for chat in TIMEOUT_CONVERSATION}
    calm, stormy = results["calm"], results["stormy"]
    timeouts = api.injected["timeout after delivery"]
    print(f"\ntimeouts after delivery injected: {timeouts}; retried: {retried}; chats: {stormy}")
    assert timeouts >= 2 and retried.get("landed before", 0) >= 1  # an edit and a send timed out
    for chat in TIMEOUT_CONVERSATION:
        assert not any(text.startswith("Sorry, something went wrong") for text in stormy[chat])
        extras = _extras(stormy[chat], calm[chat])
        assert extras is not None, (chat, stormy[chat], calm[chat])  # every reply, in order
        assert all(text in calm[chat] or text.startswith(PROGRESS) for text in extras), extras
        assert len(extras) <= timeouts
        assert max(Counter(stormy[chat]).values()) <= 2  # a repeat waits longer: one extra copy at most
    assert sum(1 for text in stormy[1] if "Summary" in text) == 1  # the edited brief once


async def test_a_reply_whose_retries_ran_out_is_sent_later_in_order_while_the_bot_lives(
    tmp_path: Path, bot_nlp_pool: NlpPool
) -> None:
    """Telegram refuses a chat's sends for longer than a reply's retries last (shortened to 1 s): the
    reply is kept and sent again by the same run once Telegram is back, before the newer reply of its
    chat, and without an apology (the reply was not lost). Before, it waited for the next start."""
    chat = 4
    down = True

    async def refuse(method: str, params: _Params) -> None:
        if down and method == "sendmessage" and params.integer("chat_id") == chat:
            raise ApiError(500, "Internal Server Error")

    async with LocalBotApi(token=TOKEN) as api:
        api.before_call = refuse
        async with make_harness(
            tmp_path, bot_nlp_pool, api=api, reply_deadline_s=1.0, outbox_retry_s=0.5
        ) as harness:
            await api.push_text(chat, "/start")
            await api.wait_until(lambda: len(harness.errors) == 1, timeout=60)
            await api.push_text(chat, "/settings")
            await api.wait_until(lambda: len(harness.errors) == 2, timeout=60)
            refused = len([c for c in api.calls("sendMessage") if c.status == 500])
            down = False
            await api.wait_until(lambda: len(api.messages(chat)) >= 2, timeout=60)
            await harness.idle()
            outbox = harness.application.bot.rate_limiter.outbox
            assert outbox is not None and outbox.sent_late == 2
            assert await harness.services.db.outbox.pending(chat) == []
        shown = [m.text for m in api.messages(chat)]
    assert all(kept_for_later(error) for error in harness.errors)
    assert refused >= 4  # each reply tried more than once before it was kept
    assert len(shown) == 2 and shown[1].startswith("Settings for this chat")
    assert shown[0].startswith("conflictbrief turns war and conflict news")
    assert not any(text.startswith("Sorry") for text in shown)
