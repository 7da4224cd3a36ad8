"""How storage writes time: UTC ISO-8601 text with microseconds and a `Z`, fixed width.

Fixed width means text order is time order, so SQL can compare and sort the columns directly.
Naive datetimes are refused: a guessed timezone would silently shift a chat's history.
"""

from __future__ import annotations

from datetime import UTC, date, datetime


def utc_now() -> datetime:
    return datetime.now(UTC)


def to_db(moment: datetime) -> str:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"naive datetime {moment!r}: pass a timezone-aware datetime")
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def from_db(raw: str) -> datetime:
    return datetime.fromisoformat(raw.removesuffix("Z")).replace(tzinfo=UTC)


def maybe_from_db(raw: str | None) -> datetime | None:
    return None if raw is None else from_db(raw)


def date_to_db(day: date) -> str:
    if isinstance(day, datetime):
        raise ValueError("pass a date (the chat's local calendar day), not a datetime")
    return day.isoformat()
