"""The URL/address guard: every spelling of a local or private address is refused, public ones pass."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given
from hypothesis import strategies as st

from summarize.config import FetchLimits
from summarize.errors import FetchError, InvalidUrl, UnsafeUrl
from summarize.guard import MSG_PRIVATE, address_reason, block_reason, check_url, parse_ipv4

LOOPBACK_SPELLINGS = [
    "http://127.0.0.1/",
    "http://127.0.0.1:8080/x",
    "http://2130706433/",  # decimal
    "http://0177.0.0.1/",  # octal
    "http://017700000001/",  # octal, one part
    "http://0x7f.0.0.1/",  # hex part
    "http://0x7f000001/",  # hex, one part
    "http://0X7F.1/",  # upper-case hex, two parts
    "http://127.1/",  # short form
    "http://127.0.1/",  # three parts
    "http://127.0.0.1./",  # trailing dot
    "http://%31%32%37.0.0.1/",  # percent-encoded host
    "http://１２７.０.０.１/",  # fullwidth digits (IDNA maps them)
    "http://127。0。0。1/",  # ideographic full stops
    "http://[::1]/",
    "http://[0:0:0:0:0:0:0:1]/",
    "http://[::ffff:127.0.0.1]/",  # IPv4-mapped
    "http://[::ffff:7f00:1]/",  # IPv4-mapped, hex spelling
    "http://[::127.0.0.1]/",  # deprecated IPv4-compatible
    "http://[2002:7f00:1::]/",  # 6to4 around 127.0.0.1
    "http://[64:ff9b::127.0.0.1]/",  # NAT64 around 127.0.0.1
    "http://evil@127.0.0.1/",  # userinfo before the real host
    "http://user:pass@127.0.0.1:80/",
    "http://example.com@127.0.0.1/",
    "http://localhost/",
    "http://LOCALHOST:8000/",
    "http://localhost./",
    "http://api.localhost/",
    "http://ｌｏｃａｌｈｏｓｔ/",  # fullwidth letters
    "HTTP://127.0.0.1/",
    "https://127.0.0.1/",
    "http:\\\\127.0.0.1\\",  # backslashes are slashes for http(s)
    "http:/127.0.0.1/",  # one slash
    "  http://127.0.0.1/  ",  # surrounding spaces
    "http://127.0.0.1\t/",  # tab inside is dropped, as browsers do
]

PRIVATE_SPELLINGS = [
    "http://10.0.0.1/",
    "http://10.1/",
    "http://167772161/",  # 10.0.0.1 in decimal
    "http://012.0.0.1/",  # 10.0.0.1 in octal
    "http://172.16.0.1/",
    "http://172.31.255.255/",
    "http://192.168.1.1/",
    "http://0xc0.0xa8.1.1/",
    "http://169.254.169.254/latest/meta-data/",  # cloud metadata, link-local
    "http://100.64.0.1/",  # carrier-grade NAT, not global
    "http://0.0.0.0/",
    "http://0/",
    "http://224.0.0.1/",  # multicast
    "http://239.255.255.250/",
    "http://240.0.0.1/",  # reserved
    "http://255.255.255.255/",
    "http://192.0.2.1/",  # documentation ranges are not global either
    "http://198.18.0.1/",  # benchmarking
    "http://[::]/",
    "http://[fe80::1]/",
    "http://[fc00::1]/",
    "http://[fd12:3456::1]/",
    "http://[fec0::1]/",  # deprecated site-local
    "http://[ff02::1]/",
    "http://[::ffff:10.0.0.1]/",
    "http://[::ffff:a9fe:a9fe]/",  # mapped 169.254.169.254
    "http://[2002:c0a8:101::]/",  # 6to4 around 192.168.1.1
    "http://[64:ff9b::a00:1]/",  # NAT64 around 10.0.0.1
    "http://[64:ff9b:1::1]/",  # local-use NAT64
    "http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/",  # Teredo
    "http://[2001:db8::1]/",
]

PUBLIC = [
    ("http://example.com/news/1", "http://example.com/news/1", None),
    ("HTTPS://Example.COM:443/a?b=1#frag", "https://example.com/a?b=1", None),
    ("https://example.com:8443/", "https://example.com:8443/", None),
    ("http://example.com./", "http://example.com/", None),
    ("http://user:secret@example.com/", "http://example.com/", None),  # credentials are never sent
    ("http://127.0.0.1@example.com/", "http://example.com/", None),
    ("http://127.0.0.1:80@example.com/", "http://example.com/", None),
    ("http://example.com#@127.0.0.1/", "http://example.com/", None),
    ("http://example.com\\@127.0.0.1/", "http://example.com/@127.0.0.1/", None),
    ("https://bücher.de/x", "https://xn--bcher-kva.de/x", None),
    ("http:///example.com/x", "http://example.com/x", None),  # extra slashes, as browsers read them
    ("http://[::ffff:93.184.216.34]/", "http://[::ffff:5db8:d822]/", "::ffff:5db8:d822"),
    ("http://example.com?q=1", "http://example.com/?q=1", None),
    ("http://93.184.216.34/", "http://93.184.216.34/", "93.184.216.34"),
    ("http://1572395042/", "http://93.184.216.34/", "93.184.216.34"),
    ("http://0x5db8d822/", "http://93.184.216.34/", "93.184.216.34"),
    ("http://0135.0270.0330.042/", "http://93.184.216.34/", "93.184.216.34"),
    ("http://[2606:4700:4700::1111]/", "http://[2606:4700:4700::1111]/", "2606:4700:4700::1111"),
    ("http://[2002:5db8:d822::1]/", "http://[2002:5db8:d822::1]/", "2002:5db8:d822::1"),  # 6to4 of public
]

BAD_SCHEMES = [
    "file:///etc/passwd",
    "ftp://example.com/",
    "gopher://127.0.0.1:70/",
    "javascript:alert(1)",
    "data:text/html,<p>hi</p>",
    "dict://127.0.0.1:11211/",
    "ws://example.com/",
]

INVALID = [
    "example.com/news",  # no scheme
    "",
    "http://",
    "http://exa mple.com/",
    "http://example..com/",
    "http://.example.com/",
    "http://example.com:99999/",
    "http://example.com:0/",
    "http://example.com:80a/",
    "http://1.2.3.09/",  # ends in a number but is not an address
    "http://1.2.3.4.5/",
    "http://256.1.1.1/",
    "http://1.2.3.256/",
    "http://4294967296/",
    "http://[::1/",
    "http://[not-v6]/",
    "http://[fe80::1%25eth0]/",  # zone ids are not allowed in URLs
    "http://%zz.example.com/",
    "http://exa%2Fmple.com/",
]


@pytest.mark.parametrize("url", LOOPBACK_SPELLINGS + PRIVATE_SPELLINGS)
def test_local_and_private_spellings_are_refused(url: str) -> None:
    with pytest.raises(UnsafeUrl) as info:
        check_url(url, allow_loopback=False)
    assert str(info.value) == MSG_PRIVATE


# Addresses that only carry 127.0.0.1 inside another range: not loopback, refused even by the test switch.
WRAPPED_LOOPBACK = {"http://[::127.0.0.1]/", "http://[2002:7f00:1::]/", "http://[64:ff9b::127.0.0.1]/"}


@pytest.mark.parametrize("url", [u for u in LOOPBACK_SPELLINGS if u not in WRAPPED_LOOPBACK])
def test_loopback_spellings_are_allowed_when_loopback_is_allowed(url: str) -> None:
    target = check_url(url, allow_loopback=True)
    assert target.scheme in ("http", "https")
    assert target.host in ("localhost", "api.localhost") or (
        target.ip is not None and (target.ip.is_loopback or target.ip.ipv4_mapped.is_loopback)
    )


@pytest.mark.parametrize("url", sorted(WRAPPED_LOOPBACK) + PRIVATE_SPELLINGS)
def test_the_loopback_switch_opens_nothing_but_loopback(url: str) -> None:
    """Issue 12 row 14: with the test switch on, every private, link-local, metadata, unspecified and
    wrapped spelling is still refused (FETCH_ALLOW_PRIVATE used to open them all)."""
    with pytest.raises(UnsafeUrl) as info:
        check_url(url, allow_loopback=True)
    assert str(info.value) == MSG_PRIVATE


@pytest.mark.parametrize(
    ("address", "allowed"),
    [
        ("127.0.0.1", True),
        ("127.255.255.254", True),
        ("::1", True),
        ("::ffff:127.0.0.1", True),  # the same IPv4 socket address
        ("169.254.169.254", False),
        ("10.0.0.1", False),
        ("192.168.1.1", False),
        ("172.16.0.1", False),
        ("100.64.0.1", False),
        ("0.0.0.0", False),  # dialling it reaches this host's own services
        ("::", False),
        ("fe80::1", False),
        ("fd00:ec2::254", False),  # the IPv6 metadata address of one cloud
        ("::ffff:169.254.169.254", False),
        ("::127.0.0.1", False),
        ("192.0.0.9", False),
    ],
)
def test_address_reason_with_the_switch(address: str, allowed: bool) -> None:
    ip = ipaddress.ip_address(address)
    assert (address_reason(ip, allow_loopback=True) is None) == allowed
    assert address_reason(ip, allow_loopback=False) is not None


@pytest.mark.parametrize(
    "url",
    [
        "http://2130706433/",
        "http://0177.0.0.1/",
        "http://0x7f.1/",
        "http://127.1/",
        "http://１２７.０.０.１/",
        "http://%31%32%37.0.0.1/",
        "http://evil@127.0.0.1/",
    ],
)
def test_numeric_spellings_canonicalise_to_dotted_quad(url: str) -> None:
    target = check_url(url, allow_loopback=True)
    assert target.ip == ipaddress.IPv4Address("127.0.0.1")
    assert target.url == "http://127.0.0.1/"


def test_mapped_ipv6_is_canonicalised() -> None:
    target = check_url("http://[::ffff:127.0.0.1]:8080/a", allow_loopback=True)
    assert target.url == "http://[::ffff:7f00:1]:8080/a"
    assert target.port == 8080


@pytest.mark.parametrize(("url", "canonical", "ip"), PUBLIC)
def test_public_urls_pass_in_canonical_form(url: str, canonical: str, ip: str | None) -> None:
    target = check_url(url, allow_loopback=False)
    assert target.url == canonical
    assert target.ip == (ipaddress.ip_address(ip) if ip else None)
    assert "@" not in target.url.split("/")[2]


@pytest.mark.parametrize("url", BAD_SCHEMES)
def test_other_schemes_are_refused_even_when_loopback_is_allowed(url: str) -> None:
    with pytest.raises(UnsafeUrl) as info:
        check_url(url, allow_loopback=True)
    assert "http://" in str(info.value)


@pytest.mark.parametrize("url", INVALID)
def test_invalid_urls_get_a_message_not_a_traceback(url: str) -> None:
    with pytest.raises(InvalidUrl) as info:
        check_url(url, allow_loopback=False)
    message = str(info.value)
    assert message.endswith(".") and ("link" in message) and "Traceback" not in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("127.0.0.1", "127.0.0.1"),
        ("2130706433", "127.0.0.1"),
        ("0x7f000001", "127.0.0.1"),
        ("0x7F.0X0.0.01", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("127.0.1", "127.0.0.1"),
        ("10.65535", "10.0.255.255"),
        ("1.16777215", "1.255.255.255"),
        ("0", "0.0.0.0"),
        ("0x", "0.0.0.0"),
        ("255.255.255.255", "255.255.255.255"),
        ("4294967295", "255.255.255.255"),
        ("1.2.3.4.", "1.2.3.4"),
    ],
)
def test_ipv4_parser_reads_what_inet_aton_reads(text: str, expected: str) -> None:
    assert parse_ipv4(text) == ipaddress.IPv4Address(expected)


@pytest.mark.parametrize(
    "text", ["1.2.3.4.5", "256.0.0.1", "1.256.0.0.1", "08", "0x1g", "1..2", "", "1.2.3.65536"]
)
def test_ipv4_parser_rejects_non_addresses(text: str) -> None:
    assert parse_ipv4(text) is None


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "loopback"),
        ("10.0.0.1", "private"),
        ("169.254.1.1", "link-local"),
        ("224.0.0.1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("100.64.0.1", "not public"),
        ("::1", "loopback"),
        ("fe80::1", "link-local"),
        ("::ffff:127.0.0.1", "loopback"),
        ("::127.0.0.1", "loopback (inside ::7f00:1)"),
        ("2002:a00:1::", "private (inside 2002:a00:1::)"),
    ],
)
def test_block_reason_names_the_range(address: str, reason: str) -> None:
    assert block_reason(ipaddress.ip_address(address)) == reason


@given(st.ip_addresses(v=4))
def test_every_ipv4_is_judged_the_same_in_every_spelling(ip: ipaddress.IPv4Address) -> None:
    """Dotted, decimal, hex and octal spellings of one address must get the same verdict."""
    value = int(ip)
    octets = ip.packed
    spellings = [
        str(ip),
        str(value),
        hex(value),
        ".".join(f"0{b:o}" for b in octets),
        f"{octets[0]}.{value & 0xFFFFFF}",
    ]
    verdicts = set()
    for spelling in spellings:
        try:
            target = check_url(f"http://{spelling}/", allow_loopback=False)
            verdicts.add(("ok", target.ip))
        except UnsafeUrl:
            verdicts.add(("unsafe", None))
    assert len(verdicts) == 1
    assert verdicts.pop()[0] == ("unsafe" if block_reason(ip) else "ok")


@given(st.ip_addresses(v=4))
def test_every_mapped_ipv4_gets_the_ipv4_verdict(ip: ipaddress.IPv4Address) -> None:
    mapped = ipaddress.IPv6Address(f"::ffff:{ip}")
    assert (block_reason(mapped) is None) == (block_reason(ip) is None)


@given(st.text(max_size=40))
def test_arbitrary_text_raises_only_fetch_errors(text: str) -> None:
    for candidate in (text, f"http://{text}", f"https://{text}/path"):
        try:
            check_url(candidate, allow_loopback=False)
        except FetchError as exc:
            assert str(exc)


def test_limits_from_env() -> None:
    limits = FetchLimits.from_env(
        {"FETCH_TIMEOUT_S": "2.5", "FETCH_MAX_BYTES": "1_000", "FETCH_ALLOW_LOOPBACK": "true"}
    )
    assert limits == FetchLimits(timeout_s=2.5, max_bytes=1000, allow_loopback=True, max_redirects=5)
    defaults = FetchLimits.from_env({})
    assert (defaults.timeout_s, defaults.max_bytes, defaults.allow_loopback) == (15.0, 5_000_000, False)
    assert FetchLimits.from_env({"FETCH_ALLOW_LOOPBACK": "0"}).allow_loopback is False


def test_the_removed_private_switch_is_refused_not_honoured() -> None:
    """FETCH_ALLOW_PRIVATE opened private and metadata ranges; set true it now stops start-up with a message
    naming the loopback-only switch ("0" or unset is harmless and ignored)."""
    with pytest.raises(ValueError, match="FETCH_ALLOW_PRIVATE was removed.*FETCH_ALLOW_LOOPBACK=1"):
        FetchLimits.from_env({"FETCH_ALLOW_PRIVATE": "1"})
    assert FetchLimits.from_env({"FETCH_ALLOW_PRIVATE": "0"}).allow_loopback is False
    # The old Python keyword is kept for callers not yet renamed, and means loopback only.
    assert FetchLimits(allow_private=True) == FetchLimits(allow_loopback=True)
    with pytest.raises(ValueError, match="FETCH_TIMEOUT_S"):
        FetchLimits.from_env({"FETCH_TIMEOUT_S": "soon"})
