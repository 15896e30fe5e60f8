"""Text fingerprints: exact hash and a near-duplicate sketch of the normalised body.

STUB: interface fixed by the lead; implementation owned by the dedupe helper.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Fingerprint:
    text_hash: str  # hex digest of the normalised text; equal texts, equal hashes
    shingles: int  # distinct shingles in the text
    sketch: tuple[int, ...]  # similarity sketch (design chosen by measurement)
    index_keys: tuple[int, ...]  # what is written to / looked up in the Redis index

    @property
    def is_short(self) -> bool:
        """Too little text for a safe near-duplicate match (a summary only)."""
        raise NotImplementedError


def fingerprint(text: str) -> Fingerprint:
    raise NotImplementedError


def similarity(a: Fingerprint, b_sketch: tuple[int, ...], b_shingles: int) -> float:
    """Similarity in 0..1 used to confirm a candidate (e.g. max of Jaccard and containment)."""
    raise NotImplementedError
