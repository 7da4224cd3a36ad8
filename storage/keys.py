"""Keys that decide when two things are "the same": an article's URL and text, a feed's URL."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Query parameters that only track who shared a link; they never change which article it is.
_TRACKING_PARAMS = re.compile(r"^(utm_[a-z]+|fbclid|gclid|mc_cid|mc_eid|igshid|ref_src)$", re.IGNORECASE)
_SPACES = re.compile(r"\s+")


def normalize_url(url: str) -> str:
    """Lower-case scheme and host, drop the fragment and tracking parameters; keep everything else.

    Conservative on purpose: two URLs that could name different articles must keep different keys.
    A string urlsplit refuses (a bracketed host that is no IP address) is its own key: it names nothing
    fetchable, and a repeat check must not fail on what a person typed.
    """
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url.strip()
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING_PARAMS.match(k)]
    )
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", query, ""))


def content_hash(text: str) -> str:
    """SHA-256 of the text with Unicode, case and whitespace differences folded away."""
    folded = _SPACES.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()
    return "sha256:" + hashlib.sha256(folded.encode("utf-8")).hexdigest()


def fold(text: str) -> str:
    """Case-insensitive matching key (full Unicode casefold, unlike SQLite's ASCII-only lower())."""
    return unicodedata.normalize("NFKC", text).casefold()
