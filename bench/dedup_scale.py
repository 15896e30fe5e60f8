"""Dedupe store at scale: lookup-and-insert latency and Redis memory per story.

    .venv/bin/python -m bench.dedup_scale [--sizes 10000,100000,1000000] [--smoke]
                                          [--redis redis://127.0.0.1:6379/9] [--samples 2000]

Loads the store with synthetic stories (random fingerprints: what the index holds is
digests, so real text would only cost CPU) up to each size, then, at each size:

- memory per story: the sum of MEMORY USAGE over the run's keys (the stream excluded: the
  target is "beyond the event itself"), divided by the stories loaded; INFO used_memory's
  delta is printed beside it, noisy on a shared server;
- latency per article: ``--samples`` articles, one at a time, each lookup + decide +
  commit (with a 1.5 KB event), half new stories, half edited copies of loaded stories
  (found as near duplicates, so their candidate records are read and compared).

Keys carry a prefix of the run's own and are deleted (UNLINK) at the end, also on error.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import time
import uuid
from dataclasses import replace
from datetime import UTC, datetime

from redis.asyncio import Redis

from workers.dedupe import Decision, Sighting, decide
from workers.fingerprint import INDEX_BANDS, NUM_PERM, SKETCH_BITS, Fingerprint
from workers.model import PublisherRef
from workers.settings import Settings
from workers.store import Store

EVENT = json.dumps({"type": "article.published", "text": "x" * 1400})
LOAD_CONCURRENCY = 64
SMOKE_SIZES = (1_000, 5_000)
LOAD_SEED = 1


def synthetic(rng: random.Random) -> Fingerprint:
    keys = tuple(rng.getrandbits(64) for _ in range(INDEX_BANDS))
    mask = (1 << SKETCH_BITS) - 1
    rest = tuple(rng.getrandbits(SKETCH_BITS) for _ in range(NUM_PERM - INDEX_BANDS))
    sketch = tuple(k & mask for k in keys) + rest
    return Fingerprint(f"{rng.getrandbits(64):016x}", rng.randrange(150, 900), sketch, keys)


def edited(fp: Fingerprint, rng: random.Random, changed: float = 0.3) -> Fingerprint:
    """A copy sharing 70% of its MinHash slots with the original: Jaccard 0.7."""
    other = synthetic(rng)
    pick = [rng.random() < changed for _ in range(NUM_PERM)]
    sketch = tuple(o if p else s for s, o, p in zip(fp.sketch, other.sketch, pick, strict=True))
    keys = tuple(
        o if p else k
        for k, o, p in zip(fp.index_keys, other.index_keys, pick[:INDEX_BANDS], strict=True)
    )
    return replace(fp, text_hash=other.text_hash, sketch=sketch, index_keys=keys)


def page(n: int, fp: Fingerprint, site: str = "origin") -> Sighting:
    # As long as a real article URL (about 90 characters): the record keeps the origin's.
    url = f"https://www.{site}{n % 997}.example/world/2024/11/05/ministers-meet-over-{n:09d}.html"
    return Sighting(
        url=url,
        urls=(url,),
        guid=f"{site}-feed|{n}",
        publisher=PublisherRef(f"The {site.title()} Times", f"{site}{n % 997}.example"),
        published_at=datetime(2024, 11, 5, tzinfo=UTC),
        fingerprint=fp,
        origin=None,
        origin_url=None,
        origin_confidence=0.0,
        origin_is_agency=False,
    )


async def record(store: Store, s: Sighting, events: bool) -> Decision:
    while True:
        found = await store.lookup(s)
        decision = decide(s, found)
        if await store.commit(s, decision, [("e", EVENT)] if events else [], found=found):
            return decision


async def load(store: Store, start: int, stop: int, seed: int) -> None:
    async def worker(lane: int) -> None:
        for n in range(start + lane, stop, LOAD_CONCURRENCY):
            await record(store, page(n, synthetic(random.Random(seed * 7919 + n))), False)

    await asyncio.gather(*(worker(lane) for lane in range(LOAD_CONCURRENCY)))


async def one_article(store: Store, loaded: int, i: int, rng: random.Random) -> float:
    """Seconds to look up, decide and commit one article: even i a new story, odd i an
    edited copy of a loaded story from another site (a near-duplicate to confirm)."""
    if i % 2:
        n = rng.randrange(loaded)
        s = page(2 * 10**9 + i, edited(synthetic(random.Random(LOAD_SEED * 7919 + n)), rng), "copy")
    else:
        s = page(10**9 + i, synthetic(rng))
    started = time.perf_counter()
    decision = await record(store, s, True)
    elapsed = time.perf_counter() - started
    assert decision.action.value == ("syndicate" if i % 2 else "publish"), decision
    return elapsed


async def memory(redis: Redis, prefix: str, stream: str) -> int:
    total = 0
    batch: list[bytes] = []
    async for key in redis.scan_iter(match=f"{prefix}:*", count=5000):
        if key != stream.encode():
            batch.append(key)
        if len(batch) >= 5000:
            total += await _usage(redis, batch)
            batch = []
    return total + await _usage(redis, batch)


async def _usage(redis: Redis, keys: list[bytes]) -> int:
    async with redis.pipeline(transaction=False) as pipe:
        for key in keys:
            pipe.memory_usage(key, samples=0)
        return sum(v or 0 for v in await pipe.execute())


async def cleanup(redis: Redis, prefix: str) -> None:
    batch: list[bytes] = []
    async for key in redis.scan_iter(match=f"{prefix}:*", count=5000):
        batch.append(key)
        if len(batch) >= 5000:
            await redis.unlink(*batch)
            batch = []
    if batch:
        await redis.unlink(*batch)


def _ms(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1] * 1e3


async def run(url: str, sizes: list[int], samples: int) -> None:
    """One store per size, each under its own prefix; then the latency samples taken in
    turn from every store, so that noise from a busy machine falls on all sizes alike."""
    redis = Redis.from_url(url, max_connections=LOAD_CONCURRENCY + 8)
    stores: list[tuple[int, Store]] = []
    try:
        for size in sizes:
            # As long as the defaults ("newsingest", "news:articles"): names are memory too.
            prefix = f"nb-{uuid.uuid4().hex[:7]}"
            store = Store(redis, Settings(key_prefix=prefix, stream=f"{prefix}:arts"))
            stores.append((size, store))
            before = int((await redis.info("memory"))["used_memory"])
            started = time.perf_counter()
            await load(store, 0, size, seed=LOAD_SEED)
            load_s = time.perf_counter() - started
            info = int((await redis.info("memory"))["used_memory"]) - before
            used = await memory(redis, prefix, store.keys.stream)
            print(
                f"{size:>9,} stories  loaded in {load_s:6.1f} s  memory/story "
                f"{used / size:.0f} B by MEMORY USAGE, {info / size:.0f} B by INFO delta",
                flush=True,
            )
        rng = random.Random(2)
        times: dict[int, list[float]] = {size: [] for size in sizes}
        for i in range(samples):
            for size, store in stores:
                times[size].append(await one_article(store, size, i, rng))
        for size in sizes:
            print(
                f"{size:>9,} stories  lookup+insert per article: median "
                f"{statistics.median(times[size]) * 1e3:.3f} ms, p99 {_ms(times[size], 99):.3f} ms"
                f"  ({samples} articles, half near-duplicate copies)"
            )
        first, last = sizes[0], sizes[-1]
        print(
            f"ratio {last:,} / {first:,}: median "
            f"{statistics.median(times[last]) / statistics.median(times[first]):.2f}x, "
            f"p99 {_ms(times[last], 99) / _ms(times[first], 99):.2f}x"
        )
    finally:
        for _, store in stores:
            await cleanup(redis, store.keys.base.split(":")[0])
        await redis.aclose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/9")
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--samples", type=int, default=2000)
    parser.add_argument("--smoke", action="store_true", help="sizes 1,000 and 5,000 (CI)")
    args = parser.parse_args()
    sizes = list(SMOKE_SIZES) if args.smoke else [int(s) for s in args.sizes.split(",")]
    asyncio.run(run(args.redis, sizes, min(args.samples, 200) if args.smoke else args.samples))


if __name__ == "__main__":
    main()
