"""Near-duplicate fingerprints: every edit kind of a republication matches its original;
independent reports of the same event (same quote, same figures) do not; short texts
only ever match exactly."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import DATA
from workers.fingerprint import Fingerprint, fingerprint, normalize_text, similarity, story_words
from workers.settings import Settings

SAME_EVENT = DATA / "dedup" / "same_event"
CASES = sorted({p.name.split(".")[0] for p in SAME_EVENT.glob("*.txt")})
BAR = Settings().near_dup_threshold


def _seed_text() -> str:
    text = (DATA / "seed" / "aggregator-copy.txt").read_text(encoding="utf-8")
    return text.rsplit("\n", 1)[0]  # without the aggregator's footer


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


BASES = {"seed": _seed_text()} | {c: _text(SAME_EVENT / f"{c}.a.txt") for c in CASES}


def _paragraphs(text: str) -> list[str]:
    return text.split("\n\n")


def new_headline(text: str) -> str:
    """The copy's own headline: in place of the original's, or on top of a headless body."""
    paras = _paragraphs(text)
    body = paras[1:] if not paras[0].rstrip().endswith(".") else paras
    return "\n\n".join(["Officials confirm what happened, and what comes next", *body])


def paragraph_dropped(text: str) -> str:
    paras = _paragraphs(text)
    return "\n\n".join(paras[:2] + paras[3:])


def read_also_inserted(text: str) -> str:
    paras = _paragraphs(text)
    teasers = ["Read also: Markets close higher as investors await data", "READ MORE: Live updates"]
    return "\n\n".join([paras[0], teasers[0], *paras[1:3], teasers[1], *paras[3:]])


def ads_inserted(text: str) -> str:
    paras = _paragraphs(text)
    ads = ["Advertisement", "Story continues below advertisement"]
    return "\n\n".join([paras[0], *ads, *paras[1:], "Sign up for our morning newsletter here."])


def wire_trimmed(text: str) -> str:
    paras = _paragraphs(text)
    keep = max(2, round(len(paras) * 0.6))
    return "\n\n".join([*paras[:keep], "(Reporting by Jane Doe; Editing by Tom Roe)"])


def every_edit(text: str) -> str:
    """All at once. Trimming comes last and keeps the short-text bar in sight: a trim of a
    150-word report to 60 words is a summary, matched on its exact hash only."""
    edited = ads_inserted(read_also_inserted(paragraph_dropped(new_headline(text))))
    trimmed = wire_trimmed(edited)
    return trimmed if not fingerprint(trimmed).is_short else edited


EDITS: dict[str, Callable[[str], str]] = {
    "new_headline": new_headline,
    "paragraph_dropped": paragraph_dropped,
    "read_also_inserted": read_also_inserted,
    "ads_inserted": ads_inserted,
    "wire_trimmed": wire_trimmed,
    "every_edit": every_edit,
}


def _score(a: Fingerprint, b: Fingerprint) -> float:
    return similarity(a, b.sketch, b.shingles)


@pytest.mark.parametrize("base", BASES)
@pytest.mark.parametrize("edit", EDITS)
def test_each_edit_kind_is_matched_both_ways(edit: str, base: str) -> None:
    original = fingerprint(BASES[base])
    copy = fingerprint(EDITS[edit](BASES[base]))
    assert copy.text_hash != original.text_hash
    assert not copy.is_short
    assert _score(copy, original) >= BAR
    assert _score(original, copy) >= BAR


@pytest.mark.parametrize("case", CASES)
def test_independent_reports_of_one_event_are_not_matched(case: str) -> None:
    a = fingerprint(_text(SAME_EVENT / f"{case}.a.txt"))
    b = fingerprint(_text(SAME_EVENT / f"{case}.b.txt"))
    assert not a.is_short
    assert not b.is_short
    assert _score(a, b) < BAR
    assert _score(b, a) < BAR


@pytest.mark.parametrize("case", CASES)
def test_a_report_trimmed_to_its_shared_quote_is_not_matched(case: str) -> None:
    """The hardest negative: the shared quote plus a figure, against the other report."""
    b_paras = _paragraphs(_text(SAME_EVENT / f"{case}.b.txt"))
    a = fingerprint(_text(SAME_EVENT / f"{case}.a.txt"))
    quote = next(p for p in b_paras if '"' in p or "“" in p)
    b = fingerprint("\n\n".join([b_paras[0], quote]))
    assert _score(a, b) < BAR


SUMMARIES = [
    (
        "same_event_summaries",
        "Real Madrid beat Borussia Dortmund 2-0 to win the Champions League final at Wembley.",
        "Borussia Dortmund lose 2-0 to Real Madrid in the Champions League final at Wembley.",
    ),
    (
        "summary_vs_its_article",
        "ECB holds rates at 4 percent as inflation falls to 2.9 percent.",
        BASES["ecb_rates"],
    ),
    (
        "near_identical_summaries",
        "Nvidia reports record revenue of $35.1 billion, beating forecasts.",
        "Nvidia reports record revenue of $35.1bn, beating forecasts.",
    ),
]


@pytest.mark.parametrize(("a", "b"), [s[1:] for s in SUMMARIES], ids=[s[0] for s in SUMMARIES])
def test_short_texts_never_near_merge(a: str, b: str) -> None:
    fa, fb = fingerprint(a), fingerprint(b)
    assert fa.is_short
    assert fa.index_keys == ()
    assert _score(fa, fb) < BAR
    assert _score(fb, fa) < BAR


def test_a_short_text_still_has_an_exact_hash() -> None:
    assert (
        fingerprint("Nvidia beats forecasts.").text_hash
        == fingerprint("  NVIDIA  beats forecasts!").text_hash
    )


NORMAL_FORMS = [
    ("nfkc", "ﬁnance １２", ["finance", "12"]),
    ("casefold", "STRASSE Straße", ["strasse", "strasse"]),
    ("punctuation", "“Yes,” he said—twice.", ["yes", "he", "said", "twice"]),
    ("whitespace", "a\n\n b\t c", ["a", "b", "c"]),
]


@pytest.mark.parametrize(
    ("text", "words"), [n[1:] for n in NORMAL_FORMS], ids=[n[0] for n in NORMAL_FORMS]
)
def test_normalised_text(text: str, words: list[str]) -> None:
    assert normalize_text(text) == words


def test_equal_normalised_texts_have_equal_fingerprints() -> None:
    text = BASES["seed"]
    assert fingerprint(text) == fingerprint(text.upper().replace(" ", "  ").replace(",", " ,"))


def test_furniture_and_quotes_are_left_out_of_the_sketch_not_the_hash() -> None:
    body = _paragraphs(BASES["ecb_rates"])
    furnished = "\n\n".join(["Photo: Reuters", body[0], "READ MORE: Live updates", *body[1:]])
    assert fingerprint(furnished).sketch == fingerprint(BASES["ecb_rates"]).sketch
    assert fingerprint(furnished).text_hash != fingerprint(BASES["ecb_rates"]).text_hash
    quoted = 'Lagarde said in Frankfurt on Thursday: "We will do whatever it takes."'
    words = ["lagarde", "said", "in", "frankfurt", "on", "thursday"]
    assert story_words(quoted) == story_words("Lagarde said in Frankfurt on Thursday: ...") == words


def test_a_copy_is_found_through_the_index_keys() -> None:
    original, copy = fingerprint(BASES["seed"]), fingerprint(every_edit(BASES["seed"]))
    assert set(original.index_keys) & set(copy.index_keys)
