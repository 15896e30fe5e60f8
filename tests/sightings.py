"""Sightings for dedupe store tests: built from text and URLs, as the pipeline builds them."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from tests.conftest import DATA
from workers.dedupe import Action, Decision, Sighting, decide
from workers.fingerprint import fingerprint
from workers.model import PublisherRef
from workers.store import Store
from workers.urls import normalize_url, site_domain

SAME_EVENT = DATA / "dedup" / "same_event"


def text(case: str, side: str = "a") -> str:
    return (SAME_EVENT / f"{case}.{side}.txt").read_text(encoding="utf-8")


def trimmed(body: str, keep: int = 3) -> str:
    """A wire copy cut by a paper, with a teaser of its own inserted."""
    paras = body.split("\n\n")
    return "\n\n".join([paras[0], "Read also: More news from the region", *paras[1:keep]])


def sighting(
    url: str,
    body: str,
    *,
    guid: str | None = None,
    also: tuple[str, ...] = (),
    publisher: str | None = None,
    origin: PublisherRef | None = None,
    origin_url: str | None = None,
    confidence: float = 0.0,
    agency: bool = False,
    published_at: datetime | None = None,
) -> Sighting:
    page = normalize_url(url)
    return Sighting(
        url=page,
        urls=(page, *(normalize_url(u) for u in also)),
        guid=guid,
        publisher=PublisherRef(publisher, site_domain(url)),
        published_at=published_at or datetime(2024, 11, 5, 12, 0, tzinfo=UTC),
        fingerprint=fingerprint(body),
        origin=origin,
        origin_url=normalize_url(origin_url) if origin_url else None,
        origin_confidence=confidence if origin else 0.0,
        origin_is_agency=agency,
    )


# What each action publishes, as the lead's events module does; enough to count.
EVENT_TYPES = {
    Action.PUBLISH: ("article.published",),
    Action.PUBLISH_FROM_COPY: ("article.published", "article.syndicated"),
    Action.SYNDICATE: ("article.syndicated",),
    Action.ORIGIN_CHANGED: ("article.syndicated", "article.updated"),
    Action.ORIGIN_ARRIVED: ("article.updated",),
    Action.CONTENT_CHANGED: ("article.updated",),
    Action.SKIP: (),
}


def events_for(s: Sighting, decision: Decision, **extra: object) -> list[tuple[str, str]]:
    return [
        (
            f"{kind}:{s.url}",
            json.dumps({"type": kind, "article_id": decision.article_id, "url": s.url, **extra}),
        )
        for kind in EVENT_TYPES[decision.action]
    ]


async def record(store: Store, s: Sighting, attempts: int = 20, **extra: object) -> Decision:
    """Look up, decide, commit; again while the world changes under us (as the pipeline)."""
    for _ in range(attempts):
        found = await store.lookup(s)
        decision = decide(s, found)
        if await store.commit(s, decision, events_for(s, decision, **extra), found=found):
            return decision
    raise AssertionError(f"{s.url}: no commit in {attempts} attempts")
