"""The pipeline's heavy steps, each imported on its first call.

Parsing a feed loads feedparser and lexbor, extracting a page loads lexbor and the
boilerplate catalogue, detecting provenance its signal modules: a worker whose feeds all
answer 304 needs none of them, and importing them at start-up was a good part of such a
pass. ``workers/pipeline.py`` imports these names from here instead of from their modules;
each calls the real function, which is imported once, on the first call. To the type
checker they are the real functions, signatures included.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any


def _on_first_call(module: str, name: str) -> Callable[..., Any]:
    real: Callable[..., Any] | None = None

    def call(*args: Any, **kwargs: Any) -> Any:
        nonlocal real
        if real is None:
            real = getattr(importlib.import_module(module), name)
        return real(*args, **kwargs)

    call.__name__ = call.__qualname__ = name
    call.__doc__ = f"{module}.{name}, imported on its first call."
    return call


if TYPE_CHECKING:
    from workers.extract import extract_page, page_from_entry
    from workers.parse import parse_feed
    from workers.provenance.detection import detect
else:
    extract_page = _on_first_call("workers.extract", "extract_page")
    page_from_entry = _on_first_call("workers.extract", "page_from_entry")
    parse_feed = _on_first_call("workers.parse", "parse_feed")
    detect = _on_first_call("workers.provenance.detection", "detect")

__all__ = ["detect", "extract_page", "page_from_entry", "parse_feed"]
