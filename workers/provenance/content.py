"""Signal 5, content match: a page whose text matches a story from another publisher.

The near-duplicate index finds the match (workers/dedupe.py, workers/fingerprint.py); this
decides which side is the origin, in the same order ``dedupe.decide`` elects origins:

1. explicit provenance: a side whose own detection names the other side's outlet is the
   copy (an explicit claim beats everything);
2. a news agency: when exactly one side is an agency, the agency is the origin;
3. earlier publication: the side published clearly earlier (by more than ``margin``);
4. otherwise undecided: timestamps too close or missing; the caller keeps its story.

Contract: pure, no I/O; pass ``registry`` so that loose names ("NV") match outlets.
``similarity`` is in 0..1 (the index's own score); below
``min_similarity`` nothing is decided. The result carries an ``Evidence`` (signal
``content_match``) for the copy side, pointing at the origin side's outlet, with weight
scaled by the similarity and by how the decision was reached (explicit > agency > time).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from workers.model import Evidence, OriginClaim, PublisherRef
from workers.provenance.names import name_key, same_site
from workers.provenance.registry import PublisherRegistry

Side = Literal["page", "story"]
_WEIGHT = {"explicit": 0.95, "agency": 0.85, "earlier": 0.6}


@dataclass(frozen=True, slots=True)
class Party:
    """One side of a match: who published it, when, and what its own detection said."""

    publisher: PublisherRef
    published_at: datetime | None
    origin: OriginClaim | None = None  # from its own ``detect``; None: claims to be original
    is_agency: bool = False


@dataclass(frozen=True, slots=True)
class ContentDecision:
    origin: Side | None  # None: undecided
    reason: Literal["explicit", "agency", "earlier", "undecided", "dissimilar"]
    evidence: Evidence | None = None  # for the copy side, pointing at the origin


def _names(
    claim: OriginClaim | None, other: PublisherRef, registry: PublisherRegistry | None
) -> bool:
    if claim is None:
        return False
    ref = claim.publisher
    if registry is not None:
        a, b = registry.resolve(ref), registry.resolve(other)
        if a is not None and b is not None:
            return a.name == b.name
    if ref.domain and other.domain:
        return same_site(ref.domain, other.domain)
    return bool(ref.name and other.name) and name_key(ref.name or "") == name_key(other.name or "")


def content_match(
    page: Party,
    story: Party,
    similarity: float,
    *,
    min_similarity: float = 0.8,
    margin: timedelta = timedelta(minutes=10),
    registry: PublisherRegistry | None = None,
) -> ContentDecision:
    if similarity < min_similarity:
        return ContentDecision(None, "dissimilar")
    page_names_story = _names(page.origin, story.publisher, registry)
    story_names_page = _names(story.origin, page.publisher, registry)
    if page_names_story and not story_names_page:
        return _decided("story", "explicit", story, similarity)
    if story_names_page and not page_names_story:
        return _decided("page", "explicit", page, similarity)
    if page.is_agency != story.is_agency:
        return _decided(
            "page" if page.is_agency else "story",
            "agency",
            page if page.is_agency else story,
            similarity,
        )
    if page.published_at and story.published_at:
        if page.published_at + margin < story.published_at:
            return _decided("page", "earlier", page, similarity)
        if story.published_at + margin < page.published_at:
            return _decided("story", "earlier", story, similarity)
    return ContentDecision(None, "undecided")


def _decided(
    side: Side, reason: Literal["explicit", "agency", "earlier"], origin: Party, similarity: float
) -> ContentDecision:
    detail = f"text matches {origin.publisher.name or origin.publisher.domain} ({similarity:.2f})"
    weight = round(_WEIGHT[reason] * similarity, 3)
    return ContentDecision(
        side, reason, Evidence("content_match", detail, weight, origin.publisher)
    )
