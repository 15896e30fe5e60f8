"""Generate the labelled provenance corpus: tests/data/provenance/corpus/.

Pages are rendered from the story texts and notice phrases in
tests/data/provenance/languages.json through four page layouts (aggregator, WordPress,
newspaper, minimal) and, for feed signals, RSS/Atom feeds. The output is committed; this
script documents how it was made and regenerates it after the inputs change:

    .venv/bin/python -m bench.provenance_corpus
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1] / "tests" / "data" / "provenance"
OUT = ROOT / "corpus"
PUBLISHED = "2024-03-05T08:{:02d}:00+00:00"

FOOTERS = ("footer_link", "footer_plain", "republished", "cc_notice", "wordpress_footer",
           "distributed_by", "partnership", "source_line")
WIRE = ("wire_dateline", "wire_credit", "wire_copyright")
NEGATIVES = ("read_also", "related", "more_from", "cited", "contributed", "photo_credit",
             "author_bio", "promo", "self_footer", "own_nav")
MARKUP = ("canonical", "original_source", "syndication_source", "og_url", "jsonld_based_on",
          "jsonld_source_org", "jsonld_publisher", "jsonld_provider", "rss_source",
          "atom_source", "dc_source")
MARKUP_NEGATIVES = ("self_original_source", "self_canonical_subdomain", "parent_publisher")


@dataclass
class Case:
    """One page to render and its label."""

    id: str
    language: str
    signal: str
    site: tuple[str, str]  # name, host of the page's own site
    title: str
    paragraphs: list[str]  # HTML
    url: str
    origin: dict[str, str | None] | None = None
    origin_url: str | None = None
    cited: list[str] = field(default_factory=list)
    tail_html: list[str] = field(default_factory=list)  # after the body, inside the article
    chrome_html: str = ""  # site chrome after the article
    nav_extra: str = ""
    head: dict[str, Any] = field(default_factory=dict)
    feed: str | None = None  # "rss_source" | "atom_source" | "dc_source"
    layout: int = 0


def slug(text: str) -> str:
    return re.sub(r"\W+", "-", text.lower()).strip("-")[:60]


def _head(case: Case) -> str:
    h = case.head
    name, host = case.site
    canonical = h.get("canonical", case.url)
    og_url = h.get("og_url", case.url)
    publisher = h.get("publisher", {"@type": "Organization", "name": name,
                                    "url": f"https://{host}/"})
    ld: dict[str, Any] = {"@context": "https://schema.org", "@type": "NewsArticle",
                          "headline": case.title, "datePublished": h["published"],
                          "inLanguage": case.language, "publisher": publisher}
    for key in ("isBasedOn", "sourceOrganization", "provider"):
        if key in h:
            ld[key] = h[key]
    metas = "".join(f'\n  <meta name="{k}" content="{escape(v)}">' for k, v in
                    h.get("meta", {}).items())
    return f"""<head>
  <meta charset="utf-8">
  <title>{escape(case.title)} | {escape(name)}</title>
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta property="og:type" content="article">
  <meta property="og:site_name" content="{escape(name)}">
  <meta property="og:title" content="{escape(case.title)}">
  <meta property="og:url" content="{escape(og_url)}">
  <meta property="article:published_time" content="{h['published']}">{metas}
  <link rel="canonical" href="{escape(canonical)}">
  <script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>
</head>"""


def _body_ps(case: Case) -> str:
    return "\n".join(f"      <p>{p}</p>" for p in case.paragraphs)


def _tail(case: Case, tag: str = "p") -> str:
    return "\n".join(f'      <{tag} class="source-note">{t}</{tag}>' for t in case.tail_html)


def layout_aggregator(case: Case) -> str:
    name, host = case.site
    return f"""<header class="site-header"><nav aria-label="Main"><a href="/">{escape(name)}</a> <a href="/news/">News</a> <a href="/world/">World</a> <a href="/business/">Business</a>{case.nav_extra}</nav></header>
<main id="main">
  <article class="story">
    <h1>{escape(case.title)}</h1>
    <div class="byline"><time datetime="{case.head['published']}">5 March 2024</time></div>
    <div class="body">
{_body_ps(case)}
{_tail(case)}
    </div>
    <div class="share"><a href="https://twitter.com/intent/tweet">Tweet</a> <a href="mailto:?subject=story">Email</a></div>
  </article>
  <aside class="trending"><h2>Trending</h2><ul><li><a href="/news/markets-1">Markets close higher</a></li></ul></aside>
</main>
{case.chrome_html}<footer class="site-footer"><a href="/terms">Terms</a> <a href="/privacy">Privacy</a> <span>© 2024 {escape(name)}</span></footer>"""


def layout_wordpress(case: Case) -> str:
    name, host = case.site
    return f"""<div id="page" class="site">
<header id="masthead" class="site-header"><p class="site-title"><a href="https://{host}/" rel="home">{escape(name)}</a></p>
<nav id="site-navigation" class="main-navigation"><ul id="primary-menu" class="menu"><li><a href="/category/local/">Local</a></li><li><a href="/category/politics/">Politics</a></li>{case.nav_extra}</ul></nav></header>
<div id="content" class="site-content"><div id="primary" class="content-area"><main id="main" class="site-main">
<article class="post type-post status-publish format-standard hentry">
  <header class="entry-header"><h1 class="entry-title">{escape(case.title)}</h1>
  <div class="entry-meta"><span class="posted-on"><time class="entry-date published" datetime="{case.head['published']}">5 March 2024</time></span></div></header>
  <div class="entry-content">
{_body_ps(case)}
{_tail(case)}
  </div>
  <footer class="entry-footer"><span class="cat-links"><a href="/category/local/" rel="category tag">Local</a></span></footer>
</article>
<nav class="navigation post-navigation"><div class="nav-links"><div class="nav-previous"><a href="/2024/03/04/previous-story/" rel="prev">Previous post</a></div></div></nav>
</main></div>
<aside id="secondary" class="widget-area"><section class="widget widget_recent_entries"><h2 class="widget-title">Recent Posts</h2><ul><li><a href="/2024/03/04/council-meeting/">Council meeting moved to Thursday</a></li></ul></section></aside>
</div>
{case.chrome_html}<footer id="colophon" class="site-footer"><div class="site-info"><a href="https://wordpress.org/">Proudly powered by WordPress</a></div></footer>
</div>"""


def layout_newspaper(case: Case) -> str:
    name, host = case.site
    return f"""<div class="topbar"><a href="/subscribe">Subscribe</a> <a href="/login">Log in</a></div>
<header class="masthead"><a class="logo" href="https://{host}/">{escape(name)}</a><nav class="sections"><a href="/politics">Politics</a> <a href="/economy">Economy</a> <a href="/culture">Culture</a>{case.nav_extra}</nav></header>
<div class="page">
  <article class="article" itemscope itemtype="https://schema.org/NewsArticle">
    <h1 class="article__headline" itemprop="headline">{escape(case.title)}</h1>
    <p class="article__meta"><time datetime="{case.head['published']}">05.03.2024, 08:15</time></p>
    <figure class="article__image"><img src="https://img.{host}/lead.jpg" alt=""><figcaption>{escape(case.title[:40])}</figcaption></figure>
    <div class="article__body" itemprop="articleBody">
{_body_ps(case)}
    </div>
    <footer class="article__footer">
{_tail(case)}
    </footer>
  </article>
  <aside class="related"><h3>Most read</h3><ol><li><a href="/economy/prices-2024">Prices rise again</a></li></ol></aside>
</div>
{case.chrome_html}<footer class="footer"><p>© {escape(name)} 2024. <a href="/imprint">Imprint</a></p></footer>"""


def layout_minimal(case: Case) -> str:
    name, host = case.site
    return f"""<header><a href="/">{escape(name)}</a>{case.nav_extra}</header>
<main>
  <h1>{escape(case.title)}</h1>
{_body_ps(case)}
{_tail(case)}
</main>
{case.chrome_html}<footer><small>{escape(name)}</small></footer>"""


LAYOUTS: tuple[Callable[[Case], str], ...] = (
    layout_aggregator, layout_wordpress, layout_newspaper, layout_minimal
)


def render_html(case: Case) -> str:
    body = LAYOUTS[case.layout % len(LAYOUTS)](case)
    return (f'<!DOCTYPE html>\n<html lang="{case.language}">\n{_head(case)}\n'
            f'<body class="article-page">\n{body}\n</body>\n</html>\n')
