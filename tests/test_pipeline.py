"""End to end: real feeds and pages over loopback HTTP, real Redis, real stream."""

from __future__ import annotations

import asyncio

import pytest
from redis.asyncio import Redis

from schemas import event_adapter
from tests.fakeweb import RSS, FakeWeb, Resource
from tests.pipeline_support import (
    HUB_FEED,
    NV_FEED,
    NV_PAGE,
    SEED,
    cli_env,
    for_web,
    of_type,
    read_events,
    run_pass,
    sample,
    serve_seed,
)
from workers.metrics import Metrics
from workers.settings import FetchPages, Settings


@pytest.mark.parametrize(
    "order",
    [(HUB_FEED, NV_FEED), (NV_FEED, HUB_FEED)],
    ids=["copy-then-origin", "origin-then-copy"],
)
async def test_seed_copy_and_origin_are_one_story_attributed_to_nv(
    settings: Settings, redis: Redis, fakeweb: FakeWeb, order: tuple[str, str]
) -> None:
    serve_seed(fakeweb)
    s = for_web(settings, fakeweb)
    for feed in order:
        await run_pass(s, redis, [feed])

    events = await read_events(redis, s.stream)
    for event in events:
        event_adapter().validate_python(event)  # every event honours the contract
    published = of_type(events, "article.published")
    syndicated = of_type(events, "article.syndicated")
    assert len(published) == 1
    assert len(syndicated) == 1
    story = published[0]
    origin = story["provenance"]["origin"]
    assert origin["publisher"]["domain"] == "english.nv.ua"
    assert "New Voice of Ukraine" in origin["publisher"]["name"]
    assert syndicated[0]["article_id"] == story["article_id"]
    assert syndicated[0]["copy"]["publisher"]["domain"] == "newshub.example"
    assert syndicated[0]["copy"]["url"] == (
        "http://newshub.example/news/since-start-full-scale-war-1-095512345.html"
    )  # as fetched, minus the feed's tracking parameters
    text = story["article"]["text"]
    assert "Read also" not in text
    assert "Read the original article" not in text
    assert "President Volodymyr Zelenskyy\n" not in text
    assert text.startswith('"In total, as of Feb. 24')
    cited = {c["name"] for c in story["provenance"]["cited_sources"]}
    assert any("Guardian" in name for name in cited)
    if order[0] == HUB_FEED:  # the origin's page arrived second: it updates the story
        updated = of_type(events, "article.updated")
        assert [u["reason"] for u in updated] == ["origin_arrived"]
        assert updated[0]["article"]["url"].startswith("https://english.nv.ua/nation/")


async def test_second_pass_gets_304_and_publishes_nothing(
    settings: Settings, redis: Redis, fakeweb: FakeWeb
) -> None:
    serve_seed(fakeweb)
    s = for_web(settings, fakeweb)
    first = await run_pass(s, redis, [NV_FEED, HUB_FEED])
    published = await redis.xlen(s.stream)
    metrics = Metrics()
    second = await run_pass(s, redis, [NV_FEED, HUB_FEED], metrics)

    assert first.events == published > 0
    assert second.events == 0
    assert second.outcomes == {"not_modified": 2}
    assert await redis.xlen(s.stream) == published
    feed_requests = [r for r in fakeweb.requests if r.path_qs in ("/rss.xml", "/world/rss")]
    assert all("If-None-Match" in r.headers for r in feed_requests[2:])
    assert sample(metrics, "newsingest_fetches_total", kind="feed", outcome="not_modified") == 2
    assert fakeweb.url_hits(NV_PAGE) == 1  # no page is fetched again


async def test_unchanged_body_without_validators_is_not_parsed_again(
    settings: Settings, redis: Redis, fakeweb: FakeWeb
) -> None:
    serve_seed(fakeweb)
    body = fakeweb._resources[("english.nv.ua", "/rss.xml")].body
    fakeweb.add(NV_FEED, Resource(body=body, content_type=RSS, validators=False))
    s = for_web(settings, fakeweb)
    await run_pass(s, redis, [NV_FEED])
    second = await run_pass(s, redis, [NV_FEED])
    assert second.outcomes == {"unchanged": 1}


def _feed(title: str, link: str, guid: str) -> str:
    return f"""<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>
<link>http://english.nv.ua/</link><item><title>Since start of full-scale war</title>
<link>{link}</link><guid isPermaLink="false">{guid}</guid>
<pubDate>Sat, 25 Feb 2023 07:41:00 GMT</pubDate></item></channel></rss>"""


async def test_same_article_in_two_feeds_with_tracking_parameters_is_one_story(
    settings: Settings, redis: Redis, fakeweb: FakeWeb
) -> None:
    serve_seed(fakeweb)
    a = NV_PAGE + "?utm_source=rss&utm_medium=nation"
    b = NV_PAGE + "?utm_campaign=top&fbclid=IwAR0xyz#comments"
    fakeweb.add_file(a, SEED / "origin.html")
    fakeweb.add_file(b.split("#")[0], SEED / "origin.html")
    fakeweb.add_text("http://english.nv.ua/nation.xml", _feed("NV Nation", a, "nation-1"), RSS)
    fakeweb.add_text("http://english.nv.ua/top.xml", _feed("NV Top", b, "top-1"), RSS)
    s = for_web(settings, fakeweb)
    report = await run_pass(
        s, redis, ["http://english.nv.ua/nation.xml", "http://english.nv.ua/top.xml"]
    )

    events = await read_events(redis, s.stream)
    assert report.entries == 2
    assert [e["type"] for e in events] == ["article.published"]
    # one page, listed twice in one pass: fetched and processed once
    assert fakeweb.url_hits(a) + fakeweb.url_hits(b.split("#")[0]) == 1


async def test_bad_input_is_counted_and_skipped_and_the_rest_processed(
    settings: Settings, redis: Redis, fakeweb: FakeWeb
) -> None:
    serve_seed(fakeweb)
    fakeweb.add_text("http://broken.example/rss", "<html><body>Not a feed</body>", "text/html")
    fakeweb.add_text("http://truncated.example/rss", '<?xml version="1.0"?><rss><chann', RSS)
    items = "".join(
        f"<item><title>{n}</title><link>http://pages.example/{n}.html</link></item>"
        for n in ("missing", "slow")
    )
    fakeweb.add_text(
        "http://pages.example/rss",
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>P</title>{items}</channel></rss>',
        RSS,
    )
    fakeweb.add("http://pages.example/slow.html", Resource(body=b"<p>late</p>", delay=5))
    fakeweb.add("http://down.example/rss", Resource(body=b"Internal error", status=500))
    s = for_web(settings, fakeweb, total_timeout=0.5)
    metrics = Metrics()
    feeds = [
        "http://broken.example/rss",
        "http://truncated.example/rss",
        "http://pages.example/rss",
        "http://down.example/rss",
        NV_FEED,
    ]
    report = await run_pass(s, redis, feeds, metrics)

    assert report.outcomes["invalid"] == 2
    assert report.outcomes["failed"] == 1  # down.example: 500 on the feed itself
    assert sample(metrics, "newsingest_errors_total", stage="parse", kind="invalid_feed") == 2
    assert sample(metrics, "newsingest_errors_total", stage="fetch", kind="timeout") == 1
    assert sample(metrics, "newsingest_errors_total", stage="fetch", kind="http_status") >= 2
    events = await read_events(redis, s.stream)
    assert [e["type"] for e in events] == ["article.published"]  # NV's story got through


async def test_two_worker_processes_publish_each_story_once(
    settings: Settings, redis: Redis, fakeweb: FakeWeb, tmp_path: object
) -> None:
    import sys
    from pathlib import Path

    from service.demo import build_world

    resources, feeds = build_world()
    for url, (body, ctype) in resources.items():
        fakeweb.add_text(url, body, ctype)
    feeds_file = Path(str(tmp_path)) / "feeds.txt"
    feeds_file.write_text("\n".join(feeds) + "\n")
    env = cli_env(settings, fakeweb)
    procs = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "service.cli",
            "worker",
            "--feeds",
            str(feeds_file),
            "--once",
            env={**env, "NEWSINGEST_WORKER_NAME": f"w{i}"},
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        for i in range(2)
    ]
    outputs = await asyncio.gather(*(p.communicate() for p in procs))
    assert [p.returncode for p in procs] == [0, 0], outputs

    events = await read_events(redis, settings.stream)
    published = [e["article_id"] for e in of_type(events, "article.published")]
    copies = [e["copy"]["url"] for e in of_type(events, "article.syndicated")]
    assert len(published) == len(set(published)) == 4
    assert len(copies) == len(set(copies)) == 4
    assert len({e["event_id"] for e in events}) == len(events)


async def test_fetch_pages_never_works_from_feed_content_alone(
    settings: Settings, redis: Redis, fakeweb: FakeWeb
) -> None:
    serve_seed(fakeweb)
    s = for_web(settings, fakeweb, fetch_pages=FetchPages.NEVER)
    report = await run_pass(s, redis, [NV_FEED, HUB_FEED])

    assert fakeweb.url_hits(NV_PAGE) == 0  # no publisher page is loaded
    assert report.entries == 2
    events = await read_events(redis, s.stream)
    published = of_type(events, "article.published")
    assert published
    assert all(e["article"]["text"] for e in published)


async def test_permanent_redirect_of_a_feed_is_remembered(
    settings: Settings, redis: Redis, fakeweb: FakeWeb
) -> None:
    serve_seed(fakeweb)
    old = "http://english.nv.ua/old-rss"
    fakeweb.add(old, Resource(status=301, headers={"Location": NV_FEED}, validators=False))
    s = for_web(settings, fakeweb)
    await run_pass(s, redis, [old])
    second = await run_pass(s, redis, [old])

    assert fakeweb.url_hits(old) == 1  # the second pass went straight to the new address
    assert second.outcomes == {"not_modified": 1}
