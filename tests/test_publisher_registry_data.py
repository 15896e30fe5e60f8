"""Integrity of the bundled seed registry (workers/provenance/data/publishers.json)."""

from __future__ import annotations

import json
import re
from importlib import resources
from typing import Any

import pytest

from workers.model import PublisherRef
from workers.provenance.names import name_key
from workers.provenance.registry import PublisherRegistry


def _data() -> dict[str, Any]:
    text = resources.files("workers.provenance").joinpath("data/publishers.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def _entries() -> list[dict[str, Any]]:
    data = _data()
    return [*data["agencies"], *data["outlets"]]


_HOST = re.compile(r"[a-z0-9-]+(?:\.[a-z0-9-]+)+")


def test_names_are_unique() -> None:
    names = [e["name"] for e in _entries()]
    assert len(names) == len(set(names))


def test_no_two_entries_claim_one_name_key() -> None:
    owner: dict[str, str] = {}
    clashes = []
    for entry in _entries():
        for name in (entry["name"], *entry.get("aliases", ())):
            key = name_key(name)
            assert key, f"{name!r} of {entry['name']} has no identifying words"
            if owner.setdefault(key, entry["name"]) != entry["name"]:
                clashes.append((name, owner[key], entry["name"]))
    assert clashes == []


def test_every_domain_is_a_bare_host_owned_once() -> None:
    owner: dict[str, str] = {}
    for entry in _entries():
        assert entry["domains"], f"{entry['name']} has no domain"
        for domain in entry["domains"]:
            assert _HOST.fullmatch(domain), domain
            assert not domain.startswith("www."), domain
            assert owner.setdefault(domain, entry["name"]) == entry["name"], domain


def test_every_agency_has_wire_tokens_owned_once() -> None:
    owner: dict[str, str] = {}
    for agency in _data()["agencies"]:
        assert agency.get("wire"), f"{agency['name']} has no wire token"
        for token in (*agency["wire"], agency["name"]):
            assert len(token.strip()) >= 2, token
            assert owner.setdefault(token.casefold(), agency["name"]) == agency["name"], token


def test_outlets_carry_no_wire_tokens() -> None:
    assert all("wire" not in outlet for outlet in _data()["outlets"])


def test_every_wire_token_is_compiled_to_its_agency() -> None:
    from workers.provenance.catalogue import wire_patterns

    by_token = wire_patterns(PublisherRegistry.bundled()).agency_by_token
    for agency in _data()["agencies"]:
        for token in agency["wire"]:
            assert by_token[token.casefold()].name == agency["name"], token


INFLECTED = [
    ("Gazety Wyborczej", "Gazeta Wyborcza"),
    ("Gazetą Wyborczą", "Gazeta Wyborcza"),
    ("Tygodnika Powszechnego", "Tygodnik Powszechny"),
    ("Dziennika Gazety Prawnej", "Dziennik Gazeta Prawna"),
    ("Onecie", "Onet"),
    ("Wirtualnej Polsce", "Wirtualna Polska"),
    ("Polskiego Radia", "Polskie Radio"),
    ("«Української правди»", "Ukrainska Pravda"),
    ("«Українській правді»", "Ukrainska Pravda"),
    ("Європейської правди", "European Pravda"),
    ("Дзеркала тижня", "Dzerkalo Tyzhnia"),
    ("Громадського радіо", "Hromadske Radio"),
    ("Радіо Свободи", "Radio Free Europe/Radio Liberty"),
    ("Новой газете", "Novaya Gazeta"),
    ("«Новой газеты»", "Novaya Gazeta"),
    ("Коммерсанту", "Kommersant"),
    ("Медиазоны", "Mediazona"),
    ("Комсомольской правды", "Komsomolskaya Pravda"),
    ("Интерфаксу", "Interfax"),
    ("РИА Новостям", "RIA Novosti"),
    ("des Tagesspiegels", "Der Tagesspiegel"),
    ("des Spiegels", "DER SPIEGEL"),
    ("des Handelsblatts", "Handelsblatt"),
    ("der Neuen Zürcher Zeitung", "Neue Zürcher Zeitung"),
    ("des Bayerischen Rundfunks", "Bayerischer Rundfunk"),
]


@pytest.mark.parametrize(("written", "outlet"), INFLECTED, ids=[w for w, _ in INFLECTED])
def test_inflected_forms_resolve(written: str, outlet: str) -> None:
    found = PublisherRegistry.bundled().resolve(PublisherRef(name=written))

    assert found is not None
    assert found.name == outlet


SHORT_FORMS = [
    ("FT", "Financial Times"),
    ("WaPo", "The Washington Post"),
    ("NYT", "The New York Times"),
    ("SZ", "Süddeutsche Zeitung"),
    ("FAZ", "Frankfurter Allgemeine Zeitung"),
    ("NZZ", "Neue Zürcher Zeitung"),
    ("EFE", "Agencia EFE"),
    ("PTI", "Press Trust of India"),
    ("Yonhap", "Yonhap News Agency"),
    ("Українська правда", "Ukrainska Pravda"),
    ("ТАСС", "TASS"),
    ("Le Monde diplomatique", "Le Monde diplomatique"),
    ("Le Monde", "Le Monde"),
    ("The Conversation France", "The Conversation"),
]


@pytest.mark.parametrize(("written", "outlet"), SHORT_FORMS, ids=[w for w, _ in SHORT_FORMS])
def test_short_forms_resolve(written: str, outlet: str) -> None:
    found = PublisherRegistry.bundled().resolve(PublisherRef(name=written))

    assert found is not None
    assert found.name == outlet


# Ordinary words (and the bare names of outlets whose name is one) must not name an outlet:
# aliases are matched against notices and body text.
ORDINARY = [
    "Post", "Times", "Time", "Sun", "Mirror", "Star", "Independent", "Telegraph", "Express",
    "Nation", "Hill", "Age", "Wire", "Print", "Hindu", "Australian", "Insider", "Globe",
    "Welt", "Bild", "Focus", "Stern", "Blick", "Kurier", "Standard", "Presse", "Tag", "Text",
    "Point", "Tempo", "Tiempo", "Semana", "Reforma", "Universal", "Correo", "Marca",
    "Giornale", "Mattino", "Nazione", "Foglio", "Manifesto", "Domani", "Avvenire",
    "Observador", "Veja", "Fakt", "Polityka", "Wprost", "Известия", "Ведомости", "Дождь",
    "Суспільне", "Факти", "Liga", "Paper", "Journal", "Mail", "Inter", "Ian", "Kai", "CP",
]


@pytest.mark.parametrize("word", ORDINARY)
def test_ordinary_words_name_no_outlet(word: str) -> None:
    assert PublisherRegistry.bundled().resolve(PublisherRef(name=word)) is None


def test_domains_resolve_to_their_outlet() -> None:
    registry = PublisherRegistry.bundled()
    for entry in _entries():
        for domain in entry["domains"]:
            found = registry.resolve(PublisherRef(domain="www." + domain))
            assert found is not None, domain
            assert found.name == entry["name"], domain
