"""The deployment files say what the code does: a structural check that needs no Docker.

``.ci/compose-check`` runs the real validator (``docker-compose config``) where it can; this
test pins the properties that matter to us and that no schema knows about.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from workers.feeds_file import load_feeds
from workers.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES: dict[str, Any] = COMPOSE["services"]
APP_SERVICES = ("service", "worker")


def strings(node: Any) -> list[str]:
    """Every string value in the parsed file (comments are gone by then)."""
    if isinstance(node, dict):
        return [s for v in node.values() for s in strings(v)]
    if isinstance(node, list):
        return [s for v in node for s in strings(v)]
    return [node] if isinstance(node, str) else []


def healthcheck_test(name: str) -> str:
    return " ".join(SERVICES[name]["healthcheck"]["test"])


def test_the_three_services_are_there() -> None:
    assert set(SERVICES) == {"redis", "service", "worker"}


def test_redis_persists_and_is_checked_with_ping() -> None:
    redis = SERVICES["redis"]
    assert redis["image"] == "redis:7-alpine"
    assert "--appendonly yes" in " ".join(redis["command"])
    volume = redis["volumes"][0].split(":")
    assert volume[1] == "/data"
    assert volume[0] in COMPOSE["volumes"]  # a named volume, not a host path
    assert "redis-cli ping" in healthcheck_test("redis")


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_healthcheck_needs_no_curl_and_hits_healthz(name: str) -> None:
    test = healthcheck_test(name)
    assert SERVICES[name]["healthcheck"]["test"][:2] == ["CMD", "python"]
    assert "urllib" in test
    port = SERVICES[name]["environment"]["NEWSINGEST_PORT"]
    assert f"127.0.0.1:{port}/healthz" in test
    assert SERVICES[name]["healthcheck"]["retries"] >= 1


def test_service_serves_on_the_published_port() -> None:
    port = SERVICES["service"]["environment"]["NEWSINGEST_PORT"]
    assert SERVICES["service"]["ports"][0].endswith(f":{port}")
    assert SERVICES["service"]["command"] == ["serve"]


@pytest.mark.parametrize("key", ["container_name", "ports", "hostname"])
def test_worker_can_be_scaled(key: str) -> None:
    assert key not in SERVICES["worker"]


def test_worker_reads_the_mounted_feeds_file_read_only() -> None:
    worker = SERVICES["worker"]
    assert worker["command"] == ["worker", "--feeds", "/config/feeds.txt"]
    [mount] = worker["volumes"]
    assert mount.endswith(":/config/feeds.txt:ro")


@pytest.mark.parametrize("name", APP_SERVICES)
def test_apps_wait_for_a_healthy_redis_and_use_it(name: str) -> None:
    svc = SERVICES[name]
    assert svc["depends_on"] == {"redis": {"condition": "service_healthy"}}
    assert svc["environment"]["REDIS_URL"] == "redis://redis:6379/0"


def test_no_service_pins_a_container_name() -> None:
    assert [n for n, s in SERVICES.items() if "container_name" in s] == []


@pytest.mark.parametrize("name", APP_SERVICES)
def test_every_environment_variable_is_a_setting(name: str) -> None:
    fields = {f"NEWSINGEST_{f.upper()}" for f in Settings.model_fields} | {"REDIS_URL"}
    assert set(SERVICES[name]["environment"]) - fields == set()


def test_every_interpolated_variable_is_documented() -> None:
    used = {var for s in strings(COMPOSE) for var in re.findall(r"\$\{(\w+)", s)}
    example = (ROOT / "deploy" / "compose.env.example").read_text()
    documented = set(re.findall(r"^(\w+)=", example, flags=re.MULTILINE))
    assert used, "expected ${VAR} interpolation in docker-compose.yml"
    assert used - documented == set()
    assert "REDIS_URL" not in used  # a REDIS_URL in the user's shell must not leak in


def test_feeds_example_is_a_valid_feeds_file() -> None:
    feeds = load_feeds(ROOT / "deploy" / "feeds.example.txt")
    assert len(feeds) >= 3
    assert all(f.startswith("https://") for f in feeds)


def test_dockerfile_is_multi_stage_non_root_without_healthcheck() -> None:
    lines = [
        line.strip()
        for line in (ROOT / "Dockerfile").read_text().splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    froms = [line for line in lines if line.startswith("FROM ")]
    assert len(froms) == 2
    assert all(f.split()[1] == "python:3.11-slim" for f in froms)
    users = [line.split()[1] for line in lines if line.startswith("USER ")]
    assert users
    assert users[-1].split(":")[0] not in ("root", "0")
    assert not any(line.startswith("HEALTHCHECK") for line in lines)
    assert lines[-2:] == ['ENTRYPOINT ["newsingest"]', 'CMD ["serve"]']


def test_dockerignore_keeps_the_context_small() -> None:
    ignored = set((ROOT / ".dockerignore").read_text().split())
    assert {".git", ".venv", "tests", ".env"} <= ignored
