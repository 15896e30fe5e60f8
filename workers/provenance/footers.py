"""Syndication notices in the last lines of a page: "Read the original article on X"."""

from __future__ import annotations

import re

from workers.model import Evidence, PublisherRef
from workers.provenance.catalogue import Phrases
from workers.provenance.names import domain_of, host_of, name_key, same_site, url_path_is_article
from workers.provenance.registry import PublisherRegistry

# "X on 12 March 2024", "X, 2024-03-12", "X am 12.03.2024": the date is not the outlet.
_DATE_TAIL = re.compile(
    r"(?:,\s*|\s+(?:on|am|le|el|il|em|w|в|у|dnia|del|de|op|the)\s+)\d.*$"
    r"|\s+\d{1,2}[./-]\d{1,2}[./-]\d{2,4}.*$",
    re.IGNORECASE,
)
_STRIP = " \t\"'«»“”„.,;:!-–—()[]*"
_MAX_WORDS = 10


def clean_origin(text: str) -> str | None:
    """The outlet a notice names, without quotes and dates; None if it is no name at all."""
    name = _DATE_TAIL.sub("", text).strip(_STRIP)
    if not any(c.isalpha() for c in name) or len(name.split()) > _MAX_WORDS:
        return None
    return name


def _link_for(
    name: str, links: tuple[tuple[str, str], ...], page_host: str | None
) -> tuple[str | None, str | None]:
    """(domain, article URL) from the line's links: the outlet is the link naming it, else
    the only site linked off the page's own; its article is any link there with a path
    ("This article is republished from <a>X</a> ... Read the <a>original article</a>")."""
    outside = [(a, h, host_of(h)) for a, h in links]
    outside = [(a, h, d) for a, h, d in outside if d and not same_site(d, page_host)]
    key = name_key(name)
    named = [d for a, _, d in outside if name_key(a) == key]
    sites = {d for _, _, d in outside}
    domain = named[0] if named else (sites.pop() if len(sites) == 1 else None)
    if domain is None:
        return None, None
    article = next((h for _, h, d in outside if d == domain and url_path_is_article(h)), None)
    return domain, article


def footer_evidence(
    line: str,
    links: tuple[tuple[str, str], ...],
    *,
    page_host: str | None,
    phrases: Phrases,
    registry: PublisherRegistry,
) -> Evidence | None:
    hit = phrases.footers.match(line)
    if hit is None:
        return None
    raw = hit.group("o")
    name = clean_origin(raw) if raw else None
    if name is None:
        return None
    domain, url = _link_for(name, links, page_host)
    domain = domain or domain_of(name)
    if hit.rule.known_only and domain is None and registry.resolve(PublisherRef(name)) is None:
        return None
    return Evidence(
        signal=hit.rule.signal,
        detail=line,
        weight=hit.rule.weight,
        origin=PublisherRef(name=name, domain=domain),
        url=url,
        language=hit.rule.language,
    )
