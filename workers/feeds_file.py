"""The feeds file: plain text (one URL a line, ``#`` comments) or OPML, as feed readers export."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

from workers.errors import ConfigError


def load_feeds(path: str | Path) -> list[str]:
    """Feed URLs in file order, duplicates dropped. Raises ConfigError with the reason."""
    try:
        raw = Path(path).read_bytes()
    except OSError as e:
        raise ConfigError(f"cannot read feeds file {path}: {e.strerror or e}") from e
    text = raw.decode("utf-8-sig", errors="replace")
    urls = _from_opml(text, path) if text.lstrip().startswith("<") else _from_lines(text)
    bad = [u for u in urls if not _is_http(u)]
    if bad:
        raise ConfigError(f"{path}: not an http(s) URL: {bad[0]!r}")
    if not urls:
        raise ConfigError(f"{path}: no feeds in file")
    return list(dict.fromkeys(urls))


def _from_lines(text: str) -> list[str]:
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            out.append(line.split()[0])  # a trailing "# note" or title after the URL is allowed
    return out


def _from_opml(text: str, path: str | Path) -> list[str]:
    try:
        root = ET.fromstring(text)
    except ET.ParseError as e:
        raise ConfigError(f"{path}: invalid OPML: {e}") from e
    # OPML nests outlines in folders; any outline with xmlUrl is a feed.
    return [
        (node.get("xmlUrl") or "").strip()
        for node in root.iter("outline")
        if (node.get("xmlUrl") or "").strip()
    ]


def _is_http(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)
