"""Build the stream events for a dedup decision. Pure: data in, validated events out.

Event ids are deterministic (a digest of what the event states), so a consumer that sees
the same fact twice, from a replay or a retried delivery, can tell.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

import schemas as s
from schemas.events import UpdateReason
from workers.dedupe import Action, Decision, Match, StoryRef, same_outlet
from workers.model import FeedEntry, Page, Provenance, PublisherRef

# Confidence of an origin elected only because nothing says the page is a copy.
SELF_ORIGIN_CONFIDENCE = 0.4


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


def build_events(
    decision: Decision, ctx: Context
) -> list[s.ArticlePublished | s.ArticleSyndicated | s.ArticleUpdated]:
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


def _published(decision: Decision, ctx: Context, prov: s.Provenance) -> s.ArticlePublished:
    article = _article(ctx, prov.origin)
    return s.ArticlePublished(
        event_id=_event_id("article.published", decision.article_id),
        article_id=decision.article_id,
        occurred_at=ctx.fetched_at,
        source=_source(ctx),
        article=article,
        provenance=prov,
    )


def _syndicated(decision: Decision, ctx: Context, prov: s.Provenance) -> s.ArticleSyndicated:
    similarity = (
        decision.match.similarity if decision.match and decision.match.how == "near" else None
    )
    copy = s.Copy(
        url=ctx.url,
        title=ctx.page.title,
        publisher=_publisher(ctx.publisher),
        published_at=ctx.page.published_at,
        similarity=similarity,
    )
    evidence = list(prov.evidence)
    if decision.match is not None and decision.match.how in ("text", "near"):
        evidence.append(_content_evidence(decision.match))
    return s.ArticleSyndicated(
        event_id=_event_id("article.syndicated", decision.article_id, ctx.url),
        article_id=decision.article_id,
        occurred_at=ctx.fetched_at,
        source=_source(ctx),
        copy_=copy,
        provenance=prov.model_copy(update={"evidence": evidence, "cited_sources": []}),
    )


def _updated(
    decision: Decision, ctx: Context, prov: s.Provenance, reason: UpdateReason
) -> s.ArticleUpdated:
    return s.ArticleUpdated(
        event_id=_event_id("article.updated", decision.article_id, ctx.url, ctx.text_hash, reason),
        article_id=decision.article_id,
        occurred_at=ctx.fetched_at,
        source=_source(ctx),
        article=_article(ctx, prov.origin),
        provenance=prov,
        reason=reason,
    )


def _article(ctx: Context, origin: s.Origin) -> s.Article:
    page = ctx.page
    return s.Article(
        url=origin.url or ctx.url,
        canonical_url=page.canonical_url,
        title=page.title,
        summary=page.description or (ctx.entry.summary if ctx.entry else None),
        text=ctx.text,
        authors=list(page.authors),
        language=page.language,
        published_at=page.published_at,
        updated_at=page.updated_at,
        publisher=origin.publisher,
        image=page.image,
        text_hash=ctx.text_hash,
        word_count=len(ctx.text.split()),
    )


def _self_origin(ctx: Context, *, arrived: bool = False) -> s.Provenance:
    """The page is the origin: nothing says otherwise (or earlier copies named it)."""
    confidence = 0.9 if arrived else SELF_ORIGIN_CONFIDENCE
    return s.Provenance(
        origin=s.Origin(
            publisher=_publisher(ctx.publisher),
            url=ctx.page.canonical_url or ctx.url,
            confidence=confidence,
        ),
        evidence=_evidence(ctx.provenance),
        cited_sources=_cited(ctx.provenance),
    )


def _claimed_origin(ctx: Context) -> s.Provenance:
    claim = ctx.provenance.origin
    assert claim is not None, "a copy's events need its origin claim"
    return s.Provenance(
        origin=s.Origin(
            publisher=_publisher(claim.publisher), url=claim.url, confidence=claim.confidence
        ),
        evidence=_evidence(ctx.provenance),
        cited_sources=_cited(ctx.provenance),
    )


def _story_origin(decision: Decision, ctx: Context) -> s.Provenance:
    """The story's origin, with the evidence the copy itself showed (its footer, credit...)."""
    assert decision.match is not None, "a syndication joins a known story"
    story: StoryRef = decision.match.story
    return s.Provenance(
        origin=s.Origin(
            publisher=s.Publisher(name=story.origin_name, domain=story.origin_domain),
            url=story.origin_url,
            confidence=story.origin_confidence,
        ),
        evidence=_evidence(ctx.provenance),
    )


def _displaced(
    decision: Decision, ctx: Context, origin: s.Provenance
) -> s.ArticleSyndicated | None:
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
    evidence = _content_evidence(match, later)
    return s.ArticleSyndicated(
        event_id=_event_id("article.syndicated", decision.article_id, story.origin_url),
        article_id=decision.article_id,
        occurred_at=ctx.fetched_at,
        source=_source(ctx),
        copy_=s.Copy(
            url=story.origin_url,
            publisher=s.Publisher(name=story.origin_name, domain=story.origin_domain),
            published_at=story.published_at,
            similarity=match.similarity,
        ),
        provenance=origin.model_copy(update={"evidence": [evidence], "cited_sources": []}),
    )


def _content_evidence(match: Match, note: str = "") -> s.Evidence:
    return s.Evidence(
        signal="content_match",
        detail=f"{match.how} match, similarity {match.similarity:.2f}{note}",
        weight=round(match.similarity, 3),
    )


def _evidence(prov: Provenance) -> list[s.Evidence]:
    return [
        s.Evidence(signal=e.signal, detail=e.detail, weight=e.weight, language=e.language)
        for e in prov.evidence
    ]


def _cited(prov: Provenance) -> list[s.CitedSource]:
    return [
        s.CitedSource(name=c.name, domain=c.domain, how=c.how, sentence=c.sentence)
        for c in prov.cited_sources
    ]


def _publisher(ref: PublisherRef) -> s.Publisher:
    return s.Publisher(name=ref.name, domain=ref.domain)


def _source(ctx: Context) -> s.Source:
    entry = ctx.entry
    return s.Source(
        feed_url=entry.feed_url if entry else None,
        entry_id=entry.entry_id if entry else None,
        entry_url=entry.link if entry else None,
        fetched_at=ctx.fetched_at,
        worker=ctx.worker,
    )


def _event_id(*parts: str) -> str:
    return "evt_" + hashlib.blake2b("|".join(parts).encode(), digest_size=16).hexdigest()


def to_json(event: s.ArticlePublished | s.ArticleSyndicated | s.ArticleUpdated) -> str:
    """The stream's wire form: field names as the schema spells them (``schema``, ``copy``)."""
    return event.model_dump_json(by_alias=True)
