"""The phrase catalogues are data: complete for every language, and extensible without code."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import pytest

from workers.model import PublisherRef
from workers.provenance.catalogue import compile_catalogue
from workers.provenance.footers import footer_evidence
from workers.provenance.names import clean_origin
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


# Notices whose "outlet" is the site itself or a date (notices.json "not_outlets").
NOT_OUTLETS = [
    ("own website", "en", "This article was first published on our website on Friday."),
    ("weekday", "en", "This story was first published on Monday."),
    ("month first date", "en", "This article was first published on March 3, 2025 and updated."),
    ("print line", "en", "A version of this article appeared in print on March 4, 2025, "
     "Section A, Page 1 of the New York edition with the headline: Storm Hits."),
    ("own print edition", "de", "Dieser Artikel erschien zuerst in unserer Printausgabe."),
    ("own paper edition", "fr", "Cet article a d'abord été publié dans notre édition papier."),
    ("own printed issue", "ru", "Материал впервые опубликован в нашем печатном номере."),
]
# ... while another outlet's edition still names that outlet.
EDITIONS = [
    ("issue of", "en", "This article appeared in the March 2025 issue of The Atlantic.",
     "The Atlantic"),
    ("Printausgabe der", "de", "Der Artikel erschien zuerst in der Printausgabe der Zeit.", "Zeit"),
]


def _footer(lang: str, line: str) -> PublisherRef | None:
    catalogue = compile_catalogue(_data("footers.json"), _data("cited.json"),
                                  _data("notices.json"))
    found = footer_evidence(line, (), page_host="news.example", phrases=catalogue.phrases(lang),
                            registry=PublisherRegistry.bundled())
    return found.origin if found is not None else None


@pytest.mark.parametrize(("lang", "line"), [c[1:] for c in NOT_OUTLETS],
                         ids=[c[0] for c in NOT_OUTLETS])
def test_a_notice_naming_the_site_itself_or_a_date_names_no_outlet(lang: str, line: str) -> None:
    assert _footer(lang, line) is None


@pytest.mark.parametrize(("lang", "line", "name"), [c[1:] for c in EDITIONS],
                         ids=[c[0] for c in EDITIONS])
def test_an_edition_of_another_outlet_names_that_outlet(lang: str, line: str, name: str) -> None:
    found = _footer(lang, line)
    assert found is not None
    assert found.name == name
