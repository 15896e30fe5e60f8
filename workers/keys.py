"""Redis key names. One place, so the layout can be read (and changed) at a glance.

Every key of a deployment carries the hash tag of its stream, ``{<stream>}``: Redis Cluster
puts a key in the slot of its first ``{...}``, and a key without braces in the slot of its
whole name, so ``newsingest:{news:articles}:story:x`` and the stream ``news:articles`` share a
slot and one Lua script may touch both. The price: one deployment's state lives on one
shard; run several streams to spread load over a cluster.
"""

from __future__ import annotations


def stream_tag(stream: str) -> str:
    """The hash-tag content that puts a key in the stream's own slot."""
    start = stream.find("{")
    if start != -1:
        end = stream.find("}", start + 1)
        if end > start + 1:
            return stream[start + 1 : end]
    return stream


class Keys:
    def __init__(self, prefix: str, stream: str) -> None:
        self.stream = stream
        self.base = f"{prefix}:{{{stream_tag(stream)}}}"

    def key(self, *parts: str) -> str:
        return ":".join((self.base, *parts))

    # feed state (workers/feedstate.py)
    def feed(self, feed_hash: str) -> str:
        return self.key("feed", feed_hash)

    @property
    def schedule(self) -> str:
        return self.key("schedule")

    @property
    def workers(self) -> str:
        return self.key("workers")

    @property
    def publishers(self) -> str:
        return self.key("publishers")

    # dedupe store (workers/store.py; lua/index.lua builds the same names from ``base``)
    @property
    def story_seq(self) -> str:
        return self.key("seq")

    def story(self, sid: str) -> str:
        return self.key("st", sid)

    def index_meta(self, generation: int) -> str:
        return self.key("gm", str(generation))

    def index_bucket(self, generation: int, bucket: int) -> str:
        return self.key("ix", str(generation), str(bucket))
