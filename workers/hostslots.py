"""A concurrency limit per host: one semaphore per host name, kept only while in use.

Feeds come and go by the thousand, so a semaphore lives only while some fetch to its host
runs or waits; the table never grows past the hosts in flight.
"""

from __future__ import annotations

import asyncio


class _HostSlot:
    __slots__ = ("sem", "users")

    def __init__(self, limit: int) -> None:
        self.sem = asyncio.Semaphore(limit)
        self.users = 0  # holding or waiting


class HostSlots:
    """A semaphore per host, forgotten once no fetch to that host runs or waits."""

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._slots: dict[str, _HostSlot] = {}

    async def acquire(self, host: str) -> None:
        slot = self._slots.get(host)
        if slot is None:
            slot = self._slots[host] = _HostSlot(self._limit)
        slot.users += 1
        try:
            await slot.sem.acquire()
        except BaseException:  # cancelled while waiting: stop counting as a user, re-raise
            self._leave(host, slot)
            raise

    def release(self, host: str) -> None:
        slot = self._slots[host]
        slot.sem.release()
        self._leave(host, slot)

    def __len__(self) -> int:
        """Hosts with a fetch running or waiting."""
        return len(self._slots)

    def _leave(self, host: str, slot: _HostSlot) -> None:
        slot.users -= 1
        if not slot.users:
            del self._slots[host]
