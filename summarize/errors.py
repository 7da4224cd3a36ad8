"""Typed errors for bad input. Each message tells a person what went wrong and what to do."""

from __future__ import annotations


class BriefError(Exception):
    """Base class: `str(error)` is a short sentence fit to show a user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class EmptyInput(BriefError):
    pass


class BinaryInput(BriefError):
    pass


class NotEnglish(BriefError):
    def __init__(self, message: str, language: str) -> None:
        super().__init__(message)
        self.language = language


class NoArticleFound(BriefError):
    """HTML (or a page) with no article text in it: broken markup, a front page, a login wall."""


class FetchError(BriefError):
    """Any failure to fetch a URL."""


class UnsafeUrl(FetchError):
    """A scheme or address the fetcher refuses (loopback, private, file:, ...)."""


class Unreachable(FetchError):
    """DNS failure, refused connection, timeout, HTTP error status."""


class UnsupportedContent(FetchError):
    """A content type that is not a web page or text (PDF, image, ...), or a body over the size cap."""
