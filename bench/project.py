"""The project, driven exactly as production runs it: ``newsingest worker --feeds F --once``.

Configuration is environment only. Each scenario gets a fresh key prefix and stream on the
benchmark's private Redis; a second invocation with the same prefix is the second pass.
"""

from __future__ import annotations

import json
import sys
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import redis

from bench import measure
from bench.feedlist import read_feeds

NEWSINGEST = str(Path(sys.executable).parent / "newsingest")


@dataclass
class Project:
    redis_url: str
    feeds_file: Path
    resolve: dict[str, str]
    fetch_pages: str = "always"
    prefix: str = field(default_factory=lambda: f"bench-{uuid.uuid4().hex[:10]}")
    extra_env: dict[str, str] = field(default_factory=dict)

    @property
    def stream(self) -> str:
        return f"{self.prefix}:articles"

    def env(self) -> dict[str, str]:
        return {
            "REDIS_URL": self.redis_url,
            "NEWSINGEST_STREAM": self.stream,
            "NEWSINGEST_KEY_PREFIX": self.prefix,
            "NEWSINGEST_FETCH_PAGES": self.fetch_pages,
            "NEWSINGEST_ALLOW_PRIVATE_HOSTS": "1",
            "NEWSINGEST_RESOLVE": json.dumps(self.resolve),
            "NEWSINGEST_LOG_LEVEL": "WARNING",
            **self.extra_env,
        }

    def run_pass(self, workers: int = 1, wrap: list[str] | None = None) -> measure.Run:
        """One ``--once`` pass. A ``--once`` worker does every feed it is given, so two
        workers get half the feeds each (round robin), as one would shard them."""
        commands = [[*(wrap or []), NEWSINGEST, "worker", "--feeds", str(path), "--once"]
                    for path in self._shards(workers)]
        return measure.run(commands, self.env())

    def _shards(self, workers: int) -> list[Path]:
        if workers == 1:
            return [self.feeds_file]
        urls = read_feeds(self.feeds_file)
        paths = []
        for i in range(workers):
            path = self.feeds_file.with_suffix(f".shard{i}of{workers}.txt")
            path.write_text("\n".join(urls[i::workers]) + "\n", encoding="utf-8")
            paths.append(path)
        return paths

    def events(self) -> Events:
        return read_events(self.redis_url, self.stream)


@dataclass(frozen=True)
class Events:
    by_type: dict[str, int]
    first_ms: int | None  # stream ids are millisecond timestamps: when events landed
    last_ms: int | None
    articles: list[dict[str, Any]]  # article objects of published/updated events

    @property
    def total(self) -> int:
        return sum(self.by_type.values())


def read_events(url: str, stream: str) -> Events:
    client: Any = redis.Redis.from_url(url)
    by_type: Counter[str] = Counter()
    articles = []
    first = last = None
    cursor = "-"
    while True:
        batch = client.xrange(stream, min=cursor, count=5000)
        if not batch:
            break
        for raw_id, fields in batch:
            event = json.loads(fields[b"data"])
            by_type[event["type"]] += 1
            if "article" in event:
                articles.append(event["article"])
            ms = int(raw_id.split(b"-")[0])
            first = ms if first is None else first
            last = ms
        last_id = batch[-1][0].decode()
        cursor = "(" + last_id
    client.close()
    return Events(dict(by_type), first, last, articles)
