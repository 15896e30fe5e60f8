"""What the dedupe store writes and reads, as data. Pure; workers/store.py does the I/O.

Identities (page URLs, GUIDs, named origin URLs, text hashes) and LSH bands are stored as
8-byte digests of ``kind`` and value, mapped to a story number; a story's record is a small
hash keyed by that number. This module plans the digests for a sighting, encodes the
record a decision leaves, and turns the raw answer of lookup.lua into a ``Lookup``.
"""

from __future__ import annotations

import struct
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

import xxhash

from workers.dedupe import Action, Decision, Lookup, Match, MatchHow, Sighting, StoryRef
from workers.fingerprint import SKETCH_BITS, Fingerprint, similarity

Slot = Literal["own", "named", "origin", "content"]
# Actions that make the sighting's text the story's text, so its bands are indexed.
# A syndicated copy adds only its exact text hash: the story keeps one sketch.
_INDEXES_TEXT = frozenset(
    {Action.PUBLISH, Action.PUBLISH_FROM_COPY, Action.ORIGIN_ARRIVED, Action.CONTENT_CHANGED}
)


_CHUNK = 64
_SLOT, _SLOT_BYTES = ("B", 1) if SKETCH_BITS <= 8 else ("H", 2)
_MAX_CHUNKS = 16


def digest(kind: str, value: str) -> bytes:
    return xxhash.xxh3_64_digest(f"{kind}\x00{value}".encode())


def band_digest(key: int) -> bytes:
    return xxhash.xxh3_64_digest(b"b\x00" + key.to_bytes(8, "big"))


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


def band_inserts(sighting: Sighting, action: Action) -> list[bytes]:
    return list(plan(sighting).bands) if action in _INDEXES_TEXT else []


# --- the story record ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StoredStory:
    ref: StoryRef
    sketch: tuple[int, ...]
    shingles: int


def _text_fields(fp: Fingerprint) -> dict[str, str | bytes]:
    packed = struct.pack(f">{len(fp.sketch)}{_SLOT}", *fp.sketch)
    # In chunks: one value over 64 bytes turns Redis' listpack hash into a hashtable, and
    # the record from about 550 bytes into 1,650 (hash-max-listpack-value).
    chunks = {
        f"k{i}": packed[at : at + _CHUNK] for i, at in enumerate(range(0, len(packed), _CHUNK))
    }
    return {"th": fp.text_hash, **chunks, "sh": str(fp.shingles)}


def _origin_fields(
    name: str | None, domain: str | None, url: str | None, seen: bool, confidence: float
) -> dict[str, str | bytes]:
    return {
        "on": name or "",
        "od": domain or "",
        "ou": url or "",
        "os": "1" if seen else "0",
        "oc": repr(confidence),
    }


def _claimed_origin(s: Sighting) -> dict[str, str | bytes]:
    """The story's origin as the sighting's provenance claims it (its page not seen)."""
    origin = s.origin
    return {
        "ag": "1" if s.origin_is_agency else "0",
        **_origin_fields(
            origin.name if origin else None,
            origin.domain if origin else None,
            s.origin_url,
            False,
            s.origin_confidence,
        ),
    }


def _published(at: datetime | None) -> dict[str, str | bytes]:
    return {"pa": str(int(at.timestamp()))} if at else {}


def record_fields(sighting: Sighting, decision: Decision) -> dict[str, str | bytes]:
    """The story-record fields the decision sets (HSET over what is there)."""
    s, action = sighting, decision.action
    if action is Action.PUBLISH:
        pub = s.publisher
        return {
            "a": decision.article_id,
            "ag": "1" if s.origin_is_agency else "0",
            # An origin elected as the earliest page seen keeps the sighting's (weak)
            # confidence, so that a clearly earlier original can still displace it.
            **_origin_fields(pub.name, pub.domain, s.url, True, s.origin_confidence),
            **_published(s.published_at),
            **_text_fields(s.fingerprint),
        }
    if action is Action.PUBLISH_FROM_COPY:
        return {
            "a": decision.article_id,
            **_claimed_origin(s),
            **_published(s.published_at),
            **_text_fields(s.fingerprint),
        }
    if action is Action.ORIGIN_CHANGED:
        return _claimed_origin(s)
    if action is Action.ORIGIN_ARRIVED:
        pub = s.publisher
        fields = _origin_fields(pub.name, pub.domain, s.url, True, 0.0)
        del fields["oc"]  # as sure as the claim that led here; agency status stays too
        return {**fields, **_published(s.published_at), **_text_fields(s.fingerprint)}
    if action is Action.CONTENT_CHANGED:
        return _text_fields(s.fingerprint)
    return {}  # SYNDICATE and SKIP leave the record as it is


def _text(raw: Mapping[bytes, bytes], key: str) -> str | None:
    value = raw.get(key.encode())
    return value.decode() if value else None


def decode_story(raw: Mapping[bytes, bytes]) -> StoredStory:
    sketch_raw = b"".join(raw.get(f"k{i}".encode(), b"") for i in range(_MAX_CHUNKS))
    published = raw.get(b"pa")
    ref = StoryRef(
        article_id=_text(raw, "a") or "",
        origin_domain=_text(raw, "od"),
        origin_name=_text(raw, "on"),
        origin_url=_text(raw, "ou"),
        origin_seen=raw.get(b"os") == b"1",
        origin_confidence=float(raw.get(b"oc", b"0")),
        is_agency=raw.get(b"ag") == b"1",
        published_at=datetime.fromtimestamp(int(published), UTC) if published else None,
        text_hash=_text(raw, "th") or "",
    )
    sketch = struct.unpack(f">{len(sketch_raw) // _SLOT_BYTES}{_SLOT}", sketch_raw)
    return StoredStory(ref, sketch, int(raw.get(b"sh", b"0")))


# --- the answer ----------------------------------------------------------------------


def build_lookup(
    sighting: Sighting,
    roles: Sequence[tuple[Slot, MatchHow]],
    ident: Sequence[str | None],
    candidates: Sequence[str],
    stories: Mapping[str, StoredStory],
    threshold: float,
    token: str,
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
