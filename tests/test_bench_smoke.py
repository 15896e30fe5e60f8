"""CI smoke for the benchmark suite: the local news web and the project driven through its
CLI, at a tiny size, so the benchmark code keeps working. No timing is asserted here; the
figures come from ``make bench`` (BENCHMARKS.md)."""

from __future__ import annotations

import http.client
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from bench.feedlist import read_feeds, write_feeds
from bench.local_web import LocalWeb, local_web
from bench.project import Project
from bench.quality import f1, score
from bench.render_page import MAX_KB, MIN_KB, ground_truth, render_page
from bench.world import World
from tests.conftest import TEST_REDIS_URL

WORLD = World(50, seed=7)  # 13 publishers, two aggregators, three misbehaving feeds


@pytest.fixture(scope="module")
def web() -> Iterator[LocalWeb]:
    with local_web(WORLD, slow=0.1) as running:
        yield running


@pytest.fixture
def clean_prefix(prefix: str) -> Iterator[str]:
    yield prefix
    client = redis.Redis.from_url(TEST_REDIS_URL)
    keys = list(client.scan_iter(match=f"*{prefix}*", count=1000))
    if keys:
        client.delete(*keys)
    client.close()


def _get(web: LocalWeb, url: str, headers: dict[str, str] | None = None) -> tuple[int, bytes,
                                                                                  dict[str, str]]:
    host, _, path = url.removeprefix("http://").partition("/")
    conn = http.client.HTTPConnection("127.0.0.1", web.port, timeout=10)
    try:
        conn.request("GET", "/" + path, headers={"Host": host, **(headers or {})})
        response = conn.getresponse()
        return response.status, response.read(), dict(response.getheaders())
    finally:
        conn.close()


def test_world_is_deterministic_and_pages_are_news_sized() -> None:
    again = World(50, seed=7)
    story = WORLD.feed_stories(WORLD.feeds[0])[0]
    assert render_page(WORLD, story) == render_page(again, again.story(0, story.index))
    sizes = [len(render_page(WORLD, s)) for s in WORLD.feed_stories(WORLD.feeds[1])]
    assert all(MIN_KB * 1024 * 0.9 <= size <= MAX_KB * 1024 * 1.1 for size in sizes)
    copies = [s for f in WORLD.feeds if f.publisher.aggregator for s in WORLD.feed_stories(f)]
    assert any(s.origin is not None and s.footer for s in copies)


@pytest.mark.parametrize(
    ("behaviour", "status"),
    [("ok", 200), ("error", 500), ("slow", 200), ("malformed", 200)],
    ids=["ok", "error", "slow", "malformed"],
)
def test_newsweb_feeds_behave(web: LocalWeb, behaviour: str, status: int) -> None:
    feed = next(f for f in WORLD.feeds if f.behaviour == behaviour)
    code, _, headers = _get(web, feed.url)
    assert code == status
    if code == 200:
        again, _, _ = _get(web, feed.url, {"If-None-Match": headers["ETag"]})
        assert again == 304


def test_newsweb_can_ignore_conditional_get(web: LocalWeb) -> None:
    feed = WORLD.feeds[0]
    _, body, headers = _get(web, feed.url)
    web.set_mode(ignore_conditional=True)
    try:
        code, again, _ = _get(web, feed.url, {"If-None-Match": headers["ETag"]})
    finally:
        web.set_mode(ignore_conditional=False)
    assert (code, again) == (200, body)


def test_quality_scores_the_ground_truth_as_perfect() -> None:
    story = WORLD.feed_stories(WORLD.feeds[0])[0]
    assert f1(ground_truth(story), ground_truth(story)) == 1.0
    assert score(WORLD, [(story.url, ground_truth(story))]) == (1.0, 1)


def test_project_ingests_the_local_web(web: LocalWeb, clean_prefix: str, tmp_path: Path) -> None:
    feeds = write_feeds(WORLD, tmp_path / "all.txt")
    two = tmp_path / "two.txt"  # an origin's feed and an aggregator's: seconds, not minutes
    two.write_text("\n".join(read_feeds(feeds)[i] for i in (0, 3)) + "\n")
    project = Project(TEST_REDIS_URL, two, web.resolve, fetch_pages="always",
                      prefix=clean_prefix)
    first = project.run_pass()
    assert first.returncodes == (0,)
    events = project.events()
    assert events.by_type.get("article.published", 0) > 0
    assert score(WORLD, [(a["url"], a["text"]) for a in events.articles])[1] > 0
    second = project.run_pass()  # every feed answers 304
    assert second.returncodes == (0,)
