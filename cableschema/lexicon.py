"""The word list of T501 (word-split-across-lines): words seen whole in real cables plus SCOWL.

Built by ``tools/build_lexicon.py`` (which says how) and shipped as package data in
``cableschema/data/lexicon.txt``: one lower-case word a line with the number of real cables it
was seen whole in (0 for words only the curated lists know). Nothing is fetched at run time. The
list is loaded once, lazily, on the first question, so runs that never ask pay nothing.
"""

from __future__ import annotations

import re
from collections.abc import Container
from functools import cache
from importlib import resources

#: One-letter words. The list holds none: a lone letter at a line end or start is a fragment.
_ONE_LETTER = frozenset({"a", "i"})


_CABLES_READ = re.compile(r"^# cables read: ([0-9]+)$", re.M)


@cache
def _load() -> tuple[dict[str, str], int]:
    text = resources.files("cableschema").joinpath("data", "lexicon.txt").read_text(encoding="utf-8")
    table = _read_table(text)
    read = _CABLES_READ.search(text)
    return table, int(read.group(1)) if read else max(map(int, table.values()), default=1)


def _read_table(text: str) -> dict[str, str]:
    """word -> its count, as the file writes it: read into a number when asked (the 80,336
    conversions at load took a third of it, in every worker of a run)."""
    # The file as the build tool writes it (comments on top, then "word<TAB>count" lines) is
    # read in a few C-level passes; anything else line by line.
    position = 0
    while text.startswith("#", position):
        position = text.find("\n", position) + 1 or len(text)
    fields = text[position:].rstrip("\n").replace("\t", "\n").split("\n")
    # A line without its tab (or a blank one) shifts the pairs: a word where a count goes.
    if len(fields) % 2 == 0 and all(map(str.isdecimal, fields[1::2])):
        return dict(zip(fields[0::2], fields[1::2], strict=True))
    table: dict[str, str] = {}
    for line in text.split("\n"):
        if not line or line.startswith("#"):
            continue
        word, _, count = line.partition("\t")
        table[word] = count if count.isdecimal() else "0"
    return table


def words() -> Container[str]:
    """The known words (lower case), for membership tests."""
    return _load()[0]


def cables_read() -> int:
    """How many real cables the counts come from."""
    return max(1, _load()[1])


def count(token: str) -> int | None:
    """In how many real cables ``token`` (any case) was seen whole; None when it is no word."""
    lowered = token.lower()
    if len(lowered) < 2:
        return cables_read() if lowered in _ONE_LETTER else None
    cables = _load()[0].get(lowered)
    return None if cables is None else int(cables)


def is_word(token: str) -> bool:
    """True when ``token`` (any case) is a known word."""
    return count(token) is not None
