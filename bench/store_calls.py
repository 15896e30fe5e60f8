"""Client-side CPU of the dedupe store's Redis calls, per call.

    python -m bench.store_calls [--n 1000] [--redis-url redis://127.0.0.1:6379/0]

Sighting-shaped lookups and commits against a real Redis, one by one and concurrently
(concurrent calls are coalesced by workers/redis_batch.py), and the per-feed ``known``
check. Prints which reply parser redis-py uses (hiredis when installed), so the same
command run with and without hiredis compares the two. Keys live under a prefix of the
run's own and are deleted at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from redis.utils import HIREDIS_AVAILABLE

from service.redis_conn import client
from workers.dedupe import Sighting, decide
from workers.fingerprint import fingerprint
from workers.model import PublisherRef
from workers.settings import Settings
from workers.store import Store

_WORDS = [
    "kyiv",
    "energy",
    "grid",
    "minister",
    "said",
    "power",
    "winter",
    "report",
    "city",
    "council",
    "vote",
    "budget",
]


def _sightings(n: int, seed: int) -> list[Sighting]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        text = " ".join(f"{rng.choice(_WORDS)}{rng.randrange(500)}" for _ in range(50))
        url = f"https://site{i % 50}.example/news/{seed}/{i}"
        out.append(
            Sighting(
                url=url,
                urls=(url,),
                guid=None,
                publisher=PublisherRef("Site", f"site{i % 50}.example"),
                published_at=datetime.now(UTC),
                fingerprint=fingerprint(text),
                origin=None,
                origin_url=None,
                origin_confidence=0.0,
                origin_is_agency=False,
            )
        )
    return out


async def _cpu(what: str, n: int, work: Callable[[], Awaitable[object]]) -> None:
    cpu, wall = time.process_time(), time.perf_counter()
    await work()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    print(f"{what:<44} {1e6 * cpu / n:>7.0f} µs CPU {1e6 * wall / n:>7.0f} µs wall per call")


async def run(n: int, url: str) -> None:
    tag = f"bench-calls-{os.getpid()}"
    settings = Settings(key_prefix=tag, stream=f"{tag}:articles")
    redis = client(url)
    store = Store(redis, settings)
    print(f"reply parser: {'hiredis' if HIREDIS_AVAILABLE else 'pure Python'}; {n} calls each")
    try:
        one, many, both = _sightings(n, 1), _sightings(n, 2), _sightings(n, 3)

        async def sequential() -> None:
            for s in one:
                await store.lookup(s)

        async def concurrent() -> None:
            await asyncio.gather(*(store.lookup(s) for s in many))

        async def known() -> None:
            for i in range(0, n, 35):  # a feed of 35 entries
                await store.known([((s.url,), None) for s in many[i : i + 35]])

        async def record(s: Sighting) -> None:
            found = await store.lookup(s)
            await store.commit(s, decide(s, found), [("id", '{"x": 1}')], found=found)

        async def recorded() -> None:
            await asyncio.gather(*(record(s) for s in both))

        await _cpu("lookup, one at a time", n, sequential)
        await _cpu("lookup, all concurrently", n, concurrent)
        await _cpu("known, per feed of 35 entries", n, known)
        await _cpu("lookup + commit, all concurrently", n, recorded)
    finally:
        keys = [k async for k in redis.scan_iter(match=f"*{tag}*", count=1000)]
        if keys:
            await redis.delete(*keys)
        await redis.aclose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    args = parser.parse_args()
    asyncio.run(run(args.n, args.redis_url))


if __name__ == "__main__":
    main()
