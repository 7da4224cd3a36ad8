"""Issue 12 item 2: a permanent fuzz suite. Hypothesis draws batches of updates (texts, commands and their
arguments, captions, documents, forwards, edits, forged button data, unicode edge cases, huge and empty
values, links to hostile pages and feeds on loopback) and pushes them through the real Application on the
local Bot API server, with a real SQLite file and the real NLP pool.

Invariants on every batch:
- no exception reached PTB's error handlers (the bot apologised for nothing);
- every message the bot sent or edited was valid Telegram HTML within Telegram's limits: the local API
  refuses anything else exactly as Telegram does, so no refused send or edit may appear;
- no chat received text of another chat: each chat's pasted articles carry a canary word of its own.

The seed is fixed (`derandomize`). `make test` fuzzes FUZZ_UPDATES (default 2,000) updates; `make fuzz`
sets a larger budget (20,000). NLP stays cheap: most updates are not articles; a few are short ones.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.local_api import BotMessage, LocalBotApi
from bot.nlp_pool import NlpPool
from tests.bot_support import *  # noqa: F403 - the fixtures (bot_nlp_pool)
from tests.bot_support import ArticleServer, BotHarness, article_html, make_harness
from tests.feeds_support import Item, rss

BUDGET = int(os.environ.get("FUZZ_UPDATES", "2000"))
BATCH = 100
CHATS = (11, 12, 13, 15, 16, 17, -14, -18)  # six private chats and two groups
REFUSALS_ALLOWED = ("message is not modified", "query is too old")  # races a real client meets too
COUNTS = {"updates": 0, "batches": 0, "bot messages": 0}


def canary(chat_id: int) -> str:
    return f"Qarnyx{abs(chat_id)}vold"


def article_for(chat_id: int, variant: int) -> str:
    place = canary(chat_id)
    return (
        f"Shelling of {place} killed {variant + 3} civilians on Monday, the regional governor said.\n\n"
        f"Rescuers in {place} searched the rubble of two apartment blocks near the market.\n\n"
        f'"We need {variant + 10} more ambulances," said Olena Marchenko, a doctor in {place}.\n\n'
        "The army said its air defences shot down 14 of 20 drones launched overnight."
    )


EDGE = (
    "",
    " ",
    "\u200b",
    "\u202e",
    "\u0301",
    "\ufeff",
    "👨‍👩‍👧‍👦",
    "&amp;",
    "<b>",
    "</i>",
    "&#x110000;",
    "<a href='javascript:x'>",
    "\n\n\n",
    "²",
    "３",
    "٣",
    "-1",
    "9" * 40,
    "%s%n",
    "{0}",
    "'; DROP TABLE articles; --",
    "NaN",
)
COMMANDS = ("start", "help", "history", "brief", "figures", "speakers", "ask", "subscribe", "unsubscribe",
            "feeds", "digest", "settings", "export", "forget", "nope", "start@conflictbrief_test_bot",
            "history@otherbot")  # fmt: skip
ARGUMENTS = ("", "5", "0", "-3", "99999999999999999999", "now", "off", "07:30", "25:99", "timezone Europe",
             "timezone Europe/Kyiv", "timezone Etc", "digest 7:30", "digest off", "killed", "Marchenko",
             "How many civilians were killed?", "1", "+word -word", "+kh.*")  # fmt: skip
HOSTILE_PATHS = ("/article", "/empty", "/binary", "/broken", "/ukrainian", "/huge-title", "/404", "/500",
                 "/feed.xml", "/bad-feed.xml", "/long-link")  # fmt: skip

small_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
edge_text = st.lists(st.sampled_from(EDGE), max_size=6).map("".join)
some_text = st.one_of(
    small_text, edge_text, st.builds(lambda t, n: t * n, small_text, st.sampled_from((1, 50, 500)))
)


@dataclass(frozen=True)
class Recipe:
    """One update, drawn compactly and expanded when pushed (huge values are built, not drawn)."""

    kind: str
    chat: int
    text: str = ""
    number: int = 0


recipe = st.one_of(
    st.builds(Recipe, st.just("text"), st.sampled_from(CHATS), some_text),
    st.builds(
        Recipe,
        st.just("command"),
        st.sampled_from(CHATS),
        st.tuples(st.sampled_from(COMMANDS), st.one_of(st.sampled_from(ARGUMENTS), some_text)).map(
            lambda pair: f"/{pair[0]} {pair[1]}".rstrip()
        ),
    ),
    st.builds(Recipe, st.just("caption"), st.sampled_from(CHATS), some_text, st.integers(0, 2)),
    st.builds(Recipe, st.just("document"), st.sampled_from(CHATS), some_text, st.integers(0, 4)),
    st.builds(Recipe, st.just("forward"), st.sampled_from(CHATS), some_text, st.integers(0, 3)),
    st.builds(Recipe, st.just("edit"), st.sampled_from(CHATS), some_text),
    st.builds(Recipe, st.just("button"), st.sampled_from(CHATS), some_text, st.integers(0, 5)),
    st.builds(
        Recipe, st.just("link"), st.sampled_from(CHATS), st.sampled_from(HOSTILE_PATHS), st.integers(0, 3)
    ),
    st.builds(Recipe, st.just("article"), st.sampled_from(CHATS), st.just(""), st.integers(0, 200)),
)
# Articles and links cost NLP or fetching: drawn as often as the rest, then most are left out, so about
# one update in 40 is an article and one in 40 a link.
batch = st.lists(recipe, min_size=BATCH, max_size=BATCH).map(
    lambda items: [r for i, r in enumerate(items) if r.kind not in ("article", "link") or i % 5 == 0]
)

BUTTON_DATA = ("more:", "figs:", "quotes:", "forget:yes", "forget:no", "figs:1", "x" * 64, "more:-1", "")


def _hostile_site(server: ArticleServer) -> None:
    server.add("/article", article_html(title="A short report from the front"))
    server.add("/empty", "")
    server.add("/binary", bytes(range(256)) * 64, content_type="application/octet-stream")
    server.add("/broken", "<html><body><p>unclosed <b><i> &bogus; <script>alert(1)</script>" * 40)
    server.add("/ukrainian", "<html><body><article>" + "Війна триває, кажуть чиновники. " * 80)
    server.add("/huge-title", article_html(title="Title " * 1500))
    server.add("/404", "gone", status=404)
    server.add("/500", "oops", status=500)
    long_link = "https://wire.example/?" + "&".join(f"k{i}=v" for i in range(600))
    items = [
        Item("<b>Strike</b> & </i> kills 5 " * 30, long_link, "g1", "Shelling killed five people. " * 40),
        Item("", None, "g2", ""),
        Item("Talks resume", "javascript:alert(1)", "g3", "Negotiators met on Monday. " * 5),
    ]
    server.add("/feed.xml", rss("Feed " * 300, items).decode(), content_type="application/rss+xml")
    server.add("/bad-feed.xml", "<rss><channel><item><title>broken", content_type="application/rss+xml")
    server.add("/long-link", article_html(title="Long link"))


async def _push(api: LocalBotApi, server: ArticleServer, item: Recipe) -> None:
    chat = item.chat
    if item.kind == "text":
        await api.push_text(chat, item.text or " ")
    elif item.kind == "command":
        await api.push_text(chat, item.text)
    elif item.kind == "article":
        await api.push_text(chat, article_for(chat, item.number))
    elif item.kind == "caption":
        caption = article_for(chat, item.number) if item.number == 2 else item.text
        photo = [{"file_id": "p1", "file_unique_id": "u1", "width": 10, "height": 10}]
        await api.push_message(chat, {"photo": photo, "caption": caption[:1024]})
    elif item.kind == "document":
        data, name = [
            (item.text.encode("utf-8", "replace"), "note.txt"),
            (article_for(chat, 1).encode(), "report.txt"),
            (bytes(range(256)) * 40, "blob.bin"),
            (b"\xff\xfe" + item.text.encode("utf-16-le", "replace"), "utf16.txt"),
            (b"<html><body>" + item.text.encode("utf-8", "replace") * 20, "page.html"),
        ][item.number]
        await api.push_document(chat, data or b" ", name, caption=item.text[:1024] or None)
    elif item.kind == "forward":
        text = article_for(chat, item.number) if item.number == 3 else (item.text or "x")
        await api.push_forwarded_channel_post(
            chat,
            channel_id=-1000 - item.number,
            channel_title=item.text[:128] or "Channel",
            channel_message_id=item.number + 1,
            channel_username="front" if item.number % 2 else None,
            text=text,
        )
    elif item.kind == "edit":
        await api.push_message(chat, {"text": item.text or "edited"}, kind="edited_message")
    elif item.kind == "button":
        mine = api.messages(chat)
        if not mine:
            await api.push_text(chat, "/history")
            return
        target = mine[-1 - item.number % len(mine)]
        data = BUTTON_DATA[item.number] if item.number < len(BUTTON_DATA) else item.text
        data = data.encode("utf-8")[:64].decode("utf-8", "ignore")
        await api.push_forged_callback(chat, target.message_id, data)
    elif item.kind == "link":
        url = server.url(item.text)
        if item.text == "/long-link":
            url += "?" + "&".join(f"q{i}=1" for i in range(500))
        if item.text.endswith(".xml"):
            await api.push_text(chat, f"/subscribe {url}")
        elif item.number == 3:
            await api.push_text(chat, f"/brief {url}")
        else:
            await api.push_text(chat, f"see {url} " * (item.number + 1))


def _check(harness: BotHarness) -> list[BotMessage]:
    api = harness.api
    assert harness.errors == [], harness.errors[:3]
    refused = [
        (call.method, call.description)
        for call in api.calls()
        if call.status != 200
        and call.method.lower() not in ("getupdates", "getfile")
        and not any(allowed in (call.description or "") for allowed in REFUSALS_ALLOWED)
    ]
    assert refused == [], refused[:5]
    sent: list[BotMessage] = []
    for chat in CHATS:
        messages = api.messages(chat)
        sent += messages
        others = [canary(other) for other in CHATS if other != chat]
        for message in messages:
            assert len(message.text) <= 4096
            leaked = [word for word in others if word in message.text or word in message.raw_text]
            if message.document is not None:
                leaked += [word for word in others if word.encode() in message.document.data]
            assert leaked == [], (chat, leaked, message.text[:200])
    return sent


async def _run_all(batches: Sequence[Sequence[Recipe]], nlp: NlpPool, tmp_path: Path) -> None:
    """Every batch through one running bot (one database): pushed at once, checked when the bot is idle."""
    server = await ArticleServer().start()
    try:
        _hostile_site(server)
        async with make_harness(tmp_path, nlp, rate_limiter=False) as harness:
            for chat in CHATS:
                harness.api.add_chat(chat)
            for items in batches:
                for item in items:
                    await _push(harness.api, server, item)
                await harness.idle(timeout=240)
                COUNTS["bot messages"] = len(_check(harness))
                COUNTS["updates"] += len(items)
                COUNTS["batches"] += 1
    finally:
        await server.stop()


def test_fuzz_updates_through_the_real_application(bot_nlp_pool: NlpPool, tmp_path: Path) -> None:
    batches: list[list[Recipe]] = []

    @settings(
        max_examples=BUDGET * 10 // (BATCH * 8) + 3,  # a batch loses the articles and links it thins out
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        phases=("generate",),
    )
    @given(items=batch)
    def collect(items: list[Recipe]) -> None:
        if sum(map(len, batches)) < BUDGET:
            batches.append(items)

    collect()  # Hypothesis draws the batches with its fixed seed; they then run through one bot
    asyncio.run(_run_all(batches, bot_nlp_pool, tmp_path))
    print(f"\nfuzz: {COUNTS['updates']} updates in {COUNTS['batches']} batches, "
          f"{COUNTS['bot messages']} bot messages checked")  # fmt: skip
    assert COUNTS["updates"] >= BUDGET
