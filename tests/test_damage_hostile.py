"""The damage families on pathological text: no traceback, bounded time, bounded output.

Each input is a cable start followed by a 1 MB run of one thing (spaces, dashes, ``X``, one long
word, ``Q`` noise, ampersands, tags, backslashes, control characters, short lines). Every rule of
the E, T and W families runs on it; the work is linear, so each stays far under the limit even on
a busy two-core machine.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import cast

import pytest
from cableschema.validators.damage import MAX_FINDINGS

from cableschema import lexicon
from cableschema.config import Settings
from cableschema.engine import lint_text
from cableschema.selection import Selection

#: Words of six letters or more that T507 knows, for fused pairs no two of which are the same.
_KNOWN = sorted(word for word in cast("Iterable[str]", lexicon.words()) if len(word) >= 6 and word.isalpha())[:300]
HEAD = "UNCLAS SECTION 01 OF 02 KYIV 001627\nSUBJECT: TEST\n1. (U) Text of the cable.\n"
SIZE = 1_000_000
_PREVIEWS = [
    f"Line {n} of what the post reported on the campaign and the election commissions ...\n" for n in range(10)
]
CASES = {
    "spaces": " " * SIZE,
    "dashes": "-" * SIZE,
    "x": "X" * SIZE,
    "one-word": "a" * SIZE,
    "q-noise": "aQ" * (SIZE // 2),
    "ampersands": "&a" * (SIZE // 2),
    "tags": "<a " * (SIZE // 3),
    "backslashes": "\\" * SIZE,
    "controls": "\x00a" * (SIZE // 2),
    "short-lines": "a\n" * (SIZE // 2),
    "quoted-lines": "> > a\n" * (SIZE // 6),  # read without their quoting, each line an anchor
    "repeated-sentence": "the same sentence is here again and again. " * (SIZE // 43),
    # Numbered paragraphs of the same lines, each a cut preview, rotated: T509 finds a repeat after
    # each (thousands, each one copying the rest of the text, before they were capped).
    "repeated-previews": "".join(
        f"{number}. (SBU) The talks went on.\n"
        + "".join(_PREVIEWS[(number + line) % len(_PREVIEWS)] for line in range(8))
        + "\n"
        for number in range(1, SIZE // 700)
    ),
    # One line of what each scan reads in a window of its own (each of these took time in the
    # matches times the line's length, hours for some at 1 MB): csv row IDs after one row's
    # time (W605), a cut preview and then the same words again and again (T509's word offsets),
    # page markers (the parser), and the lines of old page banners (the parser's candidates).
    "csv-ids-one-line": "1/19/2007 16:27,07THEHAGUE105," + ",07THEHAGUE105," * (SIZE // 15),
    "flattened-repeats": "a cut preview ...\n"
    + "".join(" ".join(f"word{n}" for n in range(28)) + f" u{block} " for block in range(SIZE // 190)),
    "markers-one-line": "ASTANA 00002221  002 OF 003 " * (SIZE // 28),
    "page-banners": "of 12\nPAGE 02 \n" * (SIZE // 16),
    # W605's rows that need no line of their own, thousands on one line (each finding's context
    # copied the whole line).
    "search-rows-one-line": "MILAM 0 10/26/2007 5416 BTIO,ECON,EINV A SUCCESS " * (SIZE // 50),
    "csv-tails-one-line": 'DONOVAN ",10/5/2006,"JAPANESE IPR ' * (SIZE // 32),
    # A flattened line of distinct known words fused in pairs (T507 compared each with every one
    # before it: 349 s at 1 MB).
    "fused-words-one-line": " ".join(f"{first}{second.capitalize()}" for first in _KNOWN for second in _KNOWN)[:SIZE],
}
LIMIT_SECONDS = 20.0


@pytest.mark.parametrize("name", sorted(CASES))
def test_pathological_text_is_linted_in_bounded_time(name: str) -> None:
    settings = Settings(selection=Selection(select=("E", "T", "W")), cache=False)
    started = time.perf_counter()
    findings = lint_text(HEAD + CASES[name], settings, path="x.txt")
    elapsed = time.perf_counter() - started
    assert elapsed < LIMIT_SECONDS, f"{name}: {elapsed:.1f} s"
    assert not [f for f in findings if f.code == "E009"], [f.message for f in findings if f.code == "E009"]
    per_rule: dict[str, int] = {}
    for finding in findings:
        per_rule[finding.code] = per_rule.get(finding.code, 0) + 1
    assert all(count <= MAX_FINDINGS + 1 for count in per_rule.values()), per_rule
