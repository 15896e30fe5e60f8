"""CI keeps the dedup benchmarks working at a size of seconds; no timing is asserted."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import TEST_REDIS_URL


def run(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", *args], capture_output=True, text=True, check=False, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_dedup_scale_runs_and_reports_latency_and_memory() -> None:
    out = run(
        "bench.dedup_scale", "--redis", TEST_REDIS_URL, "--sizes", "300,600", "--samples", "50"
    )
    assert "lookup+insert per article" in out
    assert "memory/story" in out


def test_clustering_prints_precision_and_recall() -> None:
    out = run("bench.clustering", "--events", "40", "--no-designs", "--redis", TEST_REDIS_URL)
    assert "precision" in out
    assert "recall" in out
