"""The local news web's content model: publishers, their feeds and stories, from a seed.

Everything is a pure function of ``(n_feeds, seed)``, so every tool in a benchmark run, and
every run, sees byte-identical feeds and pages. Stories are made lazily: a 2,000-feed web
holds ~70,000 of them and a run only reads what it fetches.
"""

from __future__ import annotations

import hashlib
import json
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Literal

VOCAB: dict[str, list[str]] = json.loads(
    (Path(__file__).parent / "data" / "vocab.json").read_text(encoding="utf-8")
)
# Fixed, not now(): the same seed must give the same bytes tomorrow.
EPOCH = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
AGGREGATOR_SHARE = 0.15  # of publishers
REPUBLISHED_SHARE = 0.85  # of an aggregator's stories, copies of another outlet's story

Behaviour = Literal["ok", "error", "slow", "malformed", "moved", "missing"]
# Misbehaving feeds, by position in each block of 100 (a 50-feed web gets the first three).
MISBEHAVING: dict[int, Behaviour] = {7: "error", 23: "slow", 41: "malformed", 59: "moved",
                                     83: "missing"}
FOOTERS = (
    "Read the original article on {name}",
    "This article originally appeared on {name}.",
    "Originally published by {name}.",
)


def rng_for(*parts: object) -> random.Random:
    """A private random stream per object: independent of generation order."""
    digest = hashlib.blake2b(":".join(map(str, parts)).encode(), digest_size=8).digest()
    return random.Random(int.from_bytes(digest, "big"))


@dataclass(frozen=True, slots=True)
class Publisher:
    index: int
    name: str
    host: str
    aggregator: bool
    full_content: bool  # the feeds carry the full text (content:encoded / atom:content)


@dataclass(frozen=True, slots=True)
class Story:
    publisher: Publisher
    index: int
    title: str
    path: str
    paragraphs: tuple[str, ...]
    author: str
    published: datetime
    origin: Story | None = None  # the story an aggregator republished
    footer: str | None = None  # the aggregator's syndication notice

    @property
    def url(self) -> str:
        return f"http://{self.publisher.host}{self.path}"

    @property
    def summary(self) -> str:
        return self.paragraphs[0][:280]


@dataclass(frozen=True, slots=True)
class Feed:
    index: int
    publisher: Publisher
    section: str
    format: Literal["rss", "atom"]
    stories: tuple[int, ...]  # indices into the publisher's stories, newest first
    behaviour: Behaviour

    @property
    def path(self) -> str:
        ext = "xml" if self.format == "rss" else "atom"
        return f"/feeds/{self.section}.{ext}"

    @property
    def url(self) -> str:
        return f"http://{self.publisher.host}{self.path}"


def _sentence(rng: random.Random) -> str:
    words = rng.choices(VOCAB["words"], k=rng.randint(10, 26))
    if rng.random() < 0.3:
        words.insert(rng.randrange(len(words)), f"{rng.randint(2, 980):,}")
    if rng.random() < 0.25:
        words.insert(rng.randrange(len(words)), rng.choice(VOCAB["last_names"]))
    text = " ".join(words)
    return text[0].upper() + text[1:] + rng.choice((".", ".", ".", ",\u201d said a spokesperson."))


def _paragraphs(rng: random.Random) -> tuple[str, ...]:
    return tuple(
        " ".join(_sentence(rng) for _ in range(rng.randint(2, 5)))
        for _ in range(rng.randint(6, 14))
    )


class World:
    def __init__(self, n_feeds: int, seed: int = 1) -> None:
        self.n_feeds = n_feeds
        self.seed = seed

    @cached_property
    def publishers(self) -> tuple[Publisher, ...]:
        n = max(1, (self.n_feeds + 3) // 4)
        rng = rng_for(self.seed, "publishers")
        mastheads = [(c, m) for c in VOCAB["cities"] for m in VOCAB["nouns"]]
        rng.shuffle(mastheads)
        out = []
        for i in range(n):
            city, noun = mastheads[i]
            aggregator = n >= 4 and i % round(1 / AGGREGATOR_SHARE) == 3
            if aggregator:
                brand = VOCAB["aggregators"][i % len(VOCAB["aggregators"])]
                name = f"{brand} {city}"
                host = f"news.{brand.lower().replace(' ', '')}-{city.lower()}.com"
            else:
                name = f"The {city} {noun}"
                host = f"www.{city.lower()}{noun.lower()}.com"
            out.append(Publisher(i, name, host, aggregator, full_content=rng.random() < 0.3))
        return tuple(out)

    @cached_property
    def feeds(self) -> tuple[Feed, ...]:
        per_pub: dict[int, int] = {}
        out = []
        for i in range(self.n_feeds):
            pub = self.publishers[i % len(self.publishers)]
            j = per_pub.get(pub.index, 0)
            per_pub[pub.index] = j + 1
            rng = rng_for(self.seed, "feed", i)
            n_entries = rng.randint(20, 50)
            # Section feeds overlap: a fifth of a feed's stories are also in the next one.
            start = j * 28
            out.append(Feed(
                index=i, publisher=pub,
                section=VOCAB["sections"][j % len(VOCAB["sections"])] + ("" if j < 12 else str(j)),
                format="rss" if rng.random() < 0.7 else "atom",
                stories=tuple(range(start, start + n_entries)),
                behaviour=MISBEHAVING.get(i % 100, "ok"),
            ))
        return tuple(out)

    @cached_property
    def _pool(self) -> dict[int, int]:
        """Stories per publisher that some feed lists."""
        pool: dict[int, int] = {}
        for f in self.feeds:
            pool[f.publisher.index] = max(pool.get(f.publisher.index, 0), f.stories[-1] + 1)
        return pool

    @cached_property
    def origins(self) -> tuple[Publisher, ...]:
        return tuple(p for p in self.publishers if not p.aggregator and p.index in self._pool)

    def story(self, pub_index: int, index: int) -> Story:
        return _story(self, pub_index, index)

    def feed_stories(self, feed: Feed) -> list[Story]:
        return [self.story(feed.publisher.index, i) for i in feed.stories]


@lru_cache(maxsize=200_000)
def _story(world: World, pub_index: int, index: int) -> Story:
    pub = world.publishers[pub_index]
    rng = rng_for(world.seed, "story", pub_index, index)
    if pub.aggregator and world.origins and rng.random() < REPUBLISHED_SHARE:
        src_pub = rng.choice(world.origins)
        origin = world.story(src_pub.index, rng.randrange(world._pool[src_pub.index]))
        return Story(
            publisher=pub, index=index, title=origin.title,
            path=f"/news/{_slug(origin.title)}-{story_id(pub_index, index)}.html",
            paragraphs=origin.paragraphs, author=origin.publisher.name,
            published=origin.published + timedelta(minutes=rng.randint(15, 180)),
            origin=origin, footer=rng.choice(FOOTERS).format(name=origin.publisher.name),
        )
    title_words = rng.choices(VOCAB["words"], k=rng.randint(6, 12))
    title = " ".join(title_words).capitalize()
    published = EPOCH - timedelta(minutes=index * 37 + rng.randint(0, 30))
    author = f"{rng.choice(VOCAB['first_names'])} {rng.choice(VOCAB['last_names'])}"
    return Story(
        publisher=pub, index=index, title=title,
        path=f"/{published:%Y/%m/%d}/{_slug(title)}-{story_id(pub_index, index)}.html",
        paragraphs=_paragraphs(rng), author=author, published=published,
    )


def story_id(pub_index: int, index: int) -> int:
    """The numeric id in a story's URL; the server finds the story from it."""
    return 10**9 + pub_index * 10**5 + index


def parse_story_id(number: int) -> tuple[int, int]:
    return (number - 10**9) // 10**5, number % 10**5


def _slug(title: str) -> str:
    return "-".join(title.lower().split()[:8])
