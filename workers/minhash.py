"""The numpy kernel of ``workers/fingerprint.py``: shingle hashes and the MinHash.

Its own module so that numpy (about a tenth of a second of CPU to import) is loaded with
the first long text a worker fingerprints, not at start-up: a pass where every feed
answers 304 never needs it. ``fingerprint.fingerprint`` imports it, in one place.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import xxhash

from workers.fingerprint import NUM_PERM, SHINGLE_WORDS, SKETCH_BITS, shingles

_MASK64 = np.uint64(0xFFFFFFFFFFFFFFFF)
_SKETCH_MASK = np.uint64((1 << SKETCH_BITS) - 1)
_SEEDS = np.array(
    [xxhash.xxh3_64_intdigest(f"newsingest-minhash-{i}".encode()) for i in range(NUM_PERM)],
    dtype=np.uint64,
)


def _mix(x: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    # splitmix64's finaliser: a cheap bijection on 64 bits, so x ^ seed_i is a permutation.
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return (x ^ (x >> np.uint64(31))) & _MASK64


def _hashes(grams: set[str]) -> npt.NDArray[np.uint64]:
    return np.fromiter((xxhash.xxh3_64_intdigest(g.encode()) for g in grams), np.uint64, len(grams))


def shingle_hashes(words: list[str], size: int = SHINGLE_WORDS) -> npt.NDArray[np.uint64]:
    """64-bit hashes of the distinct word ``size``-grams."""
    return _hashes(shingles(words, size))


def minima(hashes: npt.NDArray[np.uint64], perms: int = NUM_PERM) -> npt.NDArray[np.uint64]:
    """The MinHash: per permutation, the least permuted shingle hash."""
    with np.errstate(over="ignore"):
        least: npt.NDArray[np.uint64] = _mix(hashes[None, :] ^ _SEEDS[:perms, None]).min(axis=1)
    return least


def sketch(grams: set[str], bands: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The b-bit MinHash of the shingles, and its first ``bands`` minima in full (64 bits)."""
    least = minima(_hashes(grams))
    return tuple(int(v) for v in least & _SKETCH_MASK), tuple(int(v) for v in least[:bands])
