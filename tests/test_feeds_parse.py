"""bot/feeds.py on real feed files from ../shared and on our own documents: parsing, autodiscovery, filters."""

from __future__ import annotations

import json
import xml.dom.minidom
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.feeds import (
    TEASER_CHARS,
    FilterError,
    NotAFeed,
    clean_inline,
    discover_feed_urls,
    entry_accepted,
    html_to_text,
    parse_feed,
    parse_subscribe_args,
)
from tests.feeds_support import STRIKE_A, Item, atom, rss

FEEDS = "data/news_feeds_rss_atom"


def _shared_feed_files(shared: Path) -> list[Path]:
    folder = shared / FEEDS
    if not folder.is_dir():
        pytest.skip(f"{folder} not present")
    return sorted(p for p in folder.iterdir() if p.suffix in (".xml", ".atom"))


def _element_count(data: bytes) -> int:
    dom = xml.dom.minidom.parseString(data)
    return len(dom.getElementsByTagName("item")) + len(dom.getElementsByTagName("entry"))


def test_every_shared_feed_parses_with_items_links_and_titles(shared_dir: Path) -> None:
    files = _shared_feed_files(shared_dir)
    assert len(files) >= 10
    for path in files:
        data = path.read_bytes()
        feed = parse_feed(data, url="https://feeds.example.org/feed")
        assert feed.title, path.name
        assert feed.entries, path.name
        assert feed.problem is None, (path.name, feed.problem)
        # Every item must be recognisable next time and carry an absolute http(s) link
        for entry in feed.entries:
            assert entry.guid or entry.link, path.name
            assert entry.link is None or entry.link.startswith(("http://", "https://")), entry.link
            assert entry.title is None or "<" not in entry.title, entry.title
        if "illegally-nested" not in path.name:  # feedparser flattens nested items differently
            assert len(feed.entries) == _element_count(data), path.name


def test_shared_feed_counts_match_the_readme_table(shared_dir: Path) -> None:
    folder = shared_dir / FEEDS
    _shared_feed_files(shared_dir)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest  # the manifest exists and names the copied files
    tpm = parse_feed(
        (folder / "node-feedparser__tpm.atom").read_bytes(), url="https://talkingpointsmemo.com/feed"
    )
    assert tpm.version == "atom10" and len(tpm.entries) == 20
    wapo = parse_feed(
        (folder / "node-feedparser__wapowellness.xml").read_bytes(), url="https://x.example/rss"
    )
    assert wapo.version == "rss20" and len(wapo.entries) == 29
    rdf = parse_feed((folder / "rss-parser__rdf-feed-test.xml").read_bytes(), url="https://orf.at/rss")
    assert rdf.version == "rss10" and rdf.entries[0].link == "https://orf.at/stories/3380633/"


def test_relative_atom_links_resolve_against_the_feed_address(shared_dir: Path) -> None:
    _shared_feed_files(shared_dir)
    data = (shared_dir / FEEDS / "node-feedparser__tpm.atom").read_bytes()
    assert b'href="/livewire/' in data  # the file really has relative links
    feed = parse_feed(data, url="https://talkingpointsmemo.com/feed/all")
    assert all(e.link and e.link.startswith("https://talkingpointsmemo.com/") for e in feed.entries)
    first = feed.entries[0]
    assert first.published == datetime(2017, 11, 8, 23, 15, 58, tzinfo=UTC)
    assert len(first.text) > TEASER_CHARS and not first.is_teaser  # full content in the feed
    assert "<" not in first.text


def test_non_english_and_escaped_titles_come_out_as_text(shared_dir: Path) -> None:
    _shared_feed_files(shared_dir)
    ru = parse_feed(
        (shared_dir / FEEDS / "rss-parser__feed-test-ru.xml").read_bytes(), url="http://www.aif.ru/rss"
    )
    assert ru.title == "Аргументы и Факты"
    escape = parse_feed(
        (shared_dir / FEEDS / "rss-parser__feed-char-escape.xml").read_bytes(), url="https://nyt.example/rss"
    )
    assert "&amp;" not in (escape.entries[0].title or "") and "&#" not in (escape.entries[0].title or "")


def test_own_rss_and_atom_documents() -> None:
    when = datetime(2024, 3, 5, 6, 30, tzinfo=UTC)
    items = [
        Item(
            "Strike on <Kharkiv> & power",
            "https://news.example/a",
            guid="g-1",
            description=STRIKE_A,
            published=when,
        ),
        Item("Teaser only", "https://news.example/b", description="Short lead & more."),
    ]
    for document in (rss("War desk", items), atom("War desk", items)):
        feed = parse_feed(document, url="https://news.example/feed")
        assert feed.title == "War desk"
        first, second = feed.entries
        assert first.title == "Strike on <Kharkiv> & power"
        assert first.published == when
        assert "at least 7 people" in first.text and not first.is_teaser
        assert "\n\n" in first.text  # paragraphs kept apart
        assert second.is_teaser and second.text == "Short lead & more."
        assert first.as_new_item().link == "https://news.example/a"


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"   \n",
        b"<html><head><title>Site</title></head><body>news</body></html>",
        b'{"items": []}',
        b"\x00\x01garbage",
    ],
)
def test_documents_that_are_not_feeds_are_refused(body: bytes) -> None:
    with pytest.raises(NotAFeed):
        parse_feed(body, url="https://news.example/feed")


def test_truncated_feed_keeps_the_items_it_could_read_and_says_so() -> None:
    document = rss("Cut", [Item(f"Item {i}", f"https://news.example/{i}") for i in range(5)])
    cut = document[: document.index(b"<item><title>Item 4")] + b"<item><title>Ite"
    feed = parse_feed(cut, url="https://news.example/feed")
    assert [e.link for e in feed.entries][:4] == [f"https://news.example/{i}" for i in range(4)]
    assert feed.problem and feed.problem.startswith("damaged feed")


def test_rss_descriptions_are_html_and_come_out_as_text() -> None:
    document = rss(
        "F", [Item("T", "https://n.example/1", description="<p>Short <b>lead</b> &amp; more.</p>")]
    )
    assert parse_feed(document, url="https://n.example/f").entries[0].text == "Short lead & more."


def test_empty_but_valid_feed_has_no_entries() -> None:
    feed = parse_feed(rss("Quiet", []), url="https://news.example/feed")
    assert feed.entries == () and feed.title == "Quiet" and feed.problem is None


def test_items_without_guid_or_link_are_dropped_and_javascript_links_refused() -> None:
    document = rss(
        "X", [Item("no id", None), Item("js", "javascript:alert(1)", guid="js-1"), Item("ok", "/rel")]
    )
    feed = parse_feed(document, url="https://news.example/feeds/main.xml")
    assert [(e.title, e.link) for e in feed.entries] == [("js", None), ("ok", "https://news.example/rel")]


def test_autodiscovery_finds_rss_and_atom_links_in_page_order() -> None:
    page = """<!doctype html><html><head>
      <link rel="stylesheet" href="/s.css">
      <link rel="alternate" type="application/feed+json" href="/feed.json">
      <link rel="alternate" type="application/atom+xml" title="Atom" href="/atom.xml">
      <link rel="Alternate" type="application/rss+xml; charset=utf-8" href="rss?a=1&amp;b=2">
      <link rel="alternate" type="application/rss+xml" href="https://other.example/rss">
      <link rel="alternate" type="text/html" href="/en">
    </head><body><a href="/not-a-feed.xml">feed</a></body></html>"""
    assert discover_feed_urls(page, page_url="https://site.example/news/") == [
        "https://site.example/atom.xml",
        "https://site.example/news/rss?a=1&b=2",
        "https://other.example/rss",
    ]
    assert discover_feed_urls("<html><body>No feeds</body></html>", page_url="https://site.example/") == []
    based = '<html><head><base href="https://cdn.example/x/"><link rel="alternate" type="application/rss+xml" href="f.xml"></head></html>'
    assert discover_feed_urls(based, page_url="https://site.example/") == ["https://cdn.example/x/f.xml"]


def test_html_to_text_and_clean_inline() -> None:
    assert (
        html_to_text("<p>One &amp; two</p><p>Three<br>four</p><script>x()</script>")
        == "One & two\n\nThree\n\nfour"
    )
    assert html_to_text("plain   text\n") == "plain text"
    assert clean_inline("  A <b>bold</b>\n title ") == "A bold title"
    assert clean_inline(None) == ""


def test_subscribe_arguments_are_plain_words() -> None:
    request = parse_subscribe_args(["https://news.example/rss", "+Kharkiv", "-football", "ceasefire"])
    assert request.url == "https://news.example/rss"
    assert request.include == ("Kharkiv", "ceasefire") and request.exclude == ("football",)
    for bad in ["+kh.*", "-(a|b)", "+", "+war*", "-[x]"]:
        with pytest.raises(FilterError):
            parse_subscribe_args(["https://news.example/rss", bad])
    with pytest.raises(FilterError):
        parse_subscribe_args([])
    with pytest.raises(FilterError):
        parse_subscribe_args(["https://news.example/rss", "+war", "-WAR"])


def test_filters_match_whole_words_in_title_and_text_case_insensitively() -> None:
    feed = parse_feed(
        rss("F", [Item("Shelling in Kharkiv", "https://n.example/1", description="Drones hit the city.")]),
        url="https://n.example/f",
    )
    entry = feed.entries[0]
    assert entry_accepted(entry, ["kharkiv"], [])
    assert entry_accepted(entry, ["DRONES"], [])  # found in the text, not the title
    assert not entry_accepted(entry, ["Kharkiv"], ["drones"])
    assert not entry_accepted(entry, ["Khar"], [])  # a word, not a prefix
    assert not entry_accepted(entry, ["k.*"], [])  # never a pattern
