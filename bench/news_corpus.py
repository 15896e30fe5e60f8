"""A generated news corpus for measuring near-duplicate clustering (bench/clustering.py).

Pure and seeded. Events have a fact sheet (people, places, figures, a quote); outlets
write independent reports of an event from it (the hard negatives: same quote, same
figures, same names, different text); copies of a report are republished with the edits
real republication makes (new headline, paragraphs dropped, "Read also" lines, ads,
captions, wire trims, bylines and footers, light copy-editing); some outlets follow a
story up the next day reusing their own background paragraphs (a different story); feeds
carry one- or two-sentence summaries (short texts, identical across feeds at times).
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path

_VOCABULARY: dict[str, list[str]] = json.loads(
    (Path(__file__).parent / "data" / "news_corpus_vocabulary.json").read_text(encoding="utf-8")
)

FIRST = _VOCABULARY["first"]
LAST = _VOCABULARY["last"]
PLACES = _VOCABULARY["places"]
ROLES = ("minister", "spokeswoman", "mayor", "chief executive", "police chief", "governor")
ORGS = (
    "the interior ministry",
    "the city council",
    "the central bank",
    "the transport union",
    "the health agency",
    "the regional government",
    "the state energy company",
    "the national weather service",
    "the football federation",
    "the port authority",
)
TOPICS = {
    "fire": ("a fire broke out", "firefighters", "hectares burned", "homes destroyed"),
    "quake": ("an earthquake struck", "rescuers", "buildings damaged", "aftershocks"),
    "strike": ("workers walked out", "the union", "trains cancelled", "pay offer"),
    "vote": ("voters went to the polls", "the electoral commission", "seats won", "turnout"),
    "rates": ("the bank raised rates", "economists", "basis points", "inflation"),
    "flood": ("rivers burst their banks", "emergency crews", "people evacuated", "rainfall"),
    "trial": ("the court ruled", "prosecutors", "years in prison", "the verdict"),
    "deal": ("the companies agreed a merger", "shareholders", "billion in cash", "the offer"),
}
STOCK = (
    "said in a statement on",
    "did not immediately respond to a request for comment",
    "according to figures published by",
    "told reporters at a news conference in",
    "the situation remains under control",
    "more details are expected later in the day",
    "in a post on social media",
    "was not immediately clear",
    "officials said on",
    "according to local media reports",
    "it was the latest in a series of",
)
WORDS = _VOCABULARY["words"]
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
SAID = ("said", "told reporters", "said in a statement", "wrote on social media", "added")


@dataclass(frozen=True, slots=True)
class Page:
    text: str
    cluster: str  # ground truth: pages of one cluster are one story
    event: int
    kind: str  # report | copy | followup | summary
    short: bool = False


@dataclass(frozen=True, slots=True)
class Event:
    topic: str
    place: str
    people: tuple[tuple[str, str], ...]  # (name, role)
    org: str
    figures: tuple[str, ...]
    day: str
    quote: str


def _zipf_word(rng: random.Random) -> str:
    return WORDS[min(len(WORDS) - 1, int(rng.paretovariate(0.9)) - 1)]


def _filler(rng: random.Random, ev: Event, n: int) -> str:
    words: list[str] = []
    while len(words) < n:
        roll = rng.random()
        if roll < 0.06:
            words += rng.choice(STOCK).split()
        elif roll < 0.12:
            words += rng.choice(ev.people)[0].split()
        elif roll < 0.16:
            words.append(rng.choice(ev.figures))
        elif roll < 0.18:
            words.append(ev.place)
        elif roll < 0.55:
            words.append(_zipf_word(rng))
        else:
            words.append(rng.choice(WORDS))
    return " ".join(words).capitalize() + "."


def _pick(rng: random.Random, *options: str) -> str:
    return rng.choice(options)


def _fact(rng: random.Random, ev: Event) -> str:
    """A fact of the event in one outlet's words: the figures and names are the event's,
    the wording varies as it does between reporters (so two outlets seldom write the very
    same sentence, but share names, figures and turns of phrase)."""
    what, who, measure, other = TOPICS[ev.topic]
    name, role = rng.choice(ev.people)
    fig = rng.choice(ev.figures)
    when = _pick(rng, f"on {ev.day}", f"{ev.day}", f"late on {ev.day}", "this week", "overnight")
    verb = _pick(rng, "said", "told reporters", "confirmed", "announced", "reported", "stated")
    forms = (
        f"In {ev.place} {what} {when}, {ev.org} {verb}.",
        f"{ev.org.capitalize()} {verb} that {what} in {ev.place} {when}.",
        f"{fig} {measure} {_pick(rng, 'by', 'as of', 'before')} {ev.day} "
        f"{_pick(rng, 'evening', 'night', 'afternoon')}, {who} {verb}.",
        f"{name}, the {role}, {verb} that {other} {_pick(rng, 'would', 'could', 'will')} "
        f"be {_pick(rng, 'reviewed', 'examined', 'discussed', 'looked at')}.",
        f"{_pick(rng, 'The', 'Officials at', 'A spokesman for')} {ev.org} put the "
        f"{_pick(rng, 'figure', 'number', 'total', 'toll')} at {fig}.",
        f"{_pick(rng, 'By', 'As of', 'Until')} {_pick(rng, 'late', 'early')} {ev.day}, {who} "
        f"{verb} {fig} {measure} {_pick(rng, 'in and around', 'near', 'across', 'outside')} "
        f"{ev.place}.",
        f"{_pick(rng, 'According to', 'Citing', 'Quoting')} {ev.org}, {fig} {measure} "
        f"{_pick(rng, 'were recorded', 'were counted', 'were reported', 'so far')}.",
    )
    return rng.choice(forms)


def make_event(rng: random.Random) -> Event:
    people = tuple((f"{rng.choice(FIRST)} {rng.choice(LAST)}", rng.choice(ROLES)) for _ in range(3))
    figures = tuple(
        rng.choice(
            (
                f"{rng.randrange(2, 999)}",
                f"{rng.randrange(1, 99)},{rng.randrange(100, 999)}",
                f"{rng.randrange(2, 95)} percent",
                f"${rng.randrange(1, 40)}.{rng.randrange(10)} billion",
            )
        )
        for _ in range(4)
    )
    ev = Event(
        rng.choice(list(TOPICS)),
        rng.choice(PLACES),
        people,
        rng.choice(ORGS),
        figures,
        rng.choice(DAYS),
        "",
    )
    quote = _filler(rng, ev, rng.randrange(18, 36)).rstrip(".")
    return Event(ev.topic, ev.place, people, ev.org, figures, ev.day, quote)


def write_report(rng: random.Random, ev: Event) -> list[str]:
    """Headline, then paragraphs of one outlet's own report: facts, colour, the quote."""
    headline = _fact(rng, ev).rstrip(".")
    paras = []
    for _ in range(rng.randrange(6, 11)):
        sentences = [
            _fact(rng, ev) if rng.random() < 0.35 else _filler(rng, ev, rng.randrange(12, 30))
            for _ in range(rng.randrange(1, 4))
        ]
        paras.append(" ".join(sentences))
    name = rng.choice(ev.people)[0]
    paras.insert(rng.randrange(1, 4), f"\u201c{ev.quote},\u201d {name} {rng.choice(SAID)}.")
    return [headline, *paras]


# --- republication edits ----------------------------------------------------------------

ADS = (
    "Advertisement",
    "Story continues below advertisement",
    "Sponsored content",
    "Subscribe to our newsletter for the day's top stories",
    "ADVERTISEMENT",
)
FOOTERS = (
    "(Reporting by {a}; Editing by {b})",
    "\u00a9 {y} {o}. All rights reserved.",
    "Read the original article on {o}",
    "This story was produced by {o}.",
    "Copyright {y} {o}. This material may not be published, broadcast or redistributed.",
)


def _teaser(rng: random.Random, other: Event) -> str:
    prefix = rng.choice(("Read also:", "READ MORE:", "Related:", "See also:"))
    return f"{prefix} {_fact(rng, other).rstrip('.')}"


def republish(rng: random.Random, report: list[str], others: list[Event], outlet: str) -> str:
    """A copy of a report with a random mix of the edits republishers make."""
    head, body = report[0], list(report[1:])
    if rng.random() < 0.6:
        head = (
            _fact(rng, rng.choice(others)).rstrip(".")
            if rng.random() < 0.2
            else (
                head.split(",")[0]
                + rng.choice((": what we know", " - live", ", officials say", ""))
            )
        )
    if rng.random() < 0.4 and len(body) > 4:
        for _ in range(rng.randrange(1, 3)):
            body.pop(rng.randrange(1, len(body)))
    if rng.random() < 0.5:  # wire trim: each paper cuts from the bottom
        body = body[: max(3, round(len(body) * rng.uniform(0.4, 0.9)))]
    if rng.random() < 0.3:  # copy-editing: a few words changed in a paragraph or two
        for _ in range(rng.randrange(1, 3)):
            i = rng.randrange(len(body))
            words = body[i].split()
            for _ in range(rng.randrange(1, 4)):
                words[rng.randrange(len(words))] = rng.choice(WORDS)
            body[i] = " ".join(words)
    for _ in range(rng.choice((0, 0, 1, 2, 3))):
        body.insert(rng.randrange(1, len(body) + 1), _teaser(rng, rng.choice(others)))
    for _ in range(rng.choice((0, 0, 1, 2))):
        body.insert(rng.randrange(1, len(body) + 1), rng.choice(ADS))
    if rng.random() < 0.3:
        caption = f"{rng.choice(FIRST)} {rng.choice(LAST)} in {rng.choice(PLACES)}"
        body[:0] = [caption, caption] if rng.random() < 0.5 else [caption]
    if rng.random() < 0.5:
        body.append(
            rng.choice(FOOTERS).format(
                a=rng.choice(LAST), b=rng.choice(LAST), y=rng.randrange(2019, 2026), o=outlet
            )
        )
    return "\n\n".join([head, *body])


def follow_up(rng: random.Random, ev: Event, report: list[str]) -> str:
    """Next day's story by the same outlet: a new report that ends on one or two
    background paragraphs of its earlier one."""
    fresh = write_report(rng, ev)
    background = report[-rng.randrange(1, 3) :]
    return "\n\n".join([*fresh, *background])


def summary(report: list[str]) -> str:
    first = report[1] if not report[1].startswith("\u201c") else report[2]
    return " ".join(first.split()[:40])


def corpus(seed: int = 4, events: int = 220) -> list[Page]:
    rng = random.Random(seed)
    evs = [make_event(rng) for _ in range(events)]
    pages: list[Page] = []
    for e, ev in enumerate(evs):
        others = [o for o in rng.sample(evs, 5) if o is not ev]
        for r in range(rng.choice((1, 2, 2, 3, 3, 4))):
            cluster = f"e{e}r{r}"
            report = write_report(rng, ev)
            pages.append(Page("\n\n".join(report), cluster, e, "report"))
            for c in range(rng.choice((0, 1, 2, 3, 4, 6, 8))):
                text = republish(rng, report, others, f"Outlet {e}-{r}-{c}")
                pages.append(Page(text, cluster, e, "copy"))
            if rng.random() < 0.25:
                pages.append(Page(follow_up(rng, ev, report), f"{cluster}f", e, "followup"))
            if rng.random() < 0.4:
                for _ in range(rng.choice((1, 1, 2))):
                    pages.append(Page(summary(report), cluster, e, "summary", short=True))
    return pages
