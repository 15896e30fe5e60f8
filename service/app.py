"""The HTTP face of the process: /healthz, /readyz and /metrics.

Everything a handler needs lives in typed ``web.AppKey``s, set once in ``build_app``; the
Redis client is either handed in (``newsingest run`` shares the worker's) or opened and
closed by the app's own cleanup context.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from redis.asyncio import Redis

from service import readiness
from service.redis_conn import connect, reraise_lost_cancel
from workers.errors import StoreError
from workers.keys import Keys
from workers.metrics import Metrics
from workers.settings import Settings

log = logging.getLogger(__name__)

READY_TIMEOUT = 2.0  # a probe must answer well inside an orchestrator's probe timeout
PRUNE_EVERY = 3600.0

SETTINGS = web.AppKey("settings", Settings)
KEYS = web.AppKey("keys", Keys)
METRICS = web.AppKey("metrics", Metrics)
REDIS = web.AppKey("redis", Redis)
READY_TIMEOUT_KEY = web.AppKey("ready_timeout", float)
STARTED = web.AppKey("started", float)


def build_app(
    settings: Settings,
    redis: Redis | None,
    metrics: Metrics,
    *,
    ready_timeout: float = READY_TIMEOUT,
) -> web.Application:
    """The service app. With ``redis=None`` it connects (``connect(settings)``) on startup."""
    app = web.Application()
    app[SETTINGS] = settings
    app[KEYS] = Keys(settings.key_prefix, settings.stream)
    app[METRICS] = metrics
    app[READY_TIMEOUT_KEY] = ready_timeout
    app[STARTED] = time.time()
    if redis is None:
        app.cleanup_ctx.append(_own_redis)
    else:
        app[REDIS] = redis
    app.cleanup_ctx.append(_pruner)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    app.router.add_get("/metrics", metrics_text)
    return app


async def healthz(request: web.Request) -> web.Response:
    """Alive: the event loop got here. Deliberately checks nothing else (see /readyz)."""
    uptime = time.time() - request.app[STARTED]
    return web.json_response({"status": "ok", "uptime_seconds": round(uptime, 3)})


async def readyz(request: web.Request) -> web.Response:
    app = request.app
    result = await readiness.probe(
        app[REDIS],
        app[KEYS],
        now=time.time(),
        ttl=app[SETTINGS].heartbeat_ttl,
        within=app[READY_TIMEOUT_KEY],
    )
    return web.json_response(result.body(), status=200 if result.ready else 503)


async def metrics_text(request: web.Request) -> web.Response:
    body = generate_latest(request.app[METRICS].registry)
    return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})


async def _own_redis(app: web.Application) -> AsyncIterator[None]:
    async with connect(app[SETTINGS]) as redis:
        app[REDIS] = redis
        yield


async def _pruner(app: web.Application) -> AsyncIterator[None]:
    task = asyncio.create_task(_prune_forever(app[REDIS], app[KEYS]), name="heartbeat-pruner")
    yield
    task.cancel()
    # wait() returns whatever the task ended with, yet still passes on our own cancellation.
    await asyncio.wait([task])


async def _prune_forever(redis: Redis, keys: Keys) -> None:
    while True:
        try:
            gone = await readiness.prune(redis, keys, now=time.time())
        except StoreError as e:
            log.warning("heartbeat pruning skipped: %s", e)
        else:
            if gone:
                log.info("pruned heartbeats of long-gone workers: %s", ", ".join(gone))
        reraise_lost_cancel()
        await asyncio.sleep(PRUNE_EVERY)


async def serve(
    settings: Settings,
    redis: Redis | None,
    metrics: Metrics,
    *,
    host: str,
    port: int,
    ready: asyncio.Event | None = None,
) -> None:
    """Serve until cancelled; ``ready`` is set once the socket listens."""
    runner = web.AppRunner(build_app(settings, redis, metrics))
    await runner.setup()
    try:
        await web.TCPSite(runner, host, port).start()
        log.info("serving on %s", ", ".join(str(a) for a in runner.addresses))
        if ready is not None:
            ready.set()
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()
