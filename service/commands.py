"""What each subcommand does, once the CLI has parsed arguments and settings."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import logging

from service.app import serve
from service.cli import EXIT_OK, install_stop_handlers, print_json
from service.redis_conn import connect
from workers.feeds_file import load_feeds
from workers.metrics import Metrics
from workers.settings import Settings
from workers.worker import open_worker

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
        if once:
            report = await w.run_once()
            print_json({"worker": w.name, **dataclasses.asdict(report)})
            return EXIT_OK
        stop = asyncio.Event()
        install_stop_handlers(stop)
        http = asyncio.create_task(
            serve(settings, redis, metrics, host=settings.host, port=settings.port)
        )
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
        http = asyncio.create_task(
            serve(settings, redis, metrics, host=settings.host, port=settings.port)
        )
        await stop.wait()
        http.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await http
    return EXIT_OK


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
