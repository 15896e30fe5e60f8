"""The measured runs. Each scenario runs every tool on one local web, interleaved run by
run, so slow drift of the machine hits all tools alike and ratios come from the same run.

Every tool is a cold process reaching the web over real HTTP on loopback.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import redis

from bench import measure
from bench.feedlist import write_feeds
from bench.local_web import LocalWeb
from bench.project import Project
from bench.quality import score
from bench.record import Recorder
from bench.world import World

PY = sys.executable
BROKEN = ("error", "missing")  # feeds that answer no document


@dataclass
class Ctx:
    rec: Recorder
    tmp: Path
    redis_url: str
    runs: int
    web: LocalWeb | None = None  # the web being measured: its counters go with each run


def work(world: World) -> dict[str, float]:
    """The same denominators for every tool: what the web offers, not what a tool counted."""
    ok = [f for f in world.feeds if f.behaviour not in BROKEN]
    links = {s.url for f in ok for s in world.feed_stories(f)}
    return {"feeds": len(world.feeds), "entries": sum(len(f.stories) for f in ok),
            "pages": len(links)}


def _peer_env(web: LocalWeb) -> dict[str, str]:
    return {"BENCH_RESOLVE": json.dumps(web.resolve)}


def _flush(url: str) -> int:
    client = redis.Redis.from_url(url)
    client.flushall()
    used = int(client.info("memory")["used_memory"])
    client.close()
    return used


def _used_memory(url: str) -> int:
    client = redis.Redis.from_url(url)
    used = int(client.info("memory")["used_memory"])
    client.close()
    return used


def _add(ctx: Ctx, section: str, tool: str, phase: str, run: measure.Run,
         w: dict[str, float], **extra: float) -> None:
    ok = all(code == 0 for code in run.returncodes)
    if ctx.web is not None:  # what the server saw: the same requests and bytes for everyone
        stats = ctx.web.take_stats()
        extra.setdefault("requests", float(sum(stats["status"].values())))
        extra.setdefault("mb_served", stats["bytes_sent"] / 1e6)
    ctx.rec.add(section, tool, phase, wall=run.wall, cpu=run.cpu, rss=run.max_rss_mb,
                entries_s=w["entries"] / run.wall, feeds_s=w["feeds"] / run.wall,
                pages_s=w["pages"] / run.wall, failed=0.0 if ok else 1.0,
                errors=_errors(run.summary), **extra)


def _errors(summary: dict[str, Any]) -> float:
    """Feeds (and pages) a tool reported as failed; the web's broken feeds count too."""
    outcomes = summary.get("outcomes")
    if isinstance(outcomes, dict):  # newsingest: per-feed outcomes
        return float(outcomes.get("failed", 0))
    return float(summary.get("errors", 0))


def feed_stage(ctx: Ctx, web: LocalWeb, delay: float) -> str:
    """Feeds only: the limit, reader at workers=1 and one thread per feed, the project
    with NEWSINGEST_FETCH_PAGES=never on 1 and 2 workers; pass 1, then the 304 pass."""
    ctx.web = web
    world = web.world
    w = work(world)
    section = f"feeds n={world.n_feeds} delay={delay * 1000:.0f}ms"
    web.set_mode(delay=delay, ignore_conditional=False)
    web.take_stats()
    feeds = write_feeds(world, ctx.tmp / f"feeds-{world.n_feeds}.txt")
    env = _peer_env(web)
    for r in range(ctx.runs):
        state = ctx.tmp / f"limit-{world.n_feeds}-{delay}-{r}.json"
        for phase in ("pass 1", "pass 2 (304)"):
            cmd = [PY, "-m", "bench.limit_feeds", "--feeds", str(feeds), "--state", str(state)]
            _add(ctx, section, "limit: aiohttp + feedparser", phase, measure.run([cmd], env), w)
        for label, workers in (("reader workers=1", 1), ("reader thread per feed",
                                                           world.n_feeds)):
            db = ctx.tmp / f"reader-{world.n_feeds}-{delay}-{workers}-{r}.sqlite"
            for phase in ("pass 1", "pass 2 (304)"):
                cmd = [PY, "-m", "bench.peer_reader", "--feeds", str(feeds), "--db", str(db),
                       "--workers", str(workers)]
                _add(ctx, section, label, phase, measure.run([cmd], env), w)
        _project_feeds(ctx, web, section, feeds, w, workers=1)
        _project_feeds(ctx, web, section, feeds, w, workers=2)
    web.take_stats()
    return section


def _project_feeds(ctx: Ctx, web: LocalWeb, section: str, feeds: Path, w: dict[str, float],
                   workers: int) -> None:
    tool = f"newsingest {workers} worker{'s' if workers > 1 else ''}"
    base = _flush(ctx.redis_url)
    project = Project(ctx.redis_url, feeds, web.resolve, fetch_pages="never")
    first = project.run_pass(workers)
    events = project.events()
    _add(ctx, section, tool, "pass 1", first, w, events=events.total,
         published=events.by_type.get("article.published", 0),
         redis_bytes=_used_memory(ctx.redis_url) - base,
         to_last_event=_to_last(first, events.last_ms))
    _add(ctx, section, tool, "pass 2 (304)", project.run_pass(workers), w)
    if workers == 1:
        web.set_mode(ignore_conditional=True)
        _add(ctx, section, tool, "pass 3 (200, unchanged)", project.run_pass(workers), w,
             new_events=project.events().total - events.total)
        web.set_mode(ignore_conditional=False)


def _to_last(run: measure.Run, last_ms: int | None) -> float:
    return (last_ms / 1000 - run.started_at) if last_ms else float("nan")


def full_pipeline(ctx: Ctx, web: LocalWeb, delay: float) -> str:
    """Feeds and article pages: the project (always fetching pages) on 1 and 2 workers,
    the aiohttp + feedparser + trafilatura script, and newspaper4k; with quality."""
    ctx.web = web
    world = web.world
    w = work(world)
    section = f"pages n={world.n_feeds} delay={delay * 1000:.0f}ms"
    web.set_mode(delay=delay, ignore_conditional=False)
    web.take_stats()
    feeds = write_feeds(world, ctx.tmp / f"feeds-{world.n_feeds}.txt")
    env = _peer_env(web)
    for r in range(ctx.runs):
        for workers in (1, 2):
            _project_pages(ctx, web, section, feeds, w, workers)
        for tool, module in (("script: aiohttp + feedparser + trafilatura", "bench.peer_script"),
                             ("newspaper4k", "bench.peer_newspaper")):
            out = ctx.tmp / f"{module}-{world.n_feeds}-{delay}-{r}.jsonl"
            run = measure.run([[PY, "-m", module, "--feeds", str(feeds), "--out", str(out)]],
                              env)
            with out.open() as lines:
                pages = [(d["url"], d["text"]) for d in map(json.loads, lines)]
            f1, n = score(world, pages)
            _add(ctx, section, tool, "pass 1", run, w, f1=f1, scored=n,
                 cpu_page_ms=1000 * run.cpu / w["pages"])
    web.take_stats()
    return section


def _project_pages(ctx: Ctx, web: LocalWeb, section: str, feeds: Path, w: dict[str, float],
                   workers: int) -> None:
    tool = f"newsingest {workers} worker{'s' if workers > 1 else ''}"
    base = _flush(ctx.redis_url)
    project = Project(ctx.redis_url, feeds, web.resolve, fetch_pages="always")
    run = project.run_pass(workers)
    events = project.events()
    f1, n = score(world=web.world, pages=[(a["url"], a["text"]) for a in events.articles])
    published = events.by_type.get("article.published", 0)
    _add(ctx, section, tool, "pass 1", run, w, f1=f1, scored=n, events=events.total,
         published=published, cpu_page_ms=1000 * run.cpu / w["pages"],
         redis_per_story=(_used_memory(ctx.redis_url) - base) / max(published, 1),
         to_last_event=_to_last(run, events.last_ms))
    if workers == 1:
        _add(ctx, section, tool, "pass 2 (304)", project.run_pass(workers), w)
        web.set_mode(ignore_conditional=True)
        _add(ctx, section, tool, "pass 3 (200, unchanged)", project.run_pass(workers), w)
        web.set_mode(ignore_conditional=False)


def memory(ctx: Ctx, web: LocalWeb) -> str:
    """Peak RSS of one worker on a first pass (feeds only), at this web's size."""
    ctx.web = web
    world = web.world
    w = work(world)
    section = "memory"
    web.set_mode(delay=0.0, ignore_conditional=False)
    web.take_stats()
    feeds = write_feeds(world, ctx.tmp / f"feeds-{world.n_feeds}.txt")
    for _ in range(ctx.runs):
        base = _flush(ctx.redis_url)
        project = Project(ctx.redis_url, feeds, web.resolve, fetch_pages="never")
        run = project.run_pass(1)
        published = project.events().by_type.get("article.published", 0)
        _add(ctx, section, f"{world.n_feeds} feeds, one worker", "pass 1", run, w,
             redis_per_story=(_used_memory(ctx.redis_url) - base) / max(published, 1),
             published=published)
    web.take_stats()
    return section


STARTUP = {
    # As `newsingest`'s main starts: the collector paused while the libraries load
    # (service/gc_policy.py); with CPython's defaults the imports cost ~0.15 s more (measured).
    "newsingest": "from service import gc_policy; gc_policy.pause(); import service.commands",
    "limit: aiohttp + feedparser": "import aiohttp, feedparser",
    "reader": "import reader",
    "script: aiohttp + feedparser + trafilatura": "import aiohttp, feedparser, trafilatura",
    "newspaper4k": "import warnings; warnings.simplefilter('ignore'); import newspaper",
}


def startup(ctx: Ctx) -> str:
    """Import cost of each tool: the fixed price of a cold process, which small passes
    (the 304 pass above all) mostly consist of."""
    for _ in range(ctx.runs):
        for tool, code in STARTUP.items():
            run = measure.run([[PY, "-c", code]])
            ctx.rec.add("startup", tool, "import", wall=run.wall, cpu=run.cpu,
                        rss=run.max_rss_mb)
    return "startup"
