"""The seed fixture is the shared corpus page, byte for byte, and the HTML wraps it."""

from __future__ import annotations

import pytest

from service.demo_world import seed_lines
from tests.conftest import DATA, SHARED_CORPUS
from workers.extract import extract_page

SEED = DATA / "seed"


def test_committed_copy_matches_the_shared_corpus() -> None:
    shared = SHARED_CORPUS / "seed-aggregator-copy.txt"
    if not shared.exists():
        pytest.skip("../shared/corpus is not beside this checkout")
    assert (SEED / "aggregator-copy.txt").read_bytes() == shared.read_bytes()


def test_the_demo_bundles_the_same_page() -> None:
    text = (SEED / "aggregator-copy.txt").read_text(encoding="utf-8")
    assert seed_lines() == [line for line in text.split("\n") if line.strip()]


def test_aggregator_html_reads_as_the_seed_page() -> None:
    """A reader sees the seed text: the headline, its body, the footer last, no newline."""
    text = (SEED / "aggregator-copy.txt").read_text(encoding="utf-8")
    assert not text.endswith("\n")
    page = extract_page((SEED / "aggregator.html").read_bytes(), url="http://newshub.example/n")
    lines = [line for line in text.split("\n") if line.strip()]
    assert page.title == lines[0]
    body = [line for line in lines[3:] if not line.startswith("Read also:")]
    assert list(page.paragraphs) == body
    assert any(block.text == lines[-1] for block in page.signals.tail)
