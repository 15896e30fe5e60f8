"""Helpers for end-to-end tests: run a real worker pass, read the real stream."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from typing import Any, cast

from redis.asyncio import Redis

from tests.conftest import DATA
from tests.fakeweb import RSS, FakeWeb
from workers.metrics import Metrics
from workers.settings import Settings
from workers.worker import PassReport, open_worker

SEED = DATA / "seed"
NV_FEED = "http://english.nv.ua/rss.xml"
NV_PAGE = (
    "http://english.nv.ua/nation/since-start-of-full-scale-war-1-762-ukrainians-have-returned-"
    "from-russian-captivity-50306331.html"
)
HUB_FEED = "http://newshub.example/world/rss"
HUB_PAGE = (
    "http://newshub.example/news/since-start-full-scale-war-1-095512345.html"
    "?.tsrc=rss&utm_source=rss&utm_medium=feed"
)


def serve_seed(web: FakeWeb) -> None:
    """NV's own feed and page, and the aggregator's feed and copy (the shared seed page)."""
    web.add_file(NV_FEED, SEED / "nv.xml", RSS)
    web.add_file(NV_PAGE, SEED / "origin.html")
    web.add_file(HUB_FEED, SEED / "aggregator.xml", RSS)
    web.add_file(HUB_PAGE, SEED / "aggregator.html")


def cli_env(settings: Settings, web: FakeWeb, **extra: str) -> dict[str, str]:
    """The environment of a ``newsingest`` process working on this test's keys and web."""
    return {
        **os.environ,
        "REDIS_URL": settings.redis_url or "",
        "NEWSINGEST_KEY_PREFIX": settings.key_prefix,
        "NEWSINGEST_STREAM": settings.stream,
        "NEWSINGEST_ALLOW_PRIVATE_HOSTS": "1",
        "NEWSINGEST_RESOLVE": json.dumps(web.resolve),
        **extra,
    }


async def run_python(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of this interpreter run with ``args``."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        *args,
        env={**os.environ, **(env or {})},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await proc.communicate()
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


def for_web(settings: Settings, web: FakeWeb, **update: Any) -> Settings:
    return settings.model_copy(update={"resolve": web.resolve, **update})


async def run_pass(
    settings: Settings, redis: Redis, feeds: list[str], metrics: Metrics | None = None
) -> PassReport:
    async with open_worker(settings, redis, metrics or Metrics(), feeds) as worker:
        return await worker.run_once()


async def read_events(redis: Redis, stream: str) -> list[dict[str, Any]]:
    entries = cast(list[tuple[bytes, dict[bytes, bytes]]], await redis.xrange(stream))
    return [json.loads(fields[b"data"]) for _, fields in entries]


def of_type(events: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [e for e in events if e["type"] == kind]


def sample(metrics: Metrics, name: str, **labels: str) -> float:
    value = metrics.registry.get_sample_value(name, labels)
    return value or 0.0
