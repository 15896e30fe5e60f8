"""`newsingest run`: worker and endpoints in one process, as operators start it."""

from __future__ import annotations

import asyncio
import json
import signal
import socket
import sys
from pathlib import Path

import aiohttp
from redis.asyncio import Redis

from tests.fakeweb import FakeWeb
from tests.pipeline_support import (
    HUB_FEED,
    NV_FEED,
    cli_env,
    of_type,
    read_events,
    serve_seed,
)
from workers.settings import Settings


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def until(
    check: object, session: aiohttp.ClientSession, url: str, limit: float = 20.0
) -> str:
    """Poll an endpoint of another process until ``check(status, body)``: across processes
    there is no event to await, so this is the bounded wait."""
    deadline = asyncio.get_running_loop().time() + limit
    while True:
        try:
            async with session.get(url) as resp:
                body = await resp.text()
                if check(resp.status, body):  # type: ignore[operator]
                    return body
        except aiohttp.ClientConnectionError:
            pass
        assert asyncio.get_running_loop().time() < deadline, f"{url} never satisfied the check"
        await asyncio.sleep(0.1)


async def test_run_serves_endpoints_publishes_and_stops_on_sigterm(
    settings: Settings, redis: Redis, fakeweb: FakeWeb, tmp_path: Path
) -> None:
    serve_seed(fakeweb)
    feeds = tmp_path / "feeds.txt"
    feeds.write_text(f"{NV_FEED}\n{HUB_FEED}\n")
    port = free_port()
    env = cli_env(
        settings,
        fakeweb,
        NEWSINGEST_HEARTBEAT_INTERVAL="0.2",
        NEWSINGEST_POLL_INTERVAL="3600",
    )
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "service.cli",
        "run",
        "--feeds",
        str(feeds),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        async with aiohttp.ClientSession() as session:
            await until(lambda status, _: status == 200, session, f"{base}/healthz")
            ready = await until(lambda status, _: status == 200, session, f"{base}/readyz")
            assert json.loads(ready)
            metrics = await until(
                lambda _, body: 'newsingest_events_total{type="article.syndicated"} 1.0' in body,
                session,
                f"{base}/metrics",
            )
            assert 'newsingest_events_total{type="article.published"} 1.0' in metrics
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = await asyncio.wait_for(proc.communicate(), timeout=20)
    assert proc.returncode == 0, err.decode()
    events = await read_events(redis, settings.stream)
    assert len(of_type(events, "article.published")) == 1
    assert len(of_type(events, "article.syndicated")) == 1
