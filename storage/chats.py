"""Per-chat settings: timezone, daily digest time and switch, creation time."""

from __future__ import annotations

import functools
import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from storage.clock import from_db, to_db, utc_now
from storage.db import Connection, Connections
from storage.records import ChatSettings

_DIGEST_TIME = re.compile(r"^(?:[01]\d|2[0-3]):[0-5]\d$")


@dataclass(frozen=True)
class ChatDefaults:
    timezone: str = "UTC"
    digest_time: str = "08:00"

    def __post_init__(self) -> None:
        check_timezone(self.timezone)
        check_digest_time(self.digest_time)


def check_chat_id(chat_id: int) -> int:
    if isinstance(chat_id, bool) or not isinstance(chat_id, int):
        raise TypeError(f"chat_id must be an int, got {type(chat_id).__name__}")
    return chat_id


@functools.cache
def _known_zones() -> frozenset[str]:
    return frozenset(available_timezones())


def check_timezone(name: str) -> str:
    # ZoneInfo opens `name` as a path under the tz database: a folder ("Europe", "America/Argentina")
    # raises IsADirectoryError and a 300-character name OSError. Only names the database lists are zones.
    if not isinstance(name, str) or name not in _known_zones():
        raise ValueError(f"unknown timezone {str(name)[:64]!r}: use an IANA name such as 'Europe/Kyiv'")
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError, OSError) as error:
        raise ValueError(f"unknown timezone {name!r}: use an IANA name such as 'Europe/Kyiv'") from error
    return name


def check_digest_time(value: str) -> str:
    if not isinstance(value, str) or not _DIGEST_TIME.match(value):
        raise ValueError(f"digest time {value!r} is not a 24-hour HH:MM time such as '07:30'")
    return value


def settings_from_row(row: sqlite3.Row) -> ChatSettings:
    return ChatSettings(
        chat_id=row["chat_id"],
        timezone=row["timezone"],
        digest_time=row["digest_time"],
        digest_enabled=bool(row["digest_enabled"]),
        created_at=from_db(row["created_at"]),
    )


async def ensure_chat_row(conn: Connection, chat_id: int, defaults: ChatDefaults, now: datetime) -> None:
    """Inside a write transaction: create the chat with default settings unless it exists."""
    await conn.execute(
        "INSERT INTO chats (chat_id, timezone, digest_time, digest_enabled, created_at) VALUES (?, ?, ?, 0, ?)"
        " ON CONFLICT (chat_id) DO NOTHING",
        (check_chat_id(chat_id), defaults.timezone, defaults.digest_time, to_db(now)),
    )


async def select_chat(conn: Connection, chat_id: int) -> ChatSettings | None:
    row = await (await conn.execute("SELECT * FROM chats WHERE chat_id = ?", (chat_id,))).fetchone()
    return None if row is None else settings_from_row(row)


class Chats:
    def __init__(self, conns: Connections, defaults: ChatDefaults) -> None:
        self._conns = conns
        self._defaults = defaults

    @property
    def defaults(self) -> ChatDefaults:
        """The settings a chat starts with (other storage modules creating chats use the same)."""
        return self._defaults

    async def ensure(self, chat_id: int, *, now: datetime | None = None) -> ChatSettings:
        """The chat's settings, creating the chat with the defaults on first contact."""
        async with self._conns.writing() as conn:
            await ensure_chat_row(conn, chat_id, self._defaults, now or utc_now())
            settings = await select_chat(conn, chat_id)
        assert settings is not None
        return settings

    async def get(self, chat_id: int) -> ChatSettings | None:
        async with self._conns.reading() as conn:
            return await select_chat(conn, check_chat_id(chat_id))

    async def update(
        self,
        chat_id: int,
        *,
        timezone: str | None = None,
        digest_time: str | None = None,
        digest_enabled: bool | None = None,
    ) -> ChatSettings:
        """Change the given settings (creating the chat if needed) and return them all."""
        changes: dict[str, object] = {}
        if timezone is not None:
            changes["timezone"] = check_timezone(timezone)
        if digest_time is not None:
            changes["digest_time"] = check_digest_time(digest_time)
        if digest_enabled is not None:
            changes["digest_enabled"] = int(bool(digest_enabled))
        async with self._conns.writing() as conn:
            await ensure_chat_row(conn, chat_id, self._defaults, utc_now())
            if changes:
                assignments = ", ".join(f"{column} = ?" for column in changes)
                await conn.execute(
                    f"UPDATE chats SET {assignments} WHERE chat_id = ?", (*changes.values(), chat_id)
                )
            settings = await select_chat(conn, chat_id)
        assert settings is not None
        return settings

    async def with_digest_enabled(self) -> list[ChatSettings]:
        """For the digest scheduler: every chat that wants a digest, with its settings only."""
        async with self._conns.reading() as conn:
            rows = await conn.execute_fetchall(
                "SELECT * FROM chats WHERE digest_enabled = 1 ORDER BY chat_id"
            )
        return [settings_from_row(row) for row in rows]
