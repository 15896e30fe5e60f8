"""Run tool processes and measure them from outside: wall time, CPU time, peak RSS.

Every tool runs as its own process from a cold start, so imports and start-up are part of
its figures, as they are for a user. ``os.wait4`` gives the exact CPU and peak RSS of the
child; the runner's own work is never counted.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

ROOT = Path(__file__).resolve().parents[1]  # tools run as ``python -m bench.x`` from here


@dataclass(frozen=True, slots=True)
class Run:
    wall: float  # seconds, first start to last exit
    cpu: float  # user + system seconds, summed over the processes
    max_rss_mb: float  # the largest peak RSS of any one process
    summary: dict[str, Any]  # the tool's JSON line, merged over processes
    returncodes: tuple[int, ...]
    started_at: float  # epoch seconds, to place the tool's own timestamps (stream ids)


def run(commands: Sequence[Sequence[str]], env: Mapping[str, str] | None = None,
        timeout: float = 1800.0) -> Run:
    """Start the commands together, wait for all; a process over ``timeout`` is killed."""
    with contextlib.ExitStack() as stack:
        outs = [stack.enter_context(tempfile.TemporaryFile()) for _ in commands]
        errs = [stack.enter_context(tempfile.TemporaryFile()) for _ in commands]
        return _run(commands, {**os.environ, **(env or {})}, timeout, outs, errs)


def _run(commands: Sequence[Sequence[str]], full_env: Mapping[str, str], timeout: float,
         outs: Sequence[IO[bytes]], errs: Sequence[IO[bytes]]) -> Run:
    started_at = time.time()
    start = time.perf_counter()
    procs = [subprocess.Popen(list(cmd), env=full_env, stdout=out, stderr=err,
                              stdin=subprocess.DEVNULL, cwd=ROOT)
             for cmd, out, err in zip(commands, outs, errs, strict=True)]
    cpu = rss = 0.0
    codes = []
    for proc in procs:
        _, status, usage, hwm_kb = _wait(proc, start + timeout)
        codes.append(os.waitstatus_to_exitcode(status))
        cpu += usage.ru_utime + usage.ru_stime
        rss = max(rss, hwm_kb / 1024)
    wall = time.perf_counter() - start
    summary: dict[str, Any] = {}
    for out, err, code in zip(outs, errs, codes, strict=True):
        out.seek(0)
        lines = out.read().decode(errors="replace").strip().splitlines()
        if lines and lines[-1].startswith("{"):
            _merge(summary, json.loads(lines[-1]))
        if code != 0:
            err.seek(0)
            sys.stderr.write(err.read().decode(errors="replace")[-3000:])
    return Run(wall, cpu, rss, summary, tuple(codes), started_at)


def _wait(proc: subprocess.Popen[bytes], deadline: float) -> tuple[int, int, Any, int]:
    """Reap the child; meanwhile sample its VmHWM. Not ``ru_maxrss``: Linux carries the
    parent's high-water mark into a child across fork and exec, so a child of a large
    runner would inherit the runner's size."""
    hwm = 0
    polls = 0
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            proc.returncode = os.waitstatus_to_exitcode(status)
            return pid, status, usage, hwm
        if polls % 5 == 0:
            hwm = max(hwm, _vm_hwm_kb(proc.pid))
        polls += 1
        if time.perf_counter() > deadline:
            proc.kill()
            pid, status, usage = os.wait4(proc.pid, 0)
            return pid, status, usage, hwm
        time.sleep(0.001)


def _vm_hwm_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", "rb") as f:
            for line in f:
                if line.startswith(b"VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _merge(into: dict[str, Any], new: dict[str, Any]) -> None:
    for key, value in new.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        elif isinstance(value, int | float) and isinstance(into.get(key, 0), int | float):
            into[key] = into.get(key, 0) + value
        else:
            into[key] = value
