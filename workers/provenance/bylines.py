"""Bylines and source labels: who the page itself says wrote the story.

Aggregators and partner sites say where a story comes from in the meta block above it, not
in a notice: "By Jane Doe, KFF Health News", an author that is an outlet ("Associated
Press", "dpa"), "Provided by Reuters" beside a logo. Such a line is evidence only when the
outlet is one the registry knows, named whole (a byline's "Guardian contributor" or a
surname like "Reuter" names nobody); ``combine`` drops the page's own outlet.
"""

from __future__ import annotations

import re
from typing import Any

from workers.model import Evidence, PublisherRef
from workers.provenance.registry import PublisherRegistry

# Below the catalogue notices: a byline names the writer's outlet, which is nearly always
# the origin, but says nothing of permission or of which article.
WEIGHT = 0.7
# The meta block is at the top: the first lines extraction set aside.
_HEAD_LINES = 12
_MAX_LABEL_CHARS = 120
_QUOTES = " «\"“„'"


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
    removed: tuple[str, ...],
    *,
    labels: re.Pattern[str],
    registry: PublisherRegistry,
) -> list[Evidence]:
    out: list[Evidence] = []
    for author in authors:
        found = registry.resolve(PublisherRef(name=author), loose=False)
        if found is not None:
            ref = PublisherRef(author, found.domain)
            out.append(Evidence("byline", f"author: {author}", WEIGHT, ref))
    for line in removed[:_HEAD_LINES]:
        label = labels.match(line)
        if label is None or len(line) > _MAX_LABEL_CHARS:
            continue
        rest = line[label.end() :].lstrip(_QUOTES)
        named = registry.named_in(rest)
        # The outlet opens what follows the label ("Provided by Reuters · 6 March"); a name
        # further on belongs to something else ("Source: Eurostat, via Reuters").
        if named is not None and rest.startswith(named[0]):
            name, found = named
            out.append(Evidence("source_label", line, WEIGHT, PublisherRef(name, found.domain)))
    return out
