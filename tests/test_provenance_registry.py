"""Publisher registry: loose names to outlets, learning, and its Redis store."""

from __future__ import annotations

import json

import pytest
from redis.asyncio import Redis

from workers.keys import Keys
from workers.model import PublisherRef
from workers.provenance.registry import PublisherRegistry
from workers.provenance.registry_store import RegistryStore
from workers.settings import Settings

RESOLVES = [
    ("full name", PublisherRef("The New Voice of Ukraine"), "The New Voice of Ukraine"),
    ("without article", PublisherRef("New Voice of Ukraine"), "The New Voice of Ukraine"),
    ("short alias", PublisherRef("NV"), "The New Voice of Ukraine"),
    ("case and punctuation", PublisherRef("the new voice of ukraine."), "The New Voice of Ukraine"),
    ("subdomain", PublisherRef(domain="english.nv.ua"), "The New Voice of Ukraine"),
    ("agency initials", PublisherRef("AP"), "The Associated Press"),
    ("agency without article", PublisherRef("Associated Press"), "The Associated Press"),
    ("suffix newspaper", PublisherRef("Guardian newspaper"), "The Guardian"),
    ("www host", PublisherRef(domain="www.theguardian.com"), "The Guardian"),
    ("name is a domain", PublisherRef("www.reuters.com"), "Reuters"),
    ("accents folded", PublisherRef("El Pais"), "El País"),
    ("cyrillic alias", PublisherRef("Українська правда"), "Ukrainska Pravda"),
    ("domain wins over name", PublisherRef("NV", "apnews.com"), "The Associated Press"),
]


@pytest.mark.parametrize(("ref", "expected"), [c[1:] for c in RESOLVES],
                         ids=[c[0] for c in RESOLVES])
def test_resolve_tolerates_loose_names(ref: PublisherRef, expected: str) -> None:
    found = PublisherRegistry.bundled().resolve(ref)

    assert found is not None
    assert found.name == expected


@pytest.mark.parametrize("ref", [PublisherRef("Ukraine"), PublisherRef("The"),
                                 PublisherRef(domain="example.org"), PublisherRef()],
                         ids=["unknown name", "article only", "unknown domain", "empty"])
def test_resolve_unknown_is_none(ref: PublisherRef) -> None:
    assert PublisherRegistry.bundled().resolve(ref) is None


def test_agencies_are_marked() -> None:
    registry = PublisherRegistry.bundled()
    reuters = registry.resolve(PublisherRef("Reuters"))
    guardian = registry.resolve(PublisherRef("The Guardian"))

    assert reuters is not None
    assert reuters.is_agency
    assert guardian is not None
    assert not guardian.is_agency


def test_learn_adds_an_outlet_from_site_name_and_host() -> None:
    registry = PublisherRegistry.bundled()

    registry.learn(PublisherRef("NewsHub - World News", "newshub.example"))
    registry.learn(PublisherRef("The Hub", "newshub.example"))

    found = registry.resolve(PublisherRef("newshub"))
    assert found is not None
    assert (found.name, found.domain) == ("NewsHub", "newshub.example")
    assert registry.resolve(PublisherRef("Hub")) == registry.resolve(PublisherRef("NewsHub"))
    assert [p.domain for p in registry.learned] == ["newshub.example"]


@pytest.mark.parametrize("ref", [PublisherRef("AP", "ap-fan-blog.example"),
                                 PublisherRef("Evil", "apnews.com"),
                                 PublisherRef("NewsHub", None),
                                 PublisherRef("example.net", "example.net")],
                         ids=["seed name taken", "seed domain curated", "name without host",
                              "name is a host"])
def test_learn_never_rewrites_seed_or_links_halves(ref: PublisherRef) -> None:
    registry = PublisherRegistry.bundled()

    registry.learn(ref)

    assert registry.learned == ()
    ap = registry.resolve(PublisherRef("AP"))
    assert ap is not None
    assert ap.name == "The Associated Press"


def test_bundled_registries_are_independent() -> None:
    first = PublisherRegistry.bundled()
    first.learn(PublisherRef("Local Times", "localtimes.example"))

    assert PublisherRegistry.bundled().resolve(PublisherRef("Local Times")) is None


async def test_store_round_trip(redis: Redis, settings: Settings) -> None:
    keys = Keys(settings.key_prefix, settings.stream)
    registry = PublisherRegistry.bundled()
    registry.learn(PublisherRef("Riverside Gazette", "riversidegazette.example"))
    registry.learn(PublisherRef("The Gazette", "riversidegazette.example"))
    store = RegistryStore(redis, keys)

    assert await store.save(registry) == 1
    assert await store.save(registry) == 0  # nothing changed since

    loaded = await RegistryStore(redis, keys).load(PublisherRegistry.bundled())
    found = loaded.resolve(PublisherRef("Gazette"))
    assert found is not None
    assert found.domain == "riversidegazette.example"
    stored = json.loads(await redis.hget(keys.publishers, "riversidegazette.example") or b"{}")
    assert stored == {"name": "Riverside Gazette", "aliases": ["The Gazette"]}


async def test_store_skips_damaged_entries(redis: Redis, settings: Settings) -> None:
    keys = Keys(settings.key_prefix, settings.stream)
    await redis.hset(keys.publishers, mapping={
        "broken.example": "{not json",
        "fine.example": json.dumps({"name": "Fine Daily", "aliases": []}),
    })

    loaded = await RegistryStore(redis, keys).load(PublisherRegistry.bundled())

    assert loaded.resolve(PublisherRef("Fine Daily")) is not None
    assert loaded.resolve(PublisherRef(domain="broken.example")) is None


def test_learning_outlets_keeps_compiled_wire_patterns() -> None:
    from workers.provenance.catalogue import wire_patterns

    registry = PublisherRegistry.bundled()
    before = wire_patterns(registry)

    registry.learn(PublisherRef("Harbour Times", "harbourtimes.example"))

    assert wire_patterns(registry) is before
    assert "reuters" in before.agency_by_token
