"""Prometheus metrics, one registry per process, created once and passed down."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

FETCH_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class Metrics:
    """Every metric the service exports. Label values are small closed sets."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry or CollectorRegistry()
        r = self.registry
        self.fetches = Counter(
            "newsingest_fetches",
            "HTTP fetches by kind (feed, page) and outcome (ok, not_modified, rate_limited, "
            "gone, failed, unchanged).",
            ["kind", "outcome"],
            registry=r,
        )
        self.fetch_seconds = Histogram(
            "newsingest_fetch_duration_seconds",
            "Wall time of one HTTP fetch.",
            ["kind"],
            buckets=FETCH_BUCKETS,
            registry=r,
        )
        self.feed_passes = Counter(
            "newsingest_feed_passes",
            "Feed visits by result (parsed, not_modified, unchanged, rate_limited, gone, failed, "
            "invalid, deferred).",
            ["outcome"],
            registry=r,
        )
        self.entries = Counter(
            "newsingest_entries",
            "Feed entries by what became of them (new; seen: a story holds them already; "
            "taken_this_pass: another entry of the pass links to the same page).",
            ["outcome"],
            registry=r,
        )
        self.events = Counter(
            "newsingest_events", "Events appended to the stream, by type.", ["type"], registry=r
        )
        self.duplicates = Counter(
            "newsingest_duplicates",
            "Sightings folded into a known story, by how they matched (url, guid, text, near, "
            "origin_url).",
            ["match"],
            registry=r,
        )
        self.syndications = Counter(
            "newsingest_syndications",
            "Republications detected, by the strongest provenance signal.",
            ["signal"],
            registry=r,
        )
        self.errors = Counter(
            "newsingest_errors",
            "Counted and skipped failures, by stage (fetch, parse, extract, store) and kind.",
            ["stage", "kind"],
            registry=r,
        )
        self.feeds_due = Gauge("newsingest_feeds", "Feeds this worker knows of.", registry=r)
        self.last_pass = Gauge(
            "newsingest_last_pass_timestamp_seconds",
            "Unix time when this worker last finished a pass over its feeds.",
            registry=r,
        )
