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

_SKETCH_MASK = np.uint64((1 << SKETCH_BITS) - 1)
_SEEDS = np.array(
    [xxhash.xxh3_64_intdigest(f"newsingest-minhash-{i}".encode()) for i in range(NUM_PERM)],
    dtype=np.uint64,
)


_S30, _S27, _S31 = np.uint64(30), np.uint64(27), np.uint64(31)
_M1, _M2 = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)
# The permutation of slot i is splitmix64's finaliser of h ^ seed_i, a bijection on 64 bits
# (tests/test_feed_path_fast.py keeps its plain definition). Its first step, x ^ (x >> 30),
# is linear over XOR, so for x = h ^ seed it is (h ^ h >> 30) ^ (seed ^ seed >> 30): done
# here once per seed and in ``minima`` once per hash, not once per (seed, hash) pair.
_SEEDS_STEP1 = _SEEDS ^ (_SEEDS >> _S30)
_SPACE = np.uint8(ord(" "))


def _hashes(grams: set[str]) -> npt.NDArray[np.uint64]:
    return np.fromiter((xxhash.xxh3_64_intdigest(g.encode()) for g in grams), np.uint64, len(grams))


def shingle_hashes(words: list[str], size: int = SHINGLE_WORDS) -> npt.NDArray[np.uint64]:
    """64-bit hashes of the distinct word ``size``-grams."""
    return _hashes(shingles(words, size))


def _distinct_shingle_hashes(words: list[str], data: bytes | None = None) -> npt.NDArray[np.uint64]:
    """The hashes of ``shingle_hashes(words)`` (in another order), without building each
    shingle as a string: the words are encoded once, joined by spaces (``data``, if the
    caller has it already), and each shingle is a slice of those bytes (the UTF-8 of
    ``" ".join(words[i : i + SHINGLE_WORDS])``). Distinct slices are distinct shingles."""
    if len(words) < SHINGLE_WORDS:
        return shingle_hashes(words)
    if data is None:
        data = " ".join(words).encode()
    # Words hold no space and a space byte is never part of a longer UTF-8 character, so
    # the spaces of ``data`` are exactly the joins: word i + 1 starts one past space i, and
    # shingle i ends at space i + SHINGLE_WORDS - 1. Numpy finds them several times faster
    # than summing the words' encoded lengths.
    spaces = np.flatnonzero(np.frombuffer(data, np.uint8) == _SPACE)
    starts = [0, *(spaces + 1).tolist()]
    ends = [*spaces[SHINGLE_WORDS - 1 :].tolist(), len(data)]
    grams = [data[a:b] for a, b in zip(starts, ends, strict=False)]
    # Every slice is hashed and the hashes sorted, rather than the slices put in a set
    # first: when no two hashes are equal no two shingles are, and the count is exact.
    # Equal hashes (a text repeating itself) take the set.
    hashes = np.fromiter(map(xxhash.xxh3_64_intdigest, grams), np.uint64, len(grams))
    hashes.sort()
    if np.any(hashes[1:] == hashes[:-1]):
        distinct = set(grams)
        return np.fromiter(map(xxhash.xxh3_64_intdigest, distinct), np.uint64, len(distinct))
    return hashes


def minima(hashes: npt.NDArray[np.uint64], perms: int = NUM_PERM) -> npt.NDArray[np.uint64]:
    """The MinHash: per permutation, the least permuted shingle hash."""
    # A perms x n matrix, mixed in place with one scratch array (uint64 arithmetic on
    # arrays wraps modulo 2**64 and never warns: no errstate needed). Working through it a
    # few rows at a time, to stay in cache, measured slower: the passes are bound by
    # arithmetic, and the calls multiply. The outer XOR costs about three plain passes
    # (numpy broadcasts it row by row), but building it from contiguous copies (repeat,
    # tile) or in the transposed layout measured no faster.
    x = np.bitwise_xor.outer(_SEEDS_STEP1[:perms], hashes ^ (hashes >> _S30))
    scratch = np.empty_like(x)
    np.multiply(x, _M1, out=x)
    np.right_shift(x, _S27, out=scratch)
    np.bitwise_xor(x, scratch, out=x)
    np.multiply(x, _M2, out=x)
    np.right_shift(x, _S31, out=scratch)
    np.bitwise_xor(x, scratch, out=x)
    least: npt.NDArray[np.uint64] = np.minimum.reduce(x, axis=1)
    return least


def sketch_words(
    words: list[str], bands: int, data: bytes | None = None
) -> tuple[int, tuple[int, ...], tuple[int, ...]]:
    """The number of distinct shingles of the words, their b-bit MinHash, and its first
    ``bands`` minima in full (64 bits); ``data``, if given, is ``" ".join(words).encode()``."""
    hashes = _distinct_shingle_hashes(words, data)
    return (len(hashes), *_sketch(minima(hashes), bands))


def _sketch(least: npt.NDArray[np.uint64], bands: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
    return tuple((least & _SKETCH_MASK).tolist()), tuple(least[:bands].tolist())
