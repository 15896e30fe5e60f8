"""Is the service ready: Redis answers and some worker has sent a heartbeat lately.

Workers write ``HSET <keys.workers> <name> <unix time>`` every ``heartbeat_interval``.
The decisions (who is live, who is long gone) are pure functions of that hash and ``now``;
``probe`` and ``prune`` are the thin Redis shell around them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from redis.asyncio import Redis

from service.redis_conn import ping, redis_errors
from workers.errors import StoreError
from workers.keys import Keys

# A heartbeat this old belongs to a worker that is gone for good (scaled down, renamed):
# drop it so the hash does not grow with every container that ever ran.
PRUNE_AFTER = 7 * 24 * 3600.0


@dataclass(frozen=True)
class Readiness:
    redis_error: str | None = None
    live_workers: list[str] = field(default_factory=list)
    newest_heartbeat_age: float | None = None
    stream_length: int | None = None
    last_event_id: str | None = None

    @property
    def ready(self) -> bool:
        return self.redis_error is None and bool(self.live_workers)

    def body(self) -> dict[str, Any]:
        redis_ok = self.redis_error is None
        workers: dict[str, Any] = {"ok": bool(self.live_workers), "live": self.live_workers}
        if not redis_ok:
            workers["error"] = "not checked: Redis unavailable"
        elif not self.live_workers:
            workers["error"] = "no worker heartbeat within heartbeat_ttl"
        workers["newest_heartbeat_age_seconds"] = self.newest_heartbeat_age
        return {
            "status": "ready" if self.ready else "unavailable",
            "checks": {
                "redis": {"ok": redis_ok, "error": self.redis_error},
                "workers": workers,
            },
            "stream": {"length": self.stream_length, "last_event_id": self.last_event_id},
        }


def heartbeat_times(raw: Mapping[Any, Any]) -> dict[str, float]:
    """Decode the hash; a field whose value is not a number is skipped, not fatal."""
    times: dict[str, float] = {}
    for name, value in raw.items():
        try:
            times[_text(name)] = float(_text(value))
        except ValueError:
            continue
    return times


def live(times: Mapping[str, float], now: float, ttl: float) -> list[str]:
    return sorted(name for name, at in times.items() if now - at <= ttl)


def expired(times: Mapping[str, float], now: float, horizon: float) -> list[str]:
    return sorted(name for name, at in times.items() if now - at > horizon)


async def probe(redis: Redis, keys: Keys, *, now: float, ttl: float, within: float) -> Readiness:
    """Check Redis and the heartbeats within ``within`` seconds; never raises StoreError."""
    try:
        await ping(redis, within)
        with redis_errors("Redis failed during the readiness check"):
            async with asyncio.timeout(within):
                raw, length, last = await _read(redis, keys)
    except StoreError as e:
        return Readiness(redis_error=str(e))
    times = heartbeat_times(raw)
    newest = max(times.values(), default=None)
    return Readiness(
        live_workers=live(times, now, ttl),
        newest_heartbeat_age=None if newest is None else round(now - newest, 3),
        stream_length=length,
        last_event_id=_text(last[0][0]) if last else None,
    )


async def _read(redis: Redis, keys: Keys) -> tuple[dict[Any, Any], int, list[Any]]:
    pipe = redis.pipeline(transaction=False)
    pipe.hgetall(keys.workers)
    pipe.xlen(keys.stream)
    pipe.xrevrange(keys.stream, count=1)
    raw, length, last = await pipe.execute()
    return raw, int(length), last


async def prune(redis: Redis, keys: Keys, *, now: float, horizon: float = PRUNE_AFTER) -> list[str]:
    """Delete heartbeats older than ``horizon``; return the names removed.

    Read-then-delete is not atomic, but a worker that beats in between only loses one beat,
    which it rewrites ``heartbeat_interval`` later.
    """
    with redis_errors("Redis failed while pruning heartbeats"):
        gone = expired(heartbeat_times(await redis.hgetall(keys.workers)), now, horizon)
        if gone:
            await redis.hdel(keys.workers, *gone)
    return gone


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)
