"""One of two racing worker processes (tests/test_store.py): for each round, wait for the
other at a Redis barrier, then record the round's origin and copies in this worker's order
(lookup, decide, commit, retry on conflict), as the pipeline does.

    python -m tests.race_worker REDIS_URL PREFIX STREAM ROUNDS WHO
"""

from __future__ import annotations

import asyncio
import random
import sys
from datetime import timedelta

from redis.asyncio import Redis

from tests.sightings import record, sighting
from workers.dedupe import Sighting
from workers.model import PublisherRef
from workers.settings import Settings
from workers.store import Store

BARRIER_SECONDS = 20


def story_pages(round_: int) -> list[Sighting]:
    """An origin, a copy naming it by URL, an exact copy naming it by name, a trimmed copy
    naming nothing: every way one story reaches a worker."""
    rng = random.Random(round_)
    words = [f"w{rng.randrange(20000)}" for _ in range(600)]
    paras = ["the " + " ".join(rng.choices(words, k=45)) + "." for _ in range(6)]
    body = "\n\n".join(paras)
    origin_url = f"http://origin.example/{round_}"
    outlet = PublisherRef("Origin Daily", "origin.example")
    origin = sighting(origin_url, body, publisher="Origin Daily")
    at = origin.published_at
    assert at is not None
    return [
        origin,
        sighting(
            f"http://copy-a.example/{round_}",
            "\n\n".join(["Teaser", *paras[:4]]),
            origin=outlet,
            origin_url=origin_url,
            confidence=0.9,
            published_at=at + timedelta(hours=1),
        ),
        sighting(
            f"http://copy-b.example/{round_}",
            body,
            origin=outlet,
            confidence=0.8,
            published_at=at + timedelta(hours=2),
        ),
        sighting(
            f"http://copy-c.example/{round_}",
            "\n\n".join(paras[1:5]),
            published_at=at + timedelta(hours=3),
        ),
    ]


async def barrier(redis: Redis, prefix: str, round_: int, who: int) -> None:
    await redis.rpush(f"{prefix}:barrier:{round_}:{1 - who}", 1)
    if not await redis.blpop([f"{prefix}:barrier:{round_}:{who}"], timeout=BARRIER_SECONDS):
        raise TimeoutError(f"round {round_}: the other worker never came")


async def main(url: str, prefix: str, stream: str, rounds: int, who: int) -> None:
    settings = Settings(redis_url=url, key_prefix=prefix, stream=stream)
    redis = Redis.from_url(url)
    try:
        store = Store(redis, settings)
        for round_ in range(rounds):
            pages = story_pages(round_)
            order = pages if who == 0 else pages[::-1]
            if round_ % 2:
                order = random.Random(round_ * 2 + who).sample(pages, len(pages))
            await barrier(redis, prefix, round_, who)
            for page in order:
                await record(store, page, round=round_)
    finally:
        await redis.aclose()


if __name__ == "__main__":
    url, prefix, stream, rounds, who = sys.argv[1:6]
    asyncio.run(main(url, prefix, stream, int(rounds), int(who)))
