"""``fingerprint``'s way for a clean text (every paragraph a story paragraph, no quoted
speech: the text normalised and encoded once for both the hash and the shingles) gives
exactly what the paragraph-by-paragraph definition gives: the hash of every paragraph's
words, the sketch of ``story_words``. On the benchmark web's texts and on texts made to
sit on the edges of that way (scripts, NFKC, "_", marks, blank lines, repeats, furniture
and quotes that must turn it off)."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator

import pytest
import xxhash

from bench.world import World
from workers import fingerprint as fp
from workers.extract import page_from_entry
from workers.fingerprint import Fingerprint, fingerprint, normalize_text, story_words


def _per_paragraph(text: str) -> Fingerprint:
    """The definition: each paragraph normalised alone, the sketch of the story words."""
    words = [w for piece in text.split("\n\n") for w in normalize_text(piece)]
    text_hash = xxhash.xxh3_64_hexdigest(" ".join(words).encode())
    return fp._fingerprint(text_hash, story_words(text), None)


def _is_clean(text: str) -> bool:
    pieces = text.split("\n\n")
    return all(map(fp._is_story, pieces)) and not any(q in text for q in fp._QUOTE_MARKS)


_PARAGRAPHS = [
    "The central bank held its main rate at four percent on Thursday afternoon.",
    "Officials said the decision reflected slowing inflation across the region.",
    "\u0301Accents that open a paragraph combine with nothing before them here.",
    "Straße İstanbul ΑΣΣΟΣ ﬁnance １２３ words that fold and compose under NFKC.",
    "snake_case identifiers and under_scores split into words for sure now.",
    "Closing marks only” and ’ apostrophes – dashes — are spaces in this one.",
    "日本語 の テキスト と 한국어 텍스트 and English words mixed in one line.",
    "A half ½ and an ellipsis… and a superscript² take the regex way here.",
    "tabs\tand\nnew\r\nlines\rand a form\x0cfeed inside a long enough paragraph.",
    "no\u00a0break\u00a0spaces and \u2003 em spaces between the words of it.",
]
_FURNITURE = ["Read more: other stories", "Photo: Reuters", "Short line."]
_QUOTED = ["He said “we will act” on Friday in the capital city.", 'She said "no" twice.']


def _edge_texts() -> Iterator[str]:
    rng = random.Random(3)
    yield from _PARAGRAPHS
    for size in (2, 5, 12, 40):  # from short texts to long ones with a sketch
        for _ in range(20):
            paras = [rng.choice(_PARAGRAPHS) for _ in range(size)]
            yield "\n\n".join(paras)
            yield "\n\n\n".join(paras)  # blank lines: paragraphs that open with "\n"
            yield "\n\n".join([*paras, rng.choice(_FURNITURE + _QUOTED)])
    yield "\n\n".join(["one two three four five six"] * 30)  # repeated shingles: short
    yield "\n\n".join(
        f"paragraph {i} with enough distinct words to count {i * 7}" for i in range(30)
    )
    yield ""


def _world_texts() -> Iterator[str]:
    world = World(12, 9)
    for feed in world.feeds:
        for story in world.feed_stories(feed):
            yield "\n\n".join(story.paragraphs)


def test_edge_texts_cover_both_ways() -> None:
    texts = list(_edge_texts())
    clean = [t for t in texts if _is_clean(t)]
    assert len(clean) > 50
    assert len(texts) - len(clean) > 50
    assert sum(1 for t in clean if not fingerprint(t).is_short) > 20


@pytest.mark.parametrize("source", [_edge_texts, _world_texts], ids=["edges", "world"])
def test_texts_fingerprint_as_defined(source: Callable[[], Iterator[str]]) -> None:
    for text in source():
        assert fingerprint(text) == _per_paragraph(text), text[:80]


def test_benchmark_entries_fingerprint_as_defined() -> None:
    from bench.entry_cpu import entries

    texts = [page_from_entry(e).text for e in entries(40, 1)]
    assert sum(map(_is_clean, texts)) > len(texts) // 2
    for text in texts:
        assert fingerprint(text) == _per_paragraph(text), text[:80]
