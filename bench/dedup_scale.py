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


async def latencies(store: Store, loaded: int, samples: int, seed: int) -> list[float]:
    rng = random.Random(seed)
    out = []
    for i in range(samples):
        if i % 2:  # an edited copy of a loaded story, from another site
            n = rng.randrange(loaded)
            fp = edited(synthetic(random.Random(LOAD_SEED * 7919 + n)), rng)
            s = page(2 * 10**9 + seed * samples + i, fp, "copy")
        else:
            s = page(10**9 + seed * samples + i, synthetic(rng))
        started = time.perf_counter()
        decision = await record(store, s, True)
        out.append(time.perf_counter() - started)
        if i % 2:
            assert decision.action.value == "syndicate", decision
    return out


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


async def run(url: str, sizes: list[int], samples: int) -> list[dict[str, float]]:
    # As long as the defaults ("newsingest", "news:articles"): key names are memory too.
    prefix = f"nb-{uuid.uuid4().hex[:7]}"
    settings = Settings(redis_url=url, key_prefix=prefix, stream=f"{prefix}:arts")
    redis = Redis.from_url(url, max_connections=LOAD_CONCURRENCY + 8)
    rows = []
    try:
        store = Store(redis, settings)
        before = int((await redis.info("memory"))["used_memory"])
        loaded = 0
        for size in sizes:
            started = time.perf_counter()
            await load(store, loaded, size, seed=LOAD_SEED)
            load_s = time.perf_counter() - started
            loaded = size
            used = await memory(redis, prefix, settings.stream)
            info = int((await redis.info("memory"))["used_memory"]) - before
            times = await latencies(store, loaded, samples, seed=size)
            row = {
                "stories": size,
                "load_s": load_s,
                "median_ms": statistics.median(times) * 1e3,
                "p99_ms": _ms(times, 99),
                "bytes_per_story": used / size,
                "info_bytes_per_story": info / size,
            }
            rows.append(row)
            print(
                f"{size:>9,} stories  load {load_s:7.1f} s  lookup+insert median "
                f"{row['median_ms']:.3f} ms  p99 {row['p99_ms']:.3f} ms  memory/story "
                f"{row['bytes_per_story']:.0f} B (INFO delta {row['info_bytes_per_story']:.0f} B)",
                flush=True,
            )
    finally:
        await cleanup(redis, prefix)
        await redis.aclose()
    first, last = rows[0], rows[-1]
    print(
        f"median latency ratio {last['stories']:,} / {first['stories']:,}: "
        f"{last['median_ms'] / first['median_ms']:.2f}x; p99 ratio "
        f"{last['p99_ms'] / first['p99_ms']:.2f}x"
    )
    return rows


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
