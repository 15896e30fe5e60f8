"""The cheaper scans of provenance detection against the patterns they stand for.

``CueRule.has_cue`` answers what ``origin.search`` would, trying the cue words after a
non-word character instead of behind a look-behind at every position. The wire datelines
(data/wire.json, and the outlet dateline of wire.py) look ahead for their "(" and take the
place name's run whole ({0,40}+) where they first tried it at every length ({0,40}?). Each
must find exactly what the plain pattern finds, on the benchmark's lines and on lines built
to sit on the edges (a cue at the start, after punctuation, an emoji, a digit, inside a
word; datelines with and without an agency, a run longer than 40).
"""

from __future__ import annotations

import re
from functools import cache

import pytest

from bench.entry_cpu import entries
from workers.extract import page_from_entry
from workers.model import EDGE_FIRST, Page
from workers.provenance import PublisherRegistry
from workers.provenance.catalogue import _data, bundled_catalogue, wire_patterns
from workers.provenance.cues import CueRule
from workers.provenance.wire import _OUTLET_DATELINE

_LOOKAHEAD = r"(?=[^(]*\()"
_BEFORE = ("", " ", "  ", "\n", "(", "«", "“", "—", "-", "/", "'", "’", ".", ",", "😀 ", "😀")
_GLUED = ("a", "é", "я", "_", "7", "x_")  # word characters: no cue starts after them


@cache
def _pages() -> tuple[Page, ...]:
    return tuple(page_from_entry(e) for e in entries(12, 3))


def _bench_lines() -> list[str]:
    lines: list[str] = []
    for page in _pages():
        lines += page.paragraphs
        lines += [b.text for b in page.signals.tail]
    return lines


def _rules() -> list[CueRule]:
    catalogue = bundled_catalogue()
    rules = {r.language: r for lang in catalogue.languages for r in catalogue.phrases(lang).cues}
    return list(rules.values())


def _edge_lines(words: list[str]) -> list[str]:
    out = []
    for word in words:
        for before in (*_BEFORE, *_GLUED):
            out += [
                before + word,
                f"Story text.{before}{word} the Daily Planet",
                f"x{before}{word}",
                f"{before}{word[:-1]}",  # a stem cut short
            ]
    return out


def _words(rule: CueRule) -> list[str]:
    return list(_data("cues.json")[rule.language]["origin"])


@pytest.mark.parametrize("rule", _rules(), ids=lambda r: r.language)
def test_has_cue_is_origin_search(rule: CueRule) -> None:
    lines = _bench_lines() + _edge_lines(_words(rule))
    lines += [line.casefold() for line in lines]
    found = 0
    for line in lines:
        assert rule.has_cue(line) == (rule.origin.search(line) is not None), line
        found += rule.has_cue(line)
    assert found > len(_words(rule))  # the edge lines hold cues, the glued ones none


def _as_first_written(regex: re.Pattern[str]) -> re.Pattern[str]:
    assert "{0,40}+" in regex.pattern
    plain = regex.pattern.replace(_LOOKAHEAD, "").replace("{0,40}+", "{0,40}?")
    return re.compile(plain, regex.flags)


_DATELINES = (
    "KYIV (Reuters) - Ukraine said on Monday",
    "WASHINGTON (AP) — The Senate voted",
    "PARIS, 3 mars (AFP) - Le gouvernement",
    "Berlin (dpa) - Die Bundesregierung",
    "NEW YORK, July 4 (Reuters) - Stocks",
    "DES MOINES, Iowa (Iowa Capital Dispatch) — Lawmakers",
    "LONDON (Reuters/Ipsos poll) - Voters",
    "— KYIV (Ukrinform) - text",
    "(Reuters) - Markets fell",
    "Kyiv ( Reuters ) . - text",
    "Madrid, 12 may (EFE).- El Gobierno",
    "SAN FRANCISCO BAY AREA, CALIFORNIA STATE, July 4 (Reuters) - text",
    "SAN FRANCISCO, CALIFORNIA, UNITED STATES, 4 July (AP) - text",
    "KYIV, 5 March / Ukrinform / The army",
    "Warszawa, 5 marca - PAP. Rząd",
    "Londres. 5 mars. AFP - text",
    "A story (with an aside) and no agency at all",
    "No parenthesis here, Reuters - at all",
    "x" * 60 + " (Reuters) - too far in",
    "",
)


def _dateline_lines() -> list[str]:
    openings = [p for page in _pages() for p in page.paragraphs[:EDGE_FIRST]]
    lines = [text.lstrip().split("\n", 1)[0][:200] for text in (*_DATELINES, *openings)]
    # Each dateline with a longer and longer place: past the 40 characters of the run.
    lines += [f"{'a' * n}{line}" for line in _DATELINES[:14] for n in (1, 25, 39, 40, 41)]
    return lines


@pytest.mark.parametrize(
    "fast",
    [wire_patterns(PublisherRegistry.bundled()).datelines.regex, _OUTLET_DATELINE],
    ids=["wire.json", "outlet"],
)
def test_datelines_match_as_first_written(fast: re.Pattern[str]) -> None:
    plain = _as_first_written(fast)
    matched = 0
    for line in _dateline_lines():
        got, want = fast.match(line), plain.match(line)
        assert (got is None) == (want is None), line
        if got is not None and want is not None:
            matched += 1
            assert got.span() == want.span(), line
            assert got.lastgroup == want.lastgroup, line
            assert got.groupdict() == want.groupdict(), line
    assert matched >= 8
