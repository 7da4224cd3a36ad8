"""Guarded URL fetching: the only module in `summarize` that touches the network.

Every hop (the first URL and each redirect) passes `guard.check_url`; every TCP connection is opened by
`PinnedBackend`, which resolves the host once, refuses the whole host if ANY answer is not public, and
connects only to those checked addresses. The hostname stays in the URL, so the Host header, TLS SNI and
certificate checks are all against the name, while a second DNS answer can never be used.
"""

from __future__ import annotations

import asyncio
import codecs
import ipaddress
import logging
import re
import ssl
import zlib
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

import httpcore
import httpx

from summarize.config import FetchLimits
from summarize.errors import (
    ContentTooLarge,
    FetchTimeout,
    HttpStatusError,
    InvalidUrl,
    Unreachable,
    UnsafeUrl,
    UnsupportedContent,
)
from summarize.guard import MSG_INVALID, MSG_PRIVATE, IPAddress, Target, address_reason, check_url
from summarize.resolve import shared_resolver

log = logging.getLogger(__name__)

USER_AGENT = "Mozilla/5.0 (compatible; conflictbrief/0.1; news brief bot)"
REDIRECT_STATUSES = {301, 302, 303, 307, 308}
MAX_CONNECT_ATTEMPTS = 3  # checked addresses tried in order when one refuses
# Request headers that must not follow a redirect to another origin.
_CREDENTIAL_HEADERS = ("authorization", "cookie", "proxy-authorization")

Resolver = Callable[[str, int], Awaitable[Sequence[str]]]
"""(host, port) -> addresses as strings, in the resolver's order. Raise OSError when the name is unknown."""

AddressPolicy = Callable[[IPAddress, bool], "str | None"]
"""(address, allow_loopback) -> why it is refused, or None to allow it."""


@dataclass(frozen=True)
class Accept:
    """Which content types a caller takes, and how to tell a person what to send instead."""

    name: str
    types: frozenset[str]
    header: str
    advice: str


PAGE = Accept(
    name="web page",
    types=frozenset({"text/html", "application/xhtml+xml", "text/plain"}),
    header="text/html,application/xhtml+xml;q=0.9,text/plain;q=0.8,*/*;q=0.1",
    advice="Send a link to the article page itself, or paste the article text.",
)
FEED = Accept(
    name="news feed",
    types=frozenset(
        {
            "application/rss+xml",
            "application/atom+xml",
            "application/rdf+xml",
            "application/xml",
            "text/xml",
            "text/html",
            "application/xhtml+xml",
        }
    ),
    header="application/rss+xml,application/atom+xml,application/xml;q=0.9,text/xml;q=0.9,text/html;q=0.5,*/*;q=0.1",
    advice="Send the address of an RSS or Atom feed, or the news site's home page.",
)


@dataclass(frozen=True)
class FetchedPage:
    url: str  # the URL asked for, in canonical form
    final_url: str  # after redirects
    status: int  # 200..299, or 304 for a conditional request whose content did not change
    content_type: str  # bare media type, lower case ("text/html"); "" for 304
    body: bytes
    text: str  # body decoded: BOM, declared charset, <meta>/XML charset, else UTF-8 with replacement
    etag: str | None
    last_modified: str | None


# ---------------------------------------------------------------------------------------------------------
# Connections: resolve once, check every answer, connect only to checked addresses.


async def system_resolver(host: str, port: int) -> list[str]:
    """The OS resolver in the fetcher's own thread pool (never the loop's default executor, which PTB and
    `asyncio.to_thread` share), answers de-duplicated in order. See summarize/resolve.py."""
    return await shared_resolver()(host, port)


def default_policy(ip: IPAddress, allow_loopback: bool) -> str | None:
    return address_reason(ip, allow_loopback=allow_loopback)


class PinnedBackend(httpcore.AsyncNetworkBackend):
    """An httpcore network backend whose `connect_tcp` resolves and checks the host itself."""

    def __init__(
        self,
        *,
        allow_loopback: bool,
        resolver: Resolver = system_resolver,
        policy: AddressPolicy = default_policy,
        inner: httpcore.AsyncNetworkBackend | None = None,
        dns_timeout_s: float | None = None,
    ) -> None:
        self._allow_loopback = allow_loopback
        self._dns_timeout_s = dns_timeout_s
        self._resolver = resolver
        self._policy = policy
        self._inner = inner or httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = await self.checked_addresses(host, port, timeout)
        last_error: Exception | None = None
        for ip in addresses[:MAX_CONNECT_ATTEMPTS]:
            try:
                return await self._inner.connect_tcp(
                    ip.compressed,
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last_error = exc
        assert last_error is not None
        raise last_error

    async def checked_addresses(self, host: str, port: int, timeout: float | None = None) -> list[IPAddress]:
        """All addresses `host` resolves to, once; UnsafeUrl if any of them is refused."""
        literal = _ip_or_none(host.strip("[]"))
        if literal is not None:
            addresses = [literal]
        else:
            deadlines = [t for t in (timeout, self._dns_timeout_s) if t is not None]
            try:
                async with asyncio.timeout(min(deadlines) if deadlines else None):
                    answers = await self._resolver(host, port)
            except TimeoutError:
                raise httpcore.ConnectTimeout(f"DNS lookup for {host} timed out") from None
            except (OSError, UnicodeError):  # gaierror, or a label the idna codec refuses
                raise Unreachable(_msg_not_found(host)) from None
            addresses = [ip for ip in (_ip_or_none(a) for a in answers) if ip is not None]
            if not addresses:
                raise Unreachable(_msg_not_found(host))
        refused = [
            (ip, why) for ip in addresses if (why := self._policy(ip, self._allow_loopback)) is not None
        ]
        if refused:
            log.info("refused %s: %s", host, ", ".join(f"{ip} ({why})" for ip, why in refused))
            raise UnsafeUrl(MSG_PRIVATE)
        return addresses

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("unix sockets are never opened by the fetcher")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class _PinnedTransport(httpx.AsyncHTTPTransport):
    """httpx's own transport (request/response and error mapping unchanged) over a pool that connects
    through `PinnedBackend`. httpx 0.28 has no `network_backend` argument, so the pool is replaced after
    construction with the same settings plus the backend; test_fetch_pinning proves the backend is used."""

    def __init__(self, backend: PinnedBackend, *, verify: ssl.SSLContext | bool, pool: httpx.Limits) -> None:
        # One context for both pools; SSL_CERT_FILE/SSL_CERT_DIR are honoured (proxies are off at the client).
        context = httpx.create_ssl_context(verify=verify, trust_env=True)
        super().__init__(verify=context, limits=pool)
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=context,
            max_connections=pool.max_connections,
            max_keepalive_connections=pool.max_keepalive_connections,
            keepalive_expiry=pool.keepalive_expiry,
            http1=True,
            http2=False,
            network_backend=backend,
        )


class GuardedClient(httpx.AsyncClient):
    """An httpx client that can only reach checked addresses. Share one per process for its pool."""

    def __init__(
        self,
        limits: FetchLimits | None = None,
        *,
        resolver: Resolver | None = None,
        policy: AddressPolicy = default_policy,
        network_backend: httpcore.AsyncNetworkBackend | None = None,
        verify: ssl.SSLContext | bool = True,
        max_connections: int = 20,
    ) -> None:
        self.limits = limits or FetchLimits.from_env()
        backend = PinnedBackend(
            allow_loopback=self.limits.allow_loopback,
            resolver=resolver or shared_resolver(self.limits.dns_threads),
            policy=policy,
            inner=network_backend,
            dns_timeout_s=self.limits.dns_timeout_s,
        )
        pool = httpx.Limits(max_connections=max_connections, max_keepalive_connections=max_connections // 2)
        super().__init__(
            transport=_PinnedTransport(backend, verify=verify, pool=pool),
            timeout=_timeouts(self.limits),
            follow_redirects=False,
            trust_env=False,  # no environment proxies: a proxy would resolve names itself
            headers={"User-Agent": USER_AGENT},
        )


def make_client(limits: FetchLimits | None = None, **kwargs: object) -> GuardedClient:
    """A client to pass as `fetch(..., client=...)`; see GuardedClient for the keyword arguments."""
    return GuardedClient(limits, **kwargs)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------------------------
# Fetching: redirects by hand, status and type checks, byte cap, decoding.


async def fetch(
    url: str,
    *,
    limits: FetchLimits | None = None,
    accept: Accept = PAGE,
    headers: Mapping[str, str] | None = None,
    client: httpx.AsyncClient | None = None,
) -> FetchedPage:
    """GET `url` safely. Raises a FetchError subclass whose message is fit to show a person."""
    if client is not None and not isinstance(client, GuardedClient):
        raise TypeError("fetch() needs a client from make_client(); a plain httpx client does not pin DNS")
    limits = limits or (client.limits if isinstance(client, GuardedClient) else FetchLimits.from_env())
    if client is not None and client.limits.allow_loopback and not limits.allow_loopback:
        # Its pooled connections may lead to loopback addresses: a stricter call cannot undo that.
        raise ValueError(
            "this client allows loopback addresses but the limits do not; use one client per policy"
        )
    own_client = client is None
    active = client if client is not None else GuardedClient(limits)
    try:
        async with asyncio.timeout(limits.timeout_s):
            return await _follow(active, url, limits, accept, headers or {})
    except TimeoutError:
        raise FetchTimeout(_msg_timeout(_host_of(url))) from None
    finally:
        if own_client:
            await active.aclose()


def fetch_sync(url: str, **kwargs: object) -> FetchedPage:
    """`fetch` for synchronous callers such as the CLI."""
    return asyncio.run(fetch(url, **kwargs))  # type: ignore[arg-type]


async def _follow(
    client: httpx.AsyncClient, url: str, limits: FetchLimits, accept: Accept, extra: Mapping[str, str]
) -> FetchedPage:
    target = check_url(url, allow_loopback=limits.allow_loopback)
    first = target
    request_headers = httpx.Headers({"Accept": accept.header, "Accept-Encoding": ACCEPT_ENCODING})
    request_headers.update(extra)
    for hop in range(limits.max_redirects + 1):
        log.debug("fetch hop %d: %s", hop, target.url)
        try:
            response = await _send(client, target, request_headers, limits)
        except UnsafeUrl:
            if hop == 0:
                raise
            raise UnsafeUrl(_MSG_REDIRECT_PRIVATE) from None
        try:
            if response.status_code in REDIRECT_STATUSES:
                next_target = _redirect_target(target, response, limits)
                if (next_target.scheme, next_target.host, next_target.port) != (
                    target.scheme,
                    target.host,
                    target.port,
                ):
                    for name in _CREDENTIAL_HEADERS:
                        request_headers.pop(name, None)
                await _drain(response)
                target = next_target
                continue
            return await _finish(response, first, target, limits, accept)
        except httpx.HTTPError as exc:
            raise _map_http_error(exc, target.host) from None
        finally:
            await response.aclose()
    raise Unreachable("That link redirects too many times. Send the article's final address instead.")


async def _send(
    client: httpx.AsyncClient, target: Target, headers: httpx.Headers, limits: FetchLimits
) -> httpx.Response:
    try:
        request = client.build_request("GET", target.url, headers=headers, timeout=_timeouts(limits))
        return await client.send(request, stream=True, follow_redirects=False)
    except httpx.InvalidURL:
        raise InvalidUrl(MSG_INVALID) from None
    except httpx.HTTPError as exc:
        raise _map_http_error(exc, target.host) from None


def _redirect_target(current: Target, response: httpx.Response, limits: FetchLimits) -> Target:
    location = response.headers.get("location", "").strip()
    if not location:
        raise Unreachable(f"{current.host} sent a redirect without a destination. Try the link again later.")
    if location.startswith(("//", "\\\\", "/\\", "\\/")):
        location = f"{current.scheme}:{location}"  # scheme-relative
    elif not re.match(r"^[A-Za-z][A-Za-z0-9+.\-]*:", location):
        location = urljoin(current.url, location)
    try:
        return check_url(location, allow_loopback=limits.allow_loopback)
    except UnsafeUrl as exc:
        if exc.message == MSG_PRIVATE:
            raise UnsafeUrl(_MSG_REDIRECT_PRIVATE) from None
        raise UnsafeUrl(
            "That link redirects to something other than a web page. Send the article's address."
        ) from None
    except InvalidUrl:
        raise Unreachable(
            f"{current.host} redirected to an address that is not valid. Try another link."
        ) from None


async def _finish(
    response: httpx.Response, first: Target, target: Target, limits: FetchLimits, accept: Accept
) -> FetchedPage:
    status = response.status_code
    etag = response.headers.get("etag")
    last_modified = response.headers.get("last-modified")
    if status == 304:
        return FetchedPage(first.url, target.url, 304, "", b"", "", etag, last_modified)
    if not 200 <= status < 300:
        raise HttpStatusError(_msg_status(response), status)

    header_type = response.headers.get("content-type", "")
    media_type, charset = _parse_content_type(header_type)
    if media_type and media_type not in accept.types:
        raise UnsupportedContent(_msg_content(media_type, accept))
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limits.max_bytes:
        raise ContentTooLarge(_msg_too_large(limits.max_bytes), limits.max_bytes)
    body = await _read_capped(response, limits.max_bytes)
    if not media_type:
        media_type = sniff_media_type(body)
        if media_type not in accept.types:
            raise UnsupportedContent(_msg_content(media_type, accept))
    text = decode_body(body, media_type, charset)
    return FetchedPage(first.url, target.url, status, media_type, body, text, etag, last_modified)


async def _drain(response: httpx.Response, limit: int = 65_536) -> None:
    """Read a small redirect body so its connection can serve the next hop; a big one is just closed."""
    size = 0
    async for chunk in response.aiter_raw():
        size += len(chunk)
        if size > limit:
            return


async def _read_capped(response: httpx.Response, max_bytes: int) -> bytes:
    """The decoded body, refusing it as soon as the bytes on the wire or the decoded bytes pass
    `max_bytes`. Decoding is ours, not httpx's: httpx inflates a whole network chunk in one call (a 64 kB
    gzip chunk can be 64 MB), while `_Inflater` never produces more than the bytes still allowed."""
    inflater = _inflater_for(response.headers.get_list("content-encoding", split_commas=True))
    chunks: list[bytes] = []
    wire = size = 0
    try:
        async for raw in response.aiter_raw():
            wire += len(raw)
            chunk = inflater.feed(raw, max_bytes - size) if inflater is not None else raw
            size += len(chunk)
            if wire > max_bytes or size > max_bytes:
                raise ContentTooLarge(_msg_too_large(max_bytes), max_bytes)
            chunks.append(chunk)
        if inflater is not None:
            chunks.append(tail := inflater.finish())
            if size + len(tail) > max_bytes:
                raise ContentTooLarge(_msg_too_large(max_bytes), max_bytes)
    except _Garbled:
        host = response.request.url.host
        raise Unreachable(
            f"{host} sent a garbled answer. Try again later, or paste the article text."
        ) from None
    return b"".join(chunks)


# Content-Encoding values we decode: one layer, gzip or deflate (the only ones we ask for).
ACCEPT_ENCODING = "gzip, deflate"
_ZLIB_WBITS = {"gzip": 16 + zlib.MAX_WBITS, "x-gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS}


class _Inflater:
    """Incremental gzip/deflate decoding that yields at most `room + 1` bytes per call, so the caller sees
    an oversized body as soon as it passes the cap, whatever the compression ratio."""

    def __init__(self, encoding: str) -> None:
        self._encoding = encoding
        self._zlib = zlib.decompressobj(_ZLIB_WBITS[encoding])
        self._started = False

    def feed(self, data: bytes, room: int) -> bytes:
        try:
            out = self._zlib.decompress(data, room + 1)
        except zlib.error:
            if self._encoding != "deflate" or self._started:
                raise _Garbled() from None
            # Some servers send "deflate" as a raw stream without the zlib header, as browsers accept.
            self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
            self._started = True
            return self.feed(data, room)
        self._started = True
        # Output stopped at room + 1 bytes (more input waits in unconsumed_tail): over the cap already.
        return out

    def finish(self) -> bytes:
        """What is left in zlib's buffer (little: `feed` consumed all input below the cap)."""
        try:
            return self._zlib.flush()
        except zlib.error:
            raise _Garbled() from None


class _Garbled(Exception):
    """The compressed body does not decode."""


def _inflater_for(encodings: Sequence[str]) -> _Inflater | None:
    """The decoder for a Content-Encoding header (already split on commas). One layer at most: a stacked
    `gzip, gzip` multiplies ratios (7 kB on the wire, 4 GB decoded) and no real site needs it."""
    layers = [e.strip().lower() for e in encodings if e.strip() and e.strip().lower() != "identity"]
    if not layers:
        return None
    if len(layers) > 1:
        raise UnsupportedContent(
            f"That site sent the page compressed {len(layers)} times over ({', '.join(layers)}), which I "
            "don't unpack. Send another link to the article, or paste its text."
        )
    if layers[0] not in _ZLIB_WBITS:
        raise UnsupportedContent(
            f"That site sent the page in a compression I don't read ({layers[0][:40]}). Send another link "
            "to the article, or paste its text."
        )
    return _Inflater(layers[0])


# ---------------------------------------------------------------------------------------------------------
# Content type and charset (pure).

_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.\-]+)""", re.IGNORECASE)
# WHATWG Encoding: browsers read these labels as windows-1252, and so do real pages that declare them.
_AS_WINDOWS_1252 = {"iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "ascii", "us-ascii", "cp819"}
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_NOT_DOCUMENT_CHARSETS = {"undefined", "utf-7", "idna", "punycode", "unicode-escape", "raw-unicode-escape"}
_PRESCAN_BYTES = 4096
_CHARSET_PARAM = re.compile(r""";\s*charset\s*=\s*["']?([^"';\s]+)""", re.IGNORECASE)


def decode_body(body: bytes, media_type: str, header_charset: str | None) -> str:
    """Decode with the BOM, else the header charset, else a <meta>/XML declaration, else UTF-8."""
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return body.decode(codec, errors="replace")
    encoding = _codec(header_charset)
    if encoding is None and media_type != "text/plain":
        head = body[:_PRESCAN_BYTES]
        match = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
        declared = _codec(match.group(1).decode("ascii")) if match else None
        # A <meta> that says UTF-16 in an ASCII-compatible document is wrong by definition (WHATWG).
        encoding = "utf-8" if declared in ("utf-16", "utf-16-le", "utf-16-be") else declared
    try:
        return body.decode(encoding or "utf-8", errors="replace")
    except (LookupError, UnicodeError):  # a codec that still cannot decode documents: read as UTF-8
        return body.decode("utf-8", errors="replace")


def sniff_media_type(body: bytes) -> str:
    """A media type for a response that declared none: markup, feed, plain text, or binary."""
    head = body[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html")) or b"<head" in head or b"<body" in head:
        return "text/html"
    if b"<rss" in head or b"<rdf:rdf" in head:
        return "application/rss+xml"
    if b"<feed" in head:
        return "application/atom+xml"
    if head.startswith(b"<?xml"):
        return "application/xml"
    if b"\x00" in body[:1024]:
        return "application/octet-stream"
    return "text/plain"


def _parse_content_type(value: str) -> tuple[str, str | None]:
    """("text/html", "utf-8") from a Content-Type header; ("", None) when missing or malformed."""
    media_type = value.split(";", 1)[0].strip().lower()
    if media_type.count("/") != 1 or " " in media_type:
        media_type = ""
    match = _CHARSET_PARAM.search(value)
    return media_type, (match.group(1) if match else None)


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    if label in _AS_WINDOWS_1252:
        return "cp1252"
    try:
        info = codecs.lookup(label)
    except LookupError:
        return None
    # Python also names bytes-to-bytes and str-to-str codecs (base64, hex, zlib, rot13) and codecs that are
    # no document charset (undefined always fails, utf-7 smuggles markup, idna/escapes are not for pages).
    if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_DOCUMENT_CHARSETS:
        return None
    return info.name


# ---------------------------------------------------------------------------------------------------------
# Messages for people, and error mapping.

_MSG_REDIRECT_PRIVATE = (
    "That link redirects to a private or local address, which I can't open. Send a public http(s) link."
)


def _msg_not_found(host: str) -> str:
    return f"I couldn't find the site {host}. Check the link for typos and send it again."


def _msg_timeout(host: str) -> str:
    return f"{host} took too long to answer. Try again later, or paste the article text instead."


def _msg_too_large(max_bytes: int) -> str:
    size = f"{max_bytes / 1_000_000:g} MB" if max_bytes >= 1_000_000 else f"{max_bytes / 1000:g} kB"
    return f"That page is larger than {size}, more than I read. Send a link to the article itself, or paste its text."


def _msg_status(response: httpx.Response) -> str:
    status = f"{response.status_code} {response.reason_phrase}".strip()
    if response.status_code in (401, 403, 451):
        return f"The site refused to show that page ({status}). Paste the article text instead."
    if response.status_code in (404, 410):
        return f"The site answered {status} for that link. Check the link, or paste the article text instead."
    if response.status_code >= 500 or response.status_code == 429:
        return f"The site answered {status}. Try again later, or paste the article text instead."
    return f"The site answered {status} for that link. Try another link, or paste the article text instead."


def _msg_content(media_type: str, accept: Accept) -> str:
    return f"That link leads to {_describe(media_type)}, not a {accept.name}. {accept.advice}"


def _describe(media_type: str) -> str:
    kind = media_type.split("/", 1)[0]
    if media_type == "application/pdf":
        return "a PDF document"
    if kind in ("image", "video"):
        return f"an {kind}" if kind == "image" else "a video"
    if kind == "audio":
        return "an audio file"
    if media_type in ("application/json", "text/json"):
        return "JSON data"
    if media_type in ("application/octet-stream", "application/zip", "application/x-msdownload"):
        return "a file download"
    return f"a file of type {media_type}"


def _map_http_error(exc: httpx.HTTPError, host: str) -> Exception:
    if isinstance(exc, httpx.TimeoutException):
        return FetchTimeout(_msg_timeout(host))
    if _caused_by(exc, ssl.SSLError):
        return Unreachable(
            f"I couldn't open a secure connection to {host} (its certificate could not be verified). "
            "Send another link, or paste the article text."
        )
    if isinstance(exc, httpx.ConnectError):
        return Unreachable(f"I couldn't connect to {host}. Check the link, or try again later.")
    if isinstance(exc, httpx.DecodingError):
        return Unreachable(f"{host} sent a garbled answer. Try again later, or paste the article text.")
    return Unreachable(f"The connection to {host} broke off. Try again later, or paste the article text.")


def _caused_by(exc: BaseException, kind: type[BaseException]) -> bool:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, kind):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


def _timeouts(limits: FetchLimits) -> httpx.Timeout:
    return httpx.Timeout(
        connect=limits.timeout_s, read=limits.timeout_s, write=limits.timeout_s, pool=limits.timeout_s
    )


def _ip_or_none(text: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _host_of(url: str) -> str:
    try:
        return check_url(url, allow_loopback=True).host
    except (InvalidUrl, UnsafeUrl):
        return "The site"
