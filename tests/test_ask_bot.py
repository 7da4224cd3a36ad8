"""/ask through the real Application on the local Bot API server: answers with sources, replies to a
brief scoped to its article, and two chats that never see each other's history."""

from __future__ import annotations

from pathlib import Path

from bot.app import HANDLER_MODULES
from bot.nlp_pool import NlpPool
from tests.bot_support import *  # noqa: F403 - the fixtures (article_server, bot_nlp_pool, harness)
from tests.bot_support import (
    ARTICLE_TEXT,
    ARTICLE_TITLE,
    SECOND_TEXT,
    SECOND_TITLE,
    ArticleServer,
    article_html,
    make_harness,
)

MODULES = tuple(dict.fromkeys((*HANDLER_MODULES, "bot.handlers.ask")))


async def _brief(harness, chat: int, server: ArticleServer, path: str, title: str, text: str):
    url = server.add(path, article_html(title, text))
    replies = await harness.send(chat, url)
    assert replies and title in replies[0].text, [r.text for r in replies]
    return url, replies


async def test_ask_answers_with_source_and_isolates_chats(
    tmp_path: Path, bot_nlp_pool: NlpPool, article_server: ArticleServer
) -> None:
    async with make_harness(tmp_path, bot_nlp_pool, modules=MODULES) as harness:
        url, _ = await _brief(harness, 1, article_server, "/zarichne", ARTICLE_TITLE, ARTICLE_TEXT)

        [reply] = await harness.send(1, "/ask How many civilians were killed in Zarichne?")
        assert reply.text.startswith("From what this chat has read:")
        assert "12" in reply.text and ARTICLE_TITLE in reply.text
        assert f'href="{url}"' in reply.raw_text  # the source is cited with its link

        [said] = await harness.send(1, "/ask What did Governor Olena Marchenko say?")
        assert "Marchenko" in said.text and "12 bodies" in said.text

        # Chat 2 has read nothing: what only chat 1 read is not in chat 2's history.
        [other] = await harness.send(2, "/ask How many civilians were killed in Zarichne?")
        assert other.text.startswith("Not in what this chat has read.")
        assert "12" not in other.text and ARTICLE_TITLE not in other.text

        [nothing] = await harness.send(1, "/ask How many tanks were destroyed near Kharkiv?")
        assert nothing.text.startswith("Not in what this chat has read.")
        assert "Send me an article" in nothing.text

        [usage] = await harness.send(1, "/ask")
        assert "/ask How many civilians were killed?" in usage.text
        assert harness.errors == []


async def test_reply_to_a_brief_is_a_question_about_that_article(
    tmp_path: Path, bot_nlp_pool: NlpPool, article_server: ArticleServer
) -> None:
    async with make_harness(tmp_path, bot_nlp_pool, modules=MODULES) as harness:
        _, first = await _brief(harness, 7, article_server, "/zarichne", ARTICLE_TITLE, ARTICLE_TEXT)
        _, second = await _brief(harness, 7, article_server, "/talks", SECOND_TITLE, SECOND_TEXT)
        articles_before = await harness.services.db.articles.count(7)

        # Replying to the first brief asks about that article only, even though the chat read two.
        replies = await harness.send(
            7, "How many people are in hospital?", reply_to_message_id=first[0].message_id
        )
        assert len(replies) == 1, [r.text for r in replies]
        assert replies[0].text.startswith("From this article:")
        assert "31" in replies[0].text and SECOND_TITLE not in replies[0].text

        # The second brief does not hold it: said plainly, about this article.
        [scoped] = await harness.send(
            7, "How many people are in hospital?", reply_to_message_id=second[0].message_id
        )
        assert scoped.text.startswith("Not in this article.")

        # A question reply is never briefed as an article.
        assert await harness.services.db.articles.count(7) == articles_before
        assert harness.errors == []
