"""Per-feed state in Redis (validators, unchanged-body hash, redirects, backoff) and the
shared poll schedule through which any number of workers split the feeds between them."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from typing import cast

from redis.asyncio import Redis
from redis.typing import EncodableT, FieldT

from workers.fetch import Validators
from workers.keys import Keys

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

    async def load(self, url: str) -> FeedState:
        raw = cast(dict[bytes, bytes], await self._redis.hgetall(self._keys.feed(feed_hash(url))))

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

    async def save(self, state: FeedState) -> None:
        fields: dict[FieldT, EncodableT] = {
            "redirect": state.fetch_url if state.fetch_url != state.url else "",
            "etag": state.validators.etag or "",
            "last_modified": state.validators.last_modified or "",
            "body_hash": state.body_hash or "",
            "retry_at": repr(state.retry_at),
            "failures": str(state.failures),
            "gone": "1" if state.gone else "0",
        }
        await self._redis.hset(self._keys.feed(feed_hash(state.url)), mapping=fields)

    # --- schedule -----------------------------------------------------------------------
    async def register(self, urls: list[str], now: float) -> None:
        """Add feeds to the schedule, due now; feeds already scheduled keep their time."""
        if urls:
            await self._redis.zadd(self._keys.schedule, dict.fromkeys(urls, now), nx=True)

    async def claim_due(self, now: float, limit: int, lease: float) -> list[str]:
        due = await self._claim(keys=[self._keys.schedule], args=[now, limit, now + lease])
        return [d.decode() if isinstance(d, bytes) else str(d) for d in due]

    async def reschedule(self, url: str, at: float) -> None:
        await self._redis.zadd(self._keys.schedule, {url: at}, xx=True)


def after_failure(state: FeedState, now: float, base: float) -> FeedState:
    failures = state.failures + 1
    return replace(state, failures=failures, retry_at=next_retry(now, failures, base))
