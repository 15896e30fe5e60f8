"""CPU per entry of the feeds-only path's pure steps, in one process, without Redis.

    python -m bench.entry_cpu [--feeds 200] [--seed 1] [--repeats 3] [--digest]

The entries of a benchmark web's well-behaved feeds (each link once, as one pass takes
them) go through what ``Pipeline.process_entry`` does between the feed and the store:
the page from the entry (extract), provenance (detect), the fingerprint, the registry
learning the publisher, and the events of a decision (build and serialise). Each figure is
the median of the repeats, in µs of CPU per entry. ``--digest`` prints instead one digest
of every page, provenance, fingerprint and the event JSON of every decision kind, for
every entry: two trees that give the same digest give the same output on this web.
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import time
from collections import defaultdict
from datetime import UTC, datetime

from bench.render_feed import render_feed
from bench.world import World
from workers.dedupe import Action, Decision, Match, StoryRef
from workers.events import Context, build_events, to_json
from workers.extract import page_from_entry
from workers.fingerprint import fingerprint
from workers.model import FeedEntry, PublisherRef
from workers.parse import parse_feed
from workers.pipeline import _without_notices
from workers.provenance import PublisherRegistry, detect
from workers.urls import site_domain, without_tracking

STAGES = ("extract", "detect", "fingerprint", "learn", "events")
_STORY = StoryRef("art_x", "example.com", "Example", "https://example.com/a", True, 0.9, False,
                  None, "h")


def entries(n_feeds: int, seed: int) -> list[FeedEntry]:
    world = World(n_feeds, seed)
    out: list[FeedEntry] = []
    seen: set[str | None] = set()
    for feed in world.feeds:
        if feed.behaviour != "ok":
            continue
        ctype = "application/rss+xml" if feed.format == "rss" else "application/atom+xml"
        for entry in parse_feed(render_feed(world, feed), url=feed.url, content_type=ctype).entries:
            if entry.link not in seen:
                seen.add(entry.link)
                out.append(entry)
    return out


def _decisions(i: int, has_origin: bool, every_kind: bool) -> list[Decision]:
    out = [Decision(Action.PUBLISH, f"art_{i}")]
    if every_kind:
        if has_origin:
            out.append(Decision(Action.PUBLISH_FROM_COPY, f"art_{i}"))
            out.append(Decision(Action.ORIGIN_CHANGED, f"art_{i}", Match(_STORY, "near", 0.8)))
        out.append(Decision(Action.SYNDICATE, f"art_{i}", Match(_STORY, "text", 1.0)))
        out.append(Decision(Action.ORIGIN_ARRIVED, f"art_{i}", Match(_STORY, "near", 0.7)))
        out.append(Decision(Action.CONTENT_CHANGED, f"art_{i}", Match(_STORY, "url", 1.0)))
    return out


def run(items: list[FeedEntry], digests: list[str] | None = None) -> dict[str, float]:
    """CPU seconds per stage over ``items``; with ``digests``, every output's digest too."""
    registry = PublisherRegistry.bundled()
    spent: dict[str, float] = defaultdict(float)
    clock = time.process_time
    for i, entry in enumerate(items):
        t0 = clock()
        page = page_from_entry(entry)
        t1 = clock()
        provenance = detect(page, entry, registry)
        t2 = clock()
        text = _without_notices(page, provenance.notices)
        fp = fingerprint(text)
        t3 = clock()
        url = without_tracking(page.url)
        publisher = PublisherRef(page.publisher.name, site_domain(url))
        registry.learn(publisher)
        if entry.feed_title and entry.feed_link:
            registry.learn(PublisherRef(entry.feed_title, site_domain(entry.feed_link)))
        t4 = clock()
        ctx = Context(page=page, text=text, text_hash=fp.text_hash, url=url, publisher=publisher,
                      provenance=provenance, entry=entry, worker="bench",
                      fetched_at=datetime.fromtimestamp(1_764_072_000 + i, tz=UTC))
        wire = [to_json(event)
                for decision in _decisions(i, provenance.origin is not None, digests is not None)
                for event in build_events(decision, ctx)]
        t5 = clock()
        for stage, seconds in zip(STAGES, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4),
                                  strict=True):
            spent[stage] += seconds
        if digests is not None:
            h = hashlib.blake2b(digest_size=16)
            for part in (repr(page), repr(provenance), repr(fp), *wire):
                h.update(part.encode())
                h.update(b"\0")
            digests.append(h.hexdigest())
    return spent


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--feeds", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--digest", action="store_true")
    args = ap.parse_args(argv)
    items = entries(args.feeds, args.seed)
    if args.digest:
        digests: list[str] = []
        run(items, digests)
        digest = hashlib.blake2b("".join(digests).encode(), digest_size=16).hexdigest()
        print(f"{len(items)} entries, digest {digest}")
        return
    run(items[:300])  # first use: imports, catalogues, the event models
    samples: dict[str, list[float]] = defaultdict(list)
    for _ in range(args.repeats):
        for stage, seconds in run(items).items():
            samples[stage].append(seconds)
    print(f"{len(items)} entries, {args.repeats} repeats, µs CPU per entry (median)")
    total = 0.0
    for stage in STAGES:
        us = statistics.median(samples[stage]) / len(items) * 1e6
        total += us
        print(f"  {stage:<12} {us:7.1f}")
    print(f"  {'total':<12} {total:7.1f}")


if __name__ == "__main__":
    main()
