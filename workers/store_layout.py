"""What the dedupe store writes and reads, as data. Pure; workers/store.py does the I/O.

Identities (page URLs, GUIDs, named origin URLs, text hashes) and LSH bands are stored as
8-byte digests of ``kind`` and value, mapped to a story number; a story's record is a small
hash keyed by that number. This module plans the digests for a sighting, encodes the
record a decision leaves, and turns the raw answer of lookup.lua into a ``Lookup``.
"""

from __future__ import annotations

import struct
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Literal

import xxhash

from workers.dedupe import Action, Decision, Lookup, Match, MatchHow, Sighting, StoryRef
from workers.fingerprint import SKETCH_BITS, Fingerprint, similarity

Slot = Literal["own", "named", "origin", "content"]
# Actions that make the sighting's text the story's text, so its bands are indexed.
# A syndicated copy adds only its exact text hash: the story keeps one sketch.
# Actions whose sighting's text becomes the story's text.
_TAKES_TEXT = frozenset(
    {Action.PUBLISH, Action.PUBLISH_FROM_COPY, Action.ORIGIN_ARRIVED, Action.CONTENT_CHANGED}
)
# A copy this much longer than the text a story is matched by replaces it (sketch only, the
# story's text_hash stays): trimmed copies are contained in the longest version, so matching
# against it finds more of them while the origin has not been seen (bench/clustering.py).
LONGER = 1.1


_SLOT, _SLOT_BYTES = ("B", 1) if SKETCH_BITS <= 8 else ("H", 2)


BAND_BYTES = 5


def digest(kind: str, value: str) -> bytes:
    return xxhash.xxh3_64_digest(f"{kind}\x00{value}".encode())


def band_digest(key: int) -> bytes:
    # 5 bytes, not 8: a band entry is most of a story's index memory, and a false hit on
    # 40 bits (one lookup in ~40,000 at 24M entries a generation) costs only one more
    # candidate to score. Identities keep 8 bytes: a false hit there would be a false match.
    return xxhash.xxh3_64_digest(b"b\x00" + key.to_bytes(8, "big"))[:BAND_BYTES]


@dataclass(frozen=True, slots=True)
class Plan:
    """The index fields a sighting reads, in priority order, and what each answers."""

    fields: tuple[bytes, ...]
    roles: tuple[tuple[Slot, MatchHow], ...]
    bands: tuple[bytes, ...]


def plan(sighting: Sighting) -> Plan:
    rows: list[tuple[bytes, Slot, MatchHow]] = [
        (digest("u", u), "own", "url") for u in sighting.urls
    ]
    if sighting.guid:
        rows.append((digest("g", sighting.guid), "own", "guid"))
    rows += [(digest("n", u), "named", "named") for u in sighting.urls]
    if sighting.origin_url:
        rows.append((digest("u", sighting.origin_url), "origin", "origin_url"))
        rows.append((digest("n", sighting.origin_url), "origin", "origin_url"))
    rows.append((digest("t", sighting.fingerprint.text_hash), "content", "text"))
    bands = tuple(band_digest(k) for k in sighting.fingerprint.index_keys)
    return Plan(tuple(r[0] for r in rows), tuple((r[1], r[2]) for r in rows), bands)


def claims(sighting: Sighting) -> list[bytes]:
    """Identity fields a recorded sighting claims for its story."""
    fields = [digest("u", u) for u in sighting.urls]
    if sighting.guid:
        fields.append(digest("g", sighting.guid))
    if sighting.origin_url:
        fields.append(digest("n", sighting.origin_url))
    fields.append(digest("t", sighting.fingerprint.text_hash))
    return fields


def sketches_story(s: Sighting, action: Action, prior: StoredStory | None) -> bool:
    """Whether the story is matched by this sighting's text from now on (its bands are
    indexed and its sketch kept): the story's own text, or a copy much longer than it."""
    if action in _TAKES_TEXT:
        return True
    if action not in (Action.SYNDICATE, Action.ORIGIN_CHANGED) or prior is None:
        return False
    fp = s.fingerprint
    return not fp.is_short and fp.shingles > prior.shingles * LONGER


def band_inserts(s: Sighting, action: Action, prior: StoredStory | None) -> list[bytes]:
    return list(plan(s).bands) if sketches_story(s, action, prior) else []


# --- the story record ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StoredStory:
    ref: StoryRef
    sketch: tuple[int, ...]
    shingles: int
    version: int = 0  # bumped by every write; lookup's digest covers it


# The record is one string, fields split by the ASCII unit separator, the sketch last (it
# is binary). A hash would be easier to read but costs twice the memory: any value over
# 64 bytes (most URLs) turns its listpack into a hashtable (hash-max-listpack-value).
_SEP = b"\x1f"
_FIELDS = 10


def _clean(value: str | None) -> bytes:
    return (value or "").replace("\x1f", " ").encode()


def encode_story(story: StoredStory) -> bytes:
    ref = story.ref
    published = str(int(ref.published_at.timestamp())) if ref.published_at else ""
    return _SEP.join(
        [
            str(story.version).encode(),  # first: index.lua reads it
            _clean(ref.article_id),
            _clean(ref.origin_domain),
            _clean(ref.origin_name),
            _clean(ref.origin_url),
            b"%d%d" % (ref.origin_seen, ref.is_agency),
            repr(ref.origin_confidence).encode(),
            published.encode(),
            _clean(ref.text_hash),
            str(story.shingles).encode(),
            struct.pack(f">{len(story.sketch)}{_SLOT}", *story.sketch),
        ]
    )


def decode_story(raw: bytes) -> StoredStory:
    version, aid, domain, name, url, flags, conf, published, th, shingles, sketch = raw.split(
        _SEP, _FIELDS
    )
    ref = StoryRef(
        article_id=aid.decode(),
        origin_domain=domain.decode() or None,
        origin_name=name.decode() or None,
        origin_url=url.decode() or None,
        origin_seen=flags[:1] == b"1",
        origin_confidence=float(conf),
        is_agency=flags[1:2] == b"1",
        published_at=datetime.fromtimestamp(int(published), UTC) if published else None,
        text_hash=th.decode(),
    )
    slots = struct.unpack(f">{len(sketch) // _SLOT_BYTES}{_SLOT}", sketch)
    return StoredStory(ref, slots, int(shingles), int(version))


def _new_story(s: Sighting, article_id: str, *, own: bool) -> StoryRef:
    """A story as one sighting shows it: its own origin (``own``), else what it claims."""
    url: str | None
    if own or s.origin is None:
        # An origin elected as the earliest page seen keeps the sighting's (weak)
        # confidence, so that a clearly earlier original can still displace it.
        domain, name, url, seen = s.publisher.domain, s.publisher.name, s.url, True
        agency = s.is_agency
    else:
        domain, name, url, seen = s.origin.domain, s.origin.name, s.origin_url, False
        agency = s.origin_is_agency
    return StoryRef(
        article_id=article_id,
        origin_domain=domain,
        origin_name=name,
        origin_url=url,
        origin_seen=seen,
        origin_confidence=s.origin_confidence,
        is_agency=agency,
        published_at=s.published_at,
        text_hash=s.fingerprint.text_hash,
    )


def story_after(s: Sighting, decision: Decision, prior: StoredStory | None) -> StoredStory | None:
    """The record the decision leaves; None when it leaves the record as it is."""
    action, fp = decision.action, s.fingerprint
    version = prior.version + 1 if prior else 1
    if action in (Action.PUBLISH, Action.PUBLISH_FROM_COPY):
        ref = _new_story(s, decision.article_id, own=action is Action.PUBLISH)
        return StoredStory(ref, fp.sketch, fp.shingles, version)
    if prior is None or action is Action.SKIP:
        return None
    ref = prior.ref
    longer = sketches_story(s, action, prior)
    sketch, shingles = (fp.sketch, fp.shingles) if longer else (prior.sketch, prior.shingles)
    if action is Action.SYNDICATE:
        return StoredStory(ref, sketch, shingles, version) if longer else None
    if action is Action.ORIGIN_CHANGED:  # the copy's explicit claim replaces a weak origin
        claim = _new_story(s, ref.article_id, own=False)
        ref = replace(claim, published_at=ref.published_at, text_hash=ref.text_hash)
        return StoredStory(ref, sketch, shingles, version)
    if action is Action.ORIGIN_ARRIVED:  # as sure as the claim that led here; agency stays
        ref = replace(
            ref,
            origin_domain=s.publisher.domain,
            origin_name=s.publisher.name or ref.origin_name,
            origin_url=s.url,
            origin_seen=True,
            is_agency=ref.is_agency or s.is_agency,
            published_at=s.published_at or ref.published_at,
        )
    return StoredStory(replace(ref, text_hash=fp.text_hash), fp.sketch, fp.shingles, version)


# --- the answer ----------------------------------------------------------------------


def build_lookup(
    sighting: Sighting,
    roles: Sequence[tuple[Slot, MatchHow]],
    ident: Sequence[str | None],
    candidates: Sequence[str],
    stories: Mapping[str, StoredStory],
    threshold: float,
    token: object,
) -> Lookup:
    found: dict[Slot, Match] = {}
    for (slot, how), sid in zip(roles, ident, strict=True):
        if sid is not None and sid in stories and slot not in found:
            found[slot] = Match(stories[sid].ref, how)
    if "content" not in found and not sighting.fingerprint.is_short:
        best = _best_near(sighting.fingerprint, candidates, stories, threshold)
        if best:
            found["content"] = best
    return Lookup(
        own=found.get("own"),
        named=found.get("named"),
        origin=found.get("origin"),
        content=found.get("content"),
        token=token,
    )


def _best_near(
    fp: Fingerprint, candidates: Sequence[str], stories: Mapping[str, StoredStory], bar: float
) -> Match | None:
    best: Match | None = None
    for sid in candidates:
        story = stories.get(sid)
        if story is None:
            continue  # expired between index and record
        score = similarity(fp, story.sketch, story.shingles)
        if score >= bar and (best is None or score > best.similarity):
            best = Match(story.ref, "near", score)
    return best
