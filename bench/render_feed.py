"""RSS 2.0 and Atom documents for the local news web's feeds."""

from __future__ import annotations

from email.utils import format_datetime
from html import escape

from bench.world import Feed, Story, World


def render_feed(world: World, feed: Feed) -> bytes:
    stories = world.feed_stories(feed)
    text = _rss(feed, stories) if feed.format == "rss" else _atom(feed, stories)
    if feed.behaviour == "malformed":
        # What broken CMSs emit: a raw ampersand and a document cut short.
        text = text.replace("&amp;", "&", 1).replace(" - ", " & ", 1)
        text = text[: text.rfind("</item>" if feed.format == "rss" else "</entry>")]
    return text.encode("utf-8")


def _content(story: Story) -> str:
    paras = "".join(f"<p>{p}</p>" for p in story.paragraphs)
    if story.footer:
        paras += f"<p>{story.footer}</p>"
    return paras


def _rss(feed: Feed, stories: list[Story]) -> str:
    pub = feed.publisher
    items = []
    for s in stories:
        link = s.url + ("?utm_source=rss&utm_medium=feed" if pub.aggregator else "")
        guid = (f'<guid isPermaLink="false">{s.path.rsplit("/", 1)[-1]}</guid>'
                if pub.aggregator else f'<guid isPermaLink="true">{s.url}</guid>')
        extra = ""
        if s.origin is not None and pub.index % 2 == 0:
            extra += f'<source url="{s.origin.url}">{escape(s.origin.publisher.name)}</source>'
        if pub.full_content:
            extra += f"<content:encoded><![CDATA[{_content(s)}]]></content:encoded>"
        items.append(
            f"<item><title>{escape(s.title)}</title><link>{escape(link)}</link>{guid}"
            f"<pubDate>{format_datetime(s.published, usegmt=True)}</pubDate>"
            f"<dc:creator>{escape(s.author)}</dc:creator><category>{feed.section}</category>"
            f"<description>{escape(s.summary)}</description>"
            f'<media:content url="http://img.{pub.host}/{s.index}/1200.jpg" medium="image"/>'
            f"{extra}</item>\n"
        )
    built = format_datetime(stories[0].published, usegmt=True) if stories else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
        'xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:media="http://search.yahoo.com/mrss/">\n<channel>\n'
        f"<title>{escape(pub.name)} - {feed.section.capitalize()}</title>\n"
        f"<link>http://{pub.host}/{feed.section}/</link>\n"
        f"<description>The latest {feed.section} news from {escape(pub.name)}</description>\n"
        f"<language>en</language><lastBuildDate>{built}</lastBuildDate>\n"
        f'<atom:link href="{feed.url}" rel="self" type="application/rss+xml"/>\n'
        + "".join(items) + "</channel>\n</rss>\n"
    )


def _atom(feed: Feed, stories: list[Story]) -> str:
    pub = feed.publisher
    entries = []
    for s in stories:
        stamp = s.published.isoformat().replace("+00:00", "Z")
        content = (f'<content type="html">{escape(_content(s))}</content>'
                   if pub.full_content else "")
        entries.append(
            f"<entry><id>tag:{pub.host},2026:{s.path}</id><title>{escape(s.title)}</title>"
            f'<link rel="alternate" type="text/html" href="{s.url}"/>'
            f"<published>{stamp}</published><updated>{stamp}</updated>"
            f"<author><name>{escape(s.author)}</name></author>"
            f'<category term="{feed.section}"/><summary>{escape(s.summary)}</summary>'
            f"{content}</entry>\n"
        )
    updated = stories[0].published.isoformat().replace("+00:00", "Z") if stories else ""
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" '
        'xml:lang="en">\n'
        f"<id>tag:{pub.host},2026:{feed.path}</id>\n"
        f"<title>{escape(pub.name)} - {feed.section.capitalize()}</title>\n"
        f'<link rel="self" href="{feed.url}"/>\n'
        f'<link rel="alternate" href="http://{pub.host}/{feed.section}/"/>\n'
        f"<updated>{updated}</updated>\n" + "".join(entries) + "</feed>\n"
    )
