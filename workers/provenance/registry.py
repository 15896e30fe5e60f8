"""Publisher registry: loose names ("NV", "AP") to outlets with a domain.

STUB: interface fixed by the lead; implementation owned by the provenance helper.
"""

from __future__ import annotations

from dataclasses import dataclass

from workers.model import PublisherRef


@dataclass(frozen=True, slots=True)
class Publisher:
    name: str
    domain: str | None
    aliases: tuple[str, ...] = ()
    is_agency: bool = False


class PublisherRegistry:
    """Pure lookups over a snapshot: bundled seed data plus what was learned from Redis."""

    @classmethod
    def bundled(cls) -> PublisherRegistry:
        raise NotImplementedError

    def resolve(self, ref: PublisherRef) -> Publisher | None:
        raise NotImplementedError

    def learn(self, ref: PublisherRef) -> None:
        """Add a (name, domain) pair seen on ingested pages (feed title, og:site_name...)."""
        raise NotImplementedError
