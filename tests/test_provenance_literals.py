"""Factored word alternations match exactly what the flat ones match; the registry's
remembered lookups follow what it learns."""

from __future__ import annotations

import random
import re

import pytest

from workers.model import PublisherRef
from workers.provenance.literals import alternation
from workers.provenance.registry import PublisherRegistry

# Characters that are one under re.IGNORECASE in unusual ways (Kelvin sign, long s, micro
# sign, titlecase digraphs), beside plain ones.
_PLAIN = "abcT t-'’"
_CASED = "aAbBtTkK\u212aſsSµμΜßẞǅǄǆİıiI -"
# Around the words, as the catalogues use them: after no word character, as whole words.
_CONTEXTS = [("", ""), (r"(?<!\w)", ""), (r"(?<!\w)", r"(?!\w)"), ("", "s")]


def _spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int] | None]:
    found = [m.span() for m in pattern.finditer(text)]
    at = [(m.span() if (m := pattern.match(text, i)) else None) for i in range(len(text))]
    return [*found, None, *at]


@pytest.mark.parametrize("ignore_case", [False, True])
def test_factored_alternation_matches_as_the_flat_one(ignore_case: bool) -> None:
    rnd = random.Random(7)
    alphabet = _CASED if ignore_case else _PLAIN
    for trial in range(600):
        lengths = [rnd.randint(0 if trial % 5 == 0 else 1, 4) for _ in range(rnd.randint(1, 7))]
        words = ["".join(rnd.choice(alphabet) for _ in range(n)) for n in lengths]
        if trial % 2:
            words.sort(key=len, reverse=True)  # as the catalogues order them
        flat = "|".join(re.escape(w) for w in words)
        factored = alternation(words, ignore_case=ignore_case)
        for before, after in _CONTEXTS:
            if ignore_case:
                a = re.compile(f"{before}(?i:{flat}){after}")
                b = re.compile(f"{before}(?i:{factored}){after}")
            else:
                a = re.compile(f"{before}(?:{flat}){after}")
                b = re.compile(f"{before}{factored}{after}")
            for _ in range(4):
                text = "".join(rnd.choice(alphabet + "d") for _ in range(rnd.randint(0, 10)))
                assert _spans(a, text) == _spans(b, text), (words, before, after, text)


def test_alternation_factors_shared_beginnings() -> None:
    assert alternation(["first published", "first ran", "reprint"]) == (
        r"(?:first\ (?:published|ran)|reprint)"
    )
    assert alternation(["TV", "television"], ignore_case=True) == "T(?:V|elevision)"
    assert alternation([]) == ""


def test_remembered_lookups_follow_learning() -> None:
    registry = PublisherRegistry.bundled()
    ref = PublisherRef("Dunmore Chronicle")
    assert registry.resolve(ref) is None
    registry.learn(PublisherRef("Dunmore Chronicle", "dunmorechronicle.example"))
    found = registry.resolve(ref)
    assert found is not None
    assert found.domain == "dunmorechronicle.example"
    assert registry.resolve(PublisherRef(domain="www.dunmorechronicle.example")) is found
