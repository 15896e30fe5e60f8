"""URL identity: the normal form under which two URLs name the same page.

Pure functions. The normal form folds what readers never mean to distinguish: scheme
(http and https name one page), host case, default ports, fragments, a trailing slash,
tracking parameters, and the AMP and mobile variants of a page. Where a page says
otherwise (its canonical link), the pipeline lists that URL too; folding is only the
default.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from importlib.resources import files
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

_DEFAULT_PORTS = {"http": 80, "https": 443}
# Host prefixes of a site's mobile and AMP mirrors. "www." is not folded into the identity
# (some sites serve different pages with and without it) but is ignored by site_domain.
_MIRROR_HOST_PREFIXES = ("amp.", "m.", "mobile.")
_AMP_QUERY_KEYS = frozenset({"amp", "amp_js_v", "usqp", "outputtype"})
_AMP_SUFFIX = re.compile(r"\.amp(?=\.html?$|$)")
# Characters kept literally in a path; everything else is percent-encoded, so
# "%7Euser" and "~user" (and "%c3%a9" and "é") give one form.
_PATH_SAFE = "/:@!$&'()*+,;=~-._"
# The URLs urlsplit reads the same way without its general rules (tests/test_urls.py
# compares): a lower-case http(s) URL with a plain host, no port, user, query, fragment,
# percent-escape or white space, and only characters a path keeps literally.
_PLAIN_URL = re.compile(
    r"https?://(?P<host>[a-z0-9.-]+)(?P<path>(?:/[A-Za-z0-9/:@!$&'()*+,;=~._-]*)?)"
)
# A scheme, then a plain host ending the URL or followed by its path, query or fragment.
_PLAIN_HOST = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://([A-Za-z0-9.-]+)(?=[/?#]|\Z)")


@lru_cache(maxsize=1)
def _catalogue() -> tuple[frozenset[str], tuple[str, ...]]:
    text = files("workers").joinpath("data/tracking_params.txt").read_text(encoding="utf-8")
    names = [ln.strip().lower() for ln in text.splitlines()]
    names = [n for n in names if n and not n.startswith("#")]
    exact = frozenset(n for n in names if not n.endswith("*"))
    prefixes = tuple(n[:-1] for n in names if n.endswith("*"))
    return exact, prefixes


def _is_tracking(key: str, extra: frozenset[str]) -> bool:
    key = key.lower()
    exact, prefixes = _catalogue()
    return key in exact or key in extra or key.startswith(prefixes)


def _host(host: str) -> str:
    host = host.rstrip(".")
    for prefix in _MIRROR_HOST_PREFIXES:
        if host.startswith(prefix) and host.count(".") >= 2:
            return host[len(prefix) :]
    return host


def _path(path: str) -> str:
    segments = [s for s in unquote(path).split("/") if s != "amp"]
    path = _AMP_SUFFIX.sub("", "/".join(segments))
    path = quote(path, safe=_PATH_SAFE)
    path = re.sub(r"/{2,}", "/", path).rstrip("/")
    return path or "/"


def normalize_url(url: str, *, tracking_params: Iterable[str] = ()) -> str:
    """Scheme/host case, default port, fragment, trailing slash, tracking parameters,
    AMP and mobile variants folded. Raises ValueError for a URL that is not http(s)."""
    extra = tracking_params if isinstance(tracking_params, tuple) else tuple(tracking_params)
    return _normalize_url(url, extra)


# An entry's link is normalised as a feed key, as the page's identity and as its URL, and
# the same links come back every pass: pure, so remembered.
@lru_cache(maxsize=16384)
def _normalize_url(url: str, tracking_params: tuple[str, ...]) -> str:
    plain = _PLAIN_URL.fullmatch(url)
    if plain is not None:
        path = plain["path"]
        if "//" not in path and "/amp/" not in f"{path}/" and not _AMP_SUFFIX.search(path):
            # Most feed links: nothing to unquote, quote, sort or drop, so the normal form
            # is the mirror-folded host and the path without its trailing slash, as below.
            return f"https://{_host(plain['host'])}{path.rstrip('/') or '/'}"
    return _normalize_any(url, tracking_params)


def _normalize_any(url: str, tracking_params: tuple[str, ...]) -> str:
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        raise ValueError(f"not an http(s) URL: {url!r}")
    netloc = _host(parts.hostname)  # urlsplit lower-cases it and drops user info
    port = parts.port  # raises ValueError for a bad port
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        netloc = f"{netloc}:{port}"
    extra = frozenset(p.lower() for p in tracking_params)
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not _is_tracking(k, extra) and k.lower() not in _AMP_QUERY_KEYS
    ]
    # Parameter order never names a different page on the sites we read; sorting folds it.
    return urlunsplit(("https", netloc, _path(parts.path), urlencode(sorted(query)), ""))


# Pure, and asked of the same few URLs (a page's, its feed's, its publisher's) several
# times an entry: remembered.
@lru_cache(maxsize=16384)
def site_domain(url: str) -> str | None:
    """Registrable-ish host of a URL: lower case, without ``www.``, ``m.`` or ``amp.``."""
    plain = _PLAIN_HOST.match(url)
    return _registrable(plain[1].lower()) if plain is not None else _site_domain_any(url)


def _site_domain_any(url: str) -> str | None:
    """``site_domain`` by urlsplit alone, for every URL (the tests' reference)."""
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return None
    return _registrable(host)


def _registrable(host: str | None) -> str | None:
    if not host:
        return None
    host = _host(host)
    if host.startswith("www.") and host.count(".") >= 2:
        host = host[4:]
    return host


def without_tracking(url: str, *, tracking_params: Iterable[str] = ()) -> str:
    """The URL as given, minus tracking parameters and fragment: what events publish.
    Unlike ``normalize_url`` it keeps scheme, host and path, so the link still works."""
    parts = urlsplit(url.strip())
    if not parts.query and not parts.fragment:
        return url.strip()
    extra = frozenset(p.lower() for p in tracking_params)
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not _is_tracking(k, extra)
    ]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))
