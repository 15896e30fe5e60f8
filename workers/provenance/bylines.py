"""Bylines, source labels and provider logos: who the page itself says wrote the story.

Aggregators and partner sites say where a story comes from in the header around the
headline, not in a notice: "By Jane Doe, KFF Health News", an author that is an outlet
("Associated Press", "dpa"), "Provided by Reuters", a provider's logo. Such a line is
evidence only when the outlet is one the registry knows, named whole (a byline's "Guardian
contributor" or a surname like "Reuter" names nobody); ``combine`` drops the page's own
outlet, whose name and logo every header carries.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from workers.model import Evidence, PageSignals, PublisherRef
from workers.provenance.names import article_link
from workers.provenance.registry import PublisherRegistry

# Below the catalogue notices: a byline names the writer's outlet, which is nearly always
# the origin, but says nothing of permission or of which article.
WEIGHT = 0.7
# A lone outlet name or logo by the headline: a provider chip, or the site's own masthead
# (dropped by combine as the site's own), so a little weaker.
LONE_WEIGHT = 0.6
_MAX_LINES = 16  # of the lines set aside as furniture: the meta block is at the top
_MAX_LABEL_CHARS = 120
_MAX_LONE_WORDS = 6
_QUOTES = " «\"“„'"
_SEPARATOR = re.compile(r"\s[|·•]\s")
# A date or time closing a byline: numbers, perhaps after a month ("July 22, 2025").
_TRAILING_DATE = re.compile(
    r"(?:\s+[^\W\d_]{3,9}\.?\s+\d{1,2},?)?(?:[\s,–—-]+\d[\d.:/h]*)+"
    r"(?:\s+(?:[ap]\.?m\.?|uhr|h))?$",
    re.I,
)
_QUALIFIER = re.compile(r"\s*\([^)]*\)")
# Between a person's name and the outlet in a byline: name particles, nothing else.
_PARTICLE_WORDS = "de da di del della van von der den du la le bin al y and und et e i и і"
_PARTICLES = frozenset(_PARTICLE_WORDS.split())
_BYLINE = re.compile(
    r"(?i)^\W*(?:by|von|par|por|di|door|av|przez|od|від|от"
    r"|(?:author|autor|autorin|auteure?|autora|autore|autorka|автор|авторка)\s*:)\s+"
)
# "Pedro Vilela – Repórter da Agência Brasil": a name, then the role at the outlet.
_ROLE_BYLINE = re.compile(
    r"^(?P<who>[^\W\d_][\w'’. -]{2,60}?)\s+[–—-]\s+(?P<role>[^\W\d_][\w ]{2,40}?)\s+"
    r"(?:da|do|de|of|at|for|für|bei|pour|di|del|della|з|из|z)\s+(?P<o>.{2,60})$"
)


def compile_labels(data: dict[str, Any], languages: set[str]) -> re.Pattern[str]:
    labels = sorted(
        {
            label
            for lang, spec in data.items()
            if lang in languages and not lang.startswith("_")
            for label in spec["labels"]
        },
        key=len,
        reverse=True,
    )
    body = "|".join(re.escape(label) for label in labels) or "(?!)"
    return re.compile(rf"\W*(?:{body})\s*", re.IGNORECASE)


def byline_evidence(
    authors: tuple[str, ...],
    signals: PageSignals,
    *,
    labels: re.Pattern[str],
    registry: PublisherRegistry,
) -> list[Evidence]:
    out = [e for a in authors if (e := _author(a, registry)) is not None]
    if not signals.header and not signals.removed:
        return out  # no lines around the headline: a feed's page, most of them
    links = {h.text: h.links for h in signals.header}
    for line in dict.fromkeys((*links, *signals.removed[:_MAX_LINES])):
        found = _labelled(line, labels, registry) or _byline(line, registry)
        found = found or _lone(line, registry)
        if found is not None:
            # "Source: <a href=...>The Texas Tribune</a>": the link is the origin article.
            domain = found.origin.domain
            url = article_link((domain,), links.get(line, ())) if domain else None
            out.append(replace(found, url=url) if url else found)
    return out


def _author(author: str, registry: PublisherRegistry) -> Evidence | None:
    found = registry.resolve_name(author, loose=False)
    if found is None:
        return None
    return Evidence("byline", f"author: {author}", WEIGHT, PublisherRef(author, found.domain))


def _labelled(line: str, labels: re.Pattern[str], registry: PublisherRegistry) -> Evidence | None:
    label = labels.match(line)
    if label is None or len(line) > _MAX_LABEL_CHARS:
        return None
    rest = line[label.end() :].lstrip(_QUOTES)
    named = registry.named_in(rest)
    # The outlet opens what follows the label ("Provided by Reuters · 6 March"); a name
    # further on belongs to something else ("Source: Eurostat, via Reuters").
    if named is None or not rest.startswith(named[0]):
        return None
    name, found = named
    return Evidence("source_label", line, WEIGHT, PublisherRef(name, found.domain))


def _byline(line: str, registry: PublisherRegistry) -> Evidence | None:
    """ "By Sarah Jane Tribble KFF Health News", "By Jane Doe | The Texas Tribune": the
    byline ends with the outlet."""
    if len(line) > _MAX_LABEL_CHARS:
        return None
    role = _ROLE_BYLINE.match(_SEPARATOR.split(line)[0])
    if role is not None and _names_only(role.group("who")):
        outlet = _TRAILING_DATE.sub("", role.group("o")).strip(" .,")
        found = registry.resolve_name(outlet, loose=False)
        if found is not None:
            return Evidence("byline", line, WEIGHT, PublisherRef(outlet, found.domain))
    opening = _BYLINE.match(line)
    if opening is None:
        return None
    # "By MAYA OKAFOR Associated Press | Aug. 5, 2025": the byline ends at the separator,
    # and a date may close it ("..., The Marshall Project July 22, 2025").
    whole = _SEPARATOR.split(line[opening.end() :])[0].rstrip(" .,")
    # With the closing date and without it: "Channel 4" ends in a number too.
    for rest in dict.fromkeys((whole, _TRAILING_DATE.sub("", whole).rstrip(" .,"))):
        for start in (m.start() for m in re.finditer(r"(?<=[\s,|/–—-])\S", rest)):
            if not _names_only(rest[:start]):
                break  # "By Jane Doe, with reporting by Reuters": not the byline's outlet
            tail = rest[start:].strip(_QUOTES + "()")  # "Katarzyna Nocuń (PAP)"
            found = registry.resolve_name(tail, loose=False)
            if found is not None:
                return Evidence("byline", line, WEIGHT, PublisherRef(tail, found.domain))
    return None


def _names_only(text: str) -> bool:
    """Only people's names before the outlet: capitalised words and name particles."""
    words = re.findall(r"[^\W\d_][\w'’.-]*", text)
    return all(w[0].isupper() or w.casefold() in _PARTICLES for w in words)


def _lone(line: str, registry: PublisherRegistry) -> Evidence | None:
    """A provider chip or logo: the whole line is an outlet's name."""
    if len(line.split()) > _MAX_LONE_WORDS:
        return None
    found = registry.resolve_name(line, loose=False)
    # As written, article included: a section label "Monde" or "Mundo" is no Le Monde.
    if found is None or _folded(line) not in {_folded(n) for n in (found.name, *found.aliases)}:
        return None
    return Evidence("provider", line, LONE_WEIGHT, PublisherRef(line, found.domain))


def _folded(name: str) -> str:
    # "The Independent (UK)": the registry's qualifier is not part of the name as written.
    return " ".join(re.findall(r"\w+", _QUALIFIER.sub("", name).casefold()))
