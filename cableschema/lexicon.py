"""The word list of T501 (word-split-across-lines): words seen whole in real cables plus SCOWL.

Built by ``tools/build_lexicon.py`` (which says how) and shipped as package data in
``cableschema/data/lexicon.txt``: lower-case words grouped by the number of real cables each was
seen whole in (0 for words only the curated lists know), a line holding the number, a tab and
words separated by spaces. Nothing is fetched at run time. The list is loaded once, lazily, on
the first question, so runs that never ask pay nothing.
"""

from __future__ import annotations

import re
from collections.abc import Container
from functools import cache

from . import _regex
from .vocab import data_text

#: One-letter words. The list holds none: a lone letter at a line end or start is a fragment.
_ONE_LETTER = frozenset({"a", "i"})


_CABLES_READ = _regex.compile(r"^# cables read: ([0-9]+)$", re.M)


@cache
def _load() -> tuple[dict[str, str], int]:
    text = data_text("lexicon.txt")
    table = _read_table(text)
    read = _CABLES_READ.search(text)
    return table, int(read.group(1)) if read else max(map(int, table.values()), default=1)


def _read_table(text: str) -> dict[str, str]:
    """word -> its count, as the file writes it (read into a number when asked). Every worker of
    a run loads the list: a count a word, 80,336 of them, was a third of that load; a group's
    words take their count at once. A line whose count is no number is left out."""
    table: dict[str, str] = {}
    for line in text.split("\n"):
        count, _, words = line.partition("\t")
        if words and count.isdecimal():
            table.update(dict.fromkeys(words.split(), count))
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
