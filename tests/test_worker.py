"""The polling loop (``Worker.run``) on real Redis and real HTTP: each visited feed is
rescheduled from the state its visit left, without reading that state again."""

from __future__ import annotations

import asyncio
import contextlib
import time

from redis.asyncio import Redis

from tests.fakeweb import RSS, FakeWeb, Resource
from tests.pipeline_support import NV_FEED, SEED, for_web
from workers.feedstate import FeedState, FeedStates
from workers.keys import Keys
from workers.metrics import Metrics
from workers.settings import Settings
from workers.worker import open_worker

BROKEN = "http://broken.example/rss"


async def test_run_reschedules_each_feed_from_the_state_its_visit_left(
    settings: Settings, redis: Redis, fakeweb: FakeWeb
) -> None:
    fakeweb.add_file(NV_FEED, SEED / "nv.xml", RSS)
    fakeweb.add(BROKEN, Resource(b"down", status=500))
    settings = for_web(settings, fakeweb, poll_interval=3600.0, fetch_pages="never")
    keys = Keys(settings.key_prefix, settings.stream)
    states = FeedStates(redis, keys)
    # A second failure in a row backs off two poll intervals: later than the next poll.
    await states.save(FeedState(BROKEN, BROKEN, failures=1))
    start = time.time()
    stop = asyncio.Event()
    async with open_worker(settings, redis, Metrics(), [NV_FEED, BROKEN]) as worker:
        task = asyncio.create_task(worker.run(stop))
        try:
            await _until_rescheduled(redis, keys.schedule, [NV_FEED, BROKEN], after=start + 1800)
        finally:
            stop.set()
            with contextlib.suppress(asyncio.CancelledError):
                await task
    broken = await states.load(BROKEN)
    assert broken.failures == 2
    assert broken.retry_at >= start + 7200
    assert await redis.zscore(keys.schedule, BROKEN) == broken.retry_at
    healthy = await redis.zscore(keys.schedule, NV_FEED) or 0.0
    assert start + 3600 <= healthy < broken.retry_at
    assert (await states.load(NV_FEED)).failures == 0


async def _until_rescheduled(redis: Redis, schedule: str, urls: list[str], after: float) -> None:
    """Claimed feeds sit at now + lease (120 s) until their visit reschedules them."""
    async with asyncio.timeout(20):
        while True:
            scores = [await redis.zscore(schedule, url) or 0.0 for url in urls]
            if min(scores) >= after:
                return
            await asyncio.sleep(0.02)
