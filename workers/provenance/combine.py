"""Evidence to one origin: drop pointers to the page's own site, group the rest by the
outlet they resolve to, and take the best-supported outlet if it is supported enough."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from workers.model import Evidence, OriginClaim, PublisherRef
from workers.provenance.names import name_key, same_site
from workers.provenance.registry import Publisher, PublisherRegistry

# Below this, evidence is reported but the page stays its own origin: one weak signal
# (a publisher name in JSON-LD, a credit outside the body) must not make a copy.
THRESHOLD = 0.5
# A rival outlet with evidence of its own makes the winner less certain.
_RIVAL_PENALTY = 0.25
_MAX_CONFIDENCE = 0.99


@dataclass(frozen=True, slots=True)
class Site:
    """Who serves the page, every way a signal could name it."""

    host: str | None
    names: frozenset[str]  # name keys
    publisher: Publisher | None

    @classmethod
    def of(
        cls, host: str | None, names: tuple[str | None, ...], registry: PublisherRegistry
    ) -> Site:
        keys = frozenset(map(name_key, filter(None, names)))
        publisher = registry.resolve_domain(host) if host else None
        for name in names:
            if publisher is None and name:
                found = registry.resolve_name(name)
                # A name is trusted to identify the site only when the hosts agree.
                if found is not None and any(same_site(d, host) for d in found.domains):
                    publisher = found
        return cls(host, keys, publisher)

    def is_self(self, ref: PublisherRef, resolved: Publisher | None) -> bool:
        if ref.domain and same_site(ref.domain, self.host):
            return True
        if resolved is not None and self.publisher is not None:
            return resolved.name == self.publisher.name
        if resolved is not None and self.host:
            return any(same_site(d, self.host) for d in resolved.domains)
        return bool(ref.name) and name_key(ref.name or "") in self.names


def _group_key(ref: PublisherRef, resolved: Publisher | None) -> str:
    if resolved is not None:
        return "p:" + resolved.name
    if ref.domain:
        return "d:" + ref.domain
    return "n:" + name_key(ref.name or "")


def _score(evidence: list[Evidence]) -> float:
    best_per_signal: dict[str, float] = {}
    for e in evidence:
        best_per_signal[e.signal] = max(best_per_signal.get(e.signal, 0.0), e.weight)
    remaining = 1.0
    for weight in best_per_signal.values():
        remaining *= 1.0 - weight
    return 1.0 - remaining


def _claim(group: list[Evidence], resolved: Publisher | None, confidence: float) -> OriginClaim:
    ranked = sorted(group, key=lambda e: -e.weight)
    domain = next((e.origin.domain for e in ranked if e.origin.domain), None)
    url = next((e.url for e in ranked if e.url), None)
    if resolved is not None:
        # A host the registry does not list for the outlet (its feed server, say) is not
        # where its articles live: name the outlet's own.
        if domain is None or not any(same_site(domain, d) for d in resolved.domains):
            domain = resolved.domain
        ref = PublisherRef(resolved.name, domain)
    else:
        ref = PublisherRef(next((e.origin.name for e in ranked if e.origin.name), None), domain)
    is_agency = resolved.is_agency if resolved is not None else False
    return OriginClaim(ref, url, round(min(confidence, _MAX_CONFIDENCE), 3), is_agency)


def combine(
    evidence: list[Evidence], site: Site, registry: PublisherRegistry
) -> tuple[OriginClaim | None, tuple[Evidence, ...]]:
    """The origin (None: the page is its own) and the evidence that was not about itself."""
    if not evidence:
        return None, ()  # most pages: nothing to group
    groups: dict[str, list[Evidence]] = defaultdict(list)
    resolved_by_key: dict[str, Publisher | None] = {}
    kept: list[Evidence] = []
    for e in evidence:
        resolved = registry.resolve(e.origin)
        if site.is_self(e.origin, resolved):
            continue
        key = _group_key(e.origin, resolved)
        groups[key].append(e)
        resolved_by_key[key] = resolved
        kept.append(e)
    if not groups:
        return None, tuple(kept)
    scores = sorted(((_score(g), k) for k, g in groups.items()), reverse=True)
    best, key = scores[0]
    rival = scores[1][0] if len(scores) > 1 else 0.0
    if best < THRESHOLD:
        return None, tuple(kept)
    confidence = best * (1.0 - _RIVAL_PENALTY * rival)
    return _claim(groups[key], resolved_by_key[key], confidence), tuple(kept)
