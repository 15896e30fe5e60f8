"""Signal 5: which side of a near-duplicate match is the origin (pure decisions)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from workers.model import OriginClaim, PublisherRef
from workers.provenance.content import ContentDecision, Party, content_match
from workers.provenance.registry import PublisherRegistry

T0 = datetime(2024, 3, 5, 8, 0, tzinfo=UTC)
NV = PublisherRef("The New Voice of Ukraine", "english.nv.ua")
HUB = PublisherRef("NewsHub", "newshub.example")
AP = PublisherRef("The Associated Press", "apnews.com")
LEDGER = PublisherRef("The Daily Ledger", "dailyledger.example")


def claim(ref: PublisherRef) -> OriginClaim:
    return OriginClaim(ref, None, 0.92)


CASES = [
    ("copy names the story's outlet",
     Party(HUB, T0 - timedelta(hours=2), origin=claim(PublisherRef("NV"))), Party(NV, T0),
     0.93, "story", "explicit"),
    ("story names the page's outlet",
     Party(NV, T0 + timedelta(hours=3)), Party(HUB, T0, origin=claim(NV)),
     0.9, "page", "explicit"),
    ("agency beats earlier paper",
     Party(AP, T0 + timedelta(hours=1), is_agency=True), Party(LEDGER, T0),
     0.95, "page", "agency"),
    ("paper reprint of an agency story", Party(LEDGER, T0), Party(AP, T0, is_agency=True),
     0.95, "story", "agency"),
    ("earlier publication", Party(LEDGER, T0 + timedelta(hours=5)), Party(NV, T0),
     0.9, "story", "earlier"),
    ("page published earlier", Party(NV, T0), Party(LEDGER, T0 + timedelta(minutes=45)),
     0.9, "page", "earlier"),
    ("near-tie in time", Party(NV, T0), Party(LEDGER, T0 + timedelta(minutes=5)),
     0.9, None, "undecided"),
    ("no dates", Party(NV, None), Party(LEDGER, T0), 0.9, None, "undecided"),
    ("too dissimilar", Party(HUB, T0, origin=claim(NV)), Party(NV, T0), 0.5, None, "dissimilar"),
]


@pytest.mark.parametrize(("page", "story", "similarity", "side", "reason"),
                         [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_content_match_decides_the_origin_side(
    page: Party, story: Party, similarity: float, side: str | None, reason: str
) -> None:
    decision = content_match(page, story, similarity, registry=PublisherRegistry.bundled())

    assert (decision.origin, decision.reason) == (side, reason)
    if side is None:
        assert decision.evidence is None
    else:
        assert decision.evidence is not None
        origin = page if side == "page" else story
        assert decision.evidence.signal == "content_match"
        assert decision.evidence.origin == origin.publisher
        assert 0 < decision.evidence.weight <= similarity


def test_explicit_evidence_outweighs_timing() -> None:
    explicit = content_match(Party(HUB, T0, origin=claim(NV)), Party(NV, T0), 0.9)
    timing = content_match(Party(HUB, T0 + timedelta(hours=5)), Party(NV, T0), 0.9)

    assert isinstance(explicit.evidence, type(timing.evidence))
    assert explicit.evidence is not None
    assert timing.evidence is not None
    assert explicit.evidence.weight > timing.evidence.weight
    assert ContentDecision(None, "undecided").evidence is None
