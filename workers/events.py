"""Build the stream events for a dedup decision. Pure: data in, validated events out.

Event ids are deterministic (a digest of what the event states), so a consumer that sees
the same fact twice, from a replay or a retried delivery, can tell.

Each event is assembled as plain data and validated once, by its top-level model: one
pass of pydantic-core builds and checks the whole tree. Constructing every nested model
on its own (publisher, origin, provenance, article, source...) cost a Python ``__init__``
and a validator call apiece, about six per event, for the same checks.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any, TypeVar

from pydantic import BaseModel

import schemas as s
from schemas.events import UpdateReason
from workers.dedupe import Action, Decision, Match, StoryRef, same_outlet
from workers.model import FeedEntry, Page, Provenance, PublisherRef

# Confidence of an origin elected only because nothing says the page is a copy.
SELF_ORIGIN_CONFIDENCE = 0.4

# The input of a model's validator: field name -> value (nested models as such dicts).
Fields = dict[str, Any]

AnyEvent = s.ArticlePublished | s.ArticleSyndicated | s.ArticleUpdated

_M = TypeVar("_M", bound=BaseModel)

# Outlets recur from entry to entry; a validated publisher is frozen, so one instance can
# stand in every event that names it. The parent's validator takes a model instance as it
# is (``revalidate_instances`` is "never"), so a cached one is not checked again.
PUBLISHER_CACHE_SIZE = 4096


@dataclass(frozen=True, slots=True)
class Context:
    """One processed page, as the events describe it."""

    page: Page
    text: str  # normalised text, provenance notices removed
    text_hash: str
    url: str  # the page's URL as fetched (final, after redirects)
    publisher: PublisherRef  # who serves the page (name as it writes it, its domain)
    provenance: Provenance
    entry: FeedEntry | None
    fetched_at: datetime
    worker: str


def build_events(decision: Decision, ctx: Context) -> list[AnyEvent]:
    match decision.action:
        case Action.PUBLISH:
            return [_published(decision, ctx, _self_origin(ctx))]
        case Action.PUBLISH_FROM_COPY:
            origin = _claimed_origin(ctx)
            return [_published(decision, ctx, origin), _syndicated(decision, ctx, origin)]
        case Action.SYNDICATE:
            return [_syndicated(decision, ctx, _story_origin(decision, ctx))]
        case Action.ORIGIN_CHANGED:
            origin = _claimed_origin(ctx)
            return [
                _syndicated(decision, ctx, origin),
                _updated(decision, ctx, origin, "origin_changed"),
            ]
        case Action.ORIGIN_ARRIVED:
            origin = _self_origin(ctx, arrived=True)
            updated = _updated(decision, ctx, origin, "origin_arrived")
            displaced = _displaced(decision, ctx, origin)
            return [updated] if displaced is None else [updated, displaced]
        case Action.CONTENT_CHANGED:
            return [_updated(decision, ctx, _self_origin(ctx), "content_changed")]
        case Action.SKIP:
            return []


def _published(decision: Decision, ctx: Context, prov: Fields) -> s.ArticlePublished:
    return _validated(
        s.ArticlePublished,
        {
            "event_id": _event_id("article.published", decision.article_id),
            "article_id": decision.article_id,
            "occurred_at": ctx.fetched_at,
            "source": _source(ctx),
            "article": _article(ctx, prov["origin"]),
            "provenance": prov,
        },
    )


def _syndicated(decision: Decision, ctx: Context, prov: Fields) -> s.ArticleSyndicated:
    match = decision.match
    similarity = match.similarity if match is not None and match.how == "near" else None
    evidence = list(prov["evidence"])
    if match is not None and match.how in ("text", "near"):
        evidence.append(_content_evidence(match))
    return _validated(
        s.ArticleSyndicated,
        {
            "event_id": _event_id("article.syndicated", decision.article_id, ctx.url),
            "article_id": decision.article_id,
            "occurred_at": ctx.fetched_at,
            "source": _source(ctx),
            "copy": {
                "url": ctx.url,
                "title": ctx.page.title,
                "publisher": _publisher(ctx.publisher),
                "published_at": ctx.page.published_at,
                "similarity": similarity,
            },
            "provenance": {"origin": prov["origin"], "evidence": evidence, "cited_sources": []},
        },
    )


def _updated(
    decision: Decision, ctx: Context, prov: Fields, reason: UpdateReason
) -> s.ArticleUpdated:
    return _validated(
        s.ArticleUpdated,
        {
            "event_id": _event_id(
                "article.updated", decision.article_id, ctx.url, ctx.text_hash, reason
            ),
            "article_id": decision.article_id,
            "occurred_at": ctx.fetched_at,
            "source": _source(ctx),
            "article": _article(ctx, prov["origin"]),
            "provenance": prov,
            "reason": reason,
        },
    )


def _article(ctx: Context, origin: Fields) -> Fields:
    page = ctx.page
    return {
        "url": origin["url"] or ctx.url,
        "canonical_url": page.canonical_url,
        "title": page.title,
        "summary": page.description or (ctx.entry.summary if ctx.entry else None),
        "text": ctx.text,
        "authors": page.authors,  # a tuple: the validator makes the list
        "language": page.language,
        "published_at": page.published_at,
        "updated_at": page.updated_at,
        "publisher": origin["publisher"],
        "image": page.image,
        "text_hash": ctx.text_hash,
        "word_count": len(ctx.text.split()),
    }


def _self_origin(ctx: Context, *, arrived: bool = False) -> Fields:
    """The page is the origin: nothing says otherwise (or earlier copies named it)."""
    return {
        "origin": {
            "publisher": _publisher(ctx.publisher),
            "url": ctx.page.canonical_url or ctx.url,
            "confidence": 0.9 if arrived else SELF_ORIGIN_CONFIDENCE,
        },
        "evidence": _evidence(ctx.provenance),
        "cited_sources": _cited(ctx.provenance),
    }


def _claimed_origin(ctx: Context) -> Fields:
    claim = ctx.provenance.origin
    assert claim is not None, "a copy's events need its origin claim"
    return {
        "origin": {
            "publisher": _publisher(claim.publisher),
            "url": claim.url,
            "confidence": claim.confidence,
        },
        "evidence": _evidence(ctx.provenance),
        "cited_sources": _cited(ctx.provenance),
    }


def _story_origin(decision: Decision, ctx: Context) -> Fields:
    """The story's origin, with the evidence the copy itself showed (its footer, credit...)."""
    assert decision.match is not None, "a syndication joins a known story"
    story: StoryRef = decision.match.story
    return {
        "origin": {
            "publisher": _publisher_of(story.origin_name, story.origin_domain),
            "url": story.origin_url,
            "confidence": story.origin_confidence,
        },
        "evidence": _evidence(ctx.provenance),
        "cited_sources": [],
    }


def _displaced(decision: Decision, ctx: Context, origin: Fields) -> s.ArticleSyndicated | None:
    """The page that held the story's origin until an earlier original arrived is, from now
    on, one of its copies: every page of a story but its origin is linked as a copy."""
    match = decision.match
    if match is None:
        return None
    story = match.story
    if not story.origin_seen or not story.origin_url:
        return None
    if same_outlet(story.origin_domain, ctx.publisher.domain):
        return None
    later = f"; published later than {ctx.publisher.name or ctx.publisher.domain}"
    return _validated(
        s.ArticleSyndicated,
        {
            "event_id": _event_id("article.syndicated", decision.article_id, story.origin_url),
            "article_id": decision.article_id,
            "occurred_at": ctx.fetched_at,
            "source": _source(ctx),
            "copy": {
                "url": story.origin_url,
                "publisher": _publisher_of(story.origin_name, story.origin_domain),
                "published_at": story.published_at,
                "similarity": match.similarity,
            },
            "provenance": {
                "origin": origin["origin"],
                "evidence": [_content_evidence(match, later)],
                "cited_sources": [],
            },
        },
    )


def _content_evidence(match: Match, note: str = "") -> Fields:
    return {
        "signal": "content_match",
        "detail": f"{match.how} match, similarity {match.similarity:.2f}{note}",
        "weight": round(match.similarity, 3),
    }


def _evidence(prov: Provenance) -> list[Fields]:
    return [
        {"signal": e.signal, "detail": e.detail, "weight": e.weight, "language": e.language}
        for e in prov.evidence
    ]


def _cited(prov: Provenance) -> list[Fields]:
    return [
        {"name": c.name, "domain": c.domain, "how": c.how, "sentence": c.sentence}
        for c in prov.cited_sources
    ]


def _publisher(ref: PublisherRef) -> s.Publisher:
    return _publisher_of(ref.name, ref.domain)


@lru_cache(maxsize=PUBLISHER_CACHE_SIZE)
def _publisher_of(name: str | None, domain: str | None) -> s.Publisher:
    return _validated(s.Publisher, {"name": name, "domain": domain})


def _source(ctx: Context) -> Fields:
    entry = ctx.entry
    return {
        "feed_url": entry.feed_url if entry else None,
        "entry_id": entry.entry_id if entry else None,
        "entry_url": entry.link if entry else None,
        "fetched_at": ctx.fetched_at,
        "worker": ctx.worker,
    }


def _event_id(*parts: str) -> str:
    return "evt_" + hashlib.blake2b("|".join(parts).encode(), digest_size=16).hexdigest()


def _validated(model: type[_M], fields: Fields) -> _M:
    """``model.model_validate(fields)``, minus its Python-level argument handling: the same
    validator, called with the same (default) options."""
    instance: _M = model.__pydantic_validator__.validate_python(fields)
    return instance


def to_json(event: AnyEvent) -> str:
    """The stream's wire form: field names as the schema spells them (``schema``, ``copy``).

    What ``event.model_dump_json(by_alias=True)`` returns, by the same serialiser with the
    same (default) options, without that method's Python-level argument handling.
    """
    return event.__pydantic_serializer__.to_json(event, by_alias=True).decode()
