"""Bytes to text for HTML: the declared charset, else the page's own, else UTF-8.

Servers often label UTF-8 pages as Latin-1 (a default nobody set), so a Latin-1 family
label loses to bytes that are valid UTF-8. Nothing here raises on bad bytes.
"""

from __future__ import annotations

import codecs
import re

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.I)
_SNIFF_BYTES = 4096
_LATIN1_FAMILY = frozenset({"latin_1", "iso8859-1", "cp1252", "ascii"})
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode_html(data: bytes, charset: str | None = None) -> str:
    for bom, bom_encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(bom_encoding, errors="replace")
    match = _META_CHARSET.search(data[:_SNIFF_BYTES])
    declared = match.group(1).decode("ascii") if match else None
    for label in (charset, declared):
        encoding = _codec(label)
        if encoding is None:
            continue
        if encoding in _LATIN1_FAMILY and _is_utf8(data):
            return data.decode("utf-8")
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue  # a wrong label; try the next witness
    return data.decode("utf-8", errors="replace")


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    try:
        return codecs.lookup(label.strip().strip("\"'")).name
    except LookupError:
        return None


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
