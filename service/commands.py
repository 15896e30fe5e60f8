"""What each subcommand does, once the CLI has parsed arguments and settings.

A command loads what it runs: the HTTP endpoints (aiohttp.web, the Prometheus exposition;
``service/app.py``) are imported in ``_start_http``, the one place that serves them, so
``worker --once`` and ``tail`` never load them; ``tail`` and ``demo`` import their own
modules when chosen.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import logging
from typing import TYPE_CHECKING

from service import gc_policy
from service.cli import EXIT_OK, install_stop_handlers, print_json
from service.redis_conn import connect
from workers.errors import ConfigError
from workers.feeds_file import load_feeds
from workers.metrics import Metrics
from workers.settings import Settings
from workers.worker import open_worker

if TYPE_CHECKING:
    from redis.asyncio import Redis

log = logging.getLogger(__name__)


async def dispatch(args: argparse.Namespace, settings: Settings) -> int:
    match args.command:
        case "worker":
            return await worker(settings, args.feeds, once=args.once)
        case "serve":
            return await serve_only(_listen(settings, args))
        case "run":
            return await worker(_listen(settings, args), args.feeds, once=False)
        case "tail":
            return await tail(settings, args)
        case "demo":
            from service.demo import run_demo

            return await run_demo(settings, as_json=args.json)
    raise AssertionError(f"unknown command {args.command}")


def _listen(settings: Settings, args: argparse.Namespace) -> Settings:
    update = {k: v for k, v in (("host", args.host), ("port", args.port)) if v is not None}
    return settings.model_copy(update=update) if update else settings


async def worker(settings: Settings, feeds_path: str, *, once: bool) -> int:
    """``--once``: one pass, a JSON summary on stdout, exit. Else poll until SIGTERM,
    serving /healthz, /readyz and /metrics on NEWSINGEST_PORT for this worker."""
    feeds = load_feeds(feeds_path)
    metrics = Metrics()
    async with connect(settings) as redis, open_worker(settings, redis, metrics, feeds) as w:
        gc_policy.for_ingest()
        if once:
            report = await w.run_once()
            print_json({"worker": w.name, **dataclasses.asdict(report)})
            return EXIT_OK
        stop = asyncio.Event()
        install_stop_handlers(stop)
        http = await _start_http(settings, redis, metrics)
        try:
            await w.run(stop)
        finally:
            http.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await http
    return EXIT_OK


async def serve_only(settings: Settings) -> int:
    metrics = Metrics()
    stop = asyncio.Event()
    install_stop_handlers(stop)
    async with connect(settings) as redis:
        http = await _start_http(settings, redis, metrics)
        await stop.wait()
        http.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await http
    return EXIT_OK


async def _start_http(settings: Settings, redis: Redis, metrics: Metrics) -> asyncio.Task[None]:
    """Serve the endpoints in the background, once they listen; a port that cannot be
    bound is a configuration error now, not a silent failure found at shutdown."""
    from service.app import serve

    ready = asyncio.Event()
    task = asyncio.create_task(
        serve(settings, redis, metrics, host=settings.host, port=settings.port, ready=ready)
    )
    waiter = asyncio.create_task(ready.wait())
    await asyncio.wait({task, waiter}, return_when=asyncio.FIRST_COMPLETED)
    waiter.cancel()
    if task.done():
        error = task.exception()
        raise ConfigError(f"cannot serve on {settings.host}:{settings.port}: {error}") from error
    return task


async def tail(settings: Settings, args: argparse.Namespace) -> int:
    import sys

    from service.tail import tail as tail_stream

    async with connect(settings) as redis:
        await tail_stream(
            redis,
            settings,
            from_start=args.from_start,
            count=args.count,
            out=sys.stdout,
            group=args.group,
            consumer=args.consumer,
            pretty=args.pretty,
        )
    return EXIT_OK
