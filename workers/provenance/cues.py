"""Cue notices: a republication notice in words no catalogue lists.

The catalogues (footers.json, notices.json) list how notices are phrased; editors keep
finding new ways ("This piece is shared here courtesy of X", "Tekst pochodzi z portalu X").
What every such notice has is an origin cue (republished, first appeared, with permission,
a licence), no sign of being something else (a photo credit, a citing verb, a teaser), and
an outlet: a link to another site, a publisher the registry knows, a domain, or a name right
after a preposition that follows the cue. This module checks those three things, sentence by
sentence, and is asked only when no catalogue phrase matched.

A sentence such as "The documents were first published by the Guardian" has all three, in
the story's text or in a footer alike; so a sentence must also show it speaks about the page
itself: it opens with the cue, names the article ("This story ...") or links the outlet's
article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from workers.model import Evidence, PublisherRef
from workers.provenance.literals import alternation
from workers.provenance.names import (
    article_link,
    clean_origin,
    domain_of,
    host_of,
    same_site,
)
from workers.provenance.registry import PublisherRegistry

# Notices are short, though some explain the outlet at length ("... from The Conversation,
# a nonprofit, independent news organization bringing you..."): the sentence with the cue
# is held to the shorter bound.
MAX_LINE_CHARS = 600
MAX_SENTENCE_CHARS = 240
# A short label before a colon opens a note without being part of it.
_LABEL = re.compile(r"[^:]{1,30}:\s*")
# Licences are linked from notices, but they are no outlet.
_NEVER_OUTLETS = ("creativecommons.org", "opensource.org", "gnu.org", "opendatacommons.org")
# "Our partners: Le Télégramme · France Bleu": a list of names is a menu, not a notice.
_LIST = re.compile(r"\s[·•|]\s")
# Weight of a cue notice whose outlet is certain (a link, a domain, a registry publisher),
# and of one that only names it: below the catalogues' phrases, above combine's threshold.
WEIGHT_KNOWN = 0.75
WEIGHT_NAMED = 0.6
# How far into a line the cue may start and still "open" it ("— Originally published...").
_OPENS_WITHIN = 2  # words: "— Originally published", "Editorial: reprinted"
_SENTENCES = re.compile(r"(?<=[.!?;])\s+(?=[^\s\d])|\s+[|•]\s+")
_MAX_NAME_WORDS = 6
# Anchor texts that say "the article" rather than name the outlet.
_GENERIC_ANCHOR = re.compile(
    r"(?i)^(?:the |l['’]|el |la |il |o |a |der |die |das )?(?:original|originale|origine"
    r"|here|hier|ici|aquí|qui|aqui|tutaj|тут|здесь|article|artikel|articolo|artículo|artigo"
    r"|artykuł|статт\w*|стать\w*|link|source|quelle|fonte|fuente|źródło|джерело|источник)\b"
)


@dataclass(frozen=True, slots=True)
class CueRule:
    """One language's cue words (data/cues.json) and what names the article itself
    (the notice subjects of data/notices.json), each as one lower-case regex."""

    language: str
    origin: re.Pattern[str]
    # ``origin`` without its look-behind, after the non-word character that look-behind
    # asks for: the engine then tries the cue words only where such a character is, not
    # at every position of the line (see ``has_cue``). The same for ASCII lines, whose
    # word characters are the same either way and are told from a table.
    origin_after: re.Pattern[str]
    origin_after_ascii: re.Pattern[str]
    veto: re.Pattern[str]
    preposition: re.Pattern[str]
    subject: re.Pattern[str]
    # What an outlet known by its name alone needs beside the cue: republication words
    # (a licence, a permission, a partnership) or a publication verb.
    strong: re.Pattern[str]

    @classmethod
    def of(cls, language: str, spec: dict[str, list[str]], notices: dict[str, Any]) -> CueRule:
        def stems(words: list[str], lead: str = r"(?<!\w)", flags: int = 0) -> re.Pattern[str]:
            # Searched over every line of a page's tail: factored, longest first.
            ordered = sorted(words, key=len, reverse=True)
            return re.compile(rf"{lead}(?:{alternation(ordered) if ordered else '(?!)'})", flags)

        def words(patterns: list[str]) -> re.Pattern[str]:
            return re.compile(rf"(?<!\w)(?:{'|'.join(patterns) or '(?!)'})(?!\w)")

        prepositions = "|".join(re.escape(p) for p in spec["prepositions"]) or "(?!)"
        strong = alternation(spec["strong"]) if spec.get("strong") else ""
        verbs = "|".join(notices.get("verbs", ()))
        return cls(
            language,
            stems(spec["origin"]),
            stems(spec["origin"], lead=r"\W"),
            stems(spec["origin"], lead=r"\W", flags=re.ASCII),
            stems(spec["veto"]),
            re.compile(rf"(?<!\w)(?:{prepositions})\s+"),
            words(notices.get("subjects", [])),
            re.compile(rf"(?<!\w)(?:{strong or '(?!)'})|(?<!\w)(?:{verbs or '(?!)'})(?!\w)"),
        )

    def has_cue(self, lower: str) -> bool:
        """``origin.search(lower) is not None``: a cue at the start, or after a non-word
        character. Most lines hold none, so this search is most of what reading them costs."""
        after = self.origin_after_ascii if lower.isascii() else self.origin_after
        return self.origin.match(lower) is not None or after.search(lower) is not None


def cue_evidence(
    line: str,
    links: tuple[tuple[str, str], ...],
    *,
    page_host: str | None,
    rules: tuple[CueRule, ...],
    not_outlets: re.Pattern[str],
    registry: PublisherRegistry,
) -> Evidence | None:
    if len(line) > MAX_LINE_CHARS or not rules:
        return None
    lower = line.casefold()
    for rule in rules:
        if not rule.has_cue(lower):
            continue
        for start, sentence in _sentences(line):
            low = lower[start : start + len(sentence)]
            found = rule.origin.search(low)
            if found is None or rule.veto.search(low) is not None:
                continue
            if len(sentence) > MAX_SENTENCE_CHARS or _LIST.search(sentence, found.end()):
                continue
            outlet = _outlet(sentence, found.end(), links, page_host, rule, registry)
            if outlet is None and rule.veto.search(lower) is None:
                # "© 2024 The Conversation. Republished under CC BY-ND": the cue's sentence
                # follows the one naming the outlet.
                outlet = _outlet(line, 0, links, page_host, rule, registry, after_cue=False)
            if outlet is None:
                continue
            ref, url, certain = outlet
            if ref.name and not_outlets.fullmatch(ref.name) is not None:
                continue
            # Only a link to the outlet's article speaks for itself; else the sentence must
            # be about this page, not about a study or report it mentions.
            if url is None and not _about_itself(low, found.start(), rule):
                continue
            if not certain and rule.strong.search(low) is None:
                continue
            weight = WEIGHT_KNOWN if certain else WEIGHT_NAMED
            return Evidence("footer", line, weight, ref, url=url, language=rule.language)
    return None


def _sentences(line: str) -> list[tuple[int, str]]:
    out, start = [], 0
    for m in _SENTENCES.finditer(line):
        out.append((start, line[start : m.start()]))
        start = m.end()
    out.append((start, line[start:]))
    return out


def _about_itself(sentence: str, cue_at: int, rule: CueRule) -> bool:
    """The sentence speaks of the page: it opens with the cue, or names the article."""
    head = sentence[:cue_at]
    label = _LABEL.match(head)  # "Editor's note: Republished ...", "Anm. d. Red.: ..."
    if label is not None:
        head = head[label.end() :]
    if len(head.split()) < _OPENS_WITHIN and not any(c.isdigit() for c in head):
        return True
    return rule.subject.search(sentence) is not None


def _outlet(
    text: str,
    cue_end: int,
    links: tuple[tuple[str, str], ...],
    page_host: str | None,
    rule: CueRule,
    registry: PublisherRegistry,
    *,
    after_cue: bool = True,
) -> tuple[PublisherRef, str | None, bool] | None:
    """(outlet, its article URL, certain?) named by the text; certain when a link, a domain
    or the registry vouches for it."""
    linked = _linked(text, links, page_host, registry)
    if linked is not None:
        return linked
    known = registry.named_in(text, start=cue_end if after_cue else 0, page_host=page_host)
    if known is not None:
        url = article_link(known[1].domains, links)
        return PublisherRef(known[0], known[1].domain), url, True
    for token in re.findall(r"(?<![\w@/])(?:www\.)?[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}(?![\w/])", text):
        domain = domain_of(token)
        if domain and any(same_site(domain, h) for h in _NEVER_OUTLETS):
            continue
        if domain and not same_site(domain, page_host):
            found = registry.resolve(PublisherRef(domain=domain))
            return PublisherRef(found.name if found else None, domain), None, True
    if not after_cue:
        return None
    preposition = rule.preposition.search(text.casefold(), cue_end)
    if preposition is None or preposition.start() - cue_end > 40:
        return None
    rest = text[preposition.end() :]
    head = rest.lstrip("«\"“„'(")
    if not head or not (head[0].isupper() or head[0].isdigit()):
        return None
    name = clean_origin(re.split(r"[,;:(]|\s[-–—]\s", rest, maxsplit=1)[0])
    if name is None or len(name.split()) > _MAX_NAME_WORDS:
        return None
    return PublisherRef(name, None), None, False


def _linked(
    text: str,
    links: tuple[tuple[str, str], ...],
    page_host: str | None,
    registry: PublisherRegistry,
) -> tuple[PublisherRef, str | None, bool] | None:
    """The first link of the line to another site whose anchor text is in the sentence."""
    for anchor, href in links:
        host = host_of(href)
        anchor = anchor.strip()
        if not host or same_site(host, page_host) or not anchor or anchor not in text:
            continue
        if any(same_site(host, h) for h in _NEVER_OUTLETS):
            continue
        found = registry.resolve(PublisherRef(domain=host))
        name: str | None = None if _GENERIC_ANCHOR.match(anchor) else anchor
        if name is None and found is not None:
            name = found.name
        return PublisherRef(name, host), article_link((host,), links), True
    return None


def compile_rules(
    cues: dict[str, Any], notices: dict[str, Any], languages: set[str]
) -> tuple[CueRule, ...]:
    return tuple(
        CueRule.of(lang, spec, notices.get(lang, {}))
        for lang, spec in cues.items()
        if lang in languages and not lang.startswith("_")
    )
