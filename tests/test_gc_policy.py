"""The collector policy (service/gc_policy.py): paused while a worker starts, the start-up
heap frozen once it has, young collections less often; no command leaves it paused."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from service import gc_policy
from service.cli import main


@pytest.fixture
def restored_gc() -> Iterator[None]:
    thresholds = gc.get_threshold()
    try:
        yield
    finally:
        gc.unfreeze()
        gc.enable()
        gc.set_threshold(*thresholds)


@pytest.mark.usefixtures("restored_gc")
def test_ingest_policy_freezes_the_start_up_heap_and_collects_young_objects_less_often() -> None:
    gc.unfreeze()
    older = gc.get_threshold()[1:]
    gc_policy.for_ingest()
    assert gc.get_freeze_count() > 0
    assert gc.get_threshold() == (gc_policy.YOUNG_THRESHOLD, *older)


@pytest.mark.usefixtures("restored_gc")
def test_cycles_are_still_collected_automatically_under_the_policy() -> None:
    import weakref

    class Node:
        other: Node | None = None

    gc_policy.for_ingest()
    a, b = Node(), Node()
    a.other, b.other = b, a
    gone = weakref.ref(a)
    del a, b
    assert gone() is not None  # a cycle: reference counting alone does not free it
    kept: list[list[int]] = [[] for _ in range(2 * gc_policy.YOUNG_THRESHOLD)]  # no gc.collect()
    assert gone() is None
    assert len(kept) == 2 * gc_policy.YOUNG_THRESHOLD


@pytest.mark.usefixtures("restored_gc")
def test_the_ingest_policy_resumes_a_paused_collector() -> None:
    gc_policy.pause()
    assert not gc.isenabled()
    gc_policy.for_ingest()
    assert gc.isenabled()
    assert gc.get_threshold()[0] == gc_policy.YOUNG_THRESHOLD


@pytest.mark.usefixtures("restored_gc")
@pytest.mark.parametrize(
    "argv",
    [
        ["worker", "--feeds", "/nonexistent/feeds.txt", "--once"],  # fails before it starts
        ["schema", "--out", "schema.json"],  # no worker at all
        ["worker"],  # bad usage: argparse exits
    ],
)
def test_no_command_leaves_the_collector_paused(
    argv: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    gc.set_threshold(700, 10, 10)
    with contextlib.suppress(SystemExit):
        main(argv)
    assert gc.isenabled()
    assert gc.get_threshold()[0] == gc_policy.YOUNG_THRESHOLD
