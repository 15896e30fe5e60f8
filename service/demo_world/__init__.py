"""The demo's bundled news world: publishers' feeds and pages, and an aggregator's copies.

Built from data files beside this module; served on loopback by service/demo.py.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from importlib import resources
from string import Template
from typing import Any

NV = "english.nv.ua"
HUB = "newshub.example"
AP = "apnews.com"
COURIER = "riversidecourier.example"
CONVERSATION = "theconversation.com"
GREEN = "greenfuture.example"

SEED_ORIGIN_PATH = (
    "/nation/since-start-of-full-scale-war-1-762-ukrainians-have-returned-from-russian-"
    "captivity-50306331.html"
)


@dataclass(frozen=True)
class Item:
    path: str
    title: str
    published: str  # RFC 3339
    summary: str


def _data(name: str) -> str:
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def _stories() -> dict[str, Any]:
    return dict(json.loads(_data("stories.json")))


def seed_lines() -> list[str]:
    return [line for line in _data("seed-aggregator-copy.txt").split("\n") if line.strip()]


def page(
    *,
    site: str,
    host: str,
    path: str,
    title: str,
    paragraphs: list[str],
    published: str,
    lang: str = "en",
    before: str = "",
    after: str = "",
) -> str:
    """A news page with the chrome real ones have: nav, share bar, related links, footer."""
    body = "\n".join(_paragraph(p) for p in paragraphs)
    url = f"https://{host}{path}"
    ld = json.dumps(
        {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": title,
            "datePublished": published,
            "publisher": {"@type": "Organization", "name": site},
        }
    )
    return Template(_data("page.html")).substitute(
        lang=lang,
        title=html.escape(title),
        site=html.escape(site),
        url=url,
        published=published,
        day=published[:10],
        ld=ld,
        before=before,
        body=body,
        after=after,
    )


def _paragraph(text: str) -> str:
    if text.startswith("Read also: "):
        teaser = html.escape(text.removeprefix("Read also: "))
        return f'<p><strong>Read also:</strong> <a href="/nation/related.html">{teaser}</a></p>'
    return f"<p>{html.escape(text)}</p>"


def feed(*, title: str, host: str, items: list[Item]) -> str:
    entries = "\n".join(
        f"""<item><title>{html.escape(i.title)}</title><link>http://{host}{i.path}</link>
<guid>http://{host}{i.path}</guid><pubDate>{_rfc822(i.published)}</pubDate>
<description>{html.escape(i.summary)}</description></item>"""
        for i in items
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>{html.escape(title)}</title><link>http://{host}/</link>
<description>{html.escape(title)}</description><language>en</language>
{entries}
</channel></rss>
"""


def _rfc822(rfc3339: str) -> str:
    from datetime import datetime
    from email.utils import format_datetime

    return format_datetime(datetime.fromisoformat(rfc3339))
