"""The collector is paused while a worker starts and resumed once it has (service/gc_policy.py),
and is never left paused by a command that ends or fails before that."""

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
