"""``tail`` over the real Redis: events XADDed here come out as lines, in order."""

from __future__ import annotations

import asyncio
import io
import json
from typing import Any

from redis.asyncio import Redis

from service.tail import tail
from workers.settings import Settings


def event(n: int) -> dict[str, Any]:
    return {
        "type": "article.published",
        "event_id": f"e{n}",
        "article": {"title": f"Story {n}", "publisher": {"domain": "example.org"}},
        "provenance": {"origin": {"publisher": {"name": "Reuters"}, "confidence": 0.9}},
    }


async def add(redis: Redis, settings: Settings, *ns: int) -> list[str]:
    ids = [await redis.xadd(settings.stream, {"data": json.dumps(event(n))}) for n in ns]
    return [i.decode() if isinstance(i, bytes) else i for i in ids]


def lines(out: io.StringIO) -> list[str]:
    return out.getvalue().splitlines()


def event_ids(out: io.StringIO) -> list[str]:
    return [json.loads(line)["event_id"] for line in lines(out)]


async def test_from_start_prints_json_lines_and_stops_after_count(
    redis: Redis, settings: Settings
) -> None:
    await add(redis, settings, 1, 2, 3)
    out = io.StringIO()
    written = await tail(redis, settings, from_start=True, count=2, out=out)
    assert written == 2
    assert [json.loads(line) for line in lines(out)] == [event(1), event(2)]


async def test_live_tail_prints_only_events_that_arrive(redis: Redis, settings: Settings) -> None:
    await add(redis, settings, 1)
    out, ready = io.StringIO(), asyncio.Event()
    task = asyncio.create_task(
        tail(redis, settings, from_start=False, count=2, out=out, ready=ready)
    )
    await asyncio.wait_for(ready.wait(), 5)
    await add(redis, settings, 2, 3)
    assert await asyncio.wait_for(task, 5) == 2
    assert event_ids(out) == ["e2", "e3"]


async def test_pretty_prints_a_short_human_line(redis: Redis, settings: Settings) -> None:
    [entry_id] = await add(redis, settings, 7)
    await redis.xadd(settings.stream, {"other": "x"})
    out = io.StringIO()
    await tail(redis, settings, from_start=True, count=2, out=out, pretty=True)
    assert lines(out)[0] == f"{entry_id} article.published example.org 'Story 7' (origin: Reuters)"
    assert '"other": "x"' in lines(out)[1]


async def test_group_acks_and_a_second_run_resumes(redis: Redis, settings: Settings) -> None:
    await add(redis, settings, 1, 2, 3)
    first = io.StringIO()
    await tail(redis, settings, from_start=True, count=2, out=first, group="g", consumer="c")
    assert event_ids(first) == ["e1", "e2"]
    assert (await redis.xpending(settings.stream, "g"))["pending"] == 0

    second = io.StringIO()
    await tail(redis, settings, from_start=True, count=1, out=second, group="g", consumer="c")
    assert event_ids(second) == ["e3"]


async def test_group_consumer_first_takes_back_its_unacked_entries(
    redis: Redis, settings: Settings
) -> None:
    await add(redis, settings, 1, 2)
    await redis.xgroup_create(settings.stream, "g", id="0")
    # A consumer that read e1 and died before acknowledging it.
    await redis.xreadgroup("g", "c", {settings.stream: ">"}, count=1)
    assert (await redis.xpending(settings.stream, "g"))["pending"] == 1

    out = io.StringIO()
    await tail(redis, settings, from_start=False, count=2, out=out, group="g", consumer="c")
    assert event_ids(out) == ["e1", "e2"]
    assert (await redis.xpending(settings.stream, "g"))["pending"] == 0


async def test_group_created_on_a_missing_stream_sees_later_events(
    redis: Redis, settings: Settings
) -> None:
    out, ready = io.StringIO(), asyncio.Event()
    task = asyncio.create_task(
        tail(redis, settings, from_start=False, count=1, out=out, group="g", ready=ready)
    )
    await asyncio.wait_for(ready.wait(), 5)
    await add(redis, settings, 9)
    assert await asyncio.wait_for(task, 5) == 1
    assert event_ids(out) == ["e9"]


async def test_cancel_stops_tail_even_if_the_client_loses_it(
    redis: Redis, settings: Settings
) -> None:
    # The fixture's client has a socket_timeout, so redis-py sends through asyncio.wait_for,
    # which on Python 3.11 may swallow a cancellation; tail must still stop. Cancelling
    # after each number of loop turns in turn hits the window where that happens.
    for turns in range(12):
        task = asyncio.create_task(
            tail(redis, settings, from_start=False, count=None, out=io.StringIO())
        )
        for _ in range(turns):
            await asyncio.sleep(0)
        task.cancel()
        await asyncio.wait([task], timeout=5)
        stuck = not task.done()
        task.cancel()  # a stuck tail must not outlive the test
        assert not stuck, f"tail ignored a cancel after {turns} turns"
        assert task.cancelled()
