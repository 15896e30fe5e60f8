"""Peer: the script a user would write instead: aiohttp + feedparser + trafilatura.

One process: fetch every feed concurrently, parse with feedparser, fetch each entry's page
once (links seen in several feeds are fetched once), extract the main text with
trafilatura, write one JSON line per page. No provenance, no dedup beyond the link, no
events. The CPU-bound parsing runs in the event loop, as such scripts do.

``python -m bench.peer_script --feeds FILE --out PAGES.jsonl [--concurrency 32]``
"""

from __future__ import annotations

import argparse
import asyncio
import json
from typing import IO

import aiohttp
import feedparser
import trafilatura

from bench import resolve
from bench.feedlist import read_feeds


class Script:
    def __init__(self, session: aiohttp.ClientSession, out: IO[str]) -> None:
        self.session = session
        self.out = out
        self.seen: set[str] = set()
        self.pages: list[asyncio.Task[None]] = []
        self.counts = {"feeds": 0, "entries": 0, "pages": 0, "errors": 0}

    async def get(self, url: str) -> bytes | None:
        try:
            async with self.session.get(url) as response:
                if response.status == 200:
                    return await response.read()
        except (aiohttp.ClientError, TimeoutError):
            pass
        self.counts["errors"] += 1
        return None

    async def feed(self, url: str) -> None:
        body = await self.get(url)
        if body is None:
            return
        parsed = feedparser.parse(body)
        self.counts["feeds"] += 1
        for entry in parsed.entries:
            self.counts["entries"] += 1
            link = entry.get("link")
            if link and link not in self.seen:
                self.seen.add(link)
                self.pages.append(asyncio.create_task(self.page(link)))

    async def page(self, url: str) -> None:
        html = await self.get(url)
        if html is None:
            return
        text = trafilatura.extract(html, url=url)
        self.counts["pages"] += 1
        self.out.write(json.dumps({"url": url, "text": text or ""}) + "\n")


async def run(urls: list[str], out: IO[str], concurrency: int, per_host: int) -> dict[str, int]:
    connector = aiohttp.TCPConnector(resolver=resolve.StaticResolver(resolve.load()),
                                     limit=concurrency, limit_per_host=per_host)
    # Per-socket timeouts only: aiohttp's ``total`` and ``connect`` also count the wait for
    # a pooled connection, so with every request started at once the last ones of a large
    # web (1,000 feeds) timed out while queued, and failed requests ended the pass early.
    timeout = aiohttp.ClientTimeout(total=None, sock_connect=10, sock_read=30)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        script = Script(session, out)
        await asyncio.gather(*(script.feed(url) for url in urls))
        await asyncio.gather(*script.pages)
    return script.counts


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--per-host", type=int, default=4)
    args = parser.parse_args(argv)
    with open(args.out, "w", encoding="utf-8") as out:
        counts = asyncio.run(run(read_feeds(args.feeds), out, args.concurrency, args.per_host))
    print(json.dumps(counts))


if __name__ == "__main__":
    main()
