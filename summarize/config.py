"""Settings read from the environment (see .env.example), as small frozen dataclasses."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

_TRUE = {"1", "true", "yes", "on"}


def _env_float(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError as exc:
        raise ValueError(f"{name} must be a number of seconds, got {raw!r}") from exc
    if value <= 0:
        raise ValueError(f"{name} must be above 0, got {raw!r}")
    return value


def _env_int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip().replace("_", "").replace(",", "")
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ValueError(f"{name} must be a whole number, got {raw!r}") from exc
    if value <= 0:
        raise ValueError(f"{name} must be above 0, got {raw!r}")
    return value


LOOPBACK_SWITCH = "FETCH_ALLOW_LOOPBACK"
REMOVED_SWITCH = "FETCH_ALLOW_PRIVATE"


@dataclass(frozen=True, init=False)
class FetchLimits:
    """How long and how much the URL fetcher may read, and whether it may reach loopback (tests only).

    `allow_loopback` opens 127.0.0.0/8 and ::1 (and the name localhost) and nothing else: private,
    link-local, metadata and every other non-public address stay refused with it on.
    """

    timeout_s: float = 15.0
    max_bytes: int = 5_000_000
    allow_loopback: bool = False
    max_redirects: int = 5
    dns_timeout_s: float = 5.0  # a name lookup's own deadline (inside timeout_s)
    dns_threads: int = 4  # the fetcher's own resolver threads, shared by every fetch of the process

    def __init__(
        self,
        timeout_s: float = 15.0,
        max_bytes: int = 5_000_000,
        allow_loopback: bool = False,
        max_redirects: int = 5,
        *,
        dns_timeout_s: float = 5.0,
        dns_threads: int = 4,
        allow_private: bool | None = None,
    ) -> None:
        # `allow_private=` is the old keyword, kept for code not yet updated: it now means loopback only.
        object.__setattr__(self, "timeout_s", timeout_s)
        object.__setattr__(self, "max_bytes", max_bytes)
        object.__setattr__(self, "allow_loopback", bool(allow_loopback or allow_private))
        object.__setattr__(self, "max_redirects", max_redirects)
        object.__setattr__(self, "dns_timeout_s", dns_timeout_s)
        object.__setattr__(self, "dns_threads", dns_threads)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> FetchLimits:
        """FETCH_TIMEOUT_S, FETCH_MAX_BYTES, FETCH_DNS_TIMEOUT_S, FETCH_DNS_THREADS, FETCH_ALLOW_LOOPBACK
        ("1"/"true" enables; tests only).

        The old FETCH_ALLOW_PRIVATE switch opened private and metadata addresses too; set to a true value
        it is refused with an error naming its replacement, so no deployment keeps it silently."""
        env = os.environ if env is None else env
        if env.get(REMOVED_SWITCH, "").strip().lower() in _TRUE:
            raise ValueError(
                f"{REMOVED_SWITCH} was removed: it let the fetcher reach private and cloud-metadata addresses. "
                f"Tests set {LOOPBACK_SWITCH}=1, which allows loopback (127.0.0.0/8, ::1) and nothing else."
            )
        return cls(
            timeout_s=_env_float(env, "FETCH_TIMEOUT_S", cls.timeout_s),
            max_bytes=_env_int(env, "FETCH_MAX_BYTES", cls.max_bytes),
            allow_loopback=env.get(LOOPBACK_SWITCH, "").strip().lower() in _TRUE,
            dns_timeout_s=_env_float(env, "FETCH_DNS_TIMEOUT_S", cls.dns_timeout_s),
            dns_threads=_env_int(env, "FETCH_DNS_THREADS", cls.dns_threads),
        )
