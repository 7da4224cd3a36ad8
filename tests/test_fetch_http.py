"""fetch() end to end against real aiohttp sites on 127.0.0.1: pages, charsets, redirects, caps, errors."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import AsyncIterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import quote

import httpx
import pytest

from summarize.config import FetchLimits
from summarize.errors import (
    ContentTooLarge,
    FetchError,
    FetchTimeout,
    HttpStatusError,
    InvalidUrl,
    Unreachable,
    UnsafeUrl,
    UnsupportedContent,
)
from summarize.fetch import FEED, PAGE, GuardedClient, fetch, fetch_sync, make_client
from summarize.guard import MSG_PRIVATE
from tests.test_fetch_support import (
    ARTICLE_HTML,
    LoopbackOnlyBackend,
    Site,
    TableResolver,
    free_port,
    loopback_policy,
    start_raw_server,
    start_site,
)

# Loopback needs allow_loopback (the test switch); every client below also refuses non-loopback connects.
LIMITS = FetchLimits(timeout_s=2.0, max_bytes=300_000, allow_loopback=True)
STRICT = FetchLimits(timeout_s=2.0, max_bytes=300_000, allow_loopback=False)


@pytest.fixture
async def site() -> AsyncIterator[Site]:
    running = await start_site()
    yield running
    await running.runner.cleanup()


@pytest.fixture
def backend() -> LoopbackOnlyBackend:
    return LoopbackOnlyBackend()


@pytest.fixture
async def client(backend: LoopbackOnlyBackend) -> AsyncIterator[GuardedClient]:
    async with make_client(LIMITS, network_backend=backend) as shared:
        yield shared


@pytest.fixture
def resolver() -> TableResolver:
    return TableResolver(
        {
            "news.test": [["127.0.0.1"]],
            "internal.test": [["10.1.2.3"]],
            "mixed.test": [["127.0.0.1", "192.168.0.5"]],
            "metadata.test": [["169.254.169.254"]],
        }
    )


@pytest.fixture
async def strict_client(
    backend: LoopbackOnlyBackend, resolver: TableResolver
) -> AsyncIterator[GuardedClient]:
    """Production address rules except that loopback counts as public, and private addresses refused."""
    async with make_client(
        STRICT, resolver=resolver, policy=loopback_policy, network_backend=backend
    ) as shared:
        yield shared


# --- pages and text -------------------------------------------------------------------------------------


async def test_fetches_an_article_page(site: Site, client: GuardedClient) -> None:
    page = await fetch(site.url("/article"), limits=LIMITS, client=client)
    assert page.status == 200
    assert page.content_type == "text/html"
    assert page.text == ARTICLE_HTML
    assert page.body == ARTICLE_HTML.encode("utf-8")
    assert page.url == page.final_url == site.url("/article")


async def test_without_a_client_fetch_opens_and_closes_its_own(site: Site) -> None:
    page = await fetch(site.url("/plain", host="localhost"), limits=LIMITS)
    assert page.text == "Shelling was reported overnight.\n"
    assert page.content_type == "text/plain"


@pytest.mark.parametrize("host", ["2130706433", "0177.0.0.1", "0x7f.1", "127.1", "[::ffff:127.0.0.1]"])
async def test_odd_spellings_fetch_the_address_the_guard_checked(
    site: Site, client: GuardedClient, backend: LoopbackOnlyBackend, host: str
) -> None:
    """httpx only ever sees the canonical URL, so it cannot read a spelling differently from the guard."""
    page = await fetch(f"http://{host}:{site.port}/plain", limits=LIMITS, client=client)
    assert page.url.startswith(("http://127.0.0.1:", "http://[::ffff:7f00:1]:"))
    assert page.status == 200
    assert set(backend.connected) <= {"127.0.0.1", "::ffff:7f00:1"}


async def test_a_shared_client_serves_many_fetches(site: Site, client: GuardedClient) -> None:
    pages = [
        await fetch(site.url(path), limits=LIMITS, client=client)
        for path in ("/article", "/plain", "/article")
    ]
    assert [p.content_type for p in pages] == ["text/html", "text/plain", "text/html"]
    assert [path for path, _ in site.hits] == ["/article", "/plain", "/article"]


async def test_sends_accept_and_user_agent_and_caller_headers(site: Site, client: GuardedClient) -> None:
    page = await fetch(site.url("/echo-headers"), limits=LIMITS, client=client, headers={"X-Trace": "t1"})
    assert "accept: text/html" in page.text
    assert "user-agent: mozilla/5.0 (compatible; conflictbrief" in page.text.lower()
    assert "x-trace: t1" in page.text
    assert f"host: 127.0.0.1:{site.port}" in page.text


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/meta-cp1251", "Київ, заява"),
        ("/http-equiv-koi8", "Москва"),
        ("/latin1-label", "\u201cQuoted\u201d says the minister"),  # ISO-8859-1 label read as windows-1252
        ("/header-beats-meta", "Zürich"),
        ("/bom-utf16", "Lviv: 3 people injured."),
        ("/unknown-charset", "Odesa — port"),
        ("/gzip-ok", "“We are close,” the mediator told reporters"),
    ],
)
async def test_charset_detection(site: Site, client: GuardedClient, path: str, expected: str) -> None:
    page = await fetch(site.url(path), limits=LIMITS, client=client)
    assert expected in page.text
    assert "\ufffd" not in page.text


async def test_undecodable_bytes_become_replacement_characters(site: Site, client: GuardedClient) -> None:
    page = await fetch(site.url("/bad-utf8"), limits=LIMITS, client=client)
    assert page.text == "<p>caf\ufffd broken \ufffd</p>"
    assert page.body == b"<p>caf\xe9 broken \xff</p>"


async def test_missing_content_type_is_sniffed() -> None:
    html = await start_raw_server(ARTICLE_HTML.encode())
    binary = await start_raw_server(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(100))
    try:
        page = await fetch(html.url("/x"), limits=LIMITS)
        assert page.content_type == "text/html"
        assert page.text == ARTICLE_HTML
        with pytest.raises(UnsupportedContent):
            await fetch(binary.url("/x"), limits=LIMITS)
    finally:
        html.server.close()
        binary.server.close()


# --- content types and feeds ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "described"),
    [("/pdf", "a PDF document"), ("/image", "an image"), ("/octet", "a file download")],
)
async def test_wrong_content_types_are_refused_with_advice(
    site: Site, client: GuardedClient, path: str, described: str
) -> None:
    with pytest.raises(UnsupportedContent) as info:
        await fetch(site.url(path), limits=LIMITS, client=client)
    message = str(info.value)
    assert message.startswith(f"That link leads to {described}, not a web page.")
    assert "paste the article text" in message


async def test_feed_types_are_accepted_only_when_asked_for(site: Site, client: GuardedClient) -> None:
    feed = await fetch(site.url("/rss"), limits=LIMITS, client=client, accept=FEED)
    assert feed.content_type == "application/rss+xml"
    assert "<title>Talks resume</title>" in feed.text
    assert feed.etag == '"v1"'
    assert feed.last_modified == "Tue, 02 Jan 2024 10:00:00 GMT"
    with pytest.raises(UnsupportedContent, match="not a web page"):
        await fetch(site.url("/rss"), limits=LIMITS, client=client, accept=PAGE)
    with pytest.raises(UnsupportedContent, match="not a news feed"):
        await fetch(site.url("/pdf"), limits=LIMITS, client=client, accept=FEED)


async def test_feed_html_is_allowed_for_autodiscovery(site: Site, client: GuardedClient) -> None:
    page = await fetch(site.url("/article"), limits=LIMITS, client=client, accept=FEED)
    assert page.content_type == "text/html"


async def test_xml_encoding_declaration_is_honoured(site: Site, client: GuardedClient) -> None:
    feed = await fetch(site.url("/xml-declared"), limits=LIMITS, client=client, accept=FEED)
    assert "<title>Харків</title>" in feed.text


async def test_conditional_request_returns_304_as_a_page(site: Site, client: GuardedClient) -> None:
    page = await fetch(
        site.url("/rss"), limits=LIMITS, client=client, accept=FEED, headers={"If-None-Match": '"v1"'}
    )
    assert (page.status, page.body, page.text, page.content_type) == (304, b"", "", "")
    assert page.etag == '"v1"'


# --- HTTP errors ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "phrase", "advice"),
    [
        (404, "404 Not Found", "Check the link"),
        (410, "410 Gone", "Check the link"),
        (403, "403 Forbidden", "Paste the article text"),
        (500, "500 Internal Server Error", "Try again later"),
        (503, "503 Service Unavailable", "Try again later"),
        (429, "429 Too Many Requests", "Try again later"),
        (400, "400 Bad Request", "Try another link"),
    ],
)
async def test_http_error_statuses_are_unreachable_with_the_status(
    site: Site, client: GuardedClient, code: int, phrase: str, advice: str
) -> None:
    with pytest.raises(HttpStatusError) as info:
        await fetch(site.url(f"/status/{code}"), limits=LIMITS, client=client)
    assert isinstance(info.value, Unreachable)
    assert info.value.status == code
    assert phrase in str(info.value)
    assert advice in str(info.value)


async def test_connection_refused_is_unreachable(client: GuardedClient) -> None:
    port = free_port()
    with pytest.raises(Unreachable) as info:
        await fetch(f"http://127.0.0.1:{port}/", limits=LIMITS, client=client)
    assert str(info.value) == "I couldn't connect to 127.0.0.1. Check the link, or try again later."


async def test_unknown_host_is_unreachable(backend: LoopbackOnlyBackend, resolver: TableResolver) -> None:
    async with make_client(STRICT, resolver=resolver, network_backend=backend) as shared:
        with pytest.raises(Unreachable) as info:
            await fetch("http://no-such-site.test/story", limits=STRICT, client=shared)
    assert (
        str(info.value)
        == "I couldn't find the site no-such-site.test. Check the link for typos and send it again."
    )
    assert resolver.calls == ["no-such-site.test"]
    assert backend.connected == []


async def test_malformed_and_non_http_links(client: GuardedClient) -> None:
    with pytest.raises(InvalidUrl):
        await fetch("www.example.com/story", limits=LIMITS, client=client)
    with pytest.raises(UnsafeUrl, match="starts with http:// or https://"):
        await fetch("file:///etc/passwd", limits=LIMITS, client=client)


async def test_plain_httpx_clients_are_rejected() -> None:
    async with httpx.AsyncClient() as plain:
        with pytest.raises(TypeError, match="make_client"):
            await fetch("http://127.0.0.1/", limits=LIMITS, client=plain)


# --- timeouts and size caps -----------------------------------------------------------------------------


async def test_slow_headers_time_out(site: Site, client: GuardedClient) -> None:
    limits = FetchLimits(timeout_s=0.3, max_bytes=300_000, allow_loopback=True)
    started = time.monotonic()
    with pytest.raises(FetchTimeout) as info:
        await fetch(site.url("/slow-headers?s=1"), limits=limits, client=client)
    assert time.monotonic() - started < 1.5
    assert (
        str(info.value)
        == "127.0.0.1 took too long to answer. Try again later, or paste the article text instead."
    )
    assert isinstance(info.value, Unreachable)


async def test_overall_deadline_stops_a_dripping_body(site: Site, client: GuardedClient) -> None:
    """Chunks every 0.1 s never trip the read timeout; the overall deadline still ends the fetch."""
    limits = FetchLimits(timeout_s=0.6, max_bytes=300_000, allow_loopback=True)
    started = time.monotonic()
    with pytest.raises(FetchTimeout):
        await fetch(site.url("/drip"), limits=limits, client=client)
    assert time.monotonic() - started < 2.0


async def test_streamed_body_over_the_cap_is_refused(site: Site, client: GuardedClient) -> None:
    started = time.monotonic()
    with pytest.raises(ContentTooLarge) as info:
        await fetch(site.url("/huge"), limits=LIMITS, client=client)
    assert time.monotonic() - started < 2.0
    assert info.value.limit == LIMITS.max_bytes
    assert isinstance(info.value, UnsupportedContent)
    assert str(info.value).startswith("That page is larger than 300 kB")


async def test_declared_length_over_the_cap_is_refused_before_reading(
    site: Site, client: GuardedClient
) -> None:
    with pytest.raises(ContentTooLarge):
        await fetch(site.url("/huge-declared"), limits=LIMITS, client=client)


async def test_cap_counts_decompressed_bytes(site: Site, client: GuardedClient) -> None:
    with pytest.raises(ContentTooLarge):
        await fetch(site.url("/gzip-bomb"), limits=LIMITS, client=client)


async def test_body_exactly_at_the_cap_is_accepted(site: Site, client: GuardedClient) -> None:
    size = len(ARTICLE_HTML.encode())
    page = await fetch(site.url("/article"), limits=FetchLimits(2.0, size, True), client=client)
    assert len(page.body) == size
    with pytest.raises(ContentTooLarge):
        await fetch(site.url("/article"), limits=FetchLimits(2.0, size - 1, True), client=client)


# --- redirects ------------------------------------------------------------------------------------------


async def test_follows_relative_redirect_chains(site: Site, client: GuardedClient) -> None:
    page = await fetch(site.url("/chain/3"), limits=LIMITS, client=client)
    assert page.final_url == site.url("/article")
    assert page.url == site.url("/chain/3")
    assert [path for path, _ in site.hits] == ["/chain/3", "/chain/2", "/chain/1", "/article"]


async def test_too_many_redirects(site: Site, client: GuardedClient) -> None:
    with pytest.raises(Unreachable, match="redirects too many times"):
        await fetch(site.url("/chain/6"), limits=LIMITS, client=client)
    assert len(site.hits) == LIMITS.max_redirects + 1


@pytest.mark.parametrize("code", [301, 302, 303, 307, 308])
async def test_redirect_to_loopback_is_followed_when_private_is_allowed(
    site: Site, client: GuardedClient, code: int
) -> None:
    target = site.url("/article", host="localhost")
    page = await fetch(site.url(f"/redirect?code={code}&to={quote(target)}"), limits=LIMITS, client=client)
    assert page.final_url == target
    assert page.text == ARTICLE_HTML


async def test_redirect_without_location_is_unreachable(site: Site, client: GuardedClient) -> None:
    with pytest.raises(Unreachable, match="redirect without a destination"):
        await fetch(site.url("/redirect"), limits=LIMITS, client=client)


@pytest.mark.parametrize(
    "location",
    [
        "http://10.0.0.1/admin",
        "http://127.0.0.1:{port}/article",  # loopback spelled out
        "http://2130706433:{port}/article",  # loopback in decimal
        "http://[::ffff:127.0.0.1]:{port}/article",
        "http://localhost:{port}/article",
        "http://169.254.169.254/latest/meta-data/",
        "//192.168.1.1/",  # scheme-relative
        "http://internal.test/",  # a name that resolves to a private address
        "http://metadata.test/latest",
        "http://mixed.test:{port}/article",  # one loopback answer, one private: the whole host is refused
    ],
)
async def test_redirect_to_private_target_is_refused(
    site: Site, strict_client: GuardedClient, backend: LoopbackOnlyBackend, location: str
) -> None:
    start = f"http://news.test:{site.port}/redirect?to={quote(location.format(port=site.port))}"
    with pytest.raises(UnsafeUrl) as info:
        await fetch(start, limits=STRICT, client=strict_client)
    assert str(info.value).startswith("That link redirects to a private or local address")
    assert [path for path, _ in site.hits] == [f"/redirect?to={quote(location.format(port=site.port))}"]
    assert set(backend.connected) == {"127.0.0.1"}  # only the first hop ever connected


async def test_redirect_to_another_scheme_is_refused(site: Site, strict_client: GuardedClient) -> None:
    start = f"http://news.test:{site.port}/redirect?to={quote('file:///etc/passwd')}"
    with pytest.raises(UnsafeUrl, match="redirects to something other than a web page"):
        await fetch(start, limits=STRICT, client=strict_client)


async def test_credentials_do_not_follow_a_redirect_to_another_origin(
    site: Site, client: GuardedClient
) -> None:
    elsewhere = site.url("/echo-headers", host="localhost")
    page = await fetch(
        site.url(f"/redirect?to={quote(elsewhere)}"),
        limits=LIMITS,
        client=client,
        headers={"Authorization": "Bearer secret", "X-Keep": "yes"},
    )
    assert "authorization" not in page.text
    assert "x-keep: yes" in page.text


# --- the loopback-only test switch -------------------------------------------------------------------------


async def test_loopback_is_refused_unless_allowed(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FETCH_ALLOW_LOOPBACK", raising=False)
    with pytest.raises(UnsafeUrl) as info:
        await fetch(site.url("/article"))
    assert str(info.value) == MSG_PRIVATE
    monkeypatch.setenv("FETCH_ALLOW_LOOPBACK", "1")
    monkeypatch.setenv("FETCH_TIMEOUT_S", "2")
    page = await fetch(site.url("/article"))
    assert page.status == 200


@pytest.mark.parametrize(
    "location",
    [
        "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
        "http://[::ffff:169.254.169.254]/latest/meta-data/",
        "http://2852039166/latest/meta-data/",  # 169.254.169.254 in decimal
        "http://metadata.test/computeMetadata/v1/",  # a name answering 169.254.169.254
        "http://[fd00:ec2::254]/latest/meta-data/",
        "http://10.0.0.1/admin",
        "http://192.168.1.1/",
        "http://0.0.0.0:{port}/article",  # the unspecified address dials this host
        "http://internal.test/",
        "http://mixed.test:{port}/article",  # loopback and private answers: refused as a whole
    ],
)
async def test_with_the_loopback_switch_on_a_redirect_to_metadata_is_refused(
    site: Site, backend: LoopbackOnlyBackend, resolver: TableResolver, location: str
) -> None:
    """Issue 12 row 14: the switch tests use opens loopback and nothing else. A loopback page redirecting to
    the cloud metadata address (or any private one) is refused by the guard before any connect; under
    FETCH_ALLOW_PRIVATE this redirect was followed."""
    limits = FetchLimits.from_env({"FETCH_ALLOW_LOOPBACK": "1", "FETCH_TIMEOUT_S": "2"})
    assert limits.allow_loopback
    to = quote(location.format(port=site.port))
    async with make_client(limits, resolver=resolver, network_backend=backend) as switched_on:
        with pytest.raises(UnsafeUrl) as info:
            await fetch(site.url(f"/redirect?to={to}"), limits=limits, client=switched_on)
    assert str(info.value).startswith("That link redirects to a private or local address")
    assert [path for path, _ in site.hits] == [f"/redirect?to={to}"]
    assert set(backend.connected) == {"127.0.0.1"}  # only the loopback page itself was ever dialled


async def test_a_name_resolving_to_loopback_is_refused_at_connect_time(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`localhost` is refused by name; any other name is refused once its address is known."""
    monkeypatch.delenv("FETCH_ALLOW_LOOPBACK", raising=False)
    for name in ("localhost", "127.0.0.1.nip.test"):
        resolver = TableResolver({"127.0.0.1.nip.test": [["127.0.0.1"]]})
        async with make_client(STRICT, resolver=resolver, network_backend=LoopbackOnlyBackend()) as strict:
            with pytest.raises(UnsafeUrl):
                await fetch(site.url("/article", host=name), limits=STRICT, client=strict)
    assert site.hits == []


async def test_client_policy_and_call_limits_must_agree(site: Site, backend: LoopbackOnlyBackend) -> None:
    """A permissive client's pooled connections may lead anywhere, so strict limits refuse to use it; a strict
    client stays strict even when the call's limits allow private addresses."""
    resolver = TableResolver({"news.test": [["127.0.0.1"]]})
    url = f"http://news.test:{site.port}/plain"
    async with make_client(LIMITS, resolver=resolver, network_backend=backend) as permissive:
        assert (await fetch(url, limits=LIMITS, client=permissive)).status == 200
        with pytest.raises(ValueError, match="one client per policy"):
            await fetch(url, limits=STRICT, client=permissive)
    async with make_client(STRICT, resolver=resolver, network_backend=backend) as strict:
        with pytest.raises(UnsafeUrl):
            await fetch(url, limits=LIMITS, client=strict)
    assert len(site.hits) == 1


# --- sync entry point -----------------------------------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        body = b"<html><body><p>Sync fetch works.</p></body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


def test_fetch_sync_for_the_cli() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        port = server.server_address[1]
        page = fetch_sync(f"http://127.0.0.1:{port}/", limits=LIMITS)
        assert "Sync fetch works." in page.text
        with pytest.raises(FetchError):
            fetch_sync(f"http://127.0.0.1:{port}/", limits=STRICT)
    finally:
        server.shutdown()
        server.server_close()
    assert socket.gethostbyname("localhost").startswith("127.")
