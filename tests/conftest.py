"""Shared fixtures: the spaCy model once per test session, and the shared evaluation data if present."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("CONFLICTBRIEF_SHARED", REPO.parent / "shared"))
SEED_ARTICLE = SHARED / "seed" / "000_39f2878718028330.txt"
SEED_GOLD = SHARED / "seed" / "000_39f2878718028330.gold.json"
SCHEMA = SHARED / "design" / "brief.schema.json"


@pytest.fixture(scope="session")
def nlp():
    from summarize.parse import load_nlp

    return load_nlp()


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"shared data not found at {SHARED}; tests that read it are skipped")
    return SHARED


@pytest.fixture(scope="session")
def seed_text(shared_dir: Path) -> str:
    return SEED_ARTICLE.read_text(encoding="utf-8")


@pytest.fixture(params=["sqlite", "postgresql"])
async def backend(request, tmp_path):
    """Each storage test runs on both engines: a fresh SQLite file, or a fresh PostgreSQL schema."""
    from tests.backends import make_backend

    chosen = await make_backend(request.param, tmp_path)
    yield chosen
    await chosen.close()


@pytest.fixture
async def postgres_backend(tmp_path):
    """For the tests of what only PostgreSQL has: a fresh schema (skipped, or failed in CI, without it)."""
    from tests.backends import make_backend

    chosen = await make_backend("postgresql", tmp_path)
    yield chosen
    await chosen.close()


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    # Read from the skip reports, not from tests.backends.SKIPPED: under pytest-xdist the tests run in
    # worker processes and only their reports reach this one.
    reasons: dict[str, str] = {}
    for report in terminalreporter.stats.get("skipped", []):
        longrepr = report.longrepr
        message = str(longrepr[2] if isinstance(longrepr, tuple) else longrepr).removeprefix("Skipped: ")
        for service in ("postgresql", "redis"):
            if message.startswith(f"{service} is not running"):
                reasons[service] = message
    for service, reason in sorted(reasons.items()):
        terminalreporter.write_line(
            f"NOTE: the {service} suites were SKIPPED: {reason}", yellow=True, bold=True
        )
