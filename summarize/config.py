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


@dataclass(frozen=True)
class FetchLimits:
    """How long and how much the URL fetcher may read, and whether it may reach private addresses."""

    timeout_s: float = 15.0
    max_bytes: int = 5_000_000
    allow_private: bool = False
    max_redirects: int = 5

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> FetchLimits:
        """FETCH_TIMEOUT_S, FETCH_MAX_BYTES, FETCH_ALLOW_PRIVATE ("1"/"true" enables; tests only)."""
        env = os.environ if env is None else env
        return cls(
            timeout_s=_env_float(env, "FETCH_TIMEOUT_S", cls.timeout_s),
            max_bytes=_env_int(env, "FETCH_MAX_BYTES", cls.max_bytes),
            allow_private=env.get("FETCH_ALLOW_PRIVATE", "").strip().lower() in _TRUE,
        )
