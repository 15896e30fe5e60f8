"""The lxml fast path gives exactly feedparser's ParsedFeed, and falls back when unsure.

Differential: every feed document in the repository, the demo world's feeds, a few hundred
benchmark feeds and hand-written edge cases are parsed by both paths
(``parse_feed_feedparser`` is the feedparser path alone) and must compare equal, field for
field. A seeded mutation pass reorders, duplicates and drops entry children to reach the
order-dependent rules (first title, last alternate link, second summary, guid vs link).
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from feedparser.datetimes import _parse_date

from bench.render_feed import render_feed
from bench.world import World
from service.demo import build_world
from tests.conftest import DATA
from workers import feedxml
from workers.errors import FeedParseError
from workers.model import ParsedFeed
from workers.parse import FALLBACKS, _time, parse_feed, parse_feed_feedparser

URL = "http://feeds.example/section/feed.xml"
EDGE = DATA / "feeds" / "edge"
CONTENT_TYPES = (
    "application/rss+xml",
    None,
    "text/xml",
    "text/html; charset=utf-8",
    "application/xml; charset=iso-8859-1",
)


def _repo_feeds() -> list[Path]:
    return sorted(p for p in DATA.rglob("*.xml"))


def _both(body: bytes, content_type: str | None) -> tuple[object, object]:
    def run(fn: Callable[..., ParsedFeed]) -> object:
        try:
            return fn(body, url=URL, content_type=content_type)
        except FeedParseError as e:
            return f"FeedParseError: {e}"

    return run(parse_feed_feedparser), run(parse_feed)


def _fast(body: bytes, content_type: str | None = "application/rss+xml") -> str | None:
    """None when the fast path takes the document, else its fallback reason."""
    try:
        feedxml.parse(body, url=URL, content_type=content_type)
    except feedxml.Unsupported as e:
        return e.reason
    return None


@pytest.mark.parametrize("path", _repo_feeds(), ids=lambda p: str(p.relative_to(DATA)))
@pytest.mark.parametrize("content_type", CONTENT_TYPES)
def test_repository_feeds_parse_the_same_on_both_paths(
    path: Path, content_type: str | None
) -> None:
    slow, fast = _both(path.read_bytes(), content_type)
    assert fast == slow


def test_hand_written_edge_cases_take_the_fast_path() -> None:
    # They exist to exercise the fast path's rules: a fallback here would test nothing.
    for path in sorted(EDGE.glob("*.xml")):
        for content_type in CONTENT_TYPES:
            assert _fast(path.read_bytes(), content_type) is None, (path.name, content_type)


def test_demo_world_feeds_parse_the_same_and_fast() -> None:
    resources, feeds = build_world()
    assert feeds
    for url in feeds:
        body, content_type = resources[url]
        data = body.encode() if isinstance(body, str) else body
        slow, fast = _both(data, content_type)
        assert fast == slow, url
        assert _fast(data, content_type) is None, url


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_benchmark_feeds_parse_the_same(seed: int) -> None:
    world = World(100, seed)
    fast_taken = 0
    for feed in world.feeds:
        body = render_feed(world, feed)
        ctype = "application/rss+xml" if feed.format == "rss" else "application/atom+xml"
        slow, fast = _both(body, ctype)
        assert fast == slow, feed.url
        reason = _fast(body, ctype)
        if feed.behaviour == "malformed":
            assert reason == "xml_syntax"
        else:
            assert reason is None, (feed.url, reason)
            fast_taken += 1
    assert fast_taken == sum(f.behaviour != "malformed" for f in world.feeds)


# --- mutations: order-dependent rules ----------------------------------------------------

_ITEM = re.compile(rb"(<(item|entry)\b[^>]*>)(.*?)(</\2>)", re.S)
_CHILD = re.compile(rb"\s*(<([\w:]+)\b(?:[^<]*?/>|.*?</\2>))", re.S)


def _mutate(body: bytes, rng: random.Random) -> bytes:
    def item(m: re.Match[bytes]) -> bytes:
        children = [c.group(1) for c in _CHILD.finditer(m.group(3))]
        if "".join(c.decode(errors="replace") for c in children).count("<") == 0:
            return m.group(0)
        op = rng.random()
        if op < 0.35:
            rng.shuffle(children)
        elif op < 0.6 and children:
            children.insert(rng.randrange(len(children) + 1), rng.choice(children))
        elif op < 0.8 and children:
            children.pop(rng.randrange(len(children)))
        else:
            rng.shuffle(children)
            children = children[: rng.randint(0, len(children))]
        return m.group(1) + b"\n".join(children) + m.group(4)

    return _ITEM.sub(item, body)


def _mutation_bases() -> list[bytes]:
    world = World(20, 7)
    bodies = [render_feed(world, f) for f in world.feeds if f.behaviour == "ok"][:6]
    return (
        bodies
        + [p.read_bytes() for p in sorted(EDGE.glob("*.xml"))]
        + [
            (DATA / "feeds" / n).read_bytes()
            for n in ("rss2-content.xml", "atom-source.xml", "rss1-rdf.xml")
        ]
    )


def test_mutated_feeds_parse_the_same() -> None:
    rng = random.Random(20240301)
    fast_taken = 0
    total = 0
    for base in _mutation_bases():
        for _ in range(25):
            body = _mutate(base, rng)
            slow, fast = _both(body, "application/rss+xml")
            assert fast == slow, body.decode(errors="replace")[:2000]
            total += 1
            fast_taken += _fast(body) is None
    assert fast_taken > total * 0.9  # the mutations must exercise the fast path


# --- dates ---------------------------------------------------------------------------------

DATES = [
    "Thu, 09 Nov 2023 14:30:00 +0200",
    "Thu, 9 Nov 2023 14:30:00 -0330",
    "thursday, 09 november 2023 14:30 GMT",
    "09 Nov 2023 14:30:00 UT",
    "Fri, 01 Mar 2024 07:30:00 EST",
    "Sun, 31 Mar 2024 23:59:59 PDT",
    "Mon, 04 Mar 2024 10:00:00 Z",
    "Mon, 04 Mar 2024 10:00:00 UTC",
    "2024-03-01T07:30:00+01:00",
    "2024-03-01T07:30:00.999-05:30",
    "2024-03-01t07:30z",
    "2024-02-29",
    "2024-12-31T23:59:59Z",
]


@pytest.mark.parametrize("text", DATES)
def test_fast_dates_equal_feedparsers(text: str) -> None:
    assert feedxml._date(text) == _time(_parse_date(text))


@pytest.mark.parametrize(
    "text",
    [
        "not a date",
        "Mon, 04 Mar 2024 10:00:00 CEST",  # feedparser reads unknown zones as UTC
        "2024-03-01T07:30:00",  # no zone
        "Mon, 31 Feb 2024 10:00:00 GMT",
        "Mon, 04 Mar 24 10:00:00 GMT",
        "2024-03-01 07:30:00",
    ],
)
def test_other_dates_fall_back(text: str) -> None:
    with pytest.raises(feedxml.Unsupported):
        feedxml._date(text)


# --- fallbacks -----------------------------------------------------------------------------

RSS = (
    '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"{ns}><channel><title>T</title>'
    "<link>https://t.example/</link><item>{item}</item></channel></rss>"
)
ITEM = "<title>A</title><link>https://t.example/a</link>"


def _rss(item: str = ITEM, ns: str = "") -> bytes:
    return RSS.format(item=item, ns=ns).encode()


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (_rss(ITEM + "<pubDate>next Tuesday</pubDate>"), "date_format"),
        (_rss(ITEM + "<description>a & b</description>"), "xml_syntax"),
        (_rss()[:-20], "xml_syntax"),
        (
            b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x "y">]>' + _rss().split(b"?>", 1)[1],
            "doctype",
        ),
        (_rss().replace(b"<rss", b"<rssfeed").replace(b"</rss>", b"</rssfeed>"), "root"),
        (
            b'<feed xmlns="http://purl.org/atom/ns#"><entry><id>x</id></entry></feed>',
            "root",
        ),
        (_rss(ITEM + "<description><p>inline</p></description>"), "markup_children"),
        (_rss('<title type="xhtml">A</title><link>https://t.example/a</link>'), "content_type"),
        (
            _rss(
                ITEM + "<itunes:author>X</itunes:author>",
                ' xmlns:itunes="http://www.itunes.com/DTDs/PodCast-1.0.dtd"',
            ),
            "element:itunes:author",
        ),
        (
            _rss(ITEM + "<expirationDate2>1</expirationDate2><image><title>x</title></image>"),
            "element:image",
        ),
        (
            _rss(
                ITEM + '<media:content url="u"><media:title>t</media:title></media:content>',
                ' xmlns:media="http://search.yahoo.com/mrss/"',
            ),
            "media_content_child",
        ),
        # dc bound to a mistyped namespace: feedparser still maps dc:creator by its prefix.
        (
            _rss(ITEM + '<dc:creator xmlns:dc="http://purl.org/dc/elements/1.1">Y</dc:creator>'),
            "element:?",
        ),
        (_rss('<title xml:base="http://b.example/">A</title>'), "namespaced_attribute"),
        (
            _rss("<title>A</title>").replace(b"<item>", b'<item href="http://h.example/">'),
            "cdf_attributes",
        ),
        (
            _rss("<title>only</title>").replace(b"<item><title>only</title></item>", b""),
            "no_entries",
        ),
        ("\ufeff".encode("utf-16-le") + _rss().decode().encode("utf-16-le"), "xml_syntax"),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_each_trigger_falls_back_and_both_paths_agree(body: bytes, reason: str) -> None:
    assert _fast(body) == reason
    before = FALLBACKS[reason]
    slow, fast = _both(body, "application/rss+xml")
    assert fast == slow
    assert FALLBACKS[reason] == before + 1  # parse_feed counted why it fell back


def test_undecodable_body_falls_back_to_feedparsers_verdict() -> None:
    body = b"\x00\xff\xfe garbage"
    assert _fast(body) is not None
    slow, fast = _both(body, None)
    assert fast == slow
    assert isinstance(fast, str)
    assert "not a feed" in fast


def test_fast_path_keeps_feedparsers_encoding_warning() -> None:
    # text/html is no XML media type: feedparser says so, and the feed still parses.
    body = _rss()
    assert _fast(body, "text/html") is None
    slow, fast = _both(body, "text/html")
    assert isinstance(fast, ParsedFeed)
    assert fast == slow
    assert fast.warning == "text/html is not an XML media type"


@pytest.mark.parametrize(
    "uri",
    [
        "https://a.example/x/../y/./z?q=1&r=a/b",
        "http://a.example:8080",
        "http://a.example/p(1)/~u/%20x,y;",
        "https://a.example/?",
        "http://a.example/#frag",
        "HTTP://A.example/",
        "http:///a.example/x",
        "tag:a.example,2026:/x/1",
        "urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427",
        "Tag:A.example,2026:x",
        "tag://a.example/x",
        "tag:\t//a[.example/x",
        "svn+ssh:x/../y",
        "rtsps:x/y",
        "1tag:x",
        "a b:c",
    ],
)
@pytest.mark.parametrize("base", ["http://feeds.example/s/f.xml", "https://b.example/", ""])
def test_url_shortcut_equals_feedparsers_join(uri: str, base: str) -> None:
    from feedparser.urls import _urljoin

    walker = feedxml._Walker(base)
    assert walker.resolve(uri) == _urljoin(base, uri)


@pytest.mark.parametrize(
    "body",
    [
        b'<?xml version="1.0" encoding="UTF-8"?>\n<rss/>',
        b"<?xml version='1.0'?>\n<a>\xc3\xa9</a>",
        b'<?xml version="1.0" encoding="utf-8"?>\n<a>\xe9 \xed\xa0\x80</a>',
        b'<?xml version="1.0" encoding="iso-8859-1"?>\n<a>\xe9</a>',
        b'<?xml version="1.0" encoding="utf-8"?><a>x</a>\n',
        b'<?xml version="1.0" encoding="utf-8"\n?>\n<a/>',
        b'\xef\xbb\xbf<?xml version="1.0"?>\n<a/>',
        b'<?xml version="1.0" encoding="gb2312"?>\n<a/>',
        b"<rss/>",
    ],
)
@pytest.mark.parametrize(
    "content_type",
    [None, "application/rss+xml", "application/xml; charset=UTF-8", "text/xml", "text/html"],
)
def test_utf8_shortcut_equals_feedparsers_conversion(body: bytes, content_type: str | None) -> None:
    from feedparser.encodings import convert_to_utf8

    headers = {"content-location": URL}
    if content_type:
        headers["content-type"] = content_type
    theirs: dict[str, object] = {}
    ours: dict[str, object] = {}
    assert feedxml._to_utf8(headers, body, ours) == convert_to_utf8(headers, body, theirs)
    assert {k: repr(v) for k, v in ours.items()} == {k: repr(v) for k, v in theirs.items()}
