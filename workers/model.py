"""Value types that flow between the pipeline steps, in the order the steps make them.

fetch -> ``FetchResult`` (workers/fetch.py) -> parse -> ``ParsedFeed``/``FeedEntry`` ->
extract -> ``Page`` -> detect -> ``Provenance`` -> dedupe -> ``Decision`` (workers/dedupe.py)
-> publish. Every type here is immutable plain data; no step reaches back to an earlier one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class PublisherRef:
    """An outlet as a signal names it: a name, a domain, or both."""

    name: str | None = None
    domain: str | None = None


# --- parse ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EntrySource:
    """An entry's declared source: RSS ``<source>``, Atom ``<source>`` or ``dc:source``."""

    kind: str  # "rss_source" | "atom_source" | "dc_source"
    title: str | None
    url: str | None


@dataclass(frozen=True, slots=True)
class FeedEntry:
    feed_url: str
    entry_id: str  # the GUID, else the link; never empty
    guid_is_permalink: bool
    link: str | None
    title: str | None
    summary: str | None  # plain text
    content_html: str | None  # the fullest content the feed gives (content:encoded, atom:content)
    authors: tuple[str, ...]
    published_at: datetime | None  # aware UTC
    updated_at: datetime | None
    language: str | None
    image: str | None
    sources: tuple[EntrySource, ...] = ()
    feed_title: str | None = None
    feed_link: str | None = None


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    url: str
    title: str | None
    link: str | None
    language: str | None
    entries: tuple[FeedEntry, ...]
    warning: str | None = None  # feedparser's bozo message for a feed that still parsed


# --- extract -------------------------------------------------------------------------


# The story's paragraphs at either end that detection reads for notices (a notice above the
# story may follow a standfirst), and whose links extraction keeps (``PageSignals.links``).
EDGE_FIRST = 2
EDGE_LAST = 4


@dataclass(frozen=True, slots=True)
class TailBlock:
    """A text block from the last part of the page, kept raw for provenance detection.

    Extraction drops footers; detection needs exactly those, so they are kept here,
    with the links they contain.
    """

    text: str
    links: tuple[tuple[str, str], ...] = ()  # (anchor text, absolute href)
    in_main: bool = False  # inside the main text container (not site chrome)


@dataclass(frozen=True, slots=True)
class PageSignals:
    """Raw markup that detection reads: nothing here is interpreted yet."""

    canonical: str | None = None
    og_url: str | None = None
    og_site_name: str | None = None
    meta: dict[str, str] = field(default_factory=dict)  # lower-cased name/property -> content
    jsonld: tuple[dict[str, Any], ...] = ()  # NewsArticle-like objects, flattened from @graph
    tail: tuple[TailBlock, ...] = ()  # last text blocks, in page order
    head_text: str = ""  # first ~300 characters of the main text (datelines live there)
    removed: tuple[str, ...] = ()  # boilerplate lines dropped from the text (teasers, credits)
    header: tuple[TailBlock, ...] = ()  # short lines and image alts around the headline
    # Links of the story's first and last paragraphs and of the lines set aside, by text.
    links: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Page:
    url: str  # final URL after redirects
    title: str | None
    text: str  # normalised main text, paragraphs joined by "\n\n"
    paragraphs: tuple[str, ...]
    authors: tuple[str, ...]
    published_at: datetime | None
    updated_at: datetime | None
    language: str | None
    publisher: PublisherRef  # who serves this page (og:site_name / JSON-LD / feed title; host)
    canonical_url: str | None
    image: str | None
    description: str | None
    signals: PageSignals
    from_feed_only: bool = False  # built from feed content, page not fetched


# --- detect --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Evidence:
    signal: str  # footer, wire_dateline, wire_credit, canonical, original_source, ...
    detail: str  # the text or markup that showed it
    weight: float  # 0..1
    origin: PublisherRef
    url: str | None = None  # origin article URL when the signal gives one
    language: str | None = None


@dataclass(frozen=True, slots=True)
class OriginClaim:
    publisher: PublisherRef
    url: str | None
    confidence: float
    is_agency: bool = False


@dataclass(frozen=True, slots=True)
class CitedSource:
    name: str
    domain: str | None
    how: str
    sentence: str


@dataclass(frozen=True, slots=True)
class Provenance:
    """What detection concluded. ``origin`` is None when the page is its own origin."""

    origin: OriginClaim | None
    evidence: tuple[Evidence, ...] = ()
    cited_sources: tuple[CitedSource, ...] = ()
    # Lines of page.text that are provenance notices ("Read the original article on X"):
    # not part of the story, so the pipeline drops them from the normalised text.
    notices: tuple[str, ...] = ()

    @property
    def is_copy(self) -> bool:
        return self.origin is not None
