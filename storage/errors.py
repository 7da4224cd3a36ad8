"""Typed storage errors; each message says what went wrong and what to do."""

from __future__ import annotations


class StorageError(Exception):
    pass


class SchemaTooNew(StorageError):
    """The file was written by a newer conflictbrief; opening it with this one could lose data."""


class SubscriptionLimitError(StorageError):
    def __init__(self, limit: int) -> None:
        super().__init__(f"a chat can follow at most {limit} feeds; unsubscribe from one first")
        self.limit = limit
