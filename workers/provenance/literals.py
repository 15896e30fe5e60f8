"""Word lists as regex alternations the engine can scan quickly.

``re`` tries the alternatives of ``a|b|c`` one after another at every position, so a list
of sixty cue words costs sixty tests per word start. ``alternation`` factors the list by
leading characters (``first (?:appeared|published)``): one test per distinct first
character, then only that character's words. It matches exactly what the flat list
matches, alternative for alternative, so results and match spans do not change.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

__all__ = ["alternation"]


class _Ambiguous(Exception):
    """Two first characters that match some of the same text, but not all of it."""


def alternation(words: Sequence[str], *, ignore_case: bool = False) -> str:
    """Regex source matching as ``"|".join(map(re.escape, words))`` does: at any position,
    the same word wins. ``ignore_case``: for use inside ``(?i:...)``, where "T" and "t"
    are one first character."""
    unique = list(dict.fromkeys(words))
    if not unique:
        return ""  # as the empty join: matches the empty string
    try:
        return _factored(unique, ignore_case)
    except _Ambiguous:
        return "(?:" + "|".join(re.escape(w) for w in unique) + ")"


def _factored(words: list[str], ignore_case: bool) -> str:
    if len(words) == 1:
        return re.escape(words[0])
    # Only words of which one can match the start of what the other matches can both match
    # at one position, and such words share their first character: grouping by it keeps,
    # within each group, the order that decides between them. The empty word comes before
    # every other, so it must be last to keep its place.
    if "" in words[:-1]:
        return "(?:" + "|".join(re.escape(w) for w in words) + ")"
    groups: dict[str, list[str]] = {}
    for word in words:
        if word:
            key = _group(word[0], groups, ignore_case)
            groups.setdefault(key, []).append(word[1:])
    branches = [re.escape(first) + _factored(rests, ignore_case) for first, rests in groups.items()]
    if words[-1] == "":
        branches.append("")
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"


def _group(char: str, groups: dict[str, list[str]], ignore_case: bool) -> str:
    """The group a first character joins: its own, or, ignoring case, that of a character
    matching exactly the same text ("t" for "T")."""
    if char in groups or not ignore_case:
        return char
    for key in groups:
        one, other = _matches(key, char), _matches(char, key)
        if one and other:
            return key
        if one or other:
            raise _Ambiguous(char)
    return char


@cache
def _matches(pattern: str, char: str) -> bool:
    return re.fullmatch(f"(?i:{re.escape(pattern)})", char) is not None
