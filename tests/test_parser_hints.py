"""The parser's hinted searches find exactly what the grammar patterns' own searches find.

A hint says that every match of a pattern contains a literal a bounded number of characters after
its start, so that only positions near that literal need trying. A grammar edit that breaks the
claim (a longer label, a new alternative that starts elsewhere) fails here.
"""

from __future__ import annotations

import random
import re

import pytest

from cableschema import parser
from cableschema.readers import read

from .conftest import corpus_files, requires_corpus

#: Pieces of text around the patterns' literals: labels whole and broken, case variants, and the
#: characters a case-blind pattern matches to ASCII letters.
TOKENS = (
    "E.O. 12958:", "EO 13526", "e.o.12958", "E. O. : 1295", "E.0. 12958 ", "SipdisE.o. 12958", "1", "12",
    "12958", "DECL: 1/1/2017", "TAGS: ", "Tags:", "TAGS PGOV, ", "TAGS ", "tags", "TAG", "subj:", "SUBJECT :",
    "Subject: ", "SUBJ", "REFTEL:", "ref:", "REFS :", "REF", "Classified by:", "CLASSIFIED  BY", "classified",
    "1. (C)", "2a.  (S/NF)", "12.(U)", "3 .(C)", "12a.   (C)", "9b. \t (U)", "(", ")", ". ", ": ", "\u2019",
    "\u201d", "-", " ", "  ", "\t",
    "x", "A", "a", "PGOV", "\u017fubject:", "\u0130", "\u0131", "\u212a", "\u017f", "T\u0130GS", "\\",
)  # fmt: skip


def _random_texts(count: int, seed: int) -> list[str]:
    chooser = random.Random(seed)
    return ["".join(chooser.choice(TOKENS) for _ in range(chooser.randint(0, 24))) for _ in range(count)]


def _spans(matches: list[re.Match[str]]) -> list[tuple[tuple[int, int], dict[str, str | None]]]:
    return [(match.span(), match.groupdict()) for match in matches]


def _check(hint: parser._Hint, text: str, start: int, end: int) -> None:
    pattern = hint.pattern
    expected = list(pattern.finditer(text, start, end))
    assert _spans(list(parser._hinted_finditer(hint, text, start, end))) == _spans(expected), (pattern, text)
    found = parser._hinted_search(hint, text, start, end)
    first = pattern.search(text, start, end)
    assert (found and found.span()) == (first and first.span()), (pattern.pattern, text, start, end)


@pytest.mark.parametrize("hint", parser.HINTS, ids=lambda hint: hint.needle)
def test_hinted_searches_equal_the_pattern_searches(hint: parser._Hint) -> None:
    chooser = random.Random(8)
    for text in _random_texts(1500, seed=len(hint.needle)):
        start = chooser.randint(0, len(text))
        _check(hint, text, 0, len(text))
        _check(hint, text, start, chooser.randint(start, len(text)))


@requires_corpus
def test_hinted_searches_equal_the_pattern_searches_on_real_lines() -> None:
    lines: list[str] = []
    for path in corpus_files()[::40]:
        for document in read(path):
            lines.extend(line for line in document.text.split("\n") if len(line) > 40)
    assert len(lines) > 1000
    for hint in parser.HINTS:
        for line in lines:
            _check(hint, line, 0, len(line))


def test_the_fold_traps_are_every_character_a_case_blind_pattern_reads_as_ascii() -> None:
    letters = re.compile("[a-z]", re.I)
    traps = [chr(code) for code in range(128, 0x110000) if letters.fullmatch(chr(code))]
    assert sorted(traps) == sorted(parser._FOLD_TRAPS)
    assert [chr(code) for code in range(0x110000) if len(chr(code).lower()) != 1] == ["\u0130"]
