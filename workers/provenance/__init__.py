"""Provenance detection: is this page a republication, and of whom.

Pure: ``detect`` reads a ``Page`` (and its feed entry) and returns a ``Provenance``; it does
no I/O. Signals are read by one module each (``footers``, ``wire``, ``markup``, ``cited``),
combined by ``combine``; ``content.content_match`` turns a near-duplicate match into a
decision on which side is the origin. Phrase catalogues are data in ``data/``.

``detect`` lives in ``detection`` and is imported on first use: a worker whose pass
processes no entry (every feed 304 or unchanged) never loads the signal modules.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from workers.provenance.detection import detect
    from workers.provenance.registry import PublisherRegistry

__all__ = ["PublisherRegistry", "detect"]


def __getattr__(name: str) -> Any:
    if name == "detect":
        from workers.provenance.detection import detect

        return detect
    if name == "PublisherRegistry":
        from workers.provenance.registry import PublisherRegistry

        return PublisherRegistry
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
