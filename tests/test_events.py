"""The events of a decision: one validation per event, by the contract's own models.

build_events hands each event to its model's validator as plain data, once, instead of
constructing every nested model on its own. These checks pin what that must not change:
the wire form of every decision kind, and that invalid data still never reaches the wire.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

import schemas as s
from schemas import event_adapter
from workers.dedupe import Action, Decision, Match, StoryRef
from workers.events import SELF_ORIGIN_CONFIDENCE, Context, build_events, to_json
from workers.model import (
    CitedSource,
    Evidence,
    FeedEntry,
    OriginClaim,
    Page,
    PageSignals,
    Provenance,
    PublisherRef,
)

T0 = datetime(2025, 11, 25, 12, 0, tzinfo=UTC)
TEXT = "The first paragraph has six words.\n\nThe second: Київ, 2025."
HUB = PublisherRef("News Hub", "newshub.example")
NV = PublisherRef("New Voice of Ukraine", "english.nv.ua")

PAGE = Page(
    url="https://newshub.example/a/1",
    title="A story",
    text=TEXT,
    paragraphs=tuple(TEXT.split("\n\n")),
    authors=("Ann Author", "Bo Byline"),
    published_at=T0,
    updated_at=None,
    language="en",
    publisher=HUB,
    canonical_url=None,
    image="https://newshub.example/a/1.jpg",
    description=None,
    signals=PageSignals(),
)
ENTRY = FeedEntry(
    feed_url="https://newshub.example/feed",
    entry_id="guid-1",
    guid_is_permalink=False,
    link="https://newshub.example/a/1?utm_source=rss",
    title="A story",
    summary="The feed's summary.",
    content_html=None,
    authors=(),
    published_at=T0,
    updated_at=None,
    language="en",
    image=None,
)
PROVENANCE = Provenance(
    origin=OriginClaim(NV, "https://english.nv.ua/a/1", 0.85),
    evidence=(Evidence("footer", "Read the original on NV", 0.85, NV, language="en"),),
    cited_sources=(CitedSource("Reuters", "reuters.com", "reported", "Reuters reported it."),),
)
CTX = Context(
    page=PAGE,
    text=TEXT,
    text_hash="ab" * 16,
    url="https://newshub.example/a/1",
    publisher=HUB,
    provenance=PROVENANCE,
    entry=ENTRY,
    fetched_at=T0,
    worker="test",
)
STORY = StoryRef(
    "art_1", "english.nv.ua", "NV", "https://english.nv.ua/a/1", True, 0.9, False, T0, "cd" * 16
)

DECISIONS = [
    Decision(Action.PUBLISH, "art_1"),
    Decision(Action.PUBLISH_FROM_COPY, "art_1"),
    Decision(Action.SYNDICATE, "art_1", Match(STORY, "text", 1.0)),
    Decision(Action.ORIGIN_CHANGED, "art_1", Match(STORY, "near", 0.8)),
    Decision(Action.ORIGIN_ARRIVED, "art_1", Match(STORY, "near", 0.7)),
    Decision(Action.CONTENT_CHANGED, "art_1", Match(STORY, "url", 1.0)),
]


@pytest.mark.parametrize("decision", DECISIONS, ids=lambda d: d.action.value)
def test_every_event_is_its_models_wire_form_and_honours_the_contract(
    decision: Decision,
) -> None:
    events = build_events(decision, CTX)
    assert events
    for event in events:
        wire = to_json(event)
        assert wire == event.model_dump_json(by_alias=True)
        again = event_adapter().validate_json(wire)
        assert again == event
        assert to_json(again) == wire


def test_a_published_event_is_what_its_nested_models_state() -> None:
    """The wire form of the event built model by model, as it was before one-pass
    validation: same fields, same order, same values."""
    publisher = s.Publisher(name=HUB.name, domain=HUB.domain)
    expected = s.ArticlePublished(
        event_id=build_events(DECISIONS[0], CTX)[0].event_id,
        article_id="art_1",
        occurred_at=T0,
        source=s.Source(
            feed_url=ENTRY.feed_url,
            entry_id=ENTRY.entry_id,
            entry_url=ENTRY.link,
            fetched_at=T0,
            worker="test",
        ),
        article=s.Article(
            url=CTX.url,
            canonical_url=None,
            title="A story",
            summary="The feed's summary.",
            text=TEXT,
            authors=["Ann Author", "Bo Byline"],
            language="en",
            published_at=T0,
            updated_at=None,
            publisher=publisher,
            image=PAGE.image,
            text_hash=CTX.text_hash,
            word_count=10,
        ),
        provenance=s.Provenance(
            origin=s.Origin(publisher=publisher, url=CTX.url, confidence=SELF_ORIGIN_CONFIDENCE),
            evidence=[
                s.Evidence(
                    signal="footer", detail="Read the original on NV", weight=0.85, language="en"
                )
            ],
            cited_sources=[
                s.CitedSource(
                    name="Reuters",
                    domain="reuters.com",
                    how="reported",
                    sentence="Reuters reported it.",
                )
            ],
        ),
    )
    (event,) = build_events(DECISIONS[0], CTX)
    assert to_json(event) == expected.model_dump_json(by_alias=True)


def test_a_copys_events_state_why_it_is_a_copy() -> None:
    published, syndicated = build_events(DECISIONS[1], CTX)
    assert isinstance(published, s.ArticlePublished)
    assert isinstance(syndicated, s.ArticleSyndicated)
    assert published.provenance.origin.publisher.domain == "english.nv.ua"
    assert len(published.provenance.cited_sources) == 1
    assert syndicated.provenance.cited_sources == []
    assert syndicated.copy_.publisher.domain == "newshub.example"
    assert '"copy":{' in to_json(syndicated)
    assert '"schema":"newsingest.article/1"' in to_json(syndicated)


def test_an_outlets_publisher_is_validated_once_and_shared() -> None:
    (first,) = build_events(DECISIONS[0], CTX)
    (second,) = build_events(
        Decision(Action.PUBLISH, "art_2"), replace(CTX, url="https://x.example/")
    )
    assert isinstance(first, s.ArticlePublished)
    assert isinstance(second, s.ArticlePublished)
    assert first.article.publisher is second.article.publisher
    with pytest.raises(ValidationError):
        first.article.publisher.name = "changed"  # type: ignore[misc]  # frozen: safe to share


@pytest.mark.parametrize(
    ("decision", "ctx"),
    [
        (DECISIONS[0], replace(CTX, fetched_at=datetime(2025, 11, 25, 12, 0))),  # naive time
        (DECISIONS[0], replace(CTX, page=replace(PAGE, published_at=datetime(2025, 1, 1)))),
        (
            DECISIONS[0],
            replace(
                CTX,
                provenance=replace(
                    PROVENANCE, evidence=(Evidence("footer", "x", 1.5, NV),)
                ),  # weight above 1
            ),
        ),
        (
            DECISIONS[1],
            replace(
                CTX, provenance=replace(PROVENANCE, origin=OriginClaim(NV, "https://nv/", 2.0))
            ),
        ),
        (Decision(Action.ORIGIN_CHANGED, "art_1", Match(STORY, "near", 1.5)), CTX),
    ],
    ids=["naive-fetched-at", "naive-published-at", "evidence-weight", "confidence", "similarity"],
)
def test_invalid_data_never_reaches_the_wire(decision: Decision, ctx: Context) -> None:
    with pytest.raises(ValidationError):
        build_events(decision, ctx)
