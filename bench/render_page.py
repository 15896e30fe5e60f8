"""Article pages as news sites serve them: 50-200 KB, most of it not the story.

A real page is mostly chrome: a stylesheet and tracking scripts inline in the head, a
mega-menu, a cookie banner, ad slots, related-story rails, a footer of links and a JSON
state blob for the client-side app. The story itself is 4-10 KB of that. Chrome is made
once per publisher; each page draws a size from 50-200 KB (mean ~160 KB, real pages
average ~170 KB) and is padded to it with the state blob.
"""

from __future__ import annotations

import json
from functools import lru_cache
from html import escape

from bench.world import VOCAB, Publisher, Story, World, rng_for

MIN_KB, MAX_KB = 50, 200


def ground_truth(story: Story) -> str:
    """The text an extractor should return: the story's paragraphs, nothing else."""
    return "\n\n".join(story.paragraphs)


def render_page(world: World, story: Story) -> bytes:
    rng = rng_for(world.seed, "page", story.url)
    target = int((MAX_KB - (MAX_KB - MIN_KB) * rng.random() ** 3) * 1024)
    head = _head(story)
    body = _article(world, story)
    chrome = _chrome(story.publisher)
    size = len(head) + len(body) + sum(len(c) for c in chrome) + 200
    pad = _state_blob(story.publisher, story.path, max(0, target - size))
    html = "".join((
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n', head, chrome[0], "</head>\n",
        '<body class="article-page">\n', chrome[1], '<main id="main">\n', body,
        chrome[2], "</main>\n", chrome[3], "<script>window.__INITIAL_STATE__ = ", pad,
        ";</script>\n", chrome[4], "</body>\n</html>\n",
    ))
    return html.encode("utf-8")


def _head(story: Story) -> str:
    pub, title = story.publisher, escape(story.title)
    canonical = story.url
    if story.origin is not None and story.index % 3 == 0:
        canonical = story.origin.url  # some aggregators point canonical at the origin
    published = story.published.isoformat().replace("+00:00", "Z")
    jsonld = {
        "@context": "https://schema.org", "@type": "NewsArticle", "headline": story.title,
        "datePublished": published, "dateModified": published,
        "author": [{"@type": "Person", "name": story.author}],
        "publisher": {"@type": "Organization", "name": pub.name, "url": f"http://{pub.host}/"},
        "image": f"http://img.{pub.host}/{story.index}/1200.jpg",
        "mainEntityOfPage": story.url,
    }
    if story.origin is not None:
        jsonld["provider"] = {"@type": "Organization", "name": story.origin.publisher.name}
    return (
        f'<meta charset="utf-8">\n<title>{title} | {escape(pub.name)}</title>\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="description" content="{escape(story.summary)}">\n'
        f'<meta name="author" content="{escape(story.author)}">\n'
        '<meta property="og:type" content="article">\n'
        f'<meta property="og:site_name" content="{escape(pub.name)}">\n'
        f'<meta property="og:title" content="{title}">\n'
        f'<meta property="og:url" content="{story.url}">\n'
        f'<meta property="og:image" content="http://img.{pub.host}/{story.index}/1200.jpg">\n'
        f'<meta property="article:published_time" content="{published}">\n'
        f'<link rel="canonical" href="{canonical}">\n'
        f'<script type="application/ld+json">{json.dumps(jsonld)}</script>\n'
    )


def _article(world: World, story: Story) -> str:
    rng = rng_for(world.seed, "article", story.url)
    caption = f"{rng.choice(VOCAB['last_names'])} at the scene. Photo: {story.author}"
    parts = [
        '<article class="story">\n<header class="story-header">\n',
        f"<h1>{escape(story.title)}</h1>\n",
        f'<div class="byline">By <a href="/authors/{story.author.lower().replace(" ", "-")}">'
        f"{escape(story.author)}</a> · <time datetime=\"{story.published.isoformat()}\">"
        f"{story.published:%B %d, %Y at %H:%M}</time> · {rng.randint(2, 9)} min read</div>\n",
        "</header>\n<figure class=\"lead\">"
        f'<img src="http://img.{story.publisher.host}/{story.index}/800.jpg" alt="{caption}">'
        f"<figcaption>{caption}</figcaption></figure>\n<div class=\"story-body\">\n",
    ]
    for i, para in enumerate(story.paragraphs):
        parts.append(f"<p>{escape(para)}</p>\n")
        if i == 1:
            parts.append('<div class="ad-slot" data-slot="mid-1"><span>Advertisement</span>'
                         "</div>\n")
        if i == 3:
            teaser = " ".join(rng.choices(VOCAB["words"], k=8)).capitalize()
            parts.append(f'<p class="read-also"><strong>Read also:</strong> <a href="http://'
                         f'{story.publisher.host}/news/{rng.randrange(10**6)}.html">{teaser}'
                         "</a></p>\n")
    if story.footer is not None:
        parts.append(f'<p class="read-original">{escape(story.footer)}</p>\n')
    parts.append("</div>\n")
    parts.append(_related(world, story))
    parts.append("</article>\n")
    return "".join(parts)


def _related(world: World, story: Story) -> str:
    rng = rng_for(world.seed, "related", story.url)
    items = "".join(
        f'<li><a href="/news/{rng.randrange(10**7)}.html">'
        f"{' '.join(rng.choices(VOCAB['words'], k=rng.randint(6, 11))).capitalize()}</a>"
        f'<span class="ago">{rng.randint(1, 59)} min ago</span></li>'
        for _ in range(10)
    )
    return (f'<section class="related"><h2>More from {escape(story.publisher.name)}</h2>'
            f'<ul>{items}</ul></section>\n<div class="share"><button>Share</button>'
            '<a href="https://twitter.com/intent/tweet">Post</a><a href="mailto:?">Email</a>'
            '</div>\n<div id="comments" data-provider="talk"><noscript>Comments need '
            "JavaScript.</noscript></div>\n")


@lru_cache(maxsize=4096)
def _chrome(pub: Publisher) -> tuple[str, str, str, str, str]:
    """(head tail, top of body, aside, footer, trailing scripts), made once per publisher."""
    rng = rng_for("chrome", pub.name)
    css = "".join(
        f".c-{rng.randrange(16**6):06x}{{margin:{rng.randint(0, 24)}px {rng.randint(0, 24)}px;"
        f"color:#{rng.randrange(16**6):06x};font:{rng.randint(12, 28)}px/1.4 Georgia,serif}}\n"
        for _ in range(350)
    )
    sheets = "".join(f'<link rel="stylesheet" href="/static/css/{n}.{rng.randrange(10**8)}.css">'
                     "\n" for n in ("base", "grid", "article", "ads", "fonts", "print"))
    analytics = ("<script>(function(w,d,s,l,i){w[l]=w[l]||[];w[l].push({'start':new Date()."
                 "getTime(),event:'load'});var f=d.getElementsByTagName(s)[0],j=d.createElement"
                 "(s);j.async=true;j.src='/static/js/tag.js?id='+i;f.parentNode.insertBefore(j,"
                 f"f);}})(window,document,'script','dataLayer','{pub.host}');</script>\n")
    head_tail = f"{sheets}<style>{css}</style>\n{analytics}"
    menu = "".join(
        f'<li class="menu-item"><a href="/{section}/{w}">{w.capitalize()}</a></li>'
        for section in VOCAB["sections"] for w in rng.sample(VOCAB["words"], 14)
    )
    ticker = "".join(f'<a href="/live/{rng.randrange(10**6)}">'
                     f"{' '.join(rng.choices(VOCAB['words'], k=7)).capitalize()}</a>"
                     for _ in range(8))
    top = (
        '<div id="cookie-banner" role="dialog"><p>We and our partners use cookies to '
        "personalise content and ads, to provide social media features and to analyse our "
        "traffic.</p><button>Accept all</button><button>Manage options</button></div>\n"
        f'<header class="site-header"><a class="logo" href="/">{escape(pub.name)}</a>'
        f'<nav aria-label="Main"><ul class="mega-menu">{menu}</ul></nav>'
        '<form class="search" action="/search"><input name="q" placeholder="Search"></form>'
        f'</header>\n<div class="ticker"><strong>Breaking:</strong>{ticker}</div>\n'
    )
    trending = "".join(f'<li><a href="/news/{rng.randrange(10**7)}.html">'
                       f"{' '.join(rng.choices(VOCAB['words'], k=9)).capitalize()}</a></li>"
                       for _ in range(12))
    aside = f'<aside class="trending"><h2>Trending now</h2><ol>{trending}</ol></aside>\n'
    links = "".join(f'<a href="/{w}">{w.capitalize()}</a> '
                    for w in rng.sample(VOCAB["words"], 120))
    footer = (f'<footer class="site-footer"><div class="newsletter"><h3>Get the morning '
              'briefing</h3><input type="email" placeholder="Email"><button>Sign up</button>'
              f'</div><nav class="footer-links">{links}</nav><p>© 2026 {escape(pub.name)}. '
              "All rights reserved.</p></footer>\n")
    scripts = "".join(f'<script src="/static/js/{n}.{rng.randrange(10**8)}.js" defer></script>\n'
                      for n in ("vendor", "app", "ads", "consent", "video", "comments",
                                "analytics", "paywall"))
    return head_tail, top, aside, footer, scripts


@lru_cache(maxsize=4096)
def _blob_source(pub: Publisher) -> str:
    rng = rng_for("blob", pub.name)
    records = [
        json.dumps({"id": rng.randrange(10**9), "type": rng.choice(("teaser", "video", "ad")),
                    "title": " ".join(rng.choices(VOCAB["words"], k=9)),
                    "url": f"/news/{rng.randrange(10**8)}.html",
                    "img": f"http://img.{pub.host}/{rng.randrange(10**6)}/320.jpg",
                    "tracking": f"{rng.randrange(16**24):024x}"})
        for _ in range(1000)
    ]
    return ",".join(records)


def _state_blob(pub: Publisher, path: str, size: int) -> str:
    """JSON of about ``size`` bytes, cut at a record boundary so it stays valid."""
    source = _blob_source(pub)
    cut = source.rfind("},", 0, max(size, 2))
    body = source[: cut + 1] if cut > 0 else ""
    return f'{{"route":{json.dumps(path)},"items":[{body}]}}'
