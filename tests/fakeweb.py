"""A real HTTP server on loopback that plays many sites at once.

Resources are registered under their real URLs (``http://english.nv.ua/...``); the server
tells sites apart by the Host header, and ``FakeWeb.resolve`` maps each host to the
server's port (``Settings.resolve``), so the code under test fetches real hostnames over
a real socket. ETag/Last-Modified and 304s work as on a well-behaved site unless turned off.
"""

from __future__ import annotations

import asyncio
import gzip as gzip_mod
import hashlib
from collections import Counter
from dataclasses import dataclass, field
from email.utils import formatdate
from pathlib import Path
from urllib.parse import urlsplit

from aiohttp import web

HTML = "text/html; charset=utf-8"
RSS = "application/rss+xml; charset=utf-8"
ATOM = "application/atom+xml; charset=utf-8"


@dataclass
class Resource:
    body: bytes = b""
    content_type: str = HTML
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    validators: bool = True  # send ETag/Last-Modified and answer 304 to a matching request
    delay: float = 0.0  # seconds before answering (to provoke timeouts)
    gzip: bool = False
    last_modified: float = 1_677_300_000.0  # 2023-02-25
    chunked: bool = False  # stream without Content-Length (chunked transfer encoding)
    truncate: int | None = None  # send only this many bytes of the body, then hang up


@dataclass(frozen=True)
class Request:
    host: str
    path_qs: str
    headers: dict[str, str]


def _host_path(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.netloc.lower(), (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


class FakeWeb:
    def __init__(self) -> None:
        self._resources: dict[tuple[str, str], Resource] = {}
        self.requests: list[Request] = []
        self.hits: Counter[str] = Counter()  # "host/path?query" -> count
        self._runner: web.AppRunner | None = None
        self.port = 0

    # --- registering ------------------------------------------------------------------
    def add(self, url: str, resource: Resource) -> None:
        self._resources[_host_path(url)] = resource

    def add_text(self, url: str, body: str | bytes, content_type: str = HTML, **kw: object) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.add(url, Resource(body=data, content_type=content_type, **kw))  # type: ignore[arg-type]

    def add_file(self, url: str, path: Path, content_type: str = HTML, **kw: object) -> None:
        self.add_text(url, path.read_bytes(), content_type, **kw)

    def remove(self, url: str) -> None:
        del self._resources[_host_path(url)]

    @property
    def resolve(self) -> dict[str, str]:
        """Settings.resolve entries sending every registered host to this server."""
        hosts = {host for host, _ in self._resources}
        out: dict[str, str] = {}
        for host in hosts:
            name = host.split(":")[0]
            port = host.split(":")[1] if ":" in host else "80"
            out[f"{name}:{port}"] = f"127.0.0.1:{self.port}"
        return out

    def url_hits(self, url: str) -> int:
        return self.hits["".join(_host_path(url))]

    # --- serving ----------------------------------------------------------------------
    async def _handle(self, request: web.Request) -> web.StreamResponse:
        host = (request.headers.get("Host") or "").lower()
        if host.endswith(":80"):
            host = host[:-3]
        self.requests.append(Request(host, request.path_qs, dict(request.headers)))
        self.hits[host + request.path_qs] += 1
        res = self._resources.get((host, request.path_qs))
        if res is None:
            return web.Response(status=404, text="not found")
        if res.delay:
            await asyncio.sleep(res.delay)
        headers = dict(res.headers)
        if res.validators and res.status == 200:
            etag = '"' + hashlib.sha1(res.body).hexdigest()[:16] + '"'
            last_modified = formatdate(res.last_modified, usegmt=True)
            headers.setdefault("ETag", etag)
            headers.setdefault("Last-Modified", last_modified)
            if request.headers.get("If-None-Match") == etag or (
                "If-None-Match" not in request.headers
                and request.headers.get("If-Modified-Since") == last_modified
            ):
                return web.Response(status=304, headers=headers)
        body = res.body
        if res.gzip and "gzip" in request.headers.get("Accept-Encoding", ""):
            body = gzip_mod.compress(body)
            headers["Content-Encoding"] = "gzip"
        headers["Content-Type"] = res.content_type
        if res.chunked or res.truncate is not None:
            return await self._stream(request, res, body, headers)
        return web.Response(status=res.status, body=body, headers=headers)

    async def _stream(
        self, request: web.Request, res: Resource, body: bytes, headers: dict[str, str]
    ) -> web.StreamResponse:
        resp = web.StreamResponse(status=res.status, headers=headers)
        if res.chunked:
            resp.enable_chunked_encoding()
        else:
            resp.content_length = len(body)
        if res.truncate is not None:
            body = body[: res.truncate]
        await resp.prepare(request)
        for start in range(0, len(body), 16384):
            await resp.write(body[start : start + 16384])
        if res.truncate is not None and request.transport is not None:
            request.transport.close()  # hang up mid-body
        return resp

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
