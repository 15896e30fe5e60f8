"""Text fingerprints: exact hash and a near-duplicate sketch of the normalised body.

Pure. The design, chosen by measurement (bench/clustering.py, BENCHMARKS.md "Dedup at
scale"): word 5-shingles, a 128-value one-permutation-per-slot MinHash kept as 16-bit
values (b-bit MinHash: 256 bytes, bias 2**-16), and an LSH index of the first
``INDEX_BANDS`` slots as single-row bands, so that a copy sharing a fifth of its shingles
is a candidate with probability 1 - 0.8**16 = 0.97 and above a third 0.9985. Confirmation
takes the larger of Jaccard and containment (a trimmed wire copy is contained in its
origin), and trusts containment only on enough agreeing slots to be out of the noise.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from itertools import chain

import xxhash

SHINGLE_WORDS = 5
NUM_PERM = 128
SKETCH_BITS = 8
INDEX_BANDS = 20
# Fewer shingles than this (about a 60-word feed summary) is too little text to tell a
# copy from a report of the same event: such texts merge on the exact hash only.
MIN_SHINGLES = 60
# Containment is estimated from Jaccard and the two sizes; the estimate is only as good as
# the number of agreeing slots behind it. Below this many it is noise (two reports that
# share one long quote agree on a few slots by chance).
MIN_AGREEING = NUM_PERM // 8
# Short texts are only ever merged by the near index when practically identical.
SHORT_BAR = 0.9

# Paragraphs shorter than this are captions, datelines, ad slots and headings.
MIN_PARAGRAPH_WORDS = 6

_WORD = re.compile(r"\w+")
# Quoted speech, within a paragraph: the part of a story other outlets share verbatim.
_QUOTED = re.compile(r"“[^”\n]*”|\"[^\"\n]*\"|«[^»\n]*»|„[^“”\n]*[“”]")
_QUOTE_MARKS = ("“", '"', "«", "„")  # what every _QUOTED match opens with
# A space for every ASCII byte that is not a letter or digit (ASCII \w less "_"), the
# lower case of an upper-case letter; the bytes of longer UTF-8 characters (>= 0x80) kept.
_ASCII_WORD_BYTES = bytes(
    c if c >= 0x80 or chr(c).isalnum() else ord(" ") for c in range(256)
).lower()
# Non-ASCII punctuation common in news text, made spaces first so that a paragraph with
# nothing else outside ASCII takes the ASCII way. Each is a character of its own under
# NFKC and case folding (no decomposition, no composition with a neighbour), like a space.
_COMMON_MARKS = "’‘“”„«»–—"
_CHANCE = 2.0**-SKETCH_BITS  # two different minima agree in their low bits by chance


@dataclass(frozen=True, slots=True)
class Fingerprint:
    text_hash: str  # hex digest of the normalised text; equal texts, equal hashes
    shingles: int  # distinct shingles in the text
    sketch: tuple[int, ...]  # NUM_PERM b-bit MinHash values; empty for a short text
    index_keys: tuple[int, ...]  # 64-bit LSH band digests; empty for a short text

    @property
    def is_short(self) -> bool:
        """Too little text for a safe near-duplicate match (a summary only)."""
        return self.shingles < MIN_SHINGLES


def normalize_text(text: str) -> list[str]:
    """Words of the text: NFKC, case-folded, punctuation and spacing dropped."""
    # The words are the runs of \w (isalnum, or "_", which is a separator here). Matching
    # them with the regex costs tens of ns a character; a byte translation and a split,
    # a few. ASCII text is its own NFKC, and its case folding is lower-casing.
    if not text.isascii():
        for mark in _COMMON_MARKS:
            text = text.replace(mark, " ")
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text).casefold()
        if not text.isascii():
            # The split is the words only when every character left in it is a word
            # character (letters of other scripts); else the regex decides.
            data = text.encode(errors="surrogatepass").translate(_ASCII_WORD_BYTES)
            words = data.decode(errors="surrogatepass").split()
            if "".join(words).isalnum():
                return words
            return _WORD.findall(text.replace("_", " "))
    return text.encode().translate(_ASCII_WORD_BYTES).decode().split()


@cache
def _furniture() -> re.Pattern[str]:
    text = files("workers").joinpath("data/boilerplate_lines.txt").read_text(encoding="utf-8")
    prefixes = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    alternatives = "|".join(
        r"\s+".join(map(re.escape, p.split())) for p in sorted(prefixes, key=len, reverse=True)
    )
    return re.compile(rf"\s*(?:{alternatives})\b", re.IGNORECASE)


def story_words(text: str) -> list[str]:
    """The words the near-duplicate sketch is made of: the text without page furniture
    (short paragraphs, teasers, ad slots) and without quoted speech. Copies add and drop
    the first; independent reports of one event share the second (the same quote), so
    leaving both out widens the gap between the two (BENCHMARKS.md, "Dedup at scale")."""
    kept = [_QUOTED.sub(" ", p) for p in text.split("\n\n") if _is_story(p)]
    return normalize_text("\n".join(kept))


def _is_story(paragraph: str) -> bool:
    """Not page furniture: long enough, and not a boilerplate line."""
    # The count of words stops at MIN_PARAGRAPH_WORDS: a long paragraph is not split whole.
    words = paragraph.split(maxsplit=MIN_PARAGRAPH_WORDS - 1)
    return len(words) >= MIN_PARAGRAPH_WORDS and not _furniture().match(paragraph)


def shingles(words: list[str], size: int = SHINGLE_WORDS) -> set[str]:
    """The distinct word ``size``-grams (one for a text shorter than that)."""
    n = max(1, len(words) - size + 1)
    return {" ".join(words[i : i + size]) for i in range(n)}


def fingerprint(text: str) -> Fingerprint:
    # Normalisation works line by line (NFKC, case folding and word splitting never cross a
    # line break), so the words of the whole text are its paragraphs' words, in order.
    pieces = text.split("\n\n")
    story = list(map(_is_story, pieces))
    # Four substring tests (memchr) cost a fraction of a regex search over the text.
    if all(story) and not any(map(text.__contains__, _QUOTE_MARKS)):
        # The usual article: no furniture, no quoted speech, so the story words are all
        # the words. One normalisation and one encoding serve the hash and the shingles.
        words = normalize_text(text)
        data = " ".join(words).encode()
        return _fingerprint(xxhash.xxh3_64_hexdigest(data), words, data)
    # Else the text is normalised once, paragraph by paragraph: the exact hash takes every
    # paragraph's words, the sketch the story paragraphs' (``story_words``), and only a
    # paragraph with quoted speech is normalised again without its quotes.
    normalised = [normalize_text(p) for p in pieces]
    text_hash = xxhash.xxh3_64_hexdigest(" ".join(chain.from_iterable(normalised)).encode())
    words = []
    for piece, piece_words, is_story in zip(pieces, normalised, story, strict=True):
        if not is_story:
            continue
        if any(map(piece.__contains__, _QUOTE_MARKS)):
            words += normalize_text(_QUOTED.sub(" ", piece))
        else:
            words += piece_words
    return _fingerprint(text_hash, words, None)


def _fingerprint(text_hash: str, words: list[str], data: bytes | None) -> Fingerprint:
    """The fingerprint of a text of that hash and those story words (``data``, when known,
    their UTF-8 joined by spaces)."""
    if not words:
        return Fingerprint(text_hash, 0, (0,) * NUM_PERM, ())
    if len(words) - SHINGLE_WORDS + 1 < MIN_SHINGLES:
        # A short text is matched on its exact hash only (is_short): a sketch would never
        # be compared, and computing it was a tenth of a feeds-only pass.
        return Fingerprint(text_hash, _distinct_shingles(words), (), ())
    # The MinHash kernel (numpy) is imported here, with the first long text: not at start-up.
    from workers.minhash import sketch_words

    count, slots, keys = sketch_words(words, INDEX_BANDS, data)
    if count < MIN_SHINGLES:  # repeated shingles: short after all
        return Fingerprint(text_hash, count, (), ())
    return Fingerprint(text_hash, count, slots, keys)


def _distinct_shingles(words: list[str]) -> int:
    """``len(shingles(words))``: words hold no space, so distinct word tuples are distinct
    joined shingles, and tuples of words need no new strings."""
    if len(words) <= SHINGLE_WORDS:
        return 1
    return len(set(zip(*(words[i:] for i in range(SHINGLE_WORDS)), strict=False)))


def similarity(a: Fingerprint, b_sketch: tuple[int, ...], b_shingles: int) -> float:
    """Similarity in 0..1 used to confirm a candidate: max of Jaccard and containment."""
    if not b_sketch or len(b_sketch) != len(a.sketch) or not a.shingles or not b_shingles:
        return 0.0
    agreeing = sum(x == y for x, y in zip(a.sketch, b_sketch, strict=True))
    jaccard = max(0.0, (agreeing / len(a.sketch) - _CHANCE) / (1.0 - _CHANCE))
    if a.is_short or b_shingles < MIN_SHINGLES:
        return jaccard if jaccard >= SHORT_BAR else 0.0
    if agreeing < MIN_AGREEING:
        return jaccard
    shared = jaccard / (1.0 + jaccard) * (a.shingles + b_shingles)
    return max(jaccard, min(1.0, shared / min(a.shingles, b_shingles)))
