"""Per-stage CPU: the project's step functions called on the local web's own documents.

A micro-benchmark beside the end-to-end runs (which see a worker only from outside): each
stage is timed with process CPU time on the same feeds and pages the runs fetch. Fetch goes
over real HTTP to the local web (the server is another process, so only the client's CPU
counts). Dedupe and publish need Redis round trips inside the worker; their cost is what
remains of the worker's measured CPU per page once these stages are taken out.

The floor for pages: parsing the HTML once, with lexbor (selectolax) and with lxml.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any, TypeVar

from bench.local_web import LocalWeb
from bench.render_feed import render_feed
from bench.render_page import render_page
from bench.world import Story, World

T = TypeVar("T")


def _timed(fn: Callable[[], T]) -> tuple[T, float]:
    start = time.process_time()
    out = fn()
    return out, time.process_time() - start


def stage_costs(world: World, web: LocalWeb | None, max_pages: int = 300) -> dict[str, float]:
    """Milliseconds of CPU: per entry for parse, per page for the rest."""
    from lxml import html as lxml_html
    from selectolax.lexbor import LexborHTMLParser

    from workers.extract import extract_page
    from workers.fingerprint import fingerprint
    from workers.parse import parse_feed
    from workers.provenance import PublisherRegistry, detect

    feeds = [f for f in world.feeds if f.behaviour == "ok"]
    bodies = [(f, render_feed(world, f)) for f in feeds]
    parsed, t_parse = _timed(lambda: [parse_feed(b, url=f.url) for f, b in bodies])
    entries = {e.link: e for p in parsed for e in p.entries if e.link}
    stories: list[Story] = list({s.url: s for f in feeds for s in world.feed_stories(f)}
                                .values())[:max_pages]
    pages = [(s, render_page(world, s)) for s in stories]
    _, t_lexbor = _timed(lambda: [LexborHTMLParser(h) for _, h in pages])
    _, t_lxml = _timed(lambda: [lxml_html.document_fromstring(h) for _, h in pages])
    extracted, t_extract = _timed(lambda: [
        (extract_page(h, url=s.url, entry=_entry_for(entries, s)), _entry_for(entries, s))
        for s, h in pages])
    registry = PublisherRegistry.bundled()
    _, t_detect = _timed(lambda: [detect(p, e, registry) for p, e in extracted])
    _, t_fp = _timed(lambda: [fingerprint(p.text) for p, _ in extracted])
    n_entries = sum(len(p.entries) for p in parsed)
    n = len(pages)
    costs = {
        "parse (per entry)": 1000 * t_parse / max(n_entries, 1),
        "extract": 1000 * t_extract / n,
        "provenance": 1000 * t_detect / n,
        "fingerprint": 1000 * t_fp / n,
        "floor: HTML parse, lexbor": 1000 * t_lexbor / n,
        "floor: HTML parse, lxml": 1000 * t_lxml / n,
    }
    if web is not None:
        costs["fetch"] = 1000 * asyncio.run(_fetch_cpu(web, [s.url for s in stories])) / n
    return costs


def _entry_for(entries: dict[str, Any], story: Story) -> Any:
    return entries.get(story.url) or next(
        (e for link, e in entries.items() if link.startswith(story.url)), None)


async def _fetch_cpu(web: LocalWeb, urls: list[str]) -> float:
    from workers.fetch import Fetcher, open_session
    from workers.metrics import Metrics
    from workers.settings import Settings

    settings = Settings(resolve=web.resolve, allow_private_hosts=True)
    web.set_mode(delay=0.0, ignore_conditional=False)
    async with open_session(settings) as session:
        fetcher = Fetcher(session, settings, Metrics())
        start = time.process_time()
        await asyncio.gather(*(fetcher.fetch(url, kind="page") for url in urls))
        return time.process_time() - start
