"""Extraction quality against the generator's ground truth: token F1 per page.

The local news web knows what each page's story text is (its paragraphs, without teasers,
captions, footers or chrome), so every tool's output is scored on the same pages the same
way: bag-of-words precision and recall, their F1, averaged over pages.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from statistics import mean

from bench.render_page import ground_truth
from bench.world import World, parse_story_id

_ID = re.compile(r"-(\d{10})\.html")
_WORD = re.compile(r"\w+")


def f1(extracted: str, truth: str) -> float:
    got = Counter(_WORD.findall(extracted.lower()))
    want = Counter(_WORD.findall(truth.lower()))
    common = sum((got & want).values())
    if not common:
        return 0.0
    precision, recall = common / sum(got.values()), common / sum(want.values())
    return 2 * precision * recall / (precision + recall)


def score(world: World, pages: Iterable[tuple[str, str]]) -> tuple[float, int]:
    """Mean F1 over (url, text) pairs whose URL is a story of the world; and their count."""
    scores = []
    for url, text in pages:
        match = _ID.search(url)
        if match is None:
            continue
        pub, index = parse_story_id(int(match.group(1)))
        if 0 <= pub < len(world.publishers):
            scores.append(f1(text, ground_truth(world.story(pub, index))))
    return (mean(scores) if scores else 0.0), len(scores)
