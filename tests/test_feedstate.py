"""Feed state and the shared schedule, on real Redis."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import pytest
from redis.asyncio import Redis

from workers.feedstate import FeedState, FeedStates, after_failure, feed_hash, next_retry
from workers.fetch import Validators
from workers.keys import Keys
from workers.settings import Settings

FEEDS = [f"http://site{i}.example/rss" for i in range(40)]


def states(redis: Redis, settings: Settings) -> FeedStates:
    return FeedStates(redis, Keys(settings.key_prefix, settings.stream))


async def test_state_round_trips(redis: Redis, settings: Settings) -> None:
    store = states(redis, settings)
    assert await store.load(FEEDS[0]) == FeedState(FEEDS[0], FEEDS[0])
    saved = FeedState(
        FEEDS[0],
        "http://moved.example/rss",
        Validators('"abc"', "Sat, 25 Feb 2023 09:00:00 GMT"),
        body_hash="h1",
        retry_at=123.5,
        failures=2,
        gone=False,
    )
    await store.save(saved)
    assert await store.load(FEEDS[0]) == saved


async def test_concurrent_claims_never_take_the_same_feed(redis: Redis, settings: Settings) -> None:
    a, b = states(redis, settings), states(redis, settings)
    await a.register(FEEDS, now=100.0)
    await b.register(FEEDS, now=999.0)  # NX: a second worker does not push feeds back
    claims = await asyncio.gather(*(s.claim_due(150.0, 7, lease=60.0) for s in [a, b] * 4))
    taken = [url for claim in claims for url in claim]
    assert len(taken) == len(set(taken)) == len(FEEDS)
    assert await a.claim_due(150.0, 100, lease=60.0) == []  # all leased
    # a worker that died mid-feed only delays it by the lease
    assert sorted(await a.claim_due(210.0, 100, lease=60.0)) == sorted(FEEDS)


async def test_reschedule_moves_a_feed_to_its_next_poll(redis: Redis, settings: Settings) -> None:
    store = states(redis, settings)
    await store.register(FEEDS[:2], now=0.0)
    assert len(await store.claim_due(1.0, 10, lease=5.0)) == 2
    await store.reschedule(FEEDS[0], at=3.0)
    assert await store.claim_due(4.0, 10, lease=5.0) == [FEEDS[0]]


@pytest.mark.parametrize(
    ("failures", "expected"),
    [(0, 0.0), (1, 1300.0), (2, 1600.0), (5, 5800.0), (40, 1000.0 + 6 * 3600)],
    ids=["none", "first", "second", "fifth", "capped"],
)
def test_backoff_grows_exponentially_and_is_capped(failures: int, expected: float) -> None:
    assert next_retry(1000.0, failures, base=300.0) == expected


def test_after_failure_counts_and_defers() -> None:
    state = after_failure(FeedState("u", "u", failures=1), now=50.0, base=10.0)
    assert state.failures == 2
    assert state.retry_at == 70.0


async def test_prefetched_states_are_read_once(redis: Redis, settings: Settings) -> None:
    writer, reader = states(redis, settings), states(redis, settings)
    saved = FeedState(FEEDS[1], FEEDS[1], Validators('"e1"', None), body_hash="h", failures=1)
    await writer.save(saved)
    await reader.prefetch(FEEDS[:3])
    await writer.save(replace(saved, failures=2))
    # the first load takes the prefetched state; later loads read Redis again
    assert await reader.load(FEEDS[1]) == saved
    assert await reader.load(FEEDS[1]) == replace(saved, failures=2)
    assert await reader.load(FEEDS[0]) == FeedState(FEEDS[0], FEEDS[0])


async def test_a_save_of_the_state_just_read_writes_nothing(
    redis: Redis, settings: Settings
) -> None:
    store = states(redis, settings)
    key = Keys(settings.key_prefix, settings.stream).feed(feed_hash(FEEDS[2]))
    await store.save(FeedState(FEEDS[2], FEEDS[2], Validators('"e1"', None)))
    loaded = await store.load(FEEDS[2])
    assert store.known(FEEDS[2]) == loaded
    await redis.hset(key, "etag", "written meanwhile")
    await store.save(loaded)  # unchanged (a 304): no write, so no round trip
    assert await redis.hget(key, "etag") == b"written meanwhile"
    await store.save(replace(loaded, failures=1))  # a change is written
    assert (await store.load(FEEDS[2])).failures == 1


async def test_concurrent_loads_and_saves_each_get_their_own_answer(
    redis: Redis, settings: Settings
) -> None:
    store = states(redis, settings)
    wanted = [
        FeedState(url, url, Validators(f'"{i}"', None), failures=i) for i, url in enumerate(FEEDS)
    ]
    await asyncio.gather(*(store.save(state) for state in wanted))
    fresh = states(redis, settings)
    assert await asyncio.gather(*(fresh.load(url) for url in FEEDS)) == wanted
    await fresh.register(FEEDS, now=0.0)
    await asyncio.gather(*(fresh.reschedule(url, at=float(i)) for i, url in enumerate(FEEDS)))
    schedule = Keys(settings.key_prefix, settings.stream).schedule
    assert await redis.zscore(schedule, FEEDS[7]) == 7.0
