"""The one table: medians of every row, and the issue's goals as ratios of the same run."""

from __future__ import annotations

import math
import os
import platform
from collections.abc import Iterator
from datetime import UTC, datetime

from bench.record import Recorder

P1, P2, P3 = "pass 1", "pass 2 (304)", "pass 3 (200, unchanged)"
PROJECT1, PROJECT2 = "newsingest 1 worker", "newsingest 2 workers"
LIMIT = "limit: aiohttp + feedparser"
READER1, READERN = "reader workers=1", "reader thread per feed"
SCRIPT, NEWSPAPER = "script: aiohttp + feedparser + trafilatura", "newspaper4k"
SPEED_PROBE = "python loop of 10^7 additions"


def machine() -> str:
    model = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            model = next(line.split(":", 1)[1].strip() for line in f if "model name" in line)
        with open("/proc/meminfo") as f:
            mem_kb = int(next(line.split()[1] for line in f if line.startswith("MemTotal")))
    except (OSError, StopIteration):
        mem_kb = 0
    return (f"{os.cpu_count()} cores ({model}), {mem_kb / 1024**2:.0f} GiB, "
            f"{platform.system()} {platform.release()}, Python {platform.python_version()}")


def _fmt(value: float | None, digits: int = 2) -> str:
    if value is None or math.isnan(value):
        return "-"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.{digits}f}"


def render(rec: Recorder, command: str) -> str:
    lines = [
        f"Machine: {machine()}",
        f"Date: {rec.notes.get('date') or f'{datetime.now(UTC):%Y-%m-%d %H:%M} UTC'}. "
        f"Command: `{command}`. "
        f"Figures are medians over {rec.notes.get('runs', '?')} runs.",
        *_speed(rec),
        "",
    ]
    for section in rec.sections("feeds "):
        lines += list(_feed_table(rec, section))
    for section in rec.sections("pages "):
        lines += list(_page_table(rec, section))
    lines += list(_stage_table(rec))
    lines += list(_memory_table(rec))
    lines += list(_goals(rec))
    lines += list(_startup_table(rec))
    if rec.notes.get("dedup"):
        lines += ["### Dedup at scale (bench/dedup_scale.py)", "", "```",
                  rec.notes["dedup"].rstrip(), "```", ""]
    lines += list(_profile_table(rec))
    return "\n".join(lines)


def _speed(rec: Recorder) -> Iterator[str]:
    probes = [s["seconds"] for s in rec.samples.get(("machine", SPEED_PROBE, "probe"), [])]
    if probes:
        yield (f"Machine speed: a pure-Python loop of 10^7 additions took {min(probes):.2f} "
               f"to {max(probes):.2f} s of CPU ({len(probes)} probes, before and after each "
               "invocation); only ratios within one section are comparable.")


Column = tuple[str, str, str, int]  # header, phase, figure, digits

FEED_COLUMNS: tuple[Column, ...] = (
    ("pass 1 s", P1, "wall", 2), ("last event at s", P1, "to_last_event", 2),
    ("entries/s", P1, "entries_s", 0), ("feeds/s", P1, "feeds_s", 2),
    ("CPU s", P1, "cpu", 2), ("peak RSS MB", P1, "rss", 0), ("errors", P1, "errors", 0),
    ("304 pass s", P2, "wall", 2), ("304 feeds/s", P2, "feeds_s", 2), ("304 CPU s", P2, "cpu", 2),
    ("unchanged-200 pass s", P3, "wall", 2), ("unchanged-200 CPU s", P3, "cpu", 2),
    ("requests", P1, "requests", 0), ("MB served", P1, "mb_served", 1),
)
PAGE_COLUMNS: tuple[Column, ...] = (
    ("pass 1 s", P1, "wall", 2), ("last event at s", P1, "to_last_event", 2),
    ("entries/s", P1, "entries_s", 0), ("feeds/s", P1, "feeds_s", 2),
    ("pages/s", P1, "pages_s", 2),
    ("CPU s", P1, "cpu", 2), ("CPU ms/page", P1, "cpu_page_ms", 1), ("peak RSS MB", P1, "rss", 0),
    ("errors", P1, "errors", 0), ("text F1", P1, "f1", 3), ("304 pass s", P2, "wall", 2),
    ("unchanged-200 pass s", P3, "wall", 2), ("unchanged-200 CPU s", P3, "cpu", 2),
    ("requests", P1, "requests", 0), ("MB served", P1, "mb_served", 1),
)


def _table(rec: Recorder, section: str, tools: tuple[str, ...],
           columns: tuple[Column, ...]) -> Iterator[str]:
    yield "| tool | " + " | ".join(c[0] for c in columns) + " |"
    yield "|---|" + "---:|" * len(columns)
    for tool in tools:
        if rec.count(section, tool, P1):
            cells = (_fmt(rec.get(section, tool, phase, figure), digits)
                     for _, phase, figure, digits in columns)
            yield f"| {tool} | " + " | ".join(cells) + " |"
    yield ""


def _feed_table(rec: Recorder, section: str) -> Iterator[str]:
    yield f"### Feed stage, {section}"
    yield ""
    yield from _table(rec, section, (LIMIT, PROJECT1, PROJECT2, READER1, READERN), FEED_COLUMNS)


def _page_table(rec: Recorder, section: str) -> Iterator[str]:
    yield f"### Full pipeline (feeds + article pages), {section}"
    yield ""
    yield from _table(rec, section, (PROJECT1, PROJECT2, SCRIPT, NEWSPAPER), PAGE_COLUMNS)


def _stage_table(rec: Recorder) -> Iterator[str]:
    stages = {t: rec.get("stages", t, "cpu", "ms") for s, t, _ in rec.samples if s == "stages"}
    if not stages:
        return
    rest = _residual(rec, stages)
    yield "### CPU per stage (ms of CPU; micro-benchmark on the same documents)"
    yield ""
    yield "| stage | ms CPU | per |"
    yield "|---|---:|---|"
    for tool, ms in stages.items():
        per = "feed entry" if "entry" in tool else "page"
        yield f"| {tool} | {_fmt(ms, 3)} | {per} |"
    if rest is not None:
        yield (f"| dedupe + publish + orchestration (the worker's CPU per page less the "
               f"stages above and start-up) | {_fmt(rest, 3)} | page |")
    named = {k: v for k, v in stages.items() if not k.startswith("floor") and v is not None}
    if rest is not None:
        named["dedupe + publish + orchestration"] = rest
    if named:
        slowest = max(named, key=lambda k: named[k] or 0.0)
        yield ""
        yield f"Slowest stage: **{slowest}**."
    yield ""


def _residual(rec: Recorder, stages: dict[str, float | None]) -> float | None:
    """What the worker spends per page beyond the measured stages (Redis round trips for
    dedupe and publish, event building, scheduling), from the first page section."""
    sections = rec.sections("pages ")
    if not sections:
        return None
    s = sections[0]
    cpu = rec.get(s, PROJECT1, P1, "cpu")
    pages = _pages_of(rec, s)
    boot = rec.get("startup", "newsingest", "import", "cpu") or 0.0
    if cpu is None or not pages:
        return None
    entries_per_page = (rec.get(s, PROJECT1, P1, "entries_s") or 0) / (
        rec.get(s, PROJECT1, P1, "pages_s") or 1)
    known = sum(v or 0.0 for k, v in stages.items() if not k.startswith(("floor", "parse")))
    known += (stages.get("parse (per entry)") or 0.0) * entries_per_page
    return 1000 * (cpu - boot) / pages - known


def _pages_of(rec: Recorder, section: str) -> float | None:
    """Pages of a section: the denominator pages/s was computed with."""
    pages_s, wall = rec.get(section, PROJECT1, P1, "pages_s"), rec.get(section, PROJECT1, P1,
                                                                       "wall")
    samples = rec.samples.get((section, PROJECT1, P1), [])
    if samples:
        first = samples[0]
        return first["pages_s"] * first["wall"]
    return pages_s * wall if pages_s and wall else None


def _memory_table(rec: Recorder) -> Iterator[str]:
    rows = [t for s, t, _ in rec.samples if s == "memory"]
    if not rows:
        return
    yield "### Memory (feeds only, one worker, first pass)"
    yield ""
    yield ("| worker | peak RSS MB | pass 1 s | feeds failed | stories published | "
           "Redis bytes per published story |")
    yield "|---|---:|---:|---:|---:|---:|"
    for tool in dict.fromkeys(rows):
        yield (f"| {tool} | {_fmt(rec.get('memory', tool, P1, 'rss'), 0)} | "
               f"{_fmt(rec.get('memory', tool, P1, 'wall'))} | "
               f"{_fmt(rec.get('memory', tool, P1, 'errors'), 0)} | "
               f"{_fmt(rec.get('memory', tool, P1, 'published'), 0)} | "
               f"{_fmt(rec.get('memory', tool, P1, 'redis_per_story'), 0)} |")
    yield ""


def _profile_table(rec: Recorder) -> Iterator[str]:
    for label in ("feeds", "pages"):
        section = f"profile {label}"
        rows = list(dict.fromkeys(t for s, t, _ in rec.samples if s == section))
        if not rows:
            continue
        yield f"### Where a worker's pass goes ({label}: profile)"
        yield ""
        yield rec.notes.get(section, "")
        yield ""
        yield "| stage | seconds | share of the pass |"
        yield "|---|---:|---:|"
        for stage in sorted(rows, key=lambda t: -(rec.get(section, t, "share", "share") or 0)):
            yield (f"| {stage} | {_fmt(rec.get(section, stage, 'share', 'seconds'))} | "
                   f"{100 * (rec.get(section, stage, 'share', 'share') or 0):.1f}% |")
        yield ""


def _startup_table(rec: Recorder) -> Iterator[str]:
    rows = list(dict.fromkeys(t for s, t, _ in rec.samples if s == "startup"))
    if not rows:
        return
    yield "### Start-up (importing each tool: paid once per process, in every pass above)"
    yield ""
    yield "| tool | wall s | CPU s | RSS MB |"
    yield "|---|---:|---:|---:|"
    for tool in rows:
        yield (f"| {tool} | {_fmt(rec.get('startup', tool, 'import', 'wall'))} | "
               f"{_fmt(rec.get('startup', tool, 'import', 'cpu'))} | "
               f"{_fmt(rec.get('startup', tool, 'import', 'rss'), 0)} |")
    yield ""


def _ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def _goal(name: str, value: float | None, target: str, met: bool | None) -> str:
    verdict = "n/a" if met is None else ("met" if met else "**missed**")
    return f"| {name} | {target} | {_fmt(value)} | {verdict} |"


def _goals(rec: Recorder) -> Iterator[str]:
    yield "### Goals (ratios within one section, i.e. one run)"
    yield ""
    yield "| goal | target | measured | verdict |"
    yield "|---|---|---:|---|"
    g = rec.get
    for s in rec.sections("feeds "):
        mine = g(s, PROJECT1, P1, "entries_s")
        best = max(filter(None, (g(s, READER1, P1, "entries_s"), g(s, READERN, P1, "entries_s"))),
                   default=None)
        r1 = _ratio(mine, g(s, READER1, P1, "entries_s"))
        yield _goal(f"{s}: project ÷ reader workers=1, pass 1", r1, "≥ 5", _ge(r1, 5))
        rb = _ratio(mine, best)
        yield _goal(f"{s}: project ÷ reader at its best, pass 1", rb, "≥ 1.3", _ge(rb, 1.3))
        best304 = max(filter(None, (g(s, READER1, P2, "feeds_s"), g(s, READERN, P2, "feeds_s"))),
                      default=None)
        r304 = _ratio(g(s, PROJECT1, P2, "feeds_s"), best304)
        yield _goal(f"{s}: project ÷ reader at its best, 304 pass", r304, "≥ 2", _ge(r304, 2))
        lr = _ratio(g(s, LIMIT, P1, "entries_s"), g(s, READER1, P1, "entries_s"))
        yield _goal(f"{s}: the limit itself ÷ reader workers=1, pass 1", lr, "info", None)
        rl = _ratio(mine, g(s, LIMIT, P1, "entries_s"))
        yield _goal(f"{s}: project ÷ limit (aiohttp + feedparser), pass 1", rl, "≥ 0.6",
                    _ge(rl, 0.6))
        # The project scales out by worker processes (one core each), reader by threads in
        # one process: the same goals with the project's two-worker row.
        two = g(s, PROJECT2, P1, "entries_s")
        for name, against, target in (("reader workers=1", g(s, READER1, P1, "entries_s"), 5.0),
                                   ("reader at its best", best, 1.3),
                                   ("limit (aiohttp + feedparser)",
                                    g(s, LIMIT, P1, "entries_s"), 0.6)):
            r = _ratio(two, against)
            yield _goal(f"{s}: project, 2 workers ÷ {name}, pass 1", r, f"≥ {target:g}",
                        _ge(r, target))
        yield from _unchanged(rec, s)
        r2 = _ratio(two, mine)
        yield _goal(f"{s}: 2 workers ÷ 1 worker, pass 1 (2 cores, server on them too)", r2,
                    "info", None)
    for s in rec.sections("pages "):
        mine = g(s, PROJECT1, P1, "pages_s")
        for peer in (SCRIPT, NEWSPAPER):
            r = _ratio(mine, g(s, peer, P1, "pages_s"))
            yield _goal(f"{s}: project ÷ {peer}, pages/s", r, "> 1", _ge(r, 1.0 + 1e-9))
            q = g(s, PROJECT1, P1, "f1")
            dq = None if q is None or g(s, peer, P1, "f1") is None else q - (
                g(s, peer, P1, "f1") or 0)
            yield _goal(f"{s}: project F1 − {peer} F1", dq, "≥ 0 (−0.005 tolerance)",
                        None if dq is None else dq >= -0.005)
        yield from _unchanged(rec, s)
        floor = g("stages", "floor: HTML parse, lexbor", "cpu", "ms")
        rf = _ratio(g(s, PROJECT1, P1, "cpu_page_ms"), floor)
        yield _goal(f"{s}: project CPU per page ÷ one lexbor parse", rf, "info", None)
    sizes = list(dict.fromkeys(t for s, t, _ in rec.samples if s == "memory"))
    if len(sizes) >= 2:
        first, last = sizes[0], sizes[-1]
        growth = _ratio(g("memory", last, P1, "rss"), g("memory", first, P1, "rss"))
        feeds_growth = _ratio(_feeds_in(last), _feeds_in(first))
        # Elasticity: 1 means RSS grows like the feed count, 0 means flat.
        elastic = (math.log(growth) / math.log(feeds_growth)
                   if growth and feeds_growth and feeds_growth > 1 else None)
        yield _goal(f"peak RSS {first} → {last}: log(RSS ratio) ÷ log(feeds ratio ×"
                    f"{_fmt(feeds_growth, 0)})", elastic, "≤ 0.25 (far slower than feeds)",
                    None if elastic is None else elastic <= 0.25)
    yield ""


def _unchanged(rec: Recorder, s: str) -> Iterator[str]:
    """The unchanged-200 pass against pass 1, as measured and net of start-up (imports),
    which a small pass mostly consists of."""
    first, again = rec.get(s, PROJECT1, P1, "cpu"), rec.get(s, PROJECT1, P3, "cpu")
    ru = _ratio(again, first)
    yield _goal(f"{s}: unchanged 200 pass CPU ÷ pass 1 CPU", ru, "≤ 0.1", _le(ru, 0.1))
    boot = rec.get("startup", "newsingest", "import", "cpu")
    if boot is not None and first is not None and again is not None:
        net = _ratio(max(again - boot, 0.0), first - boot)
        yield _goal(f"{s}: the same, net of start-up", net, "info", None)


def _le(value: float | None, target: float) -> bool | None:
    return None if value is None else value <= target


def _feeds_in(tool: str) -> float | None:
    for word in tool.replace(",", " ").split():
        if word.isdigit():
            return float(word)
    return None


def _ge(value: float | None, target: float) -> bool | None:
    return None if value is None else value >= target
