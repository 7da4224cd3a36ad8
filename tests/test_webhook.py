"""Webhook mode: with TELEGRAM_WEBHOOK_URL set, the bot runs PTB's webhook server instead of polling; the
local Bot API registers it (setWebhook with the secret) and POSTs updates to it on loopback, as Telegram
does behind a reverse proxy. A request without the right secret token header is refused and never
reaches a handler."""

from __future__ import annotations

import socket

import aiohttp

from tests.bot_support import *  # noqa: F403 - fixtures: bot_nlp_pool
from tests.bot_support import ARTICLE_TEXT, NlpPool, make_harness

SECRET = "s3cret-Token_42"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def test_updates_arrive_by_webhook_and_a_wrong_secret_is_refused(tmp_path, bot_nlp_pool: NlpPool):
    port = _free_port()
    hook = f"http://127.0.0.1:{port}/telegram/hook"
    async with make_harness(
        tmp_path,
        bot_nlp_pool,
        webhook_url=hook,
        webhook_secret=SECRET,
        webhook_listen="127.0.0.1",
        webhook_port=port,
    ) as harness:
        api = harness.api
        [registered] = [call for call in api.calls("setWebhook")]
        assert registered.params["url"] == hook and registered.params["secret_token"] == SECRET
        assert api.calls("getUpdates") == []  # no polling at all

        replies = await harness.send(50, "/start")
        assert replies and "brief" in replies[0].text.lower()
        replies = await harness.send(51, ARTICLE_TEXT)
        assert any("Zarichne" in message.text for message in replies)  # a real brief, through the hook
        delivered = {update_id for update_id, status in api.webhook_deliveries if status == 200}
        assert len(delivered) == 2 and api.pending_update_count == 0

        forged = {
            "update_id": 999_001,
            "message": {
                "message_id": 1,
                "date": 1_700_000_000,
                "chat": {"id": 52, "type": "private"},
                "from": {"id": 52, "is_bot": False, "first_name": "Mallory"},
                "text": "/start",
                "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
            },
        }
        async with aiohttp.ClientSession() as session:
            for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "wrong"}):
                async with session.post(hook, json=forged, headers=headers) as response:
                    assert response.status == 403, headers
            async with session.post(f"http://127.0.0.1:{port}/elsewhere", json=forged) as response:
                assert response.status == 404
        await harness.idle()
        assert api.messages(52) == []  # nothing forged reached a handler
        assert harness.errors == []
