"""Facts several rules ask for are computed once a cable. Twice a change to the parse's classes
(``__slots__`` without a weak-reference slot) turned the sharing off without changing any
output, and every rule computed its own facts again (a fifth of the rules' time)."""

from __future__ import annotations

import weakref

from cableschema.validators import _shared

from cableschema.parser import parse
from cableschema.readers import read_string
from cableschema.rules import Context

from .conftest import SAMPLE_SEED


def test_a_fact_is_computed_once_a_cable_however_many_rules_ask() -> None:
    (document,) = read_string(SAMPLE_SEED.read_text(encoding="utf-8"), str(SAMPLE_SEED))
    computed: list[int] = []

    @_shared.per_cable
    def fact(ctx: Context) -> int:
        computed.append(1)
        return len(ctx.text)

    parsed = parse(document)
    weakref.ref(parsed.parts)  # the facts are kept under a weak reference to the cable's parts
    first, second = Context(document, parsed), Context(document, parsed)
    assert fact(first) == fact(second) == fact(first) == len(document.text)
    assert computed == [1]
    other = parse(document)  # another parse is another cable: its facts are its own
    assert fact(Context(document, other)) == len(document.text) and computed == [1, 1]
