"""The feeds-only path's shortcuts give exactly what the general code gives.

Each shortcut is compared with the code it stands in for, on the same inputs: the
benchmark web's feeds (every entry), the feeds under tests/data, and hand-made edge cases.
- ``extract.plain_layout`` (feed content or a summary that is plain paragraphs, read
  without the HTML parser) against ``extract.parsed_layout`` (lexbor and the block walker),
  block for block, and ``page_from_entry`` with and without the shortcut, page for page;
- ``fingerprint`` (normalised once per text, or per paragraph when some are not story;
  shingles hashed from byte slices, the MinHash computed in place) against the
  straightforward definition kept here;
- the pipeline's memo of what it taught the registry against learning every time.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import cache
from typing import Any

import pytest
import xxhash

from bench.render_feed import render_feed
from bench.render_page import render_page
from bench.world import World
from tests.conftest import DATA
from workers import extract
from workers import fingerprint as fp
from workers.extract import page_from_entry, parsed_layout, plain_layout
from workers.model import FeedEntry, PublisherRef
from workers.parse import parse_feed
from workers.provenance import PublisherRegistry
from workers.urls import site_domain

# --- inputs ---------------------------------------------------------------------------


@cache
def _world_entries() -> tuple[FeedEntry, ...]:
    world = World(40, 3)
    out: list[FeedEntry] = []
    for feed in world.feeds:
        if feed.behaviour != "ok":
            continue
        ctype = "application/rss+xml" if feed.format == "rss" else "application/atom+xml"
        out += parse_feed(render_feed(world, feed), url=feed.url, content_type=ctype).entries
    return tuple(out)


@cache
def _data_entries() -> tuple[FeedEntry, ...]:
    paths = [
        *sorted((DATA / "feeds").rglob("*.xml")),
        *sorted((DATA / "seed").glob("*.xml")),
        *sorted((DATA / "provenance").rglob("*.xml")),
    ]
    out: list[FeedEntry] = []
    for path in paths:
        try:
            out += parse_feed(path.read_bytes(), url=f"http://feeds.example/{path.name}").entries
        except Exception:  # a deliberately broken feed: nothing to compare
            continue
    return tuple(out)


def _entries() -> Iterator[FeedEntry]:
    yield from _world_entries()
    yield from _data_entries()


# Paragraph texts that are plain (no markup, no reference) but odd.
ODD_TEXTS = [
    "plain words here",
    "  leading and trailing  ",
    "tabs\tand\nnew\r\nlines\rand a form\x0cfeed",
    "no\u00a0break\u00a0spaces and \u2003 em spaces",
    "\u200b\u200c\u200d",  # only invisible characters: no block
    "\u00ad",
    " ",
    "",
    "quotes \"double\" and 'single' and “curly” and «guillemets»",
    "a > b and c >= d",
    "emoji 🙂 and CJK 日本語 and RTL שלום",
    "combining e\u0301 and ﬁ ligature",
    "Read also: a teaser line",
    "By Jane Doe",
    "Photo: Someone/Agency",
    "* * *",
    "Read the original article on The New Voice of Ukraine",
]


# --- extraction -----------------------------------------------------------------------


def _html(paragraphs: list[str]) -> str:
    return "".join(f"<p>{p}</p>" for p in paragraphs)


@pytest.mark.parametrize("text", ODD_TEXTS)
def test_plain_layout_is_the_walkers_for_one_paragraph(text: str) -> None:
    url = "http://site.example/a"
    assert plain_layout([text], url) == parsed_layout(_html([text]) or "<p></p>", url)


def test_plain_layout_is_the_walkers_for_many_paragraphs() -> None:
    url = "http://site.example/a"
    for start in range(len(ODD_TEXTS)):
        texts = ODD_TEXTS[start:] + ODD_TEXTS[:start]
        assert plain_layout(texts, url) == parsed_layout(_html(texts), url)


@pytest.mark.parametrize(
    "fragment",
    [
        "<p>one</p><p>two</p>",
        "\n  <p>one</p>\n\n<p>two</p>\r\n",
        "<p>one</p> <p></p> <p>   </p><p>\u200b</p>",
        *(_html([t]) for t in ODD_TEXTS if t),
    ],
)
def test_plain_fragments_take_the_shortcut_and_match(fragment: str) -> None:
    assert extract._PLAIN_PARAGRAPHS.fullmatch(fragment)
    url = "http://site.example/a"
    assert extract.fragment_layout(fragment, url) == parsed_layout(fragment, url)


@pytest.mark.parametrize(
    "fragment",
    [
        "<p>a &amp; b</p>",  # a character reference
        "<p>a &#0; b</p>",
        '<p class="x">styled</p>',  # an attribute
        "<p>one<p>two",  # implied end tags
        "<P>upper</P>",
        "<p>a <em>b</em></p>",  # inline markup
        '<p>a <a href="/x">link</a></p>',
        "<div>block</div>",
        "<p>nul \x00 inside</p>",
        "<p>lone \ud800 surrogate</p>",
        "text before <p>para</p>",
        "<p>one</p>text after",
    ],
)
def test_other_fragments_take_the_parser(fragment: str) -> None:
    assert not extract._PLAIN_PARAGRAPHS.fullmatch(fragment)


@pytest.mark.parametrize("summary", ["nul \x00 inside", "lone \ud800 surrogate", "a\x00"])
def test_summaries_the_parser_changes_take_the_parser(summary: str) -> None:
    url = "http://site.example/a"
    expected = parsed_layout(extract._summary_html(summary), url)
    assert extract._summary_layout(summary, url) == expected
    # ... which is what makes this test able to fail: the shortcut would differ.
    assert plain_layout([summary], url) != expected


def _slow_page_from_entry(entry: FeedEntry, monkeypatch: pytest.MonkeyPatch) -> object:
    with monkeypatch.context() as patch:
        patch.setattr(extract, "_plain_texts", lambda entry: None)  # no text-only route
        patch.setattr(extract, "_PLAIN_PARAGRAPHS", re.compile("(?!)"))  # never plain
        patch.setattr(extract, "_UNSAFE_TEXT", re.compile(""))  # always unsafe
        try:
            return page_from_entry(entry)
        except Exception as e:
            return repr(e)


def _page_or_error(entry: FeedEntry) -> object:
    try:
        return page_from_entry(entry)
    except Exception as e:
        return repr(e)


def test_page_from_entry_is_unchanged_by_the_shortcut(monkeypatch: pytest.MonkeyPatch) -> None:
    entries = list(_entries())
    assert len(entries) > 1000
    shortcut = 0
    for entry in entries:
        shortcut += extract._plain_texts(entry) is not None
        assert _page_or_error(entry) == _slow_page_from_entry(entry, monkeypatch), entry.link
    assert shortcut > len(entries) // 2  # the comparison covers the shortcut, not only the parser


# --- fingerprints ---------------------------------------------------------------------


def _reference_fingerprint(text: str) -> fp.Fingerprint:
    """The fingerprint as defined: normalise the whole text for its hash, the story words
    for the sketch, every shingle a joined string."""

    def words_of(t: str) -> list[str]:
        return re.findall(r"\w+", unicodedata.normalize("NFKC", t).casefold().replace("_", " "))

    text_hash = xxhash.xxh3_64_hexdigest(" ".join(words_of(text)).encode())
    kept = [
        fp._QUOTED.sub(" ", p)
        for p in text.split("\n\n")
        if len(p.split()) >= fp.MIN_PARAGRAPH_WORDS and not fp._furniture().match(p)
    ]
    words = words_of("\n".join(kept))
    if not words:
        return fp.Fingerprint(text_hash, 0, (0,) * fp.NUM_PERM, ())
    n = max(1, len(words) - fp.SHINGLE_WORDS + 1)
    grams = {" ".join(words[i : i + fp.SHINGLE_WORDS]) for i in range(n)}
    if len(grams) < fp.MIN_SHINGLES:
        return fp.Fingerprint(text_hash, len(grams), (), ())
    import numpy as np

    from workers.minhash import _SEEDS

    def mix(x: Any) -> Any:  # splitmix64's finaliser, as plainly as it is defined
        x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return (x ^ (x >> np.uint64(31))) & np.uint64(0xFFFFFFFFFFFFFFFF)

    hashes = np.array([xxhash.xxh3_64_intdigest(g.encode()) for g in grams], dtype=np.uint64)
    with np.errstate(over="ignore"):
        least = mix(hashes[None, :] ^ _SEEDS[:, None]).min(axis=1)
    sketch = tuple(int(v) & ((1 << fp.SKETCH_BITS) - 1) for v in least)
    return fp.Fingerprint(text_hash, len(grams), sketch, tuple(int(v) for v in least[:20]))


def _texts() -> Iterator[str]:
    for entry in _entries():
        try:
            yield page_from_entry(entry).text
        except Exception:
            continue
    for path in sorted((DATA / "dedup").rglob("*.txt")):
        yield path.read_text(encoding="utf-8")
    world = World(8, 2)
    for feed in world.feeds[:4]:
        for story in world.feed_stories(feed)[:3]:
            yield "\n\n".join(story.paragraphs)
            yield render_page(world, story).decode("utf-8", "replace")  # markup as text
    odd = "\n\n".join(ODD_TEXTS)
    yield odd
    yield "\n\n".join([*ODD_TEXTS, *("word " * 70 for _ in range(2))])
    yield "\n\n".join(f"He said “quote {i}” and e\u0301 {i} ﬁn_al ΑΣ words here" for i in range(40))
    yield "\n\n".join(["one two three four five six"] * 30)  # repeated shingles: short
    yield "a\n\nb\n\n\n\nc"
    yield ""


def test_fingerprint_is_the_reference_definition() -> None:
    texts = list(_texts())
    assert sum(1 for t in texts if not fp.fingerprint(t).is_short) > 50  # sketches compared
    for text in texts:
        assert fp.fingerprint(text) == _reference_fingerprint(text), text[:80]


# --- the pipeline's learning memo -----------------------------------------------------


def test_learning_a_pair_again_never_changes_the_registry() -> None:
    """What lets the pipeline skip pairs it taught already: after ``learn(ref)``, learning
    ``ref`` again (whatever else was learned between) leaves the registry as it is."""
    refs = [
        PublisherRef(entry.feed_title, site_domain(entry.feed_link))
        for entry in _entries()
        if entry.feed_title and entry.feed_link
    ]
    refs += [
        PublisherRef("Reuters", "newsite.example"),  # a seed name on a new domain
        PublisherRef("Other Name", "reuters.com"),  # a new name on a seed domain
        PublisherRef("Alias One", "learned.example"),
        PublisherRef("Alias Two", "learned.example"),
        PublisherRef("Alias One", "third.example"),
        PublisherRef("NV | Ukraine", "nv.ua"),
    ]
    registry = PublisherRegistry.bundled()
    seen: list[PublisherRef] = []
    for ref in refs:
        registry.learn(ref)
        seen.append(ref)
        before = _state(registry)
        for again in seen[-40:]:
            registry.learn(again)
        assert _state(registry) == before, ref


def _state(registry: PublisherRegistry) -> tuple[object, ...]:
    return (
        dict(registry._by_name),
        dict(registry._by_domain),
        dict(registry._by_stem),
        dict(registry._learned),
        registry.agency_version,
    )
