"""Start the local news web in its own process, and steer it through its control host.

Its own process, so its CPU never counts against a tool measured in another, and its
event loop never waits on theirs. It lives as long as our end of its stdin stays open.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from bench.measure import ROOT
from bench.newsweb import CONTROL_HOST, resolve_map
from bench.world import World


@dataclass
class LocalWeb:
    world: World
    port: int

    @property
    def resolve(self) -> dict[str, str]:
        return resolve_map(self.world, self.port)

    def control(self, **params: object) -> dict[str, Any]:
        query = "&".join(f"{k}={v}" for k, v in params.items())
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request("GET", f"/?{query}", headers={"Host": CONTROL_HOST})
            data: dict[str, Any] = json.loads(conn.getresponse().read())
            return data
        finally:
            conn.close()

    def set_mode(self, *, delay: float | None = None, ignore_conditional: bool | None = None,
                 slow: float | None = None) -> None:
        params: dict[str, object] = {}
        if delay is not None:
            params["delay"] = delay
        if ignore_conditional is not None:
            params["ignore_conditional"] = int(ignore_conditional)
        if slow is not None:
            params["slow"] = slow
        self.control(**params)

    def take_stats(self) -> dict[str, Any]:
        stats: dict[str, Any] = self.control(reset=1)["stats"]
        return stats


@contextlib.contextmanager
def local_web(world: World, *, slow: float = 1.0) -> Iterator[LocalWeb]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "bench.newsweb", "--feeds", str(world.n_feeds), "--seed",
         str(world.seed), "--slow", str(slow)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=ROOT,
    )
    try:
        assert proc.stdout is not None
        port = int(json.loads(proc.stdout.readline())["port"])
        yield LocalWeb(world, port)
    finally:
        if proc.stdin is not None:
            proc.stdin.close()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()
