"""Sightings for dedupe store tests: built from text and URLs, as the pipeline builds them."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.conftest import DATA
from workers.dedupe import Sighting
from workers.fingerprint import fingerprint
from workers.model import PublisherRef
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
