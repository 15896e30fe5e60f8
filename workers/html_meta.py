"""Page metadata from the head and the markup: meta tags, links, title, bylines, dates.

``read_meta`` collects the raw signals (every meta tag, canonical, JSON-LD); the functions
below turn them into values, in the order of trust the spec gives: Open Graph and
JSON-LD first, then plain HTML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin

from selectolax.lexbor import LexborHTMLParser

from workers import jsonld
from workers.blocks import normalise
from workers.jsonld import JsonObject

_TITLE_SEPARATORS = re.compile(r"\s+(?:[|\-–—·•»]{1,2}|::)\s+")
_LANGUAGE = re.compile(r"^([A-Za-z]{2,3})(?:[-_].*)?$")
_BYLINE_PREFIX = re.compile(r"^(?:by|von|par|por|di|door|av|przez|автор:?|від)\s+", re.I)
_AUTHOR_SPLIT = re.compile(r"\s*(?:,|;|\band\b|\bund\b|\bet\b|\by\b|\be\b|&|\bі\b|\bи\b)\s*")
_PUBLISHED_KEYS = (
    "article:published_time",
    "og:published_time",
    "datepublished",
    "publishdate",
    "publish-date",
    "pubdate",
    "dc.date.issued",
    "dc.date",
    "date",
    "parsely-pub-date",
    "sailthru.date",
    "dcterms.date",
)
_UPDATED_KEYS = (
    "article:modified_time",
    "og:updated_time",
    "datemodified",
    "dc.date.modified",
    "last-modified",
    "dcterms.modified",
)
_BYLINE_SELECTOR = (
    '[itemprop="author"], [rel="author"], .byline a, .byline__name, '
    ".author-name, .author__name, .byline, .author"
)


@dataclass(slots=True)
class HeadSignals:
    meta: dict[str, str] = field(default_factory=dict)  # first value of each key
    meta_all: dict[str, list[str]] = field(default_factory=dict)
    canonical: str | None = None
    title_tag: str | None = None
    html_lang: str | None = None
    base_url: str = ""
    jsonld: tuple[JsonObject, ...] = ()


def read_meta(tree: LexborHTMLParser, url: str) -> HeadSignals:
    signals = HeadSignals(base_url=url)
    base = tree.css_first("base[href]")
    if base is not None:
        signals.base_url = absolute(url, base.attributes.get("href")) or url
    for node in tree.css("meta"):
        attrs = node.attributes
        key = (
            attrs.get("property")
            or attrs.get("name")
            or attrs.get("itemprop")
            or attrs.get("http-equiv")
        )
        content = attrs.get("content")
        if key and content is not None:
            key, content = key.strip().lower(), content.strip()
            signals.meta.setdefault(key, content)
            signals.meta_all.setdefault(key, []).append(content)
    link = tree.css_first('link[rel~="canonical"][href]')
    if link is not None:
        signals.canonical = absolute(signals.base_url, link.attributes.get("href"))
    title = tree.css_first("title")
    signals.title_tag = normalise(title.text()) if title is not None else None
    html = tree.css_first("html")
    signals.html_lang = html.attributes.get("lang") if html is not None else None
    scripts = tree.css('script[type="application/ld+json"]')
    signals.jsonld = jsonld.article_objects(s.text() or "" for s in scripts)
    return signals


def absolute(base: str, href: str | None) -> str | None:
    href = (href or "").strip()
    if not href:
        return None
    try:
        return urljoin(base, href)
    except ValueError:
        return None


def title_of(head: HeadSignals, tree: LexborHTMLParser, site_name: str | None) -> str | None:
    article = head.jsonld[0] if head.jsonld else {}
    for candidate in (head.meta.get("og:title"), jsonld.text_field(article, "headline")):
        if candidate and normalise(candidate):
            # Some sites put "Story | Site" in og:title too; only the exact site name goes.
            return _drop_site_name(normalise(candidate), site_name)
    h1 = tree.css_first("h1")
    if h1 is not None and normalise(h1.text() or ""):
        return normalise(h1.text() or "")
    return strip_site_suffix(head.title_tag, site_name) if head.title_tag else None


def _drop_site_name(title: str, site_name: str | None) -> str:
    separators = list(_TITLE_SEPARATORS.finditer(title))
    if site_name and separators:
        suffix = title[separators[-1].end() :]
        if suffix.casefold() == site_name.casefold():
            return title[: separators[-1].start()]
    return title


def strip_site_suffix(title: str, site_name: str | None) -> str:
    """ "Story - Site" and "Story | Section | Site" lose the last part when it is the site."""
    separators = list(_TITLE_SEPARATORS.finditer(title))
    if not separators:
        return title
    head, suffix = title[: separators[-1].start()], title[separators[-1].end() :]
    if site_name and suffix.casefold() == site_name.casefold():
        return head
    if len(suffix.split()) <= 3 and len(head.split()) >= 3:
        return head
    # "Site :: Story": a short first part before a long rest is the site.
    prefix, rest = title[: separators[0].start()], title[separators[0].end() :]
    if (site_name and prefix.casefold() == site_name.casefold()) or (
        len(prefix.split()) <= 3 and len(rest.split()) >= 4
    ):
        return rest
    return title


def authors_of(head: HeadSignals, tree: LexborHTMLParser) -> tuple[str, ...]:
    article = head.jsonld[0] if head.jsonld else {}
    sources = [
        jsonld.names(article.get("author")),
        [a for v in head.meta_all.get("author", []) for a in _split_authors(v)],
        [
            a
            for v in head.meta_all.get("article:author", [])
            if "://" not in v
            for a in _split_authors(v)
        ],
        _byline_authors(tree),
    ]
    for found in sources:
        if found:
            return tuple(dict.fromkeys(found))
    return ()


def _byline_authors(tree: LexborHTMLParser) -> list[str]:
    for node in tree.css(_BYLINE_SELECTOR):
        attrs = node.attributes
        text = normalise(node.text() or "")
        explicit = attrs.get("itemprop") == "author" or attrs.get("rel") == "author"
        if text and (explicit or _BYLINE_PREFIX.match(text)) and len(text) < 120:
            return _split_authors(text)
    return []


def _split_authors(value: str) -> list[str]:
    value = _BYLINE_PREFIX.sub("", normalise(value))
    return [a for a in _AUTHOR_SPLIT.split(value) if a and not a.startswith("http")]


def dates_of(head: HeadSignals, tree: LexborHTMLParser) -> tuple[datetime | None, datetime | None]:
    article = head.jsonld[0] if head.jsonld else {}
    published = _first_date(
        [
            head.meta.get("article:published_time"),
            jsonld.text_field(article, "datePublished"),
            *(head.meta.get(k) for k in _PUBLISHED_KEYS),
        ]
    )
    if published is None:
        times = tree.css("time[datetime]")
        published = _first_date([t.attributes.get("datetime") for t in times[:3]])
    updated = _first_date(
        [
            head.meta.get("article:modified_time"),
            jsonld.text_field(article, "dateModified"),
            *(head.meta.get(k) for k in _UPDATED_KEYS),
        ]
    )
    return published, updated


def _first_date(values: list[str | None]) -> datetime | None:
    for value in values:
        parsed = parse_datetime(value)
        if parsed is not None:
            return parsed
    return None


def parse_datetime(value: str | None) -> datetime | None:
    """ISO 8601 or RFC 2822, as aware UTC. A time without a zone is taken as UTC."""
    value = (value or "").strip()
    if not value:
        return None
    parsed: datetime | None
    try:
        parsed = datetime.fromisoformat(value.replace(" ", "T", 1) if " " in value[:11] else value)
    except ValueError:
        try:
            parsed = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def language_of(head: HeadSignals) -> str | None:
    article = head.jsonld[0] if head.jsonld else {}
    for value in (
        head.html_lang,
        head.meta.get("og:locale"),
        jsonld.text_field(article, "inLanguage"),
        head.meta.get("content-language"),
        head.meta.get("language"),
        head.meta.get("dc.language"),
    ):
        language = primary_language(value)
        if language:
            return language
    return None


def primary_language(value: str | None) -> str | None:
    match = _LANGUAGE.match((value or "").strip().split(",")[0].strip())
    return match.group(1).lower() if match else None


def site_name_of(head: HeadSignals) -> str | None:
    article = head.jsonld[0] if head.jsonld else {}
    for value in (head.meta.get("og:site_name"), *jsonld.names(article.get("publisher"))):
        if value and normalise(value):
            return normalise(value)
    return None


def image_of(head: HeadSignals) -> str | None:
    article = head.jsonld[0] if head.jsonld else {}
    for value in (
        head.meta.get("og:image"),
        head.meta.get("og:image:url"),
        head.meta.get("twitter:image"),
        jsonld.image_url(article.get("image")),
    ):
        url = absolute(head.base_url, value)
        if url:
            return url
    return None


def description_of(head: HeadSignals) -> str | None:
    article = head.jsonld[0] if head.jsonld else {}
    for value in (
        head.meta.get("og:description"),
        head.meta.get("description"),
        head.meta.get("twitter:description"),
        jsonld.text_field(article, "description"),
    ):
        if value and normalise(value):
            return normalise(value)
    return None
