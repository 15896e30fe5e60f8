"""The stream's event contract, version 1.

Each stream entry has one field, ``data``, holding one of these events as JSON. Consumers
switch on ``type``. Fields are only ever added within a major version; a removal or a change
of meaning bumps ``SCHEMA_VERSION`` and comes with a migration note in the README.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Final, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

SCHEMA_VERSION: Final = "newsingest.article/1"


class _Model(BaseModel):
    # defer_build: the validators and serialisers are built on an event's first use, not at
    # import: a worker whose pass publishes nothing (every feed 304) never pays for them.
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class Publisher(_Model):
    name: str | None = Field(None, description="Outlet name as the outlet writes it.")
    domain: str | None = Field(None, description="Registrable host, lower case, no www.")


class Article(_Model):
    url: str = Field(description="Best URL of the story: its origin's page where known.")
    canonical_url: str | None = None
    title: str | None = None
    summary: str | None = None
    text: str = Field(description="Normalised main text, without boilerplate, captions, teasers.")
    authors: list[str] = Field(default_factory=list)
    language: str | None = Field(None, description="BCP 47 primary tag, e.g. 'en'.")
    published_at: AwareDatetime | None = None
    updated_at: AwareDatetime | None = None
    publisher: Publisher
    image: str | None = None
    text_hash: str = Field(description="Hash of the normalised text (hex).")
    word_count: int = 0


class Copy(_Model):
    url: str
    title: str | None = None
    publisher: Publisher
    published_at: AwareDatetime | None = None
    similarity: float | None = Field(
        None, ge=0, le=1, description="Text similarity to the story, when matched by content."
    )


class Evidence(_Model):
    signal: str = Field(description="Kind of signal, e.g. 'footer', 'wire_dateline', 'canonical'.")
    detail: str = Field(description="The text or markup that showed it.")
    weight: float = Field(ge=0, le=1)
    language: str | None = None


class Origin(_Model):
    publisher: Publisher
    url: str | None = None
    confidence: float = Field(ge=0, le=1)


class CitedSource(_Model):
    name: str
    domain: str | None = None
    how: str = Field(description="How it is cited, e.g. 'reported', 'according_to'.")
    sentence: str


class Provenance(_Model):
    origin: Origin
    evidence: list[Evidence] = Field(default_factory=list)
    cited_sources: list[CitedSource] = Field(default_factory=list)


class Source(_Model):
    feed_url: str | None = None
    entry_id: str | None = None
    entry_url: str | None = None
    fetched_at: AwareDatetime
    worker: str


class _Event(_Model):
    schema_: Literal["newsingest.article/1"] = Field(
        SCHEMA_VERSION, alias="schema", serialization_alias="schema"
    )
    event_id: str = Field(description="Deterministic: the same fact always has the same id.")
    article_id: str = Field(description="Stable story id, shared by every copy.")
    occurred_at: AwareDatetime
    source: Source

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True, defer_build=True)


UpdateReason = Literal["origin_arrived", "origin_changed", "content_changed"]


class ArticlePublished(_Event):
    type: Literal["article.published"] = "article.published"
    article: Article
    provenance: Provenance


class ArticleSyndicated(_Event):
    type: Literal["article.syndicated"] = "article.syndicated"
    copy_: Copy = Field(alias="copy", serialization_alias="copy")
    provenance: Provenance


class ArticleUpdated(_Event):
    type: Literal["article.updated"] = "article.updated"
    article: Article
    provenance: Provenance
    reason: UpdateReason


Event = Annotated[
    ArticlePublished | ArticleSyndicated | ArticleUpdated, Field(discriminator="type")
]


def utc(dt: datetime) -> datetime:
    """Return ``dt`` as an aware UTC datetime (naive input is taken as UTC)."""
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)
