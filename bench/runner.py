"""``python -m bench``: every scenario at the configured sizes, then one table.

``--smoke`` runs tiny sizes once (seconds, to keep the code working); the default sizes
are the ones BENCHMARKS.md reports. Results go to bench/out/ (raw samples as JSON, the
table as Markdown) and the table to stdout.
"""

from __future__ import annotations

import argparse
import compileall
import importlib.util
import shlex
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench import report, scenarios
from bench.local_web import LocalWeb, local_web
from bench.measure import ROOT
from bench.project import Project
from bench.record import Recorder
from bench.redis_server import private_redis
from bench.stages import stage_costs
from bench.world import World

OUT = Path(__file__).parent / "out"


SECTIONS = ("startup", "feeds", "memory", "pages", "stages", "profile", "dedup")


@dataclass(frozen=True)
class Config:
    feed_sizes: tuple[int, ...] = (200, 50)  # the first is also profiled
    page_feeds: int = 16
    memory_sizes: tuple[int, ...] = (50, 500, 2000)
    delays: tuple[float, ...] = (0.0, 0.05)
    runs: int = 3
    seed: int = 1
    slow: float = 1.0
    profile: bool = True
    dedup_sizes: tuple[int, ...] = (10_000, 100_000, 1_000_000)
    only: frozenset[str] = frozenset(SECTIONS)
    redis_query: str = ""  # appended to the project's REDIS_URL, e.g. max_connections=1000


SMOKE = Config(feed_sizes=(12,), page_feeds=6, memory_sizes=(6, 12), runs=1, slow=0.2,
               profile=False, dedup_sizes=(1_000, 5_000))


def _log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def compile_project() -> None:
    """Byte-compile our packages, as installing a wheel (or the Docker image) does. The
    peers' wheels were compiled at install; an editable install is not, and where
    PYTHONDONTWRITEBYTECODE is set (this machine) every worker process would otherwise
    compile our sources again: about 0.12 s of CPU each, measured."""
    for package in ("service", "workers", "schemas"):
        compileall.compile_dir(ROOT / package, quiet=1)


def speed_probe() -> float:
    """CPU seconds of a fixed pure-Python loop: this virtual machine's speed drifts (the
    same loop has taken 0.98 to 1.84 s in one session), so the report shows it, taken
    before and after the run, beside figures that can only be compared within a run."""
    start = time.process_time()
    total = 0
    for i in range(10_000_000):
        total += i
    return time.process_time() - start


def run_all(cfg: Config, rec: Recorder, tmp: Path) -> None:
    rec.notes["runs"] = str(cfg.runs)
    rec.add("machine", report.SPEED_PROBE, "probe", seconds=speed_probe())
    try:
        _run_sections(cfg, rec, tmp)
    finally:
        rec.add("machine", report.SPEED_PROBE, "probe", seconds=speed_probe())


def _run_sections(cfg: Config, rec: Recorder, tmp: Path) -> None:
    if cfg.redis_query:
        rec.notes["redis_query"] = cfg.redis_query
    with private_redis() as redis_url:
        project_redis = redis_url + (f"?{cfg.redis_query}" if cfg.redis_query else "")
        ctx = scenarios.Ctx(rec, tmp, project_redis, cfg.runs)
        if "startup" in cfg.only:
            _log("start-up")
            scenarios.startup(ctx)
        profile = cfg.profile and "profile" in cfg.only
        for i, n in enumerate(cfg.feed_sizes if {"feeds", "profile"} & cfg.only else ()):
            with local_web(World(n, cfg.seed), slow=cfg.slow) as web:
                for delay in cfg.delays if "feeds" in cfg.only else ():
                    _log(f"feed stage: {n} feeds, delay {delay * 1000:.0f} ms")
                    scenarios.feed_stage(ctx, web, delay)
                if i == 0 and profile:
                    _log("profile, feeds only")
                    rec.notes["profile feeds"] = _profile(project_redis, web, tmp, rec, "never")
        for n in cfg.memory_sizes if "memory" in cfg.only else ():
            with local_web(World(n, cfg.seed), slow=cfg.slow) as web:
                _log(f"memory: {n} feeds")
                scenarios.memory(ctx, web)
        with local_web(World(cfg.page_feeds, cfg.seed), slow=cfg.slow) as web:
            for delay in cfg.delays if "pages" in cfg.only else ():
                _log(f"full pipeline: {cfg.page_feeds} feeds, delay {delay * 1000:.0f} ms")
                scenarios.full_pipeline(ctx, web, delay)
            for _ in range(cfg.runs if "stages" in cfg.only else 0):
                _log("per-stage CPU")
                for stage, ms in stage_costs(web.world, web).items():
                    rec.add("stages", stage, "cpu", ms=ms)
            if profile:
                _log("profile, with pages")
                rec.notes["profile pages"] = _profile(project_redis, web, tmp, rec, "always")
        if cfg.dedup_sizes and "dedup" in cfg.only:
            _log("dedup at scale")
            scenarios._flush(redis_url)
            rec.notes["dedup"] = _dedup(cfg.dedup_sizes, redis_url)


def _profile(redis_url: str, web: LocalWeb, tmp: Path, rec: Recorder, pages: str) -> str:
    """One pyinstrument-wrapped first pass: its split by stage is recorded, its text tree
    goes to bench/out/."""
    if importlib.util.find_spec("pyinstrument") is None:
        return "pyinstrument not installed (pip install -e '.[bench]'): no profile."
    from bench.feedlist import write_feeds
    from bench.profile_stages import split

    scenarios._flush(redis_url)
    feeds = write_feeds(web.world, tmp / "profile-feeds.txt")
    session = tmp / "pass.pyisession"
    web.set_mode(delay=0.0, ignore_conditional=False)
    project = Project(redis_url, feeds, web.resolve, fetch_pages=pages)
    project.run_pass(1, wrap=[sys.executable, "-m", "pyinstrument", "-r", "pyisession",
                              "-o", str(session)])
    label = "pages" if pages == "always" else "feeds"
    text = OUT / f"profile-{label}.txt"
    stages, total = split(session, text)
    for stage, seconds in stages.items():
        rec.add(f"profile {label}", stage, "share", seconds=seconds, share=seconds / total)
    return (f"pyinstrument, one first pass (NEWSINGEST_FETCH_PAGES={pages}) on "
            f"{web.world.n_feeds} feeds, delay 0 ({total:.1f} s sampled); tree: "
            f"`bench/out/{text.name}`")


def _dedup(sizes: tuple[int, ...], redis_url: str) -> str:
    """The dedup-at-scale rows are bench/dedup_scale.py's (another owner's); we only call
    it, on the private Redis."""
    if importlib.util.find_spec("bench.dedup_scale") is None:
        return "bench/dedup_scale.py not present: no figures."
    cmd = [sys.executable, "-m", "bench.dedup_scale", "--redis", redis_url,
           "--sizes", ",".join(map(str, sizes))]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=1800, check=False)
    return (done.stdout or "") + (f"\n(exit {done.returncode}) {done.stderr[-500:]}"
                                  if done.returncode else "")


def _sizes(text: str) -> tuple[int, ...]:
    return tuple(int(x) for x in text.split(",") if x)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, one run")
    parser.add_argument("--runs", type=int)
    parser.add_argument("--feeds", type=_sizes, help="feed-stage sizes, e.g. 500")
    parser.add_argument("--pages-feeds", type=int, help="full-pipeline size in feeds")
    parser.add_argument("--memory", type=_sizes, help="memory sizes, e.g. 50,500,2000")
    parser.add_argument("--delays", help="per-response delays in ms, e.g. 0,50")
    parser.add_argument("--dedup", type=_sizes, help="dedup-at-scale sizes ('' to skip)")
    parser.add_argument("--no-profile", action="store_true")
    parser.add_argument("--only", help=f"comma-separated subset of {','.join(SECTIONS)}")
    parser.add_argument("--redis-query", default="",
                        help="appended to the project's REDIS_URL, e.g. max_connections=1000")
    parser.add_argument("--report", type=Path, nargs="+",
                        help="re-render saved results JSON files (merged) instead of running")
    args = parser.parse_args(argv)
    command = "python -m bench " + shlex.join(argv if argv is not None else sys.argv[1:])
    if args.report:
        merged = Recorder()
        for path in args.report:
            merged.merge(Recorder.load(path))
        print(report.render(merged, merged.notes.get("command", command)))
        return 0
    cfg = SMOKE if args.smoke else Config()
    cfg = Config(
        feed_sizes=args.feeds or cfg.feed_sizes,
        page_feeds=args.pages_feeds or cfg.page_feeds,
        memory_sizes=args.memory if args.memory is not None else cfg.memory_sizes,
        delays=(tuple(float(d) / 1000 for d in args.delays.split(","))
                if args.delays else cfg.delays),
        runs=args.runs or cfg.runs, seed=cfg.seed, slow=cfg.slow,
        profile=(cfg.profile or "profile" in (args.only or "")) and not args.no_profile,
        dedup_sizes=args.dedup if args.dedup is not None else cfg.dedup_sizes,
        only=frozenset(args.only.split(",")) if args.only else cfg.only,
        redis_query=args.redis_query,
    )
    OUT.mkdir(exist_ok=True)
    compile_project()
    rec = Recorder(notes={"command": command, "date": time.strftime("%Y-%m-%d %H:%M UTC",
                                                                      time.gmtime())})
    stamp = time.strftime("%Y%m%d-%H%M%S")
    with tempfile.TemporaryDirectory(prefix="newsingest-bench-") as tmp:
        try:
            run_all(cfg, rec, Path(tmp))
        finally:
            rec.save(OUT / f"results-{stamp}.json")
    table = report.render(rec, command)
    (OUT / f"report-{stamp}.md").write_text(table + "\n")
    print(table)
    return 0
