"""The page as a flat list of text blocks in document order, each knowing where it sits.

One pass over the parsed tree, iterative (broken pages nest thousands deep) and linear.
Inline content is gathered into the nearest block-level element; each block remembers the
chain of block elements around it (as ids into ``Layout``), whether site chrome encloses
it, and its links. Choosing the article among the blocks is ``workers/maintext.py``'s job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborNode

from workers.boilerplate import Boilerplate, Markup

_SKIP = frozenset({
    "script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed",
    "canvas", "button", "input", "select", "option", "textarea", "head", "link", "meta",
    "video", "audio", "source", "track", "map", "area", "title", "base",
    "amp-ad", "amp-analytics", "amp-pixel", "amp-sticky-ad", "amp-social-share", "amp-iframe",
})  # fmt: skip
_INLINE = frozenset({
    "a", "abbr", "b", "bdi", "bdo", "big", "cite", "code", "data", "del", "dfn", "em", "font",
    "i", "ins", "kbd", "label", "mark", "nobr", "q", "s", "samp", "small", "span", "strike",
    "strong", "sub", "sup", "time", "tt", "u", "var", "wbr",
})  # fmt: skip
_IMAGES = frozenset({"img", "amp-img"})
_MAX_IMAGES = 64
# Where a story's own header may sit: plain content, an <header> of the article, a caption,
# a byline (workers/maintext.py reads the header lines from the same kinds).
HEADER_CHROME = frozenset({None, "header", "caption", "byline"})
# In these a <br> is a line break inside one paragraph; elsewhere (div soup) two in a row
# separate paragraphs.
PARAGRAPH_LIKE = frozenset({
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "td", "th", "figcaption",
    "caption", "pre", "address", "summary", "legend",
})  # fmt: skip
_BREAK = "\x00"
_PARAGRAPH_BREAK = re.compile(r"\x00\s*\x00[\s\x00]*")
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_MAX_PROTECTION_CHECKS = 64  # bounds the subtree scans a hostile page can trigger


def normalise(text: str) -> str:
    """Invisible characters dropped, whitespace runs made one space, ends stripped."""
    # Printable text holds no whitespace but " " and no invisible character (all are
    # categories Z* or C*): with no double space and no space at either end it is final.
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text
    if text.isascii():
        return " ".join(text.split())  # the invisible characters are all non-ASCII
    return " ".join(_INVISIBLE.sub("", text).split())


@dataclass(slots=True)  # not frozen: one is built per text block, and frozen inits are slow
class Block:
    text: str
    links: tuple[tuple[str, str], ...]  # (anchor text, href as written): resolve with absolute_href
    link_chars: int
    owner: int  # id of the block element that holds the text
    tag: str  # that element's tag
    chrome: str | None  # kind of site chrome around it, or None

    @property
    def link_ratio(self) -> float:
        return min(1.0, self.link_chars / len(self.text)) if self.text else 0.0


@dataclass(slots=True)
class Layout:
    """The block elements of the page: ids are indices, parents come before children."""

    tags: list[str] = field(default_factory=list)
    parents: list[int] = field(default_factory=list)
    ranks: list[int] = field(default_factory=list)  # Boilerplate.content_rank
    blocks: list[Block] = field(default_factory=list)
    image_alts: set[str] = field(default_factory=set)
    # (blocks before it, alt text) of the first images: a provider's logo above a story
    # ("Provided by [logo]") is an image, not text.
    images: list[tuple[int, str]] = field(default_factory=list)
    base_url: str = ""


class _Owner:
    __slots__ = ("chrome", "id", "links", "run", "tag")

    def __init__(self, ident: int, tag: str, chrome: str | None) -> None:
        self.id = ident
        self.tag = tag
        self.chrome = chrome
        self.run: list[str] = []
        self.links: list[tuple[str, str]] = []


class _Walker:
    def __init__(self, catalogue: Boilerplate, base_url: str) -> None:
        self.catalogue = catalogue
        self.base_url = base_url
        self.layout = Layout(base_url=base_url)
        self.protection_checks = 0

    def walk(self, root: LexborNode) -> Layout:
        top = self._open(root.tag or "body", -1, None, 0)
        # Each frame: the next child to visit and the block element that collects text.
        stack: list[tuple[LexborNode | None, _Owner, bool]] = [(root.child, top, False)]
        while stack:
            node, owner, inline = stack.pop()
            if node is None:
                if not inline:
                    self._flush(owner)
                continue
            stack.append((node.next, owner, inline))
            tag = node.tag or ""
            if tag == "-text":
                owner.run.append(node.text_content or "")
                continue
            if tag.startswith("-") or tag in _SKIP:
                continue
            attrs = node.attributes
            if "hidden" in attrs or "display:none" in (attrs.get("style") or "").replace(" ", ""):
                continue
            if tag == "br":
                owner.run.append(_BREAK)
            elif tag in _IMAGES:
                alt = normalise(attrs.get("alt") or "")
                if alt:
                    self.layout.image_alts.add(alt)
                    if len(self.layout.images) < _MAX_IMAGES and owner.chrome in HEADER_CHROME:
                        self.layout.images.append((len(self.layout.blocks), alt))
            elif tag in _INLINE:
                self._inline(node, tag, attrs, owner, stack)
            else:
                self._flush(owner)
                markup = self.catalogue.classify(tag, attrs)
                chrome = owner.chrome or self._chrome(node, markup)
                child = self._open(tag, owner.id, chrome, markup.rank)
                stack.append((node.child, child, False))
        return self.layout

    def _inline(
        self,
        node: LexborNode,
        tag: str,
        attrs: dict[str, str | None],
        owner: _Owner,
        stack: list[tuple[LexborNode | None, _Owner, bool]],
    ) -> None:
        if owner.chrome is None and attrs and self.catalogue.classify(tag, attrs).caption:
            # A credit span inside an otherwise plain block: a block of its own, as chrome.
            self._flush(owner)
            caption = self._open(tag, owner.id, "caption", 0)
            stack.append((node.child, caption, False))
            return
        if tag == "a":
            href = (attrs.get("href") or "").strip()
            # Resolved only for the few blocks that reach the tail: urljoin is costly.
            if href and not href.startswith(("#", "javascript:")):
                owner.links.append((normalise(node.text() or ""), href))
        stack.append((node.child, owner, True))

    def _chrome(self, node: LexborNode, markup: Markup) -> str | None:
        kind = markup.chrome
        if kind is None or node.tag in self.catalogue.chrome_tags:
            return kind
        # "content has-sidebar" on the article's wrapper is layout, not a widget: a class
        # that also names content and holds several paragraphs is not chrome.
        if markup.content_like:
            self.protection_checks += 1
            if self.protection_checks <= _MAX_PROTECTION_CHECKS and len(node.css("p")) >= 3:
                return None
        return kind

    def _open(self, tag: str, parent: int, chrome: str | None, rank: int) -> _Owner:
        layout = self.layout
        layout.tags.append(tag)
        layout.parents.append(parent)
        layout.ranks.append(rank)
        return _Owner(len(layout.tags) - 1, tag, chrome)

    def _flush(self, owner: _Owner) -> None:
        if not owner.run:
            return
        raw = "".join(owner.run)
        owner.run.clear()
        links, owner.links = owner.links, []
        if raw.isspace():
            return  # the indentation between two tags: most runs of a page
        if _BREAK not in raw:
            pieces = [raw]
        elif owner.tag in PARAGRAPH_LIKE:
            pieces = [raw.replace(_BREAK, " ")]
        else:
            pieces = [p.replace(_BREAK, " ") for p in _PARAGRAPH_BREAK.split(raw)]
        texts = [t for t in map(normalise, pieces) if t]
        shares = [tuple(links)] if len(texts) == 1 else _share_links(texts, links)
        for text, mine in zip(texts, shares, strict=True):
            self.layout.blocks.append(Block(
                text=text, links=mine, link_chars=sum(len(t) for t, _ in mine),
                owner=owner.id, tag=owner.tag, chrome=owner.chrome,
            ))  # fmt: skip


def _share_links(
    texts: list[str], links: list[tuple[str, str]]
) -> list[tuple[tuple[str, str], ...]]:
    """Links of a run split at <br><br>, each to the piece holding its anchor text. Both are
    in document order, so the search only moves forward, and a few pieces at most."""
    shares: list[list[tuple[str, str]]] = [[] for _ in texts]
    at = 0
    for link in links:
        for index in range(at, min(at + 3, len(texts))):
            if link[0] in texts[index]:
                shares[index].append(link)
                at = index
                break
    return [tuple(share) for share in shares]


def absolute_href(base: str, href: str) -> str | None:
    if href.startswith(("https://", "http://")):
        return href
    # Root-relative links fill site footers; urljoin on each of them dominated the tail.
    if href.startswith("/") and not href.startswith("//") and "/." not in href:
        origin = _origin(base)
        if origin is not None:
            return origin + href
    try:
        return urljoin(base, href)
    except ValueError:
        return None  # an href urljoin cannot read is no link


@lru_cache(maxsize=64)
def _origin(base: str) -> str | None:
    try:
        parts = urlsplit(base)
    except ValueError:
        return None
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


def page_blocks(root: LexborNode, catalogue: Boilerplate, base_url: str) -> Layout:
    """Every text block under ``root`` (the body, or a feed entry's content), in order."""
    return _Walker(catalogue, base_url).walk(root)
