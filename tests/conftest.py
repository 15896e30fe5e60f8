"""Shared fixtures: a real Redis with a key prefix of each test's own, and settings for it.

Tests never touch keys outside their prefix; cleanup deletes exactly those keys.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from redis.asyncio import Redis

from tests.fakeweb import FakeWeb
from workers.settings import Settings

DATA = Path(__file__).parent / "data"
SHARED_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
TEST_REDIS_URL = os.environ.get("NEWSINGEST_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture
def prefix() -> str:
    return f"nitest-{uuid.uuid4().hex[:12]}"


@pytest.fixture
async def redis(prefix: str) -> AsyncIterator[Redis]:
    client = Redis.from_url(TEST_REDIS_URL, decode_responses=False)
    try:
        yield client
    finally:
        keys = [k async for k in client.scan_iter(match=f"*{prefix}*", count=1000)]
        if keys:
            await client.delete(*keys)
        await client.aclose()


@pytest.fixture
def settings(prefix: str) -> Settings:
    return Settings(
        redis_url=TEST_REDIS_URL,
        key_prefix=prefix,
        stream=f"{prefix}:articles",
        allow_private_hosts=True,
        poll_interval=0,
        heartbeat_interval=0.05,
        connect_timeout=2,
        total_timeout=2,
        worker_name=f"{prefix}-worker",
    )


@pytest.fixture
async def fakeweb() -> AsyncIterator[FakeWeb]:
    web = FakeWeb()
    await web.start()
    try:
        yield web
    finally:
        await web.close()
