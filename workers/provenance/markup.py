"""Structured provenance: canonical and og:url, original-source meta, JSON-LD, feed sources.

A pointer to the page's own site is not evidence; ``combine`` drops those, so everything
found here is reported as it stands.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from workers.model import Evidence, FeedEntry, PageSignals, PublisherRef
from workers.provenance.names import domain_of, host_of, url_path_is_article
from workers.provenance.registry import PublisherRegistry

# meta name -> (signal, weight). Google's and the syndication standards' names.
_META = {
    "original-source": ("original_source", 0.92),
    "syndication-source": ("syndication_source", 0.9),
    "article:original_source": ("original_source", 0.92),
    "dc.source": ("original_source", 0.8),
}
# JSON-LD property -> (signal, weight).
_JSONLD = {
    "isBasedOn": ("jsonld_based_on", 0.85),
    "isBasedOnUrl": ("jsonld_based_on", 0.85),
    "sourceOrganization": ("jsonld_source_org", 0.75),
    "provider": ("jsonld_provider", 0.7),
}
_FEED_WEIGHT = {"rss_source": 0.8, "atom_source": 0.8, "dc_source": 0.75}
# A JSON-LD publisher other than the site decides alone only when it is a known outlet:
# groups often name their parent company ("Axel Springer SE", with its own URL) there.
_PUBLISHER_KNOWN = 0.6
_PUBLISHER_UNKNOWN = 0.4


def _url_evidence(signal: str, weight: float, url: str, detail: str) -> Evidence | None:
    host = host_of(url)
    if host is None:
        return None
    article = url if url_path_is_article(url) else None
    return Evidence(signal, detail, weight, PublisherRef(domain=host), url=article)


def _value_evidence(signal: str, weight: float, value: str, detail: str) -> Evidence | None:
    """A URL, a bare domain, or an outlet's name."""
    value = value.strip()
    if host_of(value):
        return _url_evidence(signal, weight, value, detail)
    if not value:
        return None
    return Evidence(signal, detail, weight, PublisherRef(name=value, domain=domain_of(value)))


def _things(value: Any) -> Iterator[dict[str, Any] | str]:
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, dict | str):
            yield item


def _thing_evidence(signal: str, weight: float, thing: dict[str, Any] | str) -> Evidence | None:
    """A schema.org Thing: a URL string, or an object with url/@id, name, publisher."""
    if isinstance(thing, str):
        return _value_evidence(signal, weight, thing, f"{signal}: {thing}")
    url = thing.get("url") or thing.get("@id")
    url = url if isinstance(url, str) and host_of(url) else None
    name = thing.get("name") if isinstance(thing.get("name"), str) else None
    org = thing.get("publisher") or thing.get("sourceOrganization")
    if (
        isinstance(org, dict)
        and isinstance(org.get("name"), str)
        and thing.get("@type") not in ("Organization", "NewsMediaOrganization")
    ):
        name = org["name"]  # an article's publisher names the outlet; the article's name won't
    if url is None and name is None:
        return None
    detail = f"{signal}: {url or name}"
    host = host_of(url)
    article = url if url and url_path_is_article(url) else None
    return Evidence(signal, detail, weight, PublisherRef(name=name, domain=host), url=article)


def _jsonld_evidence(
    obj: dict[str, Any], site_name: str | None, registry: PublisherRegistry
) -> Iterator[Evidence]:
    for prop, (signal, weight) in _JSONLD.items():
        for thing in _things(obj.get(prop)):
            found = _thing_evidence(signal, weight, thing)
            if found is not None:
                yield found
    for thing in _things(obj.get("publisher")):
        found = _thing_evidence("jsonld_publisher", _PUBLISHER_UNKNOWN, thing)
        if found is None or found.origin.name == site_name:
            continue
        if registry.resolve(found.origin) is not None:
            found = Evidence(found.signal, found.detail, _PUBLISHER_KNOWN, found.origin)
        yield found


def markup_evidence(
    signals: PageSignals, site_name: str | None, registry: PublisherRegistry
) -> list[Evidence]:
    found: list[Evidence | None] = []
    if signals.canonical:
        found.append(
            _url_evidence(
                "canonical",
                0.88,
                signals.canonical,
                f'<link rel="canonical" href="{signals.canonical}">',
            )
        )
    if signals.og_url:
        found.append(
            _url_evidence(
                "og_url",
                0.6,
                signals.og_url,
                f'<meta property="og:url" content="{signals.og_url}">',
            )
        )
    for name, (signal, weight) in _META.items():
        value = signals.meta.get(name)
        if value:
            found.append(
                _value_evidence(signal, weight, value, f'<meta name="{name}" content="{value}">')
            )
    for obj in signals.jsonld:
        found.extend(_jsonld_evidence(obj, site_name, registry))
    return [e for e in found if e is not None]


_FEEDISH = re.compile(r"(?i)(?:/|\.|^)(?:rss|atom|feeds?|xml|rdf)(?:[/._?-]|$)")


def _feedish(url: str) -> bool:
    """An address that names a feed: /rss, /feed/, .xml, feeds.example.com..."""
    parts = urlsplit(url)
    return bool(_FEEDISH.search(parts.netloc.split(".")[0] + "/" + parts.path + "?" + parts.query))


def feed_evidence(entry: FeedEntry) -> list[Evidence]:
    """RSS ``<source>``, Atom ``<source>`` and ``dc:source`` of the feed entry."""
    found: list[Evidence] = []
    for source in entry.sources:
        weight = _FEED_WEIGHT.get(source.kind, 0.75)
        url = source.url if source.url and host_of(source.url) else None
        # An RSS <source url> is by the spec the origin's feed, but many feeds put the
        # original article there: an address that does not look like a feed is taken as
        # the article. Atom's <source> link is the feed.
        article = (
            url
            if url
            and url_path_is_article(url)
            and (source.kind == "dc_source" or (source.kind == "rss_source" and not _feedish(url)))
            else None
        )
        name = source.title.strip() if source.title else None
        if name and not url and host_of(name):
            url, name = name, None
            article = url if url_path_is_article(url) else None
        if not name and not url:
            continue
        found.append(
            Evidence(
                source.kind,
                f"{source.kind}: {name or ''} {url or ''}".strip(),
                weight,
                PublisherRef(name=name, domain=host_of(url)),
                url=article,
            )
        )
    return found
