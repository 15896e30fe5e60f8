"""Dedup decisions. Pure: takes a sighting and what the store found, returns a decision.

The Redis side (workers/store.py) looks up, then commits the decision atomically together
with its events; if the world changed in between, the commit is refused and the pipeline
looks up and decides again. Nothing here does I/O.
"""

from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from workers.fingerprint import Fingerprint
from workers.model import PublisherRef
from workers.provenance.content import Party, content_match

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
    is_agency: bool = False  # the page is a news agency's own (apnews.com, reuters.com...)


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
    # Opaque to dedupe: what workers/store.py read, so its commit can refuse a changed world.
    token: object = field(default=None, compare=False, repr=False)


class Action(enum.StrEnum):
    """What to record. The store writes the story record per action (see workers/store.py)."""

    PUBLISH = "publish"  # new story, this page is its origin
    PUBLISH_FROM_COPY = "publish_from_copy"  # first seen as a copy: published + syndicated
    SYNDICATE = "syndicate"  # a copy of a known story
    # A copy whose explicit provenance beats the story's weakly elected origin (e.g. the
    # wire credit on a reprint of a story first seen without one): syndicated + updated;
    # the story's origin fields become the sighting's origin claim (origin_seen = 0).
    ORIGIN_CHANGED = "origin_changed"
    ORIGIN_ARRIVED = "origin_arrived"  # the origin's own page joins a known story: updated
    CONTENT_CHANGED = "content_changed"  # the origin page's text changed: updated
    SKIP = "skip"  # nothing new


@dataclass(frozen=True, slots=True)
class Decision:
    action: Action
    article_id: str
    match: Match | None = None


# An origin elected without explicit evidence (the earliest page seen) is below this;
# explicit signals (footers, wire credits, markup) are above it.
WEAK_ORIGIN = 0.5


def decide(s: Sighting, found: Lookup) -> Decision:
    """Fold a sighting into the stories the store knows. Origin election, in order: the page
    explicit provenance points to; else a news agency; else the earliest published original.
    A published story keeps its ``article_id`` for ever; later, better origins update it."""
    if found.own is not None:
        return _seen_again(s, found.own)
    if found.named is not None:
        story = found.named.story
        if story.origin_seen:
            return Decision(Action.SKIP, story.article_id, found.named)
        return Decision(Action.ORIGIN_ARRIVED, story.article_id, found.named)
    match = found.origin or found.content
    if match is None:
        if s.origin is None:
            return Decision(Action.PUBLISH, article_id_for(s.url))
        return Decision(Action.PUBLISH_FROM_COPY, article_id_for_copy(s))
    return _join(s, match)


def _seen_again(s: Sighting, own: Match) -> Decision:
    story = own.story
    is_origin_page = (
        s.origin is None
        and story.origin_seen
        and same_outlet(s.publisher.domain, story.origin_domain)
    )
    if is_origin_page and s.fingerprint.text_hash != story.text_hash:
        return Decision(Action.CONTENT_CHANGED, story.article_id, own)
    return Decision(Action.SKIP, story.article_id, own)


def _join(s: Sighting, match: Match) -> Decision:
    story = match.story
    if s.origin is None:
        if not story.origin_seen and _names_outlet(story, s.publisher):
            return Decision(Action.ORIGIN_ARRIVED, story.article_id, match)
        if _displaces(s, match):
            return Decision(Action.ORIGIN_ARRIVED, story.article_id, match)
        return Decision(Action.SYNDICATE, story.article_id, match)
    if (
        story.origin_confidence < WEAK_ORIGIN
        and s.origin_confidence >= WEAK_ORIGIN
        and not (_names_outlet(story, s.origin))
    ):
        return Decision(Action.ORIGIN_CHANGED, story.article_id, match)
    return Decision(Action.SYNDICATE, story.article_id, match)


def _displaces(s: Sighting, match: Match) -> bool:
    """A page with no provenance of its own takes over a story whose origin was only elected
    (no explicit evidence), when the content-match rule says it is the origin: a news
    agency's own page over a reprint, else the clearly earlier publication."""
    story = match.story
    if story.origin_confidence >= WEAK_ORIGIN or same_outlet(
        s.publisher.domain, story.origin_domain
    ):
        return False
    page = Party(s.publisher, s.published_at, is_agency=s.is_agency)
    held = Party(
        PublisherRef(story.origin_name, story.origin_domain),
        story.published_at,
        is_agency=story.is_agency,
    )
    return content_match(page, held, match.similarity, min_similarity=0.0).origin == "page"


def _names_outlet(story: StoryRef, ref: PublisherRef) -> bool:
    if ref.domain and story.origin_domain:
        return same_outlet(ref.domain, story.origin_domain)
    return bool(ref.name and story.origin_name and _fold(ref.name) == _fold(story.origin_name))


def same_outlet(a: str | None, b: str | None) -> bool:
    """english.nv.ua and nv.ua are one outlet; an unknown domain matches nothing."""
    if not a or not b:
        return False
    return a == b or a.endswith("." + b) or b.endswith("." + a)


def _fold(name: str) -> str:
    return " ".join(name.casefold().replace("the ", " ").split())


def article_id_for(origin_url: str) -> str:
    """Story id from the origin page's normalised URL: every worker derives the same."""
    return "art_" + _digest(origin_url)


def article_id_for_copy(s: Sighting) -> str:
    """Story first seen as a copy: from the named origin URL when a signal gives it, else
    from the named origin outlet and the copy's normalised text."""
    if s.origin_url:
        return article_id_for(s.origin_url)
    outlet = (s.origin and (s.origin.domain or s.origin.name)) or "unknown"
    return "art_" + _digest(f"{outlet}|{s.fingerprint.text_hash}")


def _digest(value: str) -> str:
    return hashlib.blake2b(value.encode("utf-8"), digest_size=12).hexdigest()
