"""The per-host limiter on its own: bounds, fairness across hosts, no leftover entries."""

from __future__ import annotations

import asyncio

import pytest

from workers.hostslots import HostSlots


async def test_limit_per_host_and_hosts_independent() -> None:
    slots = HostSlots(1)
    await slots.acquire("a.test")
    await slots.acquire("b.test")  # another host is not held up by a.test

    waiter = asyncio.create_task(slots.acquire("a.test"))
    await asyncio.sleep(0)  # one turn of the loop: the waiter reaches the semaphore
    assert not waiter.done()

    slots.release("a.test")
    await waiter
    slots.release("a.test")
    slots.release("b.test")
    assert len(slots) == 0


async def test_cancelled_waiter_leaves_no_entry() -> None:
    slots = HostSlots(1)
    await slots.acquire("a.test")
    waiter = asyncio.create_task(slots.acquire("a.test"))
    await asyncio.sleep(0)

    waiter.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiter
    slots.release("a.test")

    assert len(slots) == 0
