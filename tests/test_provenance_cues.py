"""Cue notices: republication notices worded as no catalogue phrase is, in every language.

Each case is a whole page (navigation, story, the notice where sites put it, related links,
footer) through extract_page and detect. The positive lines are checked to escape the phrase
catalogues, so what finds them is the cue rule (workers/provenance/cues.py); the negative
lines carry a cue word and an outlet but are not notices.
"""

from __future__ import annotations

import html
import re

import pytest

from workers.extract import extract_page
from workers.provenance import PublisherRegistry, detect
from workers.provenance.catalogue import bundled_catalogue
from workers.provenance.footers import footer_evidence
from workers.provenance.names import same_site

REGISTRY = PublisherRegistry.bundled()

BODY = {
    "en": "City officials approved the new heating plan on Tuesday after a long debate "
    "about costs, supply contracts and the schedule for replacing the oldest boilers in "
    "schools and hospitals across the region.",
    "de": "Die Stadtverwaltung hat am Dienstag nach langer Debatte über Kosten, Lieferverträge "
    "und den Zeitplan für den Austausch der ältesten Heizkessel in Schulen und Kliniken den "
    "neuen Wärmeplan beschlossen.",
    "fr": "La municipalité a adopté mardi le nouveau plan de chauffage après un long débat sur "
    "les coûts, les contrats d'approvisionnement et le calendrier de remplacement des plus "
    "vieilles chaudières des écoles et des hôpitaux.",
    "es": "El ayuntamiento aprobó el martes el nuevo plan de calefacción tras un largo debate "
    "sobre los costes, los contratos de suministro y el calendario para sustituir las calderas "
    "más antiguas de escuelas y hospitales.",
    "it": "Il comune ha approvato martedì il nuovo piano per il riscaldamento dopo un lungo "
    "dibattito sui costi, sui contratti di fornitura e sui tempi per sostituire le caldaie più "
    "vecchie di scuole e ospedali.",
    "pt": "A câmara aprovou na terça-feira o novo plano de aquecimento depois de um longo debate "
    "sobre os custos, os contratos de fornecimento e o calendário para substituir as caldeiras "
    "mais antigas de escolas e hospitais.",
    "pl": "Władze miasta przyjęły we wtorek nowy plan ogrzewania po długiej debacie o kosztach, "
    "umowach na dostawy i harmonogramie wymiany najstarszych kotłów w szkołach i szpitalach "
    "w całym regionie.",
    "uk": "Міська влада у вівторок ухвалила новий план опалення після довгої дискусії про "
    "витрати, контракти на постачання та графік заміни найстаріших котлів у школах і лікарнях "
    "по всьому регіону.",
    "ru": "Городские власти во вторник утвердили новый план отопления после долгой дискуссии "
    "о расходах, контрактах на поставки и графике замены самых старых котлов в школах и "
    "больницах по всему региону.",
}


def _page(lang: str, notice: str, *, top: bool = False, host: str = "valleyherald.example") -> str:
    paragraphs = [f"<p>{html.escape(BODY[lang])} ({i})</p>" for i in range(1, 6)]
    line = f"<p><em>{notice}</em></p>"
    story = [line, *paragraphs] if top else [*paragraphs, line]
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>Heating plan – Valley Herald</title>
<meta property="og:site_name" content="Valley Herald">
<link rel="canonical" href="https://{host}/city/heating-plan"></head>
<body><header><a href="/">Valley Herald</a><nav><a href="/city">City</a>
<a href="/region">Region</a><a href="/sport">Sport</a></nav></header>
<main><article><h1>Heating plan approved</h1><p class="byline">Staff</p>
{"".join(story)}
</article>
<aside><h2>Related</h2><ul><li><a href="/city/buses">New bus lines from May</a></li>
<li><a href="/city/budget">Budget vote delayed</a></li></ul></aside></main>
<footer><p>© 2025 Valley Herald. All rights reserved.</p><a href="/privacy">Privacy</a></footer>
</body></html>"""


def _detect(lang: str, notice: str, *, top: bool = False) -> tuple[str | None, str | None]:
    url = "https://valleyherald.example/city/heating-plan"
    page = extract_page(_page(lang, notice, top=top).encode(), url=url)
    result = detect(page, None, REGISTRY)
    if result.origin is None:
        return None, None
    return result.origin.publisher.name, result.origin.publisher.domain


def _catalogue_misses(lang: str, notice: str) -> bool:
    # A linked notice is tested as its text: what the catalogue would see of the line.
    text = html.unescape(re.sub(r"<[^>]+>", "", notice))
    phrases = bundled_catalogue().phrases(lang)
    found = footer_evidence(
        text, (), page_host="valleyherald.example", phrases=phrases, registry=REGISTRY
    )
    return found is None


# (language, notice, origin domain): phrasings written for this test, not for the catalogue.
COPIES = [
    ("en", "This piece is shared here courtesy of ProPublica.", "propublica.org"),
    ("en", "Reprinted by arrangement with The Guardian.", "theguardian.com"),
    ("en", "We share this analysis under The Conversation's Creative Commons terms.", None),
    (
        "en",
        "This story comes to you through a content-sharing agreement with "
        '<a href="https://kffhealthnews.org/news/article/rural-heat/">KFF Health News</a>.',
        "kffhealthnews.org",
    ),
    ("de", "Übernommen mit freundlicher Genehmigung des Tagesspiegels.", "tagesspiegel.de"),
    ("fr", "Texte reproduit avec l'accord de nos partenaires du journal Le Monde.", "lemonde.fr"),
    ("es", "Contenido reproducido gracias a un acuerdo de colaboración con El País.", "elpais.com"),
    ("it", "Ripubblichiamo questo testo per gentile concessione di Corriere della Sera.", None),
    ("pt", "Texto republicado ao abrigo de uma parceria com o jornal Público.", "publico.pt"),
    ("pl", "Przedrukowujemy za zgodą redakcji Gazety Wyborczej.", "wyborcza.pl"),
    ("uk", "Текст подаємо за згодою редакції «Української правди».", "pravda.com.ua"),
    ("ru", "Текст публикуется с любезного разрешения редакции «Новой газеты».", None),
]


@pytest.mark.parametrize(("lang", "notice", "domain"), COPIES, ids=[c[1][:40] for c in COPIES])
def test_a_notice_no_catalogue_lists_is_found(lang: str, notice: str, domain: str | None) -> None:
    assert _catalogue_misses(lang, notice)  # the cue rule, not a listed phrase, decides

    name, got = _detect(lang, notice)

    assert name is not None or got is not None, notice
    if domain is not None:
        assert same_site(got, domain), (name, got)


def test_a_notice_on_top_of_the_story_is_found() -> None:
    name, domain = _detect("en", "Republished with the kind permission of Grist.", top=True)

    assert domain is not None
    assert same_site(domain, "grist.org"), (name, domain)


# Lines with an origin cue and an outlet that are not notices.
TRAPS = [
    ("en", "The documents were first published by The Guardian in 2021."),
    ("en", "Photo courtesy of Reuters."),
    ("en", "Originally from Lviv, Olena now reports from Kyiv for the Valley Herald."),
    ("en", "The study first appeared in Nature last year, researchers said."),
    ("en", "This story originally appeared in our print edition."),
    ("de", "Foto: mit freundlicher Genehmigung von dpa"),
    ("de", "Laut Spiegel erschien der Bericht zuerst im Juni."),
    ("fr", "Selon Le Monde, le rapport a d'abord paru en mai."),
    ("es", "Según El País, el informe se publicó originalmente en marzo."),
    ("it", "Foto per gentile concessione di ANSA."),
    ("pt", "Segundo o Público, o estudo foi publicado originalmente em 2020."),
    ("pl", "Według Gazety Wyborczej raport ukazał się pierwotnie w maju."),
    ("uk", "Фото з дозволу Укрінформу."),
    ("ru", "По данным «Новой газеты», доклад впервые опубликован в мае."),
]


@pytest.mark.parametrize(("lang", "line"), TRAPS, ids=[t[1][:40] for t in TRAPS])
def test_a_cue_word_beside_an_outlet_is_not_a_notice(lang: str, line: str) -> None:
    assert _detect(lang, line) == (None, None)
