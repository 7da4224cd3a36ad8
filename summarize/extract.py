"""Article extraction from HTML with trafilatura: main text, title and date, without page furniture."""

from __future__ import annotations

import re
from dataclasses import dataclass

import trafilatura
from trafilatura.deduplication import LRUCache
from trafilatura.settings import LRU_SIZE

from summarize.errors import NoArticleFound

_HTML_SIGNS = re.compile(r"<(?:!doctype\s+html|html|head|body|article|div|p|meta|title)\b", re.IGNORECASE)
_PROSE_LINE = re.compile(r"[.!?…]['\"”’)\]]*$")
MIN_ARTICLE_WORDS = 25
_TAG = re.compile(r"<[^>]*>")
_INVISIBLE_BLOCKS = re.compile(r"<(script|style|noscript)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class ExtractedArticle:
    text: str  # paragraphs separated by newlines
    title: str | None
    published: str | None  # ISO date (YYYY-MM-DD) when the page gives one
    sitename: str | None


def looks_like_html(text: str) -> bool:
    """True when the input is markup rather than pasted prose (checked on its head only)."""
    head = text.lstrip()[:4_000]
    return head.startswith("<") and bool(_HTML_SIGNS.search(head)) or len(_HTML_SIGNS.findall(head)) >= 3


def prose_words(text: str) -> int:
    """Words in lines that read as sentences; a front page of headlines and menus has few."""
    return sum(len(line.split()) for line in text.splitlines() if _PROSE_LINE.search(line.strip()))


def _visible_words(html: str | bytes) -> int:
    """Rough count of words outside tags, scripts and styles."""
    markup = html.decode("utf-8", "replace") if isinstance(html, bytes) else html
    markup = _INVISIBLE_BLOCKS.sub(" ", markup)
    return len(_TAG.sub(" ", markup).split())


def extract_article(html: str | bytes, *, url: str | None = None) -> ExtractedArticle:
    """The article in a web page; `NoArticleFound` for broken markup, front pages and walls."""
    try:
        document = trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            include_images=False,
            # A cache of this call only: repeated paragraphs inside one page are still dropped, but no
            # article is judged against the pages read before it (trafilatura's default cache is global,
            # so one chat's reading would change what the next chat gets).
            deduplicate=LRUCache(maxsize=LRU_SIZE),
        )
    except Exception as error:  # trafilatura raises assorted lxml errors on mangled markup
        raise NoArticleFound(
            "I couldn't read that page: its HTML is broken. Paste the article's text instead."
        ) from error
    text = (getattr(document, "text", None) or "").strip() if document is not None else ""
    if prose_words(text) < MIN_ARTICLE_WORDS and _visible_words(html) < MIN_ARTICLE_WORDS:
        raise NoArticleFound(
            "That page has no readable text: its HTML may be broken or empty. Paste the article's text instead."
        )
    if prose_words(text) < MIN_ARTICLE_WORDS:
        raise NoArticleFound(
            "I couldn't find an article on that page (it may be a front page, a video or behind a login). "
            "Send a link to a single article, or paste its text."
        )
    return ExtractedArticle(
        text=text,
        title=(document.title or None),
        published=(document.date or None),
        sitename=(document.sitename or None),
    )
