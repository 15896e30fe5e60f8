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


@lru_cache(maxsize=8192)
def name_key(name: str) -> str:
    """Comparable key of an outlet name; '' when nothing identifying is left."""
    folded = name.casefold()
    if not folded.isascii():
        folded = unicodedata.normalize("NFKD", folded)
        folded = "".join(c for c in folded if not unicodedata.combining(c))
    stripped = folded
    words = _NON_WORD.sub(" ", stripped.replace("'s ", " ").replace("’s ", " ")).split()
    while len(words) > 1 and words[0] in _ARTICLES:
        words.pop(0)
    while len(words) > 1 and words[-1] in _SUFFIXES:
        words.pop()
    return " ".join(words)


def host_of(url: str | None) -> str | None:
    """Site domain of an http(s) URL (workers.urls.site_domain); None for anything else."""
    if not url:
        return None
    try:
        scheme = urlsplit(url.strip()).scheme
    except ValueError:
        return None
    return site_domain(url) if scheme in ("http", "https") else None


def domain_of(text: str) -> str | None:
    """A bare domain written as a name ("example.com", "www.example.org"), else None."""
    candidate = text.strip().lower().rstrip("/.")
    if re.fullmatch(r"(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}", candidate):
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
