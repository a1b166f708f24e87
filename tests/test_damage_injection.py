"""Damage injected into real cables is found at the right line; undamaged cables stay quiet.

For each of T501, T502, W601, W602, T504 and T508: 100 real cables of ``../shared/corpus``
(seeded draws, ``tests/realcables.py``), one injected damage each (``tests/injection.py``). The
rule must report at least 95 of them at the damaged line, and fire on at most 2% of the same
cables before the damage was put in.

The corpus was chosen to show damage, so some "undamaged" cables carry the real thing: the
T501 pool holds two real broken words (``REASON`` / ``S``, ``rea`` / ``sons``) and some pages
have ``<br>`` or dump backslashes on every line. For T504 the false-positive rate is therefore
measured on the cables whose text holds no markup character at all (``<`` before a letter,
``&...;``, ``¶``, a line-final backslash); its rate on all cables is printed too.
"""

from __future__ import annotations

import re

import pytest

from .conftest import requires_corpus
from .injection import evaluate

pytestmark = [requires_corpus, pytest.mark.corpus]

_HAS_MARKUP = re.compile(r"</?[A-Za-z]|&#?[A-Za-z0-9]{1,32};|¶|\\[ \t]*$", re.M)
CLEAN_FILTERS = {"T504": lambda text: not _HAS_MARKUP.search(text)}


@pytest.mark.parametrize("code", ["T501", "T502", "W601", "W602", "T504", "T508"])
def test_injected_damage_is_found_at_its_line(code: str) -> None:
    outcome = evaluate(code, count=100, clean_filter=CLEAN_FILTERS.get(code))
    print(
        f"{code}: found {outcome.found}/{outcome.trials} at the right line; "
        f"fires on {outcome.clean_fired}/{outcome.clean_trials} undamaged cables "
        f"({outcome.raw_fired}/{outcome.raw_trials} before filtering)"
    )
    assert outcome.trials == 100
    assert outcome.recall >= 0.95, f"{code} missed: {outcome.misses}"
    assert outcome.clean_trials >= 50
    assert outcome.false_positive_rate <= 0.02, f"{code} fires on undamaged cables: {outcome.false_positives}"
