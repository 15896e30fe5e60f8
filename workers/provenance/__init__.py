"""Provenance detection: is this page a republication, and of whom.

STUB: interface fixed by the lead; implementation owned by the provenance helper.
"""

from __future__ import annotations

from workers.model import FeedEntry, Page, Provenance
from workers.provenance.registry import PublisherRegistry

__all__ = ["PublisherRegistry", "detect"]


def detect(page: Page, entry: FeedEntry | None, registry: PublisherRegistry) -> Provenance:
    """Pure: evidence from the page and its feed entry, combined into one origin claim."""
    raise NotImplementedError
