"""Publisher registry: loose names ("NV", "AP") to outlets with a domain.

Seeded from ``data/publishers.json`` (agencies and major outlets with aliases and domains)
and grown by ``learn`` from what is ingested (feed titles, og:site_name, JSON-LD publisher,
hosts). Lookups are pure over the registry's current contents; the Redis adapter that
loads and saves learned entries is ``registry_store``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from typing import Any

from workers.model import PublisherRef
from workers.provenance.names import domain_of, name_key, parent_domains, same_site, stem_key

# Words of running text that may start or continue an outlet's name ("«Новой газеты»").
_TOKEN = re.compile(r"[«\"“„'(]*([\w][\w.&'’-]*)")
_MAX_NAME_WORDS = 6
# A site name often carries its section: "NewsHub - World News", "NV | Ukraine".
_SECTION_SEPARATOR = re.compile(r"\s+[-–—|:]\s+")
# Lookups remembered between changes: pages ask again and again for the same few names
# (their site, its feed title, "Reuters", words beside a citing verb). Bounded, for a
# worker that runs for weeks.
_MAX_REMEMBERED = 8192


@dataclass(frozen=True, slots=True)
class Publisher:
    name: str
    domain: str | None
    aliases: tuple[str, ...] = ()
    is_agency: bool = False
    domains: tuple[str, ...] = ()  # every host of the outlet; ``domain`` is the main one
    wire: tuple[str, ...] = ()  # tokens of an agency's datelines and credits ("AP", "dpa")

    def ref(self) -> PublisherRef:
        return PublisherRef(name=self.name, domain=self.domain)


class PublisherRegistry:
    """Pure lookups over a snapshot: bundled seed data plus what was learned from Redis."""

    def __init__(self, publishers: Iterable[Publisher] = ()) -> None:
        self._by_name: dict[str, Publisher] = {}
        self._by_domain: dict[str, Publisher] = {}
        # Inflected forms: a stem shared by two outlets names neither (None).
        self._by_stem: dict[str, Publisher | None] = {}
        self._learned: dict[str, Publisher] = {}  # by main domain, for registry_store
        # resolve's answers, keyed by (name, domain, loose); emptied by every ``_add``.
        self._resolved: dict[tuple[str | None, str | None, bool], Publisher | None] = {}
        # Bumped when an agency is added: wire patterns are compiled from agencies, and
        # learning ordinary outlets (which happens all the time) must not recompile them.
        self.agency_version = 0
        for publisher in publishers:
            self._add(publisher)

    @classmethod
    def bundled(cls) -> PublisherRegistry:
        return cls(_seed_publishers())

    def __iter__(self) -> Iterator[Publisher]:
        return iter({id(p): p for p in self._by_domain.values()}.values())

    @property
    def learned(self) -> tuple[Publisher, ...]:
        return tuple(self._learned.values())

    def agencies(self) -> tuple[Publisher, ...]:
        return tuple(p for p in self if p.is_agency)

    def resolve(self, ref: PublisherRef, *, loose: bool = True) -> Publisher | None:
        """Domain first (it is exact), then the name, then a name that is itself a domain.
        ``loose``: an inflected form counts too ("Gazety Wyborczej"); not for a person's
        name, where a surname may be an outlet's stem ("Reuter")."""
        key = (ref.name, ref.domain, loose)
        if key in self._resolved:
            return self._resolved[key]
        found = self._lookup(ref, loose=loose)
        if len(self._resolved) >= _MAX_REMEMBERED:
            self._resolved.clear()
        self._resolved[key] = found
        return found

    # The same answers for a bare name or host, without making a ``PublisherRef`` to ask
    # (its frozen ``__init__`` costs more than the remembered answer) when one is remembered.
    def resolve_name(self, name: str, *, loose: bool = True) -> Publisher | None:
        key = (name, None, loose)
        if key in self._resolved:
            return self._resolved[key]
        return self.resolve(PublisherRef(name=name), loose=loose)

    def resolve_domain(self, domain: str) -> Publisher | None:
        key = (None, domain, True)
        if key in self._resolved:
            return self._resolved[key]
        return self.resolve(PublisherRef(domain=domain))

    def _lookup(self, ref: PublisherRef, *, loose: bool) -> Publisher | None:
        if ref.domain:
            for host in parent_domains(ref.domain.lower()):
                if host in self._by_domain:
                    return self._by_domain[host]
        if ref.name:
            found = self._by_name.get(name_key(ref.name))
            if found is None and loose:
                found = self._by_stem.get(stem_key(ref.name))
            if found is not None:
                return found
            as_domain = domain_of(ref.name)
            if as_domain:
                return self.resolve_domain(as_domain)
        return None

    def named_in(
        self, text: str, *, start: int = 0, page_host: str | None = None
    ) -> tuple[str, Publisher] | None:
        """The first publisher named in ``text`` from ``start``, as written there: the
        longest run of words, opening with a capital, that resolves; the page's own site
        (``page_host``) is skipped."""
        tokens = [(m.start(1), m.end(1), m.group(1)) for m in _TOKEN.finditer(text, start)]
        for i, (begin, _, word) in enumerate(tokens):
            if not (word[0].isupper() or word[0].isdigit()):
                continue
            for n in range(min(_MAX_NAME_WORDS, len(tokens) - i), 0, -1):
                candidate = text[begin : tokens[i + n - 1][1]].rstrip(".'’")
                found = self.resolve_name(candidate) if name_key(candidate) else None
                if found is None:
                    continue
                if any(same_site(d, page_host) for d in found.domains):
                    break  # the page's own name: the outlet, if any, comes later
                return candidate, found
        return None

    def learn(self, ref: PublisherRef) -> None:
        """Add a (name, domain) pair seen on ingested pages (feed title, og:site_name...)."""
        if not ref.name or not ref.domain:
            return  # a lone name or host links nothing to anything
        name = _SECTION_SEPARATOR.split(ref.name.strip())[0].strip()
        key = name_key(name)
        if not key or domain_of(name):
            return
        domain = ref.domain.lower()
        known = self.resolve_domain(domain)
        if known is not None:
            if key in self._by_name or key == name_key(known.name):
                return
            # Only a learned outlet takes new aliases; seed data is curated and stays so.
            if known.domain in self._learned:
                self._add(replace(known, aliases=(*known.aliases, name)), learned=True)
            return
        if key in self._by_name:
            return  # the name belongs to another outlet already; a stranger cannot take it
        self._add(Publisher(name=name, domain=domain, domains=(domain,)), learned=True)

    def _add(self, publisher: Publisher, *, learned: bool = False) -> None:
        domains = publisher.domains or ((publisher.domain,) if publisher.domain else ())
        publisher = replace(publisher, domains=domains)
        self._resolved.clear()  # any remembered answer may have changed
        for host in domains:
            self._by_domain[host] = publisher
        for name in (publisher.name, *publisher.aliases):
            key = name_key(name)
            # The first outlet to claim a name keeps it; "AP" stays the agency.
            if key and self._by_name.get(key, publisher).name == publisher.name:
                self._by_name[key] = publisher
            stem = stem_key(name)
            if stem:
                other = self._by_stem.get(stem, publisher)
                same = other is not None and other.name == publisher.name
                self._by_stem[stem] = publisher if same else None
        if learned and publisher.domain:
            self._learned[publisher.domain] = publisher
        if publisher.is_agency:
            self.agency_version += 1


@cache
def _seed_publishers() -> tuple[Publisher, ...]:
    raw = resources.files("workers.provenance").joinpath("data/publishers.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(raw)
    return tuple(
        _publisher(item, is_agency=kind == "agencies")
        for kind in ("agencies", "outlets")
        for item in data[kind]
    )


def _publisher(item: dict[str, Any], *, is_agency: bool) -> Publisher:
    domains = tuple(item["domains"])
    return Publisher(
        name=item["name"],
        domain=domains[0] if domains else None,
        aliases=tuple(item.get("aliases", ())),
        is_agency=is_agency,
        domains=domains,
        wire=tuple(item.get("wire", ())),
    )
