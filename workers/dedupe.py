"""Dedup decisions. Pure: takes a sighting and what the store found, returns a decision.

The Redis side (workers/store.py) looks up, then commits the decision atomically together
with its events; if the world changed in between, the commit is refused and the pipeline
looks up and decides again. Nothing here does I/O.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from workers.fingerprint import Fingerprint
from workers.model import PublisherRef

MatchHow = Literal["url", "guid", "named", "origin_url", "text", "near"]


@dataclass(frozen=True, slots=True)
class Sighting:
    """One page (or feed entry) as dedupe sees it."""

    url: str  # normalised URL of the page itself
    urls: tuple[str, ...]  # every normalised identity of the page (url, entry link, canonical...)
    guid: str | None  # feed-scoped GUID key, when the entry's GUID is not a URL
    publisher: PublisherRef
    published_at: datetime | None
    fingerprint: Fingerprint
    origin: PublisherRef | None  # from provenance; None: the page claims to be its own origin
    origin_url: str | None  # normalised, when a signal gives the origin article's URL
    origin_confidence: float
    origin_is_agency: bool


@dataclass(frozen=True, slots=True)
class StoryRef:
    """What the store keeps about a story, enough to decide without reading its event."""

    article_id: str
    origin_domain: str | None
    origin_name: str | None
    origin_url: str | None
    origin_seen: bool  # the origin's own page has been ingested
    origin_confidence: float
    is_agency: bool
    published_at: datetime | None
    text_hash: str  # of the text the story's published/updated event carried


@dataclass(frozen=True, slots=True)
class Match:
    story: StoryRef
    how: MatchHow
    similarity: float = 1.0


@dataclass(frozen=True, slots=True)
class Lookup:
    """What the store found for a sighting. ``None`` everywhere: a new story."""

    own: Match | None = None  # the page itself was ingested before (url or guid)
    named: Match | None = None  # an earlier copy named this page's URL as its origin
    origin: Match | None = None  # the sighting's origin URL is a known story
    content: Match | None = None  # best text match: exact hash, else near-duplicate


class Action(str, enum.Enum):
    PUBLISH = "publish"  # new story, this page is its origin
    PUBLISH_FROM_COPY = "publish_from_copy"  # new story first seen as a copy: published + syndicated
    SYNDICATE = "syndicate"  # a copy of a known story
    ORIGIN_ARRIVED = "origin_arrived"  # the origin's page joins a story first seen as a copy
    CONTENT_CHANGED = "content_changed"  # the origin page's text changed
    SKIP = "skip"  # nothing new


@dataclass(frozen=True, slots=True)
class Decision:
    action: Action
    article_id: str
    match: Match | None = None
