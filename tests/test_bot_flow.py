"""The bot end to end: the real Application, handlers, NLP pool and database against the local Bot API
server, with article pages from a local HTTP server. Each test pushes what a person would send and
asserts the messages the bot sent (the server refuses invalid HTML and over-long messages itself)."""

from __future__ import annotations

import time

from bot.local_api import BotMessage
from tests.bot_support import *  # noqa: F403 - fixtures: article_server, bot_nlp_pool, harness
from tests.bot_support import (
    ARTICLE_TEXT,
    ARTICLE_TITLE,
    SECOND_TEXT,
    SECOND_TITLE,
    ArticleServer,
    BotHarness,
    article_html,
)

CHAT = 1
OTHER = 2


def texts(messages: list[BotMessage]) -> str:
    return "\n".join(m.text for m in messages)


def assert_brief_of_first_article(messages: list[BotMessage]) -> None:
    shown = texts(messages)
    assert ARTICLE_TITLE in shown
    assert "Summary" in shown and "Key figures" in shown and "Who said what" in shown
    # every summary bullet is a verbatim sentence of the article
    bullets = [line[2:] for line in shown.splitlines() if line.startswith("• ")]
    assert bullets and any(b in ARTICLE_TEXT for b in bullets)
    assert "12" in shown and "Marchenko" in shown
    for message in messages:
        assert len(message.text) <= 4096 and message.parse_mode == "HTML"


async def test_url_message_gets_brief_with_sections_and_buttons(
    harness: BotHarness, article_server: ArticleServer
) -> None:
    url = article_server.add("/news/zarichne", article_html())
    replies = await harness.send(CHAT, f"look {url}")
    assert_brief_of_first_article(replies)
    assert "127.0.0.1" in texts(replies)  # the source line names the site
    buttons = {b["text"].split(" (")[0]: b["callback_data"] for b in replies[-1].buttons}
    assert "More sentences" in buttons
    article_id = int(buttons["More sentences"].split(":")[1])
    stored = await harness.services.db.articles.get(CHAT, article_id)
    assert stored is not None and stored.url == url and stored.kind == "url"
    assert harness.api.calls("sendChatAction"), "a typing action while working"
    more = await harness.press(CHAT, replies[-1].message_id, buttons["More sentences"])
    assert more and "More from" in more[0].text
    new_bullets = [line[2:] for line in texts(more).splitlines() if line.startswith("• ")]
    assert new_bullets and all(b in ARTICLE_TEXT for b in new_bullets)
    assert not set(new_bullets) & {line[2:] for line in texts(replies).splitlines() if line.startswith("• ")}
    assert harness.errors == []


async def test_pasted_text_then_repeat_answered_from_storage(harness: BotHarness) -> None:
    first = await harness.send(CHAT, SECOND_TEXT)
    assert "Pasted text" in first[0].text and "Summary" in texts(first)
    assert "150" in texts(first)
    started = time.perf_counter()
    again = await harness.send(CHAT, SECOND_TEXT)
    elapsed = time.perf_counter() - started
    assert "Already in this chat's history" in again[0].text
    assert [line for line in texts(again).splitlines() if line.startswith("• ")] == [
        line for line in texts(first).splitlines() if line.startswith("• ")
    ]
    assert not harness.api.calls("editMessageText") or len(again) == len(first)
    assert elapsed < 2.0, elapsed
    assert await harness.services.db.articles.count(CHAT) == 1


async def test_forwarded_channel_post_keeps_channel_and_post_link(harness: BotHarness) -> None:
    replies = await harness.push(
        harness.api.push_forwarded_channel_post(
            CHAT,
            channel_id=-1001234567890,
            channel_title="Front <Line> News",
            channel_username="frontline_news",
            channel_message_id=4521,
            text=ARTICLE_TEXT,
        )
    )
    shown = texts(replies)
    assert "Forwarded from Front <Line> News" in shown  # escaped in HTML, shown as sent
    assert "&lt;Line&gt;" in replies[0].raw_text
    assert 'href="https://t.me/frontline_news/4521"' in replies[0].raw_text
    [entry] = await harness.services.db.articles.recent(CHAT)
    assert entry.kind == "forward" and entry.forward_title == "Front <Line> News"
    assert entry.url == "https://t.me/frontline_news/4521"
    history = await harness.send(CHAT, "/history")
    assert "Front <Line> News" in history[0].text


async def test_teaser_forward_briefs_the_linked_article(
    harness: BotHarness, article_server: ArticleServer
) -> None:
    url = article_server.add("/world/talks", article_html(SECOND_TITLE, SECOND_TEXT))
    replies = await harness.push(
        harness.api.push_forwarded_channel_post(
            CHAT,
            channel_id=-1009876543210,
            channel_title="War Wire",
            channel_message_id=77,
            text=f"Prisoner exchange talks resume. Read more: {url}",
        )
    )
    shown = texts(replies)
    assert SECOND_TITLE in shown and "Forwarded from War Wire" in shown
    assert 'href="https://t.me/c/9876543210/77"' in replies[0].raw_text  # private channel link form
    assert article_server.hits["/world/talks"] == 1
    [entry] = await harness.services.db.articles.recent(CHAT)
    assert entry.url == url and entry.forward_title == "War Wire"


async def test_photo_caption_long_enough_is_briefed_short_one_gets_advice(harness: BotHarness) -> None:
    caption = " ".join(SECOND_TEXT.split("\n\n")[:5])[:1000]
    long_caption = await harness.push(
        harness.api.push_forwarded_channel_post(
            CHAT,
            channel_id=-1001,
            channel_title="Photo Desk",
            channel_message_id=5,
            photo=b"\xff\xd8\xff",
            caption=caption,
        )
    )
    assert "Summary" in texts(long_caption) and "Photo Desk" in texts(long_caption)
    short = await harness.push(
        harness.api.push_forwarded_channel_post(
            CHAT,
            channel_id=-1001,
            channel_title="Photo Desk",
            channel_message_id=6,
            photo=b"\xff\xd8\xff",
            caption="Smoke over the port.",
        )
    )
    assert len(short) == 1 and "too short" in short[0].text and "link" in short[0].text


async def test_txt_and_html_documents(harness: BotHarness) -> None:
    txt = await harness.push(harness.api.push_document(CHAT, ARTICLE_TEXT.encode(), "zarichne.txt"))
    assert "Summary" in texts(txt) and "File zarichne.txt" in texts(txt)
    page = article_html(SECOND_TITLE, SECOND_TEXT).encode()
    html_doc = await harness.push(harness.api.push_document(OTHER, page, "talks.html"))
    assert SECOND_TITLE in texts(html_doc) and "Summary" in texts(html_doc)
    assert harness.errors == []


async def test_several_urls_each_briefed_up_to_the_limit(
    harness: BotHarness, article_server: ArticleServer
) -> None:
    urls = [
        article_server.add(
            f"/a{i}", article_html(f"{ARTICLE_TITLE} ({i})", ARTICLE_TEXT.replace("12", str(20 + i)))
        )
        for i in range(4)
    ]
    replies = await harness.send(CHAT, " ".join(urls))
    shown = texts(replies)
    for i in range(3):
        assert f"{ARTICLE_TITLE} ({i})" in shown
    assert f"{ARTICLE_TITLE} (3)" not in shown
    assert "You sent 4 links; I briefed the first 3" in replies[-1].text
    assert "/a3" not in article_server.hits


async def test_commands_and_their_wrong_arguments(harness: BotHarness, article_server: ArticleServer) -> None:
    start = await harness.send(CHAT, "/start")
    assert "conflictbrief" in start[0].text
    help_text = texts(await harness.send(CHAT, "/help"))
    for name in ("history", "brief", "figures", "speakers", "settings", "export", "forget"):
        assert f"/{name}" in help_text
    assert "/figures killed" in help_text  # examples
    menu = {c["command"] for c in harness.api.commands()}
    assert {
        "start",
        "help",
        "history",
        "figures",
        "speakers",
        "settings",
        "export",
        "forget",
        "brief",
    } <= menu

    assert "Nothing here yet" in (await harness.send(CHAT, "/history"))[0].text
    assert "from 1 to 50" in (await harness.send(CHAT, "/history lots"))[0].text
    assert "from 1 to 50" in (await harness.send(CHAT, "/history 0"))[0].text
    await harness.send(CHAT, article_server.add("/z", article_html()))
    await harness.send(CHAT, SECOND_TEXT)
    one = (await harness.send(CHAT, "/history 1"))[0].text
    assert "Recent articles (1)" in one and SECOND_TITLE[:20] not in ARTICLE_TITLE

    figures = texts(await harness.send(CHAT, "/figures"))
    assert "Figures" in figures and "12" in figures and "150" in figures
    killed = texts(await harness.send(CHAT, "/figures killed"))
    assert "150" not in killed or "Killed" in killed
    assert "Unknown category" in (await harness.send(CHAT, "/figures bananas"))[0].text
    speakers = texts(await harness.send(CHAT, "/speakers marchenko"))
    assert "Marchenko" in speakers and "Aydin" not in speakers
    assert "No statements" in (await harness.send(CHAT, "/speakers Nobody Atall"))[0].text

    settings = (await harness.send(CHAT, "/settings"))[0].text
    assert "Timezone: Europe/Kyiv" in settings
    changed = (await harness.send(CHAT, "/settings timezone Europe/London"))[0].text
    assert "Timezone: Europe/London" in changed
    assert "not a valid timezone" in (await harness.send(CHAT, "/settings timezone Mars/Olympus"))[0].text
    assert "daily at 07:30" in (await harness.send(CHAT, "/settings digest 7:30"))[0].text
    assert "Digest: off" in (await harness.send(CHAT, "/settings digest off"))[0].text
    assert "not a valid digest" in (await harness.send(CHAT, "/settings digest 25:99"))[0].text
    assert "Use /settings" in (await harness.send(CHAT, "/settings colour blue please"))[0].text

    brief_usage = (await harness.send(CHAT, "/brief"))[0].text
    assert "Reply with /brief" in brief_usage
    unknown = (await harness.send(CHAT, "/launch now"))[0].text
    assert "/launch" in unknown and "/help" in unknown
    assert harness.errors == []


async def test_brief_command_on_replied_message(harness: BotHarness) -> None:
    pushed = await harness.api.push_text(CHAT, SECOND_TEXT)
    await harness.idle()
    replies = await harness.send(CHAT, "/brief", reply_to_message_id=pushed.message_id)
    assert "Summary" in texts(replies) and "Already in this chat's history" in texts(replies)


async def test_export_and_forget_with_confirmation(harness: BotHarness) -> None:
    await harness.send(CHAT, ARTICLE_TEXT)
    [export] = await harness.send(CHAT, "/export")
    assert export.document is not None and export.document.file_name.endswith(".json")
    import json

    data = json.loads(export.document.data)
    assert data["chat_id"] == CHAT and len(data["articles"]) == 1
    [ask] = await harness.send(CHAT, "/forget")
    assert {b["callback_data"] for b in ask.buttons} == {"forget:yes", "forget:no"}
    await harness.press(CHAT, ask.message_id, "forget:no")
    assert "Cancelled" in harness.api.message(CHAT, ask.message_id).text
    assert await harness.services.db.articles.count(CHAT) == 1
    [ask2] = await harness.send(CHAT, "/forget")
    await harness.press(CHAT, ask2.message_id, "forget:yes")
    assert "deleted 1 article" in harness.api.message(CHAT, ask2.message_id).text
    assert await harness.services.db.articles.count(CHAT) == 0


async def test_bad_inputs_get_short_advice(harness: BotHarness, article_server: ArticleServer) -> None:
    cases: list[tuple[list[BotMessage], str]] = []
    cases.append((await harness.send(CHAT, "   hi   "), "too short"))
    cases.append(
        (
            await harness.send(
                CHAT, "Обстріл міста триває вже третю добу поспіль, повідомляє обласна адміністрація. " * 3
            ),
            "only English",
        )
    )
    cases.append(
        (
            await harness.push(
                harness.api.push_document(CHAT, b"\x89PNG\r\n\x1a\n" + bytes(200), "story.txt")
            ),
            "binary",
        )
    )
    cases.append(
        (await harness.push(harness.api.push_document(CHAT, b"x" * 10, "photo.png")), ".txt and .html")
    )
    big = ("Word " * 300_000).encode()
    cases.append((await harness.push(harness.api.push_document(CHAT, big, "huge.txt")), "too large"))
    broken = article_server.add("/broken", "<html><body><div><p><<< >>> <div></body")
    cases.append((await harness.send(CHAT, broken), "article"))
    cases.append((await harness.send(CHAT, "http://127.0.0.1:1/closed"), "connect"))
    cases.append((await harness.send(CHAT, "http://news..example/x"), "link"))
    for replies, expected in cases:
        assert len(replies) == 1, [m.text for m in replies]
        assert expected.lower() in replies[0].text.lower(), (expected, replies[0].text)
        assert "Summary" not in replies[0].text and len(replies[0].text) < 400
    assert harness.errors == []
    assert await harness.services.db.articles.count(CHAT) == 0


async def test_handler_exception_is_answered_and_bot_keeps_working(harness: BotHarness) -> None:
    # A document whose file Telegram no longer has: getFile fails inside the handler.
    user = {"id": CHAT, "is_bot": False, "first_name": "Tester"}
    chat = harness.api.add_chat(CHAT)
    message = {
        "message_id": 900,
        "from": user,
        "chat": chat,
        "date": int(time.time()),
        "document": {
            "file_id": "gone",
            "file_unique_id": "gone",
            "file_name": "a.txt",
            "mime_type": "text/plain",
            "file_size": 10,
        },
    }
    await harness.api.push_update({"message": message})
    await harness.idle()
    [apology] = harness.api.messages(CHAT)
    assert "Sorry, something went wrong" in apology.text
    assert len(harness.errors) == 1
    after = await harness.send(CHAT, "/history")
    assert "Nothing here yet" in after[0].text


async def test_two_chats_are_isolated(harness: BotHarness) -> None:
    replies = await harness.send(CHAT, ARTICLE_TEXT)
    data = next(b["callback_data"] for b in replies[-1].buttons if b["callback_data"].startswith("more:"))
    article_id = int(data.split(":")[1])
    assert "Nothing here yet" in (await harness.send(OTHER, "/history"))[0].text
    assert "No figures" in (await harness.send(OTHER, "/figures"))[0].text
    assert "No statements" in (await harness.send(OTHER, "/speakers Marchenko"))[0].text
    [export] = await harness.send(OTHER, "/export")
    assert export.document is not None and b"Zarichne" not in export.document.data
    # A forged button press in chat OTHER naming chat CHAT's article: looked up in OTHER, so refused.
    from bot.local_api import _Callback

    [host] = await harness.send(OTHER, "/start")
    harness.api._callbacks["forged"] = _Callback(OTHER, host.message_id)  # what Telegram does for a press
    before = max(m.message_id for m in harness.api.messages(OTHER))
    await harness.api.push_update(
        {
            "callback_query": {
                "id": "forged",
                "from": {"id": OTHER, "is_bot": False, "first_name": "Tester"},
                "message": {
                    "message_id": host.message_id,
                    "date": host.date,
                    "chat": harness.api.add_chat(OTHER),
                    "text": host.text,
                },
                "chat_instance": "2",
                "data": f"figs:{article_id}",
            }
        }
    )
    await harness.idle()
    assert harness.api.messages(OTHER, after=before) == []
    answer = harness.api.callback_answer("forged")
    assert answer is not None and "no longer in this chat" in answer["text"]
    assert harness.errors == []


async def test_order_within_a_chat_and_no_blocking_across_chats(
    harness: BotHarness, article_server: ArticleServer
) -> None:
    slow = article_server.add("/slow", article_html(), delay=2.5)
    a1 = await harness.api.push_text(CHAT, slow)
    a2 = await harness.api.push_text(CHAT, "/history")
    b1 = await harness.api.push_text(OTHER, "/history")
    await harness.api.wait_for_messages(OTHER, 1, after=b1.message_id, timeout=10)
    # the link's own placeholder ("Fetching the article…", a reply to it) is sent at once; nothing else yet
    early = [
        m for m in harness.api.messages(CHAT, after=a2.message_id) if m.reply_to_message_id != a1.message_id
    ]
    assert early == [], "chat 1's /history waits for its article"
    await harness.idle()
    replies = harness.api.messages(CHAT, after=a1.message_id)
    brief_ids = [m.message_id for m in replies if "Summary" in m.text]
    history_ids = [m.message_id for m in replies if "Recent articles" in m.text]
    assert brief_ids and history_ids and max(brief_ids) < min(history_ids)
    assert ARTICLE_TITLE in next(m.text for m in replies if "Recent articles" in m.text)
    # the slow fetch got a placeholder that became the brief
    assert any(m.edit_count >= 1 and ARTICLE_TITLE in m.text for m in replies)


async def test_long_reply_is_split_into_valid_messages(harness: BotHarness) -> None:
    places = [
        "Kharkiv",
        "Izium",
        "Kupiansk",
        "Sumy",
        "Kherson",
        "Nikopol",
        "Pokrovsk",
        "Bakhmut",
        "Lyman",
        "Vovchansk",
    ]
    sentences = [
        f"Officials in {places[i % 10]} said {i + 3} civilians were killed and {2 * i + 5} wounded in strike number {i} on Monday."
        for i in range(60)
    ]
    text = "Strikes across the region <continue> & spread.\n\n" + "\n\n".join(sentences)
    replies = await harness.send(CHAT, text)
    figs = next((b for b in replies[-1].buttons if b["callback_data"].startswith("figs:")), None)
    assert figs is not None, [b["text"] for b in replies[-1].buttons]
    all_figures = await harness.press(CHAT, replies[-1].message_id, figs["callback_data"])
    assert len(all_figures) >= 2
    for message in all_figures:
        assert len(message.text) <= 4096 and len(message.raw_text) <= 4096
        assert message.parse_mode == "HTML"
    shown = texts(all_figures)
    assert "59 civilians" in shown or "62" in shown
    assert harness.errors == []


async def test_unsafe_url_refused_when_private_addresses_are_off(
    tmp_path, bot_nlp_pool, article_server: ArticleServer
) -> None:
    from summarize.config import FetchLimits
    from tests.bot_support import make_harness

    url = article_server.add("/inside", article_html())
    async with make_harness(
        tmp_path, bot_nlp_pool, fetch=FetchLimits(timeout_s=5.0, allow_loopback=False)
    ) as h:
        for target in (url, "http://10.0.0.1/admin", "http://[::1]/"):
            [reply] = await h.send(CHAT, target)
            assert "private or local address" in reply.text, reply.text
        assert h.errors == []
    assert "/inside" not in article_server.hits
