"""The case this project exists for: an aggregator's copy of an NV article (issue 3).

tests/data/seed/aggregator.html wraps the shared corpus text (aggregator-copy.txt) in an
aggregator page; origin.html is NV's own page of the same story.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from workers.extract import extract_page
from workers.model import Page, Provenance
from workers.parse import parse_feed
from workers.provenance import PublisherRegistry, detect

SEED = Path(__file__).parent / "data" / "seed"
COPY_URL = "https://newshub.example/news/since-start-full-scale-war-1-095512345.html"
ORIGIN_URL = (
    "https://english.nv.ua/nation/since-start-of-full-scale-war-1-762-ukrainians-have-returned"
    "-from-russian-captivity-50306331.html"
)


def _normalised(page: Page, provenance: Provenance) -> str:
    """The text the pipeline publishes: page text without provenance notices."""
    drop = set(provenance.notices)
    return "\n\n".join(p for p in page.paragraphs if p not in drop)


@pytest.fixture
def copy_page() -> Page:
    return extract_page((SEED / "aggregator.html").read_bytes(), url=COPY_URL)


@pytest.fixture
def copy_provenance(copy_page: Page) -> Provenance:
    feed = parse_feed((SEED / "aggregator.xml").read_bytes(),
                      url="https://newshub.example/world/rss")
    return detect(copy_page, feed.entries[0], PublisherRegistry.bundled())


def test_seed_copy_has_nv_as_origin(copy_provenance: Provenance) -> None:
    origin = copy_provenance.origin

    assert origin is not None
    assert origin.publisher.name == "The New Voice of Ukraine"
    assert origin.publisher.domain == "english.nv.ua"
    assert origin.confidence >= 0.9
    assert not origin.is_agency
    assert any(e.signal == "footer" and "Read the original article" in e.detail
               for e in copy_provenance.evidence)


def test_seed_copy_normalised_text_drops_footer_and_teasers(
    copy_page: Page, copy_provenance: Provenance
) -> None:
    text = _normalised(copy_page, copy_provenance)

    assert copy_provenance.notices == ("Read the original article on The New Voice of Ukraine",)
    assert "Read the original article" not in text
    assert "Read also" not in text
    assert text.endswith("the UK’s Guardian newspaper reported on Jan. 26.")


def test_seed_copy_cites_the_guardian_and_a_belgian_report(
    copy_provenance: Provenance,
) -> None:
    cited = {c.name: c for c in copy_provenance.cited_sources}

    assert set(cited) == {"The Guardian", "Belgian news report"}
    assert cited["The Guardian"].domain == "theguardian.com"
    assert cited["The Guardian"].how == "reported"
    assert "6,543 Russian soldiers" in cited["The Guardian"].sentence
    assert cited["Belgian news report"].how == "according_to"
    assert cited["Belgian news report"].sentence.startswith("According to a Belgian news report")
    assert copy_provenance.origin is not None
    assert copy_provenance.origin.publisher.name not in cited


def test_seed_origin_page_is_its_own_origin() -> None:
    page = extract_page((SEED / "origin.html").read_bytes(), url=ORIGIN_URL)
    feed = parse_feed((SEED / "nv.xml").read_bytes(), url="https://english.nv.ua/rss")

    result = detect(page, feed.entries[0], PublisherRegistry.bundled())

    assert result.origin is None
    assert result.notices == ()
