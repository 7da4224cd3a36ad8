"""The deployment files, checked without Docker (none on these machines): compose.yaml parses, has the
bot, the workers, PostgreSQL and Redis, and every command and setting it uses exists in this repository;
the Dockerfile copies real folders and starts a real entry point."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import yaml

from bot.settings import Settings

REPO = Path(__file__).resolve().parent.parent
ENV_EXAMPLE = REPO / ".env.example"


def _compose() -> dict:
    return yaml.safe_load((REPO / "compose.yaml").read_text(encoding="utf-8"))


def _module_runs(command: list[str]) -> None:
    assert command[:2] == ["python", "-m"], command
    spec = importlib.util.find_spec(command[2])
    assert spec is not None, f"{command[2]} is not a module of this repository"
    main = importlib.util.find_spec(f"{command[2]}.__main__") if spec.submodule_search_locations else spec
    assert main is not None and "__main__" in Path(main.origin).read_text(), command  # type: ignore[arg-type]


def test_compose_has_the_scaled_topology_with_real_entry_points():
    compose = _compose()
    services = compose["services"]
    assert set(services) == {"bot", "worker", "postgres", "redis"}
    _module_runs(services["bot"]["command"])
    _module_runs(services["worker"]["command"])
    assert services["bot"]["deploy"]["replicas"] == 2 and services["worker"]["deploy"]["replicas"] == 2
    for name in ("bot", "worker"):
        service = services[name]
        assert service["build"] == "." and set(service["depends_on"]) == {"postgres", "redis"}
        env = service["environment"]
        assert env["DATABASE_URL"].startswith("postgresql://") and "@postgres:5432/" in env["DATABASE_URL"]
        assert env["QUEUE_URL"] == "redis://redis:6379/0"
    assert Settings.from_env({**env, "TELEGRAM_WEBHOOK_URL": ""}).database_url == env["DATABASE_URL"]
    documented = set(re.findall(r"^([A-Z_]+)=", ENV_EXAMPLE.read_text(), re.MULTILINE))
    used = {key for name in ("bot", "worker") for key in services[name]["environment"]}
    assert used <= documented, used - documented  # every setting compose sets is in .env.example
    assert int(services["bot"]["environment"]["TELEGRAM_WEBHOOK_PORT"]) == 8443
    assert "pg_isready" in services["postgres"]["healthcheck"]["test"]
    assert (
        services["postgres"]["environment"]["POSTGRES_DB"] in services["bot"]["environment"]["DATABASE_URL"]
    )


def test_every_documented_setting_is_read_by_the_code():
    documented = set(re.findall(r"^([A-Z_]+)=", ENV_EXAMPLE.read_text(), re.MULTILINE))
    code = "".join(
        path.read_text(encoding="utf-8")
        for folder in ("bot", "summarize", "storage")
        for path in (REPO / folder).rglob("*.py")
    )
    unread = {name for name in documented if f'"{name}"' not in code}
    assert not unread, unread


def test_dockerfile_copies_real_folders_and_starts_the_bot():
    lines = [
        line.strip()
        for line in (REPO / "Dockerfile").read_text().splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    assert lines[0].startswith("FROM python:3.11")
    for line in lines:
        if line.startswith("COPY "):
            *sources, _target = line.split()[1:]
            for source in sources:
                assert (REPO / source).exists(), source
    [cmd] = [line for line in lines if line.startswith("CMD ")]
    _module_runs(json.loads(cmd.removeprefix("CMD ")))
    assert any(line.startswith("USER ") for line in lines)  # not root
