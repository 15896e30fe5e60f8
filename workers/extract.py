"""Main text and metadata from an article page, with the raw signals detection needs.

The page is decoded and parsed once (selectolax/lexbor). ``html_meta`` reads the head and
JSON-LD, ``blocks`` flattens the body into text blocks, ``maintext`` picks the article and
drops boilerplate; the feed entry fills what the page lacks. Nothing is interpreted for
provenance here: footers, datelines and source markup are passed on raw in ``PageSignals``.
"""

from __future__ import annotations

import html as html_escape
import re

from selectolax.lexbor import LexborHTMLParser

from workers import html_meta
from workers.blocks import page_blocks
from workers.boilerplate import boilerplate
from workers.charset import decode_html
from workers.errors import ExtractError
from workers.maintext import MainText, main_text
from workers.model import FeedEntry, Page, PageSignals, PublisherRef
from workers.urls import site_domain

_LINE_BREAKS = re.compile(r"\n\s*\n|\r\n\s*\r\n")


def extract_page(
    html: bytes, *, url: str, charset: str | None = None, entry: FeedEntry | None = None
) -> Page:
    """Parse the page once; ``entry`` fills what the page lacks (title, dates, publisher)."""
    if not html.strip():
        raise ExtractError(url, "empty response body")
    tree = LexborHTMLParser(decode_html(html, charset))
    head = html_meta.read_meta(tree, url)
    site_name = html_meta.site_name_of(head)
    title = html_meta.title_of(head, tree, site_name)
    body = tree.body if tree.body is not None else tree.root
    if body is None:
        raise ExtractError(url, "no document in the page")
    layout = page_blocks(body, boilerplate(), head.base_url)
    text = main_text(layout, boilerplate(), title=title)
    if not text.paragraphs and not title:
        raise ExtractError(url, "page has neither text nor a title")
    published, updated = html_meta.dates_of(head, tree)
    authors = html_meta.authors_of(head, tree)
    return Page(
        url=url,
        title=title or _entry_value(entry, "title"),
        text="\n\n".join(text.paragraphs),
        paragraphs=text.paragraphs,
        authors=authors or (entry.authors if entry else ()),
        published_at=published or (entry.published_at if entry else None),
        updated_at=updated or (entry.updated_at if entry else None),
        language=html_meta.language_of(head)
        or html_meta.primary_language(entry.language if entry else None),
        publisher=PublisherRef(
            name=site_name or _entry_value(entry, "feed_title"), domain=site_domain(url)
        ),
        canonical_url=head.canonical,
        image=html_meta.image_of(head) or (entry.image if entry else None),
        description=html_meta.description_of(head) or (entry.summary if entry else None),
        signals=_signals(head, text),
    )


def page_from_entry(entry: FeedEntry) -> Page:
    """A Page built from feed content alone (NEWSINGEST_FETCH_PAGES=never)."""
    url = entry.link or entry.feed_url
    fragment = entry.content_html or _summary_html(entry.summary or "")
    text = _fragment_text(fragment, url, entry.title)
    if not text.paragraphs and not entry.title:
        raise ExtractError(url, "feed entry has neither content nor a title")
    return Page(
        url=url,
        title=entry.title,
        text="\n\n".join(text.paragraphs),
        paragraphs=text.paragraphs,
        authors=entry.authors,
        published_at=entry.published_at,
        updated_at=entry.updated_at,
        language=html_meta.primary_language(entry.language),
        publisher=PublisherRef(
            name=entry.feed_title, domain=site_domain(entry.link or entry.feed_link or url)
        ),
        canonical_url=None,
        image=entry.image,
        description=entry.summary,
        signals=PageSignals(
            tail=text.tail, head_text=text.head_text, removed=text.removed, header=text.header
        ),
        from_feed_only=True,
    )


def _fragment_text(fragment: str, url: str, title: str | None) -> MainText:
    if not fragment.strip():
        return MainText((), (), (), "")
    tree = LexborHTMLParser(fragment)
    root = tree.body if tree.body is not None else tree.root
    if root is None:
        return MainText((), (), (), "")
    layout = page_blocks(root, boilerplate(), url)
    # Feed content is the article already: no container to find, boilerplate still goes.
    return main_text(layout, boilerplate(), title=title, whole=True)


def _summary_html(summary: str) -> str:
    paragraphs = (p.strip() for p in _LINE_BREAKS.split(summary))
    return "".join(f"<p>{html_escape.escape(p)}</p>" for p in paragraphs if p)


def _signals(head: html_meta.HeadSignals, text: MainText) -> PageSignals:
    return PageSignals(
        canonical=head.canonical,
        og_url=html_meta.absolute(head.base_url, head.meta.get("og:url")),
        og_site_name=head.meta.get("og:site_name"),
        meta=dict(head.meta),
        jsonld=head.jsonld,
        tail=text.tail,
        head_text=text.head_text,
        removed=text.removed,
        header=text.header,
    )


def _entry_value(entry: FeedEntry | None, name: str) -> str | None:
    value = getattr(entry, name, None) if entry is not None else None
    return value if isinstance(value, str) and value.strip() else None
