"""Sources the story cites ("the UK's Guardian newspaper reported"): never its origin.

Only outlets count: a phrase is kept when it resolves in the registry, is quoted after a
citing verb, or carries an outlet word ("newspaper", "news report", "Zeitung"). So
"according to the ministry" or "according to Zelenskyy" is not a cited source.
"""

from __future__ import annotations

import re

from workers.model import CitedSource, PublisherRef
from workers.provenance.catalogue import Catalogue, Combined, Phrases, Rule
from workers.provenance.registry import Publisher, PublisherRegistry

# The gap after a sentence's closing punctuation. The punctuation is matched rather than
# looked behind for, so the engine skips to it instead of trying every position; the gap
# alone separates sentences, as a split on ``(?<=[.!?…])["”»']?\s+(?=...)`` would.
_SENTENCE_END = re.compile(r"[.!?…](?P<gap>[\"”»']?\s+)(?=[\"“«„]?[^\W\d_])")
# "the UK's Guardian newspaper": the possessive place is not part of the outlet's name.
_POSSESSIVE = re.compile(r"^(?:the\s+)?[\w.-]+['’]s\s+", re.IGNORECASE)
_QUOTES = '«»"“”„'
_MAX_LEADING_WORDS = 2
_LEADING_ARTICLE = re.compile(
    r"^(?:(?:the|a|an|la|le|el|il|die|der|das|dem|den|o|os|los|las|lo|un|une|una|um|uma)\s+"
    r"|l['’])",
    re.IGNORECASE,
)
# "told CNN Sunday": a date after a known outlet is not part of its name.
_DATE_WORD = re.compile(
    r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|January|February|March|April|May|June|July"
    r"|August|September|October|November|December|Today|Tonight"
)


def _resolve(
    phrase: str, catalogue: Catalogue, registry: PublisherRegistry
) -> tuple[Publisher, str | None] | None:
    """The publisher, and a longer name when the phrase is a known outlet's service ("PAP
    Biznes"). Try the phrase, then without a possessive place, then without outlet words."""
    bare = _POSSESSIVE.sub("", phrase)
    for candidate in dict.fromkeys((phrase, bare, catalogue.cues.sub(" ", bare).strip())):
        words = candidate.strip(_QUOTES).split()
        # "Wie der SPIEGEL": a capitalised word before the name is not part of it.
        for start in range(min(len(words), _MAX_LEADING_WORDS + 1)):
            found = registry.resolve(PublisherRef(name=" ".join(words[start:])))
            if found is not None:
                return found, None
    # "ankietowani przez PAP Biznes": a known outlet and one capitalised word more.
    words = _LEADING_ARTICLE.sub("", phrase.strip()).strip(_QUOTES).split()
    if len(words) >= 2 and "’" not in words[-2] and "'" not in words[-2]:
        found = registry.resolve(PublisherRef(name=" ".join(words[:-1])))
        if found is not None:
            return found, None if _DATE_WORD.fullmatch(words[-1]) else " ".join(words)
    return None


def _cited(
    phrase: str, how: str, sentence: str, catalogue: Catalogue, registry: PublisherRegistry
) -> CitedSource | None:
    resolved = _resolve(phrase, catalogue, registry)
    if resolved is not None:
        publisher, longer = resolved
        return CitedSource(longer or publisher.name, publisher.domain, how, sentence)
    name = _LEADING_ARTICLE.sub("", phrase.strip())
    quoted = name[:1] in _QUOTES  # "die «Zeit»", "„Bild“"
    if not quoted and catalogue.cues.search(phrase) is None:
        return None  # a person or an institution, not an outlet
    return CitedSource(name.strip(_QUOTES + " "), None, how, sentence)


def _lowercase_brand(word: str, registry: PublisherRegistry) -> str | None:
    """A known outlet written in lower case ("franceinfo", "n-tv"), as the registry spells
    it: the outlet patterns want a capital, and a common word must not resolve by case."""
    if not word[:1].islower():
        return None
    found = registry.resolve(PublisherRef(name=word), loose=False)
    if found is not None and word in (found.name, *found.aliases):
        return word
    return None


_WINDOW = 120  # characters before a trailing verb where its outlet may start
# An aside between the outlet and its verb: "La Vanguardia, por su parte, se centra en".
_ASIDE = re.compile(r",[ \t]+[^\W\d_A-ZÀ-ÖØ-ÞА-ЯЁІЇЄҐ][^,;:()]{0,30},[ \t]*$")
# An outlet's name holds no clause punctuation: "every day, the UK's Guardian newspaper".
_CLAUSE_BREAK = re.compile(r"^.*[,;:()–—]")
# Words that may stand between an outlet and its verb ("Wie die «FAZ» am Wochenende
# berichtete", "VTDigger last year reported"): at most this many, none that joins clauses
# and no auxiliary ("This report by X was first published" is a notice, not a citation).
_FILLER_WORDS = 3
_NOT_FILLER_WORDS = (
    "and or but that which who was were is are has have had been be",  # en
    "und oder aber dass die der das wurde wird ist sind hat haben war",  # de
    "et ou mais qui que a été est ont sont",  # fr
    "y o pero que fue ha han es son",  # es
    "e o ed che è stato stata ha hanno",  # it
    "e ou que foi é tem",  # pt
    "i lub oraz że który był była zostało został została",  # pl
    "і або що та був була було",  # uk
    "и или что был была было",  # ru
)
_NOT_FILLER = frozenset(word for words in _NOT_FILLER_WORDS for word in words.split())
_LONGEST_CUE = 24
_FIRST_WORD = re.compile(r"[\w.-]+")
_END_WORD = re.compile(r"(?<![\w'’])[\w.-]+$")

# How far from a trigger word its verb phrase may start or end ("as first reported by").
_VERB_REACH = 32


def _verb_matches(
    sentence: str, spots: list[tuple[int, int, Combined]]
) -> list[tuple[re.Match[str], Rule]]:
    """The verbs holding a trigger word, near it only: scanning a long sentence whole with
    every verb of the language costs more."""
    found: list[tuple[re.Match[str], Rule]] = []
    seen: set[int] = set()
    for lo, hi, verbs in spots:
        for m in verbs.regex.finditer(sentence, lo, hi):
            if m.lastgroup is not None and m.start() not in seen:
                seen.add(m.start())
                found.append((m, verbs.rules[int(m.lastgroup[1:])]))
    return found


def _last_token(clause: str) -> tuple[str, int]:
    """The clause's last word and where it starts, as ``\\S+$`` finds them ("" and the
    clause's length when it ends in a blank). String methods, not that search: it tries
    every start in the clause, and runs for each word the clause gives up."""
    end = len(clause)
    if clause[-1:].isspace():
        # ``$`` matches before a final newline too.
        if clause[-1] != "\n" or not clause[-2:-1] or clause[-2].isspace():
            return "", end
        end -= 1
    token = clause[:end].rsplit(None, 1)[-1] if end else ""
    return token, end - len(token)


def _before_verb(
    clause: str, how: str, sentence: str, catalogue: Catalogue, registry: PublisherRegistry
) -> CitedSource | None:
    """The outlet ending the clause, past at most a few filler words."""
    clause = _ASIDE.sub("", clause)
    clause = _CLAUSE_BREAK.sub("", clause)
    for _ in range(_FILLER_WORDS + 1):
        token, start = _last_token(clause)
        # An outlet ends in a capitalised word, a closing quote or an outlet word: a cheap
        # test of the last word spares the search, which tries every start in the clause.
        outlet = None
        if (
            token.lstrip(_QUOTES)[:1].isupper()
            or token[-1:] in _QUOTES
            or catalogue.cues.search(clause, max(0, len(clause) - _LONGEST_CUE)) is not None
        ):
            outlet = catalogue.outlet_ending.search(clause)
        if outlet is not None:
            source = _cited(outlet.group("o"), how, sentence, catalogue, registry)
            if source is not None:
                return source
        else:
            # A word ending the clause lies within its last token.
            word = _END_WORD.search(clause, start) if token else None
            brand = _lowercase_brand(word.group(), registry) if word is not None else None
            if brand is not None:
                return _cited(brand, how, sentence, catalogue, registry)
        # The next word back, when blanks (" ", tab) part it from this one, as
        # ``[ \t]+(\S+)$`` finds it; none past a line break or a word that joins clauses.
        if not token or clause[start - 1 : start] not in (" ", "\t"):
            return None
        if token.lower() in _NOT_FILLER:
            return None
        clause = clause[:start].rstrip(" \t")
    return None


def _sources(
    sentence: str,
    hits: list[tuple[str, int]],
    catalogue: Catalogue,
    registry: PublisherRegistry,
    phrases: Phrases,
) -> list[CitedSource]:
    """A cited source for each citing verb in the sentence with an outlet beside it;
    ``hits``: where each trigger word is in it (see ``_hits``)."""
    before: list[tuple[int, int, Combined]] = []
    after: list[tuple[int, int, Combined]] = []
    for trigger, at in hits:
        verbs_before, verbs_after = phrases.cite_verbs[trigger]
        lo, hi = max(0, at - _VERB_REACH), at + len(trigger) + _VERB_REACH
        if verbs_before.rules:
            before.append((lo, hi, verbs_before))
        if verbs_after.rules:
            after.append((lo, hi, verbs_after))
    found: list[CitedSource] = []
    for m, rule in _verb_matches(sentence, before) if before else ():
        outlet = catalogue.outlet_at.match(sentence, m.end())
        phrase = outlet.group("o") if outlet is not None else None
        if phrase is None:
            word = _FIRST_WORD.match(sentence, m.end())
            phrase = _lowercase_brand(word.group(), registry) if word is not None else None
        source = _cited(phrase, rule.how, sentence, catalogue, registry) if phrase else None
        if source is not None:
            found.append(source)
    for m, rule in _verb_matches(sentence, after) if after else ():
        clause = sentence[max(0, m.start() - _WINDOW) : m.start()]
        source = _before_verb(clause, rule.how, sentence, catalogue, registry)
        if source is not None:
            found.append(source)
    return found


def _sentences(paragraph: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, as splitting at each ``_SENTENCE_END`` gap would."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END.finditer(paragraph):
        spans.append((start, m.start("gap")))
        start = m.end()
    spans.append((start, len(paragraph)))
    return spans


def _hits(lower: str, start: int, end: int, triggers: list[str]) -> list[tuple[str, int]]:
    """Each place in ``lower[start:end]`` (a sentence in lower case) where a trigger word
    is, from ``start``: trigger by trigger, in order. Searched in place: most sentences of
    a paragraph that cites hold none, and need no copy."""
    hits: list[tuple[str, int]] = []
    for trigger in triggers:
        at = lower.find(trigger, start, end)
        while at != -1:
            hits.append((trigger, at - start))
            at = lower.find(trigger, at + 1, end)
    return hits


def cited_sources(
    paragraphs: tuple[str, ...],
    catalogue: Catalogue,
    registry: PublisherRegistry,
    language: str | None = None,
) -> tuple[CitedSource, ...]:
    phrases = catalogue.phrases(language)
    # Regex scans of the whole body cost more than everything else; plain substring tests
    # for the trigger words first leave only the few paragraphs that may cite someone.
    joined = "\n".join(paragraphs)
    text = joined.lower()
    triggers = [t for t in phrases.cite_triggers if t in text]
    if not triggers:
        return ()
    # lower() maps each character on its own, to one character, but for "Σ" (whose form
    # depends on the next letter) and the few that lengthen: without those, a paragraph's
    # or a sentence's lower case is a slice of ``text``, and need not be made again.
    sliced = len(text) == len(joined) and "Σ" not in joined
    found: dict[str, CitedSource] = {}
    offset = 0
    for paragraph in paragraphs:
        lower = text[offset : offset + len(paragraph)] if sliced else paragraph.lower()
        offset += len(paragraph) + 1
        present = [t for t in triggers if t in lower] if len(paragraphs) > 1 else triggers
        for start, end in _sentences(paragraph) if present else ():
            if sliced:
                hits = _hits(lower, start, end, present)
            else:
                sentence_lower = paragraph[start:end].lower()  # not always of the same length
                hits = _hits(sentence_lower, 0, len(sentence_lower), present)
            if not hits:
                continue
            for source in _sources(paragraph[start:end], hits, catalogue, registry, phrases):
                if source.name.casefold() not in found:
                    found[source.name.casefold()] = source
    return tuple(found.values())
