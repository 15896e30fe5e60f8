"""Which addresses the fetcher may connect to: the server-side request forgery guard.

Feed and article URLs come from strangers, so a URL must not make us talk to our own
network (Redis, cloud metadata at 169.254.169.254, admin consoles). The decisions are pure
functions; ``GuardedResolver`` is the thin shell aiohttp's connector calls for every name.
Names are checked after resolution, on the very addresses the connector then dials, so a
second, different DNS answer cannot slip past the check.

Static overrides (``Settings.resolve``, like ``curl --resolve``) are trusted as they stand:
the operator wrote them, as they would an /etc/hosts entry they meant to use.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Collection, Mapping

from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import ThreadedResolver

from workers.errors import ConfigError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
HostPort = tuple[str, int]

_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


class BlockedAddressError(OSError):
    """A name resolved only to addresses the guard refuses.

    An ``OSError`` so that aiohttp wraps it like any other resolver failure
    (``ClientConnectorDNSError.os_error``), where workers/fetch.py recognises it.
    """

    def __init__(self, host: str, addresses: Collection[str]) -> None:
        super().__init__(f"{host} resolves only to non-public addresses: {', '.join(addresses)}")
        self.host = host


def embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for (mapped, 6to4, NAT64), if any."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def is_public(ip: IPAddress) -> bool:
    """True for an address on the public internet; False for anything of ours or nobody's."""
    if isinstance(ip, ipaddress.IPv6Address):
        inner = embedded_ipv4(ip)
        if inner is not None:
            # ::ffff:127.0.0.1 reaches loopback; Python 3.11 calls it merely "private".
            ip = inner
        elif ip.is_site_local:
            return False
    return ip.is_global and not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast  # is_global is True for most multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


def parse_ip(host: str) -> IPAddress | None:
    """The address a URL host spells literally, or None for a name."""
    # Cheap test first: names rarely end in a digit and never hold a colon.
    if not (host[-1:].isdigit() or ":" in host):
        return None
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def literal_blocked(host: str) -> bool:
    """True when a URL's host is a literal address the guard refuses (no resolver runs)."""
    ip = parse_ip(host)
    return ip is not None and not is_public(ip)


def split_host_port(text: str) -> HostPort:
    """``"name:80"``, ``"1.2.3.4:80"`` or ``"[::1]:80"`` -> (host, port); raises ValueError."""
    host, sep, port = text.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"expected host:port, got {text!r}")
    return host.removeprefix("[").removesuffix("]").lower(), int(port)


def parse_overrides(entries: Mapping[str, str]) -> dict[HostPort, HostPort]:
    """``Settings.resolve`` -> {(name, port): (address, port)}; the address must be an IP."""
    out: dict[HostPort, HostPort] = {}
    for name, target in entries.items():
        try:
            key, (address, port) = split_host_port(name), split_host_port(target)
            ipaddress.ip_address(address)
        except ValueError as e:
            raise ConfigError(f"resolve entry {name!r}: {target!r}: {e}") from e
        out[key] = (address, port)
    return out


def _pinned(hostname: str, address: str, port: int) -> ResolveResult:
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    return ResolveResult(
        hostname=hostname,
        host=address,
        port=port,
        family=family,
        proto=0,
        flags=socket.AI_NUMERICHOST,
    )


class GuardedResolver(AbstractResolver):
    """Static overrides first, then the system resolver, keeping only public addresses.

    ``trusted`` lists (name, port) endpoints exempt from the guard: the proxies named in
    the environment, which commonly live on a private network.
    """

    def __init__(
        self,
        *,
        overrides: Mapping[HostPort, HostPort],
        allow_private: bool,
        trusted: Collection[HostPort] = (),
        inner: AbstractResolver | None = None,
    ) -> None:
        self._overrides = overrides
        self._allow_private = allow_private
        self._trusted = frozenset(trusted)
        self._inner = inner if inner is not None else ThreadedResolver()

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        key = (host.rstrip(".").lower(), port)
        pinned = self._overrides.get(key)
        if pinned is not None:
            return [_pinned(host, *pinned)]
        found = await self._inner.resolve(host, port, family)
        if self._allow_private or key in self._trusted:
            return found
        allowed = [r for r in found if is_public(ipaddress.ip_address(r["host"]))]
        if not allowed:
            raise BlockedAddressError(host, [r["host"] for r in found])
        return allowed

    async def close(self) -> None:
        await self._inner.close()
