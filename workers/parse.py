"""Feed bytes to typed entries. feedparser is only ever given bytes we fetched ourselves.

Well-formed RSS and Atom take ``workers/feedxml.py`` (lxml, several times cheaper), which
returns the raw values feedparser would have; every document it cannot vouch for goes to
feedparser. Both paths share ``_build``, so they differ only in where raw values come from.

feedparser's errors stop here: a body that is no feed raises ``FeedParseError``; a feed
that parsed despite problems (feedparser's "bozo") keeps its entries and a warning.
"""

from __future__ import annotations

import calendar
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import feedparser
from selectolax.lexbor import LexborHTMLParser

from workers import feedxml
from workers.errors import FeedParseError
from workers.model import EntrySource, FeedEntry, ParsedFeed

# We never render feed HTML, so feedparser's sanitiser and URI rewriting are wasted work
# (they are most of its CPU on content-rich feeds).
_PARSE_OPTIONS: dict[str, Any] = {"sanitize_html": False, "resolve_relative_uris": False}

# Why documents left the fast path, per process: feedxml.Unsupported reasons.
FALLBACKS: Counter[str] = Counter()


def parse_feed(body: bytes, *, url: str, content_type: str | None = None) -> ParsedFeed:
    """The fast lxml path when it can guarantee feedparser's result, else feedparser."""
    try:
        raw = feedxml.parse(body, url=url, content_type=content_type)
    except feedxml.Unsupported as e:
        FALLBACKS[e.reason] += 1
        return parse_feed_feedparser(body, url=url, content_type=content_type)
    return _build(url, raw.feed, raw.entries, raw.warning, lambda value: value)


def parse_feed_feedparser(body: bytes, *, url: str, content_type: str | None = None) -> ParsedFeed:
    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    try:
        parsed = feedparser.parse(body, response_headers=headers, **_PARSE_OPTIONS)
    except Exception as e:  # feedparser raises arbitrary errors on hostile input
        raise FeedParseError(url, f"feed parser failed: {e!r}") from e
    if not parsed.entries and (parsed.get("bozo") or not parsed.get("version")):
        # Broken and empty (a truncated download, an HTML error page): nothing to salvage.
        reason = parsed.get("bozo_exception") or "no RSS or Atom content"
        raise FeedParseError(url, f"not a feed ({reason})")
    warning = str(parsed.get("bozo_exception")) if parsed.get("bozo") else None
    return _build(url, parsed.feed, parsed.entries, warning, _time)


def _build(
    url: str,
    feed: Any,
    raw_entries: Any,
    warning: str | None,
    to_datetime: Callable[[Any], datetime | None],
) -> ParsedFeed:
    title = _text(feed.get("title"))
    link = feed.get("link")
    language = _language(feed.get("language"))
    entries = []
    for raw in raw_entries:
        entry = _entry(
            raw,
            feed_url=url,
            feed_title=title,
            feed_link=link,
            language=language,
            to_datetime=to_datetime,
        )
        if entry is not None:
            entries.append(entry)
    return ParsedFeed(url, title, link, language, tuple(entries), warning)


def _entry(
    raw: Any,
    *,
    feed_url: str,
    feed_title: str | None,
    feed_link: str | None,
    language: str | None,
    to_datetime: Callable[[Any], datetime | None],
) -> FeedEntry | None:
    link = raw.get("link") or None
    entry_id = (raw.get("id") or link or "").strip()
    if not entry_id:
        return None  # nothing to identify it by: not an entry we can deduplicate
    summary_html = raw.get("summary") or ""
    # FeedParserDict maps updated<->published behind a DeprecationWarning; read the real key.
    published = dict.get(raw, "published_parsed")
    updated = dict.get(raw, "updated_parsed")
    return FeedEntry(
        feed_url=feed_url,
        entry_id=entry_id,
        # A GUID that is a URL is a permalink identity whatever isPermaLink says; an opaque
        # one (tag: URIs, numbers) only identifies the entry within its publisher's feeds.
        guid_is_permalink=entry_id.startswith(("http://", "https://")),
        link=link,
        title=_text(raw.get("title")),
        summary=html_to_text(summary_html) or None,
        content_html=_content_html(raw),
        authors=_authors(raw),
        published_at=to_datetime(published or updated),
        updated_at=to_datetime(updated),
        language=_language(_detail_language(raw)) or language,
        image=_image(raw),
        sources=_sources(raw),
        feed_title=feed_title,
        feed_link=feed_link,
    )


def html_to_text(fragment: str) -> str:
    if "<" not in fragment and "&" not in fragment:
        return _squeeze(fragment)
    tree = LexborHTMLParser(fragment)
    return _squeeze(tree.text(separator=" ") or "")


def _squeeze(text: str) -> str:
    """``" ".join(text.split())``: every whitespace run one space, none at either end."""
    # The only whitespace a printable str holds is the space (the others are control or
    # separator characters), so without a double or an edge space it is its own result:
    # two scans in C instead of a string per word.
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text
    return " ".join(text.split())


def _text(value: Any) -> str | None:
    return html_to_text(value) or None if isinstance(value, str) else None


def _time(value: time.struct_time | None) -> datetime | None:
    if value is None:
        return None
    try:  # feedparser normalises to UTC struct_time
        return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
    except (OverflowError, ValueError):
        return None


def _content_html(raw: Any) -> str | None:
    """The longest content value; the first of equals."""
    content = raw.get("content")
    if not content:
        return None
    if len(content) == 1:  # the usual case, without max's generator
        return content[0].get("value") or None
    return max((c.get("value") or "" for c in content), key=len) or None


def _language(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    return value.strip().replace("_", "-").split("-")[0].lower() or None


def _detail_language(raw: Any) -> Any:
    detail = raw.get("title_detail") or {}
    return detail.get("language")


def _authors(raw: Any) -> tuple[str, ...]:
    authors = raw.get("authors")
    names = [a.get("name", "").strip() for a in authors if a.get("name")] if authors else []
    if not names and raw.get("author"):
        names = [str(raw["author"]).strip()]
    return tuple(dict.fromkeys(filter(None, names)))


def _image(raw: Any) -> str | None:
    for key in ("media_content", "media_thumbnail"):
        for item in raw.get(key) or []:
            if item.get("url") and item.get("medium", "image") == "image":
                return str(item["url"])
    for enclosure in raw.get("enclosures") or []:
        if str(enclosure.get("type", "")).startswith("image/") and enclosure.get("href"):
            return str(enclosure["href"])
    return None


def _sources(raw: Any) -> tuple[EntrySource, ...]:
    out: list[EntrySource] = []
    source = raw.get("source")
    if source:
        # RSS <source url="feed">Title</source> gives href; Atom <source> gives link/id.
        if "href" in source:
            out.append(EntrySource("rss_source", _text(source.get("title")), source.get("href")))
        else:
            out.append(EntrySource("atom_source", _text(source.get("title")), source.get("link")))
    dc_source = raw.get("dc_source")
    if isinstance(dc_source, str) and dc_source.strip():
        value = dc_source.strip()
        is_url = value.startswith(("http://", "https://"))
        out.append(EntrySource("dc_source", None if is_url else value, value if is_url else None))
    return tuple(out)
