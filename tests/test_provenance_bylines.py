"""Bylines and source labels: the meta block above a story names where it comes from.

Whole pages through extract_page and detect: a byline naming another outlet, an author that
is an agency (JSON-LD and meta), a "Provided by" label on an aggregator; and the bylines
that name nobody else.
"""

from __future__ import annotations

import html
import json

import pytest

from workers.extract import extract_page
from workers.provenance import PublisherRegistry, detect
from workers.provenance.names import same_site

REGISTRY = PublisherRegistry.bundled()
URL = "https://coastalbendtimes.example/health/rural-maternity"
PARAGRAPH = (
    "More than two dozen rural hospitals have stopped delivering babies in the past three "
    "years, and women in the region now drive an hour or more to give birth, according to "
    "state data reviewed for this story and interviews with doctors and patients."
)


def _page(meta_block: str, *, author_jsonld: object = None, lang: str = "en") -> bytes:
    article: dict[str, object] = {"@type": "NewsArticle", "headline": "Rural maternity"}
    if author_jsonld is not None:
        article["author"] = author_jsonld
    body = "".join(f"<p>{html.escape(PARAGRAPH)} ({i})</p>" for i in range(1, 6))
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>Rural maternity – Coastal Bend Times</title>
<meta property="og:site_name" content="Coastal Bend Times">
<link rel="canonical" href="{URL}">
<script type="application/ld+json">{json.dumps(article)}</script></head>
<body><header><a href="/">Coastal Bend Times</a><nav><a href="/health">Health</a>
<a href="/news">News</a></nav></header>
<main><article><h1>Rural maternity wards close</h1>
<div class="meta">{meta_block}
<time datetime="2025-03-06">March 6, 2025</time></div>
{body}</article></main>
<footer><p>© 2025 Coastal Bend Times. All rights reserved.</p></footer></body></html>""".encode()


def _origin(page: bytes) -> tuple[str | None, bool]:
    result = detect(extract_page(page, url=URL), None, REGISTRY)
    if result.origin is None:
        return None, False
    return result.origin.publisher.domain, result.origin.is_agency


@pytest.mark.parametrize(
    ("meta_block", "author", "domain", "agency"),
    [
        (
            '<p class="byline">By Renée Alvarado, KFF Health News</p>',
            None,
            "kffhealthnews.org",
            False,
        ),
        (
            '<p class="byline">By JOHN HANNA Associated Press</p>',
            {"@type": "Organization", "name": "Associated Press"},
            "apnews.com",
            True,
        ),
        ('<span class="provider">Provided by Reuters</span>', None, "reuters.com", True),
        (
            "",
            [{"@type": "Person", "name": "Jane Doe"}, {"@type": "Organization", "name": "dpa"}],
            "dpa.com",
            True,
        ),
    ],
    ids=["byline-outlet", "author-agency", "provided-by", "jsonld-author-agency"],
)
def test_the_meta_block_names_the_origin(
    meta_block: str, author: object, domain: str, agency: bool
) -> None:
    got, is_agency = _origin(_page(meta_block, author_jsonld=author))

    assert got is not None
    assert same_site(got, domain), got
    assert is_agency is agency


@pytest.mark.parametrize(
    "meta_block",
    [
        '<p class="byline">By Jane Doe, Staff Writer</p>',
        '<p class="byline">By Jane Doe | Coastal Bend Times</p>',
        '<p class="byline">By Christoph Reuter</p>',
        '<p class="byline">By Jane Doe, Guardian contributor</p>',
        '<span class="source">Source: Eurostat</span>',
        '<p class="byline">By Jane Doe, with reporting by Reuters</p>',
    ],
    ids=["staff", "own-site", "surname-like-agency", "contributor", "data-source", "reporting"],
)
def test_a_byline_naming_no_other_outlet_is_no_copy(meta_block: str) -> None:
    assert _origin(_page(meta_block)) == (None, False)


def _page_with_header(header: str, first_paragraph: str = PARAGRAPH) -> bytes:
    body = "".join(f"<p>{html.escape(first_paragraph)} ({i})</p>" for i in range(1, 6))
    return f"""<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>Rural maternity – Coastal Bend Times</title>
<meta property="og:site_name" content="Coastal Bend Times"></head>
<body><header class="site"><a href="/"><img src="/logo.svg" alt="Coastal Bend Times"></a>
<nav><a href="/monde">Monde</a><a href="/sport">Sport</a></nav></header>
<main><article><header class="article__header">{header}
<h1>Rural maternity wards close</h1></header>
{body}</article></main></body></html>""".encode()


def test_a_provider_logo_by_the_headline_names_the_origin() -> None:
    logo = '<a href="https://www.cbsnews.com/"><img src="/p/cbs.png" alt="CBS News"></a>'

    assert _origin(_page_with_header(logo)) == ("cbsnews.com", False)


@pytest.mark.parametrize(
    "header",
    [
        '<span class="section">Monde</span>',  # a section named like Le Monde, without "Le"
        '<img src="/logo.svg" alt="Coastal Bend Times">',  # the site's own logo
        '<img src="/ads/banner.png" alt="Reuters Events: Global Energy Transition 2025">',
    ],
    ids=["section-label", "own-logo", "long-alt"],
)
def test_header_furniture_names_no_origin(header: str) -> None:
    assert _origin(_page_with_header(header)) == (None, False)


def test_a_byline_closed_by_a_date_still_names_the_outlet() -> None:
    byline = '<p class="byline">By Dana Whitford, The Marshall Project July 22, 2025</p>'

    assert _origin(_page(byline)) == ("themarshallproject.org", False)


def test_a_dateline_naming_a_known_outlet_is_evidence() -> None:
    lede = "AUSTIN (The Texas Tribune) — " + PARAGRAPH

    assert _origin(_page_with_header("", first_paragraph=lede)) == ("texastribune.org", False)
