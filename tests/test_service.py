"""The HTTP endpoints over a real socket, against the real Redis of the test fixtures."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestClient, TestServer
from redis.asyncio import Redis

from service import readiness
from service.app import build_app, serve
from service.redis_conn import client as redis_client
from workers.keys import Keys
from workers.metrics import Metrics
from workers.settings import Settings


def dead_port() -> int:
    """A loopback port that nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


@pytest.fixture
def metrics() -> Metrics:
    return Metrics()


@pytest.fixture
def keys(settings: Settings) -> Keys:
    return Keys(settings.key_prefix, settings.stream)


@pytest.fixture
async def http(
    settings: Settings, redis: Redis, metrics: Metrics
) -> AsyncIterator[TestClient[Any, Any]]:
    async with TestClient(TestServer(build_app(settings, redis, metrics))) as client:
        yield client


async def get_json(http: TestClient[Any, Any], path: str) -> tuple[int, dict[str, Any]]:
    resp = await http.get(path)
    assert resp.content_type == "application/json"
    body: dict[str, Any] = await resp.json()
    return resp.status, body


async def test_healthz_answers(http: TestClient[Any, Any]) -> None:
    status, body = await get_json(http, "/healthz")
    assert status == 200
    assert body["status"] == "ok"


async def test_readyz_is_503_without_a_heartbeat(http: TestClient[Any, Any]) -> None:
    status, body = await get_json(http, "/readyz")
    assert status == 503
    assert body["status"] == "unavailable"
    assert body["checks"]["redis"]["ok"] is True
    assert body["checks"]["workers"]["ok"] is False
    assert "heartbeat" in body["checks"]["workers"]["error"]


async def test_readyz_is_200_after_a_heartbeat(
    http: TestClient[Any, Any], redis: Redis, keys: Keys
) -> None:
    await redis.hset(keys.workers, "w1", str(time.time()))
    added = await redis.xadd(keys.stream, {"data": "{}"})
    event_id = added.decode() if isinstance(added, bytes) else added

    status, body = await get_json(http, "/readyz")

    assert status == 200
    assert body["status"] == "ready"
    assert body["checks"]["workers"]["live"] == ["w1"]
    assert body["stream"] == {"length": 1, "last_event_id": event_id}


async def test_readyz_ignores_a_stale_heartbeat(
    http: TestClient[Any, Any], redis: Redis, keys: Keys, settings: Settings
) -> None:
    await redis.hset(keys.workers, "old", str(time.time() - settings.heartbeat_ttl - 5))
    status, body = await get_json(http, "/readyz")
    assert status == 503
    assert body["checks"]["workers"]["live"] == []
    assert body["checks"]["workers"]["newest_heartbeat_age_seconds"] > settings.heartbeat_ttl


async def test_readyz_is_503_when_redis_is_down(settings: Settings, metrics: Metrics) -> None:
    dead = redis_client(f"redis://127.0.0.1:{dead_port()}/0", timeout=1)
    app = build_app(settings, dead, metrics, ready_timeout=1)
    try:
        async with TestClient(TestServer(app)) as http:
            status, body = await get_json(http, "/readyz")
    finally:
        await dead.aclose()
    assert status == 503
    assert body["checks"]["redis"]["ok"] is False
    assert "PING" in body["checks"]["redis"]["error"]
    assert body["checks"]["workers"]["ok"] is False


async def test_metrics_exposes_the_registry(
    http: TestClient[Any, Any], metrics: Metrics
) -> None:
    metrics.events.labels(type="article.published").inc(3)
    resp = await http.get("/metrics")
    assert resp.status == 200
    assert resp.headers["Content-Type"].startswith("text/plain; version=")
    text = await resp.text()
    assert 'newsingest_events_total{type="article.published"} 3.0' in text


async def test_app_opens_its_own_redis_when_given_none(
    settings: Settings, metrics: Metrics, redis: Redis, keys: Keys
) -> None:
    await redis.hset(keys.workers, "w1", str(time.time()))
    async with TestClient(TestServer(build_app(settings, None, metrics))) as http:
        status, body = await get_json(http, "/readyz")
    assert (status, body["checks"]["workers"]["live"]) == (200, ["w1"])


async def test_prune_drops_only_long_gone_workers(redis: Redis, keys: Keys) -> None:
    now = time.time()
    await redis.hset(
        keys.workers,
        mapping={"gone": str(now - 3600), "live": str(now - 1), "junk": "not-a-time"},
    )
    removed = await readiness.prune(redis, keys, now=now, horizon=600)
    assert removed == ["gone"]
    assert sorted(await redis.hkeys(keys.workers)) == [b"junk", b"live"]


async def test_serve_listens_until_cancelled(
    settings: Settings, redis: Redis, metrics: Metrics
) -> None:
    port, ready = dead_port(), asyncio.Event()
    task = asyncio.create_task(
        serve(settings, redis, metrics, host="127.0.0.1", port=port, ready=ready)
    )
    await asyncio.wait_for(ready.wait(), 10)
    url = f"http://127.0.0.1:{port}/healthz"
    async with aiohttp.ClientSession() as session:
        async with session.get(url) as resp:
            assert resp.status == 200
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        with pytest.raises(aiohttp.ClientConnectionError):
            await session.get(url)
