"""Issue 12 row 2: extraction keeps no state between articles, so ten chats sending one link all get it.

trafilatura's `deduplicate=True` kept a process-wide cache of paragraphs seen; from the fourth reading of
a page in one worker its paragraphs counted as duplicates and the chat got "I couldn't find an article".
"""

from __future__ import annotations

import asyncio

from summarize.extract import extract_article
from tests.bot_support import *  # noqa: F403 - fixtures: article_server, bot_nlp_pool, harness
from tests.bot_support import ArticleServer, BotHarness, article_html

TITLE = "Ferry crossing reopens after two weeks of strikes, port authority says"
TEXT = """\
The ferry crossing at Vylkove reopened on Monday after two weeks of strikes on the port, the port authority said.

Harbour master Taras Hnatiuk said three ships had crossed by noon and 40 trucks were waiting on the quay.

"We will run the crossing every four hours as long as the air is quiet," Hnatiuk told reporters at the pier.

The regional administration said 2,300 people had used the crossing in the week before it was closed.

Repairs to the damaged pier cost about 1.2 million hryvnias, according to the port authority.
"""
PAGE = article_html(TITLE, TEXT)


def test_the_same_page_extracted_ten_times_gives_the_same_article() -> None:
    first = extract_article(PAGE, url="http://127.0.0.1/ferry")
    for _ in range(9):
        again = extract_article(PAGE, url="http://127.0.0.1/ferry")
        assert again == first
    assert "Hnatiuk" in first.text


async def test_ten_chats_sending_one_link_all_get_the_brief(
    harness: BotHarness, article_server: ArticleServer
) -> None:
    url = article_server.add("/news/ferry", PAGE)
    chats = range(101, 111)
    replies = await asyncio.gather(*(harness.send(chat, url) for chat in chats))
    for chat, messages in zip(chats, replies, strict=True):
        shown = "\n".join(m.text for m in messages)
        assert TITLE in shown, f"chat {chat} got: {shown[:200]}"
        assert "couldn't find an article" not in shown
    assert harness.errors == []
