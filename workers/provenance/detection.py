"""Provenance detection: is this page a republication, and of whom.

Pure: ``detect`` reads a ``Page`` (and its feed entry) and returns a ``Provenance``; it does
no I/O. Signals are read by one module each (``footers``, ``wire``, ``markup``, ``cited``),
combined by ``combine``. Loaded with the first page to detect (see the package's
``__init__``), not when a worker starts.
"""

from __future__ import annotations

import re
from dataclasses import replace

from workers.model import (
    EDGE_FIRST,
    EDGE_LAST,
    CitedSource,
    Evidence,
    FeedEntry,
    OriginClaim,
    Page,
    Provenance,
    PublisherRef,
)
from workers.provenance.bylines import byline_evidence
from workers.provenance.catalogue import Phrases, WirePatterns, bundled_catalogue, wire_patterns
from workers.provenance.cited import cited_sources
from workers.provenance.combine import Site, combine
from workers.provenance.cues import cue_evidence
from workers.provenance.footers import footer_evidence
from workers.provenance.markup import feed_evidence, markup_evidence
from workers.provenance.names import article_link, host_of, is_article_on
from workers.provenance.registry import PublisherRegistry
from workers.provenance.wire import credit_evidence, dateline_evidence

__all__ = ["detect"]

# Some sites put the notice first, as an italic line above the story.
_INTRO_MAX_CHARS = 600

_Line = tuple[str, tuple[tuple[str, str], ...], bool]  # text, links, in main text


def _tail_lines(page: Page) -> list[_Line]:
    return [
        (text, block.links, block.in_main)
        for block in page.signals.tail
        for line in block.text.split("\n")
        if (text := line.strip())
    ]


def _line_evidence(
    line: _Line,
    page_host: str | None,
    phrases: Phrases,
    wire: WirePatterns,
    registry: PublisherRegistry,
) -> Evidence | None:
    text, links, in_main = line
    found = footer_evidence(text, links, page_host=page_host, phrases=phrases, registry=registry)
    found = found or credit_evidence(text, wire, in_main=in_main)
    return found or cue_evidence(
        text,
        links,
        page_host=page_host,
        rules=phrases.cues,
        not_outlets=phrases.not_outlets,
        registry=registry,
    )


def _last_lines_evidence(
    page: Page,
    page_host: str | None,
    phrases: Phrases,
    wire: WirePatterns,
    registry: PublisherRegistry,
) -> tuple[list[Evidence], list[str]]:
    """Notices and credits in the tail blocks and the text's last paragraphs; the latter
    that are notices are returned too, for the pipeline to drop from the text."""
    evidence: list[Evidence] = []
    by_line: dict[str, Evidence | None] = {}  # a notice may be both a tail block and text
    edges = _edge_paragraphs(page)
    links = page.signals.links
    lines = [
        *_tail_lines(page),
        *((p.strip(), links.get(p, ()), True) for p in edges),
        # Intro notices the extractor set aside with the byline and date ("Diese Recherche
        # stammt von X"): read, but not in the text to drop them from.
        *((h.text, h.links, True) for h in page.signals.header),
        # ... or dropped as furniture ("Cet article est issu du site de nos confrères").
        *((r, links.get(r, ()), True) for r in page.signals.removed),
    ]
    for line in lines:
        if line[0] not in by_line:
            found = by_line[line[0]] = _line_evidence(line, page_host, phrases, wire, registry)
            if found is not None:
                evidence.append(found)
    notices = [p for p in edges if by_line.get(p.strip()) is not None]
    return evidence, notices


def _edge_paragraphs(page: Page) -> list[str]:
    """The story's last paragraphs, where notices sit, and its first when short enough to
    be a notice."""
    last = list(page.paragraphs[-EDGE_LAST:])
    first = [
        p for p in page.paragraphs[:EDGE_FIRST] if len(p) <= _INTRO_MAX_CHARS and p not in last
    ]
    return first + last


def detect(page: Page, entry: FeedEntry | None, registry: PublisherRegistry) -> Provenance:
    """Pure: evidence from the page and its feed entry, combined into one origin claim."""
    catalogue = bundled_catalogue()
    wire = wire_patterns(registry)
    phrases = catalogue.phrases(page.language)
    page_host = host_of(page.url)
    evidence, notices = _last_lines_evidence(page, page_host, phrases, wire, registry)
    evidence += byline_evidence(
        page.authors, page.signals, labels=phrases.byline_labels, registry=registry
    )
    # The dateline opens the story, or its second paragraph when a standfirst comes first.
    openings = page.paragraphs[:EDGE_FIRST] or (page.signals.head_text or page.text[:300],)
    for opening in openings:
        dateline = dateline_evidence(opening, wire, registry)
        if dateline is not None:
            evidence.append(dateline)
            break
    evidence.extend(markup_evidence(page.signals, page.publisher.name, registry))
    if entry is not None:
        evidence.extend(feed_evidence(entry))
    site = Site.of(
        page_host or page.publisher.domain,
        (page.publisher.name, page.signals.og_site_name, entry.feed_title if entry else None),
        registry,
    )
    origin, kept = combine(evidence, site, registry)
    if origin is not None and origin.url is None:
        origin = replace(origin, url=_read_on_link(page, origin, registry))
    cited = cited_sources(page.paragraphs, catalogue, registry, page.language)
    return Provenance(
        origin=origin,
        evidence=kept,
        cited_sources=tuple(c for c in cited if not _own(c, site, registry)),
        notices=tuple(notices),
    )


# "Continue reading", "Read the full story", "Lire la suite": on a copy, where the original is.
_READ_ON = re.compile(
    r"(?i)^\W*(?:continue reading|read (?:the )?(?:full|original|whole|rest)|read more"
    r"|full (?:story|article)|original (?:story|article)|weiterlesen|zum original"
    r"|lire la suite|lire l['’]article|leer (?:más|el original)|continuar leyendo|leggi tutto"
    r"|continua a leggere|ler mais|continuar lendo|czytaj dalej|czytaj więcej|читати далі"
    r"|читать далее|читать полностью|подробнее|докладніше|детальніше|mehr dazu|more at)"
)


def _read_on_link(page: Page, origin: OriginClaim, registry: PublisherRegistry) -> str | None:
    """The origin's article behind a "continue reading" link of the page, when no signal
    gave its URL."""
    known = registry.resolve(origin.publisher)
    domains = known.domains if known is not None else ()
    if origin.publisher.domain:
        domains = (origin.publisher.domain, *domains)
    if not domains:
        return None
    lines = [(b.text, b.links) for b in (*page.signals.tail, *page.signals.header)]
    lines += list(page.signals.links.items())
    # The link says "continue reading", or the line does ("Подробнее: ria.ru").
    read_on = tuple(
        link
        for text, line_links in lines
        for link in line_links
        if _READ_ON.match(link[0]) or _READ_ON.match(text)
    )
    found = article_link(domains, read_on)
    if found is not None:
        return found
    # Else the one article of the origin's site these lines link to, if there is one.
    on_site = {
        url for _, line_links in lines for _, url in line_links if is_article_on(url, domains)
    }
    return on_site.pop() if len(on_site) == 1 else None


def _own(cited: CitedSource, site: Site, registry: PublisherRegistry) -> bool:
    """A source that is the page's own outlet is the story's author speaking ("our
    correspondent", "told Ukrinform" on ukrinform.ua), not a citation. The origin a copy
    names stays: "in a Reuters poll" in a Reuters story cites that poll."""
    ref = PublisherRef(cited.name, cited.domain)
    return site.is_self(ref, registry.resolve(ref))
