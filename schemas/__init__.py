"""Event contract of the ``news:articles`` stream (see events.py)."""

from schemas.events import (
    SCHEMA_VERSION,
    Article,
    ArticlePublished,
    ArticleSyndicated,
    ArticleUpdated,
    CitedSource,
    Copy,
    Event,
    Evidence,
    Origin,
    Provenance,
    Publisher,
    Source,
)
from schemas.jsonschema import event_adapter, json_schema

__all__ = [
    "SCHEMA_VERSION",
    "Article",
    "ArticlePublished",
    "ArticleSyndicated",
    "ArticleUpdated",
    "CitedSource",
    "Copy",
    "Event",
    "Evidence",
    "Origin",
    "Provenance",
    "Publisher",
    "Source",
    "event_adapter",
    "json_schema",
]
