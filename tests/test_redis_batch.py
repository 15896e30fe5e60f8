"""Script calls made together travel together, and each caller still gets its own answer."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from redis.asyncio import Redis
from redis.exceptions import ConnectionError, ResponseError

from service.redis_conn import client
from tests.conftest import TEST_REDIS_URL
from workers.redis_batch import RedisBatch

# Echo the argument back, after counting the call under the caller's own key.
ECHO = "redis.call('INCR', KEYS[1]) return ARGV[1]"
FAIL_ON_BOOM = "if ARGV[1] == 'boom' then return redis.error_reply('boom') end return ARGV[1]"


def _script(script: Any, keys: list[Any], args: list[Any]) -> Any:
    return lambda c: script(keys=keys, args=args, client=c)


async def _connections_named(redis: Redis, name: str) -> int:
    return sum(1 for c in await redis.client_list() if c.get("name") == name)


async def test_concurrent_calls_share_one_connection_and_get_their_own_replies(
    redis: Redis, prefix: str
) -> None:
    name = f"{prefix}-batch"
    # Every connection of this pool carries the name, so the server can count them.
    pooled = client(f"{TEST_REDIS_URL}?client_name={name}", max_connections=64)
    try:
        batch = RedisBatch(pooled)
        echo = pooled.register_script(ECHO)
        counter = f"{prefix}:count"

        replies = await asyncio.gather(
            *(batch.call(_script(echo, [counter], [i])) for i in range(50))
        )

        assert replies == [str(i).encode() for i in range(50)]
        assert int(await redis.get(counter) or 0) == 50
        # Sent one by one, fifty concurrent calls open one connection each.
        assert await _connections_named(redis, name) == 1
    finally:
        await pooled.aclose()


async def test_one_failing_script_fails_only_its_caller(redis: Redis, prefix: str) -> None:
    batch = RedisBatch(redis)
    script = redis.register_script(FAIL_ON_BOOM)

    results = await asyncio.gather(
        *(batch.call(_script(script, [f"{prefix}:k"], [arg])) for arg in ("a", "boom", "c")),
        return_exceptions=True,
    )

    assert results[0] == b"a"
    assert results[2] == b"c"
    assert isinstance(results[1], ResponseError)


async def test_a_cancelled_caller_does_not_disturb_the_others(redis: Redis, prefix: str) -> None:
    batch = RedisBatch(redis)
    echo = redis.register_script(ECHO)
    counter = f"{prefix}:count"
    calls = [asyncio.ensure_future(batch.call(_script(echo, [counter], [i]))) for i in range(3)]
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
        batch = RedisBatch(unreachable)
        echo = unreachable.register_script(ECHO)
        results = await asyncio.gather(
            *(batch.call(_script(echo, ["k"], [i])) for i in range(3)), return_exceptions=True
        )
    finally:
        await unreachable.aclose()

    assert all(isinstance(r, ConnectionError | OSError) for r in results), results


@pytest.mark.parametrize("size", [1, 2, 300])
async def test_every_batch_size_answers_in_order(redis: Redis, prefix: str, size: int) -> None:
    batch = RedisBatch(redis, max_batch=128)
    echo = redis.register_script(ECHO)
    counter = f"{prefix}:count"

    replies = await asyncio.gather(
        *(batch.call(_script(echo, [counter], [i])) for i in range(size))
    )

    assert replies == [str(i).encode() for i in range(size)]
    assert int(await redis.get(counter) or 0) == size


async def test_commands_and_scripts_share_a_batch(redis: Redis, prefix: str) -> None:
    batch = RedisBatch(redis)
    echo = redis.register_script(ECHO)
    key = f"{prefix}:h"

    written, echoed, read = await asyncio.gather(
        batch.call(lambda c: c.hset(key, mapping={"a": "1"})),
        batch.call(_script(echo, [f"{prefix}:count"], ["x"])),
        batch.call(lambda c: c.hgetall(key)),
    )

    assert written == 1
    assert echoed == b"x"
    assert read == {b"a": b"1"}  # sent in order: the read sees the write before it
