"""Static name resolution for the peers, like curl's --resolve.

The local news web plays real hostnames on one loopback port. The project takes the map
as ``NEWSINGEST_RESOLVE``; peers get the same map here, so every tool sends the same
requests (same URL, same Host header) and receives the same bytes. Nothing else about a
peer changes: only where a name points.
"""

from __future__ import annotations

import json
import os
import socket
from typing import Any

from aiohttp.abc import AbstractResolver, ResolveResult

ENV = "BENCH_RESOLVE"  # the same JSON object as NEWSINGEST_RESOLVE

_Map = dict[tuple[str, int], tuple[str, int]]


def load(env: dict[str, str] | None = None) -> _Map:
    raw = json.loads((env or os.environ).get(ENV, "{}"))
    out: _Map = {}
    for key, value in raw.items():
        host, port = key.rsplit(":", 1)
        addr, to_port = value.rsplit(":", 1)
        out[(host.lower(), int(port))] = (addr, int(to_port))
    return out


def patch_socket(mapping: _Map) -> None:
    """Point ``socket.getaddrinfo`` at the map: requests and urllib3 connect through it."""
    real = socket.getaddrinfo

    def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        key = (str(host).lower(), int(port or 80))
        if key in mapping:
            host, port = mapping[key]
        return real(host, port, *args, **kwargs)

    socket.getaddrinfo = getaddrinfo


class StaticResolver(AbstractResolver):
    """aiohttp resolver answering from the map, with no thread hop or DNS."""

    def __init__(self, mapping: _Map) -> None:
        self._mapping = mapping

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        addr, to_port = self._mapping.get((host.lower(), port), (host, port))
        return [ResolveResult(hostname=host, host=addr, port=to_port, family=socket.AF_INET,
                              proto=0, flags=socket.AI_NUMERICHOST)]

    async def close(self) -> None:
        return None
