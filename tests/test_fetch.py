"""The fetch layer against real servers on loopback: fakeweb, plus small apps where needed."""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import itertools
import socket
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from email.utils import formatdate
from typing import Any

import pytest
from aiohttp import ClientSession, web

from tests.fakeweb import RSS, FakeWeb, Resource
from workers.errors import ConfigError
from workers.fetch import (
    DEFAULT_RETRY_AFTER,
    Failed,
    FailureKind,
    Fetcher,
    FetchResult,
    Gone,
    NotModified,
    Ok,
    RateLimited,
    Validators,
    open_session,
    retry_after_seconds,
)
from workers.metrics import Metrics
from workers.settings import Settings

FEED = "http://feeds.test/rss"
BODY = "<rss><channel><title>Fetch test</title></channel></rss>"
PROXY_VARS = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")
OpenFetcher = Callable[[Settings], Awaitable[Fetcher]]
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@pytest.fixture(autouse=True)
def no_proxy_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests start from no proxy variables, whatever the machine has."""
    for name in PROXY_VARS:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


@pytest.fixture
def metrics() -> Metrics:
    return Metrics()


@pytest.fixture
async def open_fetcher(metrics: Metrics) -> AsyncIterator[OpenFetcher]:
    """Opens a session and Fetcher for given settings; closes every session at teardown."""
    async with contextlib.AsyncExitStack() as stack:

        async def make(settings: Settings) -> Fetcher:
            session = await stack.enter_async_context(open_session(settings))
            return Fetcher(session, settings, metrics)

        yield make


@contextlib.asynccontextmanager
async def serving(handler: Handler) -> AsyncIterator[int]:
    """A one-handler aiohttp app on 127.0.0.1:0; yields its port."""
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handler)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        yield runner.addresses[0][1]
    finally:
        await runner.cleanup()


def routed(settings: Settings, fakeweb: FakeWeb, **update: Any) -> Settings:
    return settings.model_copy(update={"resolve": fakeweb.resolve, **update})


def expect_failed(result: FetchResult, kind: FailureKind) -> Failed:
    assert isinstance(result, Failed), result
    assert result.kind is kind, result
    return result


# --- answers ----------------------------------------------------------------------------


async def test_ok_decodes_gzip_and_reports_type_charset_validators(
    settings: Settings, fakeweb: FakeWeb, open_fetcher: OpenFetcher
) -> None:
    fakeweb.add_text(FEED, BODY, RSS, gzip=True)
    fetcher = await open_fetcher(routed(settings, fakeweb))

    result = await fetcher.fetch(FEED, kind="feed")

    assert isinstance(result, Ok), result
    assert result.body == BODY.encode()
    assert (result.url, result.charset) == (FEED, "utf-8")
    assert result.content_type == "application/rss+xml"
    assert result.validators.etag
    assert result.validators.last_modified
    assert result.permanent_redirect is None
    sent = fakeweb.requests[0].headers
    assert sent["Accept-Encoding"] == "gzip, deflate"
    assert sent["User-Agent"] == settings.user_agent


@pytest.mark.parametrize(
    ("keep_etag", "keep_date"),
    [(True, False), (False, True), (True, True)],
    ids=["etag", "last-modified", "both"],
)
async def test_second_fetch_with_validators_is_not_modified(
    settings: Settings,
    fakeweb: FakeWeb,
    open_fetcher: OpenFetcher,
    keep_etag: bool,
    keep_date: bool,
) -> None:
    fakeweb.add_text(FEED, BODY, RSS)
    fetcher = await open_fetcher(routed(settings, fakeweb))
    first = await fetcher.fetch(FEED, kind="feed")
    assert isinstance(first, Ok), first
    sent = Validators(
        first.validators.etag if keep_etag else None,
        first.validators.last_modified if keep_date else None,
    )

    second = await fetcher.fetch(FEED, kind="feed", validators=sent)

    assert isinstance(second, NotModified), second
    assert second.validators == first.validators
    conditional = fakeweb.requests[1].headers
    assert conditional.get("If-None-Match") == sent.etag
    assert conditional.get("If-Modified-Since") == sent.last_modified


@pytest.mark.parametrize(
    ("statuses", "remembered"),
    [
        ((301,), True),
        ((308,), True),
        ((301, 308, 301), True),
        ((302,), False),
        ((307,), False),
        ((301, 302), False),
        ((303, 301), False),
    ],
    ids=["301", "308", "301-308-301", "302", "307", "301-then-302", "303-then-301"],
)
async def test_redirect_chain_is_followed_and_only_all_permanent_is_remembered(
    settings: Settings,
    fakeweb: FakeWeb,
    open_fetcher: OpenFetcher,
    statuses: tuple[int, ...],
    remembered: bool,
) -> None:
    hops = [f"http://old{i}.test/feed" for i in range(len(statuses))]
    final = "http://new.test/feed.xml"
    for hop, nxt, status in zip(hops, [*hops[1:], final], statuses, strict=True):
        fakeweb.add(hop, Resource(status=status, headers={"Location": nxt}))
    fakeweb.add_text(final, BODY, RSS)
    fetcher = await open_fetcher(routed(settings, fakeweb))

    result = await fetcher.fetch(hops[0], kind="feed")

    assert isinstance(result, Ok), result
    assert (result.url, result.body) == (final, BODY.encode())
    assert result.permanent_redirect == (final if remembered else None)


async def test_relative_location_and_not_modified_after_permanent_move(
    settings: Settings, fakeweb: FakeWeb, open_fetcher: OpenFetcher
) -> None:
    fakeweb.add("http://feeds.test/old", Resource(status=308, headers={"Location": "new?x=1"}))
    fakeweb.add_text("http://feeds.test/new?x=1", BODY, RSS)
    fetcher = await open_fetcher(routed(settings, fakeweb))
    first = await fetcher.fetch("http://feeds.test/old", kind="feed")
    assert isinstance(first, Ok), first

    again = await fetcher.fetch("http://feeds.test/old", kind="feed", validators=first.validators)

    assert isinstance(again, NotModified), again
    assert again.permanent_redirect == "http://feeds.test/new?x=1"


@pytest.mark.parametrize(
    ("chain", "detail"),
    [
        (["http://a.test/", "http://b.test/", "http://a.test/"], "loop"),
        ([f"http://hop{i}.test/" for i in range(5)], "over 3 redirects"),
    ],
    ids=["loop", "too-many"],
)
async def test_redirects_that_never_end_fail(
    settings: Settings,
    fakeweb: FakeWeb,
    open_fetcher: OpenFetcher,
    chain: list[str],
    detail: str,
) -> None:
    for hop, nxt in itertools.pairwise(chain):
        fakeweb.add(hop, Resource(status=302, headers={"Location": nxt}))
    if chain[-1] != chain[0]:
        fakeweb.add_text(chain[-1], BODY, RSS)
    fetcher = await open_fetcher(routed(settings, fakeweb, max_redirects=3))

    result = await fetcher.fetch(chain[0], kind="feed")

    assert detail in expect_failed(result, FailureKind.TOO_MANY_REDIRECTS).detail


def _date_in(seconds: float) -> str:
    return formatdate(time.time() + seconds, usegmt=True)


@pytest.mark.parametrize(
    ("status", "headers", "expected"),
    [
        (404, {}, Failed),
        (500, {}, Failed),
        (503, {}, Failed),
        (410, {}, Gone),
        (429, {"Retry-After": "7"}, RateLimited),
        (429, {"Retry-After": "in 120s"}, RateLimited),
        (429, {}, RateLimited),
        (503, {"Retry-After": "7"}, RateLimited),
    ],
    ids=[
        "404",
        "500",
        "503-no-retry-after",
        "410",
        "429-seconds",
        "429-http-date",
        "429-no-retry-after",
        "503-seconds",
    ],
)
async def test_status_is_classified(
    settings: Settings,
    fakeweb: FakeWeb,
    open_fetcher: OpenFetcher,
    status: int,
    headers: dict[str, str],
    expected: type,
) -> None:
    if headers.get("Retry-After") == "in 120s":
        headers = {"Retry-After": _date_in(120)}
    fakeweb.add(FEED, Resource(body=b"nope", status=status, headers=headers))
    fetcher = await open_fetcher(routed(settings, fakeweb))

    result = await fetcher.fetch(FEED, kind="feed")

    assert isinstance(result, expected), result
    match result:
        case Failed(kind=kind, status=got):
            assert (kind, got) == (FailureKind.HTTP_STATUS, status)
        case Gone(status=got):
            assert got == 410
        case RateLimited(retry_after=delay):
            want = {"7": 7.0, None: DEFAULT_RETRY_AFTER}.get(headers.get("Retry-After"), 120.0)
            assert want - 3 < delay <= want


async def test_slow_answer_times_out(
    settings: Settings, fakeweb: FakeWeb, open_fetcher: OpenFetcher
) -> None:
    fakeweb.add_text(FEED, BODY, RSS, delay=0.5)
    fetcher = await open_fetcher(routed(settings, fakeweb, total_timeout=0.05))

    expect_failed(await fetcher.fetch(FEED, kind="feed"), FailureKind.TIMEOUT)


@pytest.mark.parametrize(
    ("size", "options", "ok"),
    [
        (1000, {}, True),
        (1001, {}, False),
        (1001, {"chunked": True}, False),
        (100_000, {"gzip": True}, False),
    ],
    ids=["at-cap", "content-length-over", "chunked-over", "gzip-expands-over"],
)
async def test_body_cap(
    settings: Settings,
    fakeweb: FakeWeb,
    open_fetcher: OpenFetcher,
    size: int,
    options: dict[str, bool],
    ok: bool,
) -> None:
    fakeweb.add_text(FEED, b"x" * size, RSS, **options)
    fetcher = await open_fetcher(routed(settings, fakeweb, max_body_bytes=1000))

    result = await fetcher.fetch(FEED, kind="feed")

    if ok:
        assert isinstance(result, Ok), result
        assert len(result.body) == size
    else:
        assert expect_failed(result, FailureKind.TOO_LARGE).status == 200


async def test_chunked_body_under_cap_is_whole(
    settings: Settings, fakeweb: FakeWeb, open_fetcher: OpenFetcher
) -> None:
    body = bytes(range(256)) * 400  # several chunks
    fakeweb.add_text(FEED, body, RSS, chunked=True)
    fetcher = await open_fetcher(routed(settings, fakeweb))

    result = await fetcher.fetch(FEED, kind="feed")

    assert isinstance(result, Ok), result
    assert result.body == body


@pytest.mark.parametrize(
    "resource",
    [
        Resource(body=b"x" * 1000, truncate=100),
        Resource(body=b"this is not gzip", headers={"Content-Encoding": "gzip"}),
        Resource(body=b"x" * 1000, truncate=100, chunked=True),
        Resource(
            body=gzip.compress(b"x" * 1000), headers={"Content-Encoding": "gzip"}, truncate=8
        ),
    ],
    ids=["truncated", "bad-gzip", "truncated-chunked", "truncated-gzip"],
)
async def test_broken_body_is_protocol_failure(
    settings: Settings, fakeweb: FakeWeb, open_fetcher: OpenFetcher, resource: Resource
) -> None:
    fakeweb.add(FEED, resource)
    fetcher = await open_fetcher(routed(settings, fakeweb))

    expect_failed(await fetcher.fetch(FEED, kind="feed"), FailureKind.PROTOCOL)


@contextlib.asynccontextmanager
async def raw_server(reply: bytes) -> AsyncIterator[int]:
    """A TCP server that answers every connection with ``reply`` and hangs up."""

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(reply)
        await writer.drain()
        writer.close()
        await writer.wait_closed()

    server = await asyncio.start_server(answer, "127.0.0.1", 0)
    async with server:
        yield server.sockets[0].getsockname()[1]


@pytest.mark.parametrize(
    ("reply", "kind"),
    [
        (b"HTTP/1.1 banana\r\n\r\n", FailureKind.PROTOCOL),
        (b"HTTP/1.1 200 OK\r\nContent-Length: zz\r\n\r\n", FailureKind.PROTOCOL),
        (b"", FailureKind.CONNECT),  # hung up without an answer
    ],
    ids=["bad-status-line", "bad-content-length", "no-answer"],
)
async def test_malformed_answer(
    settings: Settings, open_fetcher: OpenFetcher, reply: bytes, kind: FailureKind
) -> None:
    async with raw_server(reply) as port:
        fetcher = await open_fetcher(settings)
        expect_failed(await fetcher.fetch(f"http://127.0.0.1:{port}/", kind="page"), kind)


async def test_refused_connection_is_connect_failure(
    settings: Settings, open_fetcher: OpenFetcher
) -> None:
    with socket.socket() as sock:  # a port nobody listens on once this closes
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    fetcher = await open_fetcher(settings)

    result = await fetcher.fetch(f"http://127.0.0.1:{port}/", kind="page")

    expect_failed(result, FailureKind.CONNECT)


@pytest.mark.parametrize(
    "url",
    ["ftp://feeds.test/rss", "file:///etc/passwd", "http:///rss", "feeds.test/rss", "http://[::1/"],
    ids=["ftp", "file", "no-host", "no-scheme", "unparseable"],
)
async def test_bad_url_is_refused(open_fetcher: OpenFetcher, settings: Settings, url: str) -> None:
    fetcher = await open_fetcher(settings)

    assert expect_failed(await fetcher.fetch(url, kind="page"), FailureKind.INVALID_URL).url == url


# --- the address guard --------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://localhost:{port}/rss",
        "http://127.0.0.1:{port}/rss",
        "http://[::1]:{port}/rss",
        "http://[::ffff:127.0.0.1]:{port}/rss",
        "http://127.8.9.10:{port}/rss",
        "http://0.0.0.0:{port}/",
    ],
    ids=["name", "ipv4", "ipv6", "ipv4-mapped", "loopback-range", "unspecified"],
)
async def test_private_addresses_are_blocked(
    settings: Settings, fakeweb: FakeWeb, open_fetcher: OpenFetcher, url: str
) -> None:
    # Only addresses on this machine, so that a broken guard cannot reach anything else;
    # tests/test_addresses.py covers every other range.
    fetcher = await open_fetcher(settings.model_copy(update={"allow_private_hosts": False}))

    result = await fetcher.fetch(url.format(port=fakeweb.port), kind="page")

    expect_failed(result, FailureKind.BLOCKED_ADDRESS)
    assert fakeweb.requests == []  # refused before connecting


@pytest.mark.parametrize(
    "location",
    ["http://127.0.0.1:{port}/admin", "http://localhost:{port}/admin", "http://[::1]:{port}/"],
    ids=["literal", "name", "ipv6"],
)
async def test_redirect_to_private_address_is_blocked(
    settings: Settings, fakeweb: FakeWeb, open_fetcher: OpenFetcher, location: str
) -> None:
    # feeds.test goes to loopback by an operator's static override, which is trusted.
    target = location.format(port=fakeweb.port)
    fakeweb.add(FEED, Resource(status=302, headers={"Location": target}))
    fetcher = await open_fetcher(routed(settings, fakeweb, allow_private_hosts=False))

    result = await fetcher.fetch(FEED, kind="feed")

    assert expect_failed(result, FailureKind.BLOCKED_ADDRESS).url == target
    assert [r.path_qs for r in fakeweb.requests] == ["/rss"]


async def test_resolve_override_sends_real_name_to_other_port(
    settings: Settings, fakeweb: FakeWeb, open_fetcher: OpenFetcher
) -> None:
    fakeweb.add_text("http://english.nv.ua/rss.xml", BODY, RSS)
    fetcher = await open_fetcher(
        settings.model_copy(update={"resolve": {"english.nv.ua:80": f"127.0.0.1:{fakeweb.port}"}})
    )

    result = await fetcher.fetch("http://english.nv.ua/rss.xml", kind="feed")

    assert isinstance(result, Ok), result
    assert fakeweb.requests[0].host == "english.nv.ua"


async def test_bad_resolve_entry_is_a_config_error(settings: Settings) -> None:
    with pytest.raises(ConfigError, match=r"english\.nv\.ua"):
        open_session(settings.model_copy(update={"resolve": {"english.nv.ua": "127.0.0.1"}}))


# --- proxies ------------------------------------------------------------------------------


class ForwardProxy:
    """A plain HTTP forward proxy that records what it carried and relays it to fakeweb."""

    def __init__(self, upstream_port: int, session: ClientSession) -> None:
        self.carried: list[str] = []
        self.authorizations: list[str | None] = []
        self._upstream = upstream_port
        self._session = session

    async def handle(self, request: web.Request) -> web.Response:
        self.carried.append(str(request.url))
        self.authorizations.append(request.headers.get("Proxy-Authorization"))
        async with self._session.get(
            f"http://127.0.0.1:{self._upstream}{request.path_qs}",
            headers={"Host": request.host, "Accept-Encoding": "identity"},
        ) as upstream:
            return web.Response(status=upstream.status, body=await upstream.read())


@pytest.fixture
async def proxy(fakeweb: FakeWeb) -> AsyncIterator[tuple[ForwardProxy, int]]:
    async with ClientSession() as session:
        forward = ForwardProxy(fakeweb.port, session)
        async with serving(forward.handle) as port:
            yield forward, port


@pytest.mark.parametrize(
    ("proxy_host", "authorization"),
    [("127.0.0.1", None), ("localhost", None), ("me:secret@127.0.0.1", "Basic bWU6c2VjcmV0")],
    ids=["literal", "name", "credentials"],
)
async def test_http_proxy_from_environment_carries_the_request(
    settings: Settings,
    fakeweb: FakeWeb,
    open_fetcher: OpenFetcher,
    proxy: tuple[ForwardProxy, int],
    monkeypatch: pytest.MonkeyPatch,
    proxy_host: str,
    authorization: str | None,
) -> None:
    forward, port = proxy
    fakeweb.add_text(FEED, BODY, RSS)
    monkeypatch.setenv("HTTP_PROXY", f"http://{proxy_host}:{port}")
    # No resolve entry: the proxy finds the site. A proxy on a private network is let through.
    fetcher = await open_fetcher(settings.model_copy(update={"allow_private_hosts": False}))

    result = await fetcher.fetch(FEED, kind="feed")

    assert isinstance(result, Ok), result
    assert result.body == BODY.encode()
    assert forward.carried == [FEED]
    assert forward.authorizations == [authorization]


async def test_no_proxy_goes_direct(
    settings: Settings,
    fakeweb: FakeWeb,
    open_fetcher: OpenFetcher,
    proxy: tuple[ForwardProxy, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    forward, port = proxy
    fakeweb.add_text(FEED, BODY, RSS)
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{port}")
    monkeypatch.setenv("NO_PROXY", "example.org,.test")
    fetcher = await open_fetcher(routed(settings, fakeweb))

    assert isinstance(await fetcher.fetch(FEED, kind="feed"), Ok)
    assert forward.carried == []
    assert fakeweb.url_hits(FEED) == 1


async def test_literal_private_address_is_blocked_even_through_proxy(
    settings: Settings,
    fakeweb: FakeWeb,
    open_fetcher: OpenFetcher,
    proxy: tuple[ForwardProxy, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    forward, port = proxy
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{port}")
    fetcher = await open_fetcher(settings.model_copy(update={"allow_private_hosts": False}))

    result = await fetcher.fetch("http://127.0.0.9/admin", kind="page")

    expect_failed(result, FailureKind.BLOCKED_ADDRESS)
    assert forward.carried == []


# --- concurrency, cancellation, metrics -----------------------------------------------------


class Gate:
    """Holds every request until opened; counts how many are inside at once."""

    def __init__(self, full_at: int) -> None:
        self.inside = 0
        self.peak = 0
        self.full = asyncio.Event()
        self.open = asyncio.Event()
        self._full_at = full_at

    async def handle(self, request: web.Request) -> web.Response:
        if request.host.startswith("free."):
            return web.Response(text="free")
        self.inside += 1
        self.peak = max(self.peak, self.inside)
        if self.inside >= self._full_at:
            self.full.set()
        try:
            await self.open.wait()
        finally:
            self.inside -= 1
        return web.Response(text="done")


@contextlib.asynccontextmanager
async def gated(full_at: int) -> AsyncIterator[tuple[Gate, dict[str, str]]]:
    """A gate server, and resolve entries sending busy*.test and free.test to it."""
    gate = Gate(full_at)
    async with serving(gate.handle) as port:
        names = ("busy.test", "busy2.test", "free.test")
        try:
            yield gate, {f"{name}:80": f"127.0.0.1:{port}" for name in names}
        finally:
            gate.open.set()


async def test_per_host_concurrency_is_bounded(
    settings: Settings, open_fetcher: OpenFetcher
) -> None:
    async with gated(full_at=2) as (gate, resolve):
        update = {"resolve": resolve, "per_host_concurrency": 2}
        fetcher = await open_fetcher(settings.model_copy(update=update))
        tasks = [
            asyncio.create_task(fetcher.fetch(f"http://busy.test/{i}", kind="page"))
            for i in range(8)
        ]
        await gate.full.wait()
        # A request begun later, to another host, completing proves the busy host's others
        # were held back by the fetcher rather than still on their way.
        assert isinstance(await fetcher.fetch("http://free.test/", kind="page"), Ok)
        assert gate.inside == 2
        gate.open.set()
        results = await asyncio.gather(*tasks)

    assert all(isinstance(r, Ok) for r in results), results
    assert gate.peak == 2


async def test_overall_concurrency_is_bounded(
    settings: Settings, open_fetcher: OpenFetcher
) -> None:
    async with gated(full_at=3) as (gate, resolve):
        update = {"resolve": resolve, "concurrency": 3, "per_host_concurrency": 3}
        fetcher = await open_fetcher(settings.model_copy(update=update))
        urls = [f"http://{host}/{i}" for i in range(4) for host in ("busy.test", "busy2.test")]
        tasks = [asyncio.create_task(fetcher.fetch(url, kind="page")) for url in urls]
        await gate.full.wait()
        gate.open.set()
        results = await asyncio.gather(*tasks)

    assert all(isinstance(r, Ok) for r in results), results
    assert gate.peak == 3


async def test_cancellation_propagates(settings: Settings, open_fetcher: OpenFetcher) -> None:
    async with gated(full_at=1) as (gate, resolve):
        fetcher = await open_fetcher(settings.model_copy(update={"resolve": resolve}))
        task = asyncio.create_task(fetcher.fetch("http://busy.test/", kind="page"))
        await gate.full.wait()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task


def _fetches(metrics: Metrics, kind: str, outcome: str) -> float:
    labels = {"kind": kind, "outcome": outcome}
    return metrics.registry.get_sample_value("newsingest_fetches_total", labels) or 0.0


async def test_metrics_count_outcomes_and_time(
    settings: Settings, fakeweb: FakeWeb, open_fetcher: OpenFetcher, metrics: Metrics
) -> None:
    fakeweb.add_text(FEED, BODY, RSS)
    fakeweb.add("http://feeds.test/gone", Resource(status=410))
    fetcher = await open_fetcher(routed(settings, fakeweb))
    first = await fetcher.fetch(FEED, kind="feed")
    assert isinstance(first, Ok)

    await fetcher.fetch(FEED, kind="feed", validators=first.validators)
    await fetcher.fetch("http://feeds.test/gone", kind="page")
    await fetcher.fetch("http://feeds.test/missing", kind="page")

    assert _fetches(metrics, "feed", "ok") == 1
    assert _fetches(metrics, "feed", "not_modified") == 1
    assert _fetches(metrics, "page", "gone") == 1
    assert _fetches(metrics, "page", "failed") == 1
    count = metrics.registry.get_sample_value(
        "newsingest_fetch_duration_seconds_count", {"kind": "feed"}
    )
    assert count == 2


# --- pure decisions -------------------------------------------------------------------------

NOW = 1_700_000_000.0  # 2023-11-14 22:13:20 UTC


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("120", 120.0),
        (" 0 ", 0.0),
        ("Tue, 14 Nov 2023 22:15:20 GMT", 120.0),
        ("Tue, 14 Nov 2023 22:00:00 GMT", 0.0),
        ("Tue, 14 Nov 2023 22:15:20 -0000", 120.0),
        (None, 42.0),
        ("soon", 42.0),
        ("-5", 42.0),
    ],
    ids=["seconds", "zero", "date", "date-past", "date-no-zone", "absent", "nonsense", "negative"],
)
def test_retry_after_seconds(value: str | None, expected: float) -> None:
    assert retry_after_seconds(value, NOW, 42.0) == expected
