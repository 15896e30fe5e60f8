"""Measure detection on a labelled corpus: precision, recall, origin accuracy, cited sources.

Each page goes the real way: ``extract_page`` on the HTML, ``parse_feed`` on its feed when
it has one, then ``detect`` with the bundled registry. ``main`` prints the figures overall,
per signal and per language, and returns 1 when a target is missed (for CI).

    newsingest eval-provenance [--corpus DIR] [--verbose]
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workers.extract import extract_page
from workers.model import FeedEntry, OriginClaim, PublisherRef
from workers.parse import parse_feed
from workers.provenance import detect
from workers.provenance.names import name_key, same_site
from workers.provenance.registry import PublisherRegistry

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "tests" / "data" / "provenance" / "corpus"
TARGETS = {"precision": 0.98, "recall": 0.95, "origin_accuracy": 0.97}


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    origin_ok: int = 0
    cited_expected: int = 0
    cited_found: int = 0

    def add(self, other: Tally) -> None:
        for name in vars(self):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def figures(self) -> dict[str, float | None]:
        def ratio(a: int, b: int) -> float | None:
            return round(a / b, 4) if b else None

        return {
            "precision": ratio(self.tp, self.tp + self.fp),
            "recall": ratio(self.tp, self.tp + self.fn),
            "origin_accuracy": ratio(self.origin_ok, self.tp + self.fn),
            "cited_recall": ratio(self.cited_found, self.cited_expected),
        }


@dataclass
class Report:
    overall: Tally = field(default_factory=Tally)
    by_signal: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    by_language: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    failures: list[str] = field(default_factory=list)


def same_origin(claim: OriginClaim, expected: dict[str, Any], registry: PublisherRegistry) -> bool:
    want = PublisherRef(expected.get("name"), expected.get("domain"))
    got = claim.publisher
    if want.domain and got.domain and same_site(want.domain, got.domain):
        return True
    a, b = registry.resolve(got), registry.resolve(want)
    if a is not None and b is not None:
        return a.name == b.name
    return bool(got.name and want.name) and name_key(got.name or "") == name_key(want.name or "")


def _entry(corpus: Path, label: dict[str, Any]) -> FeedEntry | None:
    if not label.get("feed"):
        return None
    feed = parse_feed((corpus / label["feed"]).read_bytes(), url=label["url"])
    return next((e for e in feed.entries if e.link == label["url"]), feed.entries[0])


def score_case(corpus: Path, label: dict[str, Any], registry: PublisherRegistry) -> Tally:
    page = extract_page((corpus / label["html"]).read_bytes(), url=label["url"])
    result = detect(page, _entry(corpus, label), registry)
    t = Tally()
    if label["syndicated"]:
        if result.origin is None:
            t.fn = 1
        else:
            t.tp = 1
            t.origin_ok = int(same_origin(result.origin, label["origin"], registry))
    else:
        t.fp, t.tn = (1, 0) if result.origin is not None else (0, 1)
    found = {name_key(c.name) for c in result.cited_sources}
    resolved = {registry.resolve(PublisherRef(c.name)) for c in result.cited_sources}
    for name in label.get("cited", ()):
        t.cited_expected += 1
        ref = registry.resolve(PublisherRef(name))
        t.cited_found += int(name_key(name) in found or (ref is not None and ref in resolved))
    return t


def evaluate(corpus: Path, labels: Iterable[dict[str, Any]]) -> Report:
    registry = PublisherRegistry.bundled()
    report = Report()
    for label in labels:
        t = score_case(corpus, label, registry)
        report.overall.add(t)
        report.by_signal[label["signal"]].add(t)
        report.by_language[label["language"]].add(t)
        if t.fp or t.fn or (t.tp and not t.origin_ok) or t.cited_found < t.cited_expected:
            report.failures.append(label["id"])
    return report


def _row(name: str, t: Tally) -> str:
    f = t.figures()
    cells = [("-" if v is None else f"{v:.3f}") for v in f.values()]
    n = t.tp + t.fp + t.fn + t.tn
    return f"{name:<26}{n:>5}{t.tp + t.fn:>7}{t.fp:>7} " + " ".join(f"{c:>9}" for c in cells)


def render(report: Report) -> str:
    """Columns: pages; copies (labelled syndicated); false (pages wrongly marked copies);
    precision and recall of "is a copy"; origin = correct origin / copies; cited = cited
    sources found / labelled."""
    head = (
        f"{'':<26}{'pages':>5}{'copies':>7}{'false':>7} "
        f"{'precision':>9} {'recall':>9} {'origin':>9} {'cited':>9}"
    )
    lines = [head, _row("overall", report.overall), "", "per signal (label)", head]
    lines += [_row(k, v) for k, v in sorted(report.by_signal.items())]
    lines += ["", "per language", head]
    lines += [_row(k, v) for k, v in sorted(report.by_language.items())]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="newsingest eval-provenance", description=__doc__)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--verbose", action="store_true", help="list the pages that failed")
    args = parser.parse_args(argv)
    labels = json.loads((args.corpus / "labels.json").read_text("utf-8"))
    report = evaluate(args.corpus, labels)
    print(render(report))
    if args.verbose and report.failures:
        print("\nfailed:", " ".join(report.failures))
    figures = report.overall.figures()
    missed = [k for k, v in TARGETS.items() if (figures[k] or 0.0) < v]
    if missed:
        print("\ntargets missed:", ", ".join(missed))
    return 1 if missed else 0
