"""Redis server CPU of one feeds-only pass, per event: what the dedupe scripts cost Redis.

    python -m bench.redis_cpu [--feeds 100] [--seed 1] [--repeats 1] [--top 12]

Starts the benchmark's local news web (bench/local_web.py) and a private redis-server
(bench/redis_server.py), and runs one ``newsingest worker --feeds F --once`` pass over the
web's feeds with page fetching off (bench/project.py), exactly as production runs it. The
server serves this pass alone, so the figures are the pass's:

- Redis CPU: the server's ``INFO cpu`` (user + system) over the pass, per event the pass
  published to the stream and per EVALSHA call. This is the figure to compare.
- EVALSHA µs per call and the top ``INFO commandstats``: Redis' own timing of each
  command (a script's time includes its nested commands, which are also listed on their
  own). These are wall times inside the server, inflated when the machine is busy.
- The events by type: a change to the store must not change them.

``--repeats N`` runs N passes, each on an emptied server (FLUSHALL on our own instance),
and ends with the median of the CPU figures. On a shared machine compare before and after
back to back.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import redis

from bench.feedlist import write_feeds
from bench.local_web import LocalWeb, local_web
from bench.project import Project
from bench.redis_server import private_redis
from bench.world import World


@dataclass(frozen=True)
class PassCpu:
    by_type: dict[str, int]
    redis_cpu: float  # seconds, user + system, of the server over the pass
    evalsha_calls: int
    evalsha_usec_per_call: float
    commandstats: dict[str, dict[str, Any]]  # "evalsha" -> {"calls": ..., "usec": ...}

    @property
    def events(self) -> int:
        return sum(self.by_type.values())

    @property
    def cpu_us_per_event(self) -> float:
        return 1e6 * self.redis_cpu / max(1, self.events)

    @property
    def cpu_us_per_evalsha(self) -> float:
        return 1e6 * self.redis_cpu / max(1, self.evalsha_calls)


def _cpu_seconds(client: Any) -> float:
    info: dict[str, Any] = client.info("cpu")
    return float(info["used_cpu_user"]) + float(info["used_cpu_sys"])


def one_pass(url: str, web: LocalWeb, feeds: Path) -> PassCpu:
    """One feeds-only pass on a fresh key prefix; the server's figures over it."""
    client: Any = redis.Redis.from_url(url)
    try:
        client.flushall()
        client.config_resetstat()
        before = _cpu_seconds(client)
        project = Project(url, feeds, web.resolve, fetch_pages="never")
        run = project.run_pass(1)
        if any(run.returncodes):
            raise RuntimeError(f"the worker failed: exit codes {run.returncodes}")
        cpu = _cpu_seconds(client) - before
        stats: dict[str, dict[str, Any]] = {
            name.removeprefix("cmdstat_"): row for name, row in client.info("commandstats").items()
        }
    finally:
        client.close()
    evalsha = stats.get("evalsha", {"calls": 0, "usec_per_call": 0.0})
    return PassCpu(
        by_type=dict(sorted(project.events().by_type.items())),
        redis_cpu=cpu,
        evalsha_calls=int(evalsha["calls"]),
        evalsha_usec_per_call=float(evalsha["usec_per_call"]),
        commandstats=stats,
    )


def report(result: PassCpu, top: int) -> None:
    print(f"events {result.events}: " + ", ".join(f"{k} {v}" for k, v in result.by_type.items()))
    print(
        f"Redis CPU {result.redis_cpu:.3f} s: {result.cpu_us_per_event:.1f} µs per event, "
        f"{result.cpu_us_per_evalsha:.1f} µs per EVALSHA"
    )
    print(
        f"EVALSHA {result.evalsha_calls} calls, {result.evalsha_usec_per_call:.1f} µs per call "
        "(commandstats)"
    )
    rows = sorted(result.commandstats.items(), key=lambda kv: -float(kv[1]["usec"]))[:top]
    print(f"{'command':<12} {'calls':>8} {'usec':>10} {'µs/call':>8}")
    for name, row in rows:
        print(f"{name:<12} {row['calls']:>8} {row['usec']:>10} {float(row['usec_per_call']):>8.2f}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--feeds", type=int, default=100, help="feeds in the local web")
    parser.add_argument("--seed", type=int, default=1, help="the web's seed")
    parser.add_argument("--repeats", type=int, default=1, help="passes, each on a fresh server")
    parser.add_argument("--top", type=int, default=12, help="commandstats rows shown")
    args = parser.parse_args(argv)
    results: list[PassCpu] = []
    with (
        tempfile.TemporaryDirectory(prefix="redis-cpu-") as tmp,
        private_redis() as url,
        local_web(World(args.feeds, args.seed)) as web,
    ):
        feeds = write_feeds(web.world, Path(tmp) / "feeds.txt")
        for i in range(args.repeats):
            if args.repeats > 1:
                print(f"--- pass {i + 1} of {args.repeats}")
            results.append(one_pass(url, web, feeds))
            report(results[-1], args.top)
    if len(results) > 1:
        per_event = statistics.median(r.cpu_us_per_event for r in results)
        per_call = statistics.median(r.cpu_us_per_evalsha for r in results)
        usec = statistics.median(r.evalsha_usec_per_call for r in results)
        print(
            f"median of {len(results)}: Redis CPU {per_event:.1f} µs per event, "
            f"{per_call:.1f} µs per EVALSHA; EVALSHA {usec:.1f} µs per call (commandstats)"
        )


if __name__ == "__main__":
    main()
