"""``cited``'s string shortcuts against what they stand for, on tricky and random text: the
last word of a clause (``\\S+$``, the blanks before it, the word ending it) and the trigger
words of a sentence (found in the paragraph's lower case, not in the sentence's own)."""

from __future__ import annotations

import random
import re

import pytest

from workers.provenance.cited import _END_WORD, _hits, _last_token, _sentences

_END_TOKEN = re.compile(r"\S+$")
_LAST_WORD = re.compile(r"[ \t]+(\S+)$")

# Blanks of every kind, sentence ends, quotes, apostrophes, word joiners, a decimal point.
_PIECES = [
    *" \t\n\r\u00a0\u2009.!?…,;:()\"”»'’«„“-_",
    "a",
    "B",
    "é",
    "1",
    "3.5",
    "U.S.",
    "told",
    "report",
    "Reuters",
    "The Guardian",
    "according to",
    " told ",
    ". ",
    ".” ",
    "!\n",
]
_TRIGGERS = ["according to", "report", "told", "t", ". t", "rep"]

TRICKY = [
    "",
    " ",
    "\n",
    "word",
    "word\n",
    "word\n\n",
    "word \n",
    "two words",
    "two\twords",
    "two \t words",
    "line\nbreak",
    "nbsp\u00a0word",
    "ends in a blank ",
    "«FAZ»",
    "die «Zeit»",
    "l'Express",
    "the UK's Guardian",
    "foo.bar",
    "x.-y",
    "it's",
    "'quoted'",
    "told CNN. Then he reported",
    "3.5 percent. He told them! Why? “Told” … no. U.S. officials report",
    'He said. "Then told" ... them.» Report',
]


def _random_texts(seed: int, count: int, longest: int) -> list[str]:
    rnd = random.Random(seed)
    return ["".join(rnd.choices(_PIECES, k=rnd.randint(0, longest))) for _ in range(count)]


def _texts() -> list[str]:
    return TRICKY + _random_texts(5, 3000, 14)


def test_last_token_is_what_the_end_searches_find() -> None:
    for clause in _texts():
        token, start = _last_token(clause)
        end = _END_TOKEN.search(clause)
        assert token == (end.group() if end else ""), clause
        if end is not None:
            assert start == end.start(), clause
        # The word before: after blanks (" ", tab) only, the clause cut where they start.
        last = _LAST_WORD.search(clause)
        follows_blank = bool(token) and clause[start - 1 : start] in (" ", "\t")
        assert follows_blank == (last is not None), clause
        if last is not None:
            assert last.group(1) == token, clause
            assert last.start() == len(clause[:start].rstrip(" \t")), clause
        # The word ending the clause is found from the token's start as from anywhere.
        word = _END_WORD.search(clause)
        from_token = _END_WORD.search(clause, start) if token else None
        assert (word and word.span()) == (from_token and from_token.span()), clause


@pytest.mark.parametrize("seed", [1, 2])
def test_hits_in_the_paragraph_are_those_of_the_sentence(seed: int) -> None:
    for paragraph in TRICKY + _random_texts(seed, 1500, 30):
        lower = paragraph.lower()
        for start, end in _sentences(paragraph):
            sentence = lower[start:end]
            expected = [
                (trigger, at)
                for trigger in _TRIGGERS
                for at in range(len(sentence))
                if sentence.startswith(trigger, at)
            ]
            assert _hits(lower, start, end, _TRIGGERS) == expected, (paragraph, start)
