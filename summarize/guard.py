"""Which URLs and addresses the fetcher may open. Pure: no DNS, no sockets.

Hosts are parsed the way browsers do (WHATWG URL standard), because that is also how the C resolver reads
them: `2130706433`, `0177.0.0.1`, `0x7f.1` and `127.1` are all 127.0.0.1, and fullwidth or ideographic
digits map to ASCII through IDNA. `check_url` returns a canonical URL whose host is exactly what was
checked, so the HTTP client never re-interprets a spelling differently from the guard.
"""

from __future__ import annotations

import csv
import ipaddress
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

import idna

from summarize.errors import InvalidUrl, UnsafeUrl

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

ALLOWED_SCHEMES = {"http": 80, "https": 443}

MSG_SCHEME = "I can only open web links. Send a link that starts with http:// or https://."
MSG_INVALID = "That link doesn't look like a valid web address. Check it and send it again."
MSG_PRIVATE = (
    "That link points to a private or local address, which I can't open. Send a public http(s) link."
)

# WHATWG: these never appear in a host; `%` is checked after percent-decoding.
_FORBIDDEN_HOST_CHARS = re.compile(r"[\x00-\x20\x7f#%/:<>?@\[\\\]^|]")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
_C0_AND_SPACE = "".join(chr(c) for c in range(0x21))
# Names that are loopback by definition (RFC 6761), refused before any DNS lookup.
_LOOPBACK_NAMES = ("localhost", "localhost.localdomain")
# NAT64 prefixes that embed an IPv4 address in the low 32 bits (RFC 6052, RFC 8215).
_NAT64_WELL_KNOWN = ipaddress.IPv6Network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.IPv6Network("64:ff9b:1::/48")
_IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")
_SIXTOFOUR = ipaddress.IPv6Network("2002::/16")  # judged by the IPv4 address it carries

SPECIAL_PURPOSE_FILE = Path(__file__).with_name("address_data") / "iana_special_purpose.csv"


@dataclass(frozen=True)
class SpecialBlock:
    """One row of the IANA special-purpose address registries (see SPECIAL_PURPOSE_FILE)."""

    registry: str
    network: ipaddress.IPv4Network | ipaddress.IPv6Network
    name: str
    rfc: str
    globally_reachable: str  # "True", "False" or "N/A", as the registry says

    @property
    def refused(self) -> bool:
        return self.globally_reachable != "True" and self.network != _SIXTOFOUR


def load_special_blocks(path: Path = SPECIAL_PURPOSE_FILE) -> tuple[SpecialBlock, ...]:
    """The registry rows in `path` (lines starting with # are its notes on source and date)."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        return tuple(
            SpecialBlock(
                registry=row["registry"],
                network=ipaddress.ip_network(row["block"]),
                name=row["name"],
                rfc=row["rfc"],
                globally_reachable=row["globally_reachable"],
            )
            for row in rows
        )


SPECIAL_BLOCKS = load_special_blocks()
# Narrowest first, so a refusal names the most specific block.
_REFUSED_BLOCKS = sorted((b for b in SPECIAL_BLOCKS if b.refused), key=lambda b: -b.network.prefixlen)


def special_block(ip: IPAddress) -> SpecialBlock | None:
    """The most specific refused registry block holding `ip`, or None. Python's `ipaddress` tables lag the
    registries (3.11 calls 192.0.0.9 and 3fff::1 global), so the guard asks this data as well."""
    for block in _REFUSED_BLOCKS:
        if ip.version == block.network.version and ip in block.network:
            return block
    return None


@dataclass(frozen=True)
class Target:
    """A URL that passed the guard. `url` is canonical: lower-case scheme and host, no credentials,
    no fragment, numeric hosts in standard form. `ip` is set when the host is an address literal."""

    url: str
    scheme: str
    host: str
    port: int
    ip: IPAddress | None


def block_reason(ip: IPAddress) -> str | None:
    """Why `ip` must not be fetched ("loopback", "private", ...), or None for a public address.

    An IPv4-mapped IPv6 address is judged as its IPv4 address. Other IPv6 addresses that carry an IPv4
    address (compatible, 6to4, NAT64, Teredo) are judged by that address as well as by their own range.
    """
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:  # ::ffff:a.b.c.d is an IPv4 socket address, nothing more
            return block_reason(ip.ipv4_mapped)
        for embedded in _embedded_ipv4(ip):
            reason = block_reason(embedded)
            if reason is not None:
                return f"{reason} (inside {ip.compressed})"
        if ip in _NAT64_LOCAL or ip.is_site_local:
            return "private"
    if ip.is_unspecified:
        return "unspecified"
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link-local"
    if ip.is_multicast:
        return "multicast"
    if ip.is_private:
        return "private"
    if ip.is_reserved:
        return "reserved"
    if not ip.is_global:
        return "not public"
    block = special_block(ip)
    if block is not None:
        return f"not globally reachable ({block.name}, {block.network})"
    return None


_LOOPBACK_V4 = ipaddress.IPv4Network("127.0.0.0/8")
_LOOPBACK_V6 = ipaddress.IPv6Address("::1")


def is_loopback_address(ip: IPAddress) -> bool:
    """127.0.0.0/8 (also as ::ffff:127.x.y.z, the same socket address) or ::1; nothing else."""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return ip.ipv4_mapped in _LOOPBACK_V4
        return ip == _LOOPBACK_V6
    return ip in _LOOPBACK_V4


def address_reason(ip: IPAddress, *, allow_loopback: bool) -> str | None:
    """Why `ip` must not be fetched, or None. `allow_loopback` (tests only) lets loopback through and
    nothing else: private, link-local, metadata, unspecified (0.0.0.0 reaches this host) stay refused."""
    reason = block_reason(ip)
    if reason is not None and allow_loopback and is_loopback_address(ip):
        return None
    return reason


def check_address(ip: IPAddress, *, allow_loopback: bool) -> None:
    """Raise UnsafeUrl unless `ip` is public (or loopback, with `allow_loopback`)."""
    if address_reason(ip, allow_loopback=allow_loopback) is not None:
        raise UnsafeUrl(MSG_PRIVATE)


def check_url(url: str, *, allow_loopback: bool) -> Target:
    """Parse and check a user-supplied URL; raise InvalidUrl or UnsafeUrl, else return its canonical Target."""
    scheme, rest = _split_scheme(url)
    rest = rest.replace("\\", "/").lstrip("/")  # http:\\host, http:/host and http:host all mean host
    authority_end = min((i for i in (rest.find(c) for c in "/?#") if i >= 0), default=len(rest))
    authority, tail = rest[:authority_end], rest[authority_end:]
    hostport = authority.rpartition("@")[2]  # credentials are dropped: never sent anywhere
    raw_host, port_text = _split_port(hostport)
    port = _parse_port(port_text, default=ALLOWED_SCHEMES[scheme])
    host, ip = parse_host(raw_host)

    if ip is not None:
        check_address(ip, allow_loopback=allow_loopback)
    elif not allow_loopback and (host in _LOOPBACK_NAMES or host.endswith(".localhost")):
        raise UnsafeUrl(MSG_PRIVATE)

    tail = tail.split("#", 1)[0]
    if not tail.startswith("/"):
        tail = "/" + tail
    shown_host = f"[{host}]" if isinstance(ip, ipaddress.IPv6Address) else host
    shown_port = "" if port == ALLOWED_SCHEMES[scheme] else f":{port}"
    return Target(
        url=f"{scheme}://{shown_host}{shown_port}{tail}", scheme=scheme, host=host, port=port, ip=ip
    )


def parse_host(raw: str) -> tuple[str, IPAddress | None]:
    """Host text from a URL -> (canonical host, address if it is a literal). Raises InvalidUrl."""
    if raw.startswith("["):
        if not raw.endswith("]"):
            raise InvalidUrl(MSG_INVALID)
        try:
            ip6 = ipaddress.IPv6Address(raw[1:-1])
        except ValueError:
            raise InvalidUrl(MSG_INVALID) from None
        if ip6.scope_id:  # zone ids are not allowed in URLs and only make sense on the local link
            raise InvalidUrl(MSG_INVALID)
        return ip6.compressed, ip6

    try:
        host = unquote(raw, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        raise InvalidUrl(MSG_INVALID) from None
    host = _domain_to_ascii(host)
    if host.endswith(".") and host != ".":
        host = host[:-1]  # "example.com." and "127.0.0.1." name the same host
    if not host or _FORBIDDEN_HOST_CHARS.search(host) or "" in host.split("."):
        raise InvalidUrl(MSG_INVALID)
    if _ends_in_number(host):
        ip4 = parse_ipv4(host)
        if ip4 is None:
            raise InvalidUrl(MSG_INVALID)
        return str(ip4), ip4
    return host, None


def parse_ipv4(host: str) -> ipaddress.IPv4Address | None:
    """WHATWG IPv4 parser: 1 to 4 parts, each decimal, octal (leading 0) or hex (0x); the last part
    fills the remaining bytes. Returns None when `host` is not such an address."""
    parts = host.split(".")
    if len(parts) > 1 and parts[-1] == "":
        parts.pop()
    if not 1 <= len(parts) <= 4:
        return None
    numbers = [_ipv4_number(p) for p in parts]
    if any(n is None for n in numbers):
        return None
    *leading, last = numbers
    if any(n > 255 for n in leading) or last >= 256 ** (5 - len(numbers)):
        return None
    value = last
    for i, n in enumerate(leading):
        value += n * 256 ** (3 - i)
    return ipaddress.IPv4Address(value)


def _ipv4_number(part: str) -> int | None:
    if part == "":
        return None
    base = 10
    if part[:2].lower() == "0x":
        part, base = part[2:], 16
        if part == "":
            return 0
    elif len(part) > 1 and part[0] == "0":
        part, base = part[1:], 8
    digits = {8: "01234567", 10: "0123456789", 16: "0123456789abcdefABCDEF"}[base]
    if not all(c in digits for c in part):
        return None
    return int(part, base)


def _ends_in_number(host: str) -> bool:
    """WHATWG "ends in a number": such hosts must be IPv4 addresses, never names."""
    parts = host.split(".")
    if parts[-1] == "" and len(parts) > 1:
        parts.pop()
    last = parts[-1]
    if last and all(c.isascii() and c.isdigit() for c in last):
        return True
    return _ipv4_number(last) is not None and last[:2].lower() == "0x"


def _domain_to_ascii(host: str) -> str:
    if host.isascii():
        return host.lower()
    try:
        return idna.encode(host, uts46=True, transitional=False).decode("ascii")
    except (idna.IDNAError, UnicodeError):
        # UTS46 maps fullwidth digits and ideographic dots; a failed full encode may still be numeric.
        try:
            mapped = idna.uts46_remap(host, std3_rules=False, transitional=False)
        except (idna.IDNAError, UnicodeError):
            raise InvalidUrl(MSG_INVALID) from None
        if mapped.isascii():
            return mapped.lower()
        raise InvalidUrl(MSG_INVALID) from None


def _split_scheme(url: str) -> tuple[str, str]:
    url = url.strip(_C0_AND_SPACE).replace("\t", "").replace("\n", "").replace("\r", "")
    match = _SCHEME.match(url)
    if not match:
        raise InvalidUrl(MSG_SCHEME)
    scheme = match.group(1).lower()
    if scheme not in ALLOWED_SCHEMES:
        raise UnsafeUrl(MSG_SCHEME)
    return scheme, url[match.end() :]


def _split_port(hostport: str) -> tuple[str, str | None]:
    if hostport.startswith("["):
        close = hostport.find("]")
        if close < 0:
            raise InvalidUrl(MSG_INVALID)
        after = hostport[close + 1 :]
        if after and not after.startswith(":"):
            raise InvalidUrl(MSG_INVALID)
        return hostport[: close + 1], (after[1:] if after else None)
    host, colon, port = hostport.partition(":")
    return host, (port if colon else None)


def _parse_port(text: str | None, *, default: int) -> int:
    if text is None or text == "":
        return default
    if not text.isascii() or not text.isdigit():
        raise InvalidUrl(MSG_INVALID)
    port = int(text)
    if not 1 <= port <= 65535:
        raise InvalidUrl(MSG_INVALID)
    return port


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    found: list[ipaddress.IPv4Address] = []
    if ip.sixtofour is not None:
        found.append(ip.sixtofour)
    if ip.teredo is not None:
        found.extend(ip.teredo)
    low32 = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip in _NAT64_WELL_KNOWN or ip in _NAT64_LOCAL:
        found.append(low32)
    if ip in _IPV4_COMPATIBLE and int(ip) > 1:  # deprecated ::a.b.c.d form
        found.append(low32)
    return found
