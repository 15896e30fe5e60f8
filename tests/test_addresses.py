"""The address guard's decisions, as data: which addresses are public, how overrides parse."""

from __future__ import annotations

import ipaddress
import socket

import pytest
from aiohttp.abc import AbstractResolver, ResolveResult

from workers.addresses import (
    BlockedAddressError,
    GuardedResolver,
    is_public,
    literal_blocked,
    parse_overrides,
)
from workers.errors import ConfigError

ADDRESSES = [
    ("93.184.216.34", True),
    ("2606:2800:220:1:248:1893:25c8:1946", True),
    ("::ffff:93.184.216.34", True),
    ("127.0.0.1", False),
    ("127.255.0.9", False),
    ("10.0.0.1", False),
    ("172.16.5.4", False),
    ("192.168.1.1", False),
    ("169.254.169.254", False),
    ("100.64.0.1", False),
    ("0.0.0.0", False),
    ("224.0.0.251", False),
    ("239.255.255.250", False),
    ("240.0.0.1", False),
    ("255.255.255.255", False),
    ("::1", False),
    ("::", False),
    ("fe80::1", False),
    ("fec0::1", False),
    ("fd00::1", False),
    ("ff02::1", False),
    ("::ffff:127.0.0.1", False),
    ("::ffff:10.0.0.1", False),
    ("2002:7f00:1::", False),
    ("64:ff9b::a9fe:a9fe", False),
]


@pytest.mark.parametrize(("address", "public"), ADDRESSES, ids=[a for a, _ in ADDRESSES])
def test_is_public(address: str, public: bool) -> None:
    assert is_public(ipaddress.ip_address(address)) is public


@pytest.mark.parametrize(
    ("host", "blocked"),
    [("127.0.0.1", True), ("::1", True), ("8.8.8.8", False), ("example.org", False), ("a1", False)],
    ids=["ipv4", "ipv6", "public", "name", "name-ending-in-digit"],
)
def test_literal_blocked(host: str, blocked: bool) -> None:
    assert literal_blocked(host) is blocked


def test_parse_overrides_keys_by_name_and_port() -> None:
    parsed = parse_overrides({"Feeds.Example:80": "127.0.0.1:8081", "v6.example:443": "[::1]:8"})

    assert parsed == {("feeds.example", 80): ("127.0.0.1", 8081), ("v6.example", 443): ("::1", 8)}


@pytest.mark.parametrize(
    "entry",
    [{"feeds.example": "127.0.0.1:80"}, {"feeds.example:80": "elsewhere:80"}, {"a:1": "1.2.3.4:0"}],
    ids=["no-port", "not-an-address", "port-zero"],
)
def test_parse_overrides_rejects(entry: dict[str, str]) -> None:
    with pytest.raises(ConfigError):
        parse_overrides(entry)


class Answers(AbstractResolver):
    """A DNS that answers every name with fixed addresses (none of them is ever dialled)."""

    def __init__(self, *addresses: str) -> None:
        self.addresses = addresses
        self.asked: list[str] = []

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        self.asked.append(host)
        return [
            ResolveResult(hostname=host, host=a, port=port, family=0, proto=0, flags=0)
            for a in self.addresses
        ]

    async def close(self) -> None:
        pass


async def test_resolver_keeps_only_public_answers() -> None:
    resolver = GuardedResolver(
        overrides={}, allow_private=False, inner=Answers("10.0.0.1", "93.184.216.34")
    )

    found = await resolver.resolve("mixed.example", 80)

    assert [r["host"] for r in found] == ["93.184.216.34"]


async def test_resolver_refuses_name_with_only_private_answers() -> None:
    resolver = GuardedResolver(overrides={}, allow_private=False, inner=Answers("192.168.0.7"))

    with pytest.raises(BlockedAddressError, match=r"192\.168\.0\.7"):
        await resolver.resolve("intranet.example", 80)


@pytest.mark.parametrize(
    ("allow_private", "trusted"),
    [(True, ()), (False, (("proxy.corp", 3128),))],
    ids=["allowed", "trusted-proxy"],
)
async def test_resolver_lets_private_through_when_told(
    allow_private: bool, trusted: tuple[tuple[str, int], ...]
) -> None:
    resolver = GuardedResolver(
        overrides={}, allow_private=allow_private, trusted=trusted, inner=Answers("10.0.0.3")
    )

    found = await resolver.resolve("proxy.corp", 3128)

    assert [r["host"] for r in found] == ["10.0.0.3"]


async def test_resolver_override_wins_and_may_change_port() -> None:
    inner = Answers("93.184.216.34")
    resolver = GuardedResolver(
        overrides={("feeds.example", 80): ("127.0.0.1", 8081)}, allow_private=False, inner=inner
    )

    found = await resolver.resolve("Feeds.Example.", 80)

    assert [(r["host"], r["port"]) for r in found] == [("127.0.0.1", 8081)]
    assert inner.asked == []
