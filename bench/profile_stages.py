"""Where a real worker pass spends its time, by stage, from a pyinstrument session.

The worker is run under pyinstrument (a sampling profiler, so the pass itself is barely
slowed); each sample's time goes to the outermost stage function on its stack. Stages that
await Redis (dedupe, publish) include that wait: a pass on loopback is CPU-bound, so the
split approximates CPU. The full text tree is kept beside it for reading.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

# Function names (as pyinstrument reports them) that start each stage, per module.
STAGES: dict[str, tuple[str, ...]] = {
    "fetch": ("Fetcher.fetch",),
    "parse": ("parse_feed",),
    "extract": ("extract_page", "page_from_entry"),
    "provenance": ("detect",),
    "fingerprint": ("fingerprint",),
    "dedupe (store lookups)": ("Store.lookup", "Store.known", "decide"),
    "publish (events, commit)": ("Store.commit", "build_events", "to_json"),
    # Lookups and commits of entries processed together leave in one pipeline
    # (workers/redis_batch.py): the round trips of dedupe and publish together.
    "dedupe + publish round trips": ("RedisBatch._send",),
}
_BY_NAME = {name: stage for stage, names in STAGES.items() for name in names}


def split(session_path: Path, text_out: Path) -> tuple[dict[str, float], float]:
    """Seconds per stage, and the pass's total, from a saved ``pyisession``."""
    from pyinstrument.renderers import ConsoleRenderer
    from pyinstrument.session import Session

    session = Session.load(str(session_path))
    text_out.write_text(ConsoleRenderer(unicode=True, color=False, show_all=False)
                        .render(session))
    root = session.root_frame()
    totals = dict.fromkeys(STAGES, 0.0)
    if root is None:
        return totals, 0.0
    _walk(root, totals)
    start_up = _imports(root)
    totals["start-up (imports)"] = start_up
    totals["other (event loop, scheduling, logging)"] = max(
        0.0, root.time - sum(totals.values()))
    return totals, float(root.time)


def _walk(frame: Any, totals: dict[str, float]) -> None:
    name = f"{frame.class_name}.{frame.function}" if frame.class_name else frame.function
    stage = _BY_NAME.get(name) if "workers/" in (frame.file_path or "") else None
    if stage is not None:
        totals[stage] += frame.time
        return
    for child in frame.children:
        _walk(child, totals)


def _imports(root: Any) -> float:
    """Time importing modules (outermost ``_find_and_load`` frames), wherever it happens."""
    total = 0.0
    stack = [root]
    while stack:
        frame = stack.pop()
        if frame.function == "_find_and_load":
            total += frame.time
            continue
        stack.extend(frame.children)
    return total
