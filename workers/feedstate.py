"""Per-feed state in Redis (validators, unchanged-body hash, redirects, backoff) and the
shared poll schedule through which any number of workers split the feeds between them.

Round trips, which are most of what a feed that answers 304 costs: a pass can read the
states of all its feeds in one pipeline (``prefetch``); other reads and writes made in
one turn of the event loop leave together as one pipeline (``workers/redis_batch.py``);
and a save that would write back exactly the state last read or written is skipped (a 304
changes nothing).
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from redis.asyncio import Redis
from redis.typing import EncodableT, FieldT

from workers.fetch import Validators
from workers.keys import Keys
from workers.redis_batch import RedisBatch

# Commands per pipeline: a reply is held in memory until the last one arrives.
MAX_BATCH = 1000

# Take the due feeds and push each one's score past the lease in one step, so two workers
# polling the schedule at the same moment never take the same feed.
_CLAIM_DUE = """
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, ARGV[2])
for _, feed in ipairs(due) do
  redis.call('ZADD', KEYS[1], 'XX', ARGV[3], feed)
end
return due
"""


@dataclass(frozen=True, slots=True)
class FeedState:
    url: str  # as listed in the feeds file
    fetch_url: str  # where a permanent redirect now sends us
    validators: Validators = field(default_factory=Validators)
    body_hash: str | None = None  # to recognise an unchanged 200 before parsing
    retry_at: float = 0.0  # unix time before which the feed is not fetched again
    failures: int = 0  # consecutive failed fetches, for backoff
    gone: bool = False


def feed_hash(url: str) -> str:
    return hashlib.blake2b(url.encode(), digest_size=10).hexdigest()


def next_retry(now: float, failures: int, base: float, cap: float = 6 * 3600) -> float:
    """Exponential backoff after consecutive failures; deterministic so tests can see it."""
    if failures <= 0:
        return 0.0
    return now + min(cap, max(base, 1.0) * 2.0 ** min(failures - 1, 16))


class FeedStates:
    def __init__(self, redis: Redis, keys: Keys) -> None:
        self._redis = redis
        self._keys = keys
        self._claim = redis.register_script(_CLAIM_DUE)
        self._batch = RedisBatch(redis, max_batch=MAX_BATCH)
        self._prefetched: dict[str, FeedState] = {}  # read ahead by prefetch, taken by load
        # Each feed's state as last read from or written to Redis by this process.
        self._known: dict[str, FeedState] = {}

    async def prefetch(self, urls: Iterable[str]) -> None:
        """Read the states of these feeds in one round trip (per ``MAX_BATCH``); the next
        ``load`` of each takes its state from here instead of from Redis."""
        urls = list(dict.fromkeys(urls))
        keys = [self._key(url) for url in urls]
        # Issued in one turn of the loop, the reads leave as one pipeline (RedisBatch).
        replies = await asyncio.gather(*(self._hgetall(key) for key in keys))
        for url, raw in zip(urls, replies, strict=True):
            self._prefetched[url] = _decode(url, raw)

    async def load(self, url: str) -> FeedState:
        state = self._prefetched.pop(url, None)
        if state is None:
            state = _decode(url, await self._hgetall(self._key(url)))
        self._known[url] = state
        return state

    def known(self, url: str) -> FeedState | None:
        """The feed's state as this process last read or wrote it, without a round trip."""
        return self._known.get(url)

    async def save(self, state: FeedState) -> None:
        if self._known.get(state.url) == state:
            return  # Redis holds exactly this already (a 304 leaves a feed's state as it was)
        fields: dict[FieldT, EncodableT] = {
            "redirect": state.fetch_url if state.fetch_url != state.url else "",
            "etag": state.validators.etag or "",
            "last_modified": state.validators.last_modified or "",
            "body_hash": state.body_hash or "",
            "retry_at": repr(state.retry_at),
            "failures": str(state.failures),
            "gone": "1" if state.gone else "0",
        }
        key = self._key(state.url)
        await self._batch.call(lambda c: c.hset(key, mapping=fields))
        self._known[state.url] = state

    async def _hgetall(self, key: str) -> dict[bytes, bytes]:
        raw: dict[bytes, bytes] = await self._batch.call(lambda c: c.hgetall(key))
        return raw

    def _key(self, url: str) -> str:
        return self._keys.feed(feed_hash(url))

    # --- schedule -----------------------------------------------------------------------
    async def register(self, urls: list[str], now: float) -> None:
        """Add feeds to the schedule, due now; feeds already scheduled keep their time."""
        if urls:
            await self._redis.zadd(self._keys.schedule, dict.fromkeys(urls, now), nx=True)

    async def claim_due(self, now: float, limit: int, lease: float) -> list[str]:
        due = await self._claim(keys=[self._keys.schedule], args=[now, limit, now + lease])
        return [d.decode() if isinstance(d, bytes) else str(d) for d in due]

    async def reschedule(self, url: str, at: float) -> None:
        schedule = self._keys.schedule
        await self._batch.call(lambda c: c.zadd(schedule, {url: at}, xx=True))


def _decode(url: str, raw: dict[bytes, bytes]) -> FeedState:
    def get(key: bytes) -> str | None:
        value = raw.get(key)
        return value.decode() if value else None

    return FeedState(
        url=url,
        fetch_url=get(b"redirect") or url,
        validators=Validators(get(b"etag"), get(b"last_modified")),
        body_hash=get(b"body_hash"),
        retry_at=float(get(b"retry_at") or 0),
        failures=int(get(b"failures") or 0),
        gone=get(b"gone") == "1",
    )


def after_failure(state: FeedState, now: float, base: float) -> FeedState:
    failures = state.failures + 1
    return replace(state, failures=failures, retry_at=next_retry(now, failures, base))
