"""A worker process: owns one HTTP session and the pipeline, polls feeds, sends heartbeats.

``run_once`` processes every feed of the feeds file once (``newsingest worker --once``);
``run`` polls the shared schedule, so any number of workers split the feeds between them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

from redis.asyncio import Redis

from workers.feedstate import FeedStates
from workers.fetch import Fetcher, open_session
from workers.keys import Keys
from workers.metrics import Metrics
from workers.pipeline import FeedReport, Pipeline
from workers.provenance.registry import PublisherRegistry
from workers.provenance.registry_store import RegistryStore
from workers.settings import Settings
from workers.store import Store

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class PassReport:
    feeds: int
    outcomes: dict[str, int]
    entries: int
    fresh: int
    events: int
    skipped: int

    @classmethod
    def of(cls, reports: list[FeedReport]) -> PassReport:
        return cls(
            feeds=len(reports),
            outcomes=dict(Counter(r.outcome for r in reports)),
            entries=sum(r.entries for r in reports),
            fresh=sum(r.fresh for r in reports),
            events=sum(r.events for r in reports),
            skipped=sum(r.skipped for r in reports),
        )


def default_worker_name() -> str:
    return f"{socket.gethostname()}-{os.getpid()}"


class Worker:
    def __init__(
        self,
        pipeline: Pipeline,
        feeds: list[str],
        *,
        redis: Redis,
        settings: Settings,
        registry_store: RegistryStore,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.pipeline = pipeline
        self.feeds = feeds
        self.redis = redis
        self.settings = settings
        self.keys = Keys(settings.key_prefix, settings.stream)
        self.registry_store = registry_store
        self.clock = clock
        self.name = pipeline.worker
        # Feeds in flight at once; entries within a feed share the fetcher's own bounds.
        self._feed_slots = asyncio.Semaphore(max(1, settings.concurrency))

    async def run_once(self) -> PassReport:
        self.pipeline.new_pass()
        await self.heartbeat()
        # Every feed's state in one round trip, rather than one per feed as its turn comes.
        await self.pipeline.feeds.prefetch(self.feeds)
        reports = await asyncio.gather(*(self._feed(url) for url in self.feeds))
        await self._after_pass()
        return PassReport.of(list(reports))

    async def run(self, stop: asyncio.Event) -> None:
        """Poll until ``stop`` is set. Feeds are claimed from the shared schedule with a lease,
        so a worker that dies mid-feed only delays that feed by the lease."""
        states = self.pipeline.feeds
        await states.register(self.feeds, self.clock())
        beat = asyncio.create_task(self._heartbeats(stop))
        try:
            while not stop.is_set():
                due = await states.claim_due(
                    self.clock(), self.settings.concurrency, self.settings.lease_seconds
                )
                if due:
                    self.pipeline.new_pass()
                    await asyncio.gather(*(self._poll(url) for url in due))
                    await self._after_pass()
                    continue
                await _wait(stop, self._idle_wait())
        finally:
            beat.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await beat

    def _idle_wait(self) -> float:
        # Nothing due: look again soon, but not in a busy loop.
        return min(1.0, max(0.05, self.settings.poll_interval / 10))

    async def _poll(self, url: str) -> None:
        await self._feed(url)
        states = self.pipeline.feeds
        # The state the pass left is the one it last read or wrote: no second read.
        state = states.known(url) or await states.load(url)
        at = max(self.clock() + self.settings.poll_interval, state.retry_at)
        await states.reschedule(url, at)

    async def _feed(self, url: str) -> FeedReport:
        async with self._feed_slots:
            try:
                return await self.pipeline.run_feed(url)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("feed %s failed", url)
                self.pipeline.metrics.errors.labels("feed", "unexpected").inc()
                return FeedReport(url, "failed")

    async def _after_pass(self) -> None:
        self.pipeline.metrics.last_pass.set(self.clock())
        registry = self.pipeline.loaded_registry
        if registry is not None:  # else nothing was learned: nothing to save
            await self.registry_store.save(registry)

    async def heartbeat(self) -> None:
        await self.redis.hset(self.keys.workers, self.name, repr(self.clock()))

    async def _heartbeats(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            await self.heartbeat()
            await _wait(stop, self.settings.heartbeat_interval)


async def _wait(stop: asyncio.Event, seconds: float) -> None:
    """Until ``stop`` is set or ``seconds`` pass. asyncio.timeout, not wait_for: on 3.11
    wait_for can swallow a cancellation (CPython gh-86296) and hang shutdown."""
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(seconds):
            await stop.wait()


@contextlib.asynccontextmanager
async def open_worker(
    settings: Settings, redis: Redis, metrics: Metrics, feeds: list[str]
) -> AsyncIterator[Worker]:
    """Everything a worker owns, opened in order and closed in reverse."""
    name = settings.worker_name or default_worker_name()
    keys = Keys(settings.key_prefix, settings.stream)
    registry_store = RegistryStore(redis, keys)
    # Read now (one round trip), built at the first entry: see Pipeline.registry.
    stored = await registry_store.fetch()

    def registry() -> PublisherRegistry:
        return registry_store.replay(PublisherRegistry.bundled(), stored)

    async with contextlib.AsyncExitStack() as stack:
        session = await stack.enter_async_context(open_session(settings))
        pipeline = Pipeline(
            settings=settings,
            fetcher=Fetcher(session, settings, metrics),
            feeds=FeedStates(redis, keys),
            store=Store(redis, settings),
            registry=registry,
            metrics=metrics,
            worker=name,
        )
        metrics.feeds_due.set(len(feeds))
        yield Worker(pipeline, feeds, redis=redis, settings=settings, registry_store=registry_store)
