"""Typed errors for bad input. Each message tells a person what went wrong and what to do."""

from __future__ import annotations


class BriefError(Exception):
    """Base class: `str(error)` is a short sentence fit to show a user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __reduce__(self):
        # Errors cross the NLP process pool: rebuild with every constructor argument, not just the message.
        extra = {key: value for key, value in vars(self).items() if key != "message"}
        return (_rebuild, (type(self), self.message, extra))


def _rebuild(cls: type[BriefError], message: str, extra: dict) -> BriefError:
    error = cls.__new__(cls)
    BriefError.__init__(error, message)
    error.__dict__.update(extra)
    return error


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


class InvalidUrl(FetchError):
    """Text that is not a usable http(s) address (bad host, bad port, unparseable)."""


class HttpStatusError(Unreachable):
    """The site answered with an HTTP error status (4xx/5xx); `status` keeps the code."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


class FetchTimeout(Unreachable):
    """The site took longer than the fetch deadline to answer."""


class ContentTooLarge(UnsupportedContent):
    """The body is over the byte cap; `limit` is the cap in bytes."""

    def __init__(self, message: str, limit: int) -> None:
        super().__init__(message)
        self.limit = limit
