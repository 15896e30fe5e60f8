"""HTTP fetching. Every response is classified here, once, into a typed result.

One ``ClientSession`` per process (``open_session``); a ``Fetcher`` over it bounds
concurrency overall and per host, follows redirects itself (each hop through the address
guard, so it can tell a permanent move from a temporary one), sends conditional requests,
caps body size, and maps every answer and every aiohttp exception to exactly one of
``Ok | NotModified | RateLimited | Gone | Failed``. Nothing downstream reads status codes.
"""

from __future__ import annotations

import asyncio
import enum
import time
from dataclasses import dataclass
from datetime import UTC
from email.utils import parsedate_to_datetime
from typing import Literal

import aiohttp
from aiohttp import hdrs
from prometheus_client import Counter, Histogram
from yarl import URL

from workers.addresses import BlockedAddressError, GuardedResolver, literal_blocked, parse_overrides
from workers.hostslots import HostSlots
from workers.metrics import Metrics
from workers.proxies import EnvProxies, Proxy
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


class FailureKind(enum.StrEnum):
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


# Back-off when a 429 says nothing (or nonsense) about when to come back.
DEFAULT_RETRY_AFTER = 60.0

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_PERMANENT = frozenset({301, 308})
_NO_VALIDATORS = Validators()
_OUTCOMES: dict[type, str] = {
    Ok: "ok",
    NotModified: "not_modified",
    RateLimited: "rate_limited",
    Gone: "gone",
    Failed: "failed",
}


@dataclass(frozen=True, slots=True)
class _Redirect:
    """A hop in a redirect chain; never leaves this module."""

    location: URL
    permanent: bool


class Fetcher:
    """Fetches over one shared session; bounded concurrency overall and per host."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        settings: Settings,
        metrics: Metrics,
        *,
        proxies: EnvProxies | None = None,
    ) -> None:
        self._session = session
        self._settings = settings
        self._metrics = metrics
        self._proxies = proxies if proxies is not None else EnvProxies.from_env()
        self._slots = asyncio.Semaphore(settings.concurrency)
        self._hosts = HostSlots(settings.per_host_concurrency)
        self._counted: dict[tuple[str, str], Counter] = {}
        self._timed: dict[str, Histogram] = {}

    async def fetch(
        self, url: str, *, kind: Kind, validators: Validators | None = None
    ) -> FetchResult:
        started = time.monotonic()
        result = await self._follow(url, validators or _NO_VALIDATORS, started)
        self._record(kind, result)
        return result

    def _record(self, kind: Kind, result: FetchResult) -> None:
        outcome = _OUTCOMES[type(result)]
        counted = self._counted.get((kind, outcome))
        if counted is None:  # labels() takes a lock and builds a key: look each child up once
            counted = self._counted[kind, outcome] = self._metrics.fetches.labels(kind, outcome)
        timed = self._timed.get(kind)
        if timed is None:
            timed = self._timed[kind] = self._metrics.fetch_seconds.labels(kind)
        counted.inc()
        timed.observe(result.elapsed)

    async def _follow(self, url: str, validators: Validators, started: float) -> FetchResult:
        """Up to ``max_redirects`` hops; ``where`` is the URL as the caller will see it."""
        try:
            target = URL(url)
        except (TypeError, ValueError) as e:
            return _failed(url, FailureKind.INVALID_URL, str(e), started)
        where, seen, permanent = url, {target}, True
        for hops in range(self._settings.max_redirects + 1):
            refused = _refusal(target, self._settings.allow_private_hosts)
            if refused is not None:
                return _failed(where, *refused, started)
            moved_to = where if hops and permanent else None
            step = await self._hop(target, where, validators, moved_to, started)
            if not isinstance(step, _Redirect):
                return step
            permanent = permanent and step.permanent
            target, where = step.location, str(step.location)
            if target in seen:
                return _failed(where, FailureKind.TOO_MANY_REDIRECTS, "redirect loop", started)
            seen.add(target)
        limit = self._settings.max_redirects
        return _failed(where, FailureKind.TOO_MANY_REDIRECTS, f"over {limit} redirects", started)

    async def _hop(
        self,
        target: URL,
        where: str,
        validators: Validators,
        moved_to: str | None,
        started: float,
    ) -> FetchResult | _Redirect:
        """One request. The only place aiohttp's exceptions are caught."""
        proxy = self._proxies.for_url(target)
        host = target.host or ""
        # Host slot first: a fetch waiting for a busy host must not hold an overall slot.
        await self._hosts.acquire(host)
        try:
            async with (
                self._slots,
                self._session.get(
                    target,
                    headers=_headers(validators, proxy, target),
                    allow_redirects=False,
                    proxy=proxy.url if proxy else None,
                    proxy_headers=proxy.headers if proxy else None,
                ) as resp,
            ):
                return await self._classify(resp, where, validators, moved_to, started)
        except (aiohttp.ClientError, TimeoutError) as e:
            return _failed(where, *_failure(e), started)
        finally:
            self._hosts.release(host)

    async def _classify(
        self,
        resp: aiohttp.ClientResponse,
        where: str,
        validators: Validators,
        moved_to: str | None,
        started: float,
    ) -> FetchResult | _Redirect:
        """The one switch over status codes."""
        status = resp.status
        if 200 <= status < 300:
            return await self._ok(resp, where, moved_to, started)
        if status == 304:
            fresh = _validators(resp)
            kept = Validators(
                fresh.etag or validators.etag, fresh.last_modified or validators.last_modified
            )
            return NotModified(where, kept, moved_to, _since(started))
        if status in _REDIRECTS:
            return _redirect(resp, where, started)
        if status == 410:
            return Gone(where, status, _since(started))
        retry_after = resp.headers.get(hdrs.RETRY_AFTER)
        if status == 429 or (status == 503 and retry_after is not None):
            delay = retry_after_seconds(retry_after, time.time(), DEFAULT_RETRY_AFTER)
            return RateLimited(where, delay, _since(started))
        detail = f"HTTP {status} {resp.reason or ''}".rstrip()
        return Failed(where, FailureKind.HTTP_STATUS, detail, status, _since(started))

    async def _ok(
        self, resp: aiohttp.ClientResponse, where: str, moved_to: str | None, started: float
    ) -> Ok | Failed:
        cap = self._settings.max_body_bytes
        body = await read_capped(resp, cap)
        if body is None:
            detail = f"body over {cap} bytes"
            return Failed(where, FailureKind.TOO_LARGE, detail, resp.status, _since(started))
        has_type = hdrs.CONTENT_TYPE in resp.headers
        return Ok(
            url=where,
            body=body,
            content_type=resp.content_type if has_type else None,
            charset=resp.charset,
            validators=_validators(resp),
            permanent_redirect=moved_to,
            elapsed=_since(started),
        )


async def read_capped(resp: aiohttp.ClientResponse, cap: int) -> bytes | None:
    """The decoded body, or None past ``cap`` bytes (declared or actually streamed)."""
    if resp.content_length is not None and resp.content_length > cap:
        return None
    chunks: list[bytes] = []
    size = 0
    async for chunk in resp.content.iter_any():
        size += len(chunk)
        if size > cap:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def retry_after_seconds(value: str | None, now: float, default: float) -> float:
    """Retry-After as seconds from ``now``: delta-seconds or an HTTP date; else ``default``."""
    if value is None:
        return default
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return default
    if when.tzinfo is None:  # "-0000" parses naive; HTTP dates are UTC
        when = when.replace(tzinfo=UTC)
    return max(0.0, when.timestamp() - now)


def _failure(exc: aiohttp.ClientError | TimeoutError) -> tuple[FailureKind, str]:
    """aiohttp's exception tree mapped onto failure kinds, in this one place."""
    detail = f"{type(exc).__name__}: {exc}"
    if isinstance(exc, aiohttp.ClientConnectorError) and isinstance(
        exc.os_error, BlockedAddressError
    ):
        return FailureKind.BLOCKED_ADDRESS, str(exc.os_error)
    if isinstance(exc, TimeoutError):  # before ClientError: ServerTimeoutError is both
        return FailureKind.TIMEOUT, detail
    if isinstance(exc, aiohttp.InvalidURL):
        return FailureKind.INVALID_URL, detail
    if isinstance(exc, aiohttp.ClientHttpProxyError):  # the proxy refused, not the site
        return FailureKind.CONNECT, detail
    if isinstance(exc, aiohttp.ClientPayloadError | aiohttp.ClientResponseError):
        return FailureKind.PROTOCOL, detail
    return FailureKind.CONNECT, detail


def _refusal(target: URL, allow_private: bool) -> tuple[FailureKind, str] | None:
    """Why a URL must not be requested at all, checked before every hop."""
    if target.scheme not in ("http", "https"):
        return FailureKind.INVALID_URL, f"not an http(s) URL: {target}"
    host = target.host
    if not host:
        return FailureKind.INVALID_URL, f"no host in {target}"
    # Literal addresses never reach the resolver, nor do names sent to a proxy.
    if not allow_private and literal_blocked(host):
        return FailureKind.BLOCKED_ADDRESS, f"non-public address {host}"
    return None


def _redirect(resp: aiohttp.ClientResponse, where: str, started: float) -> _Redirect | Failed:
    location = resp.headers.get(hdrs.LOCATION)
    if not location:
        detail = f"HTTP {resp.status} without Location"
        return Failed(where, FailureKind.PROTOCOL, detail, resp.status, _since(started))
    try:
        target = resp.url.join(URL(location))
    except ValueError as e:
        detail = f"bad Location {location!r}: {e}"
        return Failed(where, FailureKind.INVALID_URL, detail, resp.status, _since(started))
    return _Redirect(target, resp.status in _PERMANENT)


def _headers(validators: Validators, proxy: Proxy | None, target: URL) -> dict[str, str] | None:
    """Conditional-request headers, and proxy credentials where aiohttp would drop them."""
    if not (validators.etag or validators.last_modified or (proxy and proxy.headers)):
        return None
    headers: dict[str, str] = {}
    if proxy is not None and proxy.headers and target.scheme == "http":
        # aiohttp sends proxy_headers only with CONNECT (https); a plain request carries them.
        headers.update(proxy.headers)
    if validators.etag:
        headers[hdrs.IF_NONE_MATCH] = validators.etag
    if validators.last_modified:
        headers[hdrs.IF_MODIFIED_SINCE] = validators.last_modified
    return headers


def _validators(resp: aiohttp.ClientResponse) -> Validators:
    return Validators(resp.headers.get(hdrs.ETAG), resp.headers.get(hdrs.LAST_MODIFIED))


def _since(started: float) -> float:
    return time.monotonic() - started


def _failed(
    where: str, kind: FailureKind, detail: str, started: float, status: int | None = None
) -> Failed:
    return Failed(where, kind, detail, status, _since(started))


def open_session(settings: Settings) -> aiohttp.ClientSession:
    """The process's one ClientSession: timeouts, UA, gzip, proxy env, address guard.

    Call it with the event loop running; close it (``async with``) when the process ends.
    """
    resolver = GuardedResolver(
        overrides=parse_overrides(settings.resolve),
        allow_private=settings.allow_private_hosts,
        trusted=EnvProxies.from_env().endpoints,
    )
    # Every name goes through the guard. Through a proxy, though, the proxy resolves the
    # site's name: only literal addresses are refused here (Fetcher, before each hop) and
    # the proxy's own rules must keep names off private networks (workers/proxies.py).
    # The connector's limit matches the Fetcher's, so requests never queue twice.
    connector = aiohttp.TCPConnector(resolver=resolver, limit=settings.concurrency)
    # Per request, hence per redirect hop; waiting for a Fetcher slot is not counted.
    timeout = aiohttp.ClientTimeout(
        total=settings.total_timeout,
        connect=settings.connect_timeout,
        sock_connect=settings.connect_timeout,
    )
    return aiohttp.ClientSession(
        connector=connector,
        timeout=timeout,
        headers={hdrs.USER_AGENT: settings.user_agent, hdrs.ACCEPT_ENCODING: "gzip, deflate"},
        # Proxy variables are honoured, read once by EnvProxies: see workers/proxies.py.
        trust_env=False,
        # Like miniflux: no cookies kept between fetches (nor sent to other feeds).
        cookie_jar=aiohttp.DummyCookieJar(),
    )
