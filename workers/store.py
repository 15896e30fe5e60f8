"""The dedupe store: Redis adapter for lookup and atomic commit. A thin shell.

What is read and written is planned in workers/store_layout.py (pure); the index itself
lives in workers/lua/: index.lua (time generations of linear-hashed small hashes, shared
by both scripts), lookup.lua (one EVALSHA: identities, exact text, near candidates with
their records) and commit.lua (verify nothing changed since lookup, record the decision,
XADD the events; all or nothing). Every Redis error becomes ``StoreError`` here.
"""

from __future__ import annotations

import asyncio
import hashlib
import math
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

from redis.asyncio import Redis
from redis.commands.core import AsyncScript
from redis.exceptions import NoScriptError, RedisError

from workers.dedupe import Action, Decision, Lookup, Sighting
from workers.errors import StoreError
from workers.keys import Keys
from workers.redis_batch import RedisBatch
from workers.settings import Settings
from workers.store_layout import (
    Plan,
    StoredStory,
    band_inserts,
    build_lookup,
    claims,
    decode_story,
    digest,
    encode_story,
    plan,
    story_after,
)

# Index entries live in generations of retention/GENERATIONS: an entry outlives the
# retention window by at most one generation, and a lookup reads GENERATIONS + 1 of them.
GENERATIONS = 4
# Near-duplicate candidates confirmed per lookup, most band votes first.
MAX_CANDIDATES = 8


@cache
def _script(name: str) -> str:
    lua = files("workers").joinpath("lua")
    return lua.joinpath("index.lua").read_text() + "\n" + lua.joinpath(name).read_text()


@contextmanager
def _store_errors(what: str) -> Iterator[None]:
    """The one place redis-py errors become ``StoreError`` (CancelledError passes)."""
    try:
        yield
    except (RedisError, OSError, TimeoutError) as e:
        raise StoreError(f"{what}: {e or type(e).__name__}") from e


class Store:
    def __init__(
        self, redis: Redis, settings: Settings, *, clock: Callable[[], float] = time.time
    ) -> None:
        self.redis = redis
        self.keys = Keys(settings.key_prefix, settings.stream)
        self.settings = settings
        self.clock = clock
        self.retention = settings.retention_days * 86400.0
        self.generation = self.retention / GENERATIONS
        self._lookup = redis.register_script(_script("lookup.lua"))
        self._commit = redis.register_script(_script("commit.lua"))
        # Entries processed together look up and commit together: one round trip each.
        self._batch = RedisBatch(redis)
        self._loading: dict[str, asyncio.Future[Any]] = {}  # script sha -> its SCRIPT LOAD

    # --- reading ------------------------------------------------------------------------
    async def lookup(self, sighting: Sighting) -> Lookup:
        p = plan(sighting)
        with _store_errors("dedupe lookup"):
            args = self._header(p, MAX_CANDIDATES)
            reply = await self._eval(self._lookup, [self.keys.stream], args)
        digest, ident, cands, rows = reply
        stories = {sid.decode(): decode_story(raw) for sid, raw in rows}
        seen = _Seen(
            digest.decode(),
            {story.ref.article_id: (sid, story) for sid, story in stories.items()},
            p,
        )
        return build_lookup(
            sighting,
            p.roles,
            [v.decode() if v else None for v in ident],
            [c.decode() for c in cands],
            stories,
            self.settings.near_dup_threshold,
            seen,
        )

    def nothing_known(self, sighting: Sighting) -> Lookup:
        """The lookup of a sighting the store holds nothing for, made without asking it.
        A commit on it succeeds only if that is so: its script reads the same fields and
        compares what it reads with this, a value absent from every live generation."""
        p = plan(sighting)
        reads = (len(p.fields) + len(p.bands)) * len(self._live_generations(self.clock()))
        return Lookup(token=_Seen(_absent_digest(reads), {}, p))

    async def known(self, batch: Sequence[tuple[tuple[str, ...], str | None]]) -> list[bool]:
        """For each (urls, guid): whether a story holds any of them. One script call for
        the whole batch: the lookup script reads each identity field on its own, so the
        fields of every entry read together give each entry's answer, in order."""
        counts: list[int] = []
        fields: list[bytes] = []
        for urls, guid in batch:
            mine = [digest("u", u) for u in urls]
            if guid:
                mine.append(digest("g", guid))
            counts.append(len(mine))
            fields += mine
        if not fields:
            return [False] * len(batch)
        args = self._header(Plan(tuple(fields), (), ()), 0)
        with _store_errors("dedupe known"):
            reply = await self._eval(self._lookup, [self.keys.stream], args)
        ident = reply[1]
        out: list[bool] = []
        at = 0
        for n in counts:
            out.append(any(ident[at : at + n]))
            at += n
        return out

    # --- writing ------------------------------------------------------------------------
    async def commit(
        self,
        sighting: Sighting,
        decision: Decision,
        events: Sequence[tuple[str, str]],
        *,
        found: Lookup,
    ) -> bool:
        """Record the decision and XADD its events atomically, unless the index changed
        since ``found``, this store's lookup of the sighting, was read."""
        seen = found.token
        if not isinstance(seen, _Seen):
            raise StoreError("dedupe commit without a lookup of the sighting")
        sid, prior = seen.stories.get(decision.article_id, ("", None))
        story = story_after(sighting, decision, prior)
        now = self.clock()
        args: list[Any] = self._header(seen.plan, MAX_CANDIDATES, now)
        args += [seen.digest, sid, self.generation, self.retention, self._gen(now)]
        args += [self.settings.stream_maxlen, encode_story(story) if story else b""]
        for items in (
            claims(sighting) if decision.action is not Action.SKIP else [],
            band_inserts(sighting, decision.action, prior),
            [data for _, data in events],
        ):
            args += [len(items), *items]
        with _store_errors("dedupe commit"):
            done = await self._eval(self._commit, [self.keys.stream, self.keys.story_seq], args)
        return bool(done)

    async def _eval(self, script: AsyncScript, keys: list[Any], args: list[Any]) -> Any:
        """EVALSHA in the batch. Not the script object's own call: queued on a pipeline,
        that makes redis-py send SCRIPT EXISTS for the pipeline's scripts first, a round
        trip per batch. A server without the script (first use, a restart, SCRIPT FLUSH)
        answers NOSCRIPT without running anything, so the call is sent again once loaded."""
        n_keys = len(keys)
        try:
            return await self._batch.call(lambda c: c.evalsha(script.sha, n_keys, *keys, *args))
        except NoScriptError:
            await self._load(script)
        return await self._batch.call(lambda c: c.evalsha(script.sha, n_keys, *keys, *args))

    async def _load(self, script: AsyncScript) -> None:
        # The calls of one batch all fail on a missing script together: one load for them.
        loading = self._loading.get(script.sha)
        if loading is None or loading.done():
            loading = asyncio.ensure_future(self.redis.script_load(script.script))
            self._loading[script.sha] = loading
        await asyncio.shield(loading)

    # --- small pieces -------------------------------------------------------------------
    def _gen(self, now: float) -> int:
        return math.floor(now / self.generation)

    def _live_generations(self, now: float) -> list[int]:
        """Generations whose entries have not expired, newest first."""
        newest = self._gen(now)
        oldest = max(0, math.floor((now - self.retention) / self.generation) - 1)
        live = range(newest, oldest - 1, -1)
        return [g for g in live if (g + 1) * self.generation + self.retention > now]

    def _header(self, p: Plan, candidates: int, now: float | None = None) -> list[Any]:
        gens = self._live_generations(self.clock() if now is None else now)
        return [
            self.keys.base,
            ",".join(map(str, gens)),
            len(p.fields),
            len(p.bands),
            candidates,
            *p.fields,
            *p.bands,
        ]


@cache
def _absent_digest(reads: int) -> str:
    # index.lua's digest of what it read: one '-' for each field in each generation that
    # holds no value for it, and no story (nothing found names one).
    return hashlib.sha1("|".join(["-"] * reads).encode(), usedforsecurity=False).hexdigest()


@dataclass(frozen=True, slots=True)
class _Seen:
    """What a lookup read, for its commit: the digest of every value, and the stories."""

    digest: str
    stories: dict[str, tuple[str, StoredStory]]  # article_id -> (story number, record)
    plan: Plan  # the fields the lookup read: the commit re-reads and claims the same
