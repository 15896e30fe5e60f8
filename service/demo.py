"""``newsingest demo``: serve a small news world on loopback, ingest it, summarise.

Six sites: The New Voice of Ukraine and AP publish; an aggregator republishes NV's story
(the shared seed page, verbatim) and AP's; a local paper reprints AP trimmed; The
Conversation's article is republished under Creative Commons. The demo uses its own stream
and key prefix, and deletes them afterwards, so it never mixes with real data.
"""

from __future__ import annotations

import json
import sys
import uuid
from collections import defaultdict
from typing import Any

from aiohttp import web

from service import demo_world as w
from service.redis_conn import connect
from workers.metrics import Metrics
from workers.settings import Settings
from workers.worker import open_worker

RSS = "application/rss+xml; charset=utf-8"
HTML = "text/html; charset=utf-8"


def build_world() -> tuple[dict[str, tuple[str, str]], list[str]]:
    """Resources by URL (body, content type), and the feed URLs to ingest."""
    stories = w._stories()
    res: dict[str, tuple[str, str]] = {}
    feeds: list[str] = []

    def publish(site: str, host: str, feed_path: str, items: list[tuple[w.Item, str]]) -> None:
        for item, html_page in items:
            res[f"http://{host}{item.path}"] = (html_page, HTML)
        res[f"http://{host}{feed_path}"] = (
            w.feed(title=site, host=host, items=[i for i, _ in items]),
            RSS,
        )
        feeds.append(f"http://{host}{feed_path}")

    seed = w.seed_lines()
    seed_title, seed_body = seed[0], seed[3:-1]  # headline, two captions, body, footer
    seed_summary = "Ukraine has returned 1,762 of its citizens from Russian captivity."
    nv_other = stories["nv_other"]
    wire = stories["wire"]
    conv = stories["conversation"]
    wire_body = [f"{wire['dateline']} {wire['paragraphs'][0]}", *wire["paragraphs"][1:]]

    def item(path: str, title: str, when: str, summary: str) -> w.Item:
        return w.Item(path, title, when, summary)

    seed_item = item(w.SEED_ORIGIN_PATH, seed_title, "2023-02-25T09:41:00+02:00", seed_summary)
    nv_item = item(
        "/kyiv/metro-night-service.html",
        nv_other["title"],
        "2023-02-24T18:00:00+02:00",
        nv_other["paragraphs"][0],
    )
    publish(
        "The New Voice of Ukraine",
        w.NV,
        "/rss.xml",
        [
            (seed_item, _page("The New Voice of Ukraine", w.NV, seed_item, seed_body)),
            (nv_item, _page("The New Voice of Ukraine", w.NV, nv_item, nv_other["paragraphs"])),
        ],
    )
    ap_item = item(
        "/article/wheat-prices-black-sea-1a2b3c",
        wire["title"],
        "2023-02-28T12:05:00+00:00",
        wire["paragraphs"][0],
    )
    publish(
        "AP News",
        w.AP,
        "/hub/business.rss",
        [
            (ap_item, _page("AP News", w.AP, ap_item, wire_body)),
        ],
    )
    hub_seed = item(
        "/news/since-start-full-scale-war-1-095512345.html",
        seed_title,
        "2023-02-25T09:55:12+00:00",
        seed_summary,
    )
    hub_wire = item(
        "/news/european-wheat-prices-climb-130512.html",
        wire["title"],
        "2023-02-28T13:05:12+00:00",
        wire["paragraphs"][0],
    )
    captions = "".join(f"<figure><figcaption>{c}</figcaption></figure>" for c in seed[1:3])
    publish(
        "NewsHub",
        w.HUB,
        "/world/rss",
        [
            (
                hub_seed,
                _page(
                    "NewsHub",
                    w.HUB,
                    hub_seed,
                    seed_body,
                    before=captions,
                    after=f'<p class="read-original">{seed[-1]}</p>',
                ),
            ),
            (
                hub_wire,
                _page(
                    "NewsHub",
                    w.HUB,
                    hub_wire,
                    wire_body,
                    after="<p>Read the original article on The Associated Press</p>",
                ),
            ),
        ],
    )
    courier = item(
        "/business/wheat-prices-climb.html",
        "Wheat prices jump as Black Sea ships wait",
        "2023-02-28T15:30:00+00:00",
        wire["paragraphs"][0],
    )
    publish(
        "The Riverside Courier",
        w.COURIER,
        "/feed/",
        [
            (
                courier,
                _page(
                    "The Riverside Courier",
                    w.COURIER,
                    courier,
                    wire_body[:6],
                    after=f"<p>{wire['credit']}</p>",
                ),
            ),
        ],
    )
    conv_item = item(
        "/why-urban-trees-cool-some-neighbourhoods-201234",
        conv["title"],
        "2023-03-01T06:00:00+00:00",
        conv["paragraphs"][0],
    )
    publish(
        "The Conversation",
        w.CONVERSATION,
        "/global/articles.atom",
        [
            (conv_item, _page("The Conversation", w.CONVERSATION, conv_item, conv["paragraphs"])),
        ],
    )
    green = item(
        "/2023/03/02/urban-trees-cool-neighbourhoods/",
        conv["title"],
        "2023-03-02T08:00:00+00:00",
        conv["paragraphs"][0],
    )
    notice = conv["notice"].replace(
        "Read the original article.",
        f'<a href="https://{w.CONVERSATION}{conv_item.path}">Read the original article</a>.',
    )
    publish(
        "Green Future",
        w.GREEN,
        "/feed/",
        [
            (
                green,
                _page(
                    "Green Future",
                    w.GREEN,
                    green,
                    conv["paragraphs"],
                    after=f"<p><em>{notice}</em></p>",
                ),
            ),
        ],
    )
    return res, feeds


def _page(site: str, host: str, item: w.Item, paragraphs: list[str], **kw: str) -> str:
    return w.page(
        site=site,
        host=host,
        path=item.path,
        title=item.title,
        paragraphs=paragraphs,
        published=item.published,
        **kw,
    )


async def _serve(resources: dict[str, tuple[str, str]]) -> tuple[web.AppRunner, int]:
    from urllib.parse import urlsplit

    by_host_path = {(urlsplit(u).netloc, urlsplit(u).path): v for u, v in resources.items()}

    async def handle(request: web.Request) -> web.Response:
        found = by_host_path.get((request.host.split(":")[0], request.path))
        if found is None:
            return web.Response(status=404)
        body, ctype = found
        etag = f'"{hash(body) & 0xFFFFFFFF:x}"'
        if request.headers.get("If-None-Match") == etag:
            return web.Response(status=304, headers={"ETag": etag})
        return web.Response(body=body.encode(), headers={"Content-Type": ctype, "ETag": etag})

    app = web.Application()
    app.router.add_route("GET", "/{tail:.*}", handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = int(site._server.sockets[0].getsockname()[1])  # type: ignore[union-attr]
    return runner, port


async def run_demo(settings: Settings, *, as_json: bool = False) -> int:
    resources, feeds = build_world()
    runner, port = await _serve(resources)
    run_id = uuid.uuid4().hex[:8]
    hosts = {u.split("/")[2] for u in resources}
    demo = settings.model_copy(
        update={
            "key_prefix": f"newsingest-demo-{run_id}",
            "stream": f"newsingest-demo:{run_id}:articles",
            "allow_private_hosts": True,
            "resolve": {f"{h}:80": f"127.0.0.1:{port}" for h in hosts},
            "worker_name": "demo",
        }
    )
    try:
        async with connect(demo) as redis:
            try:
                async with open_worker(demo, redis, Metrics(), feeds) as worker:
                    first = await worker.run_once()
                    second = await worker.run_once()
                events = await _read_events(redis, demo.stream)
            finally:
                keys = [k async for k in redis.scan_iter(match=f"*{run_id}*", count=1000)]
                if keys:
                    await redis.delete(*keys)
    finally:
        await runner.cleanup()
    if as_json:
        for event in events:
            sys.stdout.write(json.dumps(event, ensure_ascii=False) + "\n")
    sys.stdout.write(summarise(events, len(feeds), first.entries, second.outcomes))
    return 0


async def _read_events(redis: Any, stream: str) -> list[dict[str, Any]]:
    entries = await redis.xrange(stream)
    return [json.loads(fields[b"data"]) for _, fields in entries]


def summarise(
    events: list[dict[str, Any]], feeds: int, entries: int, second_pass: dict[str, int]
) -> str:
    by_type: dict[str, int] = defaultdict(int)
    stories: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for e in events:
        by_type[e["type"]] += 1
        stories[e["article_id"]].append(e)
    lines = [
        f"Ingested {feeds} feeds, {entries} entries: {len(stories)} stories; events "
        + ", ".join(f"{n} {t}" for t, n in sorted(by_type.items())),
        "Second pass: "
        + ", ".join(f"{n} {o}" for o, n in sorted(second_pass.items()))
        + " (nothing new published)",
        "",
    ]
    for article_id, evs in stories.items():
        lines.extend(_story_lines(article_id, evs))
    return "\n".join(lines) + "\n"


def _story_lines(article_id: str, evs: list[dict[str, Any]]) -> list[str]:
    latest = [e for e in evs if e["type"] in ("article.published", "article.updated")][-1]
    origin = latest["provenance"]["origin"]
    pub = origin["publisher"]
    out = [
        f"• {latest['article']['title']}",
        f"    story {article_id}",
        f"    origin: {pub['name']} ({pub['domain']}), confidence {origin['confidence']:.2f}",
        f"            {origin.get('url') or '(article URL not known)'}",
    ]
    if any(e["type"] == "article.updated" for e in evs):
        out.append("    updated: the origin's own page arrived after its copy")
    for e in evs:
        if e["type"] != "article.syndicated":
            continue
        copy = e["copy"]
        out.append(
            f"    copy: {copy['publisher']['name']} ({copy['publisher']['domain']}) {copy['url']}"
        )
        for ev in e["provenance"]["evidence"]:
            out.append(f"          evidence: {ev['signal']} ({ev['weight']:.2f}): {ev['detail']}")
    cited = latest["provenance"].get("cited_sources") or []
    for c in cited:
        out.append(f"    cites: {c['name']} ({c['how']}): {c['sentence'][:90]}")
    out.append("")
    return out
