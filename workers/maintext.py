"""The article among the page's blocks: its paragraphs, what was dropped, and the tail.

Pure over a ``Layout``. The container is the block element with the densest non-link text
(credited to a paragraph's parent in full and its grandparent by half, so a body split into
chunks by ad slots still wins), widened to the innermost element whose markup says
"article body" (articleBody, <article>, a content class, <main>) around it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from workers.blocks import HEADER_CHROME, PARAGRAPH_LIKE, Block, Layout, absolute_href
from workers.boilerplate import Boilerplate
from workers.model import EDGE_FIRST, EDGE_LAST, TailBlock

TAIL_BLOCKS = 12
HEAD_CHARS = 300
_HEADER_BEFORE_TITLE = 8
_HEADER_LINE_CHARS = 320
_MIN_SCORED_CHARS = 25
# Lines that end like a sentence (or a quote) are prose even when short.
_SENTENCE_END = re.compile(r"[.!?…:;\"'”»)]$")
_SHORT_LINE = 50
_LINK_LIST_RATIO = 0.85
_PROSE_TAGS = frozenset(
    {"p", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "dd", "dt", "td", "th"}
)


@dataclass(frozen=True, slots=True)
class MainText:
    paragraphs: tuple[str, ...]
    removed: tuple[str, ...]
    tail: tuple[TailBlock, ...]
    head_text: str
    header: tuple[TailBlock, ...] = ()  # the lines and image alts around the headline
    links: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)


def main_text(
    layout: Layout, catalogue: Boilerplate, *, title: str | None, whole: bool = False
) -> MainText:
    """Paragraphs of the article. ``whole``: the layout is the article (feed content)."""
    container = 0 if whole else _container(layout)
    inside = _continued(layout, _inside(layout, container))
    paragraphs: list[str] = []
    removed: list[str] = []
    kept: set[str] = set()
    dropped: set[str] = set()
    linked: dict[str, Block] = {}  # blocks with links, by text
    title_key = (title or "").casefold()
    title_chars = len(title_key)
    for block, in_main in zip(layout.blocks, inside, strict=True):
        if not in_main:
            continue
        text = block.text
        if block.tag == "h1" or _is_title(text, title_key, title_chars):
            continue  # the headline is the title, not body text
        if block.links:
            linked.setdefault(text, block)
        if text in kept or _is_boilerplate(block, catalogue, layout.image_alts, dropped):
            if text not in dropped:
                removed.append(text)
                dropped.add(text)
            continue
        paragraphs.append(text)
        kept.add(text)
    tail = _tail(layout, inside)
    head = "\n\n".join(paragraphs)[:HEAD_CHARS]
    # Notices sit in the story's first and last paragraphs or among what was set aside;
    # their links give the original article's address.
    edges = [*paragraphs[:EDGE_FIRST], *paragraphs[-EDGE_LAST:], *removed]
    links = {t: _with_links(layout, linked[t]).links for t in edges if t in linked}
    return MainText(tuple(paragraphs), tuple(removed), tail, head, _header(layout, kept), links)


def plain_main_text(texts: list[str], catalogue: Boilerplate, *, title: str | None) -> MainText:
    """``main_text(layout, catalogue, title=title, whole=True)`` for the layout of plain
    paragraphs (``extract.plain_layout``): under the root, one ``<p>`` per text, no chrome,
    no links, no images. Nothing but the texts is needed to read it."""
    paragraphs: list[str] = []
    removed: list[str] = []
    kept: set[str] = set()
    dropped: set[str] = set()
    title_key = (title or "").casefold()
    title_chars = len(title_key)
    for text in texts:
        if _is_title(text, title_key, title_chars):
            continue
        if text in kept or text in dropped or _is_listed(text, catalogue, 0.0):
            if text not in dropped:
                removed.append(text)
                dropped.add(text)
            continue
        paragraphs.append(text)
        kept.add(text)
    # Every block is in the article and has no link: the tail is the last blocks as they
    # are; the header, the short lines before the first paragraph (there is no headline).
    tail = tuple([TailBlock(text=text, links=(), in_main=True) for text in texts[-TAIL_BLOCKS:]])
    head = "\n\n".join(paragraphs)[:HEAD_CHARS]
    header: tuple[TailBlock, ...] = ()
    if texts and texts[0] not in kept:
        first = next((i for i, text in enumerate(texts) if text in kept), len(texts))
        lines = {
            text: TailBlock(text=text, links=(), in_main=True)
            for text in texts[max(0, first - _HEADER_BEFORE_TITLE) : first]
            if len(text) <= _HEADER_LINE_CHARS
        }
        header = tuple(lines.values())
    return MainText(tuple(paragraphs), tuple(removed), tail, head, header, {})


def _is_title(text: str, title_key: str, title_chars: int) -> bool:
    # Case folding never shortens a text: a longer one cannot fold to the title.
    return len(text) <= title_chars and text.casefold() == title_key


def _header(layout: Layout, kept: set[str]) -> tuple[TailBlock, ...]:
    """Short lines and image alts from a few blocks before the headline to the first
    paragraph: where aggregators and partners say whose story it is ("Provided by X",
    a provider logo, "By NAME, Outlet"). Navigation, rails and promos are left out."""
    blocks = layout.blocks
    first = next((i for i, b in enumerate(blocks) if b.text in kept), len(blocks))
    title = next((i for i, b in enumerate(blocks[:first]) if b.tag == "h1"), first)
    start = max(0, title - _HEADER_BEFORE_TITLE)
    lines = {
        b.text: _with_links(layout, b)
        for b in blocks[start:first]
        if b.chrome in HEADER_CHROME and len(b.text) <= _HEADER_LINE_CHARS
    }
    for at, alt in layout.images:
        if start <= at <= first:
            lines.setdefault(alt, TailBlock(text=alt))
    return tuple(lines.values())


def _with_links(layout: Layout, block: Block, *, in_main: bool = True) -> TailBlock:
    if not block.links:
        return TailBlock(text=block.text, links=(), in_main=in_main)
    links = tuple(
        (text, url)
        for text, href in block.links
        if (url := absolute_href(layout.base_url, href)) is not None
    )
    return TailBlock(text=block.text, links=links, in_main=in_main)


def _tail(layout: Layout, inside: list[bool]) -> tuple[TailBlock, ...]:
    """The last blocks of the page, boilerplate included: footers name origins. Menus and
    link lists outside the article are skipped, or a long site footer would fill the tail."""
    picked: list[TailBlock] = []
    for block, in_main in zip(reversed(layout.blocks), reversed(inside), strict=True):
        link_list = block.chrome == "nav" or (block.tag == "li" and block.link_ratio >= 0.85)
        if in_main or not link_list:
            picked.append(_with_links(layout, block, in_main=in_main))
            if len(picked) == TAIL_BLOCKS:
                break
    return tuple(reversed(picked))


def _is_boilerplate(
    block: Block, catalogue: Boilerplate, alts: set[str], dropped: set[str]
) -> bool:
    text = block.text
    if block.chrome is not None or text in alts or text in dropped:
        return True
    ratio = block.link_ratio
    if _is_listed(text, catalogue, ratio):
        return True
    if ratio >= _LINK_LIST_RATIO and (block.tag == "li" or len(text) < 200):
        return True  # a list of links, or a headline linking elsewhere
    # Loose short lines outside paragraphs are dates, labels and counters ("2 min read").
    return (
        block.tag not in _PROSE_TAGS and len(text) < _SHORT_LINE and not _SENTENCE_END.search(text)
    )


def _is_listed(text: str, catalogue: Boilerplate, link_ratio: float) -> bool:
    """No letter nor digit (rules and ornaments: "___", "* * *"), or a teaser, promo, credit
    or byline line."""
    if not (text[:1].isalnum() or any(map(str.isalnum, text))):
        return True
    return catalogue.is_listed(text, link_ratio)


def _container(layout: Layout) -> int:
    scores: defaultdict[int, float] = defaultdict(float)
    parents, tags = layout.parents, layout.tags
    for block in layout.blocks:
        if block.chrome is not None or len(block.text) < _MIN_SCORED_CHARS:
            continue
        weight = len(block.text) * (1.0 - block.link_ratio)
        if weight <= 0:
            continue
        holder = parents[block.owner] if tags[block.owner] in PARAGRAPH_LIKE else block.owner
        if holder < 0:
            holder = block.owner
        scores[holder] += weight
        if parents[holder] >= 0:
            scores[parents[holder]] += weight / 2
    if not scores:
        return 0
    best = max(scores, key=scores.__getitem__)
    return _widen(layout, best)


def _widen(layout: Layout, best: int) -> int:
    """The innermost ancestor-or-self of ``best`` that markup marks as the article."""
    fallback = None
    node = best
    while node >= 0:
        rank = layout.ranks[node]
        if rank >= 2:
            return node
        if rank == 1 and fallback is None:
            fallback = node
        node = layout.parents[node]
    return best if fallback is None else fallback


def _inside(layout: Layout, container: int) -> list[bool]:
    """Per block: inside the container element."""
    owned = [False] * len(layout.parents)
    for ident, parent in enumerate(layout.parents):
        owned[ident] = ident == container or (parent >= 0 and owned[parent])
    return [owned[block.owner] for block in layout.blocks]


def _continued(layout: Layout, inside: list[bool]) -> list[bool]:
    """Prose paragraphs right after the container belong to it: a stray end tag in broken
    markup closes the article early, and the browser still shows one story."""
    if True not in inside:
        return inside
    last = len(inside) - 1 - inside[::-1].index(True)
    for index in range(last + 1, len(inside)):
        block = layout.blocks[index]
        if not _is_prose(block):
            break
        inside[index] = True
    return inside


def _is_prose(block: Block) -> bool:
    return (
        block.tag == "p"
        and block.chrome is None
        and block.link_ratio < 0.3
        and len(block.text) >= 40
        and _SENTENCE_END.search(block.text) is not None
    )
