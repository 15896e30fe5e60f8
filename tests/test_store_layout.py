"""The story record each decision leaves (pure), and its encoding."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from tests.sightings import sighting, text, trimmed
from workers.dedupe import Action, Decision
from workers.model import PublisherRef
from workers.store_layout import (
    StoredStory,
    band_inserts,
    decode_story,
    encode_story,
    plan,
    story_after,
)

NV = PublisherRef("The New Voice of Ukraine", "english.nv.ua")
ORIGIN = "http://english.nv.ua/nation/returned-50306331.html"
COPY = sighting(
    "http://hub.example/a",
    trimmed(text("ecb_rates")),
    origin=NV,
    origin_url=ORIGIN,
    confidence=0.9,
    agency=False,
)
PAGE = sighting(ORIGIN, text("ecb_rates"), publisher="NV")


def _first(action: Action) -> StoredStory:
    story = story_after(COPY, Decision(action, "art_1"), None)
    assert story is not None
    return story


def test_a_story_first_seen_as_a_copy_records_the_claimed_origin() -> None:
    story = _first(Action.PUBLISH_FROM_COPY)
    ref = story.ref
    assert (ref.origin_name, ref.origin_domain, ref.origin_url) == (
        NV.name,
        NV.domain,
        COPY.origin_url,
    )
    assert (ref.origin_seen, ref.origin_confidence, story.version) == (False, 0.9, 1)
    assert story.sketch == COPY.fingerprint.sketch


def test_a_published_page_is_its_own_origin() -> None:
    story = story_after(PAGE, Decision(Action.PUBLISH, "art_1"), None)
    assert story is not None
    assert (story.ref.origin_url, story.ref.origin_seen, story.ref.origin_name) == (
        PAGE.url,
        True,
        "NV",
    )


def test_an_agencys_own_page_is_recorded_as_an_agency_origin() -> None:
    agency_page = replace(PAGE, is_agency=True)
    story = story_after(agency_page, Decision(Action.PUBLISH, "art_1"), None)
    assert story is not None
    assert story.ref.is_agency
    copy = story_after(COPY, Decision(Action.PUBLISH_FROM_COPY, "art_1"), None)
    assert copy is not None
    assert copy.ref.is_agency is COPY.origin_is_agency  # a copy records what it claims
    arrived = story_after(agency_page, Decision(Action.ORIGIN_ARRIVED, "art_1"), copy)
    assert arrived is not None
    assert arrived.ref.is_agency


def test_the_origin_arriving_takes_over_url_text_and_sketch() -> None:
    prior = _first(Action.PUBLISH_FROM_COPY)
    story = story_after(PAGE, Decision(Action.ORIGIN_ARRIVED, "art_1"), prior)
    assert story is not None
    ref = story.ref
    assert (ref.origin_url, ref.origin_seen, ref.origin_domain) == (PAGE.url, True, "english.nv.ua")
    assert (ref.text_hash, story.sketch) == (PAGE.fingerprint.text_hash, PAGE.fingerprint.sketch)
    assert (ref.origin_confidence, story.version) == (0.9, 2)


def test_a_changed_origin_text_replaces_only_the_text() -> None:
    prior = story_after(PAGE, Decision(Action.PUBLISH, "art_1"), None)
    assert prior is not None
    edited = sighting(
        ORIGIN, text("ecb_rates") + "\n\nThis story has been updated with more detail."
    )
    story = story_after(edited, Decision(Action.CONTENT_CHANGED, "art_1"), prior)
    assert story is not None
    assert story.ref == replace(prior.ref, text_hash=edited.fingerprint.text_hash)


def test_an_explicit_claim_replaces_a_weak_origin_but_not_the_text() -> None:
    weak = story_after(PAGE, Decision(Action.PUBLISH, "art_1"), None)
    assert weak is not None
    story = story_after(COPY, Decision(Action.ORIGIN_CHANGED, "art_1"), weak)
    assert story is not None
    assert (story.ref.origin_url, story.ref.origin_seen, story.ref.origin_confidence) == (
        COPY.origin_url,
        False,
        0.9,
    )
    assert story.ref.text_hash == weak.ref.text_hash
    assert story.sketch == weak.sketch


@pytest.mark.parametrize("action", [Action.SYNDICATE, Action.SKIP], ids=["syndicate", "skip"])
def test_copies_and_skips_leave_the_record(action: Action) -> None:
    prior = story_after(PAGE, Decision(Action.PUBLISH, "art_1"), None)
    assert story_after(COPY, Decision(action, "art_1"), prior) is None
    assert band_inserts(COPY, action, prior) == []


def test_a_much_longer_copy_becomes_the_text_the_story_is_matched_by() -> None:
    prior = _first(Action.PUBLISH_FROM_COPY)  # a trimmed copy came first
    story = story_after(PAGE, Decision(Action.SYNDICATE, "art_1"), prior)
    assert story is not None
    assert story.ref == prior.ref  # the published text (and its hash) stay
    assert (story.sketch, story.shingles) == (PAGE.fingerprint.sketch, PAGE.fingerprint.shingles)
    assert story.version == prior.version + 1
    assert band_inserts(PAGE, Action.SYNDICATE, prior) == list(plan(PAGE).bands)


def test_the_record_survives_its_encoding() -> None:
    story = _first(Action.PUBLISH_FROM_COPY)
    odd = replace(
        story,
        ref=replace(
            story.ref, origin_name="A\x1fB | C", published_at=datetime(2024, 1, 2, tzinfo=UTC)
        ),
        version=41,
    )
    back = decode_story(encode_story(odd))
    assert back == replace(odd, ref=replace(odd.ref, origin_name="A B | C"))
    none = replace(
        story, ref=replace(story.ref, origin_name=None, origin_url=None, published_at=None)
    )
    assert decode_story(encode_story(none)) == none
    assert decode_story(encode_story(story)).ref.published_at == story.ref.published_at
    assert story.ref.published_at is not None
    assert story.ref.published_at - datetime(2024, 11, 5, tzinfo=UTC) == timedelta(hours=12)
