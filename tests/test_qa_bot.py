"""QA / red-team pass on the bot: hostile and odd input through the real Application, handlers, NLP pool and
database on the local Bot API server (which refuses invalid HTML and over-long messages like Telegram).
Each test names the defect it pins down; the injection and limits tests guard what already worked."""

from __future__ import annotations

import time

from bot.local_api import BotMessage, Pushed, _Callback
from bot.ordering import PLEASE_WAIT
from bot.telegram_html import strip_html
from tests.bot_support import *  # noqa: F403 - fixtures: article_server, bot_nlp_pool, harness
from tests.bot_support import ARTICLE_TEXT, SECOND_TEXT, BotHarness
from tests.feeds_support import STRIKE_A, TALKS, FeedSite, Item, Route, rss

CHAT = 1
OTHER = 2
GROUP = -500
APOLOGY = "Sorry, something went wrong"


def texts(messages: list[BotMessage]) -> str:
    return "\n".join(m.text for m in messages)


def refused_calls(harness: BotHarness) -> list[object]:
    return [call for call in harness.api.calls() if call.status != 200]


def assert_valid(messages: list[BotMessage]) -> None:
    for message in messages:
        assert 0 < len(message.text) <= 4096 and message.parse_mode in ("HTML", None)


async def forge_callback(harness: BotHarness, chat_id: int, message_id: int, data: str) -> Pushed:
    """A button press with data no button carries: what a modified client can send to any bot.

    LocalBotApi.push_callback refuses such data (to catch test mistakes), so the query is built here."""
    api = harness.api
    stored = api._messages[(chat_id, message_id)]
    query_id = f"forged-{next(api._callback_ids)}"
    api._callbacks[query_id] = _Callback(chat_id, message_id)
    query = {
        "id": query_id,
        "from": api._default_user(api._chats[chat_id]),
        "message": api._public(stored.json),
        "chat_instance": str(chat_id),
        "data": data,
    }
    update_id = await api.push_update({"callback_query": query})
    await harness.idle()
    return Pushed(update_id, chat_id, message_id=message_id, callback_query_id=query_id)


# ---- defects found in this pass ---------------------------------------------------------------------------


async def test_malformed_links_get_advice_not_a_crash(harness: BotHarness) -> None:
    # urlsplit raises on a bracketed host that is no IP address; the repeat check ran it before the guard.
    for link in ("http://[zz]/", "http://[::1", "https://[not-an-ip]/article"):
        replies = await harness.send(CHAT, link)
        assert len(replies) == 1, texts(replies)
        assert APOLOGY not in replies[0].text and "address" in replies[0].text.lower()
    assert harness.errors == []
    assert await harness.services.db.articles.count(CHAT) == 0


async def test_number_arguments_in_other_scripts(harness: BotHarness) -> None:
    # "²".isdigit() is True but int("²") raises: /history ² and /unsubscribe ² crashed the handler.
    await harness.send(CHAT, SECOND_TEXT)
    for command in ("/history ²", "/unsubscribe ²", "/history ⁵"):
        [reply] = await harness.send(CHAT, command)
        assert APOLOGY not in reply.text
    [usage] = await harness.send(CHAT, "/history ²")
    assert "/history N" in usage.text
    [listing] = await harness.send(CHAT, "/history ３")  # a fullwidth 3 is a decimal digit: accepted
    assert "Recent articles (1)" in listing.text
    assert harness.errors == []


async def test_forged_button_data_reveals_nothing_and_crashes_nothing(harness: BotHarness) -> None:
    mine = await harness.send(CHAT, ARTICLE_TEXT)
    theirs = await harness.send(OTHER, SECOND_TEXT)
    my_id = int(mine[-1].buttons[0]["callback_data"].split(":")[1])
    target = theirs[-1].message_id
    before = len(harness.api.messages(OTHER))
    forged = [
        f"figs:{my_id}",  # another chat's article
        f"quotes:{my_id}",
        "more:" + "9" * 59,  # 64 bytes, beyond SQLite's integer range
        "figs:" + "1" * 30,
        "more:abc",
        "more:-1",
        "x" * 64,
        "more:",
    ]
    for data in forged:
        pushed = await forge_callback(harness, OTHER, target, data)
        answer = harness.api.callback_answer(pushed.callback_query_id or "")
        assert answer is not None, f"{data!r} left unanswered (the button spins until it times out)"
    shown = texts(harness.api.messages(OTHER)[before:])
    assert "Zarichne" not in shown and "Marchenko" not in shown
    assert APOLOGY not in shown
    assert harness.errors == []


async def test_group_chatter_and_other_bots_commands_are_left_alone(harness: BotHarness) -> None:
    # In a group the bot answered every short message with "too short to brief" and every other bot's
    # command with "I don't know /history@otherbot".
    for quiet in ("/history@otherbot", "/help@some_other_bot", "ok, thanks", "/ask@otherbot what?"):
        assert await harness.send(GROUP, quiet) == [], quiet
    [own] = await harness.send(GROUP, "/history@conflictbrief_test_bot")
    assert "Nothing here yet" in own.text
    [unknown] = await harness.send(GROUP, "/nope@conflictbrief_test_bot")
    assert "I don't know /nope" in unknown.text
    brief = await harness.send(GROUP, ARTICLE_TEXT)  # an article posted in the group is still briefed
    assert "Summary" in texts(brief)
    [advice] = await harness.send(GROUP, "this one?!", reply_to_message_id=brief[-1].message_id)
    assert "too short" in advice.text  # a message that replies to the bot is for the bot
    [private] = await harness.send(CHAT, "ok, thanks")  # a private chat still gets the advice
    assert "too short" in private.text
    assert harness.errors == []


async def test_feed_with_a_huge_title_can_be_followed_and_listed(harness: BotHarness) -> None:
    # The feed's own title went into the /subscribe reply and the /feeds block uncut: 400 BadRequest
    # "message is too long" after the subscription was stored, and /feeds failed for good.
    title = "Frontline Wire " + "very long name " * 400
    async with FeedSite() as site:
        site.routes["/wire.xml"] = Route(
            rss(title, [Item("Missiles hit Kharkiv", "https://wire.example/k", "w1", STRIKE_A)])
        )
        [followed] = await harness.send(CHAT, f"/subscribe {site.url('/wire.xml')}")
        assert followed.text.startswith("Following Frontline Wire very long name") and "…" in followed.text
        listing = await harness.send(CHAT, "/feeds")
        assert listing and "1. Frontline Wire very long name" in listing[0].text
        assert site.url("/wire.xml") in texts(listing)
        [stopped] = await harness.send(CHAT, "/unsubscribe 1")
        assert stopped.text.startswith("Stopped following Frontline Wire very long name")
        assert_valid([followed, *listing, stopped])
    assert harness.errors == [] and refused_calls(harness) == []


async def test_forget_confirmed_twice_reports_what_was_deleted(harness: BotHarness) -> None:
    # Two presses of "Yes" (a double tap) ran two deletions; the second edited the report to
    # "deleted 0 article(s)", telling the person nothing had been deleted.
    await harness.send(CHAT, ARTICLE_TEXT)
    await harness.send(CHAT, SECOND_TEXT)
    [confirm] = await harness.send(CHAT, "/forget")
    first = await harness.api.push_callback(CHAT, confirm.message_id, "forget:yes")
    second = await harness.api.push_callback(CHAT, confirm.message_id, "forget:yes")
    await harness.idle()
    report = harness.api.message(CHAT, confirm.message_id)
    assert "deleted 2 article(s)" in report.text and report.buttons == []
    assert harness.api.callback_answer(first.callback_query_id or "") is not None
    assert harness.api.callback_answer(second.callback_query_id or "") is not None
    assert await harness.services.db.articles.count(CHAT) == 0
    # a fresh /forget works again, and Cancel leaves the history alone
    await harness.send(CHAT, SECOND_TEXT)
    [again] = await harness.send(CHAT, "/forget")
    await harness.press(CHAT, again.message_id, "forget:no")
    assert "nothing was deleted" in harness.api.message(CHAT, again.message_id).text
    assert await harness.services.db.articles.count(CHAT) == 1
    assert harness.errors == []


async def test_brief_command_on_the_bots_own_brief_resends_it(harness: BotHarness) -> None:
    # "/brief" as a reply to one of the bot's briefs briefed the bot's own rendering as a new pasted
    # article ("• • Shelling ..."), storing it in the history, where /ask could quote it as a source.
    brief = await harness.send(CHAT, ARTICLE_TEXT)
    again = await harness.send(CHAT, "/brief", reply_to_message_id=brief[-1].message_id)
    assert "Already in this chat's history" in again[0].text
    assert "• •" not in texts(again)
    assert await harness.services.db.articles.count(CHAT) == 1
    [help_reply] = await harness.send(CHAT, "/history")
    [other] = await harness.send(CHAT, "/brief", reply_to_message_id=help_reply.message_id)
    assert "my own" in other.text and await harness.services.db.articles.count(CHAT) == 1
    assert harness.errors == []


# ---- guards: what already held under attack --------------------------------------------------------------

INJECTED_TITLE = 'Strike on <b>Kharkiv</b> & "Izium" </i> kills 5 &lt;script&gt;'
INJECTED_SENTENCES = (
    "Shelling of the <i>town</i> of Zarichne killed 12 civilians and wounded 31 on Tuesday, the regional "
    "governor said &amp; more.",
    "Governor Olena Marchenko said rescuers were searching the rubble, <a href=javascript:alert(1)>click</a> "
    "near the market.",
    "The army's southern command said its air defences shot down 14 of 20 drones launched overnight, per "
    "<unclosed tag.",
)
INJECTED_TEXT = "\n\n".join(
    (
        INJECTED_TITLE,
        *INJECTED_SENTENCES,
        '"We have recovered 12 bodies so far, &lt;script&gt; and at least 31 people are in hospital," '
        "Marchenko told reporters.",
        "About 4,000 residents have left Zarichne since the shelling intensified in March, according to the "
        "local council.",
    )
)


async def test_markup_in_article_channel_and_questions_is_shown_verbatim(harness: BotHarness) -> None:
    brief = await harness.push(
        harness.api.push_forwarded_channel_post(
            CHAT,
            channel_id=-1001,
            channel_title="<b>Front</b> &amp; </i>",
            channel_message_id=5,
            channel_username="front",
            text=INJECTED_TEXT,
        )
    )
    shown = texts(brief)
    for original in (INJECTED_TITLE, *INJECTED_SENTENCES, "<b>Front</b> &amp; </i>", "&lt;script&gt;"):
        assert original in shown, original
    assert all(strip_html(m.raw_text) == m.text for m in brief)
    answers = []
    for question in ("/ask How many civilians were killed in the <i>town</i>?", "/speakers <b>Koval</b>"):
        answers += await harness.send(CHAT, question)
    assert "the <i>town</i> of Zarichne killed 12 civilians" in texts(answers)
    assert "<b>Koval</b>" in texts(answers)
    for command in ("/figures", "/history"):
        assert INJECTED_TITLE in texts(await harness.send(CHAT, command))
    assert harness.errors == [] and refused_calls(harness) == []


PLACES = ("Zarichne", "Bilohirya", "Novoselivka", "Stepove", "Lisne", "Vilshany", "Dibrova", "Krasnopillia")
NAMES = tuple(f"{first} {last}" for first in ("Olena", "Andriy", "Maria", "Petro", "Iryna")
              for last in ("Marchenko", "Koval", "Shevchuk", "Bondar", "Melnyk", "Rudenko", "Kravets", "Savchenko",
                           "Tkachenko", "Hrytsenko", "Lysenko", "Moroz", "Bilyk", "Ponomar", "Dovzhenko",
                           "Yarosh", "Chornyi", "Zhuk", "Voloshyn", "Fedorenko"))  # fmt: skip


async def test_hundreds_of_figures_and_quotes_and_a_huge_sentence_fit_telegram(harness: BotHarness) -> None:
    lines = ["Heavy fighting across the southern front, officials say"]
    for i in range(100):
        place = PLACES[i % len(PLACES)]
        lines.append(
            f"In {place}, {i + 3} civilians were killed and {i + 7} were wounded on Monday, officials said."
        )
        lines.append(f'"We counted {i + 11} destroyed homes in {place}," said {NAMES[i]}, a local official.')
    huge = "Officials said that " + " ".join(
        f"the shelling near Zarichne damaged {i} houses and <b>{i}</b> barns" for i in range(1, 120)
    )
    lines.append(huge + ".")
    brief = await harness.send(CHAT, "\n\n".join(lines))
    buttons = {b["callback_data"].split(":")[0]: b["callback_data"] for b in brief[-1].buttons}
    replies = list(brief)
    for action in ("figs", "quotes"):
        replies += await harness.press(CHAT, brief[-1].message_id, buttons[action])
    for command in ("/figures", "/figures killed", "/speakers", "/history 50",
                    "/ask How many civilians were killed in Zarichne?", "/ask What did Olena Koval say?"):  # fmt: skip
        replies += await harness.send(CHAT, command)
    assert len(replies) > 10
    assert_valid(replies)
    assert harness.errors == [] and refused_calls(harness) == []
    # the huge sentence, cut into several bullets, still reads word for word in order
    huge_tail = " ".join(huge.split()[-40:])
    assert huge_tail in " ".join(texts(replies).split())


async def test_one_chat_ten_articles_in_order_and_twenty_chats_at_once(harness: BotHarness) -> None:
    variants = [ARTICLE_TEXT.replace("12 civilians", f"{40 + i} civilians") for i in range(10)]
    pushed = [await harness.api.push_text(CHAT, text) for text in variants]
    for chat in range(100, 120):
        await harness.api.push_text(chat, SECOND_TEXT if chat % 2 else TALKS)
    started = time.perf_counter()
    await harness.idle(timeout=120)
    replies = harness.api.messages(CHAT)
    # Ten articles at once make the chat busy: it is asked once to wait, and every article is still briefed.
    assert [m.text for m in replies].count(PLEASE_WAIT) == 1
    replies = [m for m in replies if m.text != PLEASE_WAIT]
    assert [m.reply_to_message_id for m in replies] == [p.message_id for p in pushed]
    for reply, number in zip(replies, range(40, 50), strict=True):
        assert f"{number} civilians" in reply.text
    assert await harness.services.db.articles.count(CHAT) == 10
    for chat in range(100, 120):
        assert await harness.services.db.articles.count(chat) == 1
        assert "Summary" in texts(harness.api.messages(chat))
    assert time.perf_counter() - started < 60
    assert harness.errors == []
