"""Damage put into real cables is found at the right line, and the same rules stay quiet on the
undamaged cables.

Each kind of damage is injected into real cables from ../shared/corpus (seeded draws, so a
failure names the same cables every run): a changed DE serial (H202), a corrupted DTG (H204), a
corrupted reference ID (M101), a deleted or swapped middle page marker (P303), a dropped last
page (P305) and a removed ``End summary`` (S404). A case counts as found when the rule reports
the line the damage is on (for a deleted marker: the marker after the gap; for a dropped page:
the last marker left; for a removed closer: the summary's opener).
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache

import pytest

from cableschema.config import Settings
from cableschema.document import Document
from cableschema.engine import lint_document
from cableschema.grammar import MONTHS
from cableschema.parser import ParsedCable, pair_spans, parse
from cableschema.readers import read_string
from cableschema.rules import REGISTRY, load
from cableschema.selection import Selection

from .conftest import requires_corpus
from .realcables import RealCable, real_cables

SEED = 5
CASES = 100
CODES = ("H202", "H204", "M101", "P303", "P305", "S404")


@dataclass(frozen=True)
class Case:
    reference_id: str
    text: str
    line: int  # 1-based line the rule must report


def _document(text: str) -> Document:
    documents = [d for d in read_string(text) if isinstance(d, Document)]
    assert documents, "a real cable's page text must read as a document"
    return documents[0]


@cache
def _pool() -> tuple[tuple[RealCable, ParsedCable], ...]:
    return tuple((cable, parse(_document(cable.text))) for cable in real_cables(1000, seed=SEED))


def _lines(cable: RealCable) -> list[str]:
    return cable.text.split("\n")


def _replace_line(cable: RealCable, index: int, line: str) -> str:
    lines = _lines(cable)
    lines[index] = line
    return "\n".join(lines)


# -- the damage ------------------------------------------------------------------------------------


def _de_serial(rng: random.Random) -> Iterator[Case]:
    for cable, parsed in _pool():
        de = parsed.parts.header.de
        if de is None or not de.values.get("serial"):
            continue
        serial = int(de.values["serial"])
        changed = f"{(serial + rng.randint(1, 9998)) % 10000:04d}"
        begin, finish = de.values["_spans"]["serial"]
        line = _lines(cable)[de.line]
        damaged = _replace_line(cable, de.line, line[:begin] + changed + line[finish:])
        yield Case(cable.reference_id, damaged, de.line + 1)


def _garble_dtg(raw: str, rng: random.Random) -> str:
    match = re.search(r"(?P<digits>[0-9]{6})Z (?P<month>[A-Z]{3})", raw)
    assert match is not None
    digits, month = match.group("digits"), match.group("month")
    kind = rng.choice(("letter", "no-z", "month", "day", "hour", "lost-digit"))
    if kind == "letter":
        position = rng.randrange(6)
        letter = {"0": "O", "1": "l"}.get(digits[position], "O")
        new = f"{digits[:position]}{letter}{digits[position + 1 :]}Z {month}"
    elif kind == "no-z":
        new = f"{digits} {month}"
    elif kind == "month":
        garbled = month[0] + month[2] + month[1]
        new = f"{digits}Z {garbled if garbled not in MONTHS else month[::-1]}"
    elif kind == "day":
        new = f"{rng.choice(('32', '00', '45'))}{digits[2:]}Z {month}"
    elif kind == "hour":
        new = f"{digits[:2]}{rng.choice(('25', '31'))}{digits[4:]}Z {month}"
    else:
        position = rng.randrange(6)
        new = f"{digits[:position]}{digits[position + 1 :]}Z {month}"
    return raw[: match.start()] + new + raw[match.end() :]


def _dtg(rng: random.Random) -> Iterator[Case]:
    for cable, parsed in _pool():
        dtg = parsed.parts.header.dtg
        if dtg is None or not dtg.values.get("timestamp"):
            continue
        line = _lines(cable)[dtg.line]
        if not re.search(r"[0-9]{6}Z [A-Z]{3}", line):
            continue
        yield Case(cable.reference_id, _replace_line(cable, dtg.line, _garble_dtg(line, rng)), dtg.line + 1)


def _corrupt_id(reference_id: str, rng: random.Random) -> str:
    match = re.fullmatch(r"([0-9]{2})([A-Z]+)([0-9]+)", reference_id)
    assert match is not None
    yy, post, serial = match.groups()
    kind = rng.choice(("efto", "section", "year", "no-serial", "zeros", "digit-in-post"))
    if kind == "efto":
        return f"{yy}EFTO{post}{serial}"
    if kind == "section":
        return f"{yy}SECTION01OF02{post}{serial}"
    if kind == "year":
        return f"{yy}{yy}{post}{serial}"
    if kind == "no-serial":
        return f"{yy}{post}"
    if kind == "zeros":
        return f"{yy}{post}{serial.zfill(6)}"
    position = rng.randrange(1, len(post) - 1)
    return f"{yy}{post[:position]}4{post[position + 1 :]}{serial}"


def _reference_id(rng: random.Random) -> Iterator[Case]:
    for cable, _ in _pool():
        if not re.fullmatch(r"[0-9]{2}[A-Z]{4,17}[1-9][0-9]*", cable.reference_id):
            continue
        lines = _lines(cable)
        index = next(i for i, line in enumerate(lines) if line.startswith(cable.reference_id + " "))
        broken = _corrupt_id(cable.reference_id, rng)
        damaged = _replace_line(cable, index, broken + lines[index][len(cable.reference_id) :])
        yield Case(cable.reference_id, damaged, index + 1)


def _own_markers(cable: RealCable, parsed: ParsedCable) -> list[int]:
    """Lines (0-based) of the cable's own page markers standing on lines of their own."""
    match = re.fullmatch(r"[0-9]{2}[A-Z]+([0-9]+)", cable.reference_id)
    if match is None:
        return []
    serial = int(match.group(1))
    return [
        item.line
        for item in parsed.parts.page_markers
        if item.values["style"] == "modern" and not item.values["inline"] and int(item.values["serial"]) == serial
    ]


def _page_markers(rng: random.Random) -> Iterator[Case]:
    for cable, parsed in _pool():
        markers = _own_markers(cable, parsed)
        if len(markers) < 3:
            continue
        lines = _lines(cable)
        # A middle marker deleted: found at the marker after the gap.
        middle = rng.randrange(1, len(markers) - 1)
        kept = lines[: markers[middle]] + lines[markers[middle] + 1 :]
        yield Case(cable.reference_id, "\n".join(kept), markers[middle + 1])  # one line up, 1-based
        # Two middle markers swapped: found at the first of them.
        first = rng.randrange(1, len(markers) - 1)
        swapped = list(lines)
        swapped[markers[first]], swapped[markers[first + 1]] = lines[markers[first + 1]], lines[markers[first]]
        yield Case(cable.reference_id, "\n".join(swapped), markers[first] + 1)


def _last_page(rng: random.Random) -> Iterator[Case]:
    for cable, parsed in _pool():
        markers = _own_markers(cable, parsed)
        if len(markers) < 2:
            continue
        lines = _lines(cable)
        if not re.search(r"([0-9]{3})(?:\.[0-9])? OF \1", lines[markers[-1]]):
            continue  # the last marker is not the last page
        yield Case(cable.reference_id, "\n".join(lines[: markers[-1]]), markers[-2] + 1)


def _end_summary(rng: random.Random) -> Iterator[Case]:
    for cable, parsed in _pool():
        pairs = [
            (opener, closer)
            for opener, closer in pair_spans(parsed.parts)
            if opener.values["kind"] == "summary"
            and opener.values["event"] == "open"
            and not opener.values.get("heading")  # a SUMMARY heading opens a section: no closer needed
            and closer is not None
            and not closer.values.get("paren")
        ]
        if not pairs:
            continue
        opener, closer = pairs[0]
        text = cable.text
        finish = closer.end + (1 if text[closer.end : closer.end + 1] == "." else 0)
        yield Case(cable.reference_id, text[: closer.start] + text[finish:], opener.line + 1)


KINDS: dict[str, Callable[[random.Random], Iterator[Case]]] = {
    "H202": _de_serial,
    "H204": _dtg,
    "M101": _reference_id,
    "P303": _page_markers,
    "P305": _last_page,
    "S404": _end_summary,
}


# -- measuring -------------------------------------------------------------------------------------


def _findings(text: str, code: str) -> list[int]:
    load()
    settings = Settings(selection=Selection(select=(code,)), cache=False)
    _, findings = lint_document(_document(text), settings, [REGISTRY[code]], "x.txt")
    return [finding.line for finding in findings if finding.code == code]


@cache
def _false_positive_rate(code: str) -> tuple[int, int]:
    pool = _pool()
    fired = sum(1 for cable, _ in pool if _findings(cable.text, code))
    return fired, len(pool)


@requires_corpus
@pytest.mark.corpus
@pytest.mark.parametrize("code", CODES)
def test_injected_damage_is_found_at_its_line(code: str) -> None:
    rng = random.Random(f"{SEED}-{code}")
    cases = []
    for case in KINDS[code](rng):
        cases.append(case)
        if len(cases) == CASES:
            break
    assert len(cases) == CASES, f"{code}: only {len(cases)} real cables could take the damage"
    missed = [case for case in cases if case.line not in _findings(case.text, code)]
    found = len(cases) - len(missed)
    print(f"{code}: found at the right line in {found} of {len(cases)}")
    assert found >= 95, f"{code}: found in {found} of {len(cases)}; missed {[c.reference_id for c in missed]}"


@requires_corpus
@pytest.mark.corpus
@pytest.mark.parametrize("code", CODES)
def test_rules_stay_quiet_on_undamaged_cables(code: str) -> None:
    fired, total = _false_positive_rate(code)
    print(f"{code}: fires on {fired} of {total} undamaged cables")
    assert total >= 400
    assert fired <= total * 0.02, f"{code} fires on {fired} of {total} undamaged cables"
