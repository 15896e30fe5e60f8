"""Main text and metadata from an article page, with the raw signals detection needs.

STUB: interface fixed by the lead; implementation owned by the extract helper.
"""

from __future__ import annotations

from workers.model import FeedEntry, Page


def extract_page(html: bytes, *, url: str, charset: str | None = None,
                 entry: FeedEntry | None = None) -> Page:
    """Parse the page once; ``entry`` fills what the page lacks (title, dates, publisher)."""
    raise NotImplementedError


def page_from_entry(entry: FeedEntry) -> Page:
    """A Page built from feed content alone (NEWSINGEST_FETCH_PAGES=never)."""
    raise NotImplementedError
