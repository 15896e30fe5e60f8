"""Syndication notices in the last lines of a page: "Read the original article on X"."""

from __future__ import annotations

import re

from workers.model import Evidence, PublisherRef
from workers.provenance.catalogue import Phrases
from workers.provenance.names import (
    article_link,
    clean_origin,
    domain_of,
    host_of,
    name_key,
    same_site,
)
from workers.provenance.registry import PublisherRegistry

_CLAUSE_BREAK = re.compile(r"[;.!?]\s")
_SENTENCE_END = re.compile(r"[.;!|]\s+|\s+[-–—]\s+")
_NOTICE_WEIGHT = 0.85  # below the catalogue's phrases: the word-order-free rule is looser
_NOTICE_MAX_CHARS = 160
_NOTICE_CUES_WITHIN = 80


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
    return domain, article_link((domain,), links)


def footer_evidence(
    line: str,
    links: tuple[tuple[str, str], ...],
    *,
    page_host: str | None,
    phrases: Phrases,
    registry: PublisherRegistry,
) -> Evidence | None:
    hit = phrases.footers.match(line)
    if hit is not None:
        raw, signal, weight, language = (
            hit.group("o"),
            hit.rule.signal,
            hit.rule.weight,
            (hit.rule.language),
        )
        known_only = hit.rule.known_only
    else:
        found = _notice(line, phrases)
        if found is None:
            return None
        raw, language = found
        signal, weight, known_only = "footer", _NOTICE_WEIGHT, False
    name = clean_origin(raw) if raw else None
    if name is None or phrases.not_outlets.fullmatch(name) is not None:
        return None  # "first published on our website", "... on Monday": no other outlet
    if registry.resolve(PublisherRef(name)) is None:
        # "der spanischen Tageszeitung «El País»": a description around a known name.
        inner = registry.named_in(name, page_host=page_host)
        name = inner[0] if inner is not None else name
    domain, url = _link_for(name, links, page_host)
    domain = domain or domain_of(name)
    if known_only and domain is None and registry.resolve(PublisherRef(name)) is None:
        return None
    return Evidence(
        signal, line, weight, PublisherRef(name=name, domain=domain), url=url, language=language
    )


def _notice(line: str, phrases: Phrases) -> tuple[str, str] | None:
    """(outlet text, language) of a notice in any word order: "Article publié initialement
    dans X". The adverb and the verb must come early; the outlet follows the next preposition."""
    if len(line) > _NOTICE_MAX_CHARS:
        return None
    lower = line.lower()
    for rule in phrases.notices:
        if rule.opener.match(lower) is None:
            continue
        adverb = rule.adverb.search(lower, 0, _NOTICE_CUES_WITHIN)
        verb = rule.verb.search(lower, 0, _NOTICE_CUES_WITHIN)
        if adverb is None or verb is None:
            continue
        cues_end = max(adverb.end(), verb.end())
        preposition = rule.preposition.search(lower, cues_end)
        if preposition is None:
            continue
        if _CLAUSE_BREAK.search(lower, cues_end, preposition.start()) is not None:
            continue  # "Originally published March 3; updated ... with comment": another clause
        rest = line[preposition.end() :]
        site = rule.site_words.match(rest.lower())
        rest = rest[site.end() :] if site else rest
        return _SENTENCE_END.split(rest, maxsplit=1)[0], rule.language
    return None
