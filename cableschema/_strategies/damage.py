"""Damage with known ground truth: each kind changes a laid-out cable the way real copies are
damaged (``shared/spec/damage.md``) and says which rule must report it and where.

A damage keeps a reference to the line (:class:`~.draft.Cell`) it changed, so its line number is
known in every container format and after other damage inserted or removed lines. Kinds are
applied in a fixed order (truncations first, site text last) and each picks among the lines that
are still there; a kind with nothing left to damage is skipped, so the list of damage is always
what the text really holds.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass

from .. import grammar
from ..lexicon import is_word
from ..model import Cable
from ..render import de_line
from . import prose as _prose
from .choices import Chooser, RandomChooser
from .draft import Cell, Constraints, InvalidConstraints, Layout

#: Every kind, in the order Hypothesis shrinks towards (the first is the simplest).
KINDS = (
    "M101",
    "M106",
    "H202",
    "H204",
    "T508",
    "T505",
    "T504",
    "T501",
    "T502",
    "S404",
    "S406",
    "P303",
    "P305",
    "W601",
    "W602",
)
#: Kinds that only a page-text copy can carry (site text around a pasted cable).
PAGE_TEXT_ONLY = frozenset({"W601", "W602"})
#: Pairs that cannot go together: both end the text, or one hides the other.
EXCLUSIVE = (frozenset({"T502", "P305"}), frozenset({"P303", "P305"}), frozenset({"M101", "H202"}))
#: The order kinds are applied in.
_ORDER: tuple[str, ...] = ("P305", "T502", "P303", "S404", "S406", "H202", "H204", "M101", "M106")
_ORDER += ("T501", "T504", "T505", "T508", "W601", "W602")

_CONTROL = ("\x00", "\x1a", "\x07", "\x1b", "\x08", "\x7f")
_LETTERS = re.compile(r"[a-z]+")
#: A word T501 can see broken: after a space, a quote or a hyphen (a word after "(" or "/" reads
#: as a label or an abbreviation part to it: "(B", "AF/E").
_LONG_WORD = re.compile(r"(?:^|(?<=[ \t\"“‘-]))[a-z]{6,}(?![A-Za-z'])")
_PHRASE = re.compile(r"(?<![A-Za-z'])[a-z]{3,}(?: [a-z]{2,}){1,2}(?![A-Za-z'])")
_FUNCTION_WORDS = frozenset({"the", "of", "and", "to", "with", "that", "for", "on", "in", "a", "by", "about"})
_TRAILER_CUT = "=======================CABLE END"


@dataclass(frozen=True)
class Damage:
    """One damage put into a generated cable.

    ``code`` is the rule that must report it, ``line`` the 1-based line of the damaged text where
    it is (the line a finding points at, within one line), ``kind`` the variant and
    ``description`` what was done, in words.
    """

    code: str
    line: int
    kind: str
    description: str


@dataclass(frozen=True)
class DamagedCable:
    """A damaged cable: its ``text``, the clean ``cable`` it was made from, and the ``damage``."""

    text: str
    cable: Cable
    damage: tuple[Damage, ...]


@dataclass
class Applied:
    code: str
    kind: str
    description: str
    #: The cell where the damage is, or "meta" for the release metadata line.
    anchor: Cell | str


def requirements(kinds: tuple[str, ...], constraints: Constraints) -> Constraints:
    """The constraints narrowed so that the draft can carry every kind."""
    updates: dict[str, object] = {}
    low, high = constraints.pages
    if {"P303", "P305"} & set(kinds):
        if high < 3:
            raise InvalidConstraints("page damage (P303, P305) needs cables of 3 pages or more")
        updates["pages"] = (max(low, 3), high)
        if constraints.paragraphs[1] < 3:
            raise InvalidConstraints("page damage (P303, P305) needs at least 3 paragraphs")
    if "S404" in kinds:
        if constraints.summary is False:
            raise InvalidConstraints("S404 needs a summary")
        updates["summary"] = True
    if "S406" in kinds:
        if constraints.bracketed_comment is False:
            raise InvalidConstraints("S406 needs a bracketed comment")
        updates["bracketed_comment"] = True
    headers = constraints.headers
    if "H202" in kinds:
        headers = tuple(h for h in headers if h == "full")
    if "H204" in kinds:
        headers = tuple(h for h in headers if h in ("full", "dtg"))
    if not headers:
        raise InvalidConstraints("H202 needs a full header (DE line) and H204 a DTG line")
    updates["headers"] = headers
    return Constraints(**{**constraints.__dict__, **updates}).checked()


def choose_kinds(chooser: Chooser, allowed: tuple[str, ...], low: int, high: int) -> tuple[str, ...]:
    """Distinct kinds, none excluding another, between ``low`` and ``high`` of them.

    Each kind is in or out by a draw of its own, so that Hypothesis drops kinds one at a time
    when shrinking; with too few drawn, more are taken from a drawn starting point (the first
    kind when shrunk, any kind in a generated corpus).
    """
    share = min(0.9, (low + high) / 2 / max(1, len(allowed)))
    drawn = [kind for kind in allowed if chooser.flag(share)]
    start = chooser.integer(0, len(allowed) - 1)  # drawn even when unused, see DrawChooser
    rotated = allowed[start:] + allowed[:start]
    drawn = [k for k in rotated if k in drawn]
    rest = [k for k in rotated if k not in drawn]
    chosen: list[str] = []
    for kind in drawn + rest:
        if len(chosen) >= high or (kind not in drawn and len(chosen) >= low):
            break
        if not any({kind, other} <= pair for pair in EXCLUSIVE for other in chosen):
            chosen.append(kind)
    return tuple(chosen)


class _State:
    def __init__(self, lay: Layout, chooser: Chooser) -> None:
        self.lay = lay
        self.sheet = lay.sheet
        #: Variants are the chooser's (they shrink to the first); places come from ``fine``.
        self.chooser = chooser
        self.fine = RandomChooser(random.Random(chooser.seed()))
        self.used: set[int] = set()
        self.variant = 0

    def pick_variant(self, variants: tuple[str, ...]) -> str:
        """The variant drawn for this kind (the first one when shrunk)."""
        return variants[self.variant % len(variants)]

    def alive(self, cell: Cell) -> bool:
        return any(c is cell for c in self.sheet.body)

    def alive_header(self, cell: Cell) -> bool:
        return any(c is cell for c in self.sheet.header)

    def index(self, cell: Cell) -> int:
        for position, candidate in enumerate(self.sheet.body):
            if candidate is cell:
                return position
        raise ValueError("cell is not in the body")

    def free(self, cells: list[Cell]) -> list[Cell]:
        """Cells still in the text, not damaged already and not next to damaged ones."""
        body = self.sheet.body
        blocked: set[int] = set()
        for position, cell in enumerate(body):
            if id(cell) in self.used:
                blocked.update({position - 1, position, position + 1})
        positions = {id(cell): position for position, cell in enumerate(body)}
        return [c for c in cells if id(c) in positions and positions[id(c)] not in blocked]

    def mark(self, cell: Cell) -> None:
        self.used.add(id(cell))

    def prose_cells(self) -> list[Cell]:
        cells = list(self.lay.prose) + [cell for cell, _ in self.lay.paragraphs]
        order = {id(cell): position for position, cell in enumerate(self.sheet.body)}
        return sorted((c for c in cells if id(c) in order), key=lambda c: order[id(c)])


def _label_end(text: str) -> int:
    match = grammar.PARAGRAPH_START.match(text)
    return match.end() if match else 0


def _trail(text: str) -> str:
    return text[len(text.rstrip()) :]


# -- truncations -----------------------------------------------------------------------------------


def _p305(s: _State) -> Applied | None:
    markers = [cell for cell, _ in s.lay.markers if s.alive(cell)]
    # Keep markers[:k+1], cut from markers[k+1]: the last page seen is below the total.
    options = [k for k in range(len(markers) - 1) if s.index(markers[k + 1]) - s.index(markers[k]) > 2]
    if not options:
        return None
    keep = options[-1 - s.fine.integer(0, len(options) - 1)]
    kept_marker = markers[keep]
    body = s.sheet.body
    cut = s.index(markers[keep + 1])
    del body[cut:]
    # End on a whole sentence: the lost page took the rest.
    floor = s.index(kept_marker) + 1
    while len(body) > floor:
        last = body[-1]
        stripped = last.text.rstrip()
        if stripped.endswith((".", ".)")) and not _label_only(stripped):
            break
        end = max(stripped.rfind(". "), stripped.rfind(".) "))
        if end > _label_end(stripped):
            last.text = stripped[: end + (2 if stripped[end + 1] == ")" else 1)] + _trail(last.text)
            break
        body.pop()
    if len(body) <= floor:
        return None
    s.mark(kept_marker)
    marker = s.lay.markers[[c for c, _ in s.lay.markers].index(kept_marker)][1]
    return Applied(
        "P305",
        "lost-pages",
        f"the text stops after page {int(marker.page)} of {int(marker.total)}: the last pages are gone",
        kept_marker,
    )


def _label_only(text: str) -> bool:
    return bool(grammar.PARAGRAPH_START.match(text)) and _label_end(text) >= len(text.rstrip())


def _t502(s: _State) -> Applied | None:
    body = s.sheet.body
    last_paragraph = s.lay.paragraphs[-1][0]
    if not s.alive(last_paragraph):
        return None
    start = s.index(last_paragraph)
    # The last paragraph without the signature, and after the last page marker: a cut before a
    # marker would also lose the last page, which is P305's damage, not this one.
    markers = [s.index(cell) for cell, _ in s.lay.markers if s.alive(cell)]
    start = max([start, *(index + 1 for index in markers)])
    cells = body[start:-1]
    variants = ["mid-sentence", "cut-trailer"]
    closers = [
        (cell, match.start())
        for cell in cells
        for match in re.finditer(
            r"(?<![A-Za-z])(?:End|END) (?:comment|COMMENT|note|summary|SUMMARY|Summary)\b", cell.text
        )
    ]
    if closers:
        variants.insert(1, "end-marker")
    kind = s.pick_variant(tuple(variants))
    if kind == "cut-trailer":
        body += [Cell(""), Cell(_TRAILER_CUT)]
        s.mark(body[-1])
        return Applied("T502", kind, "the transport trailer is cut short: =====CABLE END", body[-1])
    if kind == "end-marker":
        cell, column = closers[s.fine.integer(0, len(closers) - 1)]
        position = s.index(cell)
        cell.text = cell.text[: column + 3]
        del body[position + 1 :]
        s.mark(cell)
        return Applied("T502", kind, 'the text stops at "End": the closing marker and the rest are cut', cell)
    # Mid-sentence: after a function word if there is one (what is left is plainly unfinished),
    # else after any lower-case word that does not end a sentence; never right after the label.
    candidates: list[tuple[Cell, int]] = []
    fallback: list[tuple[Cell, int]] = []
    for cell in cells:
        floor = _label_end(cell.text)
        for match in re.finditer(r"(?<![A-Za-z])([a-z]+) ", cell.text):
            if match.start() <= floor:
                continue
            (candidates if match.group(1) in _FUNCTION_WORDS else fallback).append((cell, match.end(1)))
    candidates = candidates or fallback
    if not candidates:
        body += [Cell(""), Cell(_TRAILER_CUT)]
        s.mark(body[-1])
        return Applied("T502", "cut-trailer", "the transport trailer is cut short: =====CABLE END", body[-1])
    cell, end = candidates[s.fine.integer(0, len(candidates) - 1)]
    position = s.index(cell)
    cell.text = cell.text[:end]
    del body[position + 1 :]
    s.mark(cell)
    return Applied("T502", kind, f"the text stops mid-sentence: ...{cell.text[-30:].lstrip()}", cell)


# -- page markers ----------------------------------------------------------------------------------


def _p303(s: _State) -> Applied | None:
    markers = [(cell, m) for cell, m in s.lay.markers if s.alive(cell)]
    body_markers = [(cell, m) for cell, m in markers if s.index(cell) > s.index(s.lay.paragraphs[0][0])]
    variants = ["repeat"] if body_markers else []
    if len(markers) >= 3:
        variants.append("gap")
    if not variants:
        return None
    kind = s.pick_variant(tuple(variants))
    body = s.sheet.body
    if kind == "gap":
        position = s.fine.integer(1, len(markers) - 2)
        cell, marker = markers[position]
        body.remove(cell)
        following = markers[position + 1][0]
        s.mark(following)
        return Applied("P303", kind, f"page marker {marker.page} is gone: the pages jump over it", following)
    cell, marker = body_markers[s.fine.integer(0, len(body_markers) - 1)]
    at = s.index(cell)
    limit = len(body) - 2
    for other, _ in markers:
        if s.index(other) > at:
            limit = min(limit, s.index(other) - 1)
    offset = s.fine.integer(1, max(1, min(6, limit - at)))
    copy = Cell(cell.text)
    body.insert(min(at + offset, limit) + 1 if limit > at else at + 1, copy)
    s.mark(copy)
    return Applied("P303", kind, f"page marker {marker.page} is printed twice", copy)


# -- spans -----------------------------------------------------------------------------------------


def _drop_closer(s: _State, kind: str, bracketed: bool | None, code: str) -> Applied | None:
    spans = [
        span
        for span in s.lay.spans
        if span.kind == kind
        and (bracketed is None or span.bracketed == bracketed)
        and span.close_cell is not None
        and span.close_text is not None
        and s.alive(span.open_cell)
        and s.alive(span.close_cell)
        and span.close_text in span.close_cell.text
    ]
    if not spans:
        return None
    span = spans[s.fine.integer(0, len(spans) - 1)]
    assert span.close_cell is not None and span.close_text is not None
    cell = span.close_cell
    column = cell.text.find(span.close_text, span.close_column)
    if column < 0:
        column = cell.text.find(span.close_text)
    before, after = cell.text[:column].rstrip(" "), cell.text[column + len(span.close_text) :].lstrip(" ")
    joined = f"{before} {after}" if before and after else before + after
    if not joined.strip():
        s.sheet.body.remove(cell)
    else:
        cell.text = joined if joined.endswith(" ") or not cell.text.endswith(" ") else joined + " "
    s.mark(span.open_cell)
    what = {"summary": "End summary", "comment": "End comment"}[kind]
    return Applied(code, "closer-lost", f"{span.open_text} opened and its {what!r} is gone", span.open_cell)


def _s404(s: _State) -> Applied | None:
    return _drop_closer(s, "summary", None, "S404")


def _s406(s: _State) -> Applied | None:
    return _drop_closer(s, "comment", True, "S406")


# -- header and metadata ---------------------------------------------------------------------------


def _h202(s: _State) -> Applied | None:
    cell = s.lay.de
    routing = s.lay.draft.header.routing
    if cell is None or routing is None:
        return None
    serial = routing.serial
    kind = s.pick_variant(("off-by", "transposed"))
    if kind == "transposed":
        swapped = serial[:2] + serial[3] + serial[2]
        if swapped == serial:
            kind = "off-by"
        else:
            new = swapped
    if kind == "off-by":
        new = f"{(int(serial) + s.fine.integer(1, 9)) % 10_000:04d}"
    cell.text = de_line(routing.indicator, new, routing.section, routing.julian_day, routing.time)
    s.mark(cell)
    return Applied("H202", kind, f"DE serial #{new} is not the ID serial ({serial})", cell)


_BAD_MONTHS = {
    "JAN": "JNA",
    "FEB": "FBE",
    "MAR": "MRA",
    "APR": "ARP",
    "MAY": "MYA",
    "JUN": "JNU",
    "JUL": "JLU",
    "AUG": "AGU",
    "SEP": "SPE",
    "OCT": "OTC",
    "NOV": "NVO",
    "DEC": "DCE",
}
_DAYS = {"JAN": 31, "FEB": 29, "MAR": 31, "APR": 30, "MAY": 31, "JUN": 30, "JUL": 31, "AUG": 31}
_DAYS |= {"SEP": 30, "OCT": 31, "NOV": 30, "DEC": 31}


def _h204(s: _State) -> Applied | None:
    cell = s.lay.dtg
    if cell is None or not s.alive_header(cell):
        return None
    match = grammar.DTG_LINE.match(cell.text)
    if match is None:
        return None
    variants = ["letter-o", "no-zulu", "bad-month", "bad-day"]
    kind = s.pick_variant(tuple(variants))
    digits = match.group("day") + match.group("hour") + match.group("minute")
    month, year = match.group("month"), match.group("year")
    zulu = "Z"
    if kind == "letter-o":
        if "0" in digits:
            at = digits.index("0")
            digits = digits[:at] + "O" + digits[at + 1 :]
        else:
            kind = "no-zulu"
    if kind == "no-zulu":
        zulu = ""
    elif kind == "bad-month":
        month = _BAD_MONTHS[month]
    elif kind == "bad-day":
        digits = f"{_DAYS[month] + 1:02d}" + digits[2:]
    cell.text = f"{match.group('precedence')} {digits}{zulu} {month} {year}"
    s.mark(cell)
    return Applied("H204", kind, f"DTG line {cell.text!r} does not parse", cell)


def _m101(s: _State) -> Applied | None:
    d = s.lay.draft
    yy = f"{d.year % 100:02d}"
    variants = ["efto", "doubled-year", "no-serial", "section"]
    if d.post.kind == "embassy":
        variants.insert(1, "amembassy")
    kind = s.pick_variant(tuple(variants))
    token, serial = d.post.token, d.serial
    sections = f"{d.pages:02d}" if d.pages > 1 else "02"
    value = {
        "efto": f"{yy}EFTO{token}{serial}",
        "amembassy": f"{yy}AMEMBASSY{token}{serial}",
        "doubled-year": f"{yy}{yy}{token}{serial}",
        "no-serial": f"{yy}{token}",
        "section": f"{yy}SECTION01OF{sections}{token}{serial}",
    }[kind]
    s.sheet.reference_id = value
    return Applied("M101", kind, f"reference ID {value} (the cable is {d.reference_id})", "meta")


def _m106(s: _State) -> Applied | None:
    value = s.sheet.classification
    kind = "lower-case" if " " in value else s.pick_variant(("typo", "lower-case"))
    if kind == "lower-case":
        damaged = value.lower()
    else:
        # Drop one letter of the level or of the caveat: SECRET//NOFRN, CONFIDENTIL.
        word = value.split("//")[-1]
        at = 1 + s.fine.integer(0, len(word) - 3)
        damaged = value[: len(value) - len(word)] + word[:at] + word[at + 1 :]
    s.sheet.classification = damaged
    return Applied("M106", kind, f"classification {damaged!r} (the cable is {value})", "meta")


# -- text ------------------------------------------------------------------------------------------


def _pick(s: _State, predicate: Callable[[Cell], bool]) -> Cell | None:
    cells = [c for c in s.free(s.prose_cells()) if predicate(c)]
    if not cells:
        return None
    cell = cells[s.fine.integer(0, len(cells) - 1)]
    s.mark(cell)
    return cell


def _t501(s: _State) -> Applied | None:
    # The pieces must not be words, of English or of this cable (names, header tokens: "DE",
    # the classification: "secret" + "ary").
    sheet = s.sheet
    metadata = [sheet.reference_id, sheet.classification, sheet.origin, sheet.subject]
    text = "\n".join([*metadata, *(c.text for c in sheet.header + sheet.body)]).lower()
    words = _prose.vocabulary() | set(_LETTERS.findall(text))

    def splits(cell: Cell) -> list[tuple[int, int]]:
        found = []
        floor = _label_end(cell.text)
        for match in _LONG_WORD.finditer(cell.text, floor):
            word = match.group()
            if not is_word(word):
                continue  # T501 joins only into words its lexicon knows ("anticorruption" is not)
            for cut in range(len(word) - 1, 1, -1):
                head, tail = word[:cut], word[cut:]
                # T501 decides by its lexicon: one piece at least must be unknown to it ("un" is
                # a word there, from "UN"), else the break is not certain and it stays silent.
                if head not in words and tail not in words and not (is_word(head) and is_word(tail)):
                    found.append((match.start(), cut))
        return found

    cell = _pick(s, lambda c: bool(splits(c)))
    if cell is None:
        return None
    options = splits(cell)
    start, cut = options[s.fine.integer(0, len(options) - 1)]
    found = _LONG_WORD.match(cell.text, start)
    assert found is not None
    word = found.group()
    position = s.index(cell)
    rest = cell.text[start + cut :]
    cell.text = cell.text[: start + cut]
    s.sheet.body.insert(position + 1, Cell(rest))
    kind = "last-letter" if cut == len(word) - 1 else "mid-word"
    return Applied("T501", kind, f'"{word[:cut]}" + "{word[cut:]}" is the word "{word}" broken across lines', cell)


def _t504(s: _State) -> Applied | None:
    cell = _pick(s, lambda c: bool(c.text.strip()))
    if cell is None:
        return None
    kind = s.pick_variant(("entity", "br", "backslash"))
    stripped, trail = cell.text.rstrip(), _trail(cell.text)
    cell.text = {
        "entity": f"{stripped}&#x000A;",
        "br": f"{stripped} <br>{trail}",
        "backslash": f"{stripped} \\",
    }[kind]
    what = {"entity": "the entity &#x000A;", "br": "a <br> tag", "backslash": "a line-final backslash"}[kind]
    return Applied("T504", kind, f"{what} is left in the text", cell)


def _t505(s: _State) -> Applied | None:
    cell = _pick(s, lambda c: bool(_PHRASE.search(c.text, _label_end(c.text))))
    if cell is None:
        return None
    kind = s.pick_variant(("replacement-character", "mojibake", "quote-marks"))
    floor = _label_end(cell.text)
    text = cell.text
    if kind == "quote-marks":
        phrases = list(_PHRASE.finditer(text, floor))
        match = phrases[s.fine.integer(0, len(phrases) - 1)]
        cell.text = f"{text[: match.start()]}&{match.group()}8{text[match.end() :]}"
        return Applied("T505", kind, f"quote marks around {match.group()!r} turned into & and 8", cell)
    apostrophe = text.find("'", floor)
    if apostrophe >= 0:
        replacement = "\ufffd" if kind == "replacement-character" else "â€™"
        cell.text = text[:apostrophe] + replacement + text[apostrophe + 1 :]
    else:
        phrase = _PHRASE.search(text, floor)
        assert phrase is not None
        word_end = phrase.start() + len(phrase.group().split(" ")[0])
        replacement = "\ufffd" if kind == "replacement-character" else "â€™s"
        cell.text = text[:word_end] + replacement + text[word_end:]
    what = "U+FFFD" if kind == "replacement-character" else "mojibake â€™"
    return Applied("T505", kind, f"{what} in place of an apostrophe", cell)


def _t508(s: _State) -> Applied | None:
    cell = _pick(s, lambda c: " " in c.text.strip())
    if cell is None:
        return None
    char = s.pick_variant(_CONTROL)
    spaces = [m.start() for m in re.finditer(" ", cell.text.rstrip())]
    at = spaces[s.fine.integer(0, len(spaces) - 1)]
    cell.text = cell.text[:at] + char + cell.text[at:]
    return Applied("T508", "control-character", f"control character U+{ord(char):04X} in the text", cell)


# -- site text -------------------------------------------------------------------------------------

_LEADING = (
    (
        "WikiLeaks Link",
        "",
        "Understanding cables",
        "Every cable message consists of three parts: the header, the subject and the body.",
        "Discussing cables",
        "If you find meaningful information in a cable, please link to its reference ID.",
    ),
    ("Skip to content", "Home | About | Archives | Contact", "Posted on 2 September 2011 by admin"),
    ("Share this:", "Twitter", "Facebook", "Email"),
)
_TRAILING = (
    (
        "Leave a Reply",
        "",
        "You are commenting using your WordPress.com account. ( Log Out / Change )",
        "",
        "Notify me of new posts via email.",
    ),
    ("Share this:", "Twitter", "Facebook", "", "Like this:", "Be the first to like this."),
    ("Post a comment or leave a trackback: Trackback URL.",),
)


def _w601(s: _State) -> Applied | None:
    index = s.variant % len(_LEADING)
    s.sheet.before = [Cell(line) for line in _LEADING[index]]
    first = s.sheet.before[0]
    kind = ("cable-site-help", "blog-header", "share-bar")[index]
    return Applied("W601", kind, f"site text before the cable ({first.text})", first)


def _w602(s: _State) -> Applied | None:
    index = s.variant % len(_TRAILING)
    s.sheet.after = [Cell(line) for line in _TRAILING[index]]
    first = s.sheet.after[0]
    kind = ("comment-form", "share-buttons", "trackback")[index]
    return Applied("W602", kind, f"site text after the cable ({first.text})", first)


_APPLY: dict[str, Callable[[_State], Applied | None]] = {
    "P305": _p305,
    "T502": _t502,
    "P303": _p303,
    "S404": _s404,
    "S406": _s406,
    "H202": _h202,
    "H204": _h204,
    "M101": _m101,
    "M106": _m106,
    "T501": _t501,
    "T504": _t504,
    "T505": _t505,
    "T508": _t508,
    "W601": _w601,
    "W602": _w602,
}


def apply(lay: Layout, kinds: tuple[str, ...], chooser: Chooser) -> list[Applied]:
    """Put the damage into the layout's sheet (in place); return what was put in."""
    state = _State(lay, chooser)
    applied: list[Applied] = []
    for code in _ORDER:
        if code in kinds:
            # One draw a kind, whatever the kind: no kind is "simpler" for having fewer choices.
            state.variant = chooser.integer(0, 5)
            result = _APPLY[code](state)
            if result is not None:
                applied.append(result)
    return applied


def page_text_damage(lay: Layout, applied: list[Applied]) -> tuple[Damage, ...]:
    """The damage with its line in the page text."""
    numbers = lay.sheet.line_numbers()
    found = []
    for item in applied:
        line = lay.sheet.metadata_line() if item.anchor == "meta" else numbers[id(item.anchor)]
        found.append(Damage(item.code, line, item.kind, item.description))
    return tuple(sorted(found, key=lambda d: (d.line, d.code)))
