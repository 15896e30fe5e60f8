"""Proxy choice from the environment (HTTP_PROXY, HTTPS_PROXY, ALL_PROXY, NO_PROXY), read once.

aiohttp's ``trust_env=True`` reads the same variables, but on every request, in a worker
thread, together with ~/.netrc (whose passwords it would then send to feed sites); on a
loopback benchmark that cost two thirds of the throughput. So the variables are read once,
with the standard library's own parser (the one aiohttp and requests use), and the choice
per URL is a dictionary look-up.

Caveat: through a proxy, the proxy resolves names, so the address guard
(workers/addresses.py) sees only the proxy's name and the URL's literal addresses; a name
that resolves to a private address must be refused by the proxy's own rules, and
``Settings.resolve`` does not apply.
"""

from __future__ import annotations

import base64
import logging
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass

from aiohttp import hdrs
from yarl import URL

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Proxy:
    url: URL
    headers: Mapping[str, str] | None  # Proxy-Authorization, from credentials in the URL


def _proxy(value: str) -> Proxy | None:
    url = URL(value if "://" in value else f"http://{value}")
    if url.scheme != "http" or not url.host:
        # aiohttp speaks to proxies in plain HTTP only (CONNECT for https targets).
        log.warning("ignoring proxy %s: only http:// proxies are supported", url.with_user(None))
        return None
    if url.user is None:
        return Proxy(url, None)
    credentials = f"{url.user}:{url.password or ''}".encode()
    authorization = "Basic " + base64.b64encode(credentials).decode("ascii")
    return Proxy(url.with_user(None), {hdrs.PROXY_AUTHORIZATION: authorization})


def no_proxy_entries(value: str) -> tuple[str, ...]:
    """NO_PROXY as urllib reads it: comma-separated names, leading dots ignored, "*" = all."""
    return tuple(e.strip().lstrip(".").lower() for e in value.split(",") if e.strip())


def bypassed(host: str, port: int | None, entries: tuple[str, ...]) -> bool:
    """True when NO_PROXY says to go direct: "*", the name, a parent domain, or name:port."""
    if "*" in entries:
        return True
    host = host.lower()
    host_port = f"{host}:{port}"
    return any(
        name in (host, host_port) or host.endswith("." + name) or host_port.endswith("." + name)
        for name in entries
    )


class EnvProxies:
    """Which proxy, if any, carries a request to a given URL."""

    def __init__(self, variables: Mapping[str, str]) -> None:
        """``variables`` as from ``urllib.request.getproxies_environment()``."""
        by_scheme = {s: _proxy(v) for s, v in variables.items() if s in ("http", "https", "all")}
        self._by_scheme = {s: p for s, p in by_scheme.items() if p is not None}
        self._no_proxy = no_proxy_entries(variables.get("no", ""))

    @classmethod
    def from_env(cls) -> EnvProxies:
        return cls(urllib.request.getproxies_environment())

    @property
    def endpoints(self) -> frozenset[tuple[str, int]]:
        """(host, port) of every proxy, for the address guard to let through."""
        return frozenset(
            (p.url.host.lower(), p.url.port or 80)
            for p in self._by_scheme.values()
            if p.url.host is not None
        )

    def for_url(self, url: URL) -> Proxy | None:
        if not self._by_scheme:
            return None
        proxy = self._by_scheme.get(url.scheme) or self._by_scheme.get("all")
        if proxy is None or bypassed(url.host or "", url.port, self._no_proxy):
            return None
        return proxy
