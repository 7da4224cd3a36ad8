"""Feeds without I/O: parse RSS/Atom bytes (feedparser), find a site's feed links, read /subscribe filters.

Everything here is a pure function of its input, so the poller and the handlers stay thin and the rules
are tested directly on real feed files.
"""

from __future__ import annotations

import calendar
import html
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import feedparser

from storage import NewFeedItem, filters_accept

TEASER_CHARS = 700  # an item whose own text is shorter is a teaser: the linked article is fetched instead
MAX_ENTRIES = 200  # a feed with more items is read only this far (newest first in every real feed)
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+json")
_WORD = re.compile(r"^[\w][\w'’-]*$")  # a plain word: letters/digits, inner hyphen or apostrophe
_SPACES = re.compile(r"[ \t\r\f\v]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


class NotAFeed(ValueError):
    """The bytes are not an RSS/Atom feed; the message is fit to show a person."""


class FeedOfPageUnreachable(NotAFeed):
    """A page names its feed at an address that cannot be fetched (often on another host)."""

    def __init__(self, page_url: str, feed_url: str, reason: str) -> None:
        self.page_url, self.feed_url = page_url, feed_url
        super().__init__(
            f"the page {page_url} names its feed at {feed_url}, which I could not fetch: {reason}"
        )


class FilterError(ValueError):
    """A /subscribe filter that is not a plain word; the message is fit to show a person."""


@dataclass(frozen=True)
class FeedEntry:
    guid: str | None
    link: str | None  # absolute http(s) URL
    title: str | None
    published: datetime | None  # aware UTC
    text: str  # plain text of the item's content (or summary), paragraphs separated by blank lines

    @property
    def is_teaser(self) -> bool:
        """Too little text of its own to brief: the article behind `link` is what to read."""
        return len(self.text) < TEASER_CHARS and self.link is not None

    def as_new_item(self) -> NewFeedItem:
        return NewFeedItem(guid=self.guid, link=self.link, title=self.title, published=self.published)

    def filter_text(self) -> str:
        """What /subscribe filters look at: the title and the item's own text."""
        return f"{self.title or ''}\n{self.text}"


@dataclass(frozen=True)
class ParsedFeed:
    title: str | None
    site_link: str | None
    version: str  # feedparser's name for the format: "rss20", "atom10", "rss10", ...
    entries: tuple[FeedEntry, ...]
    problem: str | None  # the XML was damaged but entries could still be read


@dataclass(frozen=True)
class SubscribeRequest:
    url: str
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()


# ---------------------------------------------------------------------------------------------------------
# Parsing feeds


def parse_feed(data: bytes, *, url: str) -> ParsedFeed:
    """Read a feed document; `url` is where it came from (relative links resolve against it).

    Raises NotAFeed for anything that is neither RSS nor Atom (HTML, JSON, garbage, empty bytes).
    """
    if not data.strip():
        raise NotAFeed("That address answered with an empty document, not a news feed.")
    parsed = feedparser.parse(
        data,
        response_headers={"content-location": url, "content-type": "application/xml"},
        sanitize_html=True,
        resolve_relative_uris=True,
    )
    version = str(parsed.get("version") or "")
    entries = parsed.get("entries") or []
    if not version and not entries:
        raise NotAFeed("That address does not serve an RSS or Atom feed.")
    problem = None
    if parsed.get("bozo") and parsed.get("bozo_exception") is not None:
        problem = f"damaged feed: {parsed['bozo_exception']}"[:200]
    feed_info = parsed.get("feed") or {}
    items: list[FeedEntry] = []
    for raw in entries[:MAX_ENTRIES]:
        with warnings.catch_warnings():  # feedparser warns about its own updated/published alias
            warnings.simplefilter("ignore", DeprecationWarning)
            entry = _entry(raw, url)
        if entry is not None:
            items.append(entry)
    return ParsedFeed(
        title=_inline(feed_info.get("title"), feed_info.get("title_detail")) or None,
        site_link=_absolute(feed_info.get("link"), url),
        version=version or "unknown",
        entries=tuple(items),
        problem=problem,
    )


def _entry(raw: dict, base: str) -> FeedEntry | None:
    link = _absolute(raw.get("link"), base)
    guid = (raw.get("id") or "").strip() or None
    if link is None and guid is None:
        return None  # nothing to recognise it by next time, nothing to read
    if guid is not None and len(guid) > 1000:
        guid = guid[:1000]
    return FeedEntry(
        guid=guid,
        link=link,
        title=_inline(raw.get("title"), raw.get("title_detail")) or None,
        published=_when(raw.get("published_parsed") or raw.get("updated_parsed")),
        text=_entry_text(raw),
    )


def _entry_text(raw: dict) -> str:
    """The longest of the item's full content and its summary, as plain text."""
    candidates = [(part.get("value", ""), part.get("type")) for part in raw.get("content") or []]
    candidates.append((raw.get("summary") or "", (raw.get("summary_detail") or {}).get("type")))
    texts = [_text(value, kind) for value, kind in candidates if value]
    return max(texts, key=len, default="")


def _is_plain(kind: object) -> bool:
    # feedparser reports whether a field is markup; plain text keeps its "<" and "&" as they are
    return kind == "text/plain"


def _text(value: str, kind: object) -> str:
    if _is_plain(kind):
        lines = [_SPACES.sub(" ", line).strip() for line in value.replace("\xa0", " ").split("\n")]
        return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
    return html_to_text(value)


def _inline(value: object, detail: object) -> str:
    if not isinstance(value, str):
        return ""
    kind = detail.get("type") if isinstance(detail, dict) else None
    return " ".join(value.split()) if _is_plain(kind) else clean_inline(value)


def _when(parsed_time: object) -> datetime | None:
    if parsed_time is None:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(parsed_time), tz=UTC)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def _absolute(link: object, base: str) -> str | None:
    if not isinstance(link, str) or not link.strip():
        return None
    absolute = urljoin(base, link.strip())
    parts = urlsplit(absolute)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return absolute


# ---------------------------------------------------------------------------------------------------------
# HTML fragments to text, and feed autodiscovery

_BLOCK_TEXT = (
    "p div br li ul ol h1 h2 h3 h4 h5 h6 blockquote section article tr table figure figcaption pre hr"
)
_BLOCK_TAGS = frozenset(_BLOCK_TEXT.split())
_SKIP_TAGS = frozenset(("script", "style", "noscript", "template"))


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self._skipping += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self._skipping = max(0, self._skipping - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment (a feed item's description): tags gone, entities decoded,
    block elements as paragraph breaks. Plain text passes through unchanged apart from whitespace."""
    if "<" not in fragment and "&" not in fragment:
        text = fragment
    else:
        collector = _TextCollector()
        collector.feed(fragment)
        collector.close()
        text = "".join(collector.parts)
    lines = [_SPACES.sub(" ", line).strip() for line in text.replace("\xa0", " ").split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def clean_inline(value: object) -> str:
    """A title on one line: tags removed, entities decoded, whitespace collapsed."""
    if not isinstance(value, str):
        return ""
    return " ".join(html_to_text(value).split())


class _FeedLinkFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.base: str | None = None
        self.links: list[tuple[str, str]] = []  # (type, href)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name.lower(): (value or "") for name, value in attrs}
        if tag == "base" and values.get("href") and self.base is None:
            self.base = values["href"]
        if tag != "link":
            return
        rels = values.get("rel", "").lower().split()
        media_type = values.get("type", "").split(";")[0].strip().lower()
        if "alternate" in rels and media_type in FEED_TYPES and values.get("href", "").strip():
            self.links.append((media_type, values["href"].strip()))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)


def discover_feed_urls(page_html: str, *, page_url: str) -> list[str]:
    """Feed addresses a web page announces with <link rel="alternate" type="application/rss+xml|atom+xml">,
    absolute, in page order, RSS/Atom before others, without repeats."""
    finder = _FeedLinkFinder()
    try:
        finder.feed(page_html)
        finder.close()
    except (AssertionError, ValueError):  # html.parser gives up on some broken markup; keep what it found
        pass
    base = urljoin(page_url, finder.base) if finder.base else page_url
    preferred = sorted(
        enumerate(finder.links), key=lambda pair: (pair[1][0] == "application/feed+json", pair[0])
    )
    found: list[str] = []
    for _, (media_type, href) in preferred:
        if media_type == "application/feed+json":
            continue  # JSON Feed: feedparser does not read it
        absolute = _absolute(html.unescape(href), base)
        if absolute and absolute not in found:
            found.append(absolute)
    return found


def looks_like_html(data: bytes) -> bool:
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<head" in head or b"<body" in head


# ---------------------------------------------------------------------------------------------------------
# /subscribe arguments and filters


def parse_subscribe_args(args: Sequence[str]) -> SubscribeRequest:
    """`URL [+word] [-word] [word]...`: + or bare words must appear, - words must not. Plain words only:
    they are matched as whole words, case-insensitively, never as patterns."""
    if not args:
        raise FilterError(
            "Send /subscribe followed by a feed or site address, e.g. /subscribe https://example.org/rss"
        )
    url, *words = args
    include: list[str] = []
    exclude: list[str] = []
    for raw in words:
        sign, word = (raw[0], raw[1:]) if raw[:1] in "+-" else ("+", raw)
        if not _WORD.match(word):
            raise FilterError(
                f"{raw!r} is not a plain word. Filters are whole words such as +ceasefire or -football "
                "(no patterns or symbols)."
            )
        (include if sign == "+" else exclude).append(word)
    overlap = {w.casefold() for w in include} & {w.casefold() for w in exclude}
    if overlap:
        raise FilterError(
            f"{sorted(overlap)[0]!r} is both required and excluded; keep one of +word or -word."
        )
    return SubscribeRequest(url=url.strip(), include=tuple(include), exclude=tuple(exclude))


def entry_accepted(entry: FeedEntry, include: Sequence[str], exclude: Sequence[str]) -> bool:
    """Whether a subscription with these filters takes the item (whole words, title and text)."""
    return filters_accept(entry.filter_text(), include, exclude)


def skip_reason(entry: FeedEntry, include: Sequence[str], exclude: Sequence[str]) -> str | None:
    """Why a subscription's filters leave an item out ("did not match +ceasefire", "matched -football"),
    or None when they take it."""
    if entry_accepted(entry, include, exclude):
        return None
    text = entry.filter_text()
    hit = next((word for word in exclude if filters_accept(text, (word,), ())), None)
    if hit is not None:
        return f"matched -{hit}"
    return "did not match " + " or ".join(f"+{word}" for word in include)


def same_feed_address(a: str, b: str) -> bool:
    """Whether two feed addresses differ only in scheme or query (host case aside): candidates for one
    feed, which the documents they serve then decide (see docs/notes/feeds.md)."""
    first, second = urlsplit(a), urlsplit(b)
    return (first.hostname or "").lower() == (second.hostname or "").lower() and (
        first.path.rstrip("/") or "/"
    ) == (second.path.rstrip("/") or "/")


def plural(count: int, word: str) -> str:
    """ "1 item", "2 items"."""
    return f"{count:,} {word}{'' if count == 1 else 's'}"
