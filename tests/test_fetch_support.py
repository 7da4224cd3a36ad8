"""Helpers for the fetch tests: a real aiohttp site on loopback, resolvers, and a network backend that
refuses (and records) any connection that is not to loopback, so no test can ever leave this machine."""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import ipaddress
import socket
import ssl
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import httpcore
from aiohttp import web

from summarize.guard import IPAddress, block_reason

ARTICLE_HTML = (
    "<!doctype html><html><head><meta charset='utf-8'><title>Ceasefire talks</title></head>"
    "<body><article><p>Negotiators met in Geneva on Tuesday, officials said.</p>"
    "<p>“We are close,” the mediator told reporters — ü ж.</p></article></body></html>"
)
RSS = (
    "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>Wire</title>"
    "<item><title>Talks resume</title><link>http://example.com/1</link></item></channel></rss>"
)


class LoopbackOnlyBackend(httpcore.AsyncNetworkBackend):
    """Wraps the real backend; records every address connected to and fails the test on non-loopback."""

    def __init__(self) -> None:
        self.inner = httpcore.AnyIOBackend()
        self.connected: list[str] = []

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> httpcore.AsyncNetworkStream:
        self.connected.append(host)
        ip = ipaddress.ip_address(host)
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        if not ip.is_loopback:
            raise AssertionError(f"a test tried to connect to {host}, which is not loopback")
        return await self.inner.connect_tcp(
            host, port, timeout=timeout, local_address=local_address, socket_options=socket_options
        )

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


def loopback_policy(ip: IPAddress, allow_loopback: bool) -> str | None:
    """Production policy, except loopback counts as public: lets tests keep allow_loopback off."""
    return None if ip.is_loopback else block_reason(ip)


@dataclass
class TableResolver:
    """A resolver from a fixed table; each name may answer differently on successive lookups."""

    table: dict[str, list[Sequence[str]]]
    calls: list[str] = field(default_factory=list)

    async def __call__(self, host: str, port: int) -> list[str]:
        self.calls.append(host)
        answers = self.table.get(host)
        if not answers:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        index = min(self.calls.count(host), len(answers)) - 1
        return list(answers[index])


@dataclass
class Site:
    """A running loopback site. `hits` records (path, Host header) for every request served."""

    host: str
    port: int
    runner: web.AppRunner
    hits: list[tuple[str, str]]
    scheme: str = "http"

    def url(self, path: str, host: str | None = None) -> str:
        return f"{self.scheme}://{host or self.host}:{self.port}{path}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def build_app(hits: list[tuple[str, str]]) -> web.Application:
    routes = web.RouteTableDef()

    @routes.get("/article")
    async def article(request: web.Request) -> web.Response:
        return web.Response(text=ARTICLE_HTML, content_type="text/html", charset="utf-8")

    @routes.get("/plain")
    async def plain(request: web.Request) -> web.Response:
        return web.Response(text="Shelling was reported overnight.\n", content_type="text/plain")

    @routes.get("/meta-cp1251")
    async def meta_cp1251(request: web.Request) -> web.Response:
        html = "<html><head><meta charset=windows-1251></head><body><p>Київ, заява</p></body></html>"
        return web.Response(body=html.encode("cp1251"), headers={"Content-Type": "text/html"})

    @routes.get("/http-equiv-koi8")
    async def http_equiv(request: web.Request) -> web.Response:
        html = (
            '<html><head><meta http-equiv="Content-Type" content="text/html; charset=koi8-r"></head>'
            "<body>Москва</body></html>"
        )
        return web.Response(body=html.encode("koi8_r"), headers={"Content-Type": "text/html"})

    @routes.get("/latin1-label")
    async def latin1_label(request: web.Request) -> web.Response:
        body = "<p>\u201cQuoted\u201d says the minister</p>".encode("cp1252")
        return web.Response(body=body, headers={"Content-Type": "text/html; charset=ISO-8859-1"})

    @routes.get("/header-beats-meta")
    async def header_beats_meta(request: web.Request) -> web.Response:
        html = "<html><head><meta charset='windows-1251'></head><body>Zürich</body></html>"
        return web.Response(body=html.encode("utf-8"), headers={"Content-Type": 'text/html; charset="utf-8"'})

    @routes.get("/bom-utf16")
    async def bom_utf16(request: web.Request) -> web.Response:
        body = "\ufeffLviv: 3 people injured.".encode("utf-16-le")
        return web.Response(body=body, headers={"Content-Type": "text/plain"})

    @routes.get("/bad-utf8")
    async def bad_utf8(request: web.Request) -> web.Response:
        return web.Response(
            body=b"<p>caf\xe9 broken \xff</p>", headers={"Content-Type": "text/html; charset=utf-8"}
        )

    @routes.get("/unknown-charset")
    async def unknown_charset(request: web.Request) -> web.Response:
        body = "<p>Odesa — port</p>".encode()
        return web.Response(body=body, headers={"Content-Type": "text/html; charset=x-no-such-thing"})

    @routes.get("/pdf")
    async def pdf(request: web.Request) -> web.Response:
        return web.Response(body=b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", content_type="application/pdf")

    @routes.get("/image")
    async def image(request: web.Request) -> web.Response:
        return web.Response(body=b"\x89PNG\r\n\x1a\n", content_type="image/png")

    @routes.get("/octet")
    async def octet(request: web.Request) -> web.Response:
        return web.Response(body=bytes(64), content_type="application/octet-stream")

    @routes.get("/rss")
    async def rss(request: web.Request) -> web.Response:
        if request.headers.get("If-None-Match") == '"v1"':
            return web.Response(status=304, headers={"ETag": '"v1"'})
        headers = {"ETag": '"v1"', "Last-Modified": "Tue, 02 Jan 2024 10:00:00 GMT"}
        return web.Response(text=RSS, content_type="application/rss+xml", charset="utf-8", headers=headers)

    @routes.get("/xml-declared")
    async def xml_declared(request: web.Request) -> web.Response:
        xml = (
            "<?xml version='1.0' encoding='windows-1251'?><rss><channel><title>Харків</title></channel></rss>"
        )
        return web.Response(body=xml.encode("cp1251"), headers={"Content-Type": "application/xml"})

    @routes.get("/status/{code}")
    async def status(request: web.Request) -> web.Response:
        return web.Response(status=int(request.match_info["code"]), text="nope")

    @routes.get("/redirect")
    async def redirect(request: web.Request) -> web.Response:
        """?to=<Location>&code=<status>"""
        code = int(request.query.get("code", "302"))
        headers = {"Location": request.query["to"]} if "to" in request.query else {}
        return web.Response(status=code, headers=headers)

    @routes.get("/chain/{n}")
    async def chain(request: web.Request) -> web.Response:
        n = int(request.match_info["n"])
        return web.Response(status=301, headers={"Location": f"/chain/{n - 1}" if n > 1 else "../article"})

    @routes.get("/echo-headers")
    async def echo_headers(request: web.Request) -> web.Response:
        lines = [f"{k.lower()}: {v}" for k, v in request.headers.items()]
        return web.Response(text="\n".join(lines), content_type="text/plain")

    @routes.get("/slow-headers")
    async def slow_headers(request: web.Request) -> web.Response:
        await asyncio.sleep(float(request.query.get("s", "3")))
        return web.Response(text="late", content_type="text/plain")

    @routes.get("/drip")
    async def drip(request: web.Request) -> web.StreamResponse:
        """Each chunk arrives well inside the read timeout, but the whole body takes far too long."""
        response = web.StreamResponse(headers={"Content-Type": "text/plain"})
        await response.prepare(request)
        for _ in range(40):
            await response.write(b"x" * 100)
            await asyncio.sleep(0.1)
        return response

    @routes.get("/huge")
    async def huge(request: web.Request) -> web.StreamResponse:
        """Chunked, no Content-Length: only the streaming cap can stop it."""
        response = web.StreamResponse(headers={"Content-Type": "text/html"})
        await response.prepare(request)
        chunk = b"<p>" + b"a" * 65_536 + b"</p>"
        with contextlib.suppress(ConnectionError):  # the client hangs up: that is the point
            for _ in range(800):  # ~50 MB if nobody stops reading
                await response.write(chunk)
        return response

    @routes.get("/huge-declared")
    async def huge_declared(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "text/html", "Content-Length": "900000000"})
        await response.prepare(request)
        with contextlib.suppress(ConnectionError):  # the client hangs up: that is the point
            await response.write(b"<p>start</p>")
        return response

    @routes.get("/gzip-bomb")
    async def gzip_bomb(request: web.Request) -> web.Response:
        body = gzip.compress(b"<p>" + b"0" * 20_000_000 + b"</p>")
        return web.Response(body=body, headers={"Content-Type": "text/html", "Content-Encoding": "gzip"})

    @routes.get("/gzip-ok")
    async def gzip_ok(request: web.Request) -> web.Response:
        body = gzip.compress(ARTICLE_HTML.encode())
        return web.Response(
            body=body, headers={"Content-Type": "text/html; charset=utf-8", "Content-Encoding": "gzip"}
        )

    @web.middleware
    async def record(request: web.Request, handler: Any) -> web.StreamResponse:
        hits.append((request.path_qs, request.headers.get("Host", "")))
        return await handler(request)

    app = web.Application(middlewares=[record])
    app.add_routes(routes)
    return app


@dataclass
class RawServer:
    """A bare TCP server that answers every connection with fixed bytes: for responses aiohttp will not
    produce (no Content-Type at all)."""

    server: asyncio.Server
    port: int

    def url(self, path: str = "/", host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"


async def start_raw_server(body: bytes, headers: Sequence[str] = ()) -> RawServer:
    head = "\r\n".join(["HTTP/1.1 200 OK", f"Content-Length: {len(body)}", "Connection: close", *headers])
    payload = head.encode() + b"\r\n\r\n" + body

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(payload)
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(answer, "127.0.0.1", 0)
    return RawServer(server, server.sockets[0].getsockname()[1])


async def start_site(
    host: str = "127.0.0.1", port: int = 0, ssl_context: ssl.SSLContext | None = None, name: str | None = None
) -> Site:
    hits: list[tuple[str, str]] = []
    runner = web.AppRunner(build_app(hits), handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, host, port, ssl_context=ssl_context)
    await site.start()
    bound_port = runner.addresses[0][1]
    return Site(name or host, bound_port, runner, hits, scheme="https" if ssl_context else "http")
