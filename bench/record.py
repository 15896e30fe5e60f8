"""Samples from every run, kept by (section, tool, phase), reduced to medians.

A section is one comparison done on one server state, e.g. ``feeds n=500 delay=50ms``;
ratios are only ever taken between rows of the same section, i.e. of the same run.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from statistics import median

Key = tuple[str, str, str]


@dataclass
class Recorder:
    samples: dict[Key, list[dict[str, float]]] = field(default_factory=lambda: defaultdict(list))
    notes: dict[str, str] = field(default_factory=dict)

    def add(self, section: str, tool: str, phase: str, **figures: float) -> None:
        self.samples[(section, tool, phase)].append(figures)

    def get(self, section: str, tool: str, phase: str, figure: str) -> float | None:
        values = [s[figure] for s in self.samples.get((section, tool, phase), [])
                  if figure in s]
        return median(values) if values else None

    def count(self, section: str, tool: str, phase: str) -> int:
        return len(self.samples.get((section, tool, phase), []))

    def sections(self, prefix: str) -> list[str]:
        return list(dict.fromkeys(s for s, _, _ in self.samples if s.startswith(prefix)))

    def merge(self, other: Recorder) -> None:
        """Fold in another invocation's samples (e.g. memory measured apart)."""
        for key, values in other.samples.items():
            self.samples[key].extend(values)
        for name, note in other.notes.items():
            mine = self.notes.get(name)
            self.notes[name] = note if mine in (None, note) else f"{mine}; {note}"

    def save(self, path: Path) -> None:
        rows = [{"section": s, "tool": t, "phase": p, "samples": v}
                for (s, t, p), v in self.samples.items()]
        path.write_text(json.dumps({"notes": self.notes, "rows": rows}, indent=1))

    @classmethod
    def load(cls, path: Path) -> Recorder:
        data = json.loads(path.read_text())
        rec = cls(notes=data.get("notes", {}))
        for row in data["rows"]:
            rec.samples[(row["section"], row["tool"], row["phase"])] = row["samples"]
        return rec
