"""The real python-telegram-bot Application against the local Bot API server (bot/local_api.py).

Each test builds a tiny Application (echo, edit, callback, document handlers written here, not the bot's),
points it at the server through base_url, pushes user actions and asserts what the bot sent. No mocking.
"""

from __future__ import annotations

import asyncio
import html
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiohttp
import pytest
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    MessageOriginChannel,
    Update,
)
from telegram.constants import ChatAction, ParseMode
from telegram.error import BadRequest, Conflict, RetryAfter
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.local_api import FloodLimits, LocalBotApi

TOKEN = "123456:TEST"
CHAT = 1


@pytest.fixture
async def server() -> AsyncIterator[LocalBotApi]:
    async with LocalBotApi(token=TOKEN) as running_server:
        yield running_server


def build_application(server: LocalBotApi, **builder_options: object) -> Application:
    builder = ApplicationBuilder().token(TOKEN).base_url(server.base_url).base_file_url(server.base_file_url)
    if "rate_limiter" in builder_options:
        builder = builder.rate_limiter(builder_options["rate_limiter"])
    return builder.build()


@asynccontextmanager
async def polling(application: Application) -> AsyncIterator[list[BaseException]]:
    """Run ``application`` inside the test's event loop (run_polling() would own the loop); yields the list of
    handler errors, which must stay empty unless a test expects some."""
    errors: list[BaseException] = []

    async def record_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        errors.append(context.error)

    application.add_error_handler(record_error)
    async with application:
        await application.start()
        await application.updater.start_polling(poll_interval=0, timeout=1)
        try:
            yield errors
        finally:
            await application.updater.stop()
            await application.stop()


@pytest.fixture
async def bot(server: LocalBotApi) -> AsyncIterator[Bot]:
    """A bare PTB Bot on the server (no polling), for direct method checks."""
    server.add_chat(CHAT)
    async with Bot(TOKEN, base_url=server.base_url, base_file_url=server.base_file_url) as plain_bot:
        yield plain_bot


# -- round trips through handlers --------------------------------------------------------------------------


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    text = html.escape(update.message.text)
    await update.message.reply_text(f"<b>You said:</b> {text}", parse_mode=ParseMode.HTML, do_quote=True)


async def test_base_url_follows_ptb_convention(server: LocalBotApi, bot: Bot) -> None:
    assert bot.base_url == f"{server.base_url}{TOKEN}"
    me = await bot.get_me()
    assert (me.id, me.username, me.is_bot) == (123456, "conflictbrief_test_bot", True)


async def test_echo_round_trip(server: LocalBotApi) -> None:
    application = build_application(server)
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    async with polling(application) as errors:
        first = await server.push_text(CHAT, "Shelling <near> Kharkiv & Izium")
        [reply] = await server.wait_for_messages(CHAT, 1, after=first.message_id, timeout=5)
        second = await server.push_text(CHAT, "second")
        [reply2] = await server.wait_for_messages(CHAT, 1, after=second.message_id, timeout=5)
    assert errors == []
    assert reply.text == "You said: Shelling <near> Kharkiv & Izium"
    assert reply.raw_text == "<b>You said:</b> Shelling &lt;near&gt; Kharkiv &amp; Izium"
    assert reply.parse_mode == "HTML"
    assert reply.entities == ({"type": "bold", "offset": 0, "length": 9},)
    assert reply.reply_to_message_id == first.message_id
    # ids are shared by both sides of the chat and increase
    assert first.message_id < reply.message_id < second.message_id < reply2.message_id
    assert [m.text for m in server.messages(CHAT)] == [reply.text, "You said: second"]


async def test_group_command_with_bot_username(server: LocalBotApi) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.effective_chat.send_message(f"args={context.args} chat={update.effective_chat.type}")

    application = build_application(server)
    application.add_handler(CommandHandler("start", start))
    async with polling(application) as errors:
        pushed = await server.push_text(-100, "/start@conflictbrief_test_bot now")
        [reply] = await server.wait_for_messages(-100, 1, after=pushed.message_id, timeout=5)
    assert errors == []
    assert reply.text == "args=['now'] chat=group"


async def test_html_refusal_surfaces_as_bad_request(server: LocalBotApi) -> None:
    seen: list[str] = []

    async def careless(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        try:
            await update.message.reply_text("casualties < 10<br>", parse_mode=ParseMode.HTML)
        except BadRequest as error:
            seen.append(error.message)
            await update.message.reply_text("fallback")

    application = build_application(server)
    application.add_handler(MessageHandler(filters.TEXT, careless))
    async with polling(application) as errors:
        pushed = await server.push_text(CHAT, "go")
        await server.wait_for_messages(CHAT, 1, after=pushed.message_id, timeout=5)
    assert errors == []
    assert len(seen) == 1 and "can't parse entities" in seen[0].lower()
    assert 'unsupported start tag "" at byte offset 11' in seen[0].lower()
    assert [m.text for m in server.messages(CHAT)] == ["fallback"]  # the refused one was never sent
    [refused] = [c for c in server.calls("sendMessage") if c.status == 400]
    assert refused.description.startswith("Bad Request: can't parse entities: Unsupported start tag")


async def test_edit_then_delete_through_handlers(server: LocalBotApi) -> None:
    async def work(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Cancel", callback_data="cancel")]])
        progress = await update.message.reply_text("Working…", reply_markup=keyboard)
        await progress.edit_text("<b>Done</b>: 3 figures", parse_mode=ParseMode.HTML)
        scratch = await update.message.reply_text("scratch")
        await scratch.delete()

    application = build_application(server)
    application.add_handler(CommandHandler("work", work))
    async with polling(application) as errors:
        pushed = await server.push_text(CHAT, "/work")
        await server.wait_idle(quiet=0.1, timeout=5, application=application)
    assert errors == []
    [done] = server.messages(CHAT, after=pushed.message_id)
    assert done.text == "Done: 3 figures"
    assert done.edit_count == 1
    assert done.reply_markup is None  # an edit without reply_markup removes the keyboard, as in Telegram
    [scratch] = [m for m in server.messages(CHAT, include_deleted=True) if m.deleted]
    assert scratch.text == "scratch"


async def test_callback_query_answered_and_message_edited(server: LocalBotApi) -> None:
    async def offer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        keyboard = InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton("More figures", callback_data="more:42"),
                    InlineKeyboardButton("Source", url="https://example.org/a"),
                ]
            ]
        )
        await update.message.reply_text("Brief", reply_markup=keyboard)

    async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        await query.answer(text=f"loading {query.data}")
        await query.edit_message_text(f"Brief + {query.data}")

    application = build_application(server)
    application.add_handler(CommandHandler("offer", offer))
    application.add_handler(CallbackQueryHandler(pressed))
    async with polling(application) as errors:
        pushed = await server.push_text(CHAT, "/offer")
        [brief] = await server.wait_for_messages(CHAT, 1, after=pushed.message_id, timeout=5)
        assert [b.get("callback_data") for b in brief.buttons] == ["more:42", None]
        with pytest.raises(ValueError, match="no button"):
            await server.push_callback(CHAT, brief.message_id, "not-a-button")
        press = await server.push_callback(CHAT, brief.message_id, "more:42")
        await server.wait_idle(quiet=0.1, timeout=5, application=application)
    assert errors == []
    assert server.callback_answer(press.callback_query_id)["text"] == "loading more:42"
    assert server.message(CHAT, brief.message_id).text == "Brief + more:42"


async def test_document_download_and_upload(server: LocalBotApi) -> None:
    article = "Officials said 12 people were killed.\nThe mayor said: “We will rebuild.”\n".encode()

    async def on_document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        document = update.message.document
        telegram_file = await document.get_file()
        data = bytes(await telegram_file.download_as_bytearray())
        await update.message.reply_text(f"{document.file_name}: {len(data)} bytes, {document.mime_type}")
        await update.message.reply_document(
            document=data.upper(),
            filename="brief.html",
            caption="<i>your brief</i>",
            parse_mode=ParseMode.HTML,
        )

    application = build_application(server)
    application.add_handler(MessageHandler(filters.Document.ALL, on_document))
    async with polling(application) as errors:
        pushed = await server.push_document(CHAT, article, "article.txt")
        note, sent = await server.wait_for_messages(CHAT, 2, after=pushed.message_id, timeout=5)
    assert errors == []
    assert note.text == f"article.txt: {len(article)} bytes, text/plain"
    assert sent.document is not None
    assert sent.document.file_name == "brief.html"
    assert sent.document.data == article.upper()
    assert sent.text == "your brief"
    assert sent.entities == ({"type": "italic", "offset": 0, "length": 10},)


async def test_forwarded_channel_posts(server: LocalBotApi) -> None:
    async def describe(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.message
        origin = message.forward_origin
        assert isinstance(origin, MessageOriginChannel)
        body = message.text or message.caption
        kind = "photo" if message.photo else "text"
        await message.reply_text(
            f"{kind} from {origin.chat.title} #{origin.message_id} @{origin.chat.username}: {body}"
        )

    application = build_application(server)
    application.add_handler(MessageHandler(filters.FORWARDED, describe))
    async with polling(application) as errors:
        text_post = await server.push_forwarded_channel_post(
            CHAT,
            channel_id=-1001,
            channel_title="Front News",
            channel_username="frontnews",
            channel_message_id=77,
            text="Two drones were shot down, the governor said.",
        )
        await server.wait_for_messages(CHAT, 1, after=text_post.message_id, timeout=5)
        photo_post = await server.push_forwarded_channel_post(
            CHAT,
            channel_id=-1001,
            channel_title="Front News",
            channel_username="frontnews",
            channel_message_id=78,
            photo=b"\xff\xd8fake-jpeg",
            caption="Damage in the city centre",
        )
        [photo_reply] = await server.wait_for_messages(CHAT, 1, after=photo_post.message_id, timeout=5)
    assert errors == []
    texts = [m.text for m in server.messages(CHAT)]
    assert texts[0] == "text from Front News #77 @frontnews: Two drones were shot down, the governor said."
    assert photo_reply.text == "photo from Front News #78 @frontnews: Damage in the city centre"


# -- Telegram's checks, called directly through PTB's Bot --------------------------------------------------


async def test_text_limit_counts_characters_after_parsing(server: LocalBotApi, bot: Bot) -> None:
    # 4096 shown characters pass even though the HTML source is longer
    accepted = await bot.send_message(CHAT, "<b>" + "я" * 4096 + "</b>", parse_mode=ParseMode.HTML)
    assert len(accepted.text) == 4096
    with pytest.raises(BadRequest, match="(?i)message is too long"):
        await bot.send_message(CHAT, "x" * 4097)
    with pytest.raises(BadRequest, match="(?i)message text is empty"):
        await bot.send_message(CHAT, "  \n ")
    with pytest.raises(BadRequest, match="(?i)message text is empty"):
        await bot.send_message(CHAT, "<b></b>", parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match="(?i)caption is too long"):
        await bot.send_document(CHAT, document=b"x", filename="a.txt", caption="c" * 1025)
    assert [m.message_id for m in server.messages(CHAT)] == [accepted.message_id]


async def test_html_checks_through_the_bot(bot: Bot) -> None:
    for text, fragment in [
        ("<b>unclosed", 'can\'t find end tag corresponding to start tag "b"'),
        ("</i>", "unexpected end tag at byte offset 0"),
        ("R&D", 'unescaped "&" at byte offset 1'),
    ]:
        with pytest.raises(BadRequest) as caught:
            await bot.send_message(CHAT, text, parse_mode=ParseMode.HTML)
        assert f"can't parse entities: {fragment}" in caught.value.message.lower()
    # the same text without parse_mode is plain text and fine
    assert (await bot.send_message(CHAT, "R&D <b>")).text == "R&D <b>"


async def test_callback_data_limit(bot: Bot) -> None:
    ok = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="é" * 32)]])  # 64 bytes
    assert (await bot.send_message(CHAT, "fits", reply_markup=ok)).reply_markup == ok
    too_long = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="a" * 65)]])
    with pytest.raises(BadRequest, match="(?i)button_data_invalid"):
        await bot.send_message(CHAT, "too long", reply_markup=too_long)


async def test_edit_and_delete_errors(server: LocalBotApi, bot: Bot) -> None:
    sent = await bot.send_message(CHAT, "<b>same</b>", parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match="(?i)message is not modified"):
        await bot.edit_message_text("<b>same</b>", CHAT, sent.message_id, parse_mode=ParseMode.HTML)
    edited = await bot.edit_message_text("same", CHAT, sent.message_id)  # bold removed: a real change
    assert edited.edit_date is not None and edited.text == "same"
    with pytest.raises(BadRequest, match="(?i)message to edit not found"):
        await bot.edit_message_text("x", CHAT, 999)
    assert await bot.delete_message(CHAT, sent.message_id) is True
    with pytest.raises(BadRequest, match="(?i)message to delete not found"):
        await bot.delete_message(CHAT, sent.message_id)
    with pytest.raises(BadRequest, match="(?i)chat not found"):
        await bot.send_message(424242, "nobody here")
    with pytest.raises(BadRequest, match="(?i)message to be replied not found"):
        await bot.send_message(CHAT, "reply", reply_to_message_id=999)
    user_message = await server.push_text(CHAT, "original")
    reply = await bot.send_message(CHAT, "reply", reply_to_message_id=user_message.message_id)
    assert (reply.reply_to_message.message_id, reply.reply_to_message.text) == (
        user_message.message_id,
        "original",
    )


async def test_chat_action_and_commands(server: LocalBotApi, bot: Bot) -> None:
    assert await bot.send_chat_action(CHAT, ChatAction.TYPING) is True
    assert [c.params["action"] for c in server.calls("sendChatAction")] == ["typing"]
    assert await bot.set_my_commands([("brief", "Summarise an article"), ("digest", "Daily digest")]) is True
    assert [(c.command, c.description) for c in await bot.get_my_commands()] == [
        ("brief", "Summarise an article"),
        ("digest", "Daily digest"),
    ]
    with pytest.raises(BadRequest, match="(?i)bot_command_invalid"):
        await bot.set_my_commands([("Bad Command", "x")])
    assert await bot.delete_my_commands() is True
    assert await bot.get_my_commands() == ()


async def test_get_updates_offsets_and_long_poll(server: LocalBotApi, bot: Bot) -> None:
    for text in ("one", "two", "three"):
        await server.push_text(CHAT, text)
    updates = await bot.get_updates()
    assert [u.message.text for u in updates] == ["one", "two", "three"]
    # not acknowledged yet: delivered again; an offset acknowledges everything below it
    assert len(await bot.get_updates()) == 3
    later = await bot.get_updates(offset=updates[-1].update_id)
    assert [u.message.text for u in later] == ["three"]
    assert server.pending_update_count == 1
    assert await bot.get_updates(offset=updates[-1].update_id + 1) == ()
    assert server.pending_update_count == 0

    # a long poll returns as soon as an update is pushed, not at its timeout
    started = time.monotonic()
    poll = asyncio.create_task(bot.get_updates(offset=updates[-1].update_id + 1, timeout=5))
    await asyncio.sleep(0.1)
    await server.push_text(CHAT, "four")
    [four] = await poll
    assert four.message.text == "four" and time.monotonic() - started < 2

    # limit and allowed_updates
    await server.push_text(CHAT, "five")
    assert len(await bot.get_updates(offset=four.update_id, limit=1)) == 1
    assert await bot.get_updates(offset=four.update_id + 2, allowed_updates=["callback_query"]) == ()
    assert server.pending_update_count == 0


async def test_second_poller_gets_conflict(server: LocalBotApi) -> None:
    async with (
        Bot(TOKEN, base_url=server.base_url) as first,
        Bot(TOKEN, base_url=server.base_url) as second,
    ):
        waiting = asyncio.create_task(first.get_updates(timeout=5))
        await asyncio.sleep(0.1)
        assert await second.get_updates(timeout=0) == ()
        with pytest.raises(Conflict, match="terminated by other getUpdates request"):
            await waiting


async def test_raw_http_shapes(server: LocalBotApi) -> None:
    async with aiohttp.ClientSession() as session:
        async with session.post(f"{server.base_url}{TOKEN}/noSuchMethod") as response:
            assert response.status == 404
            assert await response.json() == {"ok": False, "error_code": 404, "description": "Not Found"}
        async with session.post(f"{server.base_url}999:WRONG/getMe") as response:
            assert response.status == 401
        async with session.post(f"{server.base_url}{TOKEN}/getMe", json={}) as response:
            body = await response.json()
            assert body["ok"] is True and body["result"]["username"] == "conflictbrief_test_bot"
        server.add_chat(CHAT)
        payload = {"chat_id": CHAT, "text": "<i>json body</i>", "parse_mode": "HTML"}
        async with session.post(f"{server.base_url}{TOKEN}/sendMessage", json=payload) as response:
            result = (await response.json())["result"]
        assert result["text"] == "json body"
        assert result["from"]["is_bot"] is True and result["chat"]["id"] == CHAT


# -- flood control ------------------------------------------------------------------------------------------


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")  # RetryAfter.retry_after type
async def test_flood_control_answers_429_with_retry_after() -> None:
    async with LocalBotApi(token=TOKEN, flood=FloodLimits(per_chat=2, period=1.0)) as server:
        server.add_chat(CHAT)
        server.add_chat(2)
        async with Bot(TOKEN, base_url=server.base_url) as bot:
            await bot.send_message(CHAT, "1")
            await bot.send_message(CHAT, "2")
            with pytest.raises(RetryAfter) as caught:
                await bot.send_message(CHAT, "3")
            retry_after = caught.value.retry_after  # int, or timedelta under PTB_TIMEDELTA
            assert getattr(retry_after, "total_seconds", lambda: retry_after)() == 1
            await bot.send_message(2, "another chat is not limited")
        async with aiohttp.ClientSession() as session:
            url = f"{server.base_url}{TOKEN}/sendMessage"
            async with session.post(url, data={"chat_id": str(CHAT), "text": "4"}) as response:
                assert response.status == 429
                assert await response.json() == {
                    "ok": False,
                    "error_code": 429,
                    "description": "Too Many Requests: retry after 1",
                    "parameters": {"retry_after": 1},
                }
        assert [m.text for m in server.messages(CHAT)] == ["1", "2"]


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_aio_rate_limiter_retries_through_flood_control() -> None:
    async with LocalBotApi(token=TOKEN, flood=FloodLimits(per_chat=2, period=1.0)) as server:

        async def burst(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
            for number in range(4):
                await update.effective_chat.send_message(f"part {number}")

        application = build_application(server, rate_limiter=AIORateLimiter(max_retries=3))
        application.add_handler(CommandHandler("burst", burst))
        async with polling(application) as errors:
            pushed = await server.push_text(CHAT, "/burst")
            await server.wait_for_messages(CHAT, 4, after=pushed.message_id, timeout=10)
        assert errors == []
        assert [m.text for m in server.messages(CHAT)] == [f"part {n}" for n in range(4)]
        assert server.flood.refused >= 1
        assert any(c.status == 429 for c in server.calls("sendMessage"))


# -- idleness -----------------------------------------------------------------------------------------------


async def test_wait_idle_waits_for_slow_handlers(server: LocalBotApi) -> None:
    async def slow(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.message.reply_text("thinking")
        await asyncio.sleep(0.8)  # stands in for NLP work: no request in flight meanwhile
        await update.message.reply_text("brief")

    application = build_application(server)
    application.add_handler(MessageHandler(filters.TEXT, slow))
    async with polling(application) as errors:
        pushed = await server.push_text(CHAT, "article")
        await server.wait_idle(quiet=0.3, timeout=10, application=application)
        assert [m.text for m in server.messages(CHAT, after=pushed.message_id)] == ["thinking", "brief"]
        assert server.pending_update_count == 0 and server.in_flight == 0
        with pytest.raises(TimeoutError, match="expected 1 bot message"):
            await server.wait_for_messages(CHAT, 1, after=pushed.message_id + 2, timeout=0.3)
    assert errors == []


async def test_drop_pending_updates_and_prompt_stop(server: LocalBotApi) -> None:
    await server.push_text(CHAT, "sent while the bot was down")
    application = build_application(server)
    application.add_handler(MessageHandler(filters.TEXT, echo))
    async with application:
        await application.start()
        await application.updater.start_polling(poll_interval=0, timeout=1, drop_pending_updates=True)
        pushed = await server.push_text(CHAT, "after start")
        [reply] = await server.wait_for_messages(CHAT, 1, timeout=5)
        await application.updater.stop()
        await application.stop()
    assert reply.text == "You said: after start" and reply.reply_to_message_id == pushed.message_id

    # stopping the server ends a pending long poll at once instead of at its timeout
    async with Bot(TOKEN, base_url=server.base_url) as bot:
        poll = asyncio.create_task(bot.get_updates(offset=pushed.update_id + 1, timeout=10))
        await asyncio.sleep(0.1)
        started = time.monotonic()
        await server.stop()
        assert await poll == ()
        assert time.monotonic() - started < 3


async def test_send_options_are_recorded(server: LocalBotApi, bot: Bot) -> None:
    sent = await bot.send_message(
        CHAT,
        "https://example.org/report",
        disable_notification=True,
        link_preview_options=LinkPreviewOptions(is_disabled=True),
    )
    assert sent.link_preview_options == LinkPreviewOptions(is_disabled=True)
    recorded = server.message(CHAT, sent.message_id)
    assert recorded.disable_notification is True
    assert recorded.link_preview_options == {"is_disabled": True}
    assert recorded.parse_mode is None and recorded.text == recorded.raw_text == "https://example.org/report"
