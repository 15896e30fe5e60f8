"""All configuration, read once from the environment and passed down (no globals).

Every field maps to an environment variable: ``REDIS_URL`` and ``NEWSINGEST_<FIELD>``.
The README's configuration table lists them; keep the two in step.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class FetchPages(StrEnum):
    ALWAYS = "always"
    NEVER = "never"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="NEWSINGEST_", extra="ignore", frozen=True)

    redis_url: str | None = Field(
        default=None, validation_alias=AliasChoices("REDIS_URL", "NEWSINGEST_REDIS_URL")
    )
    stream: str = "news:articles"
    stream_maxlen: int = Field(default=1_000_000, ge=1)
    key_prefix: str = "newsingest"
    # Connections per process; more work in flight waits for a free one.
    redis_max_connections: int = Field(default=64, ge=1)

    # Polling
    poll_interval: float = Field(default=300.0, ge=0)
    lease_seconds: float = Field(default=120.0, gt=0)
    heartbeat_interval: float = Field(default=10.0, gt=0)
    heartbeat_ttl: float = Field(default=60.0, gt=0)
    worker_name: str | None = None

    # Fetching
    fetch_pages: FetchPages = FetchPages.ALWAYS
    connect_timeout: float = Field(default=10.0, gt=0)
    total_timeout: float = Field(default=30.0, gt=0)
    max_body_bytes: int = Field(default=10 * 1024 * 1024, gt=0)
    concurrency: int = Field(default=32, ge=1)
    per_host_concurrency: int = Field(default=4, ge=1)
    user_agent: str = "newsingest/0.1 (+https://github.com/newsingest/newsingest)"
    allow_private_hosts: bool = False
    max_redirects: int = Field(default=10, ge=0)
    # Static name resolution, like curl --resolve: {"english.nv.ua:80": "127.0.0.1:8081"}.
    # For the demo, tests and benchmarks, which serve real hostnames from loopback.
    resolve: dict[str, str] = Field(default_factory=dict)

    # Dedupe
    tracking_params: tuple[str, ...] = ()
    retention_days: float = Field(default=30.0, gt=0)
    near_dup_threshold: float = Field(default=0.5, gt=0, le=1)

    # Service
    host: str = "0.0.0.0"
    port: int = Field(default=8080, ge=0, le=65535)
    log_level: str = "INFO"
