"""Script calls made together travel together, and each caller still gets its own answer."""

from __future__ import annotations

import asyncio

import pytest
from redis.asyncio import Redis
from redis.exceptions import ConnectionError, ResponseError

from service.redis_conn import client
from tests.conftest import TEST_REDIS_URL
from workers.script_batch import ScriptBatch

# Echo the argument back, after counting the call under the caller's own key.
ECHO = "redis.call('INCR', KEYS[1]) return ARGV[1]"
FAIL_ON_BOOM = "if ARGV[1] == 'boom' then return redis.error_reply('boom') end return ARGV[1]"


async def _connections_named(redis: Redis, name: str) -> int:
    return sum(1 for c in await redis.client_list() if c.get("name") == name)


async def test_concurrent_calls_share_one_connection_and_get_their_own_replies(
    redis: Redis, prefix: str
) -> None:
    name = f"{prefix}-batch"
    # Every connection of this pool carries the name, so the server can count them.
    pooled = client(f"{TEST_REDIS_URL}?client_name={name}", max_connections=64)
    try:
        batch = ScriptBatch(pooled)
        echo = pooled.register_script(ECHO)
        counter = f"{prefix}:count"

        replies = await asyncio.gather(*(batch.call(echo, [counter], [i]) for i in range(50)))

        assert replies == [str(i).encode() for i in range(50)]
        assert int(await redis.get(counter) or 0) == 50
        # Sent one by one, fifty concurrent calls open one connection each.
        assert await _connections_named(redis, name) == 1
    finally:
        await pooled.aclose()


async def test_one_failing_script_fails_only_its_caller(redis: Redis, prefix: str) -> None:
    batch = ScriptBatch(redis)
    script = redis.register_script(FAIL_ON_BOOM)

    results = await asyncio.gather(
        *(batch.call(script, [f"{prefix}:k"], [arg]) for arg in ("a", "boom", "c")),
        return_exceptions=True,
    )

    assert results[0] == b"a"
    assert results[2] == b"c"
    assert isinstance(results[1], ResponseError)


async def test_a_cancelled_caller_does_not_disturb_the_others(redis: Redis, prefix: str) -> None:
    batch = ScriptBatch(redis)
    echo = redis.register_script(ECHO)
    counter = f"{prefix}:count"
    calls = [asyncio.ensure_future(batch.call(echo, [counter], [i])) for i in range(3)]
    calls[1].cancel()

    done = await asyncio.gather(*calls, return_exceptions=True)

    assert done[0] == b"0"
    assert done[2] == b"2"
    assert isinstance(done[1], asyncio.CancelledError)
    # The cancelled call was dropped before it was sent.
    assert int(await redis.get(counter) or 0) == 2


async def test_calls_fail_together_when_redis_is_unreachable() -> None:
    # Port 1 on loopback refuses connections: nothing listens there.
    unreachable = client("redis://127.0.0.1:1/0", timeout=1.0, max_connections=4)
    try:
        batch = ScriptBatch(unreachable)
        echo = unreachable.register_script(ECHO)
        results = await asyncio.gather(
            *(batch.call(echo, ["k"], [i]) for i in range(3)), return_exceptions=True
        )
    finally:
        await unreachable.aclose()

    assert all(isinstance(r, ConnectionError | OSError) for r in results), results


@pytest.mark.parametrize("size", [1, 2, 300])
async def test_every_batch_size_answers_in_order(redis: Redis, prefix: str, size: int) -> None:
    batch = ScriptBatch(redis, max_batch=128)
    echo = redis.register_script(ECHO)
    counter = f"{prefix}:count"

    replies = await asyncio.gather(*(batch.call(echo, [counter], [i]) for i in range(size)))

    assert replies == [str(i).encode() for i in range(size)]
    assert int(await redis.get(counter) or 0) == size
