"""HTTP fetching. Every response is classified here, once, into a typed result.

STUB: interface fixed by the lead; implementation owned by the fetch helper.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Literal

import aiohttp

from workers.metrics import Metrics
from workers.settings import Settings

Kind = Literal["feed", "page"]


@dataclass(frozen=True, slots=True)
class Validators:
    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True, slots=True)
class Ok:
    url: str  # final URL after redirects
    body: bytes
    content_type: str | None
    charset: str | None
    validators: Validators
    permanent_redirect: str | None  # where a 301/308 chain ended, to be remembered
    elapsed: float


@dataclass(frozen=True, slots=True)
class NotModified:
    url: str
    validators: Validators
    permanent_redirect: str | None
    elapsed: float


@dataclass(frozen=True, slots=True)
class RateLimited:
    url: str
    retry_after: float  # seconds
    elapsed: float


@dataclass(frozen=True, slots=True)
class Gone:
    url: str
    status: int  # 410 (or 404 seen repeatedly, at the caller's discretion)
    elapsed: float


class FailureKind(str, enum.Enum):
    TIMEOUT = "timeout"
    CONNECT = "connect"
    HTTP_STATUS = "http_status"
    TOO_LARGE = "too_large"
    BLOCKED_ADDRESS = "blocked_address"
    INVALID_URL = "invalid_url"
    TOO_MANY_REDIRECTS = "too_many_redirects"
    PROTOCOL = "protocol"


@dataclass(frozen=True, slots=True)
class Failed:
    url: str
    kind: FailureKind
    detail: str
    status: int | None
    elapsed: float


FetchResult = Ok | NotModified | RateLimited | Gone | Failed


class Fetcher:
    """Fetches over one shared session; bounded concurrency overall and per host."""

    def __init__(self, session: aiohttp.ClientSession, settings: Settings, metrics: Metrics) -> None:
        raise NotImplementedError

    async def fetch(
        self, url: str, *, kind: Kind, validators: Validators | None = None
    ) -> FetchResult:
        raise NotImplementedError


def open_session(settings: Settings) -> aiohttp.ClientSession:
    """The process's one ClientSession: timeouts, UA, gzip, proxy env, address guard."""
    raise NotImplementedError
