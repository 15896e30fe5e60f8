"""The garbage collector's settings for an ingest process.

A pass allocates millions of short-lived objects (entries, blocks, events) while the heap
holds a large, long-lived start-up set (the libraries, the publisher registry, compiled
patterns). With CPython's defaults (a young collection every 700 net allocations, older
ones every tenth of those) a 200-feed pass spent about 11 % of its CPU in the collector,
most of it re-scanning that long-lived set (measured with ``gc.callbacks``: 1.19 s of
10.9 s; with the settings below 0.15 s). Reference counting frees nearly everything a pass
makes; the collector is only there for cycles, which a larger young generation still
finds, a little later.

Start-up (imports, settings, opening Redis and the HTTP session) builds that long-lived set
and frees almost nothing: the one young collection it triggered at ``YOUNG_THRESHOLD``
took about 28 ms of a worker's start and found a few hundred objects of garbage. So the
collector is paused from the start of ``main`` until the process has started; those few
hundred objects are then frozen with the rest, not freed.
"""

from __future__ import annotations

import gc

# Net allocations between young collections. At this size a young collection takes a few
# tens of ms, and a pass makes a handful of them.
YOUNG_THRESHOLD = 50_000


def pause() -> None:
    """No automatic collections until ``collect_less_often`` or ``for_ingest``. First thing
    in ``main``: importing the libraries is itself most of a start-up's allocations."""
    gc.disable()


def collect_less_often() -> None:
    """Automatic collections on, young ones every ``YOUNG_THRESHOLD`` net allocations."""
    _, older, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, older, oldest)
    gc.enable()


def for_ingest() -> None:
    """Call once the process has started: what exists now lives as long as the process,
    and ``gc.freeze`` keeps the collector from scanning it again."""
    gc.freeze()
    collect_less_often()
