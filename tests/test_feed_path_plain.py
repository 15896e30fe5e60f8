"""The feeds-only path without a layout gives exactly what the layout route gives.

``page_from_entry`` reads plain feed content (paragraphs with no markup, or a plain-text
summary) as a list of block texts (``extract._plain_texts``) and picks the article from
them (``maintext.plain_main_text``), without building the ``Layout`` that
``extract.plain_layout`` makes and ``maintext.main_text`` reads. Each piece is compared
with what it stands in for: the page with the route forced, the paragraphs with the
``_PLAIN_PARAGRAPHS`` regex, ``normalise`` and ``Boilerplate.is_listed`` with their
definitions.
"""

from __future__ import annotations

import itertools
import sys
from datetime import UTC, datetime

import pytest

from tests.test_feed_path_fast import ODD_TEXTS, _entries
from workers import extract
from workers.blocks import _INVISIBLE, normalise
from workers.boilerplate import boilerplate
from workers.extract import page_from_entry, plain_layout
from workers.maintext import main_text, plain_main_text
from workers.model import FeedEntry

URL = "http://site.example/a"

# Lines the catalogue sets aside, and texts near them.
LISTED = [
    "Read also: a teaser line",
    "READ ALSO - shouted",
    "Related",
    "Related stories describe the flood",
    "By Jane Doe",
    "By Jane Doe.",
    "By a reporter who writes a long sentence with many words in it",
    "Photo: Someone/Agency",
    "Subscribe to our newsletter",
    "ΣΑΣ title with sigma",
    "İstanbul bureau",
    "(AP) wire",
    "_ _ _",
    "…",
]
TEXTS = [t for t in ODD_TEXTS if t] + LISTED


def _entry(
    *, content: str | None = None, summary: str | None = None, title: str | None = None
) -> FeedEntry:
    return FeedEntry(
        feed_url="http://site.example/feed",
        entry_id="id",
        guid_is_permalink=False,
        link=URL,
        title=title,
        summary=summary,
        content_html=content,
        authors=(),
        published_at=datetime(2026, 1, 1, tzinfo=UTC),
        updated_at=None,
        language="en",
        image=None,
    )


def _page(entry: FeedEntry) -> object:
    try:
        return page_from_entry(entry)
    except Exception as e:
        return repr(e)


def _layout_page(entry: FeedEntry, monkeypatch: pytest.MonkeyPatch) -> object:
    """The page by ``fragment_layout`` or ``_summary_layout`` and ``main_text``."""
    with monkeypatch.context() as patch:
        patch.setattr(extract, "_plain_texts", lambda entry: None)
        return _page(entry)


def _synthetic_entries() -> list[FeedEntry]:
    out: list[FeedEntry] = []
    titles = [None, "Plain words here", "READ ALSO: A TEASER LINE", "By Jane Doe"]
    for start, title in itertools.product(range(0, len(TEXTS), 3), titles):
        texts = [*TEXTS[start:], *TEXTS[:start]][:7]
        doubled = [*texts, texts[0], texts[-1]]
        for paragraphs in (texts, doubled, texts[::-1], LISTED[:3] + texts):
            out.append(_entry(content="".join(f"<p>{p}</p>" for p in paragraphs), title=title))
            out.append(_entry(content="\n".join(f" <p>{p}</p>" for p in paragraphs), title=title))
            out.append(_entry(summary="\n\n".join(paragraphs), title=title))
            out.append(_entry(summary=" ".join(paragraphs), title=title))
    for odd in [*ODD_TEXTS, "a\x00b", "lone \ud800", "\r\n\r\n two \r\n \r\nparts ", "\n", "x\n"]:
        for title in (None, "x"):
            out.append(_entry(summary=odd, title=title))
            out.append(_entry(content=f"<p>{odd}</p>", title=title))
            out.append(_entry(content=odd or None, summary=odd, title=title))
    return out


def test_page_from_entry_is_the_layout_routes(monkeypatch: pytest.MonkeyPatch) -> None:
    entries = [*_entries(), *_synthetic_entries()]
    plain = 0
    for entry in entries:
        plain += extract._plain_texts(entry) is not None
        assert _page(entry) == _layout_page(entry, monkeypatch), entry
    assert plain > len(entries) // 2  # the shortcut is compared, not only the layout route


FRAGMENTS = [
    "<p>one</p><p>two</p>",
    "\n  <p>one</p>\n\n<p>two</p>\r\n",
    "<p>one</p> <p></p> <p>   </p><p>\u200b</p>",
    "<p>a &amp; b</p>",
    '<p class="x">styled</p>',
    "<p>one<p>two",
    "<p>one</p><p>two",
    "<p>one</p>two",
    "<P>upper</P>",
    "<p>a <em>b</em></p>",
    "<p>a < b</p>",
    "<p>a </p</p>",
    "<p>a</p></p>",
    "<p>nul \x00 inside</p>",
    "<p>lone \ud800 surrogate</p>",
    "text before <p>para</p>",
    "\x0c<p>form feed</p>",
    "<p>form feed</p>\x0c",
    "<p>x</p>\u00a0<p>y</p>",
    "<p></p>",
    "<p>",
    "</p>",
    "plain",
    *("".join(f"<p>{t}</p>" for t in TEXTS[i:]) for i in range(len(TEXTS))),
]


@pytest.mark.parametrize("fragment", FRAGMENTS)
def test_plain_paragraphs_are_the_regex(fragment: str) -> None:
    paragraphs = extract._plain_paragraphs(fragment)
    plain = paragraphs is not None and not any(extract._UNSAFE_TEXT.search(p) for p in paragraphs)
    assert plain == bool(extract._PLAIN_PARAGRAPHS.fullmatch(fragment))
    if plain:
        assert paragraphs == extract._PARAGRAPH_TEXT.findall(fragment)


def test_plain_paragraphs_are_the_regex_on_feeds() -> None:
    for entry in _entries():
        if entry.content_html:
            test_plain_paragraphs_are_the_regex(entry.content_html)


@pytest.mark.parametrize("summary", [*TEXTS, "a\n \nb", "a\r\n\r\nb", "a\nb", "\n\n", "a\n\n\n"])
def test_summary_paragraphs_are_the_regex(summary: str) -> None:
    expected = [p for p in (p.strip() for p in extract._LINE_BREAKS.split(summary)) if p]
    assert extract._summary_paragraphs(summary) == expected


def _reference_normalise(text: str) -> str:
    return " ".join(_INVISIBLE.sub("", text).split())


def test_normalise_is_its_definition() -> None:
    samples = [*TEXTS, "", " ", "a  b", " a", "a ", "a\u00a0b", "a\u2028b", "\u00ad", "x\ufeff"]
    for text in samples:
        assert normalise(text) == _reference_normalise(text)
    for code in range(sys.maxunicode + 1):
        if 0xD800 <= code <= 0xDFFF:
            continue
        char = chr(code)
        for text in (char, f"a{char}b", f"{char} x"):
            assert normalise(text) == _reference_normalise(text), hex(code)


def test_is_listed_is_the_four_tests() -> None:
    catalogue = boilerplate()
    prefixes = {
        *catalogue.teaser_prefixes,
        *catalogue.promo_prefixes,
        *catalogue.credit_prefixes,
        *catalogue.byline_prefixes,
    }
    lines = [*TEXTS, ""]
    for prefix in sorted(prefixes):
        for line in (prefix, f"{prefix}: x", f"{prefix} Jane Doe", f"{prefix} a sentence."):
            lines += [line, line.upper(), line.title(), f"x{line}", line[:-1], f" {line}"]
    for line, ratio in itertools.product(lines, (0.0, 0.5, 1.0)):
        expected = (
            catalogue.is_teaser(line, ratio)
            or catalogue.is_promo(line)
            or catalogue.is_credit(line)
            or catalogue.is_byline(line)
        )
        assert catalogue.is_listed(line, ratio) == expected, (line, ratio)


def test_plain_main_text_is_main_text_of_the_plain_layout() -> None:
    catalogue = boilerplate()
    texts = [normalise(t) for t in TEXTS if normalise(t)]
    cases = [[], texts, texts[::-1], [*texts, *texts], LISTED, LISTED * 2, [texts[0]] * 3]
    cases += [[*LISTED[i:], *texts[:i]] for i in range(len(LISTED))]
    cases += [[*texts[i:], *texts[:i]][:3] for i in range(9)]
    cases.append([*(LISTED[:8] * 2), "Story"])
    for case, title in itertools.product(cases, [None, "", texts[0], texts[0].upper(), "ΣΑΣ"]):
        layout = plain_layout(case, URL)
        assert layout is not None
        assert [b.text for b in layout.blocks] == case
        expected = main_text(layout, catalogue, title=title, whole=True)
        assert plain_main_text(case, catalogue, title=title) == expected, (case, title)
