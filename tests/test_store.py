"""The dedupe store against a real Redis: lookup and commit semantics, conflicts, retention,
hash tags, the linear-hashed index, and two worker processes racing over the same copies."""

from __future__ import annotations

import asyncio
import json
import random
import sys
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from redis.asyncio import Redis
from redis.crc import key_slot

from tests.conftest import TEST_REDIS_URL
from tests.sightings import SAME_EVENT, events_for, record, sighting, text, trimmed
from workers.dedupe import Action, Decision, Lookup, Sighting
from workers.errors import StoreError
from workers.model import PublisherRef
from workers.settings import Settings
from workers.store import GENERATIONS, Store
from workers.urls import normalize_url

ORIGIN = "http://english.nv.ua/nation/returned-from-captivity-50306331.html"
COPY = "http://newshub.example/news/since-start-of-war-1-095512345.html"
CASES = sorted({p.name.split(".")[0] for p in SAME_EVENT.glob("*.txt")})
NV = PublisherRef("The New Voice of Ukraine", "english.nv.ua")


async def publish(store: Store, s: Sighting, article_id: str = "art_1") -> Decision:
    decision = Decision(Action.PUBLISH, article_id)
    found = await store.lookup(s)
    assert await store.commit(s, decision, events_for(s, decision), found=found)
    return decision


async def stream_events(redis: Redis, settings: Settings) -> list[dict[str, Any]]:
    entries = await redis.xrange(settings.stream) or []
    return [json.loads(fields[b"data"]) for _, fields in entries if fields]


async def test_a_new_page_finds_nothing_and_its_commit_publishes(
    redis: Redis, settings: Settings
) -> None:
    store = Store(redis, settings)
    s = sighting(ORIGIN, text("ecb_rates"), publisher="NV")
    found = await store.lookup(s)
    assert (found.own, found.named, found.origin, found.content) == (None, None, None, None)
    await publish(store, s)
    events = await stream_events(redis, settings)
    assert [(e["type"], e["article_id"]) for e in events] == [("article.published", "art_1")]
    again = await store.lookup(s)
    assert again.own is not None
    assert again.own.how == "url"
    story = again.own.story
    assert (story.article_id, story.origin_url, story.origin_seen) == ("art_1", s.url, True)
    assert (story.origin_domain, story.origin_name) == ("english.nv.ua", "NV")
    assert story.text_hash == s.fingerprint.text_hash
    assert story.published_at == s.published_at


IDENTITIES = [
    ("page_url", {"url": ORIGIN + "?utm_source=rss"}, "url"),
    ("canonical", {"url": "http://other.example/x", "also": (ORIGIN,)}, "url"),
    ("guid", {"url": "http://other.example/y", "guid": "nv.xml|50306331"}, "guid"),
]


@pytest.mark.parametrize(
    ("ident", "how"), [i[1:] for i in IDENTITIES], ids=[i[0] for i in IDENTITIES]
)
async def test_a_recorded_page_is_found_by_each_identity(
    redis: Redis, settings: Settings, ident: dict[str, object], how: str
) -> None:
    store = Store(redis, settings)
    await publish(store, sighting(ORIGIN, text("ecb_rates"), guid="nv.xml|50306331"))
    url = str(ident.pop("url"))
    found = await store.lookup(sighting(url, text("quake_turkey"), **ident))  # type: ignore[arg-type]
    assert found.own is not None
    assert (found.own.how, found.own.story.article_id) == (how, "art_1")


async def test_an_exact_copy_is_found_by_its_text(redis: Redis, settings: Settings) -> None:
    store = Store(redis, settings)
    await publish(store, sighting(ORIGIN, text("ecb_rates")))
    found = await store.lookup(sighting(COPY, text("ecb_rates").upper()))
    assert found.own is None
    assert found.content is not None
    assert (found.content.how, found.content.similarity) == ("text", 1.0)


async def test_an_edited_copy_is_found_as_a_near_duplicate(
    redis: Redis, settings: Settings
) -> None:
    store = Store(redis, settings)
    await publish(store, sighting(ORIGIN, text("ecb_rates")))
    found = await store.lookup(sighting(COPY, trimmed(text("ecb_rates"))))
    assert found.content is not None
    assert found.content.how == "near"
    assert found.content.similarity >= settings.near_dup_threshold
    assert found.content.story.article_id == "art_1"


@pytest.mark.parametrize("case", CASES)
async def test_another_outlets_report_of_the_event_is_not_a_copy(
    redis: Redis, settings: Settings, case: str
) -> None:
    store = Store(redis, settings)
    await publish(store, sighting(ORIGIN, text(case, "a")))
    found = await store.lookup(sighting(COPY, text(case, "b")))
    assert found.content is None


async def test_short_texts_match_exactly_or_not_at_all(redis: Redis, settings: Settings) -> None:
    store = Store(redis, settings)
    summary = "ECB holds rates at 4 percent as inflation cools to 2.9 percent."
    await publish(store, sighting(ORIGIN, text("ecb_rates")), "art_long")
    await publish(store, sighting("http://a.example/1", summary), "art_short")
    near = await store.lookup(sighting(COPY, "ECB holds its rates at 4 percent; inflation 2.9%."))
    assert near.content is None
    exact = await store.lookup(sighting(COPY, summary))
    assert exact.content is not None
    assert (exact.content.how, exact.content.story.article_id) == ("text", "art_short")


async def test_a_copy_names_its_origin_and_the_origin_joins_the_story(
    redis: Redis, settings: Settings
) -> None:
    store = Store(redis, settings)
    copy = sighting(COPY, trimmed(text("ecb_rates")), origin=NV, origin_url=ORIGIN, confidence=0.9)
    first = Decision(Action.PUBLISH_FROM_COPY, "art_copy")
    assert await store.commit(copy, first, events_for(copy, first), found=await store.lookup(copy))

    origin = sighting(ORIGIN, text("ecb_rates"), publisher="NV")
    found = await store.lookup(origin)
    assert found.own is None
    assert found.named is not None
    story = found.named.story
    assert (found.named.how, story.article_id, story.origin_seen) == ("named", "art_copy", False)
    assert (story.origin_name, story.origin_url, story.origin_confidence) == (
        NV.name,
        ORIGIN.replace("http:", "https:"),
        0.9,
    )

    joined = Decision(Action.ORIGIN_ARRIVED, "art_copy", found.named)
    assert await store.commit(origin, joined, events_for(origin, joined), found=found)
    after = await store.lookup(origin)
    assert after.own is not None
    story = after.own.story
    assert (story.article_id, story.origin_seen, story.origin_url) == ("art_copy", True, origin.url)
    assert story.text_hash == origin.fingerprint.text_hash
    assert story.origin_confidence == 0.9  # as sure as the claim that found the origin
    types = [e["type"] for e in await stream_events(redis, settings)]
    assert types == ["article.published", "article.syndicated", "article.updated"]


async def test_an_origin_url_of_a_known_page_is_found(redis: Redis, settings: Settings) -> None:
    store = Store(redis, settings)
    await publish(store, sighting(ORIGIN, text("ecb_rates")))
    found = await store.lookup(sighting(COPY, text("quake_turkey"), origin=NV, origin_url=ORIGIN))
    assert found.origin is not None
    assert (found.origin.how, found.origin.story.article_id) == ("origin_url", "art_1")


ORDERS = [("origin_then_copies", False), ("copies_then_origin", True)]


@pytest.mark.parametrize("reverse", [o[1] for o in ORDERS], ids=[o[0] for o in ORDERS])
async def test_arrival_order_gives_the_same_single_story(
    redis: Redis, settings: Settings, reverse: bool
) -> None:
    store = Store(redis, settings)
    body = text("wildfire_la")
    early = sighting(ORIGIN, body).published_at
    assert early is not None
    pages = [
        sighting(ORIGIN, body, publisher="NV"),
        sighting(
            COPY,
            trimmed(body),
            origin=NV,
            origin_url=ORIGIN,
            confidence=0.9,
            published_at=early + timedelta(hours=1),
        ),
        sighting(
            "http://third.example/a",
            body,
            origin=NV,
            confidence=0.9,
            published_at=early + timedelta(hours=2),
        ),
    ]
    for page in reversed(pages) if reverse else pages:
        await record(store, page)
    events = await stream_events(redis, settings)
    assert [e["type"] for e in events].count("article.published") == 1
    assert {e["article_id"] for e in events} == {events[0]["article_id"]}
    final = (await store.lookup(pages[0])).own
    assert final is not None
    assert (final.story.origin_url, final.story.origin_seen) == (pages[0].url, True)
    assert final.story.text_hash == pages[0].fingerprint.text_hash


async def test_both_orders_give_the_same_story_when_copies_name_the_origin_url(
    redis: Redis, settings: Settings, prefix: str
) -> None:
    body = text("quake_turkey")
    origin = sighting(ORIGIN, body, publisher="NV")
    copies = [
        sighting(COPY, trimmed(body), origin=NV, origin_url=ORIGIN, confidence=0.9),
        sighting("http://third.example/q", body, origin=NV, origin_url=ORIGIN, confidence=0.8),
    ]
    outcomes = []
    for order, pages in (("first", [origin, *copies]), ("last", [*copies, origin])):
        mine = settings.model_copy(
            update={"key_prefix": f"{prefix}-{order}", "stream": f"{prefix}-{order}:articles"}
        )
        store = Store(redis, mine)
        for page in pages:
            await record(store, page)
        events = await stream_events(redis, mine)
        assert [e["type"] for e in events].count("article.published") == 1
        final = (await store.lookup(origin)).own
        assert final is not None
        outcomes.append(
            ({e["article_id"] for e in events}, final.story.origin_url, final.story.text_hash)
        )
    assert outcomes[0] == outcomes[1]
    assert len(outcomes[0][0]) == 1


# --- conflicts ---------------------------------------------------------------------------


async def test_a_concurrent_claim_of_the_url_refuses_the_commit(
    redis: Redis, settings: Settings
) -> None:
    mine, theirs = Store(redis, settings), Store(redis, settings)
    s = sighting(ORIGIN, text("ecb_rates"))
    found = await mine.lookup(s)
    await publish(theirs, s, "art_theirs")
    decision = Decision(Action.PUBLISH, "art_mine")
    assert not await mine.commit(s, decision, events_for(s, decision), found=found)
    assert len(await stream_events(redis, settings)) == 1
    again = await mine.lookup(s)
    assert again.own is not None
    assert again.own.story.article_id == "art_theirs"


async def test_a_concurrent_near_duplicate_refuses_the_commit(
    redis: Redis, settings: Settings
) -> None:
    mine, theirs = Store(redis, settings), Store(redis, settings)
    copy = sighting(COPY, trimmed(text("ecb_rates")))
    found = await mine.lookup(copy)
    await publish(theirs, sighting(ORIGIN, text("ecb_rates")), "art_theirs")
    decision = Decision(Action.PUBLISH, "art_mine")
    assert not await mine.commit(copy, decision, events_for(copy, decision), found=found)
    again = await mine.lookup(copy)
    assert again.content is not None
    assert (again.content.how, again.content.story.article_id) == ("near", "art_theirs")


async def test_a_concurrent_update_of_the_matched_story_refuses_the_commit(
    redis: Redis, settings: Settings
) -> None:
    mine, theirs = Store(redis, settings), Store(redis, settings)
    copy = sighting(COPY, trimmed(text("ecb_rates")), origin=NV, origin_url=ORIGIN, confidence=0.9)
    await record(theirs, copy)
    other = sighting("http://third.example/b", text("ecb_rates").upper())
    found = await mine.lookup(other)
    assert found.content is not None
    await record(theirs, sighting(ORIGIN, text("ecb_rates")))  # the origin arrives meanwhile
    decision = Decision(Action.SYNDICATE, found.content.story.article_id, found.content)
    assert not await mine.commit(other, decision, events_for(other, decision), found=found)


async def test_commit_needs_a_lookup_of_this_store(redis: Redis, settings: Settings) -> None:
    store = Store(redis, settings)
    s = sighting(ORIGIN, text("ecb_rates"))
    decision = Decision(Action.PUBLISH, "art_1")
    with pytest.raises(StoreError, match="without a lookup"):
        await store.commit(s, decision, [], found=Lookup())
    assert await store.commit(s, decision, [], found=await store.lookup(s))
    assert (await store.lookup(s)).own is not None


async def test_a_commit_presuming_nothing_known_succeeds_only_when_nothing_is(
    redis: Redis, settings: Settings
) -> None:
    """``nothing_known`` is the lookup an empty store gives, made without a round trip: its
    commit publishes a new story, and is refused once anything it would read exists."""
    store = Store(redis, settings)
    s = sighting(ORIGIN, text("ecb_rates"), guid="g|1")
    looked = await store.lookup(s)
    presumed = store.nothing_known(s)
    assert presumed == looked  # both empty (the token is left out of equality)
    assert presumed.token == looked.token  # and the commit's check reads the same world
    decision = Decision(Action.PUBLISH, "art_1")
    assert await store.commit(s, decision, events_for(s, decision), found=presumed)
    # The same page again, and another page with its exact text: each now finds a story.
    copy = sighting(COPY, text("ecb_rates"))
    for again in (s, copy):
        stale = store.nothing_known(again)
        assert not await store.commit(again, decision, events_for(again, decision), found=stale)
    assert (await store.lookup(copy)).content is not None
    events = await stream_events(redis, settings)
    assert [e["article_id"] for e in events] == ["art_1"]


async def test_known_answers_for_a_batch_of_entries(redis: Redis, settings: Settings) -> None:
    store = Store(redis, settings)
    await publish(store, sighting(ORIGIN, text("ecb_rates"), guid="g|1"))
    batch = [((ORIGIN.replace("http:", "https:"),), None), ((COPY,), "g|1"), ((COPY,), None)]
    assert await store.known(batch) == [True, True, False]


async def test_known_for_a_batch_is_known_for_each_entry_alone(
    redis: Redis, settings: Settings
) -> None:
    """One script call answers for the whole batch: each answer is the entry's own, with
    entries of several identities, of none, repeated, known and not, in any order."""
    store = Store(redis, settings)
    await publish(store, sighting(ORIGIN, text("ecb_rates"), guid="g|1"))
    await publish(store, sighting(COPY, text("ecb_rates") + " more", guid="g|2"), "art_2")
    origin, copy, other = map(normalize_url, (ORIGIN, COPY, "http://elsewhere.example/a"))
    entries: list[tuple[tuple[str, ...], str | None]] = [
        ((), None),
        ((other,), None),
        ((other, origin), None),
        ((), "g|2"),
        ((other,), "g|9"),
        ((copy,), None),
        ((other, ORIGIN), "g|1"),
        ((), None),
    ]
    alone = [(await store.known([entry]))[0] for entry in entries]
    assert alone == [False, False, True, True, False, True, True, False]
    for shift in range(len(entries)):
        batch = entries[shift:] + entries[:shift] + entries[:3]
        assert await store.known(batch) == alone[shift:] + alone[:shift] + alone[:3]
    assert await store.known([]) == []
    assert await store.known([((), None)] * 3) == [False] * 3


# --- keys, retention, the index ------------------------------------------------------------


async def _our_keys(redis: Redis, prefix: str) -> list[bytes]:
    return [k async for k in redis.scan_iter(match=f"*{prefix}*", count=1000)]

async def test_scripts_the_server_lacks_are_loaded_once_and_the_calls_still_answer(
    redis: Redis, settings: Settings
) -> None:
    """A server that has never seen the scripts (or lost them: a restart, SCRIPT FLUSH)
    answers NOSCRIPT to the whole batch; the store loads each script and sends again."""
    store = Store(redis, settings)
    unique = f"\n-- {uuid.uuid4().hex}\n"  # scripts no test has loaded on the shared server
    lookup, commit = store._lookup.script, store._commit.script
    assert isinstance(lookup, str)
    assert isinstance(commit, str)
    store._lookup = redis.register_script(lookup + unique)
    store._commit = redis.register_script(commit + unique)
    shas = (store._lookup.sha, store._commit.sha)
    assert await redis.script_exists(*shas) == [False, False]
    stories = [" ".join(f"story{i}word{j}" for j in range(120)) for i in range(6)]
    sightings = [sighting(f"{ORIGIN}?n={i}", story) for i, story in enumerate(stories)]
    found = await asyncio.gather(*(store.lookup(s) for s in sightings))
    assert all(f.own is None for f in found)
    decisions = [Decision(Action.PUBLISH, f"art_{i}") for i in range(6)]
    done = await asyncio.gather(
        *(
            store.commit(s, d, events_for(s, d), found=f)
            for s, d, f in zip(sightings, decisions, found, strict=True)
        )
    )
    assert done == [True] * 6
    assert await redis.script_exists(*shas) == [True, True]
    events = await stream_events(redis, settings)
    assert sorted(e["article_id"] for e in events) == [f"art_{i}" for i in range(6)]



async def test_every_key_shares_the_streams_cluster_slot(
    redis: Redis, settings: Settings, prefix: str
) -> None:
    store = Store(redis, settings)
    copy = sighting(COPY, trimmed(text("ecb_rates")), origin=NV, origin_url=ORIGIN, confidence=0.9)
    await record(store, copy)
    await record(store, sighting(ORIGIN, text("ecb_rates")))
    keys = await _our_keys(redis, prefix)
    assert len(keys) >= 5
    assert {key_slot(k) for k in keys} == {key_slot(settings.stream.encode())}
    tag = f"{{{settings.stream}}}".encode()
    assert all(tag in k for k in keys if k != settings.stream.encode())


async def test_entries_and_stories_expire_after_the_retention_window(
    redis: Redis, settings: Settings, prefix: str
) -> None:
    settings = settings.model_copy(update={"retention_days": 2.0})
    store = Store(redis, settings)
    await record(store, sighting(ORIGIN, text("ecb_rates"), guid="g|1"))
    retention = 2 * 86400
    exempt = {settings.stream.encode(), store.keys.story_seq.encode()}
    ttls = {k: await redis.ttl(k) for k in await _our_keys(redis, prefix) if k not in exempt}
    assert any(b":st:" in k for k in ttls)
    assert any(b":ix:" in k for k in ttls)
    assert all(retention < t <= retention + retention / GENERATIONS for t in ttls.values()), ttls


async def test_an_expired_generation_is_neither_read_nor_kept(
    redis: Redis, settings: Settings, prefix: str
) -> None:
    now = (await redis.time())[0]
    long_ago = now - settings.retention_days * 86400 * 1.5
    past = Store(redis, settings, clock=lambda: long_ago)
    s = sighting(ORIGIN, text("ecb_rates"))
    await record(past, s)
    assert (await past.lookup(s)).own is None  # its generation is gone even by its own clock
    assert (await Store(redis, settings).lookup(s)).own is None
    left = set(await _our_keys(redis, prefix))
    assert left == {settings.stream.encode(), past.keys.story_seq.encode()}


def _article(rng: random.Random, vocabulary: list[str]) -> str:
    return "\n\n".join(" ".join(rng.choices(vocabulary, k=40)) + "." for _ in range(5))


async def test_the_index_grows_by_splitting_and_stays_compact(
    redis: Redis, settings: Settings, prefix: str
) -> None:
    store = Store(redis, settings)
    rng = random.Random(7)
    vocabulary = [f"w{i}" for i in range(5000)]
    pages = [sighting(f"http://site.example/{i}", _article(rng, vocabulary)) for i in range(250)]
    for i, page in enumerate(pages):
        await publish(store, page, f"art_{i}")
    buckets = [k for k in await _our_keys(redis, prefix) if b":ix:" in k]
    assert len(buckets) > 64
    encodings = {await redis.object("encoding", k) for k in buckets}
    assert encodings == {b"listpack"}
    for i, page in enumerate(pages):
        found = await store.lookup(page)
        assert found.own is not None
        assert found.own.story.article_id == f"art_{i}"


async def test_every_index_key_written_expires_with_its_generation_and_counts_add_up(
    redis: Redis, settings: Settings, prefix: str
) -> None:
    """commit.lua counts a call's inserts and sets each written key's expiry once per call
    (not per write), and a split moves a bucket's fields in bulk: the index must read as
    if written one field at a time: every entry counted, every key expiring with its
    generation, every page found."""
    now = float((await redis.time())[0])
    store = Store(redis, settings, clock=lambda: now)
    rng = random.Random(11)
    vocabulary = [f"w{i}" for i in range(5000)]
    pages = [sighting(f"http://site.example/{i}", _article(rng, vocabulary)) for i in range(120)]
    for i, page in enumerate(pages):
        await publish(store, page, f"art_{i}")
    keys = await _our_keys(redis, prefix)
    buckets = [k for k in keys if b":ix:" in k]
    metas = [k for k in keys if b":gm:" in k]
    assert len(metas) == 1
    assert len(buckets) > 32  # it split
    level, split, count = (int(v or b"-1") for v in await redis.hmget(metas[0], ["L", "p", "n"]))
    assert len(buckets) == 2**level + split
    assert count == sum([await redis.hlen(k) for k in buckets])
    gen = store._gen(now)
    expire_at = round((gen + 1) * store.generation + store.retention)
    for key in [*buckets, *metas, *(k for k in keys if b":st:" in k)]:
        assert await redis.expiretime(key.decode()) == expire_at, key
    for i, page in enumerate(pages):
        found = await store.lookup(page)
        assert found.own is not None
        assert found.own.story.article_id == f"art_{i}"


async def test_a_band_lists_its_newest_stories_first_and_keeps_four(
    redis: Redis, settings: Settings, prefix: str
) -> None:
    store = Store(redis, settings)
    body = text("ecb_rates")
    for i in range(6):
        await publish(store, sighting(f"http://paper{i}.example/a.html", body), f"art_{i}")
    buckets = [k for k in await _our_keys(redis, prefix) if b":ix:" in k]
    values = [v for k in buckets for v in (await redis.hgetall(k)).values()]
    bands = [v for v in values if b" " in v]
    assert bands
    assert set(bands) == {b"6 5 4 3"}


async def test_redis_errors_become_store_errors(settings: Settings) -> None:
    dead = Redis.from_url("redis://127.0.0.1:1/0")
    try:
        with pytest.raises(StoreError, match="dedupe lookup") as caught:
            await Store(dead, settings).lookup(sighting(ORIGIN, text("ecb_rates")))
        assert caught.value.__cause__ is not None
    finally:
        await dead.aclose()


# --- two processes ---------------------------------------------------------------------------

RACE_ROUNDS = 100
ROOT = Path(__file__).resolve().parents[1]


async def test_two_worker_processes_racing_publish_each_story_once(
    redis: Redis, settings: Settings, prefix: str
) -> None:
    procs = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "tests.race_worker",
            TEST_REDIS_URL,
            prefix,
            settings.stream,
            str(RACE_ROUNDS),
            str(who),
            cwd=ROOT,
            stderr=asyncio.subprocess.PIPE,
        )
        for who in (0, 1)
    ]
    results = await asyncio.wait_for(asyncio.gather(*(p.communicate() for p in procs)), 50)
    for proc, (_, err) in zip(procs, results, strict=True):
        assert proc.returncode == 0, err.decode()
    events = await stream_events(redis, settings)
    for story in range(RACE_ROUNDS):
        mine = [e for e in events if e["round"] == story]
        assert [e["type"] for e in mine].count("article.published") == 1, mine
        assert len({e["article_id"] for e in mine}) == 1, mine


async def test_the_stream_is_trimmed_to_about_maxlen(redis: Redis, settings: Settings) -> None:
    """MAXLEN ~ trims whole stream nodes (100 entries by default): bounded, not exact."""
    store = Store(redis, settings.model_copy(update={"stream_maxlen": 50}))
    for i in range(400):
        body = f"Story number {i} is about " + " ".join(f"w{i}x{j}" for j in range(80))
        await record(store, sighting(f"https://paper.example/story-{i}.html", body))
    length = await redis.xlen(settings.stream)
    assert 50 <= length <= 50 + 100
