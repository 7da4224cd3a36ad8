"""The bot's settings: environment variables (and a `.env` file), as one frozen dataclass.

Every variable is optional and listed in .env.example; ../shared/design/ARCHITECTURE.md is the contract.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from summarize.config import FetchLimits

DEFAULT_DATABASE = Path("data/conflictbrief.sqlite3")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


def _int(env: Mapping[str, str], name: str, default: int, *, minimum: int = 1) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError as error:
        raise ValueError(f"{name} must be a whole number, got {raw!r}") from error
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {raw!r}")
    return value


def _timezone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(f"DEFAULT_TIMEZONE {name!r} is not an IANA timezone such as Europe/Kyiv") from error
    return name


def _database_url(raw: str) -> str | None:
    if raw and not raw.startswith(("postgresql://", "postgres://")):
        raise ValueError("DATABASE_URL must be a postgresql://user:password@host:port/dbname URL")
    return raw or None


def _webhook_url(raw: str) -> str | None:
    if raw and not raw.startswith("https://") and not raw.startswith("http://127.0.0.1"):
        raise ValueError("TELEGRAM_WEBHOOK_URL must be an https:// URL (Telegram posts only to https)")
    return raw or None


def _webhook_secret(raw: str) -> str | None:
    # Telegram's rule for secret_token: 1-256 characters of A-Z, a-z, 0-9, _ and -.
    if raw and (len(raw) > 256 or not all(c.isascii() and (c.isalnum() or c in "_-") for c in raw)):
        raise ValueError("TELEGRAM_WEBHOOK_SECRET must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
    return raw or None


def _queue_url(raw: str) -> str | None:
    if raw and not raw.startswith(("redis://", "rediss://", "unix://")):
        raise ValueError("QUEUE_URL must be a redis:// URL")
    return raw or None


@dataclass(frozen=True)
class Settings:
    """What the bot reads at start-up. `from_env()` builds it; tests build it directly or with `replace()`."""

    token: str | None = None  # TELEGRAM_BOT_TOKEN; None: the console chat
    database_path: Path = DEFAULT_DATABASE  # DATABASE_PATH
    spacy_model: str | None = None  # SPACY_MODEL; None: summarize.parse.model_name() decides
    nlp_workers: int = field(default_factory=lambda: os.cpu_count() or 1)  # NLP_WORKERS
    fetch: FetchLimits = FetchLimits()  # FETCH_TIMEOUT_S, FETCH_MAX_BYTES, FETCH_ALLOW_LOOPBACK
    base_url: str | None = None  # TELEGRAM_BASE_URL, e.g. http://127.0.0.1:8081/bot (PTB appends the token)
    default_timezone: str = "Europe/Kyiv"  # DEFAULT_TIMEZONE
    log_level: str = "INFO"  # LOG_LEVEL
    # Scaling out (README "Scaling out"): none of these is needed for one machine.
    database_url: str | None = None  # DATABASE_URL=postgresql://…: PostgreSQL instead of DATABASE_PATH
    webhook_url: str | None = None  # TELEGRAM_WEBHOOK_URL: public https URL; webhook instead of polling
    webhook_secret: str | None = None  # TELEGRAM_WEBHOOK_SECRET: checked on every webhook request
    webhook_listen: str = "0.0.0.0"  # TELEGRAM_WEBHOOK_LISTEN: address the webhook server binds
    webhook_port: int = 8443  # TELEGRAM_WEBHOOK_PORT
    queue_url: str | None = None  # QUEUE_URL=redis://…: briefs on arq worker processes
    queue_job_timeout_s: float = (
        60.0  # QUEUE_JOB_TIMEOUT_S: longest brief; a dead worker's job retries after +10 s
    )
    # Tuning of the bot itself (not environment settings; tests change them with replace()).
    max_urls_per_message: int = 3
    max_document_bytes: int = 1_000_000
    min_text_chars: int = 80  # shorter pasted text gets advice instead of a brief
    min_caption_chars: int = 200  # a photo/video caption is briefed from this length on
    placeholder_after_s: float = 1.0  # slow work gets a "Reading…" placeholder after this long
    max_concurrent_updates: int = 256
    reply_deadline_s: float = 600.0  # one reply's retries (429, 5xx, no answer) before it is kept for later
    outbox_retry_s: float = 60.0  # kept replies are sent again this often while the run lives

    @property
    def database(self) -> str | Path:
        """What storage.open_database opens: DATABASE_URL if set, else the SQLite file."""
        return self.database_url or self.database_path

    @property
    def webhook_path(self) -> str:
        """The local path the webhook server answers on: the path of TELEGRAM_WEBHOOK_URL."""
        from urllib.parse import urlsplit

        return urlsplit(self.webhook_url or "").path.lstrip("/")

    @property
    def base_file_url(self) -> str | None:
        """The file download base that goes with `base_url` (…/bot → …/file/bot)."""
        if not self.base_url:
            return None
        root, _, tail = self.base_url.rstrip("/").rpartition("/")
        return f"{root}/file/{tail}"

    @classmethod
    def from_env(
        cls, env: Mapping[str, str] | None = None, *, dotenv: str | Path | None = ".env"
    ) -> Settings:
        """Settings from `env` (default: os.environ, after loading `dotenv` if that file exists; variables
        already set win over the file)."""
        if env is None:
            if dotenv is not None and Path(dotenv).is_file():
                from dotenv import load_dotenv

                load_dotenv(dotenv, override=False)
            env = os.environ
        level = env.get("LOG_LEVEL", "").strip().upper() or "INFO"
        if level not in LOG_LEVELS:
            raise ValueError(f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, got {level!r}")
        return cls(
            token=env.get("TELEGRAM_BOT_TOKEN", "").strip() or None,
            database_path=Path(env.get("DATABASE_PATH", "").strip() or DEFAULT_DATABASE),
            spacy_model=env.get("SPACY_MODEL", "").strip() or None,
            nlp_workers=_int(env, "NLP_WORKERS", os.cpu_count() or 1),
            fetch=FetchLimits.from_env(env),
            base_url=env.get("TELEGRAM_BASE_URL", "").strip() or None,
            default_timezone=_timezone(env.get("DEFAULT_TIMEZONE", "").strip() or "Europe/Kyiv"),
            log_level=level,
            database_url=_database_url(env.get("DATABASE_URL", "").strip()),
            webhook_url=_webhook_url(env.get("TELEGRAM_WEBHOOK_URL", "").strip()),
            webhook_secret=_webhook_secret(env.get("TELEGRAM_WEBHOOK_SECRET", "").strip()),
            webhook_listen=env.get("TELEGRAM_WEBHOOK_LISTEN", "").strip() or "0.0.0.0",
            webhook_port=_int(env, "TELEGRAM_WEBHOOK_PORT", 8443),
            queue_url=_queue_url(env.get("QUEUE_URL", "").strip()),
            queue_job_timeout_s=float(_int(env, "QUEUE_JOB_TIMEOUT_S", 60)),
        )

    def with_changes(self, **changes: object) -> Settings:
        return replace(self, **changes)  # type: ignore[arg-type]
