"""Boilerplate catalogue: which elements are site chrome and which lines are not story text.

The phrases and class names live in ``data/boilerplate.json`` so that adding a language or
a widget touches no logic. Everything here is a pure test on one element or one line.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from typing import Any

_WORD_SPLIT = re.compile(r"[^a-z0-9]+")
_CACHE_LIMIT = 20_000  # distinct (tag, class, id, role, itemprop); CSS-in-JS hashes churn it

Attrs = dict[str, str | None]
MarkupKey = tuple[str, str | None, str | None, str | None, str | None]


@dataclass(frozen=True, slots=True)
class Markup:
    """What the catalogue says about one element, from its tag and names alone."""

    chrome: str | None
    caption: bool
    rank: int
    content_like: bool


@dataclass(frozen=True, slots=True)
class Boilerplate:
    teaser_prefixes: tuple[str, ...]
    teaser_separators: str
    promo_prefixes: tuple[str, ...]
    promo_max_chars: int
    credit_prefixes: tuple[str, ...]
    credit_max_chars: int
    byline_prefixes: tuple[str, ...]
    byline_max_words: int
    chrome_tags: dict[str, str]
    chrome_roles: dict[str, str]
    chrome_words: dict[str, str]  # word of a class or id -> kind of chrome
    chrome_names: dict[str, str]  # whole class name or id -> kind of chrome
    content_words: frozenset[str]
    content_names: frozenset[str]
    # Pages repeat the same few hundred class names; classifying each once halves the walk.
    _memo: dict[MarkupKey, Markup] = field(default_factory=dict, compare=False, repr=False)
    # The teaser, promo, credit and byline prefixes by first character, and the longest
    # one's length (None: one is empty, so any line may start with one). Most lines start
    # with none of them, which a look at their first characters tells.
    _by_initial: dict[str, tuple[str, ...]] | None = field(init=False, compare=False, repr=False)
    _window: int = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        prefixes = (
            *self.teaser_prefixes,
            *self.promo_prefixes,
            *self.credit_prefixes,
            *self.byline_prefixes,
        )
        by_initial: dict[str, tuple[str, ...]] = {}
        for prefix in prefixes:
            by_initial[prefix[:1]] = (*by_initial.get(prefix[:1], ()), prefix)
        object.__setattr__(self, "_by_initial", None if "" in by_initial else by_initial)
        object.__setattr__(self, "_window", max(map(len, prefixes), default=0))

    def classify(self, tag: str, attrs: Attrs) -> Markup:
        key = (tag, attrs.get("class"), attrs.get("id"), attrs.get("role"), attrs.get("itemprop"))
        found = self._memo.get(key)
        if found is None:
            if len(self._memo) >= _CACHE_LIMIT:
                self._memo.clear()
            found = Markup(
                self.chrome_kind(tag, attrs),
                self.is_caption(attrs),
                self.content_rank(tag, attrs),
                self.looks_like_content(attrs),
            )
            self._memo[key] = found
        return found

    def chrome_kind(self, tag: str, attrs: Attrs) -> str | None:
        """Why an element is site chrome ("nav", "social", "caption"...), or None."""
        kind = self.chrome_tags.get(tag)
        if kind is not None:
            return kind
        role = attrs.get("role")
        if role and role.lower() in self.chrome_roles:
            return self.chrome_roles[role.lower()]
        names = _names(attrs)
        if not names:
            return None
        for name in names:
            if name in self.chrome_names:
                return self.chrome_names[name]
        for name in names:
            for word in _WORD_SPLIT.split(name):
                if word in self.chrome_words:
                    return self.chrome_words[word]
        return None

    def is_caption(self, attrs: Attrs) -> bool:
        """An inline element (a span in a figure's credit line) marked as caption or credit."""
        names = _names(attrs)
        return any(
            self.chrome_names.get(name) == "caption"
            or any(self.chrome_words.get(w) == "caption" for w in _WORD_SPLIT.split(name))
            for name in names
        )

    def content_rank(self, tag: str, attrs: Attrs) -> int:
        """How strongly markup says "the article body is here": 3 articleBody, 2 article or a
        content class, 1 main, 0 nothing."""
        if "articlebody" in (attrs.get("itemprop") or "").lower():
            return 3
        if tag == "article" or not self.content_names.isdisjoint(_names(attrs)):
            return 2
        if tag == "main" or (attrs.get("role") or "").lower() == "main":
            return 1
        return 0

    def looks_like_content(self, attrs: Attrs) -> bool:
        """Class or id names the story itself, so a chrome word beside it may be a layout
        hint ("content has-sidebar") rather than a widget."""
        return any(
            not self.content_words.isdisjoint(_WORD_SPLIT.split(name)) for name in _names(attrs)
        )

    def is_listed(self, line: str, link_ratio: float) -> bool:
        """A teaser, a promo, a credit or a byline: the four tests, on one lower-casing."""
        if self._by_initial is not None:
            # The lower-cased start of the line begins the lower-cased line (the one letter
            # whose lower case depends on what follows it is the capital sigma).
            start = line[: self._window]
            if "Σ" not in start:
                start = start.lower()
                prefixes = self._by_initial.get(start[:1])
                if prefixes is None or not start.startswith(prefixes):
                    return False
        low = line.lower()
        return (
            self._teaser(low, link_ratio)
            or (len(line) <= self.promo_max_chars and low.startswith(self.promo_prefixes))
            or (len(line) <= self.credit_max_chars and low.startswith(self.credit_prefixes))
            or self._byline(line, low)
        )

    def is_teaser(self, line: str, link_ratio: float) -> bool:
        """An in-body related-link teaser: "Read also: ...", "Lesen Sie auch ...".

        The phrase must be followed by a separator or the line be mostly a link, so that a
        sentence merely starting with "Related" survives.
        """
        return self._teaser(line.lower(), link_ratio)

    def _teaser(self, low: str, link_ratio: float) -> bool:
        if not low.startswith(self.teaser_prefixes):
            return False
        for prefix in self.teaser_prefixes:
            if low.startswith(prefix):
                rest = low[len(prefix) :].lstrip()
                if not rest or rest[0] in self.teaser_separators or link_ratio >= 0.5:
                    return True
        return False

    def is_promo(self, line: str) -> bool:
        return len(line) <= self.promo_max_chars and line.lower().startswith(self.promo_prefixes)

    def is_credit(self, line: str) -> bool:
        return len(line) <= self.credit_max_chars and line.lower().startswith(self.credit_prefixes)

    def is_byline(self, line: str) -> bool:
        """ "By Jane Doe", "Par Claire Dubois": a few words of names, no sentence."""
        return self._byline(line, line.lower())

    def _byline(self, line: str, low: str) -> bool:
        return (
            low.startswith(self.byline_prefixes)
            and not low.endswith(".")
            and len(line.split()) <= self.byline_max_words
        )


def _names(attrs: Attrs) -> list[str]:
    names = (attrs.get("class") or "").lower().split()
    ident = attrs.get("id")
    if ident:
        names.append(ident.lower())
    return names


@cache
def boilerplate() -> Boilerplate:
    raw = files("workers").joinpath("data/boilerplate.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(raw)
    teasers = [p for phrases in data["teaser_prefixes"].values() for p in phrases]
    return Boilerplate(
        # Longest first, so "related stories:" is tried before "related".
        teaser_prefixes=tuple(sorted(teasers, key=len, reverse=True)),
        teaser_separators=data["teaser_separators"],
        promo_prefixes=tuple(data["promo_prefixes"]),
        promo_max_chars=data["promo_max_chars"],
        credit_prefixes=tuple(data["credit_prefixes"]),
        credit_max_chars=data["credit_max_chars"],
        byline_prefixes=tuple(data["byline_prefixes"]),
        byline_max_words=data["byline_max_words"],
        chrome_tags=dict(data["chrome_tags"]),
        chrome_roles=dict(data["chrome_roles"]),
        chrome_words={w: kind for kind, words in data["chrome_words"].items() for w in words},
        chrome_names={n: kind for kind, names in data["chrome_names"].items() for n in names},
        content_words=frozenset(data["content_words"]),
        content_names=frozenset(data["content_names"]),
    )
