"""Learned publishers in Redis: one hash, field = the outlet's main domain, value = JSON
``{"name": ..., "aliases": [...]}``. Loading replays each entry into the registry through
``learn``, so stored entries obey the same rules as fresh ones (seed names stay put)."""

from __future__ import annotations

import json

from redis.asyncio import Redis

from workers.keys import Keys
from workers.model import PublisherRef
from workers.provenance.registry import Publisher, PublisherRegistry


def _encode(publisher: Publisher) -> str:
    return json.dumps(
        {"name": publisher.name, "aliases": list(publisher.aliases)}, ensure_ascii=False
    )


class RegistryStore:
    def __init__(self, redis: Redis, keys: Keys) -> None:
        self.redis = redis
        self.key = keys.publishers
        self._saved: dict[str, str] = {}  # domain -> value last written, to write only changes

    async def load(self, registry: PublisherRegistry) -> PublisherRegistry:
        return self.replay(registry, await self.fetch())

    async def fetch(self) -> dict[bytes | str, bytes | str]:
        """The stored entries as Redis holds them, for ``replay`` (now or at first use)."""
        stored: dict[bytes | str, bytes | str] = await self.redis.hgetall(self.key)
        return stored

    def replay(
        self, registry: PublisherRegistry, stored: dict[bytes | str, bytes | str]
    ) -> PublisherRegistry:
        """Teach ``registry`` the entries ``fetch`` read."""
        for raw_domain, raw_value in stored.items():
            domain = raw_domain.decode() if isinstance(raw_domain, bytes) else str(raw_domain)
            try:
                value = json.loads(raw_value)
            except ValueError:
                continue  # a damaged entry costs one outlet, not the worker
            for name in (value.get("name"), *value.get("aliases", ())):
                if isinstance(name, str):
                    registry.learn(PublisherRef(name, domain))
        self._saved.update({p.domain: _encode(p) for p in registry.learned if p.domain})
        return registry

    async def save(self, registry: PublisherRegistry) -> int:
        """Write learned outlets that are new or changed since the last load/save."""
        changed = {
            p.domain: _encode(p)
            for p in registry.learned
            if p.domain and self._saved.get(p.domain) != _encode(p)
        }
        if changed:
            await self.redis.hset(self.key, mapping=changed)  # type: ignore[arg-type]
            self._saved.update(changed)
        return len(changed)
