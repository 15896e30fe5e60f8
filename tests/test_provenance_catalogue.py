"""The phrase catalogues are data: complete for every language, and extensible without code."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import pytest

from workers.model import PublisherRef
from workers.provenance.catalogue import compile_catalogue
from workers.provenance.footers import clean_origin, footer_evidence
from workers.provenance.registry import PublisherRegistry

LANGUAGES = ("en", "de", "fr", "es", "it", "pt", "pl", "uk", "ru")


def _data(name: str) -> dict[str, Any]:
    text = resources.files("workers.provenance").joinpath(f"data/{name}").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


@pytest.mark.parametrize("lang", LANGUAGES, ids=LANGUAGES)
def test_every_language_has_every_kind_of_notice(lang: str) -> None:
    footers = _data("footers.json")
    kinds = {e["signal"] for e in footers[lang]}

    assert kinds == {"footer", "republished", "cc_notice", "wordpress_footer", "distributed_by",
                     "partnership", "source_line"}
    assert all("{origin}" in e["pattern"] and 0 < e["weight"] <= 1 for e in footers[lang])
    assert _data("cited.json")[lang]["patterns"]


def test_a_language_is_added_as_data() -> None:
    footers = _data("footers.json")
    dutch = "dit artikel verscheen (?:eerder|oorspronkelijk) (?:bij|op|in) {origin}"
    footers["nl"] = [{"signal": "footer", "weight": 0.9, "pattern": dutch}]
    catalogue = compile_catalogue(footers, _data("cited.json"))
    line = "Dit artikel verscheen eerder bij NRC."

    found = footer_evidence(line, (("NRC", "https://www.nrc.nl/"),), page_host="nieuws.example",
                            phrases=catalogue.phrases("nl"), registry=PublisherRegistry.bundled())

    assert found is not None
    assert (found.signal, found.language) == ("footer", "nl")
    assert found.origin == PublisherRef("NRC", "nrc.nl")


CLEAN = [
    ("plain", "The Kyiv Independent", "The Kyiv Independent"),
    ("quoted", "«Українська правда»", "Українська правда"),
    ("date after on", "example.com on 12 March 2024", "example.com"),
    ("date after comma", "Le Monde, 05.03.2024", "Le Monde"),
    ("numbers only", "2019", None),
    ("a sentence, not a name", "the website of the regional council of the northern districts "
     "of the country last year", None),
]


@pytest.mark.parametrize(("raw", "expected"), [c[1:] for c in CLEAN], ids=[c[0] for c in CLEAN])
def test_clean_origin(raw: str, expected: str | None) -> None:
    assert clean_origin(raw) == expected
