"""The limit for the feed stage: bare aiohttp and feedparser in one process, nothing else.

Fetch every feed concurrently (conditional GET with the validators of the previous pass,
kept in a JSON file), parse each body with feedparser, count entries. No storage, no
dedup, no events: what is left is the floor any Python feed ingester pays.

``python -m bench.limit_feeds --feeds FILE --state PATH [--concurrency 32 --per-host 4]``
"""

from __future__ import annotations

import argparse
import asyncio
import json
from pathlib import Path
from typing import Any

import aiohttp
import feedparser

from bench import resolve
from bench.feedlist import read_feeds

Counts = dict[str, int]


async def fetch_one(session: aiohttp.ClientSession, url: str, state: dict[str, Any],
                    counts: Counts) -> None:
    headers = {}
    old = state.get(url, {})
    if old.get("etag"):
        headers["If-None-Match"] = old["etag"]
    if old.get("modified"):
        headers["If-Modified-Since"] = old["modified"]
    try:
        async with session.get(url, headers=headers) as response:
            if response.status == 304:
                counts["not_modified"] += 1
                return
            if response.status != 200:
                counts["errors"] += 1
                return
            body = await response.read()
            state[url] = {"etag": response.headers.get("ETag"),
                          "modified": response.headers.get("Last-Modified")}
    except (aiohttp.ClientError, TimeoutError):
        counts["errors"] += 1
        return
    parsed = feedparser.parse(body)
    counts["feeds"] += 1
    counts["entries"] += len(parsed.entries)


async def run(urls: list[str], state: dict[str, Any], concurrency: int, per_host: int) -> Counts:
    connector = aiohttp.TCPConnector(resolver=resolve.StaticResolver(resolve.load()),
                                     limit=concurrency, limit_per_host=per_host)
    # Per-socket timeouts only: aiohttp's ``total`` and ``connect`` also count the wait for
    # a pooled connection, so with every request started at once the last ones of a large
    # web (1,000 feeds) timed out while queued, and failed requests ended the pass early.
    timeout = aiohttp.ClientTimeout(total=None, sock_connect=10, sock_read=30)
    counts: Counts = {"feeds": 0, "entries": 0, "not_modified": 0, "errors": 0}
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        await asyncio.gather(*(fetch_one(session, url, state, counts) for url in urls))
    return counts


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", required=True)
    parser.add_argument("--state", required=True)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--per-host", type=int, default=4)
    args = parser.parse_args(argv)
    path = Path(args.state)
    state = json.loads(path.read_text()) if path.exists() else {}
    counts = asyncio.run(run(read_feeds(args.feeds), state, args.concurrency, args.per_host))
    path.write_text(json.dumps(state))
    print(json.dumps(counts))


if __name__ == "__main__":
    main()
