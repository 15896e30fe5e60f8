"""The phrase catalogues in ``data/``, compiled once into a few combined patterns.

Each catalogue entry becomes one alternative of a single regular expression, so a line is
tested against its languages in one C-level match rather than a Python loop over
patterns; the alternative that matched is found from its named group. A page is matched
against its own language and English only, compiled on first use per language. Agency
patterns (datelines, credits) come from the registry's agencies and are compiled again
only when an agency is added.
"""

from __future__ import annotations

import json
import re
import weakref
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from workers.provenance.bylines import compile_labels
from workers.provenance.cues import CueRule, compile_rules
from workers.provenance.literals import alternation
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
    r"(?i:(?:the|a|an|la|le|el|il|die|der|das|dem|den|o|os|los|las|lo|un|une|una|um|uma)"
    r"[ \t]+|l['’])"
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
class Phrases:
    """The notices and citing verbs of a page's language (and English) in a few regexes."""

    footers: Combined
    # Citing verbs are found first, then the outlet is matched beside them: after a verb
    # that precedes it ("according to X"), before one that follows it ("X reported").
    cite_before: Combined
    cite_after: Combined
    cite_triggers: tuple[str, ...]  # lower-case; a sentence that cites holds one of them
    # Per trigger, the (before, after) verbs whose pattern holds it: a small regex to run
    # near each trigger found instead of every verb of the language.
    cite_verbs: dict[str, tuple[Combined, Combined]] = field(default_factory=dict)
    notices: tuple[NoticeRule, ...] = ()  # word-order-free notices, when no phrase matches
    # Names a notice may hold that are no outlet: the site itself, its print edition, a date.
    not_outlets: re.Pattern[str] = re.compile("(?!)")
    cues: tuple[CueRule, ...] = ()  # notices in words no catalogue lists (cues.py)
    byline_labels: re.Pattern[str] = re.compile("(?!)")  # "Provided by", "Quelle:" (bylines.py)


@dataclass(frozen=True, slots=True)
class NoticeRule:
    """One language's notice words (data/notices.json), each set as one lower-case regex."""

    language: str
    opener: re.Pattern[str]  # the line opens with the article itself, an adverb or a verb
    adverb: re.Pattern[str]
    verb: re.Pattern[str]
    preposition: re.Pattern[str]
    site_words: re.Pattern[str]  # "le site de" before the outlet

    @classmethod
    def of(cls, language: str, spec: dict[str, list[str]]) -> NoticeRule:
        def words(key: str) -> str:
            return "(?:" + "|".join(spec[key] or ["(?!)"]) + ")"

        return cls(
            language,
            re.compile(
                rf"[^\w«\"“„]*(?:{words('subjects')}|{words('adverbs')}|{words('verbs')})"
                r"(?!\w)"
            ),
            re.compile(rf"(?<!\w){words('adverbs')}(?!\w)"),
            re.compile(rf"(?<!\w){words('verbs')}(?!\w)"),
            re.compile(rf"\s{words('prepositions')}\s+"),
            re.compile(rf"{words('site_words')}\s+"),
        )


class Catalogue:
    """Compiled catalogues. A page is matched against its own language and English only
    (aggregators write English notices on any page); a page of unknown language, all."""

    def __init__(
        self,
        footers: dict[str, Any],
        cited: dict[str, Any],
        notices: dict[str, Any] | None = None,
        notice_cues: dict[str, Any] | None = None,
        bylines: dict[str, Any] | None = None,
    ) -> None:
        self._footers = {k: v for k, v in footers.items() if not k.startswith("_")}
        self._notices = {k: v for k, v in (notices or {}).items() if not k.startswith("_")}
        self._notice_cues = {k: v for k, v in (notice_cues or {}).items() if not k.startswith("_")}
        self._bylines = {k: v for k, v in (bylines or {}).items() if not k.startswith("_")}
        self._cited = {k: v for k, v in cited.items() if not k.startswith("_")}
        self._phrases: dict[str | None, Phrases] = {}
        cues = sorted(
            {c for spec in self._cited.values() for c in spec["cues"]}, key=len, reverse=True
        )
        # A cue is a whole word ("told reporters" holds no "report"), and a cue alone names
        # no outlet ("según el informe", "the newspaper"): it needs a name or a capitalised
        # qualifier ("a Belgian news report").
        cue = "(?i:" + alternation(cues, ignore_case=True) + r")(?!\w)"
        outlet = (
            f"(?:{_ARTICLE}?(?:{_QUOTED}|{_ADJ}{cue}[ \t]+(?:{_QUOTED}|{_NAME})"
            f"|{_NAME}(?:[ \t]+{cue})?))"
        )
        self.outlet_at = re.compile(f"(?P<o>{outlet})")  # .match(sentence, pos)
        self.outlet_ending = re.compile(f"(?<![\\w'’])(?P<o>{outlet})$")  # .search(window)
        self.cues = re.compile(rf"(?<!\w){cue}")

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(self._footers)

    def phrases(self, language: str | None) -> Phrases:
        primary = (language or "").split("-")[0].lower()
        key = primary if primary in self._footers else None
        found = self._phrases.get(key)
        if found is None:
            langs = {key, "en"} if key else set(self._footers)
            found = self._phrases[key] = self._compile(langs)
        return found

    def _compile(self, langs: set[str]) -> Phrases:
        footers = [
            (Rule(e["signal"], e["weight"], lang, e.get("known_only", False)), e["pattern"])
            for lang, entries in self._footers.items()
            if lang in langs
            for e in entries
        ]
        before: list[tuple[Rule, str]] = []
        after: list[tuple[Rule, str]] = []
        for lang, spec in self._cited.items():
            for entry in spec["patterns"] if lang in langs else ():
                rule = Rule("cited", 0.0, lang, how=entry["how"])
                head, _, tail = entry["pattern"].partition("{outlet}")
                # A verb after the outlet is the one that counts; words before it are optional.
                if tail:
                    after.append((rule, f"{tail}(?!\\w)"))
                else:
                    before.append((rule, f"(?<!\\w){head}"))
        triggers = {
            t for lang, spec in self._cited.items() if lang in langs for t in spec["triggers"]
        }
        cite_verbs = {
            t: (
                _verbs([e for e in before if _holds(e[1], t)]),
                _verbs([e for e in after if _holds(e[1], t)]),
            )
            for t in triggers
        }
        notices = tuple(
            NoticeRule.of(lang, spec) for lang, spec in self._notices.items() if lang in langs
        )
        not_outlets = [
            p
            for lang, spec in self._notices.items()
            if lang in langs
            for p in spec.get("not_outlets", ())
        ]
        return Phrases(
            _combine(footers),
            _verbs(before),
            _verbs(after),
            tuple(sorted(triggers)),
            cite_verbs,
            notices,
            re.compile("|".join(f"(?:{p})" for p in not_outlets) or "(?!)", re.IGNORECASE),
            compile_rules(self._notice_cues, self._notices, langs),
            compile_labels(self._bylines, langs),
        )


def _holds(pattern: str, trigger: str) -> bool:
    """Whether a citing pattern's text holds the trigger word ("d['’]après" holds "d’après")."""
    text = pattern.lower().replace("['’]", "'")
    return trigger.replace("’", "'") in text


def _verbs(entries: list[tuple[Rule, str]]) -> Combined:
    alternatives = "|".join(f"(?P<r{i}>{p})" for i, (_, p) in enumerate(entries))
    regex = re.compile(alternatives or "(?!)", re.IGNORECASE)
    return Combined(regex, tuple(rule for rule, _ in entries))


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
    return compile_catalogue(
        _data("footers.json"),
        _data("cited.json"),
        _data("notices.json"),
        _data("cues.json"),
        _data("bylines.json"),
    )


def compile_catalogue(
    footers: dict[str, Any],
    cited: dict[str, Any],
    notices: dict[str, Any] | None = None,
    notice_cues: dict[str, Any] | None = None,
    bylines: dict[str, Any] | None = None,
) -> Catalogue:
    """A catalogue from data shaped like ``data/footers.json``, ``cited.json``,
    ``notices.json``, ``cues.json`` and ``bylines.json``."""
    return Catalogue(footers, cited, notices, notice_cues, bylines)


_wire_cache: weakref.WeakKeyDictionary[PublisherRegistry, tuple[int, WirePatterns]] = (
    weakref.WeakKeyDictionary()
)


def wire_patterns(registry: PublisherRegistry) -> WirePatterns:
    """Agency datelines and credits for this registry's agencies, rebuilt when they change."""
    cached = _wire_cache.get(registry)
    if cached is not None and cached[0] == registry.agency_version:
        return cached[1]
    by_token = {t.casefold(): a for a in registry.agencies() for t in (*a.wire, a.name)}
    # Datelines try the agencies at many starts of a line: factored, longest first.
    tokens = alternation(sorted(by_token, key=len, reverse=True), ignore_case=True)
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
    _wire_cache[registry] = (registry.agency_version, patterns)
    return patterns
