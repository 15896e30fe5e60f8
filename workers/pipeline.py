"""Puts the steps in order for one feed: fetch, parse, extract, detect, dedupe, publish.

Nothing here decides anything itself; each step's module does. Failures of one feed or one
entry are logged, counted and skipped: they never stop the others.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime

import xxhash
from prometheus_client import Counter

from schemas import ArticlePublished, ArticleSyndicated, ArticleUpdated
from workers.dedupe import Action, Decision, Lookup, Sighting, decide
from workers.errors import IngestError, StoreError
from workers.events import Context, build_events, to_json
from workers.feedstate import FeedState, FeedStates, after_failure
from workers.fetch import Failed, Fetcher, Gone, NotModified, Ok, RateLimited
from workers.fingerprint import fingerprint
from workers.metrics import Metrics
from workers.model import FeedEntry, Page, ParsedFeed, Provenance, PublisherRef
from workers.provenance.registry import PublisherRegistry
from workers.settings import FetchPages, Settings
from workers.steps import detect, extract_page, page_from_entry, parse_feed
from workers.store import Store
from workers.urls import normalize_url, site_domain, without_tracking

log = logging.getLogger(__name__)

AnyEvent = ArticlePublished | ArticleSyndicated | ArticleUpdated
EntryKeys = tuple[tuple[str, ...], str | None]  # an entry's normalised link(s) and GUID key

# A commit is refused when another worker changed what the lookup saw; each retry sees
# that change, so a handful of rounds settles any realistic race.
MAX_COMMIT_ATTEMPTS = 8


@dataclass(frozen=True, slots=True)
class FeedReport:
    url: str
    outcome: str  # parsed, not_modified, unchanged, rate_limited, gone, failed, invalid, deferred
    entries: int = 0  # entries in the feed
    fresh: int = 0  # entries not seen before
    events: int = 0  # events published
    skipped: int = 0  # entries counted and skipped (page failed, extraction failed...)


class SkipEntry(IngestError):
    """An entry that cannot be processed now; counted, logged, not fatal."""

    def __init__(self, stage: str, kind: str, message: str, *, transient: bool) -> None:
        super().__init__(message)
        self.stage, self.kind, self.transient = stage, kind, transient


class Pipeline:
    def __init__(
        self,
        *,
        settings: Settings,
        fetcher: Fetcher,
        feeds: FeedStates,
        store: Store,
        registry: PublisherRegistry | Callable[[], PublisherRegistry],
        metrics: Metrics,
        worker: str,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.settings = settings
        self.fetcher = fetcher
        self.feeds = feeds
        self.store = store
        # A registry, or what builds it on first use: a pass that processes no entry (every
        # feed 304 or unchanged) never reads the seed data nor replays what was learned.
        self._registry: PublisherRegistry | None = None
        self._make_registry: Callable[[], PublisherRegistry] | None = None
        if isinstance(registry, PublisherRegistry):
            self._registry = registry
        else:
            self._make_registry = registry
        self.metrics = metrics
        self.worker = worker
        self.clock = clock
        # Links taken this pass: the same page listed by several feeds (a section feed and a
        # top-stories feed) is fetched and processed once; the store would skip the rest.
        self._taken: set[str] = set()
        # Publisher names already taught to the registry: a feed's title comes with each of
        # its entries, and learning a pair again never changes the registry (``learn``
        # only adds, and a pair it took or refused stays taken or refused).
        self._learned: set[PublisherRef] = set()
        # Labelled metric children, looked up once: ``labels()`` costs a lock and a lookup.
        self._new_entries = metrics.entries.labels("new")
        self._event_counters: dict[str, Counter] = {}

    @property
    def registry(self) -> PublisherRegistry:
        if self._registry is None:
            assert self._make_registry is not None
            self._registry = self._make_registry()
        return self._registry

    @property
    def loaded_registry(self) -> PublisherRegistry | None:
        """The registry if some entry needed it already (nothing to save otherwise)."""
        return self._registry

    def new_pass(self) -> None:
        self._taken.clear()
        self._learned.clear()  # a long-running worker's memo stays one pass's size

    # --- one feed ---------------------------------------------------------------------
    async def run_feed(self, url: str) -> FeedReport:
        state = await self.feeds.load(url)
        now = self.clock()
        if state.gone or state.retry_at > now:
            return self._report(FeedReport(url, "deferred"))
        result = await self.fetcher.fetch(state.fetch_url, kind="feed", validators=state.validators)
        if isinstance(result, Ok | NotModified) and result.permanent_redirect:
            state = replace(state, fetch_url=result.permanent_redirect)
        match result:
            case NotModified():
                await self.feeds.save(replace(state, failures=0, retry_at=0.0))
                return self._report(FeedReport(url, "not_modified"))
            case RateLimited(retry_after=delay):
                await self.feeds.save(replace(state, retry_at=now + delay))
                return self._report(FeedReport(url, "rate_limited"))
            case Gone():
                await self.feeds.save(replace(state, gone=True))
                return self._report(FeedReport(url, "gone"))
            case Failed(kind=kind, detail=detail):
                self._skip("fetch", kind.value, f"feed {url}: {detail}")
                await self.feeds.save(after_failure(state, now, self.settings.poll_interval))
                return self._report(FeedReport(url, "failed"))
            case Ok():
                return self._report(await self._feed_body(state, result, now))
        raise AssertionError(f"unclassified fetch result {result!r}")

    async def _feed_body(self, state: FeedState, result: Ok, now: float) -> FeedReport:
        body_hash = xxhash.xxh3_128_hexdigest(result.body)
        ok_state = replace(state, validators=result.validators, body_hash=body_hash, failures=0)
        if body_hash == state.body_hash:  # a server that ignores conditional GET
            await self.feeds.save(ok_state)
            return FeedReport(state.url, "unchanged")
        try:
            parsed = parse_feed(result.body, url=result.url, content_type=result.content_type)
        except IngestError as e:
            self._skip("parse", "invalid_feed", str(e))
            await self.feeds.save(after_failure(state, now, self.settings.poll_interval))
            return FeedReport(state.url, "invalid")
        if parsed.warning:
            log.debug("feed %s parsed with a warning: %s", state.url, parsed.warning)
        report = await self._entries(parsed)
        # A transient failure keeps the old validators, so the next pass refetches the
        # feed and retries exactly the entries that failed (the rest are seen already).
        await self.feeds.save(ok_state if not report.skipped else replace(state, failures=0))
        return replace(report, url=state.url)

    async def _entries(self, parsed: ParsedFeed) -> FeedReport:
        keyed = [(entry, self._entry_keys(entry)) for entry in parsed.entries]
        unseen = await self._unseen(keyed)
        fresh = self._take(unseen)
        self.metrics.entries.labels("seen").inc(len(keyed) - len(unseen))
        self.metrics.entries.labels("taken_this_pass").inc(len(unseen) - len(fresh))
        results = await asyncio.gather(*(self._guarded(entry) for entry in fresh))
        events = sum(n for n in results if n is not None)
        transient = sum(1 for n in results if n is None)
        return FeedReport(parsed.url, "parsed", len(keyed), len(fresh), events, transient)

    async def _unseen(
        self, keyed: list[tuple[FeedEntry, EntryKeys]]
    ) -> list[tuple[FeedEntry, EntryKeys]]:
        """Entries whose link or GUID no story holds yet: one round trip for the feed."""
        known = await self.store.known([keys for _, keys in keyed])
        return [pair for pair, k in zip(keyed, known, strict=True) if not k]

    def _take(self, keyed: list[tuple[FeedEntry, EntryKeys]]) -> list[FeedEntry]:
        """Entries whose page no other entry of this pass has taken; no await in between,
        so concurrent feeds cannot both take one link."""
        out = []
        for entry, (urls, _) in keyed:
            if urls and urls[0] in self._taken:
                continue
            self._taken.update(urls)
            out.append(entry)
        return out

    def _entry_keys(self, entry: FeedEntry) -> EntryKeys:
        urls = _normalized((entry.link,), self.settings.tracking_params)
        return urls, _guid_key(entry)

    async def _guarded(self, entry: FeedEntry) -> int | None:
        """Events published for the entry; None when it failed transiently (retry later)."""
        try:
            return await self.process_entry(entry)
        except SkipEntry as e:
            self._skip(e.stage, e.kind, f"entry {entry.link or entry.entry_id}: {e}")
            return None if e.transient else 0
        except StoreError:
            raise  # Redis gone: the whole pass fails loudly, nothing is half-recorded
        except IngestError as e:
            self._skip("entry", type(e).__name__, f"entry {entry.link or entry.entry_id}: {e}")
            return 0
        except Exception:  # a bug on one odd entry must not stop the worker
            log.exception("unexpected error on entry %s", entry.link or entry.entry_id)
            self.metrics.errors.labels("entry", "unexpected").inc()
            return 0

    # --- one entry --------------------------------------------------------------------
    async def process_entry(self, entry: FeedEntry) -> int:
        page = await self._page(entry)
        provenance = self._published_urls(detect(page, entry, self.registry))
        text = _without_notices(page, provenance.notices)
        fp = fingerprint(text)
        url = without_tracking(page.url, tracking_params=self.settings.tracking_params)
        publisher = PublisherRef(page.publisher.name, site_domain(url))
        sighting = Sighting(
            url=_normalized((url,), self.settings.tracking_params)[0],
            urls=self._identities(entry, page),
            guid=_guid_key(entry),
            publisher=publisher,
            published_at=page.published_at,
            fingerprint=fp,
            origin=provenance.origin.publisher if provenance.origin else None,
            origin_url=self._origin_url(provenance.origin.url if provenance.origin else None),
            origin_confidence=provenance.origin.confidence if provenance.origin else 0.0,
            origin_is_agency=bool(provenance.origin and provenance.origin.is_agency),
            is_agency=self._is_agency(publisher),
        )
        ctx = Context(
            page=page,
            text=text,
            text_hash=fp.text_hash,
            url=url,
            publisher=publisher,
            provenance=provenance,
            entry=entry,
            fetched_at=datetime.fromtimestamp(self.clock(), tz=UTC),
            worker=self.worker,
        )
        self._new_entries.inc()
        # What pages say about who publishes them teaches the registry loose names.
        self._learn(publisher)
        if entry.feed_title and entry.feed_link:
            self._learn(PublisherRef(entry.feed_title, site_domain(entry.feed_link)))
        return await self._record(sighting, ctx)

    def _learn(self, ref: PublisherRef) -> None:
        if ref not in self._learned:
            self._learned.add(ref)
            self.registry.learn(ref)

    async def _page(self, entry: FeedEntry) -> Page:
        if self.settings.fetch_pages == FetchPages.NEVER or not entry.link:
            return page_from_entry(entry)
        result = await self.fetcher.fetch(entry.link, kind="page")
        match result:
            case Ok():
                return extract_page(
                    result.body, url=result.url, charset=result.charset, entry=entry
                )
            case RateLimited():
                raise SkipEntry("fetch", "rate_limited", "page rate limited", transient=True)
            case Failed(kind=kind, status=status, detail=detail):
                transient = status is None or status >= 500
                raise SkipEntry("fetch", kind.value, f"page: {detail}", transient=transient)
            case Gone() | NotModified():
                raise SkipEntry("fetch", "gone", "page gone", transient=False)
        raise AssertionError(f"unclassified fetch result {result!r}")

    async def _record(self, sighting: Sighting, ctx: Context) -> int:
        # Most entries that get here are new stories. A page that names no origin is
        # committed first as if the store held nothing for it: commit checks that very
        # thing, so a lookup's round trip (and its index reads) is paid only when it fails.
        # A copy is likely to find its origin: it looks up first.
        if sighting.origin is None:
            done = await self._commit(sighting, ctx, self.store.nothing_known(sighting))
            if done is not None:
                return done
        for _ in range(MAX_COMMIT_ATTEMPTS):
            done = await self._commit(sighting, ctx, await self.store.lookup(sighting))
            if done is not None:
                return done
        raise StoreError(f"{ctx.url}: gave up after {MAX_COMMIT_ATTEMPTS} conflicting commits")

    async def _commit(self, sighting: Sighting, ctx: Context, found: Lookup) -> int | None:
        """Events published on what ``found`` says; None if the store no longer matches it."""
        decision = decide(sighting, found)
        if decision.action is Action.SKIP:
            return 0
        events = build_events(decision, ctx)
        wire = [(e.event_id, to_json(e)) for e in events]
        if not await self.store.commit(sighting, decision, wire, found=found):
            return None
        self._count(decision, events, ctx)
        return len(events)

    # --- small pieces -----------------------------------------------------------------
    def _identities(self, entry: FeedEntry, page: Page) -> tuple[str, ...]:
        candidates = [entry.link, page.url]
        if entry.guid_is_permalink:
            candidates.append(entry.entry_id)
        canonical = page.canonical_url
        # A canonical on another site names the origin (provenance's business), not this page.
        if canonical and site_domain(canonical) == site_domain(page.url):
            candidates.append(canonical)
        return _normalized(candidates, self.settings.tracking_params)

    def _published_urls(self, provenance: Provenance) -> Provenance:
        """Events carry URLs without tracking parameters (a canonical may have them)."""
        origin = provenance.origin
        if origin is None or origin.url is None:
            return provenance
        clean = without_tracking(origin.url, tracking_params=self.settings.tracking_params)
        return replace(provenance, origin=replace(origin, url=clean))

    def _is_agency(self, publisher: PublisherRef) -> bool:
        known = self.registry.resolve(publisher)
        return bool(known and known.is_agency)

    def _origin_url(self, url: str | None) -> str | None:
        found = _normalized((url,), self.settings.tracking_params)
        return found[0] if found else None

    def _count(self, decision: Decision, events: Sequence[AnyEvent], ctx: Context) -> None:
        for event in events:
            counter = self._event_counters.get(event.type)
            if counter is None:
                counter = self._event_counters[event.type] = self.metrics.events.labels(event.type)
            counter.inc()
        if decision.match is not None:
            self.metrics.duplicates.labels(decision.match.how).inc()
        strongest = max(ctx.provenance.evidence, key=lambda e: e.weight, default=None)
        if ctx.provenance.origin is not None and strongest is not None:
            self.metrics.syndications.labels(strongest.signal).inc()

    def _skip(self, stage: str, kind: str, message: str) -> None:
        self.metrics.errors.labels(stage, kind).inc()
        log.warning("skipped (%s/%s): %s", stage, kind, message)

    def _report(self, report: FeedReport) -> FeedReport:
        self.metrics.feed_passes.labels(report.outcome).inc()
        return report


def _normalized(urls: Iterable[str | None], tracking: Iterable[str]) -> tuple[str, ...]:
    out: dict[str, None] = {}
    for url in urls:
        if not url:
            continue
        try:
            out[normalize_url(url, tracking_params=tracking)] = None
        except ValueError:
            continue  # not an http(s) URL: not an identity
    return tuple(out)


def _guid_key(entry: FeedEntry) -> str | None:
    """GUIDs are unique per feed publisher at best (many feeds number them 1, 2, 3...)."""
    if entry.guid_is_permalink:
        return None
    return f"{site_domain(entry.feed_url) or entry.feed_url}|{entry.entry_id}"


def _without_notices(page: Page, notices: tuple[str, ...]) -> str:
    if not notices:
        return page.text
    drop = {" ".join(n.split()) for n in notices}
    kept = [p for p in page.paragraphs if " ".join(p.split()) not in drop]
    return "\n\n".join(kept)
