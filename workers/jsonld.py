"""JSON-LD: the article-like objects of a page, flattened from ``@graph``, references resolved.

Detection reads these raw (isBasedOn, sourceOrganization, provider...); metadata reads a
few fields through the accessors here. Broken JSON in a page is common and skipped.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

JsonObject = dict[str, Any]

ARTICLE_TYPES = frozenset({
    "newsarticle", "article", "reportagenewsarticle", "analysisnewsarticle",
    "opinionnewsarticle", "backgroundnewsarticle", "reviewnewsarticle", "askpublicnewsarticle",
    "blogposting", "liveblogposting", "socialmediaposting", "report", "scholarlyarticle",
    "techarticle", "satiricalarticle", "advertisercontentarticle",
})  # fmt: skip
PAGE_TYPES = frozenset({"webpage", "itempage", "collectionpage", "aboutpage", "medicalwebpage"})
# Keys whose values may be {"@id": ...} references to another node of the same graph.
_REFERENCE_KEYS = (
    "author",
    "publisher",
    "provider",
    "sourceOrganization",
    "copyrightHolder",
    "isBasedOn",
    "creator",
    "image",
    "mainEntityOfPage",
    "isPartOf",
)
_COMMENT_WRAPPER = re.compile(r"^\s*(?:<!--|//\s*<!\[CDATA\[)|(?:-->|//\s*\]\]>)\s*$")


def types_of(obj: JsonObject) -> set[str]:
    kind = obj.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {k.rsplit("/", 1)[-1].lower() for k in kinds if isinstance(k, str)}


def article_objects(scripts: Iterable[str]) -> tuple[JsonObject, ...]:
    """Article-like and page objects from the text of each ld+json script, articles first."""
    nodes = [node for script in scripts for node in _nodes(_load(script))]
    by_id = {n["@id"]: n for n in nodes if isinstance(n.get("@id"), str)}
    kept = [n for n in nodes if types_of(n) & (ARTICLE_TYPES | PAGE_TYPES)]
    kept.sort(key=lambda n: not types_of(n) & ARTICLE_TYPES)
    return tuple(_resolve(n, by_id) for n in kept)


def _load(script: str) -> Any:
    text = _COMMENT_WRAPPER.sub("", script.strip())
    try:
        return json.loads(text, strict=False)  # strict=False: raw newlines inside strings
    except ValueError:
        return None


def _nodes(data: Any) -> Iterator[JsonObject]:
    if isinstance(data, list):
        for item in data:
            yield from _nodes(item)
    elif isinstance(data, dict):
        graph = data.get("@graph")
        if isinstance(graph, list):
            yield from _nodes(graph)
        if "@type" in data:
            yield data


def _resolve(node: JsonObject, by_id: dict[str, JsonObject]) -> JsonObject:
    out = dict(node)
    for key in _REFERENCE_KEYS:
        value = out.get(key)
        if isinstance(value, list):
            out[key] = [_deref(v, by_id) for v in value]
        elif value is not None:
            out[key] = _deref(value, by_id)
    return out


def _deref(value: Any, by_id: dict[str, JsonObject]) -> Any:
    if isinstance(value, dict) and set(value) == {"@id"} and value["@id"] in by_id:
        return by_id[value["@id"]]
    return value


def text_field(obj: JsonObject, key: str) -> str | None:
    value = obj.get(key)
    if isinstance(value, list) and value:
        value = value[0]
    if isinstance(value, dict):
        value = value.get("@value") or value.get("name")
    return value.strip() or None if isinstance(value, str) else None


def names(value: Any) -> list[str]:
    """Names in an author/publisher value: a string, an object with ``name``, or a list."""
    items = value if isinstance(value, list) else [value]
    out: list[str] = []
    for item in items:
        name = item.get("name") if isinstance(item, dict) else item
        if isinstance(name, str) and name.strip():
            out.append(name.strip())
    return out


def image_url(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("url") or value.get("contentUrl")
    return value if isinstance(value, str) and value.strip() else None
