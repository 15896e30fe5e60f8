"""The numpy kernel of ``workers/fingerprint.py``: shingle hashes and the MinHash.

Its own module so that numpy (about a tenth of a second of CPU to import) is loaded with
the first long text a worker fingerprints, not at start-up: a pass where every feed
answers 304 never needs it. ``fingerprint.fingerprint`` imports it, in one place.
"""

from __future__ import annotations

from itertools import accumulate

import numpy as np
import numpy.typing as npt
import xxhash

from workers.fingerprint import NUM_PERM, SHINGLE_WORDS, SKETCH_BITS, shingles

_SKETCH_MASK = np.uint64((1 << SKETCH_BITS) - 1)
_SEEDS = np.array(
    [xxhash.xxh3_64_intdigest(f"newsingest-minhash-{i}".encode()) for i in range(NUM_PERM)],
    dtype=np.uint64,
)


def _mix_in_place(x: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """splitmix64's finaliser, a cheap bijection on 64 bits (so x ^ seed_i is a
    permutation), computed in ``x`` with one scratch array instead of a new array per step
    (uint64 arithmetic wraps modulo 2**64). tests/test_feed_path_fast.py keeps the plain
    definition it must equal."""
    scratch = np.empty_like(x)
    for shift, factor in ((_S30, _M1), (_S27, _M2)):
        np.right_shift(x, shift, out=scratch)
        np.bitwise_xor(x, scratch, out=x)
        np.multiply(x, factor, out=x)
    np.right_shift(x, _S31, out=scratch)
    np.bitwise_xor(x, scratch, out=x)
    return x


_S30, _S27, _S31 = np.uint64(30), np.uint64(27), np.uint64(31)
_M1, _M2 = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)


def _hashes(grams: set[str]) -> npt.NDArray[np.uint64]:
    return np.fromiter((xxhash.xxh3_64_intdigest(g.encode()) for g in grams), np.uint64, len(grams))


def shingle_hashes(words: list[str], size: int = SHINGLE_WORDS) -> npt.NDArray[np.uint64]:
    """64-bit hashes of the distinct word ``size``-grams."""
    return _hashes(shingles(words, size))


def _distinct_shingle_hashes(words: list[str]) -> npt.NDArray[np.uint64]:
    """``shingle_hashes(words)``, without building each shingle as a string: the words are
    encoded once, joined by spaces, and each shingle is a slice of those bytes (the UTF-8
    of ``" ".join(words[i : i + SHINGLE_WORDS])``). Distinct slices are distinct shingles."""
    if len(words) < SHINGLE_WORDS:
        return shingle_hashes(words)
    joined = " ".join(words)
    data = joined.encode()
    sizes = map(len, words) if len(data) == len(joined) else (len(w.encode()) for w in words)
    # Where each word starts, plus one past the end: a word's start is the previous start
    # plus the previous word's length and its space.
    starts = list(accumulate((n + 1 for n in sizes), initial=0))
    grams = {data[a : b - 1] for a, b in zip(starts, starts[SHINGLE_WORDS:], strict=False)}
    return np.fromiter(map(xxhash.xxh3_64_intdigest, grams), np.uint64, len(grams))


def minima(hashes: npt.NDArray[np.uint64], perms: int = NUM_PERM) -> npt.NDArray[np.uint64]:
    """The MinHash: per permutation, the least permuted shingle hash."""
    with np.errstate(over="ignore"):
        mixed = _mix_in_place(hashes[None, :] ^ _SEEDS[:perms, None])
        least: npt.NDArray[np.uint64] = mixed.min(axis=1)
    return least


def sketch_words(words: list[str], bands: int) -> tuple[int, tuple[int, ...], tuple[int, ...]]:
    """The number of distinct shingles of the words, their b-bit MinHash, and its first
    ``bands`` minima in full (64 bits)."""
    hashes = _distinct_shingle_hashes(words)
    return (len(hashes), *_sketch(minima(hashes), bands))


def _sketch(least: npt.NDArray[np.uint64], bands: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
    return tuple((least & _SKETCH_MASK).tolist()), tuple(least[:bands].tolist())
