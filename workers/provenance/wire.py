"""Wire copy: agency datelines ("KYIV (Reuters) -") and credits ("— The Associated Press")."""

from __future__ import annotations

import re

from workers.model import Evidence, PublisherRef
from workers.provenance.catalogue import Combined, WirePatterns
from workers.provenance.registry import PublisherRegistry

# A credit line outside the article body (an article footer, or site chrome) is less sure.
_OUTSIDE_MAIN_FACTOR = 0.65


def _evidence(
    patterns: Combined, wire: WirePatterns, text: str, factor: float = 1.0
) -> Evidence | None:
    hit = patterns.match(text)
    if hit is None:
        return None
    token = hit.rule.agency or hit.group("a")
    agency = wire.agency_by_token.get(token.casefold()) if token else None
    if agency is None:
        return None
    return Evidence(
        signal=hit.rule.signal,
        detail=hit.match.group(0).strip()[:200],
        weight=round(hit.rule.weight * factor, 3),
        origin=agency.ref(),
    )


# "DES MOINES, Iowa (Iowa Capital Dispatch) —": a dateline naming an outlet that is no agency.
# No "(" can be part of the place before it, so that run is taken whole ({0,40}+), not tried
# at every length.
_OUTLET_DATELINE = re.compile(
    r"[^\W\d_][\w.,'’/ -]{0,40}+\(\s*(?P<n>[^()\d][^()]{1,48}?)\s*\)\s*\.?\s*[-–—:]"
)
_OUTLET_DATELINE_WEIGHT = 0.8
_UNKNOWN_DATELINE_WEIGHT = 0.6
# Two to five capitalised words: "Iowa Capital Dispatch", "The Texas Tribune".
_OUTLET_NAME = re.compile(r"(?:[A-ZÀ-Ý][\w.&'’-]*\s+){1,4}[A-ZÀ-Ý][\w.&'’-]*")


def dateline_evidence(
    head_text: str, wire: WirePatterns, registry: PublisherRegistry | None = None
) -> Evidence | None:
    """The agency of a dateline opening the main text; with a registry, any outlet it
    knows in the dateline's parentheses."""
    first_line = head_text.lstrip().split("\n", 1)[0][:200]
    found = _evidence(wire.datelines, wire, first_line)
    if found is not None or registry is None:
        return found
    m = _OUTLET_DATELINE.match(first_line)
    if m is None:
        return None
    name = m.group("n")
    outlet = registry.resolve(PublisherRef(name=name), loose=False)
    if outlet is not None:
        return Evidence("wire_dateline", m.group(0).strip(), _OUTLET_DATELINE_WEIGHT, outlet.ref())
    if _OUTLET_NAME.fullmatch(name) is None:
        return None  # "WASHINGTON (Reuters/Ipsos poll)", "(updated)": not a newsroom's name
    # AP style puts the newsroom in the dateline's parentheses; one the registry does not
    # know yet is named only (the site's own is dropped by combine).
    ref = PublisherRef(name=name)
    return Evidence("wire_dateline", m.group(0).strip(), _UNKNOWN_DATELINE_WEIGHT, ref)


def credit_evidence(line: str, wire: WirePatterns, *, in_main: bool = True) -> Evidence | None:
    """The agency of a whole line that credits it, or an agency copyright line."""
    if len(line) > 200:
        return None  # a credit is short; a long line is story text mentioning an agency
    return _evidence(wire.credits, wire, line, 1.0 if in_main else _OUTSIDE_MAIN_FACTOR)
