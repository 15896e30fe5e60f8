"""Cited sources in body paragraphs: the citing constructions of each language, and the
sentences that name a person, an institution or a generic document and cite no outlet."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import pytest

from workers.model import CitedSource
from workers.provenance import PublisherRegistry
from workers.provenance.catalogue import _holds, bundled_catalogue
from workers.provenance.cited import cited_sources

REGISTRY = PublisherRegistry.bundled()


def _cited(paragraph: str, language: str) -> tuple[CitedSource, ...]:
    return cited_sources((paragraph,), bundled_catalogue(), REGISTRY, language)


def _names(paragraph: str, language: str) -> list[str]:
    return [c.name for c in _cited(paragraph, language)]


CITING = [
    # English: according to, verbs before and after, interviews, analyses, polls, press review.
    (
        "en",
        "Jail deaths rose sharply during the pandemic. Data analyzed by The Marshall Project "
        "shows that they have not returned to previous levels in most states.",
        ["The Marshall Project"],
        "analysed",
    ),
    (
        "en",
        "Prices rose 0.4% in February, above the 0.2% rise forecast by economists in a "
        "Reuters poll.",
        ["Reuters"],
        "poll",
    ),
    (
        "en",
        "The governor has not said whether she will sign the bill, according to the "
        "Los Angeles Times, which cited two people familiar with her thinking.",
        ["Los Angeles Times"],
        "according_to",
    ),
    (
        "en",
        "The company weighed a sale last year, The Wall Street Journal first reported on Tuesday.",
        ["The Wall Street Journal"],
        "reported",
    ),
    (
        "en",
        "“We are not going to back down,” the mayor told The Guardian in a phone call.",
        ["The Guardian"],
        "told",
    ),
    (
        "en",
        "Documents seen by Reuters show the contract was signed in January.",
        ["Reuters"],
        "reported",
    ),
    (
        "en",
        "A Bloomberg analysis of shipping data found that exports fell for a third month.",
        ["Bloomberg"],
        "analysed",
    ),
    (
        "en",
        "The minister declined to comment when asked on Sunday, Reuters later reported.",
        ["Reuters"],
        "reported",
    ),
    # German: laut, zufolge, "wie X (zuerst / am Wochenende) berichtete", interviews.
    (
        "de",
        "Wie der «Spiegel» zuerst berichtete, muss fast jede dritte Notaufnahme regelmäßig "
        "Rettungswagen abweisen.",
        ["DER SPIEGEL"],
        "reported",
    ),
    (
        "de",
        "Wie die «Frankfurter Allgemeine Zeitung» am Wochenende berichtete, planen mehrere "
        "Zulieferer den Abbau von mehr als 30.000 Stellen.",
        ["Frankfurter Allgemeine Zeitung"],
        "reported",
    ),
    (
        "de",
        "Über die Frage, ob Badegäste künftig mehr bezahlen müssen, berichtete zuerst die "
        "„Bild“-Zeitung unter Berufung auf ein internes Papier.",
        ["Bild"],
        "reported",
    ),
    (
        "de",
        "Dem «Spiegel» zufolge soll das Gesetz noch vor der Sommerpause beschlossen werden.",
        ["DER SPIEGEL"],
        "according_to",
    ),
    (
        "de",
        "„Wir werden das nicht hinnehmen“, sagte die Ministerin im Interview mit der "
        "«Süddeutschen Zeitung».",
        ["Süddeutsche Zeitung"],
        "told",
    ),
    # French: selon, "X a révélé" (a lower-case brand too), press review, interviews.
    (
        "fr",
        "L'affaire a pris une dimension nationale après que franceinfo a révélé mardi un "
        "rapport interne de l'Office français de la biodiversité.",
        ["franceinfo"],
        "reported",
    ),
    (
        "fr",
        "Le Soir évoque des « nuits blanches » au 16 rue de la Loi et des échanges tendus "
        "entre les partenaires.",
        ["Le Soir"],
        "press_review",
    ),
    (
        "fr",
        "Selon Le Monde, le gouvernement prépare un nouveau plan d'économies.",
        ["Le Monde"],
        "according_to",
    ),
    (
        "fr",
        "« Nous irons jusqu'au bout », a déclaré la ministre au Figaro.",
        ["Le Figaro"],
        "told",
    ),
    # Spanish: "como adelantó", press review with an aside, interviews.
    (
        "es",
        "Como adelantó El País el pasado mes, Zaragoza es una de las últimas grandes "
        "ciudades españolas en activar su ZBE.",
        ["El País"],
        "reported",
    ),
    (
        "es",
        "El Mundo destaca en su portada las críticas de varios presidentes autonómicos al "
        "reparto de la quita de la deuda.",
        ["El Mundo"],
        "press_review",
    ),
    (
        "es",
        "La Vanguardia, por su parte, se centra en el impacto de los aranceles sobre las "
        "exportaciones catalanas de vino y aceite.",
        ["La Vanguardia"],
        "press_review",
    ),
    (
        "es",
        "«No vamos a dar un paso atrás», dijo el ministro al diario El Mundo.",
        ["El Mundo"],
        "told",
    ),
    # Italian, Portuguese.
    (
        "it",
        "Come anticipato dal Corriere della Sera, il decreto arriverà in Consiglio dei "
        "ministri la prossima settimana.",
        ["Corriere della Sera"],
        "reported",
    ),
    (
        "pt",
        "Segundo o Expresso, o Governo vai aprovar o diploma na próxima semana.",
        ["Expresso"],
        "according_to",
    ),
    (
        "pt",
        "O ministro disse ao Público que a medida entra em vigor em abril.",
        ["Público"],
        "told",
    ),
    # Polish: a poll by a known outlet's service ("PAP Biznes"), "jak podaje".
    (
        "pl",
        "Ekonomiści ankietowani przez PAP Biznes spodziewali się, że inflacja wyniesie 4,8 proc.",
        ["PAP Biznes"],
        "poll",
    ),
    (
        "pl",
        "Jak podaje „Rzeczpospolita”, rząd przygotowuje nowelizację ustawy.",
        ["Rzeczpospolita"],
        "reported",
    ),
    # Ukrainian and Russian: a correspondent of an agency, a poll by an agency.
    (
        "uk",
        "Про це повідомляє кореспондент Укрінформу з посиланням на Міністерство розвитку "
        "громад та територій.",
        ["Ukrinform"],
        "reported",
    ),
    (
        "ru",
        'Решение совпало с консенсус-прогнозом аналитиков, опрошенных "Интерфаксом".',
        ["Interfax"],
        "poll",
    ),
    (
        "ru",
        "Как сообщает «Коммерсантъ», сделка может быть закрыта до конца года.",
        ["Kommersant"],
        "reported",
    ),
]


@pytest.mark.parametrize(
    ("language", "paragraph", "names", "how"),
    CITING,
    ids=[f"{lang}-{i}" for i, (lang, *_) in enumerate(CITING)],
)
def test_citing_constructions(language: str, paragraph: str, names: list[str], how: str) -> None:
    found = _cited(paragraph, language)

    assert [c.name for c in found] == names
    assert found[0].how == how
    assert found[0].sentence in paragraph


NOT_OUTLETS = [
    # Cues are whole words: "reporters" holds no "report"; a person tells reporters.
    ("en", "“Monetary policy cannot offset the impacts of a trade war,” Macklem told reporters."),
    ("en", "Zelenskyy told reporters in Kyiv that the talks would resume next week."),
    ("en", "According to the ministry, 42 people were evacuated overnight."),
    ("en", "According to Zelenskyy, the front line held overnight."),
    # A generic document or a bare outlet word names no outlet.
    ("en", "According to a Pentagon report, the program is two years behind schedule."),
    (
        "es",
        "Madrid, 11 mar (EFE).- El precio del alquiler se situó en 13,8 euros, según el "
        "informe mensual publicado este martes por un portal inmobiliario.",
    ),
    ("es", "Una vía que, según el diario, genera recelos entre los socios."),
    ("de", "Das geht aus einer Auswertung des Mietervereins hervor, sagte ein Sprecher."),
    ("de", "Laut dem Bericht der Kommission fehlen bundesweit 400.000 Wohnungen."),
    ("fr", "Selon le ministère, 300 personnes ont été évacuées."),
    ("it", "Secondo il ministro, la misura entrerà in vigore a marzo."),
    ("pt", "Segundo o relatório, as exportações caíram 4%."),
    ("pl", "Według raportu ministerstwa bezrobocie spadło do 5 proc."),
    ("uk", "Про це повідомив Зеленський у вечірньому зверненні."),
    ("ru", "Об этом сообщил Песков журналистам."),
    # A republication notice is the page's origin, not a cited source.
    ("en", "This story was originally published by ProPublica."),
    ("en", "This report by The Canadian Press was first published March 12, 2025."),
    ("fr", "Cet article a été initialement publié par Libération."),
    ("it", "Articolo originariamente pubblicato su La Stampa."),
    ("de", "Dieser Beitrag wurde zuerst auf Süddeutsche Zeitung veröffentlicht."),
]


@pytest.mark.parametrize(
    ("language", "paragraph"),
    NOT_OUTLETS,
    ids=[f"{lang}-{i}" for i, (lang, _) in enumerate(NOT_OUTLETS)],
)
def test_people_institutions_documents_and_notices_are_not_cited(
    language: str, paragraph: str
) -> None:
    assert _names(paragraph, language) == []


def test_a_date_after_a_known_outlet_is_not_part_of_its_name() -> None:
    assert _names("The senator told CNN Sunday that she would vote no.", "en") == ["CNN"]


def test_a_lower_case_word_resolves_only_as_the_registry_writes_it() -> None:
    # "franceinfo" is an outlet as written; a common word in lower case is never one.
    assert _names("Selon franceinfo, le texte sera examiné mardi.", "fr") == ["franceinfo"]
    assert _names("Ce que le journal a révélé mardi reste flou.", "fr") == []


def test_filler_words_stop_at_a_clause_joiner() -> None:
    # "Le Monde et le président" is no outlet standing before its verb.
    assert _names("Le Monde et le président ont révélé un accord.", "fr") == []


def test_press_review_lists_each_outlet_once_in_order() -> None:
    paragraphs = (
        "El País abre con las negociaciones entre el Gobierno y los grupos parlamentarios.",
        "El Mundo destaca en su portada las críticas de varios presidentes autonómicos.",
        "La Vanguardia, por su parte, se centra en el impacto de los aranceles.",
        "El País insiste en la misma línea en su editorial.",
    )
    found = cited_sources(paragraphs, bundled_catalogue(), REGISTRY, "es")

    assert [c.name for c in found] == ["El País", "El Mundo", "La Vanguardia"]
    assert {c.how for c in found} == {"press_review"}


def test_a_paragraph_without_a_trigger_is_not_scanned() -> None:
    text = "Le Monde et Libération ont consacré leurs éditoriaux à la réforme des retraites."
    assert _names(text, "fr") == []


def _cited_data() -> dict[str, dict[str, list[Any]]]:
    text = resources.files("workers.provenance").joinpath("data/cited.json").read_text("utf-8")
    return {k: v for k, v in json.loads(text).items() if not k.startswith("_")}


@pytest.mark.parametrize("language", sorted(_cited_data()))
def test_triggers_stay_in_step_with_the_patterns(language: str) -> None:
    data = _cited_data()
    triggers = data[language]["triggers"] + data["en"]["triggers"]

    assert all(t == t.lower() for t in data[language]["triggers"])
    # Every pattern holds a trigger (else it is never tried) and every trigger selects one.
    for entry in data[language]["patterns"]:
        assert any(_holds(entry["pattern"], t) for t in triggers), entry["pattern"]
    for trigger in data[language]["triggers"]:
        assert any(_holds(e["pattern"], trigger) for e in data[language]["patterns"]), trigger
