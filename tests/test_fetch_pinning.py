"""DNS pinning: the fetcher connects only to addresses it resolved and checked itself, once per connection,
and keeps the hostname for Host, TLS SNI and certificate checks.

Everything runs on loopback: 127.0.0.1 plays the public address and 127.0.0.2 the "private" one, judged by
an injected address policy, so a connection to the wrong address is visible without leaving the machine.
"""

from __future__ import annotations

import asyncio
import ipaddress
import shutil
import ssl
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from summarize.config import FetchLimits
from summarize.errors import FetchTimeout, Unreachable, UnsafeUrl
from summarize.fetch import PinnedBackend, fetch, make_client
from summarize.guard import IPAddress
from tests.test_fetch_support import ARTICLE_HTML, LoopbackOnlyBackend, Site, TableResolver, start_site

STRICT = FetchLimits(timeout_s=2.0, max_bytes=300_000, allow_loopback=False)
GOOD = ipaddress.IPv4Address("127.0.0.1")


def only_127_0_0_1(ip: IPAddress, allow_loopback: bool) -> str | None:
    """Test policy: 127.0.0.1 is "public", every other address is refused."""
    return None if ip == GOOD else "refused by test policy"


@pytest.fixture
async def good_and_bad() -> AsyncIterator[tuple[Site, Site]]:
    """The same port on 127.0.0.1 (checked) and 127.0.0.2 (must never be reached)."""
    good = await start_site("127.0.0.1")
    bad = await start_site("127.0.0.2", port=good.port)
    yield good, bad
    await good.runner.cleanup()
    await bad.runner.cleanup()


async def test_a_second_dns_answer_is_never_used(good_and_bad: tuple[Site, Site]) -> None:
    """First lookup says 127.0.0.1 (allowed), every later one 127.0.0.2: the fetch connects to the first
    and never asks again, even across a redirect on the same host."""
    good, bad = good_and_bad
    resolver = TableResolver({"rebind.test": [["127.0.0.1"], ["127.0.0.2"]]})
    backend = LoopbackOnlyBackend()
    async with make_client(
        STRICT, resolver=resolver, policy=only_127_0_0_1, network_backend=backend
    ) as client:
        page = await fetch(f"http://rebind.test:{good.port}/chain/2", limits=STRICT, client=client)
    assert page.text == ARTICLE_HTML
    assert resolver.calls == ["rebind.test"]
    assert backend.connected == ["127.0.0.1"]
    assert [path for path, _ in good.hits] == ["/chain/2", "/chain/1", "/article"]
    assert all(host == f"rebind.test:{good.port}" for _, host in good.hits)
    assert bad.hits == []


async def test_each_new_connection_checks_its_own_answer(good_and_bad: tuple[Site, Site]) -> None:
    """A fresh pool must resolve again, and this time the answer (127.0.0.2) is refused, not used."""
    good, bad = good_and_bad
    resolver = TableResolver({"rebind.test": [["127.0.0.1"], ["127.0.0.2"]]})
    for expected in ("ok", "refused"):
        backend = LoopbackOnlyBackend()
        async with make_client(
            STRICT, resolver=resolver, policy=only_127_0_0_1, network_backend=backend
        ) as client:
            if expected == "ok":
                await fetch(f"http://rebind.test:{good.port}/plain", limits=STRICT, client=client)
                assert backend.connected == ["127.0.0.1"]
            else:
                with pytest.raises(UnsafeUrl):
                    await fetch(f"http://rebind.test:{good.port}/plain", limits=STRICT, client=client)
                assert backend.connected == []
    assert resolver.calls == ["rebind.test", "rebind.test"]
    assert len(good.hits) == 1
    assert bad.hits == []


@pytest.mark.parametrize("answers", [["127.0.0.1", "127.0.0.2"], ["127.0.0.2", "127.0.0.1"]])
async def test_one_refused_answer_refuses_the_host(
    good_and_bad: tuple[Site, Site], answers: list[str]
) -> None:
    good, bad = good_and_bad
    resolver = TableResolver({"mixed.test": [answers]})
    backend = LoopbackOnlyBackend()
    async with make_client(
        STRICT, resolver=resolver, policy=only_127_0_0_1, network_backend=backend
    ) as client:
        with pytest.raises(UnsafeUrl):
            await fetch(f"http://mixed.test:{good.port}/article", limits=STRICT, client=client)
    assert backend.connected == []
    assert good.hits == bad.hits == []


@pytest.mark.parametrize(
    "answers",
    [
        ["127.0.0.1"],
        ["::1"],
        ["10.0.0.8"],
        ["93.184.216.34", "10.0.0.1"],  # public first, private second: refused before any connection
        ["2606:4700::1111", "fd00::1"],
        ["169.254.169.254"],
        ["::ffff:127.0.0.1"],
        ["::ffff:192.168.0.1"],
        ["2002:a00:1::1"],
        ["64:ff9b::a9fe:a9fe"],
        ["fe80::1%1"],
        ["0.0.0.0"],
        ["224.0.0.251"],
    ],
)
async def test_production_policy_refuses_private_dns_answers(answers: list[str]) -> None:
    """The real address rules, fed through DNS. Every answer list holds a refused address, so no connection
    is attempted (and the loopback-only backend would fail the test if one were)."""
    resolver = TableResolver({"story.test": [answers]})
    backend = LoopbackOnlyBackend()
    async with make_client(STRICT, resolver=resolver, network_backend=backend) as client:
        with pytest.raises(UnsafeUrl) as info:
            await fetch("http://story.test/news/1", limits=STRICT, client=client)
    assert "private or local address" in str(info.value)
    assert backend.connected == []


async def test_checked_addresses_are_tried_in_order(good_and_bad: tuple[Site, Site]) -> None:
    """127.0.0.3 (checked, nothing listening) refuses; the next checked address serves the page."""
    good, _ = good_and_bad
    resolver = TableResolver({"multi.test": [["127.0.0.3", "127.0.0.1"]]})
    backend = LoopbackOnlyBackend()
    async with make_client(
        STRICT, resolver=resolver, policy=lambda ip, allow: None, network_backend=backend
    ) as client:
        page = await fetch(f"http://multi.test:{good.port}/plain", limits=STRICT, client=client)
    assert page.status == 200
    assert backend.connected == ["127.0.0.3", "127.0.0.1"]


async def test_literal_addresses_skip_the_resolver(good_and_bad: tuple[Site, Site]) -> None:
    good, _ = good_and_bad
    resolver = TableResolver({})
    backend = LoopbackOnlyBackend()
    async with make_client(
        STRICT, resolver=resolver, policy=only_127_0_0_1, network_backend=backend
    ) as client:
        # Permissive limits let the literal past the URL guard; the strict client's policy still judges it.
        limits = FetchLimits(timeout_s=2.0, max_bytes=300_000, allow_loopback=True)
        page = await fetch(good.url("/plain"), limits=limits, client=client)
    assert page.status == 200
    assert resolver.calls == []
    assert backend.connected == ["127.0.0.1"]


async def test_slow_dns_counts_against_the_deadline() -> None:
    async def stuck(host: str, port: int) -> list[str]:
        await asyncio.sleep(5)
        return ["127.0.0.1"]

    limits = FetchLimits(timeout_s=0.3, max_bytes=1000, allow_loopback=False)
    async with make_client(limits, resolver=stuck, network_backend=LoopbackOnlyBackend()) as client:
        with pytest.raises(FetchTimeout):
            await fetch("http://slow-dns.test/", limits=limits, client=client)


async def test_backend_reports_every_answer_it_checked() -> None:
    backend = PinnedBackend(
        allow_loopback=False, resolver=TableResolver({"two.test": [["1.1.1.1", "2606:4700::1"]]})
    )
    addresses = await backend.checked_addresses("two.test", 443)
    assert addresses == [ipaddress.ip_address("1.1.1.1"), ipaddress.ip_address("2606:4700::1")]
    with pytest.raises(Unreachable, match="couldn't find the site nothing.test"):
        await backend.checked_addresses("nothing.test", 443)


# --- TLS: connect to the pinned address, verify the certificate against the name ----------------------


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for pinned.test, made with the openssl command line tool."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl command not found; the TLS pinning tests need it to make a certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-days", "2", "-subj", "/CN=pinned.test", "-addext", "subjectAltName=DNS:pinned.test",
            "-keyout", str(key), "-out", str(cert),
        ],
        check=True,
        capture_output=True,
        timeout=30,
    )  # fmt: skip
    return cert, key


@pytest.fixture
async def tls_site(certificate: tuple[Path, Path]) -> AsyncIterator[tuple[Site, list[str | None]]]:
    cert, key = certificate
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_context.load_cert_chain(cert, key)
    seen_sni: list[str | None] = []
    server_context.sni_callback = lambda sock, name, ctx: seen_sni.append(name)
    site = await start_site("127.0.0.1", ssl_context=server_context)
    yield site, seen_sni
    await site.runner.cleanup()


def trusting(cert: Path) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(cert))


async def test_https_connects_to_the_pinned_address_with_the_hostname_for_sni_and_cert(
    tls_site: tuple[Site, list[str | None]], certificate: tuple[Path, Path]
) -> None:
    site, seen_sni = tls_site
    resolver = TableResolver({"pinned.test": [["127.0.0.1"], ["127.0.0.2"]]})
    backend = LoopbackOnlyBackend()
    async with make_client(
        STRICT,
        resolver=resolver,
        policy=only_127_0_0_1,
        network_backend=backend,
        verify=trusting(certificate[0]),
    ) as client:
        page = await fetch(f"https://pinned.test:{site.port}/chain/1", limits=STRICT, client=client)
    assert page.text == ARTICLE_HTML
    assert page.final_url == f"https://pinned.test:{site.port}/article"
    assert seen_sni == ["pinned.test"]  # one TLS handshake, named for the host, not the address
    assert all(host == f"pinned.test:{site.port}" for _, host in site.hits)
    assert backend.connected == ["127.0.0.1"]
    assert resolver.calls == ["pinned.test"]


async def test_https_certificate_for_another_name_is_refused(
    tls_site: tuple[Site, list[str | None]], certificate: tuple[Path, Path]
) -> None:
    site, _ = tls_site
    resolver = TableResolver({"impostor.test": [["127.0.0.1"]]})
    async with make_client(
        STRICT,
        resolver=resolver,
        policy=only_127_0_0_1,
        network_backend=LoopbackOnlyBackend(),
        verify=trusting(certificate[0]),
    ) as client:
        with pytest.raises(Unreachable) as info:
            await fetch(f"https://impostor.test:{site.port}/article", limits=STRICT, client=client)
    assert "secure connection to impostor.test" in str(info.value)
    assert site.hits == []


async def test_https_untrusted_certificate_is_refused_by_default(
    tls_site: tuple[Site, list[str | None]],
) -> None:
    site, _ = tls_site
    resolver = TableResolver({"pinned.test": [["127.0.0.1"]]})
    async with make_client(
        STRICT, resolver=resolver, policy=only_127_0_0_1, network_backend=LoopbackOnlyBackend()
    ) as client:
        with pytest.raises(Unreachable, match="certificate could not be verified"):
            await fetch(f"https://pinned.test:{site.port}/article", limits=STRICT, client=client)
    assert site.hits == []
