"""Pure parts of the bot: rendering to Telegram HTML with safe splitting, and message intake."""

from __future__ import annotations

from datetime import UTC, datetime

from telegram import Chat, Message, MessageEntity, MessageOriginChannel

from bot.intake import classify, post_link
from bot.render import MAX_MESSAGE, Source, brief_reply, chunk
from bot.telegram_html import parse_html, strip_html
from summarize.model import Brief, Figure, Statement, SummarySentence

NOW = datetime(2024, 3, 5, tzinfo=UTC)
PRIVATE = Chat(1, Chat.PRIVATE)


def _brief(sentences: list[str], *, figures=(), speakers=(), title="Title <with> & tags") -> Brief:
    text = " ".join(sentences)
    spans, offset = [], 0
    for sentence in sentences:
        spans.append((offset, offset + len(sentence)))
        offset += len(sentence) + 1
    return Brief(
        title=title,
        dateline=None,
        url="https://news.example/a?x=1&y=<2>",
        language="en",
        sentences=len(sentences),
        summary=tuple(SummarySentence(s, i) for i, s in enumerate(sentences)),
        figures=tuple(figures),
        speakers=tuple(speakers),
        text=text,
        sentence_spans=tuple(spans),
    )


def test_untrusted_text_is_escaped_and_valid_html() -> None:
    figure = Figure(
        "<b>30</b>", 30, None, None, None, None, "killed", "soldiers & <i>", "A <x>", None, None, 0
    )
    statement = Statement('Gen. "Smith" <script>', "direct", "we & they </b>", 0)
    brief = _brief(["Some <b>bold</b> & claims were made."], figures=[figure], speakers=[statement])
    reply = brief_reply(brief, Source(channel_title="<Chan>", post_link="https://t.me/c/1/2"), article_id=5)
    [html_text] = reply.chunks
    shown = parse_html(html_text, strict_ampersand=True).text  # raises on anything Telegram refuses
    assert "Some <b>bold</b> & claims were made." in shown
    assert 'Gen. "Smith" <script>' in shown and "Forwarded from <Chan>" in shown
    assert "&lt;script&gt;" in html_text
    assert reply.keyboard is None  # one sentence, nothing hidden


def test_long_brief_splits_between_items_each_chunk_valid() -> None:
    sentences = [
        f"Sentence {i} says that {i * 7} shells & <rockets> fell near village number {i}." for i in range(400)
    ]
    reply = brief_reply(_brief(sentences), Source(), article_id=9)
    assert len(reply.chunks) > 3
    for text in reply.chunks:
        assert len(text) <= MAX_MESSAGE
        parse_html(text, strict_ampersand=True)
    shown = "\n".join(strip_html(text) for text in reply.chunks)
    for sentence in sentences:
        assert f"• {sentence}" in shown  # every bullet whole, in one chunk


def test_a_single_huge_sentence_is_cut_at_word_boundaries() -> None:
    monster = " ".join(f"w{i}&<x>" for i in range(3000)) + "."
    reply = brief_reply(_brief([monster]), Source(), article_id=None)
    assert len(reply.chunks) >= 2
    words: list[str] = []
    for text in reply.chunks:
        assert len(text) <= MAX_MESSAGE
        words += strip_html(text).replace("•", " ").split()
    assert " ".join(w for w in words if w.startswith("w")) == monster.rstrip(".") + "."


def test_chunk_never_splits_a_block() -> None:
    blocks = [f"<b>{i}</b> " + "x" * 1000 for i in range(10)]
    chunks = chunk(blocks)
    assert all(len(c) <= MAX_MESSAGE for c in chunks)
    assert sum(c.count("<b>") for c in chunks) == 10


def test_keyboard_callback_data_fits_telegram() -> None:
    figures = [
        Figure(str(n), n, None, None, None, None, "killed", None, None, None, None, 0) for n in range(10)
    ]
    reply = brief_reply(_brief(["a 1 2 3 4 5 6 7 8 9.", "b."], figures=figures), Source(), article_id=10**12)
    data = [b.callback_data for row in reply.keyboard.inline_keyboard for b in row]
    assert data == [f"more:{10**12}", f"figs:{10**12}"] or "figs:" in data[-1]
    assert all(len(d.encode()) <= 64 for d in data)


def _message(text: str | None = None, **kwargs) -> Message:
    return Message(1, NOW, PRIVATE, text=text, **kwargs)


def test_intake_links_text_and_teasers() -> None:
    url = "https://news.example/story"
    entity = MessageEntity(MessageEntity.URL, 5, len(url))
    assert classify(_message(f"Read {url}", entities=[entity])).urls == (url,)
    hidden = MessageEntity(MessageEntity.TEXT_LINK, 0, 4, url=url)
    assert classify(_message("here", entities=[hidden])).urls == (url,)
    article = "The strike hit the port at dawn, officials said. " * 12 + url
    assert (
        classify(
            _message(article, entities=[MessageEntity(MessageEntity.URL, len(article) - len(url), len(url))])
        ).kind
        == "text"
    )
    assert classify(_message("hi")).kind == "too_short"
    assert classify(_message("www.example.org/x and http://t.me/chan/1")).urls == (
        "http://www.example.org/x",
    )


def test_intake_forward_and_caption() -> None:
    channel = Chat(-1001234, Chat.CHANNEL, title="Desk", username=None)
    origin = MessageOriginChannel(NOW, channel, 55)
    assert post_link(origin) == "https://t.me/c/1234/55"
    short = classify(_message(caption="Smoke over the port.", forward_origin=origin))
    assert short.kind == "too_short" and "caption" in short.advice and short.forward.channel_title == "Desk"
    long_caption = "Officials said the shelling continued through the night across the district. " * 4
    forwarded = classify(_message(caption=long_caption, forward_origin=origin))
    assert forwarded.kind == "text" and forwarded.from_caption and forwarded.forward.post_link.endswith("/55")
