"""Wire copy: agency datelines ("KYIV (Reuters) -") and credits ("— The Associated Press")."""

from __future__ import annotations

from workers.model import Evidence
from workers.provenance.catalogue import Combined, WirePatterns

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


def dateline_evidence(head_text: str, wire: WirePatterns) -> Evidence | None:
    """The agency of a dateline opening the main text."""
    first_line = head_text.lstrip().split("\n", 1)[0][:200]
    return _evidence(wire.datelines, wire, first_line)


def credit_evidence(line: str, wire: WirePatterns, *, in_main: bool = True) -> Evidence | None:
    """The agency of a whole line that credits it, or an agency copyright line."""
    if len(line) > 200:
        return None  # a credit is short; a long line is story text mentioning an agency
    return _evidence(wire.credits, wire, line, 1.0 if in_main else _OUTSIDE_MAIN_FACTOR)
