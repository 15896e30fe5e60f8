"""Golden cases: tests/data/provenance/cases/<case>.html|xml beside <case>.expected.json.

Hand-written pages for the interactions the corpus does not isolate: an agency reprint
with a canonical to another paper, an agency's own page, a paper that cites outlets and
uses agency material, and a WordPress feed entry ingested without fetching the page.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from workers.extract import extract_page, page_from_entry
from workers.model import Provenance
from workers.parse import parse_feed
from workers.provenance import PublisherRegistry, detect

CASES = Path(__file__).parent / "data" / "provenance" / "cases"
NAMES = sorted(p.name.removesuffix(".expected.json") for p in CASES.glob("*.expected.json"))


def _run(name: str, expected: dict[str, Any]) -> Provenance:
    registry = PublisherRegistry.bundled()
    if expected.get("feed_only"):
        feed = parse_feed((CASES / f"{name}.xml").read_bytes(), url=expected["url"] + "feed/")
        entry = feed.entries[0]
        return detect(page_from_entry(entry), entry, registry)
    page = extract_page((CASES / f"{name}.html").read_bytes(), url=expected["url"])
    return detect(page, None, registry)


@pytest.mark.parametrize("name", NAMES, ids=NAMES)
def test_golden_case(name: str) -> None:
    expected = json.loads((CASES / f"{name}.expected.json").read_text("utf-8"))

    result = _run(name, expected)

    if expected["origin"] is None:
        assert result.origin is None, result.evidence
    else:
        assert result.origin is not None, result.evidence
        got = result.origin.publisher
        assert {"name": got.name, "domain": got.domain, "url": result.origin.url} == (
            expected["origin"]
        )
        assert result.origin.is_agency == expected["is_agency"]
    assert set(expected["signals"]) <= {e.signal for e in result.evidence}
    assert [c.name for c in result.cited_sources] == expected["cited"]
    assert list(result.notices) == expected["notices"]
