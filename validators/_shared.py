"""Helpers the rule families share: the reference ID's parts, the cable's classification,
and which of the cable's identity sources (ID, caption, page markers, DE line) is the odd one out.

Nothing here is a rule; every function reads the shared parse and never parses text again. A
fact several rules ask for is computed once per cable (:func:`per_cable`).
"""

from __future__ import annotations

import functools
import re
import weakref
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from cableschema import _regex, grammar, vocab
from cableschema.parser import Parts
from cableschema.rules import Context, Violation

_T = TypeVar("_T")

#: id(parts) -> (a weak reference to them, their facts by the function that computed them). An
#: entry goes when its parse's parts are freed, so the facts live exactly as long as the cable they
#: describe. Keyed on the :class:`Parts` (one per parse, shared by all rules of a cable), not the
#: :class:`ParsedCable`: that one has ``__slots__`` and takes no weak references.
_FACTS: dict[int, tuple[weakref.ref[Parts], dict[object, object]]] = {}


def _forget(key: int, ref: weakref.ref[Parts]) -> None:
    entry = _FACTS.get(key)
    if entry is not None and entry[0] is ref:
        del _FACTS[key]


_MISSING = object()
#: The entry of the parse asked about last: the engine runs every rule on one cable before the
#: next, so this answers nearly every question without a look-up in the table. A weak reference:
#: a parse the engine is done with is freed there, not by the first rule of the next cable.
_LAST: list[Any] = [None, None]


def _facts_of(parts: Parts) -> dict[object, object] | None:
    """The facts of a parse other than the last one asked about (``per_cable`` tests that one
    inline), made the last."""
    key = id(parts)
    entry = _FACTS.get(key)
    if entry is None or entry[0]() is not parts:
        try:
            ref = weakref.ref(parts, functools.partial(_forget, key))
        except TypeError:  # parts that take no weak references: no sharing, same answers
            return None
        entry = _FACTS[key] = (ref, {})
    _LAST[0], _LAST[1] = entry
    return entry[1]


def forget() -> None:
    """Forget every fact (for measurements that run the rules again)."""
    _FACTS.clear()
    _LAST[0] = _LAST[1] = None


def per_cable(function: Callable[[Context], _T]) -> Callable[[Context], _T]:
    """Compute ``function(ctx)`` once per cable (per parse), however many rules ask for it.

    The facts are keyed on the parse's :class:`Parts`, which all rules of one cable share. A
    fact that raises is not kept: the next rule asking computes it again (and fails the same
    way, each rule reported as E009 on its own). The value returned is shared: callers must
    not change it.
    """

    # Called some twenty times a cable: the last cable's facts are tested for inline, and the
    # values typed through Any rather than with typing.cast (a function call each time).
    @functools.wraps(function)
    def shared(ctx: Context) -> _T:
        parts = ctx.parsed.parts
        ref = _LAST[0]
        facts: Any = _LAST[1] if ref is not None and ref() is parts else _facts_of(parts)
        if facts is None:
            return function(ctx)
        value: _T = facts.get(function, _MISSING)
        if value is _MISSING:
            value = facts[function] = function(ctx)
        return value

    return shared


#: Caption and handling words that WikiLeaks' ID derivation glued into the post token.
GLUED_PREFIXES = ("EFTO", "AMEMBASSY", "NOFORN", "SIFIED", "FSC", "USMISSION", "AMCONSUL")

#: Executive orders on classification a cable can cite (13292 amended 12958; 13526 is from 2009).
KNOWN_ORDERS = ("11652", "12065", "12356", "12958", "13292", "13526")

_LEVELS = {"UNCLASSIFIED": 0, "UNCLAS": 0, "LIMITED OFFICIAL USE": 0, "CONFIDENTIAL": 1, "SECRET": 2, "TOP SECRET": 3}
LEVEL_NAMES = ("UNCLASSIFIED", "CONFIDENTIAL", "SECRET", "TOP SECRET")


@dataclass(frozen=True)
class IdParts:
    """A reference ID read as year, post and serial. ``canonical`` is the ID compared with the
    text: the release's own correction for the 203 known malformed IDs, else the ID itself with
    a glued caption word removed. ``well_formed`` is False when the ID as published is not."""

    yy: str
    post: str
    serial: int
    canonical: str
    well_formed: bool


@functools.lru_cache(maxsize=4096)
def id_parts(reference_id: str | None) -> IdParts | None:
    if not reference_id:
        return None
    known = vocab.malformed_ids().get(reference_id)
    if known is not None:
        match = grammar.REFERENCE_ID.match(known.canonical)
        if match is None:
            return None
        return IdParts(match.group(1), match.group(2), int(match.group(3)), known.canonical, False)
    match = grammar.REFERENCE_ID.match(reference_id)
    if match is None:
        return None
    post = match.group(2)
    for prefix in GLUED_PREFIXES if post.startswith(GLUED_PREFIXES) else ():  # (most IDs: one test)
        if post.startswith(prefix) and post[len(prefix) :] in vocab.origins():
            post = post[len(prefix) :]
            canonical = f"{match.group(1)}{post}{match.group(3)}"
            return IdParts(match.group(1), post, int(match.group(3)), canonical, False)
    return IdParts(match.group(1), post, int(match.group(3)), reference_id, True)


@per_cable
def reference_id_parts(ctx: Context) -> IdParts | None:
    """:func:`id_parts` of the cable's own reference ID, once a cable: half a dozen rules ask, and
    the lru cache of :func:`id_parts` forgets an ID once more than its size of others were asked
    about (as when one rule runs over a whole corpus before the next)."""
    return id_parts(ctx.document.metadata.reference_id)


@per_cable
def created_iso(ctx: Context) -> str | None:
    """The release's Created timestamp as ISO 8601 (:func:`grammar.iso_timestamp`), read once a
    cable: four rules compare it."""
    return grammar.iso_timestamp(ctx.document.metadata.created)


def level_of_classification(value: str | None) -> int | None:
    """0 unclassified, 1 confidential, 2 secret, 3 top secret; None when unknown."""
    if not value:
        return None
    head = value.upper().split("//")[0].strip()
    return _LEVELS.get(head)


@dataclass(frozen=True)
class CableClass:
    """The cable's classification as the rules compare it: from the release metadata, or else
    from the caption line of the text (``source`` says which)."""

    level: int
    noforn: bool
    name: str
    source: str  # "release" or "caption"


_NOFORN = _regex.compile(r"\bNOFORN\b|\bNOT\s+RELEASABLE\s+TO\s+FOREIGN\s+NATIONALS\b", re.I)


@per_cable
def cable_class(ctx: Context) -> CableClass | None:
    parts = ctx.parts
    release = ctx.document.metadata.classification
    level = level_of_classification(release)
    if level is not None and release is not None:
        return CableClass(level, "NOFORN" in release.upper() or caption_says_noforn(ctx), release.upper(), "release")
    caption = parts.caption
    if caption is None:
        return None
    level = _LEVELS.get(str(caption.values["level"]))
    if level is None:
        return None
    return CableClass(level, caption_says_noforn(ctx), LEVEL_NAMES[level], "caption")


@per_cable
def caption_says_noforn(ctx: Context) -> bool:
    """NOFORN in the caption, its handling lines or anywhere in the caption block."""
    parts = ctx.parts
    caption = parts.caption
    if caption is None:
        return False
    caveat = caption.values.get("caveat")
    if caveat and "NOFORN" in str(caveat).upper():
        return True
    for item in parts.handling:  # (a loop: a generator's start-up costs more than its handful of items)
        if item.values.get("value") == "NOFORN":
            return True
    starts = parts.line_starts
    start = starts[caption.line]
    end_line = min(parts.body_top_end_line, len(parts.lines) - 1)
    end = max(starts[end_line] if end_line > caption.line else caption.end, caption.end)
    # The case-blind search tries every offset; its letters have no case-blind equivalents but
    # themselves, so a block without "noforn" or "relea" in lower case cannot match.
    text = ctx.text
    lowered = text[start:end].lower()
    if "noforn" not in lowered and "relea" not in lowered:
        return False
    return _NOFORN.search(text, start, end) is not None


@dataclass(frozen=True)
class Evidence:
    """One place in the text that names the cable: its post (as printed) and serial."""

    source: str
    post: str | None
    serial: int


@per_cable
def identity_evidence(ctx: Context) -> list[Evidence]:
    """What the caption line, the page markers and the DE line say the cable is."""
    parts = ctx.parts
    found: list[Evidence] = []
    caption = parts.caption
    if caption is not None and caption.values.get("serial"):
        post = str(caption.values.get("post") or "")
        cut = vocab.known_post_suffix(post)
        found.append(Evidence("caption line", post[cut:] or None, int(caption.values["serial"])))
    printed = [(m.values["post"], int(m.values["serial"])) for m in parts.page_markers if m.values["style"] == "modern"]
    if printed:
        # The most common (post, serial); the first when they tie. Usually all markers agree.
        post, serial = (
            printed[0] if printed.count(printed[0]) == len(printed) else Counter(printed).most_common(1)[0][0]
        )
        found.append(Evidence("page markers", post, serial))
    de = parts.header.de
    if de is not None and de.values.get("serial"):
        found.append(Evidence("DE line", None, int(de.values["serial"])))
    return found


def serial_matches(evidence: Evidence, serial: int) -> bool:
    if evidence.source == "DE line":
        return evidence.serial == serial % 10000
    return evidence.serial == serial


@functools.lru_cache(maxsize=4096)  # a few times a cable, over a few hundred posts' spellings
def post_matches(printed: str | None, post: str) -> bool:
    if not printed:
        return True
    squeezed = printed.replace(" ", "").upper()
    if vocab.same_post(squeezed, post):
        return True
    cut = vocab.known_post_suffix(printed)
    return bool(cut) and vocab.same_post(printed[cut:].replace(" ", "").upper(), post)


@per_cable
def id_is_odd_one_out(ctx: Context) -> tuple[IdParts, list[Evidence]] | None:
    """The reference ID, when the text's own identity sources agree with each other and not
    with it (the text is of another cable): M103 reports it, and the rules that compare one
    source with the ID stay quiet."""
    parts = reference_id_parts(ctx)
    if parts is None or not parts.well_formed:
        return None
    evidence = identity_evidence(ctx)
    if len(evidence) < 2:
        return None
    first = evidence[0]
    for other in evidence[1:]:
        if other.source == "DE line" or first.source == "DE line":
            if other.serial % 10000 != first.serial % 10000:
                return None
        elif other.serial != first.serial or not post_matches(other.post, (first.post or "").replace(" ", "")):
            return None
    # One source agreeing with the ID is enough (when all agree, the first does: one test, not
    # one per source).
    if any(serial_matches(e, parts.serial) and post_matches(e.post, parts.post) for e in evidence):
        return None
    return parts, evidence


#: Most findings one rule reports on one cable: a real cable has a handful; a text with thousands
#: of markers or rules is not a cable, and its report stays readable and fast.
MAX_PER_CABLE = 50


def capped(violations: Iterable[Violation], limit: int = MAX_PER_CABLE) -> Iterator[Violation]:
    """The first ``limit`` violations; the last one says how many more there were."""
    held: Violation | None = None
    extra = 0
    for count, violation in enumerate(violations, 1):
        if count <= limit:
            if held is not None:
                yield held
            held = violation
        else:
            extra += 1
    if held is not None:
        if extra:
            held = Violation(f"{held.message} (and {extra} more like it)", held.start, held.end, held.fix)
        yield held
