"""The phrase catalogues in ``data/``, compiled once into a few combined patterns.

Each catalogue entry becomes one alternative of a single regular expression, so a line is
tested against every language in one C-level match rather than a Python loop over
patterns; the alternative that matched is found from its named group. Registry-dependent
patterns (agency tokens) are compiled per registry version and cached on first use.
"""

from __future__ import annotations

import json
import re
import weakref
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from workers.provenance.registry import Publisher, PublisherRegistry

# A line may open with list marks, dashes or emphasis ("— ", "* ", "» ").
_LEAD = r"^[^\w«\"“„'(]*"
# What may follow the outlet: nothing, a full stop, or a further sentence / dashed aside.
_END = r"(?:\s*[.;!|]\s+.*|\s+[-–—]\s+.*|\s*[.;!:]?)$"
_ORIGIN = r"[«\"“„']?(?P<o{i}>[^\n]{{1,100}}?)[»\"”“']?"
_TITLE = r"(?P<t{i}>.+)"
# Outlet names in body sentences: capitalised words, possibly joined by "of", "de"...
_CAP = r"[A-ZÀ-ÖØ-ÞĀ-ŽА-ЯЁІЇЄҐ][\w.&'’-]*"
_JOIN = r"(?:of|de|du|des|di|della|del|do|da|der|für|и|і|y|e|&|on|for|la|el|the)"
_NAME = rf"{_CAP}(?:[ \t]+(?:{_JOIN}[ \t]+)?{_CAP}){{0,5}}"
_QUOTED = r"[«\"„“][^»\"”“\n]{2,60}[»\"”“]"
_ARTICLE = (
    r"(?i:(?:the|a|an|la|le|el|il|die|der|das|o|os|los|las|lo|un|une|una|um|uma)[ \t]+|l['’])"
)
_ADJ = r"(?:[\w'’-]+[ \t]+){0,2}?"


@dataclass(frozen=True, slots=True)
class Rule:
    signal: str
    weight: float
    language: str | None = None
    known_only: bool = False
    how: str = ""
    agency: str | None = None


@dataclass(frozen=True, slots=True)
class Combined:
    """One regex of many alternatives; ``rules[i]`` describes alternative ``r{i}``."""

    regex: re.Pattern[str]
    rules: tuple[Rule, ...]

    def match(self, line: str) -> Hit | None:
        m = self.regex.match(line)
        if m is None or m.lastgroup is None:
            return None
        i = int(m.lastgroup[1:])
        return Hit(self.rules[i], m, i)


@dataclass(frozen=True, slots=True)
class Hit:
    rule: Rule
    match: re.Match[str]
    index: int

    def group(self, kind: str) -> str | None:
        """The outlet ("o"), title ("t") or agency token ("a") of the matched alternative."""
        name = f"{kind}{self.index}"
        return self.match.group(name) if name in self.match.re.groupindex else None


@dataclass(frozen=True, slots=True)
class Catalogue:
    footers: Combined
    cited: re.Pattern[str]
    cited_rules: tuple[Rule, ...]
    cited_prefilter: re.Pattern[str]
    cues: re.Pattern[str]


@dataclass(frozen=True, slots=True)
class WirePatterns:
    datelines: Combined
    credits: Combined
    agency_by_token: dict[str, Publisher]


def _data(name: str) -> dict[str, Any]:
    text = resources.files("workers.provenance").joinpath(f"data/{name}").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    data.pop("_comment", None)
    return data


def _alternative(i: int, pattern: str, *, slot: str, whole_line: bool) -> str:
    if whole_line and not pattern.endswith(("}", "?")):
        # Literal text closes the notice ("... under a Creative Commons"): what follows it
        # ("license. Read the original article.") cannot change the outlet, so it may be anything.
        pattern += r"(?:\W.*)?"
    body = pattern.replace("{origin}", _ORIGIN.format(i=i)).replace("{title}", _TITLE.format(i=i))
    return f"(?P<r{i}>{body.replace('{agency}', slot.format(i=i))})"


def _combine(entries: list[tuple[Rule, str]], *, slot: str = "", end: str = _END) -> Combined:
    # Each rule's own alternative is its last group to close, so ``lastgroup`` names it.
    whole_line = end.endswith("$")
    alternatives = "|".join(
        _alternative(i, p, slot=slot, whole_line=whole_line) for i, (_, p) in enumerate(entries)
    )
    regex = re.compile(f"{_LEAD}(?:{alternatives}){end}", re.IGNORECASE)
    return Combined(regex, tuple(rule for rule, _ in entries))


@cache
def bundled_catalogue() -> Catalogue:
    return compile_catalogue(_data("footers.json"), _data("cited.json"))


def compile_catalogue(footers: dict[str, Any], cited: dict[str, Any]) -> Catalogue:
    """A catalogue from data shaped like ``data/footers.json`` and ``data/cited.json``."""
    rules = [
        (Rule(e["signal"], e["weight"], lang, e.get("known_only", False)), e["pattern"])
        for lang, entries in footers.items()
        if not lang.startswith("_")
        for e in entries
    ]
    return Catalogue(footers=_combine(rules), **_compile_cited(cited))


def _compile_cited(data: dict[str, Any]) -> dict[str, Any]:
    data = {lang: spec for lang, spec in data.items() if not lang.startswith("_")}
    cues = sorted({c for lang in data.values() for c in lang["cues"]}, key=len, reverse=True)
    cue = "(?i:" + "|".join(re.escape(c) for c in cues) + ")"
    outlet = (
        f"(?:{_ARTICLE}?(?:{_QUOTED}|{_ADJ}{cue}[ \t]+(?:{_QUOTED}|{_NAME})"
        f"|{_NAME}(?:[ \t]+{cue})?|(?:{_CAP}[ \t]+)?{cue}))"
    )
    rules: list[Rule] = []
    alternatives: list[str] = []
    verbs: list[str] = []
    for lang, spec in data.items():
        for entry in spec["patterns"]:
            i = len(rules)
            rules.append(Rule("cited", 0.0, lang, how=entry["how"]))
            before, _, after = entry["pattern"].partition("{outlet}")
            parts = [f"(?i:{before})" if before else "", f"(?P<o{i}>{outlet})"]
            parts.append(f"(?i:{after})" if after else "")
            alternatives.append(f"(?P<r{i}>{''.join(parts)})")
            verbs.extend(v for v in (before, after) if v)
    return {
        "cited": re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + ")"),
        "cited_rules": tuple(rules),
        "cited_prefilter": re.compile("|".join(verbs), re.IGNORECASE),
        "cues": re.compile(rf"(?<!\w){cue}(?!\w)"),
    }


_wire_cache: weakref.WeakKeyDictionary[PublisherRegistry, tuple[int, WirePatterns]] = (
    weakref.WeakKeyDictionary()
)


def wire_patterns(registry: PublisherRegistry) -> WirePatterns:
    """Agency datelines and credits for this registry's agencies, rebuilt when it changes."""
    cached = _wire_cache.get(registry)
    if cached is not None and cached[0] == registry.version:
        return cached[1]
    by_token = {t.casefold(): a for a in registry.agencies() for t in (*a.wire, a.name)}
    tokens = "|".join(re.escape(t) for t in sorted(by_token, key=len, reverse=True))
    slot = f"(?P<a{{i}}>{tokens})"
    data = _data("wire.json")
    dates = [(Rule(e["signal"], e["weight"]), e["pattern"]) for e in data["datelines"]]
    credits = [(Rule(e["signal"], e["weight"]), e["pattern"]) for e in data["credits"]]
    credits += [
        (Rule(e["signal"], e["weight"], agency=e["agency"]), e["pattern"]) for e in data["fixed"]
    ]
    patterns = WirePatterns(
        datelines=_combine(dates, slot=slot, end=""),
        credits=_combine(credits, slot=slot, end=r"\s*$"),
        agency_by_token=by_token,
    )
    _wire_cache[registry] = (registry.version, patterns)
    return patterns
