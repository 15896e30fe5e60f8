"""Loose outlet names and hosts to comparable keys.

Footers name outlets loosely ("The New Voice of Ukraine", "New Voice of Ukraine", "NV";
"AP", "Associated Press"), so names are compared by a key that ignores case, accents,
leading articles, punctuation and legal or medium suffixes ("newspaper", "Inc.").
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from urllib.parse import urlsplit

from workers.urls import site_domain

# Articles and suffixes carry no identity: "The Guardian" and "Guardian newspaper" are one.
_ARTICLES = frozenset(
    (
        "the",
        "a",
        "an",
        "der",
        "die",
        "das",
        "des",
        "dem",
        "den",
        "le",
        "la",
        "les",
        "l",
        "el",
        "los",
        "las",
        "il",
        "lo",
        "gli",
        "i",
        "o",
        "os",
        "as",
    )
)
_SUFFIXES = frozenset(
    (
        "newspaper",
        "inc",
        "ltd",
        "llc",
        "plc",
        "gmbh",
        "ag",
        "sa",
        "spa",
        "online",
        "website",
        "site",
        "com",
        "net",
        "org",
        "zeitung",
        "journal",
    )
)
_NON_WORD = re.compile(r"[^\w]+")
_POSSESSIVE = re.compile(r"['’]s\b")  # "The Conversation's" names The Conversation


def _fold(text: str) -> str:
    """Case and accents dropped: "Público" and "publico", "Новой" and "новои" are one."""
    folded = text.casefold()
    if not folded.isascii():
        folded = unicodedata.normalize("NFKD", folded)
        folded = "".join(c for c in folded if not unicodedata.combining(c))
    return folded


@lru_cache(maxsize=8192)
def name_key(name: str) -> str:
    """Comparable key of an outlet name; '' when nothing identifying is left."""
    stripped = _fold(name)
    words = _NON_WORD.sub(" ", _POSSESSIVE.sub("", stripped)).split()
    while len(words) > 1 and words[0] in _ARTICLES:
        words.pop(0)
    while len(words) > 1 and words[-1] in _SUFFIXES:
        words.pop()
    return " ".join(words)


# Case and gender endings of the inflecting languages (pl, uk, ru; German genitive -s):
# notices name outlets after a preposition, so "Gazety Wyborczej", "«Новой газете»" and
# "des Tagesspiegels" must find "Gazeta Wyborcza", "Новая газета" and "Tagesspiegel".
# Longest first; a stem keeps at least three letters.
_ENDING_WORDS = (
    "ego emu ych ymi ami ach ej ie ą ę a e i y u o ów om ym ich "  # pl
    "ого ому ими ами ях ой ая ую ые ых ым ей ою ий ый ие ом ы и у е а о я ю "  # ru
    "ої ій ою і ї є "  # uk
    "s es"  # de genitive
)
_ENDINGS = tuple(sorted({_fold(e) for e in _ENDING_WORDS.split()}, key=len, reverse=True))


def _stem(word: str) -> str:
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


@lru_cache(maxsize=8192)
def stem_key(name: str) -> str:
    """``name_key`` with each word's inflection ending dropped: equal for the forms one
    outlet's name takes in running text. Coarser than ``name_key``; the registry uses it
    only when the exact key finds nothing, and only where it points at one outlet."""
    return " ".join(_stem(w) for w in name_key(name).split())


# "X on 12 March 2024", "X, 2024-03-12", "X am 12.03.2024": the date is not the outlet.
_DATE_TAIL = re.compile(
    r"(?:,\s*|\s+(?:on|am|vom|le|du|el|il|dal|em|w|z dnia|в|у|від|от|dnia|del|de|op|the)\s+)\d.*$"
    r"|\s+\d{1,2}[./-]\d{1,2}[./-]\d{2,4}.*$",
    re.IGNORECASE,
)
# "X and is republished here with permission": the clause after the outlet is not the outlet.
_CLAUSE_TAIL = re.compile(
    r"\s+(?:and|und|et|y|e|i|и|і|та)\s+(?:is|was|has|are|wird|ist|wurde|est|a|es|fue|è|é|foi"
    r"|jest|został|є|був|было|был|se|si|sich|się|ha|hat|il|it|we|wir|nous|lo|la|le|o|a)\b.*$",
    re.IGNORECASE,
)
# "ProPublica, a nonprofit newsroom": an apposition describes the outlet, it is not its name.
_APPOSITION = re.compile(r",\s+(?:a|an|the|un|une|el|la|il|ein|eine|o|um|uma)\s.*$", re.IGNORECASE)
_STRIP = " \t\"'«»“”„.,;:!-–—()[]*"
_MAX_WORDS = 10


def clean_origin(text: str) -> str | None:
    """The outlet a notice names, without quotes and dates; None if it is no name at all."""
    name = _APPOSITION.sub("", _DATE_TAIL.sub("", _CLAUSE_TAIL.sub("", text))).strip(_STRIP)
    if not any(c.isalpha() for c in name) or len(name.split()) > _MAX_WORDS:
        return None
    if name[0].isdigit():
        return None  # "Originally published in 2019, this guide...": a year, not an outlet
    return name


# Pure, and asked of the same URLs again and again: a page's own, and the links of the
# site's furniture that every page of it repeats.
@lru_cache(maxsize=8192)
def host_of(url: str | None) -> str | None:
    """Site domain of an http(s) URL (workers.urls.site_domain); None for anything else."""
    if not url:
        return None
    try:
        scheme = urlsplit(url.strip()).scheme
    except ValueError:
        return None
    return site_domain(url) if scheme in ("http", "https") else None


_BARE_DOMAIN = re.compile(r"(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}")


def domain_of(text: str) -> str | None:
    """A bare domain written as a name ("example.com", "www.example.org"), else None."""
    candidate = text.strip().lower().rstrip("/.")
    if _BARE_DOMAIN.fullmatch(candidate):
        return host_of("https://" + candidate)
    return None


def parent_domains(host: str) -> list[str]:
    """The host and its parents down to two labels: a.b.example.co -> [.., b.example.co, ...]."""
    labels = host.split(".")
    return [".".join(labels[i:]) for i in range(max(len(labels) - 1, 1))]


def same_site(a: str | None, b: str | None) -> bool:
    """Hosts of one site: equal, or one a subdomain of the other (english.nv.ua, nv.ua)."""
    if not a or not b:
        return False
    return a == b or a.endswith("." + b) or b.endswith("." + a)


def url_path_is_article(url: str) -> bool:
    """A URL that names a page rather than a site's home."""
    try:
        path = urlsplit(url).path
    except ValueError:
        return False
    return path.strip("/") != ""


def article_link(domains: tuple[str, ...], links: tuple[tuple[str, str], ...]) -> str | None:
    """The outlet's article among the line's links: the deepest one on its site (a notice
    links the outlet's home as well as "the original article")."""
    best: tuple[int, str] | None = None
    for _, href in links:
        if is_article_on(href, domains):
            depth = len(urlsplit(href).path.strip("/"))
            if best is None or depth > best[0]:
                best = (depth, href)
    return best[1] if best else None


def is_article_on(url: str, domains: tuple[str, ...]) -> bool:
    """An article page (not a home page) on one of the outlet's sites."""
    host = host_of(url)
    return bool(host) and any(same_site(host, d) for d in domains) and url_path_is_article(url)
