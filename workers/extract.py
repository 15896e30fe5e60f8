"""Main text and metadata from an article page, with the raw signals detection needs.

The page is decoded and parsed once (selectolax/lexbor). ``html_meta`` reads the head and
JSON-LD, ``blocks`` flattens the body into text blocks, ``maintext`` picks the article and
drops boilerplate; the feed entry fills what the page lacks. Nothing is interpreted for
provenance here: footers, datelines and source markup are passed on raw in ``PageSignals``.
"""

from __future__ import annotations

import html as html_escape
import re
from functools import lru_cache

from selectolax.lexbor import LexborHTMLParser

from workers import html_meta
from workers.blocks import Block, Layout, normalise, page_blocks
from workers.boilerplate import boilerplate
from workers.charset import decode_html
from workers.errors import ExtractError
from workers.maintext import MainText, main_text, plain_main_text
from workers.model import FeedEntry, Page, PageSignals, PublisherRef
from workers.urls import site_domain

_LINE_BREAKS = re.compile(r"\n\s*\n|\r\n\s*\r\n")
# Feed content that is nothing but plain paragraphs (`<p>text</p>`, HTML whitespace between
# them, a few unambiguous character references in the text) needs no HTML parser: its
# layout is one block per paragraph. Anything else (another tag, an attribute, an implied
# end tag, a NUL, a lone surrogate, another reference) takes the parser and block walker.
_PLAIN_PARAGRAPHS = re.compile(r"[ \t\n\r]*(?:<p>[^<&\x00\ud800-\udfff]*</p>[ \t\n\r]*)+")
_PARAGRAPH_TEXT = re.compile(r"<p>([^<]*)</p>")
_UNSAFE_TEXT = re.compile("[\x00\ud800-\udfff]")
_HTML_SPACE = " \t\n\r"
# A feed states one language for all its entries: read each way of writing one once.
_feed_language = lru_cache(maxsize=256)(html_meta.primary_language)


def extract_page(
    html: bytes, *, url: str, charset: str | None = None, entry: FeedEntry | None = None
) -> Page:
    """Parse the page once; ``entry`` fills what the page lacks (title, dates, publisher)."""
    if not html.strip():
        raise ExtractError(url, "empty response body")
    tree = LexborHTMLParser(decode_html(html, charset))
    head = html_meta.read_meta(tree, url)
    site_name = html_meta.site_name_of(head)
    title = html_meta.title_of(head, tree, site_name)
    body = tree.body if tree.body is not None else tree.root
    if body is None:
        raise ExtractError(url, "no document in the page")
    layout = page_blocks(body, boilerplate(), head.base_url)
    text = main_text(layout, boilerplate(), title=title)
    if not text.paragraphs and not title:
        raise ExtractError(url, "page has neither text nor a title")
    published, updated = html_meta.dates_of(head, tree)
    authors = html_meta.authors_of(head, tree)
    return Page(
        url=url,
        title=title or _entry_value(entry, "title"),
        text="\n\n".join(text.paragraphs),
        paragraphs=text.paragraphs,
        authors=authors or (entry.authors if entry else ()),
        published_at=published or (entry.published_at if entry else None),
        updated_at=updated or (entry.updated_at if entry else None),
        language=html_meta.language_of(head)
        or html_meta.primary_language(entry.language if entry else None),
        publisher=PublisherRef(
            name=site_name or _entry_value(entry, "feed_title"), domain=site_domain(url)
        ),
        canonical_url=head.canonical,
        image=html_meta.image_of(head) or (entry.image if entry else None),
        description=html_meta.description_of(head) or (entry.summary if entry else None),
        signals=_signals(head, text),
    )


def page_from_entry(entry: FeedEntry) -> Page:
    """A Page built from feed content alone (NEWSINGEST_FETCH_PAGES=never)."""
    url = entry.link or entry.feed_url
    # Feed content is the article already: no container to find, boilerplate still goes.
    texts = _plain_texts(entry)
    if texts is not None:
        text = plain_main_text(texts, boilerplate(), title=entry.title)
    else:
        if entry.content_html:
            layout = fragment_layout(entry.content_html, url)
        else:
            layout = _summary_layout(entry.summary or "", url)
        text = (
            main_text(layout, boilerplate(), title=entry.title, whole=True)
            if layout is not None
            else MainText((), (), (), "")
        )
    if not text.paragraphs and not entry.title:
        raise ExtractError(url, "feed entry has neither content nor a title")
    return Page(
        url=url,
        title=entry.title,
        text="\n\n".join(text.paragraphs),
        paragraphs=text.paragraphs,
        authors=entry.authors,
        published_at=entry.published_at,
        updated_at=entry.updated_at,
        language=_feed_language(entry.language),
        publisher=PublisherRef(
            name=entry.feed_title, domain=site_domain(entry.link or entry.feed_link or url)
        ),
        canonical_url=None,
        image=entry.image,
        description=entry.summary,
        signals=PageSignals(
            tail=text.tail,
            head_text=text.head_text,
            removed=text.removed,
            header=text.header,
            links=text.links,
        ),
        from_feed_only=True,
    )


def _plain_texts(entry: FeedEntry) -> list[str] | None:
    """The texts of the blocks of ``plain_layout`` for the entry's content or summary, in
    order ([]: no document, as ``fragment_layout`` and ``_summary_layout`` say None), or
    None when that content takes the parser: what ``plain_main_text`` reads, without the
    layout. Same tests as ``fragment_layout`` and ``_summary_layout``, cheaper."""
    markup = boilerplate().classify("p", {})
    if markup.chrome is not None or markup.caption:
        return None
    if entry.content_html:
        fragment = entry.content_html
        if not fragment.strip():
            return []
        raws = _plain_paragraphs(fragment)
    else:
        raws = _summary_paragraphs(entry.summary or "")
    return _normalised(raws) if raws is not None else None


def _plain_paragraphs(fragment: str) -> list[str] | None:
    """``_PARAGRAPH_TEXT.findall(fragment)`` if ``_PLAIN_PARAGRAPHS`` matches all of it but
    for its NULs and lone surrogates (``_normalised`` looks for those), else None."""
    if "&" in fragment:
        return None
    parts = fragment.split("<p>")
    if len(parts) < 2 or parts[0].strip(_HTML_SPACE):
        return None
    del parts[0]
    for index, part in enumerate(parts):
        end = part.find("<")
        if end < 0 or not part.startswith("</p>", end) or part[end + 4 :].strip(_HTML_SPACE):
            return None
        parts[index] = part[:end]
    return parts


def _summary_paragraphs(summary: str) -> list[str]:
    """The paragraphs of ``_summary_layout``: at blank lines, stripped, none empty."""
    if "\n" not in summary:  # both line breaks hold one
        paragraph = summary.strip()
        return [paragraph] if paragraph else []
    return [p for p in (p.strip() for p in _LINE_BREAKS.split(summary)) if p]


def _normalised(raws: list[str]) -> list[str] | None:
    """The block texts ``plain_layout`` makes of these paragraphs, or None if one holds a
    NUL or a lone surrogate (what only the parser reads right)."""
    texts: list[str] = []
    for raw in raws:
        # Printable text holds no NUL and no surrogate: the search is for the rest.
        if not raw.isprintable() and _UNSAFE_TEXT.search(raw) is not None:
            return None
        text = normalise(raw)  # empty for an empty or blank paragraph, as the walker drops
        if text:
            texts.append(text)
    return texts


def fragment_layout(fragment: str, url: str) -> Layout | None:
    """The blocks of a feed entry's HTML (None: no document). Plain paragraphs are read
    without the parser; the result is the parser's and walker's, block for block
    (``tests/test_extract_fast.py`` compares the two)."""
    if not fragment.strip():
        return None
    if _PLAIN_PARAGRAPHS.fullmatch(fragment):
        return plain_layout(_PARAGRAPH_TEXT.findall(fragment), url)
    return parsed_layout(fragment, url)


def parsed_layout(fragment: str, url: str) -> Layout | None:
    """The blocks of any HTML fragment, by the parser and the block walker."""
    tree = LexborHTMLParser(fragment)
    root = tree.body if tree.body is not None else tree.root
    if root is None:
        return None
    return page_blocks(root, boilerplate(), url)


def plain_layout(paragraphs: list[str], url: str) -> Layout | None:
    """What the walker makes of ``<body><p>t1</p><p>t2</p>...`` for texts holding no markup,
    no character reference, no NUL and no lone surrogate (the caller checks): the body, one
    block element per paragraph, one block per paragraph with visible text."""
    markup = boilerplate().classify("p", {})
    if markup.chrome is not None or markup.caption:
        return parsed_layout("".join(f"<p>{html_escape.escape(p)}</p>" for p in paragraphs), url)
    n = len(paragraphs)
    layout = Layout(
        tags=["body", *("p" for _ in range(n))],
        parents=[-1, *(0 for _ in range(n))],
        ranks=[0, *(markup.rank for _ in range(n))],
        base_url=url,
    )
    blocks = layout.blocks
    for owner, raw in enumerate(paragraphs, 1):
        if raw and not raw.isspace():
            text = normalise(raw)
            if text:
                blocks.append(Block(text, (), 0, owner, "p", None))
    return layout


def _summary_layout(summary: str, url: str) -> Layout | None:
    """The layout of ``_summary_html(summary)``: paragraphs at blank lines, as plain text."""
    paragraphs = _summary_paragraphs(summary)
    if not paragraphs:
        return None
    if _UNSAFE_TEXT.search(summary) is not None:
        return parsed_layout(_summary_html(summary), url)
    return plain_layout(paragraphs, url)


def _summary_html(summary: str) -> str:
    paragraphs = (p.strip() for p in _LINE_BREAKS.split(summary))
    return "".join(f"<p>{html_escape.escape(p)}</p>" for p in paragraphs if p)


def _signals(head: html_meta.HeadSignals, text: MainText) -> PageSignals:
    return PageSignals(
        canonical=head.canonical,
        og_url=html_meta.absolute(head.base_url, head.meta.get("og:url")),
        og_site_name=head.meta.get("og:site_name"),
        meta=dict(head.meta),
        jsonld=head.jsonld,
        tail=text.tail,
        head_text=text.head_text,
        removed=text.removed,
        header=text.header,
        links=text.links,
    )


def _entry_value(entry: FeedEntry | None, name: str) -> str | None:
    value = getattr(entry, name, None) if entry is not None else None
    return value if isinstance(value, str) and value.strip() else None
