"""The local news web: one loopback HTTP server playing every publisher of a World.

Sites are told apart by the Host header, as on a shared host, so any client reaches a
publisher by its real name once that name resolves to this server (``resolve_map``).
Well-behaved answers carry ETag and Last-Modified and honour conditional GET; a few feeds
misbehave (500, slow, malformed XML, moved, missing). Two switches model the rest of the
real web: a per-response delay and servers that ignore conditional GET. Both can be flipped
on a running server through the control host, so one server serves every phase of a run.

Run: ``python -m bench.newsweb --feeds 500 --seed 1`` prints ``{"port": N}`` and serves
until stdin closes (its parent exits) or it is killed.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from email.utils import format_datetime
from functools import lru_cache

from aiohttp import web

from bench.render_feed import render_feed
from bench.render_page import render_page
from bench.world import Feed, Story, World, parse_story_id

CONTROL_HOST = "control.newsweb"
MOVED_PREFIX = "/feeds/v2/"
_STORY_ID = re.compile(r"-(\d{10})\.html$")


@dataclass
class Mode:
    delay: float = 0.0  # seconds before every answer: a real server's latency
    ignore_conditional: bool = False  # answer 200 and the full body to conditional GETs
    slow: float = 1.0  # extra seconds for the "slow" feeds


@dataclass
class Stats:
    status: Counter[int] = field(default_factory=Counter)
    feed_requests: int = 0
    page_requests: int = 0
    bytes_sent: int = 0

    def as_dict(self) -> dict[str, object]:
        return {"status": dict(self.status), "feed_requests": self.feed_requests,
                "page_requests": self.page_requests, "bytes_sent": self.bytes_sent}


@dataclass(frozen=True, slots=True)
class Doc:
    body: bytes
    content_type: str
    etag: str
    last_modified: str


class NewsWeb:
    def __init__(self, world: World, mode: Mode | None = None) -> None:
        self.world = world
        self.mode = mode or Mode()
        self.stats = Stats()
        self._feeds: dict[tuple[str, str], Feed] = {
            (f.publisher.host, f.path): f for f in world.feeds
        }
        self._hosts = {p.host: p for p in world.publishers}

    async def handle(self, request: web.BaseRequest) -> web.StreamResponse:
        host = request.host.split(":", 1)[0].lower()
        if host == CONTROL_HOST:
            return self._control(request)
        if self.mode.delay:
            await asyncio.sleep(self.mode.delay)
        response = await self._answer(host, request)
        self.stats.status[response.status] += 1
        if request.method != "HEAD":  # a HEAD answer carries no body
            self.stats.bytes_sent += response.content_length or 0
        return response

    async def _answer(self, host: str, request: web.BaseRequest) -> web.Response:
        path = request.path
        feed = self._feeds.get((host, path))
        if feed is None and path.startswith(MOVED_PREFIX):
            moved = self._feeds.get((host, "/feeds/" + path[len(MOVED_PREFIX):]))
            feed = moved if moved is not None and moved.behaviour == "moved" else None
        elif feed is not None and feed.behaviour == "moved":
            self.stats.feed_requests += 1
            return web.Response(status=301, headers={
                "Location": f"http://{host}{MOVED_PREFIX}{path[len('/feeds/'):]}"})
        if feed is not None:
            self.stats.feed_requests += 1
            return await self._feed(feed, request)
        match = _STORY_ID.search(path)
        if match and host in self._hosts:
            self.stats.page_requests += 1
            story = self._story(host, int(match.group(1)))
            if story is not None and story.path == path:
                return self._send(request, self._page_doc(story))
        return web.Response(status=404, text="Not Found")

    async def _feed(self, feed: Feed, request: web.BaseRequest) -> web.Response:
        if feed.behaviour == "missing":
            return web.Response(status=404, text="Not Found")
        if feed.behaviour == "error":
            return web.Response(status=500, text="<h1>500 Internal Server Error</h1>",
                                content_type="text/html")
        if feed.behaviour == "slow":
            await asyncio.sleep(self.mode.slow)
        return self._send(request, self._feed_doc(feed))

    def _send(self, request: web.BaseRequest, doc: Doc) -> web.Response:
        headers = {"ETag": doc.etag, "Last-Modified": doc.last_modified,
                   "Cache-Control": "max-age=60"}
        if not self.mode.ignore_conditional and (
            request.headers.get("If-None-Match") == doc.etag
            or request.headers.get("If-Modified-Since") == doc.last_modified
        ):
            return web.Response(status=304, headers=headers)
        headers["Content-Type"] = doc.content_type
        return web.Response(body=doc.body, headers=headers)

    def _story(self, host: str, number: int) -> Story | None:
        pub_index, index = parse_story_id(number)
        if not 0 <= pub_index < len(self.world.publishers):
            return None
        if self.world.publishers[pub_index].host != host:
            return None
        return self.world.story(pub_index, index)

    @lru_cache(maxsize=4096)  # noqa: B019 - one server per process; bounded on purpose
    def _feed_doc(self, feed: Feed) -> Doc:
        body = render_feed(self.world, feed)
        stories = self.world.feed_stories(feed)
        ctype = "application/rss+xml" if feed.format == "rss" else "application/atom+xml"
        return Doc(body, f"{ctype}; charset=utf-8", _etag(body),
                   format_datetime(stories[0].published, usegmt=True))

    @lru_cache(maxsize=3000)  # noqa: B019 - ~500 MB at most
    def _page_doc(self, story: Story) -> Doc:
        body = render_page(self.world, story)
        return Doc(body, "text/html; charset=utf-8", _etag(body),
                   format_datetime(story.published, usegmt=True))

    def _control(self, request: web.BaseRequest) -> web.Response:
        query = request.query
        if "delay" in query:
            self.mode.delay = float(query["delay"])
        if "ignore_conditional" in query:
            self.mode.ignore_conditional = query["ignore_conditional"] == "1"
        if "slow" in query:
            self.mode.slow = float(query["slow"])
        out = {"mode": vars(self.mode), "stats": self.stats.as_dict()}
        if query.get("reset") == "1":
            self.stats = Stats()
        return web.json_response(out)


def _etag(body: bytes) -> str:
    return '"' + hashlib.blake2b(body, digest_size=10).hexdigest() + '"'


def resolve_map(world: World, port: int, address: str = "127.0.0.1") -> dict[str, str]:
    """``NEWSINGEST_RESOLVE``-style entries sending every publisher's host to the server."""
    return {f"{p.host}:80": f"{address}:{port}" for p in world.publishers}


async def serve(world: World, mode: Mode, port: int) -> None:
    newsweb = NewsWeb(world, mode)
    server = web.Server(newsweb.handle, access_log=None)
    loop = asyncio.get_running_loop()
    listener = await loop.create_server(server, "127.0.0.1", port, backlog=4096)
    print(json.dumps({"port": listener.sockets[0].getsockname()[1]}), flush=True)
    # Serve until the parent closes our stdin: a crashed runner never leaves us behind.
    await loop.run_in_executor(None, sys.stdin.read)
    listener.close()
    await server.shutdown(1.0)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--delay", type=float, default=0.0)
    parser.add_argument("--slow", type=float, default=1.0)
    parser.add_argument("--ignore-conditional", action="store_true")
    args = parser.parse_args(argv)
    mode = Mode(args.delay, args.ignore_conditional, args.slow)
    asyncio.run(serve(World(args.feeds, args.seed), mode, args.port))


if __name__ == "__main__":
    main()
