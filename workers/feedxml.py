"""A fast path for well-formed RSS 2.0 / 0.9x, RSS 1.0 (RDF) and Atom 1.0 feeds.

feedparser costs about 0.35 ms per entry, most of it in its SAX callbacks and per-element
bookkeeping. This module reads the same documents with lxml and rebuilds exactly the raw
values ``workers/parse.py`` takes from feedparser (the same keys, the same selection rules,
the same quirks), so both paths end in the same ``ParsedFeed``.

Anything whose feedparser mapping is not reproduced here raises ``Unsupported`` with a
short reason, and the caller parses the document with feedparser instead. The rules below
mirror feedparser 6.0 (``feedparser/mixin.py``, ``namespaces/_base.py``); the differential
tests in ``tests/test_feedxml.py`` hold the two paths equal.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any
from urllib.parse import uses_relative

from feedparser.api import StrictFeedParser
from feedparser.encodings import convert_to_utf8
from feedparser.html import _cp1252
from feedparser.mixin import _FeedParserMixin
from feedparser.urls import _urljoin, make_safe_absolute_uri
from lxml import etree

# Hardened: no entity expansion, no network, no DTD, bounded tree. Comments and
# processing instructions are dropped so the text around them joins, as it does in
# feedparser's SAX handler.
_PARSER = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    huge_tree=False,
    load_dtd=False,
    remove_comments=True,
    remove_pis=True,
    strip_cdata=True,
)

_XML_NS = "http://www.w3.org/XML/1998/namespace"
_LANG = f"{{{_XML_NS}}}lang"
_RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_ATOM10 = "http://www.w3.org/2005/Atom"
_RSS10 = "http://purl.org/rss/1.0/"
_RSS090 = "http://my.netscape.com/rdf/simple/0.9/"
_RDF_ATTRS = {f"{{{_RDF_NS}}}about": "rdf:about", f"{{{_RDF_NS}}}resource": "rdf:resource"}

_NS_PREFIX: dict[str, str] = {k.lower(): v for k, v in _FeedParserMixin.namespaces.items()}
_KNOWN_PREFIXES = frozenset(_NS_PREFIX.values())
# Element names feedparser has a handler for: such an element is never inert.
_HANDLED = frozenset(
    n.split("_", 2)[2] for n in dir(StrictFeedParser) if n.startswith(("_start_", "_end_"))
)
# Keys parse.py reads (and keys whose presence changes feedparser's choices): an inert
# element stored under one of these names would change the output.
_READ_KEYS = frozenset(
    [
        "title",
        "title_detail",
        "link",
        "links",
        "id",
        "guidislink",
        "summary",
        "content",
        "author",
        "authors",
        "author_detail",
        "source",
        "href",
        "url",
        "dc_source",
        "media_content",
        "media_thumbnail",
        "enclosures",
        "language",
        "published_parsed",
        "updated_parsed",
        "published",
        "updated",
        "description",
        "subtitle",
        "name",
        "email",
        "value",
        "type",
        "medium",
        "rel",
    ]
)
_HTML_TYPES = frozenset({"application/xhtml+xml", "text/html"})
_TEXT_TYPES = frozenset({"text/plain", "text/html"})
_ENTITY_SEMI = re.compile("&([A-Za-z0-9_]+);")
_FIRST_TAG = re.compile(rb"<\w")
# str.translate with feedparser's dict table costs a dict lookup per character: only
# translate text that holds one of the C1 code points the table maps. They are U+0080 to
# U+009F, so C2 and one byte in UTF-8: a search for the lead byte over the encoded text
# skips ahead at memchr speed, where a character class over the str tests every character.
_C1_UTF8 = re.compile(b"\xc2[" + re.escape(bytes(sorted(_cp1252))) + b"]")
# URLs that urljoin returns unchanged whatever the base: absolute http(s), no params,
# no fragment, no empty query, nothing urlsplit strips or rewrites.
_PLAIN_URL = re.compile(
    r"https?://[A-Za-z0-9.-]+(?::[0-9]{1,5})?(?:/[A-Za-z0-9._~!$&'()*+,=:@%/-]*)?"
    r"(?:\?[A-Za-z0-9._~!$&'()*+,=:@%/?-]+)?"
)
# Scheme-prefixed URIs that urljoin returns unchanged: a scheme it never resolves against
# (tag:, urn:, mailto:...), nothing after the colon that would start a netloc, and none of
# the characters urlsplit deletes.
_OPAQUE_URI = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):(?!/)[^\t\r\n]*")
_RELATIVE_SCHEMES = frozenset(uses_relative)
_EMAIL = re.compile(
    r"""(([a-zA-Z0-9\_\-\.\+]+)@((\[[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.)|(([a-zA-Z0-9\-]+\.)+))([a-zA-Z]{2,4}|[0-9]{1,3})(\]?))(\?subject=\S+)?"""
)

_PUBLISHED = frozenset({"pubdate", "published", "issued", "dcterms:issued"})
_UPDATED = frozenset({"updated", "modified", "dc:date", "dcterms:modified", "lastbuilddate"})
_AUTHOR = frozenset({"author", "dc:creator", "dc:author"})
# Elements feedparser handles without touching anything parse.py reads, when they hold
# only text. Checked name by name against feedparser's handlers.
_HARMLESS_ENTRY = frozenset(
    [
        "category",
        "dc:subject",
        "media:category",
        "media:keywords",
        "media:credit",
        "media:rating",
        "media:restriction",
        "media:license",
        "rights",
        "copyright",
        "dc:rights",
        "language",
        "dc:language",
        "dc:publisher",
        "created",
        "dcterms:created",
        "expirationdate",
    ]
)
_HARMLESS_FEED = frozenset(
    [
        "description",
        "dc:description",
        "subtitle",
        "tagline",
        "rights",
        "copyright",
        "dc:rights",
        "pubdate",
        "published",
        "lastbuilddate",
        "updated",
        "modified",
        "dc:date",
        "generator",
        "category",
        "dc:subject",
        "managingeditor",
        "webmaster",
        "dc:publisher",
        "dc:creator",
        "cloud",
    ]
)
_HARMLESS_SOURCE = frozenset(
    ["updated", "published", "subtitle", "rights", "category", "generator", "dc:subject"]
)
_IMAGE_CHILDREN = frozenset(["url", "title", "link", "width", "height", "description"])
_TEXTINPUT_CHILDREN = frozenset(["title", "description", "name", "link"])
_AUTHOR_CHILDREN = frozenset(["name", "email", "uri"])
_MEDIA_CONTENT_CHILDREN = frozenset(
    [
        "media:credit",
        "media:keywords",
        "media:rating",
        "media:restriction",
        "media:license",
        "media:category",
    ]
)

_MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"],
        start=1,
    )
}
# feedparser's RFC 822 zone table (unknown names count as UTC there; they fall back here).
_ZONES = {
    "ut": 0, "utc": 0, "gmt": 0, "z": 0,
    "edt": -4, "est": -5, "cdt": -5, "cst": -6, "mdt": -6, "mst": -7, "pdt": -7, "pst": -8,
}  # fmt: skip
_RFC822 = re.compile(
    r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+)?(\d{1,2})\s+"
    r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\s+(\d{4})\s+"
    r"(\d{1,2}):(\d{2})(?::(\d{2}))?\s+([+-]\d{4}|[a-z]+)"
)
_W3DTF = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})(?:t(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(z|[+-]\d{2}:\d{2}))?"
)


class Unsupported(Exception):
    """The document needs feedparser; ``reason`` says why (counted by the caller)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class RawFeed:
    """What feedparser would have returned, reduced to what parse.py reads.

    Entries are plain dicts with feedparser's keys; ``published_parsed`` and
    ``updated_parsed`` hold aware datetimes (or None) instead of struct_time.
    """

    feed: dict[str, Any]
    entries: list[dict[str, Any]]
    warning: str | None


def parse(body: bytes, *, url: str, content_type: str | None = None) -> RawFeed:
    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    # feedparser's own encoding rules (BOM, XML declaration, HTTP charset, RFC 3023),
    # called rather than copied: the warning text and the bytes parsed are then its own.
    result: dict[str, Any] = {}
    data = _to_utf8(headers, body, result)
    if not result.get("encoding"):
        raise Unsupported("encoding")
    match = _FIRST_TAG.search(data)
    head = data[: match.start() + 1 if match else 0].lower()
    if b"<!doctype" in head or b"<!entity" in head:
        raise Unsupported("doctype")
    try:
        root = etree.fromstring(data, _PARSER)
    except (etree.XMLSyntaxError, ValueError) as e:
        raise Unsupported("xml_syntax") from e
    walker = _Walker(_base(url))
    walker.document(root)
    if not walker.entries:
        raise Unsupported("no_entries")  # feedparser decides what an empty body is
    warning = str(result["bozo_exception"]) if result.get("bozo") else None
    return RawFeed(walker.feed, walker.entries, warning)


_UTF8_DECLARATION = b"<?xml version='1.0' encoding='utf-8'?>"


def _to_utf8(headers: dict[str, str], body: bytes, result: dict[str, Any]) -> bytes:
    """``convert_to_utf8(headers, body, result)``, without its copies for plain UTF-8.

    feedparser decodes the whole body, swaps the XML declaration for its own and encodes
    it again. When the body opens with a declaration and its first line alone already
    settles on UTF-8 without complaint, the whole body settles the same way if it decodes
    as UTF-8 (the decision reads only the headers and the declaration, which ends that
    line), and the round trip is then the identity but for the declaration: up to the
    first ``>``, a byte UTF-8 never uses inside a multi-byte character.
    """
    if body[:5] == b"<?xml":
        end = body.find(b"\n", 0, 4096)
        gt = body.find(b">")
        if end > 0 and 0 < gt < end:
            head: dict[str, Any] = {}
            convert_to_utf8(headers, body[: end + 1], head)
            if head == {"encoding": "utf-8"}:
                try:
                    codecs.utf_8_decode(body, "strict", True)
                except UnicodeDecodeError:
                    pass
                else:
                    result.update(head)
                    return _UTF8_DECLARATION + body[gt + 1 :]
    return bytes(convert_to_utf8(headers, body, result))


def _base(url: str) -> str:
    if not url:
        return ""
    if _PLAIN_URL.fullmatch(url):
        return url  # urljoin returns it unchanged (see resolve), so it is its own fixed point
    # feedparser recomputes the base URI at every element; it must be a fixed point.
    base = make_safe_absolute_uri(url, url) or url
    if (make_safe_absolute_uri(base, base) or base) != base or not _urljoin(base, "x"):
        raise Unsupported("base_uri")
    return str(base)


@lru_cache(maxsize=1024)
def _name(tag: str, prefix: str | None) -> str:
    """feedparser's name for an element: known prefix + ':' + lower-cased local name."""
    if tag[0] != "{":
        return tag.lower()
    ns, _, local = tag[1:].partition("}")
    lower = ns.lower()
    if "backend.userland.com/rss" in lower:
        lower = "http://backend.userland.com/rss"
    known = _NS_PREFIX.get(lower)
    if known is not None:
        return f"{known}:{local}".lower() if known else local.lower()
    # An unknown namespace: feedparser names the element by its document prefix. Only
    # such elements that stay inert are accepted (see _inert), so mark the name.
    if prefix is None or prefix != prefix.lower() or prefix in _KNOWN_PREFIXES:
        return "?"
    return f"{prefix}:{local}".lower()


# Element names that do not depend on the document's prefix (no namespace, or a namespace
# feedparser knows), by Clark name: one dict lookup per element instead of _name's work.
_NAMES: dict[Any, str] = {}
_NAMES_MAX = 4096


def _el_name(el: Any) -> str:
    tag = el.tag
    name = _NAMES.get(tag)
    if name is not None:
        return name
    if not isinstance(tag, str):
        raise Unsupported("node")
    name = _name(tag, None)
    if name == "?":  # an unknown namespace: named by the element's own prefix
        return _name(tag, el.prefix)
    if len(_NAMES) < _NAMES_MAX:
        _NAMES[tag] = name
    return name


def _inert(el: Any, name: str) -> bool:
    """True when feedparser stores the element under a key nobody reads and nothing else."""
    if name == "?":
        return False
    key = name.replace(":", "_")
    if key in _HANDLED or key in _READ_KEYS:
        return False
    return all(_inert(child, _el_name(child)) for child in el)


def _attrs(el: Any) -> dict[str, str]:
    """feedparser's attribute dict: lower-cased names, ``rel`` and ``type`` values too."""
    items = el.items()
    return _attrs_of(items) if items else {}


def _attrs_of(items: list[tuple[str, str]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in items:
        if key[0] == "{":
            if key == _LANG:
                # expat also reports a namespaced attribute by its local name.
                out["xml:lang"] = value
                out["lang"] = value
                continue
            mapped = _RDF_ATTRS.get(key)
            if mapped is None:
                raise Unsupported("namespaced_attribute")
            out[mapped] = value
            out[mapped[4:]] = value
            continue
        k = key.lower()
        if k in ("base", "lang"):
            raise Unsupported("base_or_lang_attribute")
        out[k] = value.lower() if k in ("rel", "type") else value
    return out


def _fix(text: str) -> str:
    """The tail of feedparser's pop(): mis-decoded UTF-8 repair, then cp1252 mapping."""
    if text.isascii():
        return text
    try:  # (not contextlib.suppress: its context manager costs more than the encode)
        fixed = text.encode("iso-8859-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        fixed = text
    c1 = _C1_UTF8.search(fixed.encode("utf-8", "surrogatepass"))
    return fixed.translate(_cp1252) if c1 else fixed


def _value(el: Any) -> str:
    """A leaf's text as feedparser stores it: ``_fix(_leaf_text(el).strip())``."""
    if len(el):
        raise Unsupported("markup_children")
    text = el.text
    if not text:
        return ""
    text = text.strip()
    return text if text.isascii() else _fix(text)


def _leaf_text(el: Any) -> str:
    if len(el):
        raise Unsupported("markup_children")
    return el.text or ""


def _own_text(el: Any) -> str:
    if not len(el):  # the usual author or source: no generator for no children
        return el.text or ""
    return (el.text or "") + "".join(c.tail or "" for c in el)


_CONTENT_TYPES = {"text": "text/plain", "plain": "text/plain", "html": "text/html"}


def _content_type(attrs: dict[str, str], default: str) -> str:
    if not attrs:  # the defaults are lower-case text types
        return default
    if "mode" in attrs or "src" in attrs:
        raise Unsupported("content_mode")
    ctype = attrs.get("type", default).lower()
    ctype = _CONTENT_TYPES.get(ctype, ctype)
    if ctype not in _TEXT_TYPES:
        raise Unsupported("content_type")
    return ctype


def _date(text: str) -> datetime | None:
    """feedparser's _parse_date for the two formats feeds use; anything else falls back."""
    if not text:
        return None
    return _parse_date(text)


# Atom entries repeat <published> in <updated>, feeds repeat their build date: the same
# string parses once. A string that raises Unsupported is not cached (it raises again).
@lru_cache(maxsize=4096)
def _parse_date(text: str) -> datetime:
    s = text.lower()
    m = _W3DTF.fullmatch(s)
    if m:
        year, month, day, hh, mm, ss, zone = m.groups()
        offset = _NO_OFFSET
        if zone and zone != "z":
            sign = -1 if zone[0] == "-" else 1
            offset = sign * timedelta(hours=int(zone[1:3]), minutes=int(zone[4:]))
        stamp = _stamp(year, month, day, hh or 0, mm or 0, ss or 0)
    else:
        m = _RFC822.fullmatch(s)
        if not m:
            raise Unsupported("date_format")
        day, mon, year, hh, mm, ss, zone = m.groups()
        if zone[0] in "+-":
            sign = -1 if zone[0] == "-" else 1
            offset = sign * timedelta(hours=int(zone[1:3]), minutes=int(zone[3:]))
        elif zone in _ZONES:
            offset = _ZONE_OFFSETS[zone]
        else:
            raise Unsupported("date_zone")
        stamp = _stamp(year, _MONTHS[mon], day, hh, mm, ss or 0)
    if not 1900 <= stamp.year <= 9000:
        raise Unsupported("date_range")
    return stamp - offset if offset else stamp


_NO_OFFSET = timedelta(0)
_ZONE_OFFSETS = {zone: timedelta(hours=hours) for zone, hours in _ZONES.items()}


def _stamp(y: str, mo: str | int, d: str, h: str | int, mi: str | int, s: str | int) -> datetime:
    """An aware UTC datetime of the wall-clock fields (the zone offset is applied after)."""
    try:
        return datetime(int(y), int(mo), int(d), int(h), int(mi), int(s), tzinfo=UTC)
    except ValueError as e:  # feedparser would try its other date handlers
        raise Unsupported("date_value") from e


def _sync_author(ctx: dict[str, Any]) -> None:
    """feedparser's _sync_author_detail, byte for byte in behaviour."""
    authors = ctx.get("authors")
    detail: dict[str, Any] = authors[-1] if authors else {}
    if detail:
        name, email = detail.get("name"), detail.get("email")
        if name and email:
            ctx["author"] = f"{name} ({email})"
        elif name:
            ctx["author"] = name
        elif email:
            ctx["author"] = email
        return
    author, email = ctx.get("author"), None
    if not author:
        return
    found = _EMAIL.search(author) if "@" in author else None
    if found:
        email = found.group(0)
        author = author.replace(email, "").replace("()", "").replace("<>", "")
        author = author.replace("&lt;&gt;", "").strip()
        if author and author[0] == "(":
            author = author[1:]
        if author and author[-1] == ")":
            author = author[:-1]
        author = author.strip()
    if author:
        detail["name"] = author
    if email:
        detail["email"] = email


def _save_author(ctx: dict[str, Any], key: str, value: str) -> None:
    _sync_author(ctx)
    authors = ctx.setdefault("authors", [{}])
    authors[-1][key] = value


Entry = dict[str, Any]


class _Walker:
    """The subset of feedparser's state machine that parse.py can observe."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.feed: dict[str, Any] = {}
        self.entries: list[dict[str, Any]] = []
        self.title_depth = -1
        self.has_content = False

    def resolve(self, uri: str) -> str:
        if _PLAIN_URL.fullmatch(uri):
            return uri
        opaque = _OPAQUE_URI.fullmatch(uri)
        if opaque and opaque.group(1).lower() not in _RELATIVE_SCHEMES:
            return uri  # tag:, urn:...: urljoin returns these as they are
        return str(_urljoin(self.base, uri))

    # --- document structure ----------------------------------------------------------

    def document(self, root: Any) -> None:
        name = _el_name(root)
        attrs = _attrs(root)
        lang = _lang(attrs, None)
        if name == "rss" and not root.tag.startswith("{"):
            if lang:
                self.feed["language"] = lang.replace("_", "-")
            channels = 0
            for child in root:
                cname = _el_name(child)
                if cname == "channel":
                    channels += 1
                    self.container(child, 2, lang, rdf=False)
                elif not _inert(child, cname):
                    raise Unsupported(f"element:{cname}")
            if channels != 1:
                raise Unsupported("rss_channels")
        elif name == "rdf:rdf" and root.tag == f"{{{_RDF_NS}}}RDF":
            if root.prefix != "rdf" or not {_RSS10, _RSS090} & set(root.nsmap.values()):
                raise Unsupported("rdf_namespaces")
            self.container(root, 1, lang, rdf=True)
        elif root.tag == f"{{{_ATOM10}}}feed":
            if lang:
                self.feed["language"] = lang.replace("_", "-")
            self.check_container_attrs(attrs)
            self.container(root, 1, lang, rdf=False, atom_root=True)
        else:
            raise Unsupported("root")

    def check_container_attrs(self, attrs: dict[str, str]) -> None:
        if "lastmod" in attrs or "href" in attrs:
            raise Unsupported("cdf_attributes")

    def container(
        self, el: Any, depth: int, lang: str | None, *, rdf: bool, atom_root: bool = False
    ) -> None:
        """Children of <channel>, of <feed>, or of <rdf:RDF> (depth is the container's)."""
        if not atom_root and not rdf:
            self.check_container_attrs(_attrs(el))
        for child in el:
            name = _el_name(child)
            attrs = _attrs(child)
            clang = _lang(attrs, lang)
            if name in ("item", "entry"):
                if name == "entry" and not atom_root:
                    raise Unsupported("entry_in_rss")
                self.entry(child, attrs, depth + 1, clang)
            elif rdf and name == "channel":
                self.check_container_attrs(attrs)
                self.container(child, depth + 1, clang, rdf=False)
            elif rdf and name in ("image", "textinput"):
                self.image(child, name, depth + 1, in_feed=False)
            elif rdf:
                if not _inert(child, name):
                    raise Unsupported(f"element:{name}")
            else:
                self.feed_child(child, name, attrs, depth + 1, clang)

    def feed_child(
        self, el: Any, name: str, attrs: dict[str, str], depth: int, lang: str | None
    ) -> None:
        feed = self.feed
        if name in ("title", "dc:title"):
            self.title(el, attrs, depth, lang, feed, detail=False)
        elif name == "link":
            self.link(el, attrs, feed, where="feed")
        elif name in ("id", "guid"):
            self.guid(el, attrs, feed, where="feed")
        elif name in ("language", "dc:language"):
            feed["language"] = _value(el)
        elif name in ("image", "textinput"):
            self.image(el, name, depth, in_feed=True)
        elif name == "author":
            for child in el:
                if _el_name(child) not in _AUTHOR_CHILDREN or len(child):
                    raise Unsupported("feed_author")
        elif name in ("skiphours", "skipdays", "items"):
            if not all(_inert(c, _el_name(c)) for c in el):
                raise Unsupported(f"element:{name}")
        elif name in _HARMLESS_FEED:
            _leaf_text(el)
        elif not _inert(el, name):
            raise Unsupported(f"element:{name}")

    def image(self, el: Any, name: str, depth: int, *, in_feed: bool) -> None:
        allowed = _IMAGE_CHILDREN if name == "image" else _TEXTINPUT_CHILDREN
        self.title_depth = -1
        for child in el:
            cname = _el_name(child)
            if cname not in allowed:
                raise Unsupported(f"{name}_child:{cname}")
            text = _leaf_text(child)
            if cname == "title" and text.strip():
                self.title_depth = depth + 1

    # --- shared element rules ----------------------------------------------------------

    def title(
        self,
        el: Any,
        attrs: dict[str, str],
        depth: int,
        lang: str | None,
        ctx: dict[str, Any],
        *,
        detail: bool,
    ) -> None:
        _content_type(attrs, "text/plain")
        value = _value(el)
        if not -1 < self.title_depth <= depth:
            ctx["title"] = value
            if detail:
                ctx["title_detail"] = {"language": lang.replace("_", "-") if lang else lang}
        if value:
            self.title_depth = depth

    def link(self, el: Any, attrs: dict[str, str], ctx: dict[str, Any], *, where: str) -> None:
        rel = attrs.setdefault("rel", "alternate")
        attrs.setdefault("type", "application/atom+xml" if rel == "self" else "text/html")
        href = attrs.get("url", attrs.get("uri", attrs.get("href")))
        if href:
            attrs.pop("url", None)
            attrs.pop("uri", None)
            attrs["href"] = href
        if "href" in attrs:
            attrs["href"] = self.resolve(attrs["href"])
            ctx.setdefault("links", []).append(attrs)
            ctype = attrs.get("type", "")
            ctype = {"html": "text/html", "xhtml": "application/xhtml+xml"}.get(ctype, ctype)
            if rel == "alternate" and ctype in _HTML_TYPES:
                ctx["link"] = attrs["href"]
            return
        ctx.setdefault("links", []).append(attrs)
        value = _leaf_text(el).strip()
        if value:
            value = self.resolve(value)
        value = _fix(value)
        if "&" not in value:
            pass  # nothing for either substitution to change
        elif where == "entry":
            value = _ENTITY_SEMI.sub(r"&\g<1>", value.replace("&amp;", "&"))
        else:
            value = _ENTITY_SEMI.sub(r"&\g<1>", value)
        ctx["link"] = value
        if value:
            attrs["href"] = value

    def guid(self, el: Any, attrs: dict[str, str], ctx: dict[str, Any], *, where: str) -> None:
        is_link = attrs.get("ispermalink", "true") == "true"
        value = _leaf_text(el).strip()
        if value and is_link:
            value = self.resolve(value)
        value = _fix(value)
        ctx["id"] = value
        ctx.setdefault("guidislink", is_link and "link" not in ctx)
        if is_link:
            ctx.setdefault("link", value)

    # --- entries -------------------------------------------------------------------------

    def entry(self, el: Any, attrs: dict[str, str], depth: int, lang: str | None) -> None:
        self.check_container_attrs(attrs)
        entry: dict[str, Any] = {}
        self.entries.append(entry)
        self.title_depth = -1
        about = attrs.get("rdf:about")
        if about:
            entry["id"] = about
        depth += 1
        names = _NAMES
        handlers = _ENTRY_HANDLERS
        for child in el:
            name = names.get(child.tag) or _el_name(child)
            items = child.items()
            if items:
                cattrs = _attrs_of(items)
                handlers.get(name, _Walker.entry_other)(
                    self, child, name, cattrs, depth, _lang(cattrs, lang), entry
                )
            else:
                handlers.get(name, _Walker.entry_other)(self, child, name, {}, depth, lang, entry)
        self.has_content = False
        links = entry.get("links")
        if links:
            enclosures = [
                {k: v for k, v in link.items() if k != "rel"}
                for link in links
                if link["rel"] == "enclosure"
            ]
            if enclosures:
                entry["enclosures"] = enclosures

    # Children of an entry, one handler per feedparser name (see _ENTRY_HANDLERS); every
    # handler takes (el, name, attrs, depth, lang, entry).

    def entry_child(
        self,
        el: Any,
        name: str,
        attrs: dict[str, str],
        depth: int,
        lang: str | None,
        entry: dict[str, Any],
    ) -> None:
        _ENTRY_HANDLERS.get(name, _Walker.entry_other)(self, el, name, attrs, depth, lang, entry)

    def entry_title(
        self, el: Any, name: str, attrs: dict[str, str], depth: int, lang: str | None, entry: Entry
    ) -> None:
        self.title(el, attrs, depth, lang, entry, detail=True)

    def entry_link(
        self, el: Any, name: str, attrs: dict[str, str], depth: int, lang: str | None, entry: Entry
    ) -> None:
        self.link(el, attrs, entry, where="entry")

    def entry_guid(
        self, el: Any, name: str, attrs: dict[str, str], depth: int, lang: str | None, entry: Entry
    ) -> None:
        self.guid(el, attrs, entry, where="entry")

    def entry_summary(
        self, el: Any, name: str, attrs: dict[str, str], depth: int, lang: str | None, entry: Entry
    ) -> None:
        if "summary" in entry and not self.has_content:
            self.content(el, attrs, "text/plain", entry)
        else:
            _content_type(attrs, "text/plain" if name == "summary" else "text/html")
            entry["summary"] = _value(el)

    def entry_content(
        self, el: Any, name: str, attrs: dict[str, str], depth: int, lang: str | None, entry: Entry
    ) -> None:
        self.content(el, attrs, "text/plain" if name == "content" else "text/html", entry)

    def entry_published(
        self, el: Any, name: str, attrs: dict[str, str], depth: int, lang: str | None, entry: Entry
    ) -> None:
        entry["published_parsed"] = _date(_value(el))

    def entry_updated(
        self, el: Any, name: str, attrs: dict[str, str], depth: int, lang: str | None, entry: Entry
    ) -> None:
        entry["updated_parsed"] = _date(_value(el))

    def entry_author(
        self, el: Any, name: str, attrs: dict[str, str], depth: int, lang: str | None, entry: Entry
    ) -> None:
        self.author(el, entry)

    def entry_source(
        self, el: Any, name: str, attrs: dict[str, str], depth: int, lang: str | None, entry: Entry
    ) -> None:
        self.source(el, attrs, depth, lang, entry)

    def entry_dc_source(
        self, el: Any, name: str, attrs: dict[str, str], depth: int, lang: str | None, entry: Entry
    ) -> None:
        text = _leaf_text(el)
        entry["dc_source"] = dict(attrs) if attrs else _fix(text.strip())

    def entry_media_group(
        self, el: Any, name: str, attrs: dict[str, str], depth: int, lang: str | None, entry: Entry
    ) -> None:
        for child in el:
            cname = _el_name(child)
            if cname not in ("media:content", "media:thumbnail", "media:group"):
                raise Unsupported(f"media_group_child:{cname}")
            self.entry_child(child, cname, _attrs(child), depth + 1, lang, entry)

    def entry_media_content(
        self, el: Any, name: str, attrs: dict[str, str], depth: int, lang: str | None, entry: Entry
    ) -> None:
        for child in el:
            if _el_name(child) not in _MEDIA_CONTENT_CHILDREN or len(child):
                raise Unsupported("media_content_child")
        entry.setdefault("media_content", []).append(attrs)

    def entry_media_thumbnail(
        self, el: Any, name: str, attrs: dict[str, str], depth: int, lang: str | None, entry: Entry
    ) -> None:
        text = _leaf_text(el).strip()
        if text and "url" not in attrs:
            raise Unsupported("media_thumbnail_text")
        entry.setdefault("media_thumbnail", []).append(attrs)

    def entry_enclosure(
        self, el: Any, name: str, attrs: dict[str, str], depth: int, lang: str | None, entry: Entry
    ) -> None:
        href = attrs.get("url", attrs.get("uri", attrs.get("href")))
        if href:
            attrs.pop("url", None)
            attrs.pop("uri", None)
            attrs["href"] = href
        attrs["rel"] = "enclosure"
        entry.setdefault("links", []).append(attrs)

    def entry_harmless(
        self, el: Any, name: str, attrs: dict[str, str], depth: int, lang: str | None, entry: Entry
    ) -> None:
        _leaf_text(el)

    def entry_other(
        self, el: Any, name: str, attrs: dict[str, str], depth: int, lang: str | None, entry: Entry
    ) -> None:
        if not _inert(el, name):
            raise Unsupported(f"element:{name}")

    def content(self, el: Any, attrs: dict[str, str], default: str, entry: dict[str, Any]) -> None:
        self.has_content = True
        _content_type(attrs, default)
        value = _value(el)
        entry.setdefault("content", []).append({"value": value})
        entry.setdefault("summary", value)

    def author(self, el: Any, ctx: dict[str, Any]) -> None:
        ctx.setdefault("authors", []).append({})
        for child in el:
            cname = _el_name(child)
            if cname not in _AUTHOR_CHILDREN:
                raise Unsupported(f"author_child:{cname}")
            text = _leaf_text(child).strip()
            if cname == "uri":
                key, text = "href", _fix(self.resolve(text) if text else text)
            else:
                key = cname
            _save_author(ctx, key, text)
        ctx["author"] = _fix(_own_text(el).strip())
        _sync_author(ctx)

    def source(
        self, el: Any, attrs: dict[str, str], depth: int, lang: str | None, entry: dict[str, Any]
    ) -> None:
        data: dict[str, Any] = {}
        if "url" in attrs:
            data["href"] = attrs["url"]
        self.title_depth = -1
        for child in el:
            name = _el_name(child)
            cattrs = _attrs(child)
            if name == "title":
                self.title(child, cattrs, depth + 1, lang, data, detail=False)
            elif name == "link":
                self.link(child, cattrs, data, where="source")
            elif name == "id":
                self.guid(child, cattrs, data, where="source")
            elif name == "author":
                self.author(child, data)
            elif name in _HARMLESS_SOURCE:
                _leaf_text(child)
            elif not _inert(child, name):
                raise Unsupported(f"source_child:{name}")
        value = _fix(_own_text(el).strip())
        if value:
            data["title"] = value
        entry["source"] = data


_EntryHandler = Callable[[_Walker, Any, str, dict[str, str], int, str | None, Entry], None]
_ENTRY_HANDLERS: dict[str, _EntryHandler] = {
    "title": _Walker.entry_title,
    "dc:title": _Walker.entry_title,
    "link": _Walker.entry_link,
    "guid": _Walker.entry_guid,
    "id": _Walker.entry_guid,
    "description": _Walker.entry_summary,
    "dc:description": _Walker.entry_summary,
    "summary": _Walker.entry_summary,
    "content": _Walker.entry_content,
    "content:encoded": _Walker.entry_content,
    **dict.fromkeys(_PUBLISHED, _Walker.entry_published),
    **dict.fromkeys(_UPDATED, _Walker.entry_updated),
    **dict.fromkeys(_AUTHOR, _Walker.entry_author),
    "source": _Walker.entry_source,
    "dc:source": _Walker.entry_dc_source,
    "media:group": _Walker.entry_media_group,
    "media:content": _Walker.entry_media_content,
    "media:thumbnail": _Walker.entry_media_thumbnail,
    "enclosure": _Walker.entry_enclosure,
    **dict.fromkeys(_HARMLESS_ENTRY, _Walker.entry_harmless),
}


def _lang(attrs: dict[str, str], inherited: str | None) -> str | None:
    lang = attrs.get("xml:lang")
    if lang == "":
        return None
    return inherited if lang is None else lang
