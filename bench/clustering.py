"""Near-duplicate clustering quality on a generated corpus (bench/news_corpus.py).

    .venv/bin/python -m bench.clustering [--seed 4] [--events 220] [--redis URL] [--no-designs]

1. Designs, pair by pair: the similarity of every pair of long pages within an event
   (copies of one report: positives; other outlets' reports and follow-ups: hard
   negatives) and of 20,000 random pairs, for the fingerprint designs considered (MinHash
   sketch sizes and bits, shingle sizes, Jaccard only or with containment, SimHash), with
   the best threshold of each and the separation it leaves.
2. The store, end to end: every page, in shuffled arrival order, through Store.lookup,
   dedupe.decide and Store.commit against a real Redis (keys under a prefix of the run's
   own, deleted afterwards); stories are the article_ids decided. Pairwise precision and
   recall against the true clusters, for long pages (the target) and for all pages, and
   the short pages (feed summaries) merged into a story not theirs.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np
import numpy.typing as npt
from redis.asyncio import Redis

from bench.news_corpus import Page, corpus
from workers.dedupe import Sighting, decide
from workers.fingerprint import INDEX_BANDS, MIN_AGREEING, fingerprint, normalize_text, story_words
from workers.minhash import minima, shingle_hashes
from workers.model import PublisherRef
from workers.settings import Settings
from workers.store import Store

Pair = tuple[int, int]


# --- designs, pair by pair ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Sketch:
    least: npt.NDArray[np.uint64]
    shingles: int


def minhash_score(bits: int, containment: bool) -> Callable[[Sketch, Sketch], float]:
    mask = np.uint64((1 << bits) - 1)
    chance = 2.0**-bits

    def score(a: Sketch, b: Sketch) -> float:
        agreeing = int(np.count_nonzero((a.least & mask) == (b.least & mask)))
        k = len(a.least)
        jaccard = max(0.0, (agreeing / k - chance) / (1 - chance))
        if not containment or agreeing < k // 8:
            return jaccard
        shared = jaccard / (1 + jaccard) * (a.shingles + b.shingles)
        return max(jaccard, min(1.0, shared / min(a.shingles, b.shingles)))

    return score


def simhash(hashes: npt.NDArray[np.uint64]) -> int:
    bits = (hashes[:, None] >> np.arange(64, dtype=np.uint64)) & np.uint64(1)
    votes = bits.sum(axis=0) * 2 > len(hashes)
    return int(sum(1 << i for i, v in enumerate(votes) if v))


def pair_sets(pages: list[Page], rng: random.Random) -> tuple[list[Pair], list[Pair], list[Pair]]:
    by_event: dict[int, list[int]] = {}
    for i, p in enumerate(pages):
        if not p.short:
            by_event.setdefault(p.event, []).append(i)
    pos: list[Pair] = []
    hard: list[Pair] = []
    for members in by_event.values():
        for x, i in enumerate(members):
            for j in members[x + 1 :]:
                (pos if pages[i].cluster == pages[j].cluster else hard).append((i, j))
    longs = [i for i, p in enumerate(pages) if not p.short]
    rand: list[Pair] = []
    while len(rand) < 20_000:
        i, j = rng.sample(longs, 2)
        if pages[i].event != pages[j].event:
            rand.append((i, j))
    return pos, hard, rand


# (name, words: story words or the full text, shingle size, permutations, bits, containment)
DESIGNS = (
    ("chosen: minhash 128x8b 5-sh story words J+C", True, 5, 128, 8, True),
    ("minhash 128x16b 5-sh story words J+C", True, 5, 128, 16, True),
    ("minhash 128x8b 5-sh story words J only", True, 5, 128, 8, False),
    ("minhash 64x8b 5-sh story words J+C", True, 5, 64, 8, True),
    ("minhash 128x8b 3-sh story words J+C", True, 3, 128, 8, True),
    ("minhash 128x8b 7-sh story words J+C", True, 7, 128, 8, True),
    ("minhash 128x8b 5-sh FULL TEXT J+C", False, 5, 128, 8, True),
)


def compare_designs(pages: list[Page], seed: int) -> None:
    pos, hard, rand = pair_sets(pages, random.Random(seed))
    texts = {
        True: [story_words(p.text) for p in pages],
        False: [normalize_text(p.text) for p in pages],
    }
    print(f"pairs: {len(pos):,} positive, {len(hard):,} hard negative, {len(rand):,} random")
    print(
        f"{'design':46s} {'pos p1':>7s} {'pos p5':>7s} {'hard max':>8s} {'hard p99':>8s} "
        f"{'rand max':>8s} {'recall@0.5':>10s} {'FP@0.5':>6s}"
    )
    for name, story, size, perms, bits, contain in DESIGNS:
        sk = [
            Sketch(minima(h, perms), len(h))
            for h in (shingle_hashes(w, size) for w in texts[story])
        ]
        score = minhash_score(bits, contain)
        _row(
            name,
            [score(sk[i], sk[j]) for i, j in pos],
            [score(sk[i], sk[j]) for i, j in hard],
            [score(sk[i], sk[j]) for i, j in rand],
        )
    sims = [simhash(shingle_hashes(w)) for w in texts[True]]

    def sim(i: int, j: int) -> float:
        return 1 - (sims[i] ^ sims[j]).bit_count() / 64

    _row(
        "simhash 64 5-sh story words",
        [sim(i, j) for i, j in pos],
        [sim(i, j) for i, j in hard],
        [sim(i, j) for i, j in rand],
        simhash_bar=True,
    )
    _candidates(pages, pos, hard)


def _row(
    name: str, pos: list[float], hard: list[float], rand: list[float], simhash_bar: bool = False
) -> None:
    q = statistics.quantiles
    bar = 0.5
    if simhash_bar:  # no fixed scale: the bar that keeps all hard negatives out
        bar = max(hard) + 1e-9
        name += f" @{bar:.2f}"
    recall = sum(s >= bar for s in pos) / len(pos)
    fps = sum(s >= bar for s in hard) + sum(s >= bar for s in rand)
    print(
        f"{name:44s} {q(pos, n=100)[0]:7.3f} {q(pos, n=100)[4]:7.3f} {max(hard):8.3f} "
        f"{q(hard, n=100)[98]:8.3f} {max(rand):8.3f} {recall:10.4f} {fps:6d}"
    )


def _candidates(pages: list[Page], pos: list[Pair], hard: list[Pair]) -> None:
    fps = [fingerprint(p.text) for p in pages]

    def shares(i: int, j: int) -> bool:
        return bool(set(fps[i].index_keys) & set(fps[j].index_keys))

    print(
        f"LSH ({INDEX_BANDS} single-row bands): candidate recall on positives "
        f"{sum(shares(i, j) for i, j in pos) / len(pos):.4f}, hard negatives made candidates "
        f"{sum(shares(i, j) for i, j in hard) / len(hard):.3f} (rejected by the score); "
        f"containment trusted from {MIN_AGREEING} agreeing slots"
    )


# --- the store, end to end -----------------------------------------------------------------


def sightings(pages: list[Page]) -> list[Sighting]:
    t0 = datetime(2024, 11, 5, tzinfo=UTC)
    later = {"report": 0, "summary": 1, "copy": 2, "followup": 48}
    out = []
    for i, p in enumerate(pages):
        url = f"https://outlet{i}.example/news/{i}"
        out.append(
            Sighting(
                url=url,
                urls=(url,),
                guid=None,
                publisher=PublisherRef(None, f"outlet{i}.example"),
                published_at=t0 + timedelta(days=p.event, hours=later[p.kind], minutes=i % 50),
                fingerprint=fingerprint(p.text),
                origin=None,
                origin_url=None,
                origin_confidence=0.0,
                origin_is_agency=False,
            )
        )
    return out


async def run_store(url: str, pages: list[Page], seed: int, bar: float | None) -> list[str]:
    prefix = f"nibench-{uuid.uuid4().hex[:8]}"
    settings = Settings(redis_url=url, key_prefix=prefix, stream=f"{prefix}:articles")
    if bar is not None:
        settings = settings.model_copy(update={"near_dup_threshold": bar})
    print(f"store run: near_dup_threshold {settings.near_dup_threshold}, arrival order shuffled")
    redis = Redis.from_url(url)
    found_by: Counter[str] = Counter()
    try:
        store = Store(redis, settings)
        ss = sightings(pages)
        assigned = [""] * len(pages)
        order = list(range(len(pages)))
        random.Random(seed).shuffle(order)
        for i in order:
            while True:
                look = await store.lookup(ss[i])
                decision = decide(ss[i], look)
                if await store.commit(ss[i], decision, [], found=look):
                    break
            assigned[i] = decision.article_id
            found_by[decision.match.how if decision.match else "new"] += 1
    finally:
        keys = [k async for k in redis.scan_iter(match=f"{prefix}:*", count=5000)]
        if keys:
            await redis.unlink(*keys)
        await redis.aclose()
    print("matches by kind:", dict(found_by))
    return assigned


def pairwise(truth: Iterable[str], predicted: Iterable[str]) -> tuple[float, float]:
    def pairs(counts: Counter[object]) -> int:
        return sum(n * (n - 1) // 2 for n in counts.values())

    t, p = list(truth), list(predicted)
    tp = pairs(Counter(zip(t, p, strict=True)))
    return tp / max(1, pairs(Counter(p))), tp / max(1, pairs(Counter(t)))


def report(pages: list[Page], assigned: list[str]) -> None:
    longs = [i for i, p in enumerate(pages) if not p.short]
    precision, recall = pairwise((pages[i].cluster for i in longs), (assigned[i] for i in longs))
    print(f"long pages ({len(longs):,}): pairwise precision {precision:.4f}, recall {recall:.4f}")
    precision, recall = pairwise((p.cluster for p in pages), assigned)
    print(f"all pages ({len(pages):,}): pairwise precision {precision:.4f}, recall {recall:.4f}")
    stories: dict[str, set[str]] = {}
    for p, a in zip(pages, assigned, strict=True):
        stories.setdefault(a, set()).add(p.cluster)
    wrong = sum(1 for p, a in zip(pages, assigned, strict=True) if p.short and len(stories[a]) > 1)
    shorts = sum(p.short for p in pages)
    print(f"short pages: {shorts}, merged into a story not theirs: {wrong}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--events", type=int, default=220)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/9")
    parser.add_argument("--no-designs", action="store_true")
    parser.add_argument("--threshold", type=float, help="near_dup_threshold (default: settings)")
    args = parser.parse_args()
    pages = corpus(args.seed, args.events)
    kinds = Counter(p.kind for p in pages)
    print(
        f"corpus: {len(pages):,} pages, {len({p.cluster for p in pages}):,} stories, "
        f"{args.events} events; {dict(kinds)}"
    )
    if not args.no_designs:
        compare_designs(pages, args.seed)
    assigned = asyncio.run(run_store(args.redis, pages, args.seed, args.threshold))
    report(pages, assigned)


if __name__ == "__main__":
    main()
