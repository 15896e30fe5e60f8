"""Extraction: golden pages (tests/data/pages/<case>.html beside <case>.expected.json),
the shared seed pages, the raw provenance signals, and robustness on hostile input."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from workers.boilerplate import boilerplate
from workers.charset import decode_html
from workers.errors import ExtractError
from workers.extract import extract_page, page_from_entry
from workers.html_meta import parse_datetime, strip_site_suffix
from workers.model import FeedEntry, Page

DATA = Path(__file__).parent / "data"
PAGES = DATA / "pages"
SEED = DATA / "seed"
CASES = sorted(p.name.removesuffix(".expected.json") for p in PAGES.glob("*.expected.json"))
AGGREGATOR_URL = "https://newshub.example/news/since-start-full-scale-war-1-095512345.html"
ORIGIN_URL = ("https://english.nv.ua/nation/since-start-of-full-scale-war-1-762-ukrainians-"
              "have-returned-from-russian-captivity-50306331.html")


def _expected(case: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((PAGES / f"{case}.expected.json").read_text("utf-8"))
    return data


def _golden(case: str) -> Page:
    expected = _expected(case)
    html = (PAGES / f"{case}.html").read_bytes()
    return extract_page(html, url=expected["url"], charset=expected["charset"])


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def test_there_are_enough_golden_pages() -> None:
    assert len(CASES) >= 12


@pytest.mark.parametrize("case", CASES, ids=CASES)
def test_golden_metadata(case: str) -> None:
    expected, page = _expected(case), _golden(case)
    assert page.title == expected["title"]
    assert list(page.authors) == expected["authors"]
    assert _iso(page.published_at) == expected["published_at"]
    assert _iso(page.updated_at) == expected["updated_at"]
    assert page.language == expected["language"]
    assert page.publisher.name == expected["publisher"]["name"]
    assert page.publisher.domain == expected["publisher"]["domain"]
    assert page.canonical_url == expected["canonical_url"]


@pytest.mark.parametrize("case", CASES, ids=CASES)
def test_golden_text(case: str) -> None:
    expected, page = _expected(case), _golden(case)
    assert page.paragraphs[0] == expected["first_paragraph"]
    assert page.paragraphs[-1] == expected["last_paragraph"]
    assert len(page.paragraphs) == expected["paragraph_count"]
    assert list(page.paragraphs) == expected["paragraphs"]
    assert page.text == "\n\n".join(expected["paragraphs"])
    assert list(page.signals.removed) == expected["removed"]
    assert page.signals.head_text == page.text[:300]


@pytest.mark.parametrize("case", CASES, ids=CASES)
def test_golden_dates_are_aware_utc(case: str) -> None:
    page = _golden(case)
    for value in (page.published_at, page.updated_at):
        assert value is None or value.tzinfo == UTC


# (case, a footer line, whether it is inside the article container, kept in the text)
FOOTERS = [
    ("wordpress_post", "The post City council approves new cycle lanes on Harbour Road appeared "
     "first on Portside Gazette.", True, True),
    ("cc_republication", "This article is republished from The Conversation under a Creative "
     "Commons license. Read the original article.", True, True),
    ("ap_wire_reprint", "Copyright 2024 The Associated Press. All rights reserved. This material "
     "may not be published, broadcast, rewritten or redistributed without permission.", True,
     False),
    ("german_news", "Quelle: dpa", False, False),
    ("ukrainian_news", "© 2024 Столичні вісті. Використання матеріалів дозволяється за умови "
     "посилання на stolychni-visti.example.", False, False),
]


@pytest.mark.parametrize(("case", "line", "in_main", "in_text"), FOOTERS,
                         ids=[f[0] for f in FOOTERS])
def test_footers_stay_in_tail(case: str, line: str, in_main: bool, in_text: bool) -> None:
    page = _golden(case)
    tail = {block.text: block for block in page.signals.tail}
    assert line in tail
    assert tail[line].in_main is in_main
    assert (line in page.paragraphs) is in_text


def test_tail_keeps_footer_links_absolute() -> None:
    page = _golden("cc_republication")
    notice = next(b for b in page.signals.tail if b.text.startswith("This article is republished"))
    assert notice.links == (
        ("The Conversation", "https://theconversation.example"),
        ("original article", "https://theconversation.example/why-koalas-are-disappearing-"
         "from-the-nsw-south-coast-218340"),
    )


def _seed_copy_paragraphs() -> list[str]:
    """aggregator-copy.txt without its headline, the two caption lines and the teasers."""
    blocks = (SEED / "aggregator-copy.txt").read_text("utf-8").split("\n\n")
    assert blocks[1] == "President Volodymyr Zelenskyy\nPresident Volodymyr Zelenskyy"
    return [b for b in blocks[2:] if not b.startswith("Read also:")]


def test_seed_aggregator_extracts_to_the_copy() -> None:
    page = extract_page((SEED / "aggregator.html").read_bytes(), url=AGGREGATOR_URL)
    copy = (SEED / "aggregator-copy.txt").read_text("utf-8")
    assert page.title == copy.split("\n\n")[0]
    assert list(page.paragraphs) == _seed_copy_paragraphs()
    assert page.signals.removed.count("President Volodymyr Zelenskyy") == 1
    assert sum(r.startswith("Read also:") for r in page.signals.removed) == 3
    footer = [b for b in page.signals.tail
              if b.text == "Read the original article on The New Voice of Ukraine"]
    assert len(footer) == 1
    assert footer[0].in_main
    assert page.publisher.name == "NewsHub"
    assert page.publisher.domain == "newshub.example"


def test_seed_origin_has_the_same_story_without_footer() -> None:
    page = extract_page((SEED / "origin.html").read_bytes(), url=ORIGIN_URL)
    assert list(page.paragraphs) == _seed_copy_paragraphs()[:-1]
    assert page.publisher.name == "The New Voice of Ukraine"
    assert page.publisher.domain == "english.nv.ua"
    assert page.authors == ("NV",)
    assert page.published_at == datetime(2023, 2, 25, 7, 41, tzinfo=UTC)
    assert page.updated_at == datetime(2023, 2, 25, 8, 2, tzinfo=UTC)


def test_seed_aggregator_jsonld_keeps_provider() -> None:
    page = extract_page((SEED / "aggregator.html").read_bytes(), url=AGGREGATOR_URL)
    (article,) = page.signals.jsonld
    assert article["provider"] == {"@type": "Organization", "name": "The New Voice of Ukraine"}
    assert page.signals.og_site_name == "NewsHub"
    assert page.signals.og_url == AGGREGATOR_URL
    assert page.signals.canonical == AGGREGATOR_URL


# (case, lower-cased meta key, its content)
META_SIGNALS = [
    ("ap_wire_reprint", "original-source",
     "https://apnews.example/article/ukraine-russia-war-drones-bryansk-7a1c"),
    ("ap_wire_reprint", "syndication-source",
     "https://apnews.example/article/ukraine-russia-war-drones-bryansk-7a1c"),
    ("cc_republication", "dc.source",
     "https://theconversation.example/why-koalas-are-disappearing-from-the-nsw-south-coast-218340"),
    ("german_news", "original-source", "https://www.dpa.example/meldung/bahnstreik-gdl-gueterverkehr"),
    ("spanish_news", "syndication-source",
     "https://www.efe.example/espana/2024-02-20/plan-sequia-andalucia"),
]


@pytest.mark.parametrize(("case", "key", "content"), META_SIGNALS,
                         ids=[f"{c}-{k}" for c, k, _ in META_SIGNALS])
def test_meta_signals_are_raw(case: str, key: str, content: str) -> None:
    assert _golden(case).signals.meta[key] == content


def test_jsonld_graph_is_flattened_and_references_resolved() -> None:
    page = _golden("jsonld_graph")
    kinds = [obj["@type"] for obj in page.signals.jsonld]
    assert kinds == ["NewsArticle", "WebPage"]
    article = page.signals.jsonld[0]
    assert article["publisher"]["name"] == "Gulf Coast Ledger"
    assert [a["name"] for a in article["author"]] == ["Sam Whitaker", "Dana Ortiz"]
    assert article["isBasedOn"] == "https://downeastreport.example/stories/seaweed-boom-2024"


def test_jsonld_keeps_source_organization() -> None:
    (article,) = _golden("ap_wire_reprint").signals.jsonld
    assert article["sourceOrganization"]["name"] == "Associated Press"
    assert article["copyrightHolder"]["name"] == "The Associated Press"


def test_wire_dateline_is_in_head_text() -> None:
    assert _golden("ap_wire_reprint").signals.head_text.startswith("KYIV, Ukraine (AP) —")
    assert _golden("german_news").signals.head_text.startswith("Berlin (dpa) –")


TEASERS = [
    ("Read also: About 2,000 Azovstal defenders", 0.8, True),
    ("READ MORE: What does an amber weather warning mean?", 0.7, True),
    ("Related: Storm Babet hits Scotland", 0.6, True),
    ("See also – How storms get their names", 0.0, True),
    ("Lesen Sie auch: Welche Rechte Fahrgäste haben", 0.7, True),
    ("À lire aussi : Vol annulé, quels droits ?", 0.6, True),
    ("Lire aussi : Air France-KLM retrouve les bénéfices", 0.7, True),
    ("Lee también: Málaga endurece las restricciones", 0.7, True),
    ("Leer más: La sequía en cifras", 0.7, True),
    ("Leggi anche: Il governo approva il decreto", 0.7, True),
    ("Leia também: Governo anuncia novo pacote", 0.7, True),
    ("Czytaj też: Rząd przyjął projekt budżetu", 0.7, True),
    ("Czytaj także: Sejm uchwalił ustawę", 0.7, True),
    ("Читайте також: Міст Метро: коли завершать ремонт", 0.7, True),
    ("Читайте также: Мост Метро: когда завершат ремонт", 0.7, True),
    ("Articoli correlati: Milano, la nuova linea apre", 0.7, True),
    ("Relacionados: Lisboa alarga zonas de estacionamento", 0.7, True),
    ("По теме: В Петербурге закроют две станции метро", 0.7, True),
    ("Пов'язане: У Львові відкрили новий центр", 0.7, True),
    ("More from The Daily Ledger", 0.6, True),
    ("Más de La Vanguardia", 0.7, True),
    ("Más de 200 personas murieron en las inundaciones.", 0.0, False),
    ("Related research shows that storms are getting stronger.", 0.0, False),
    ("Read more widely, the report says, and you will see the gap.", 0.0, False),
    ("Ukraine has set up a hotline called “I Want to Live”.", 0.0, False),
]


@pytest.mark.parametrize(("line", "link_ratio", "teaser"), TEASERS,
                         ids=[t[0][:24] for t in TEASERS])
def test_teasers_by_language(line: str, link_ratio: float, teaser: bool) -> None:
    assert boilerplate().is_teaser(line, link_ratio) is teaser


TITLES = [
    ("Storm hits coast | Daily Courier", "Daily Courier", "Storm hits coast"),
    ("Since start of war, 1,762 returned - NewsHub", None, "Since start of war, 1,762 returned"),
    ("Harbor Gazette :: Ferry service to Grand Island suspended", None,
     "Ferry service to Grand Island suspended"),
    ("Ukraine: the long war", None, "Ukraine: the long war"),
    ("A - B", None, "A - B"),
]


@pytest.mark.parametrize(("title", "site", "expected"), TITLES, ids=[t[0][:20] for t in TITLES])
def test_site_suffix_is_stripped(title: str, site: str | None, expected: str) -> None:
    assert strip_site_suffix(title, site) == expected


DATES = [
    ("2023-02-25T09:41:00+02:00", datetime(2023, 2, 25, 7, 41, tzinfo=UTC)),
    ("2023-02-25T09:55:12.000Z", datetime(2023, 2, 25, 9, 55, 12, tzinfo=UTC)),
    ("2023-06-02 09:15", datetime(2023, 6, 2, 9, 15, tzinfo=UTC)),
    ("2023-06-02", datetime(2023, 6, 2, tzinfo=UTC)),
    ("Sat, 25 Feb 2023 09:41:00 +0200", datetime(2023, 2, 25, 7, 41, tzinfo=UTC)),
    ("yesterday", None),
    ("", None),
]


@pytest.mark.parametrize(("value", "expected"), DATES, ids=[d[0] or "empty" for d in DATES])
def test_dates_parse_to_aware_utc(value: str, expected: datetime | None) -> None:
    assert parse_datetime(value) == expected


CP1251_PAGE = ('<html><head><meta charset="windows-1251"><title>Новини</title></head>'
               "<body><p>Київ — столиця України.</p></body></html>")
CHARSETS = [
    ("header-wrong-meta-right", CP1251_PAGE.encode("cp1251"), "utf-8", "Київ — столиця України."),
    ("latin1-label-on-utf8", "<p>Grève à Orly</p>".encode(), "iso-8859-1", "Grève à Orly"),
    ("meta-only", CP1251_PAGE.encode("cp1251"), None, "Київ — столиця України."),
    ("unknown-label", "<p>Grève</p>".encode(), "x-no-such-charset", "Grève"),
    ("bad-bytes", b"<p>caf\xe9 \xff</p>", None, "caf\ufffd \ufffd"),
    ("bom", b"\xef\xbb\xbf<p>Bom \xc3\xa0 bord</p>", "iso-8859-1", "Bom à bord"),
]


@pytest.mark.parametrize(("data", "charset", "text"), [c[1:] for c in CHARSETS],
                         ids=[c[0] for c in CHARSETS])
def test_charset_choice(data: bytes, charset: str | None, text: str) -> None:
    assert text in decode_html(data, charset)


def test_wrong_charset_header_still_extracts() -> None:
    page = _golden("french_latin1")
    assert "réduire de moitié" in page.paragraphs[0]


EMPTY_PAGES = [
    ("empty", b"", "empty response body"),
    ("blank", b"  \n ", "empty response body"),
    ("no-text", b"<html><head></head><body>\n</body></html>", "neither text nor a title"),
    ("only-script", b"<html><body><script>var x = 1;</script></body></html>",
     "neither text nor a title"),
]


@pytest.mark.parametrize(("html", "message"), [e[1:] for e in EMPTY_PAGES],
                         ids=[e[0] for e in EMPTY_PAGES])
def test_empty_pages_raise(html: bytes, message: str) -> None:
    with pytest.raises(ExtractError, match=message) as caught:
        extract_page(html, url="https://example.test/a")
    assert caught.value.url == "https://example.test/a"


def test_non_article_returns_what_there_is() -> None:
    page = extract_page((PAGES / "not_an_article.html").read_bytes(),
                        url="https://globalwiredigest.example/world")
    assert page.title == "World"
    assert page.publisher.name == "Global Wire Digest"
    assert page.published_at is None


def test_deep_nesting_does_not_recurse() -> None:
    depth = 20_000
    html = ("<html><body>" + "<div>" * depth + "<p>Deep inside the markup there is one "
            "paragraph of real text.</p>" + "</div>" * depth + "</body></html>").encode()
    page = extract_page(html, url="https://example.test/deep")
    assert page.paragraphs == ("Deep inside the markup there is one paragraph of real text.",)


def test_huge_page_keeps_every_paragraph() -> None:
    paragraph = "<p>Paragraph {} of a very long report, with enough words to count as prose.</p>"
    body = "".join(paragraph.format(i) for i in range(20_000))
    html = f"<html><body><nav><a href='/'>Home</a></nav><article>{body}</article></body></html>"
    page = extract_page(html.encode(), url="https://example.test/huge")
    assert len(page.paragraphs) == 20_000
    assert page.paragraphs[-1].startswith("Paragraph 19999 ")


def _entry(**overrides: Any) -> FeedEntry:
    fields: dict[str, Any] = {
        "feed_url": "https://newshub.example/rss", "entry_id": "tag:newshub.example,2023:1",
        "guid_is_permalink": False, "link": AGGREGATOR_URL, "title": "Feed title",
        "summary": None, "content_html": None, "authors": ("Feed Author",),
        "published_at": datetime(2023, 2, 25, 9, 0, tzinfo=UTC), "updated_at": None,
        "language": "en-us", "image": None, "feed_title": "NewsHub",
    }
    fields.update(overrides)
    return FeedEntry(**fields)


def test_og_title_loses_the_exact_site_name_only() -> None:
    html = ('<html><head><meta property="og:site_name" content="Daily Courier">'
            '<meta property="og:title" content="Storm hits coast | Daily Courier"></head>'
            "<body><p>Body text of the story, long enough to count.</p></body></html>")
    assert extract_page(html.encode(), url="https://dc.example/a").title == "Storm hits coast"
    kept = html.replace('content="Daily Courier"', 'content="Daily Courier Media"')
    assert extract_page(kept.encode(), url="https://dc.example/a").title == (
        "Storm hits coast | Daily Courier")


def test_entry_fills_what_the_page_lacks() -> None:
    html = b"<html><body><article><p>One paragraph of the story that the page has.</p>" \
           b"</article></body></html>"
    page = extract_page(html, url="https://www.newshub.example/a", entry=_entry())
    assert page.title == "Feed title"
    assert page.authors == ("Feed Author",)
    assert page.published_at == datetime(2023, 2, 25, 9, 0, tzinfo=UTC)
    assert page.language == "en"
    assert page.publisher.name == "NewsHub"
    assert page.publisher.domain == "newshub.example"


def test_page_from_entry_content() -> None:
    content = (
        '<figure><img src="/a.jpg" alt="Zelenskyy"><figcaption>Zelenskyy</figcaption></figure>'
        "<p>First paragraph of the feed copy of the story.</p>"
        '<p><strong>Read also:</strong> <a href="https://english.nv.ua/x">Another story</a></p>'
        "<p>Second paragraph of the feed copy of the story.</p>"
        "<p>Read the original article on The New Voice of Ukraine</p>"
    )
    page = page_from_entry(_entry(content_html=content))
    assert page.from_feed_only
    assert page.paragraphs == (
        "First paragraph of the feed copy of the story.",
        "Second paragraph of the feed copy of the story.",
        "Read the original article on The New Voice of Ukraine",
    )
    assert page.signals.removed == ("Zelenskyy", "Read also: Another story")
    assert page.signals.tail[-1].text == "Read the original article on The New Voice of Ukraine"
    assert page.signals.tail[-1].in_main
    assert page.publisher.name == "NewsHub"
    assert page.publisher.domain == "newshub.example"
    assert page.url == AGGREGATOR_URL


def test_page_from_entry_summary_only() -> None:
    page = page_from_entry(_entry(summary="First <line> & more.\n\nSecond line."))
    assert page.paragraphs == ("First <line> & more.", "Second line.")
    assert page.title == "Feed title"


def test_page_from_empty_entry_raises() -> None:
    with pytest.raises(ExtractError):
        page_from_entry(_entry(title=None))


def test_div_soup_links_follow_their_lines() -> None:
    lines = "<br><br>".join(f'Line {i} of an old page, see <a href="/n/{i}">note {i}</a> here.'
                            for i in range(20_000))
    html = f"<html><body><div>{lines}</div></body></html>"
    page = extract_page(html.encode(), url="https://example.test/old/page.html")
    assert len(page.paragraphs) == 20_000
    last = page.signals.tail[-1]
    assert last.text == "Line 19999 of an old page, see note 19999 here."
    assert last.links == (("note 19999", "https://example.test/n/19999"),)
