"""Coalesce Redis calls made in one event-loop turn into one pipeline.

A feed's entries are processed concurrently and reach their dedupe lookups (and later their
commits) in the same turn of the loop; the feeds of one claim load and save their state
together. Sent one by one, each call pays redis-py's per-command cost (a pooled
connection, a write, a read wakeup): most of a pass's client CPU. Queued here, they leave
together as one non-transactional pipeline on one connection; each command (or Lua
script) is still atomic on its own, so what a caller sees is exactly what it would have
seen calling alone, only sooner.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable
from typing import Any

from redis.asyncio import Redis

# A pipeline's replies are held in memory until the last arrives; bound what one carries.
MAX_BATCH = 128

# Queues one command on the client it is given (the Redis client, or a pipeline): a redis
# method call, or a registered script called with ``client=``.
Queue = Callable[[Any], Any]
_Call = tuple[Queue, "asyncio.Future[Any]"]


class RedisBatch:
    def __init__(self, redis: Redis, *, max_batch: int = MAX_BATCH) -> None:
        self.redis = redis
        self.max_batch = max_batch
        self._pending: list[_Call] = []
        self._scheduled = False
        self._sending: set[asyncio.Task[None]] = set()  # strong refs: the loop keeps weak ones

    async def call(self, queue: Queue) -> Any:
        """The reply to the command ``queue`` issues, or its error."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Any] = loop.create_future()
        self._pending.append((queue, future))
        if not self._scheduled:
            # call_soon runs after every callback already ready in this turn: the other
            # tasks woken with this one get to queue their calls first.
            self._scheduled = True
            loop.call_soon(self._flush)
        return await future

    def _flush(self) -> None:
        self._scheduled = False
        pending, self._pending = self._pending, []
        for i in range(0, len(pending), self.max_batch):
            task = asyncio.ensure_future(self._send(pending[i : i + self.max_batch]))
            self._sending.add(task)
            task.add_done_callback(self._sending.discard)

    async def _send(self, batch: list[_Call]) -> None:
        live = [call for call in batch if not call[1].done()]  # callers cancelled meanwhile
        if not live:
            return
        try:
            if len(live) == 1:  # a pipeline costs more CPU than one call
                replies: list[Any] = [await _settled(live[0][0](self.redis))]
            else:
                async with self.redis.pipeline(transaction=False) as pipe:
                    for queue, _ in live:
                        await _settled(queue(pipe))
                    replies = await pipe.execute(raise_on_error=False)
        except asyncio.CancelledError:
            for _, future in live:
                future.cancel()
            raise
        except Exception as e:  # the connection failed: every caller learns it
            for _, future in live:
                if not future.done():
                    future.set_exception(e)
            return
        for (_, future), reply in zip(live, replies, strict=True):
            if future.done():
                continue
            if isinstance(reply, Exception):
                future.set_exception(reply)
            else:
                future.set_result(reply)


async def _settled(value: Any) -> Any:
    # Scripts are coroutines even when they only queue on a pipeline; commands are not.
    return await value if inspect.isawaitable(value) else value
