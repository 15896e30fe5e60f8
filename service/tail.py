"""``newsingest tail``: print stream events as they arrive.

Plain mode reads with XREAD from a position it resolves once, so nothing that lands
between two reads is skipped. Group mode is the pattern downstream consumers should copy:
create the group once (MKSTREAM), first re-read this consumer's own pending entries (the
ones it took before a crash but never acknowledged), then take new ones with ``>``, and
XACK each entry only after it has been handled (here: written out).
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
from collections.abc import Mapping
from typing import Any, TextIO

from redis.asyncio import Redis
from redis.exceptions import ResponseError

from service.redis_conn import redis_errors, reraise_lost_cancel
from workers.settings import Settings

BLOCK_MS = 1000  # each XREAD returns at least this often, so cancellation is never stuck
BATCH = 100


async def tail(
    redis: Redis,
    settings: Settings,
    *,
    from_start: bool,
    count: int | None,
    out: TextIO,
    group: str | None = None,
    consumer: str | None = None,
    pretty: bool = False,
    ready: asyncio.Event | None = None,
) -> int:
    """Write one line per event to ``out`` until ``count`` events (or forever); return how
    many were written. ``ready`` is set once the start position is fixed."""
    printer = _Printer(out, pretty, count)
    with redis_errors(f"tailing stream {settings.stream}"):
        if group is None:
            await _tail_plain(redis, settings.stream, from_start, printer, ready)
        else:
            name = consumer or default_consumer()
            await _tail_group(redis, settings.stream, group, name, from_start, printer, ready)
    return printer.written


def default_consumer() -> str:
    return f"{socket.gethostname()}-{os.getpid()}"


class _Printer:
    def __init__(self, out: TextIO, pretty: bool, count: int | None) -> None:
        self.out, self.pretty, self.count, self.written = out, pretty, count, 0

    @property
    def done(self) -> bool:
        return self.count is not None and self.written >= self.count

    @property
    def wanted(self) -> int:
        return BATCH if self.count is None else min(BATCH, self.count - self.written)

    def write(self, entry_id: str, fields: Mapping[Any, Any]) -> None:
        self.out.write(format_entry(entry_id, fields, pretty=self.pretty) + "\n")
        self.out.flush()
        self.written += 1


async def _tail_plain(
    redis: Redis, stream: str, from_start: bool, printer: _Printer, ready: asyncio.Event | None
) -> None:
    last = "0-0" if from_start else await _last_id(redis, stream)
    if ready is not None:
        ready.set()
    while not printer.done:
        reply = await redis.xread({stream: last}, count=printer.wanted, block=BLOCK_MS)
        reraise_lost_cancel()
        for entry_id, fields in _entries(reply):
            printer.write(entry_id, fields or {})
            last = entry_id


async def _tail_group(
    redis: Redis,
    stream: str,
    group: str,
    consumer: str,
    from_start: bool,
    printer: _Printer,
    ready: asyncio.Event | None,
) -> None:
    await ensure_group(redis, stream, group, from_start=from_start)
    if ready is not None:
        ready.set()
    position = "0"  # own pending entries first; ">" once they are all handled
    while not printer.done:
        block = None if position == "0" else BLOCK_MS
        reply = await redis.xreadgroup(
            group, consumer, {stream: position}, count=printer.wanted, block=block
        )
        reraise_lost_cancel()
        entries = _entries(reply)
        if position == "0" and not entries:
            position = ">"
        for entry_id, fields in entries:
            if fields:  # a pending entry trimmed from the stream since comes back empty
                printer.write(entry_id, fields)
            await redis.xack(stream, group, entry_id)


async def ensure_group(redis: Redis, stream: str, group: str, *, from_start: bool) -> None:
    """Create the consumer group (and the stream) unless it exists; existing groups keep
    their position, so ``from_start`` only matters the first time."""
    try:
        await redis.xgroup_create(stream, group, id="0" if from_start else "$", mkstream=True)
    except ResponseError as e:
        if "BUSYGROUP" not in str(e):
            raise


async def _last_id(redis: Redis, stream: str) -> str:
    newest = await redis.xrevrange(stream, count=1)
    return _text(newest[0][0]) if newest else "0-0"


def _entries(reply: Any) -> list[tuple[str, Mapping[Any, Any] | None]]:
    """Flatten an XREAD/XREADGROUP reply: RESP2's ``[[stream, entries]]`` (what ``connect``
    gives) or redis-py's unified ``{stream: entries}``."""
    streams = reply.items() if isinstance(reply, dict) else (reply or [])
    return [(_text(entry_id), fields) for _, entries in streams for entry_id, fields in entries]


def format_entry(entry_id: str, fields: Mapping[Any, Any], *, pretty: bool) -> str:
    """The event JSON as one line, or a short human line with ``pretty``."""
    decoded = {_text(k): _text(v) for k, v in fields.items()}
    try:
        event = json.loads(decoded["data"])
    except (KeyError, ValueError):
        # Not an event of ours: show what is there rather than stop the tail.
        event = {"stream_id": entry_id, "fields": decoded}
    if not pretty:
        return json.dumps(event, ensure_ascii=False, separators=(",", ":"))
    return _human(entry_id, event)


def _human(entry_id: str, event: Any) -> str:
    if not isinstance(event, dict) or "type" not in event:
        return f"{entry_id} ? {json.dumps(event, ensure_ascii=False)}"
    item = event.get("article") or event.get("copy") or {}
    publisher = (item.get("publisher") or {}).get("domain") or "?"
    origin = ((event.get("provenance") or {}).get("origin") or {}).get("publisher") or {}
    via = origin.get("name") or origin.get("domain")
    parts = [entry_id, event["type"], publisher, repr(item.get("title") or item.get("url"))]
    if via and via != publisher:
        parts.append(f"(origin: {via})")
    return " ".join(str(p) for p in parts)


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)
