"""Sources the story cites ("the UK's Guardian newspaper reported"): never its origin.

Only outlets count: a phrase is kept when it resolves in the registry, is quoted after a
citing verb, or carries an outlet word ("newspaper", "news report", "Zeitung"). So
"according to the ministry" or "according to Zelenskyy" is not a cited source.
"""

from __future__ import annotations

import re

from workers.model import CitedSource, PublisherRef
from workers.provenance.catalogue import Catalogue
from workers.provenance.registry import Publisher, PublisherRegistry

_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”»']?\s+(?=[\"“«„]?[^\W\d_])")
# "the UK's Guardian newspaper": the possessive place is not part of the outlet's name.
_POSSESSIVE = re.compile(r"^(?:the\s+)?[\w.-]+['’]s\s+", re.IGNORECASE)
_QUOTES = "«»\"“”„"
_LEADING_ARTICLE = re.compile(
    r"^(?:the|a|an|la|le|el|il|die|der|das|o|os|los|las|lo|un|une|una|um|uma)\s+", re.IGNORECASE
)


def _resolve(phrase: str, catalogue: Catalogue, registry: PublisherRegistry) -> Publisher | None:
    """Try the phrase, then without a possessive place, then without outlet words."""
    bare = _POSSESSIVE.sub("", phrase)
    candidates = [phrase, bare, catalogue.cues.sub(" ", bare).strip()]
    for candidate in candidates:
        found = registry.resolve(PublisherRef(name=candidate.strip(_QUOTES)))
        if found is not None:
            return found
    return None


def _cited(phrase: str, how: str, sentence: str, catalogue: Catalogue,
           registry: PublisherRegistry) -> CitedSource | None:
    publisher = _resolve(phrase, catalogue, registry)
    if publisher is not None:
        return CitedSource(publisher.name, publisher.domain, how, sentence)
    quoted = phrase.strip()[:1] in _QUOTES
    if not quoted and catalogue.cues.search(phrase) is None:
        return None  # a person or an institution, not an outlet
    name = _LEADING_ARTICLE.sub("", phrase.strip()).strip(_QUOTES + " ")
    return CitedSource(name, None, how, sentence)


def cited_sources(
    paragraphs: tuple[str, ...], catalogue: Catalogue, registry: PublisherRegistry
) -> tuple[CitedSource, ...]:
    found: dict[str, CitedSource] = {}
    for paragraph in paragraphs:
        if catalogue.cited_prefilter.search(paragraph) is None:
            continue  # most paragraphs cite nothing; one cheap scan skips them
        for sentence in _SENTENCE_END.split(paragraph):
            for m in catalogue.cited.finditer(sentence):
                if m.lastgroup is None:
                    continue
                i = int(m.lastgroup[1:])
                rule = catalogue.cited_rules[i]
                source = _cited(m.group(f"o{i}"), rule.how, sentence, catalogue, registry)
                if source is not None and source.name.casefold() not in found:
                    found[source.name.casefold()] = source
    return tuple(found.values())
