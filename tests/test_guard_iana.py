"""Issue 12 row 13: the address policy follows the IANA special-purpose registries, kept as data in the
repo (summarize/address_data/iana_special_purpose.csv). Every block that is not globally reachable is
checked through the guard's own functions: the URL check, `block_reason`, and the pinned backend's DNS
check (whose inner backend fails the test on any connect). Nothing here opens a socket to these ranges.

Before: Python 3.11's `ipaddress` tables called 192.0.0.8-192.0.0.255, 3fff::/20 and 5f00::/16 public.
"""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from summarize.errors import UnsafeUrl
from summarize.fetch import PinnedBackend
from summarize.guard import (
    MSG_PRIVATE,
    SPECIAL_BLOCKS,
    SPECIAL_PURPOSE_FILE,
    IPAddress,
    block_reason,
    check_url,
    special_block,
)
from tests.test_fetch_support import LoopbackOnlyBackend, TableResolver

REFUSED = [block for block in SPECIAL_BLOCKS if block.refused]


def samples(network: ipaddress.IPv4Network | ipaddress.IPv6Network) -> list[IPAddress]:
    """First, last and middle address of a block."""
    first, last = int(network.network_address), int(network.broadcast_address)
    kind = ipaddress.IPv4Address if network.version == 4 else ipaddress.IPv6Address
    return sorted({kind(first), kind(last), kind((first + last) // 2)})


def url_of(ip: IPAddress) -> str:
    return f"http://[{ip}]/" if ip.version == 6 else f"http://{ip}/"


async def assert_refused_everywhere(ip: IPAddress) -> None:
    assert block_reason(ip) is not None, ip
    with pytest.raises(UnsafeUrl) as info:
        check_url(url_of(ip), allow_loopback=False)
    assert str(info.value) == MSG_PRIVATE
    inner = LoopbackOnlyBackend()
    backend = PinnedBackend(
        allow_loopback=False, resolver=TableResolver({"story.test": [[str(ip)]]}), inner=inner
    )
    with pytest.raises(UnsafeUrl):
        await backend.connect_tcp("story.test", 80, timeout=1.0)
    assert inner.connected == []


def test_the_data_names_its_source_and_date_and_has_both_registries() -> None:
    head = SPECIAL_PURPOSE_FILE.read_text(encoding="utf-8").splitlines()[:8]
    assert any("iana-ipv4-special-registry" in line for line in head)
    assert any("iana-ipv6-special-registry" in line for line in head)
    assert any("2026-12-02" in line for line in head)
    blocks = {str(b.network): b for b in SPECIAL_BLOCKS}
    assert blocks["192.0.0.0/24"].globally_reachable == "False"
    assert blocks["3fff::/20"].globally_reachable == "False"
    assert {b.registry for b in SPECIAL_BLOCKS} >= {"ipv4", "ipv6"}
    assert len(REFUSED) >= 35


@pytest.mark.parametrize("block", REFUSED, ids=lambda b: str(b.network))
async def test_every_block_not_globally_reachable_is_refused(block) -> None:
    for ip in samples(block.network):
        await assert_refused_everywhere(ip)


async def test_all_of_192_0_0_0_24_is_refused() -> None:
    """Including 192.0.0.9 and .10 (anycast services the registry marks reachable inside the /24)."""
    for ip in ipaddress.IPv4Network("192.0.0.0/24"):
        await assert_refused_everywhere(ip)
    assert special_block(ipaddress.ip_address("192.0.0.9")).name == "IETF Protocol Assignments"


@settings(max_examples=200, deadline=None)
@given(st.ip_addresses(network="3fff::/20"))
def test_all_of_3fff_20_is_refused(ip: ipaddress.IPv6Address) -> None:
    assert block_reason(ip) is not None
    with pytest.raises(UnsafeUrl):
        check_url(url_of(ip), allow_loopback=False)


@pytest.mark.parametrize(
    "address", ["192.0.0.8", "192.0.0.100", "192.0.0.255", "3fff::1", "3fff:fff::1", "5f00::1", "192.88.99.1"]
)
def test_the_rows_python_calls_public_are_refused_with_the_registry_name(address: str) -> None:
    ip = ipaddress.ip_address(address)
    reason = block_reason(ip)
    assert reason is not None and reason.startswith(("not globally reachable", "reserved"))


@pytest.mark.parametrize(
    "address",
    ["93.184.216.34", "1.1.1.1", "2606:4700:4700::1111", "2002:5db8:d822::1"],
)
def test_public_addresses_still_pass(address: str) -> None:
    assert block_reason(ipaddress.ip_address(address)) is None


async def test_the_backend_refuses_a_registry_address_among_public_answers() -> None:
    inner = LoopbackOnlyBackend()
    backend = PinnedBackend(
        allow_loopback=False,
        resolver=TableResolver({"mixed.test": [["93.184.216.34", "192.0.0.9"]]}),
        inner=inner,
    )
    with pytest.raises(UnsafeUrl):
        await backend.connect_tcp("mixed.test", 443, timeout=1.0)
    assert inner.connected == []
