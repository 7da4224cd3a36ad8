"""Issue 12 row 1: Content-Encoding is decoded by the fetcher itself, counting decoded bytes against
FETCH_MAX_BYTES as they stream (zlib with max_length), and stacked or unknown encodings are refused.

Before: `Content-Encoding: gzip, gzip` on a body of a few kB decoded to gigabytes inside one httpx decode
call, and a plain gzip body expanded a whole network chunk (64 kB -> 64 MB) before the cap looked at it.
"""

from __future__ import annotations

import gzip
import struct
import tracemalloc
import zlib
from collections.abc import AsyncIterator

import pytest
from aiohttp import web

from summarize.config import FetchLimits
from summarize.errors import ContentTooLarge, Unreachable, UnsupportedContent
from summarize.fetch import GuardedClient, fetch, make_client
from tests.test_fetch_support import ARTICLE_HTML, LoopbackOnlyBackend

CAP = 300_000
LIMITS = FetchLimits(timeout_s=5.0, max_bytes=CAP, allow_loopback=True)
MIB = 1 << 20


def gzip_of_zeros(mebibytes: int) -> bytes:
    """A valid gzip member of `mebibytes` MiB of b"0", built from one full-flush deflate block repeated
    (each block stands alone), so a 4 GiB bomb costs only a CRC pass to make."""
    chunk = b"0" * MIB
    deflate = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    block = deflate.compress(chunk) + deflate.flush(zlib.Z_FULL_FLUSH)
    end = deflate.flush()
    crc = 0
    for _ in range(mebibytes):
        crc = zlib.crc32(chunk, crc)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
    return header + block * mebibytes + end + struct.pack("<II", crc, (mebibytes * MIB) & 0xFFFFFFFF)


@pytest.fixture(scope="module")
def bombs() -> dict[str, bytes]:
    inner = gzip_of_zeros(4096)  # 4 GiB decoded
    return {"gzip,gzip": gzip.compress(inner, 9), "gzip": gzip_of_zeros(64)}  # 64 MiB decoded


class Site:
    def __init__(self, routes: dict[str, tuple[bytes, dict[str, str]]]) -> None:
        self.routes = routes
        self.seen_accept_encoding: list[str] = []
        self.runner: web.AppRunner | None = None
        self.port = 0

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    async def handle(self, request: web.Request) -> web.Response:
        self.seen_accept_encoding.append(request.headers.get("Accept-Encoding", ""))
        body, headers = self.routes[request.path]
        return web.Response(body=body, headers={"Content-Type": "text/html; charset=utf-8", **headers})


@pytest.fixture
async def site(bombs: dict[str, bytes]) -> AsyncIterator[Site]:
    page = ARTICLE_HTML.encode()
    raw_deflate = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    routes = {
        "/gzip-gzip-bomb": (bombs["gzip,gzip"], {"Content-Encoding": "gzip, gzip"}),
        "/gzip-bomb": (bombs["gzip"], {"Content-Encoding": "gzip"}),
        "/gzip": (gzip.compress(page), {"Content-Encoding": "gzip"}),
        "/x-gzip": (gzip.compress(page), {"Content-Encoding": "x-gzip"}),
        "/deflate": (zlib.compress(page), {"Content-Encoding": "deflate"}),
        "/raw-deflate": (raw_deflate.compress(page) + raw_deflate.flush(), {"Content-Encoding": "deflate"}),
        "/identity": (page, {"Content-Encoding": "identity"}),
        "/brotli": (b"\x0b\x02\x80hello\x03", {"Content-Encoding": "br"}),
        "/stacked-small": (gzip.compress(gzip.compress(page)), {"Content-Encoding": "gzip, gzip"}),
        "/two-headers": (gzip.compress(gzip.compress(page)), {"Content-Encoding": "gzip,deflate"}),
        "/garbled": (b"\x1f\x8b\x08\x00" + b"\xff" * 200, {"Content-Encoding": "gzip"}),
        "/at-cap": (gzip.compress(b"a" * CAP), {"Content-Encoding": "gzip"}),
        "/over-cap": (gzip.compress(b"a" * (CAP + 1)), {"Content-Encoding": "gzip"}),
    }
    running = Site(routes)
    app = web.Application()
    app.router.add_get("/{tail:.*}", running.handle)
    running.runner = web.AppRunner(app, handle_signals=False)
    await running.runner.setup()
    tcp = web.TCPSite(running.runner, "127.0.0.1", 0)
    await tcp.start()
    running.port = running.runner.addresses[0][1]
    yield running
    await running.runner.cleanup()


@pytest.fixture
async def client() -> AsyncIterator[GuardedClient]:
    async with make_client(LIMITS, network_backend=LoopbackOnlyBackend()) as shared:
        yield shared


async def test_a_stacked_gzip_bomb_is_refused_before_any_decoding(
    site: Site, client: GuardedClient, bombs: dict[str, bytes]
) -> None:
    assert len(bombs["gzip,gzip"]) < 12_000  # small on the wire; 4 GiB once both layers are undone
    tracemalloc.start()
    try:
        with pytest.raises(UnsupportedContent) as info:
            await fetch(site.url("/gzip-gzip-bomb"), limits=LIMITS, client=client)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert not isinstance(info.value, ContentTooLarge)
    assert "compressed 2 times over (gzip, gzip)" in str(info.value)
    assert peak < 5 * CAP


@pytest.mark.parametrize("path", ["/stacked-small", "/two-headers"])
async def test_any_stacked_encoding_is_refused_even_when_small(
    site: Site, client: GuardedClient, path: str
) -> None:
    with pytest.raises(UnsupportedContent, match="compressed 2 times over"):
        await fetch(site.url(path), limits=LIMITS, client=client)


async def test_a_gzip_bomb_never_expands_past_the_cap_in_memory(
    site: Site, client: GuardedClient, bombs: dict[str, bytes]
) -> None:
    """64 MiB decoded from about 66 kB: refused, with the process never holding much more than the cap
    (before, one 64 kB network chunk became 64 MB in a single decode call)."""
    assert len(bombs["gzip"]) < 70_000
    tracemalloc.start()
    try:
        with pytest.raises(ContentTooLarge) as info:
            await fetch(site.url("/gzip-bomb"), limits=LIMITS, client=client)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert info.value.limit == CAP
    assert peak < 5 * CAP, f"peak {peak:,} bytes"


@pytest.mark.parametrize("path", ["/gzip", "/x-gzip", "/deflate", "/raw-deflate", "/identity"])
async def test_single_layers_decode(site: Site, client: GuardedClient, path: str) -> None:
    page = await fetch(site.url(path), limits=LIMITS, client=client)
    assert page.text == ARTICLE_HTML
    assert site.seen_accept_encoding == ["gzip, deflate"]  # only what we decode is asked for


async def test_unknown_encoding_is_refused_with_a_clear_message(site: Site, client: GuardedClient) -> None:
    with pytest.raises(UnsupportedContent, match=r"a compression I don't read \(br\)"):
        await fetch(site.url("/brotli"), limits=LIMITS, client=client)


async def test_garbled_gzip_is_unreachable(site: Site, client: GuardedClient) -> None:
    with pytest.raises(Unreachable, match="garbled answer"):
        await fetch(site.url("/garbled"), limits=LIMITS, client=client)


async def test_decoded_body_exactly_at_the_cap_is_accepted(site: Site, client: GuardedClient) -> None:
    assert len((await fetch(site.url("/at-cap"), limits=LIMITS, client=client)).body) == CAP
    with pytest.raises(ContentTooLarge):
        await fetch(site.url("/over-cap"), limits=LIMITS, client=client)
