"""CPU time of provenance detection per page, beyond extraction.

Pages of the labelled corpus (and the seed page) are extracted once; ``detect`` is then
timed alone with the process CPU clock, each page many times; the report gives the median
over pages of each page's median, and the slowest page's median.

    .venv/bin/python -m bench.provenance_speed [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from workers.extract import extract_page
from workers.model import FeedEntry, Page
from workers.parse import parse_feed
from workers.provenance import PublisherRegistry, detect
from workers.provenance.evaluate import DEFAULT_CORPUS

SEED = Path(__file__).resolve().parents[1] / "tests" / "data" / "seed"


def load_pages(corpus: Path) -> list[tuple[str, Page, FeedEntry | None]]:
    labels = json.loads((corpus / "labels.json").read_text("utf-8"))
    pages: list[tuple[str, Page, FeedEntry | None]] = []
    for label in labels:
        page = extract_page((corpus / label["html"]).read_bytes(), url=label["url"])
        entry = None
        if label["feed"]:
            entry = parse_feed((corpus / label["feed"]).read_bytes(), url=label["url"]).entries[0]
        pages.append((label["id"], page, entry))
    seed_url = "https://newshub.example/news/since-start-full-scale-war-1-095512345.html"
    seed = extract_page((SEED / "aggregator.html").read_bytes(), url=seed_url)
    pages.append(("seed-aggregator", seed, None))
    return pages


def per_page_us(page: Page, entry: FeedEntry | None, registry: PublisherRegistry,
                repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        start = time.process_time_ns()
        detect(page, entry, registry)
        samples.append(time.process_time_ns() - start)
    return statistics.median(samples) / 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args(argv)
    registry = PublisherRegistry.bundled()
    pages = load_pages(DEFAULT_CORPUS)
    detect(pages[0][1], pages[0][2], registry)  # compile the catalogues outside the timing
    timings = {name: per_page_us(page, entry, registry, args.repeat)
               for name, page, entry in pages}
    values = sorted(timings.values())
    slowest = max(timings, key=lambda k: timings[k])
    print(f"pages: {len(values)}, repeats per page: {args.repeat}")
    print(f"median detect CPU per page: {statistics.median(values):.1f} µs")
    print(f"p95: {values[int(len(values) * 0.95) - 1]:.1f} µs; "
          f"slowest: {timings[slowest]:.1f} µs ({slowest})")
    print(f"seed aggregator page: {timings['seed-aggregator']:.1f} µs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
