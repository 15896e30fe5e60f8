"""Sources the story cites ("the UK's Guardian newspaper reported"): never its origin.

Only outlets count: a phrase is kept when it resolves in the registry, is quoted after a
citing verb, or carries an outlet word ("newspaper", "news report", "Zeitung"). So
"according to the ministry" or "according to Zelenskyy" is not a cited source.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from workers.model import CitedSource, PublisherRef
from workers.provenance.catalogue import Catalogue, Combined, Phrases, Rule
from workers.provenance.registry import Publisher, PublisherRegistry

_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”»']?\s+(?=[\"“«„]?[^\W\d_])")
# "the UK's Guardian newspaper": the possessive place is not part of the outlet's name.
_POSSESSIVE = re.compile(r"^(?:the\s+)?[\w.-]+['’]s\s+", re.IGNORECASE)
_QUOTES = '«»"“”„'
_MAX_LEADING_WORDS = 2
_LEADING_ARTICLE = re.compile(
    r"^(?:the|a|an|la|le|el|il|die|der|das|o|os|los|las|lo|un|une|una|um|uma)\s+", re.IGNORECASE
)


def _resolve(phrase: str, catalogue: Catalogue, registry: PublisherRegistry) -> Publisher | None:
    """Try the phrase, then without a possessive place, then without outlet words."""
    bare = _POSSESSIVE.sub("", phrase)
    for candidate in (phrase, bare, catalogue.cues.sub(" ", bare).strip()):
        words = candidate.strip(_QUOTES).split()
        # "Wie der SPIEGEL": a capitalised word before the name is not part of it.
        for start in range(min(len(words), _MAX_LEADING_WORDS + 1)):
            found = registry.resolve(PublisherRef(name=" ".join(words[start:])))
            if found is not None:
                return found
    return None


def _cited(
    phrase: str, how: str, sentence: str, catalogue: Catalogue, registry: PublisherRegistry
) -> CitedSource | None:
    publisher = _resolve(phrase, catalogue, registry)
    if publisher is not None:
        return CitedSource(publisher.name, publisher.domain, how, sentence)
    quoted = phrase.strip()[:1] in _QUOTES
    if not quoted and catalogue.cues.search(phrase) is None:
        return None  # a person or an institution, not an outlet
    name = _LEADING_ARTICLE.sub("", phrase.strip()).strip(_QUOTES + " ")
    return CitedSource(name, None, how, sentence)


_WINDOW = 120  # characters before a trailing verb where its outlet may start
# An outlet's name holds no clause punctuation: "every day, the UK's Guardian newspaper".
_CLAUSE_BREAK = re.compile(r"^.*[,;:()–—]")


# How far from a trigger word its verb phrase may start or end ("as first reported by").
_VERB_REACH = 24


def _verb_matches(
    sentence: str, verbs: Combined, spots: list[tuple[int, int]]
) -> Iterator[tuple[re.Match[str], Rule]]:
    """The verbs near the trigger words only: scanning a long sentence whole costs more."""
    seen: set[int] = set()
    for lo, hi in spots:
        for m in verbs.regex.finditer(sentence, lo, hi):
            if m.lastgroup is not None and m.start() not in seen:
                seen.add(m.start())
                yield m, verbs.rules[int(m.lastgroup[1:])]


def _phrases(
    sentence: str, catalogue: Catalogue, phrases: Phrases, triggers: list[str]
) -> Iterator[tuple[str, str]]:
    """(outlet phrase, how) for each citing verb in the sentence with an outlet beside it."""
    lower = sentence.lower()
    spots = []
    for trigger in triggers:
        at = lower.find(trigger)
        while at != -1:
            spots.append((max(0, at - _VERB_REACH), at + len(trigger) + _VERB_REACH))
            at = lower.find(trigger, at + 1)
    for m, rule in _verb_matches(sentence, phrases.cite_before, spots):
        outlet = catalogue.outlet_at.match(sentence, m.end())
        if outlet is not None:
            yield outlet.group("o"), rule.how
    for m, rule in _verb_matches(sentence, phrases.cite_after, spots):
        clause = _CLAUSE_BREAK.sub("", sentence[max(0, m.start() - _WINDOW) : m.start()])
        outlet = catalogue.outlet_ending.search(clause)
        if outlet is not None:
            yield outlet.group("o"), rule.how


def cited_sources(
    paragraphs: tuple[str, ...],
    catalogue: Catalogue,
    registry: PublisherRegistry,
    language: str | None = None,
) -> tuple[CitedSource, ...]:
    phrases = catalogue.phrases(language)
    # Regex scans of the whole body cost more than everything else; plain substring tests
    # for the trigger words first leave only the few paragraphs that may cite someone.
    text = "\n".join(paragraphs).lower()
    triggers = [t for t in phrases.cite_triggers if t in text]
    found: dict[str, CitedSource] = {}
    for paragraph in paragraphs if triggers else ():
        lower = paragraph.lower()
        present = [t for t in triggers if t in lower]
        for sentence in _SENTENCE_END.split(paragraph) if present else ():
            for phrase, how in _phrases(sentence, catalogue, phrases, present):
                source = _cited(phrase, how, sentence, catalogue, registry)
                if source is not None and source.name.casefold() not in found:
                    found[source.name.casefold()] = source
    return tuple(found.values())
