"""The fingerprint's fast kernels give exactly what their plain definitions give.

- ``normalize_text`` (a byte translation and a split, the regex only for what that cannot
  decide) against the regex over the NFKC, case-folded text;
- ``_distinct_shingle_hashes`` (byte slices, hashes sorted, a set only on equal hashes)
  against ``shingle_hashes``, including when two distinct shingles share a hash;
- ``minima`` (the first mixing step taken out of the seed x hash matrix) against the mix
  as defined. tests/test_feed_path_fast.py compares whole fingerprints on real texts.
"""

from __future__ import annotations

import random
import re
import sys
import unicodedata
from collections.abc import Iterator
from types import SimpleNamespace

import numpy as np
import numpy.typing as npt
import pytest
import xxhash

from workers import minhash
from workers.fingerprint import _COMMON_MARKS, NUM_PERM, normalize_text, shingles

_WORD = re.compile(r"\w+")


def _plain_words(text: str) -> list[str]:
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold().replace("_", " "))


# --- normalize_text -------------------------------------------------------------------

# One string per character, holding it alone, inside a word, between words, after a
# letter that NFKC composes, next to "_" and to the common marks.
_CONTEXT = "{c} ab{c}cd x {c} y É{c}{c}_{c}Z ”{c}’ a{c}\u0301b"


def _characters() -> Iterator[str]:
    """Every character that could behave unlike its neighbours (a tenth of them): all
    below the CJK blocks, every one with a decomposition or outside the big uniform
    categories (other letters, unassigned, private use), and a sample of the rest."""
    for cp in range(sys.maxunicode + 1):
        c = chr(cp)
        uniform = unicodedata.category(c) in ("Lo", "Cn", "Co") and cp % 97
        if cp < 0x3400 or unicodedata.decomposition(c) or not uniform:
            yield c


def test_normalised_words_are_the_regexs_for_every_kind_of_character() -> None:
    for c in _characters():
        text = _CONTEXT.replace("{c}", c)
        assert normalize_text(text) == _plain_words(text), hex(ord(c))


def test_common_marks_are_characters_of_their_own() -> None:
    """What lets them be made spaces before NFKC: none decomposes, folds, composes or is
    part of a word."""
    canonical = [unicodedata.decomposition(chr(cp)) for cp in range(sys.maxunicode + 1)]
    parts = {p for d in canonical if d and not d.startswith("<") for p in d.split()}
    for mark in _COMMON_MARKS:
        assert unicodedata.normalize("NFKC", mark) == mark == mark.casefold()
        assert unicodedata.combining(mark) == 0
        assert not mark.isalnum()
        assert f"{ord(mark):04X}" not in parts


def test_normalised_words_of_random_strings() -> None:
    rng = random.Random(5)
    pool = [
        *map(chr, range(0x250)),
        *"’‘“”„«»–—…\u00a0\u2003\u200b\u0301\u0327\ufb01ΑΣσςßİ日本\ud800",
        *(chr(rng.randrange(sys.maxunicode + 1)) for _ in range(300)),
    ]
    for _ in range(50_000):
        text = "".join(rng.choice(pool) for _ in range(rng.randrange(12)))
        assert normalize_text(text) == _plain_words(text), repr(text)


# --- shingle hashes ---------------------------------------------------------------------


def _words(text: str) -> list[str]:
    return text.split()


_WORDS = [
    _words("the central bank held its rate at four percent on thursday"),
    _words("the same five words again the same five words again and more"),
    _words("one two three four five six " * 20),  # mostly repeats
    ["élan", "straße", "日本語", "ﬁ", "x"] * 3 + ["🙂", "שלום", "ok"],
    _words("a b c d"),  # fewer words than a shingle
    _words("a b c d e"),
]


def _as_set(hashes: npt.NDArray[np.uint64]) -> list[int]:
    return sorted(hashes.tolist())


@pytest.mark.parametrize("words", _WORDS)
def test_distinct_shingle_hashes_are_shingle_hashes(words: list[str]) -> None:
    hashes = minhash._distinct_shingle_hashes(words)
    assert len(hashes) == len(shingles(words))
    assert _as_set(hashes) == _as_set(minhash.shingle_hashes(words))


@pytest.mark.parametrize("words", _WORDS)
def test_the_count_stays_exact_when_distinct_shingles_share_a_hash(
    words: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Equal hashes send the shingles to a set: a collision never loses a shingle."""
    tiny = SimpleNamespace(xxh3_64_intdigest=lambda b: xxhash.xxh3_64_intdigest(b) & 3)
    monkeypatch.setattr(minhash, "xxhash", tiny)
    expected = sorted(xxhash.xxh3_64_intdigest(g.encode()) & 3 for g in shingles(words))
    assert _as_set(minhash._distinct_shingle_hashes(words)) == expected


# --- minima -----------------------------------------------------------------------------


def _plain_minima(hashes: npt.NDArray[np.uint64], perms: int) -> npt.NDArray[np.uint64]:
    def mix(x: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:  # splitmix64's finaliser
        x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return x ^ (x >> np.uint64(31))

    least: npt.NDArray[np.uint64] = mix(hashes[None, :] ^ minhash._SEEDS[:perms, None]).min(1)
    return least


@pytest.mark.parametrize("n", [1, 2, 61, 700, 3000])
@pytest.mark.parametrize("perms", [NUM_PERM, 64, 1])
def test_minima_are_the_plain_definitions(n: int, perms: int) -> None:
    rng = np.random.default_rng(n * 1000 + perms)
    hashes = rng.integers(0, 2**64, n, dtype=np.uint64, endpoint=False)
    hashes[: n // 2] |= np.uint64(0xFFFF_FFFF_0000_0000)  # high bits, for the shifts
    assert np.array_equal(minhash.minima(hashes, perms), _plain_minima(hashes, perms))
