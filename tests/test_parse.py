"""Feed parsing on realistic feeds: RSS 2.0, Atom, RSS 1.0, a sloppy feed, a non-feed."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.conftest import DATA
from workers.errors import FeedParseError
from workers.model import EntrySource
from workers.parse import parse_feed

FEEDS = DATA / "feeds"


def parse(name: str):  # type: ignore[no-untyped-def]
    return parse_feed((FEEDS / name).read_bytes(), url=f"http://feeds.example/{name}")


def test_rss2_entries_carry_content_authors_times_and_sources() -> None:
    feed = parse("rss2-content.xml")
    assert feed.title == "Kyiv Independent Daily & More"
    assert feed.language == "en"
    assert len(feed.entries) == 2  # the item with neither link nor GUID is dropped
    first, wire = feed.entries
    assert first.title == "Rada passes budget for <2024>"
    assert first.summary == "The parliament approved the budget on Thursday."
    assert first.content_html is not None
    assert "Defence takes half" in first.content_html
    assert first.authors == ("Olena Hrytsenko",)
    assert first.published_at == datetime(2023, 11, 9, 12, 30, tzinfo=UTC)
    assert first.image == "https://kyiv.example/img/rada.jpg"
    assert first.guid_is_permalink
    assert not wire.guid_is_permalink
    assert wire.entry_id == "kyiv-88213"
    assert wire.sources == (
        EntrySource("rss_source", "The Associated Press", "https://apnews.example/rss"),
        EntrySource("dc_source", None, "https://apnews.example/article/grain-corridor-88213"),
    )
    assert wire.feed_title == feed.title


def test_atom_entry_with_source_and_opaque_id() -> None:
    (entry,) = parse("atom-source.xml").entries
    assert entry.entry_id == "tag:tagesblatt.example,2023:artikel-4711"
    assert not entry.guid_is_permalink  # a tag: URI is no URL
    assert entry.language == "de"
    assert entry.authors == ("Anna Schmidt", "dpa")
    assert entry.published_at == datetime(2023, 11, 9, 10, 15, tzinfo=UTC)
    assert entry.updated_at == datetime(2023, 11, 9, 11, 0, tzinfo=UTC)
    assert entry.sources == (EntrySource("atom_source", "dpa Nachrichten", "https://dpa.example/"),)


def test_rss1_falls_back_to_dc_date() -> None:
    (entry,) = parse("rss1-rdf.xml").entries
    assert entry.published_at == datetime(2023, 11, 9, 8, 0, tzinfo=UTC)
    assert entry.language == "pl"
    assert entry.authors == ("Jan Kowalski",)


def test_sloppy_feed_keeps_its_entries_with_a_warning() -> None:
    feed = parse("bozo-but-usable.xml")
    assert [e.link for e in feed.entries] == [
        "https://sloppy.example/a1",
        "https://sloppy.example/a2",
    ]
    assert feed.warning
    assert feed.entries[0].published_at is None


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"<html><body>Moved</body></html>",
        (FEEDS / "not-a-feed.html").read_bytes(),
        b"\x00\xff\xfe",
    ],
    ids=["empty", "html-snippet", "html-page", "binary"],
)
def test_non_feeds_raise_a_clear_error(body: bytes) -> None:
    with pytest.raises(FeedParseError, match="not a feed"):
        parse_feed(body, url="http://feeds.example/x")
