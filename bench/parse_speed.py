"""CPU per entry of ``parse_feed``: the feedparser path against the lxml fast path.

    python -m bench.parse_speed [--feeds 200] [--seed 1] [--repeats 5]

Both paths parse the same rendered benchmark feeds (the well-behaved ones, as served in a
feeds-only pass) in the same process; each figure is the median of the repeats.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from bench.render_feed import render_feed
from bench.world import World
from workers.model import ParsedFeed
from workers.parse import FALLBACKS, parse_feed, parse_feed_feedparser

Parser = Callable[..., ParsedFeed]


def _docs(n_feeds: int, seed: int) -> list[tuple[str, bytes, str]]:
    world = World(n_feeds, seed)
    return [
        (
            f.url,
            render_feed(world, f),
            "application/rss+xml" if f.format == "rss" else "application/atom+xml",
        )
        for f in world.feeds
        if f.behaviour == "ok"
    ]


def _run(parser: Parser, docs: list[tuple[str, bytes, str]]) -> tuple[float, int]:
    entries = 0
    start = time.process_time()
    for url, body, ctype in docs:
        entries += len(parser(body, url=url, content_type=ctype).entries)
    return time.process_time() - start, entries


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--feeds", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args(argv)
    docs = _docs(args.feeds, args.seed)
    assert all(
        parse_feed(b, url=u, content_type=c) == parse_feed_feedparser(b, url=u, content_type=c)
        for u, b, c in docs
    ), "the paths disagree: fix that before timing them"
    FALLBACKS.clear()
    results: dict[str, list[float]] = {"feedparser": [], "fast": []}
    entries = 0
    for _ in range(args.repeats):  # interleaved, so drift hits both alike
        for name, parser in (("feedparser", parse_feed_feedparser), ("fast", parse_feed)):
            seconds, entries = _run(parser, docs)
            results[name].append(seconds)
    size = sum(len(b) for _, b, _ in docs)
    print(f"{len(docs)} feeds, {entries} entries, {size / 1e6:.1f} MB, {args.repeats} repeats")
    per_entry = {k: statistics.median(v) / entries * 1e3 for k, v in results.items()}
    for name, ms in per_entry.items():
        print(f"  {name:<10} {ms:.3f} ms CPU per entry (median)")
    print(f"  speedup    {per_entry['feedparser'] / per_entry['fast']:.1f}x")
    fell_back = sum(FALLBACKS.values()) // args.repeats
    print(f"  fast path  {len(docs) - fell_back}/{len(docs)} feeds; fallbacks {dict(FALLBACKS)}")


if __name__ == "__main__":
    main()
