"""The feed parser's shortcuts give exactly what the plain code they skip gives.

Each shortcut (``parse._squeeze``, ``feedxml._fix``'s byte search, ``feedxml._value``,
``feedxml._base`` for plain URLs) is held to the straightforward expression it replaces,
on the benchmark web's feeds and on inputs written to break it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from feedparser.html import _cp1252
from feedparser.urls import _urljoin, make_safe_absolute_uri
from lxml import etree

from bench.render_feed import render_feed
from bench.world import World
from workers import feedxml
from workers.parse import _squeeze

WHITESPACE = [chr(c) for c in range(0x110000) if chr(c).isspace()]
C1 = [chr(c) for c in range(0x80, 0xA0)]


def _bench_roots() -> Iterator[Any]:
    world = World(40, 3)
    for feed in world.feeds:
        if feed.behaviour == "ok":
            yield etree.fromstring(render_feed(world, feed), feedxml._PARSER)


def _bench_texts() -> list[str]:
    return [el.text for root in _bench_roots() for el in root.iter() if el.text]


def _tricky_texts() -> list[str]:
    out = ["", " ", "a", " a", "a ", "a  b", "a b c", "a\u00a0b", "\u2028", "x\ty", "é ü"]
    out += [f"a{w}b" for w in WHITESPACE] + [f"{w}a" for w in WHITESPACE]
    out += [f"a{w}" for w in WHITESPACE] + WHITESPACE
    out += [f"x{c}y" for c in C1] + [f"”{c}" for c in C1] + [f"Â{c}" for c in C1]
    out += ["Ã©", "Ã©\x85", "â€™", "â€™ ”", "\xff\xfe", "\xc2", "日本", "\u0100\x93", "\udc80"]
    return out


# --- parse._squeeze -------------------------------------------------------------------------


def test_printable_text_has_no_whitespace_but_the_space() -> None:
    # What _squeeze's shortcut rests on, for every code point this Python knows.
    assert [w for w in WHITESPACE if w.isprintable()] == [" "]


def test_squeeze_is_split_and_join() -> None:
    for text in _bench_texts() + _tricky_texts():
        assert _squeeze(text) == " ".join(text.split()), repr(text)


# --- feedxml._fix and _value ------------------------------------------------------------------

_C1_STR = re.compile("[" + "".join(chr(c) for c in sorted(_cp1252)) + "]")


def _fix_reference(text: str) -> str:
    """feedparser's pop() tail as written before the byte search."""
    try:
        fixed = text.encode("iso-8859-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        fixed = text
    return fixed.translate(_cp1252) if _C1_STR.search(fixed) else fixed


def test_cp1252_table_holds_c1_code_points_only() -> None:
    # The byte search looks for C2 xx: the UTF-8 form of U+0080..U+00BF.
    assert all(0x80 <= c <= 0xBF for c in _cp1252)


def test_fix_equals_the_character_class_search() -> None:
    for text in _bench_texts() + _tricky_texts():
        assert feedxml._fix(text) == _fix_reference(text), repr(text)


def test_value_is_fix_of_stripped_leaf_text() -> None:
    xml = "".join(f"<v>{t}</v>" for t in ("", " ", " a ", "Ã© ", " ”\x85", "a\u00a0"))
    roots = [*_bench_roots(), etree.fromstring(f"<r>{xml}<v><x/></v></r>")]
    for root in roots:
        for el in root.iter():
            try:
                expected = feedxml._fix(feedxml._leaf_text(el).strip())
            except feedxml.Unsupported as e:
                with pytest.raises(feedxml.Unsupported, match=e.reason):
                    feedxml._value(el)
            else:
                assert feedxml._value(el) == expected


# --- feedxml._base ----------------------------------------------------------------------------


def _base_reference(url: str) -> str:
    if not url:
        return ""
    base = make_safe_absolute_uri(url, url) or url
    if (make_safe_absolute_uri(base, base) or base) != base or not _urljoin(base, "x"):
        raise feedxml.Unsupported("base_uri")
    return str(base)


@pytest.mark.parametrize(
    "url",
    [
        "http://feeds.example/section/feed.xml",
        "https://a.example:8443/feed?x=1&y=a/b",
        "http://a.example",
        "HTTP://A.example/feed",
        "http://a.example/a/../b/./feed",
        "http://a.example/feed#top",
        "http://a.example/feed?",
        "http://a.example/p;params",
        "https://user@a.example/feed",
        "http://a.example/ä",
        "feed://a.example/x",
        "javascript:alert(1)",
        "/relative/feed.xml",
        "",
    ],
)
def test_base_equals_feedparsers_fixed_point(url: str) -> None:
    try:
        expected = _base_reference(url)
    except feedxml.Unsupported:
        with pytest.raises(feedxml.Unsupported):
            feedxml._base(url)
    else:
        assert feedxml._base(url) == expected


def test_base_of_every_benchmark_feed_url() -> None:
    for feed in World(200, 1).feeds:
        assert feedxml._base(feed.url) == _base_reference(feed.url)
