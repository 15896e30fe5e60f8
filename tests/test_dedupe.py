"""The dedup decision, as a table of named cases (pure: no Redis)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from workers.dedupe import (
    Action,
    Lookup,
    Match,
    Sighting,
    StoryRef,
    article_id_for,
    article_id_for_copy,
    decide,
    same_outlet,
)
from workers.fingerprint import fingerprint
from workers.model import PublisherRef

T0 = datetime(2023, 2, 25, 8, 0, tzinfo=UTC)
TEXT = " ".join(f"word{i}" for i in range(300))

ORIGIN_PAGE = Sighting(
    url="https://english.nv.ua/nation/story-1.html",
    urls=("https://english.nv.ua/nation/story-1.html",),
    guid=None,
    publisher=PublisherRef("The New Voice of Ukraine", "english.nv.ua"),
    published_at=T0,
    fingerprint=fingerprint(TEXT),
    origin=None,
    origin_url=None,
    origin_confidence=0.0,
    origin_is_agency=False,
)
COPY = replace(
    ORIGIN_PAGE,
    url="https://newshub.example/news/story-1.html",
    urls=("https://newshub.example/news/story-1.html",),
    publisher=PublisherRef("NewsHub", "newshub.example"),
    published_at=T0 + timedelta(minutes=14),
    origin=PublisherRef("The New Voice of Ukraine", "english.nv.ua"),
    origin_confidence=0.95,
)


def story(**kw: object) -> StoryRef:
    base = {
        "article_id": "art_1",
        "origin_domain": "english.nv.ua",
        "origin_name": "The New Voice of Ukraine",
        "origin_url": None,
        "origin_seen": True,
        "origin_confidence": 0.4,
        "is_agency": False,
        "published_at": T0,
        "text_hash": ORIGIN_PAGE.fingerprint.text_hash,
    }
    return StoryRef(**{**base, **kw})  # type: ignore[arg-type]


CASES = [
    ("new-original", ORIGIN_PAGE, Lookup(), Action.PUBLISH),
    ("new-copy", COPY, Lookup(), Action.PUBLISH_FROM_COPY),
    ("page-seen-again", ORIGIN_PAGE, Lookup(own=Match(story(), "url")), Action.SKIP),
    (
        "origin-page-text-changed",
        replace(ORIGIN_PAGE, fingerprint=fingerprint(TEXT + " correction appended")),
        Lookup(own=Match(story(), "url")),
        Action.CONTENT_CHANGED,
    ),
    ("copy-of-known-story", COPY, Lookup(content=Match(story(), "near", 0.9)), Action.SYNDICATE),
    (
        "origin-arrives-after-copy-by-content",
        ORIGIN_PAGE,
        Lookup(content=Match(story(origin_seen=False, origin_confidence=0.95), "text")),
        Action.ORIGIN_ARRIVED,
    ),
    (
        "origin-arrives-named-by-url",
        ORIGIN_PAGE,
        Lookup(named=Match(story(origin_seen=False), "named")),
        Action.ORIGIN_ARRIVED,
    ),
    (
        "unmarked-copy-of-original-published-later",
        replace(COPY, origin=None, origin_confidence=0.0),
        Lookup(content=Match(story(), "near", 0.8)),
        Action.SYNDICATE,
    ),
    (
        "earlier-original-displaces-weak-origin",
        replace(ORIGIN_PAGE, published_at=T0 - timedelta(hours=3)),
        Lookup(
            content=Match(
                story(origin_domain="newshub.example", origin_name="NewsHub"), "near", 0.9
            )
        ),
        Action.ORIGIN_ARRIVED,
    ),
    (
        "agency-origin-is-never-displaced-by-date",
        replace(ORIGIN_PAGE, published_at=T0 - timedelta(hours=3)),
        Lookup(content=Match(story(origin_domain="apnews.com", is_agency=True), "near", 0.9)),
        Action.SYNDICATE,
    ),
    (
        "agency-page-displaces-earlier-uncredited-reprint",
        replace(
            ORIGIN_PAGE,
            publisher=PublisherRef("AP News", "apnews.com"),
            is_agency=True,
            published_at=T0 + timedelta(hours=2),
        ),
        Lookup(
            content=Match(
                story(origin_domain="courier.example", origin_name="Courier"), "near", 0.8
            )
        ),
        Action.ORIGIN_ARRIVED,
    ),
    (
        "near-tie-in-time-keeps-the-elected-origin",
        replace(
            ORIGIN_PAGE,
            publisher=PublisherRef("Courier", "courier.example"),
            published_at=T0 - timedelta(minutes=5),
        ),
        Lookup(content=Match(story(), "near", 0.9)),
        Action.SYNDICATE,
    ),
    (
        "explicit-claim-beats-weakly-elected-origin",
        replace(
            COPY, origin=PublisherRef("The Associated Press", "apnews.com"), origin_is_agency=True
        ),
        Lookup(
            content=Match(
                story(origin_domain="courier.example", origin_name="Courier"), "near", 0.8
            )
        ),
        Action.ORIGIN_CHANGED,
    ),
    (
        "explicit-claim-agrees-with-origin",
        COPY,
        Lookup(content=Match(story(origin_confidence=0.95), "near", 0.8)),
        Action.SYNDICATE,
    ),
]


@pytest.mark.parametrize(
    ("sighting", "lookup", "action"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_decide(sighting: Sighting, lookup: Lookup, action: Action) -> None:
    decision = decide(sighting, lookup)
    assert decision.action is action
    match = lookup.own or lookup.named or lookup.origin or lookup.content
    if match is not None:
        assert decision.article_id == match.story.article_id  # a story keeps its id for ever


def test_article_ids_are_derived_from_the_origin() -> None:
    assert decide(ORIGIN_PAGE, Lookup()).article_id == article_id_for(ORIGIN_PAGE.url)
    copy_with_url = replace(COPY, origin_url=ORIGIN_PAGE.url)
    # a copy that names the origin's URL gets the id the origin itself would have had
    assert article_id_for_copy(copy_with_url) == article_id_for(ORIGIN_PAGE.url)
    assert article_id_for_copy(COPY) != article_id_for_copy(
        replace(COPY, origin=PublisherRef("AP", "apnews.com"))
    )


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("english.nv.ua", "nv.ua", True),
        ("nv.ua", "nv.ua", True),
        ("nv.ua", "env.ua", False),
        (None, "nv.ua", False),
    ],
    ids=["subdomain", "equal", "suffix-not-label", "unknown"],
)
def test_same_outlet(a: str | None, b: str | None, same: bool) -> None:
    assert same_outlet(a, b) is same
