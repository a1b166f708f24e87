"""``parse``: a :class:`Document` becomes the cable as read and, when well-formed, a :class:`Cable`.

The parser never raises on damaged input and never drops a value it read: a malformed value is
kept as printed in ``ParsedCable.data`` (the ``cable/1-0-0`` document) and fails validation on
exactly that field. Rules read the same parse through ``ParsedCable.parts``, which keeps the
offsets of every element, so no rule parses the text again.

The work is line-based and linear: one split into lines, then a walk over the header block, the
caption area (which may be flattened onto one line in JSON records) and the body.
"""

from __future__ import annotations

import bisect
import datetime as _dt
import heapq
import re
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate, islice, repeat
from operator import itemgetter
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple

from . import _regex, chrome, grammar, vocab
from . import document as document_module
from .document import Document, Metadata, SourceMap

# pydantic and the models are imported when a cable is validated (ParsedCable.cable), which
# linting never asks for: a lint run does not import them (a tenth of a second before the
# workers start).
if TYPE_CHECKING:
    from pydantic import ValidationError

    from .model import Cable

# -- the parts: what rules see ---------------------------------------------------------------------


#: The words that open a pasted metadata table (the cable site's, PlusD's).
_METADATA_HEADINGS = ("reference", "canonical id")


@dataclass(slots=True)  # parses make many; slots make them cheaper to build and read
class Item:
    """A parsed element: its line index (0-based), text offsets and values as printed."""

    line: int
    start: int
    end: int
    values: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Header:
    start_line: int = 0
    end_line: int = 0  # exclusive
    partial: Item | None = None
    transmission_id: Item | None = None
    relay: Item | None = None
    de: Item | None = None  # a line starting "DE ": values hold the match groups when it parses
    signal: Item | None = None
    dtg: Item | None = None  # a precedence/DTG line; values empty when it does not parse
    fm: Item | None = None
    to: list[Item] = field(default_factory=list)
    info: list[Item] = field(default_factory=list)
    page_style: bool = False  # the 1990s "PAGE 01 ..." header layout


# weakref_slot: the rules' shared per-cable facts (validators/_shared.py) are keyed on a weak
# reference to the cable's Parts; without one, no fact is shared and each rule computes its own.
@dataclass(slots=True, weakref_slot=True)
class Parts:
    """Everything the parser found, with offsets into ``document.text``."""

    lines: list[str]
    line_starts: Sequence[int]
    cable_start_line: int
    cable_end_line: int  # exclusive: trailing chrome starts here
    leading_chrome: tuple[int, int] | None  # line range
    trailing_chrome: tuple[int, int] | None
    metadata_lines: tuple[int, int] | None
    header: Header
    caption: Item | None = None
    handling: list[Item] = field(default_factory=list)
    eo: Item | None = None
    tags: Item | None = None
    tag_items: list[Item] = field(default_factory=list)
    subject: Item | None = None
    references: Item | None = None
    classified_by: Item | None = None
    page_markers: list[Item] = field(default_factory=list)
    malformed_markers: list[Item] = field(default_factory=list)
    paragraphs: list[Item] = field(default_factory=list)
    spans: list[Item] = field(default_factory=list)  # summary/comment/note openers and closers
    redactions: list[Item] = field(default_factory=list)
    signature: Item | None = None
    trailers: list[Item] = field(default_factory=list)  # CABLE ENDS banners
    weekday_lines: list[Item] = field(default_factory=list)
    body_top_end_line: int = 0  # first line of the numbered body (after SUBJECT/REF/Classified)
    is_cable: bool = False
    #: ``pair_spans(parts)``, computed once.
    span_pairs: list[tuple[Item, Item | None]] | None = field(default=None, repr=False)

    def offset(self, line: int, column: int = 0) -> int:
        return self.line_starts[line] + column

    def line_end(self, line: int) -> int:
        return self.line_starts[line] + len(self.lines[line])


@dataclass(frozen=True)
class FieldError:
    """A field of the cable document that is not well-formed."""

    pointer: str  # JSON pointer into the document, e.g. /header/dtg
    message: str

    def __str__(self) -> str:
        return f"{self.pointer or '/'}: {self.message}"


class ParsedCable:
    """The result of :func:`parse`.

    ``data`` is the ``cable/1-0-0`` document as read; ``cable`` is the validated :class:`Cable`,
    or None when it is not well-formed; ``errors`` says which fields are not. ``parts`` holds
    where each element is, which is all the rules read: the document and its validation are
    built on first use, so linting does not pay for them.
    """

    __slots__ = ("_data", "_validated", "document", "internal_error", "parts")

    def __init__(
        self,
        document: Document,
        parts: Parts,
        data: dict[str, Any] | None = None,
        validated: tuple[Cable | None, list[FieldError]] | None = None,
        internal_error: str | None = None,
    ) -> None:
        self.document = document
        self.parts = parts
        self.internal_error = internal_error
        self._data = data
        self._validated = validated

    @property
    def data(self) -> dict[str, Any]:
        if self._data is None:
            try:
                self._data = _data(self.document, self.parts)
            except Exception as exc:  # never raise on any input: the text and metadata as read
                self._data = _fallback_data(self.document)
                self._validated = (None, [FieldError("", "the parser failed")])
                self.internal_error = f"{type(exc).__name__}: {exc}"
        return self._data

    @property
    def cable(self) -> Cable | None:
        return self._validation()[0]

    @property
    def errors(self) -> list[FieldError]:
        return self._validation()[1]

    def _validation(self) -> tuple[Cable | None, list[FieldError]]:
        from pydantic import ValidationError

        from .model import Cable

        data = self.data
        if self._validated is None:
            try:
                self._validated = (Cable.model_validate(data), [])
            except ValidationError as exc:
                self._validated = (None, _errors(exc))
        return self._validated

    @property
    def reference_id(self) -> str | None:
        value = self.document.metadata.reference_id  # what ``data["reference_id"]`` holds
        return value if isinstance(value, str) else None

    @property
    def is_cable(self) -> bool:
        return self.parts.is_cable

    def __repr__(self) -> str:
        return f"ParsedCable(reference_id={self.reference_id!r}, path={self.document.path!r})"


# -- helpers ---------------------------------------------------------------------------------------

_WS = _regex.compile(r"\s+")
_LEADING_SPACE = _regex.compile(r"\s*")  # what str.lstrip() removes, measured without a copy
_SIGNATURE = _regex.compile(
    r"^\s*(?P<name>(?:[A-Z][A-Za-z'’.-]*|van|von|de|del|da|le|la)"
    r"(?:\s+(?:[A-Z][A-Za-z'’.-]*|van|von|de|del|da|le|la|jr\.?|sr\.?)){0,3})"
    r"\s*(?:#{1,2})?\s*$"
)
_SIGNATURE_TAIL = _regex.compile(
    r"(?:[.!?\"”)]|\b(?:END|End)\s+(?:COMMENT|Comment|SUMMARY|Summary|NOTE|Note|TEXT|Text)\.?)\s+#?"
    r"(?P<name>[A-Z][A-Z'.-]{2,}(?:\s+[A-Z][A-Z'.-]{1,}){0,2})\s*$"
)
#: Lines after the signer that are not the cable's words: transport and site leftovers, stamps.
_AFTER_SIGNER = _regex.compile(
    r"^(?:NNNN|Nnnn|BT|#{1,3}|>|<[^<>]{1,80}>|END CABLE TEXT|End Cable Text|"
    r"Declassified/Released\b.*|Systematic Review\b.*)$"
)
_NOT_SIGNERS = frozenset(
    {
        "UNCLASSIFIED",
        "UNCLAS",
        "CONFIDENTIAL",
        "SECRET",
        "NOFORN",
        "SIPDIS",
        "NNNN",
        "BT",
        "END",
        "TEXT",
        "SENSITIVE",
        "LIMITED",
        "OFFICIAL",
        "USE",
        "ONLY",
        "COMMENT",
        "SUMMARY",
        "NOTE",
        "THANKS",
        "THANK",
        "YOU",
        "REGARDS",
        "END TEXT",
        "QUOTE",
        "UNQUOTE",
        "MINIMIZE",
        "CONSIDERED",
        "EXDIS",
        "NODIS",
        "XXXXXXXXXXXX",
    }
)
_REF_ITEM = _regex.compile(r"(?:^|(?<=[\s;,]))(?:\(([A-Z])\)|([A-Z])[.)])\s+(?=\S)")
_REF_CABLE = _regex.compile(
    r"(?:(?P<year>[0-9]{2}|[0-9]{4})\s+)?(?P<post>[A-Z][A-Z .]{1,24}?)\s+0*(?P<serial>[1-9][0-9]{0,6})\b"
)
_TAG_TOKENS = _regex.compile(r"\([^()]{1,80}\)|[^\s,;()]+")
_HANDLING_INLINE = _regex.compile(r"\b(SIPDIS|NOFORN|SENSITIVE|EXDIS|NODIS|LIMDIS)\b", re.I)
_MAX_TOP_LINES = 80
#: Bounded work per document: no real cable has more than a few hundred paragraphs, markers or
#: summary/comment/note words; a text with thousands is noise, and only the first are read.
MAX_ITEMS = 2000
_MAX_SPAN_CANDIDATES = MAX_ITEMS
_RI_LINE = _regex.compile(r"^(?:[A-Z]{4,8})(?:\s+[A-Z]{4,8})*$")
_MARKER_HINT = _regex.compile(r"OF[ \t]{1,3}[0-9]{1,4}(?![0-9])")
#: ``_MARKER_HINT`` and its damaged form ``0F nnn`` less their first character: one scan finds
#: both, told apart by the character before the F.
_MARKER_HINT_F = _regex.compile(_MARKER_HINT.pattern[1:])
_MARKER_HINT_LOWER = _regex.compile(r"of[ \t]{1,3}[0-9]{1,4}(?![0-9])")
#: Both hints (``OF``/``0F`` and ``of``) in the lower-cased text, by the F: one scan instead of two.
_MARKER_HINT_FOLDED = _regex.compile(_MARKER_HINT_LOWER.pattern[1:])
#: A paragraph opening a line after the first: ``PARAGRAPH_START`` after a newline, so that one scan
#: with a literal prefix finds them all (a match never reaches past its line).
_PARAGRAPH_LINE = _regex.compile("\n" + grammar.PARAGRAPH_START.pattern.removeprefix("^"))
#: What a line can open with (after its blanks) where a line pattern matches, for a cheap test
#: before the pattern: a paragraph number, a handling word, TAGS (or AGS), SUBJECT or ``(U)
#: SUBJECT`` (``ſ`` is an S to a case-blind pattern).
_OPENS_PARAGRAPH = frozenset("123456789")
_OPENS_HANDLING = frozenset("SsNnEeLlCc\u017f")
_OPENS_TAGS = frozenset("TtAa")
_OPENS_SUBJECT = frozenset("Ss\u017f(")
_REDACTION_UPPER = _regex.compile(r"XXXXX+")
_REDACTION_LOWER = _regex.compile(r"xxxxx+")
_OLD_MARKER_HINT = _regex.compile(r"PAGE[ \t]+[0-9]{2,3}[ \t]")
_NOT_ASCII_LETTERS = bytes(c for c in range(256) if not chr(c).isalpha() or c > 127)
_NOT_ASCII_CAPITALS = bytes(c for c in range(256) if not chr(c).isupper() or c > 127)
_DECL_NA = _regex.compile(r"^\s*(?:DECL\s*:?\s*)?N\s*/\s*A\b", re.I)
_OADR = _regex.compile(r"\bOADR\b", re.I)
_NA = _regex.compile(r"\bN\s*/\s*A\b", re.I)
_TAG_CONTINUED = _regex.compile(r"^\s*[A-Z]{2,5},")
_REF_LETTERED = _regex.compile(r"^\s*(?:\(?[A-Z][.)]|[A-Z]\))\s+\S")
_CABLE_END_BANNER = _regex.compile(r"^=+\s*CABLE\s+END", re.I)
_CLASSIFICATION_LINE = _regex.compile(r"(?:UNCLASSIFIED|CONFIDENTIAL|SECRET|LIMITED OFFICIAL USE)(?:\s+\S+)?")
_STRAY_PUNCTUATION = _regex.compile(r"[.\"”']{1,2}")
_SINGLE_NAME = _regex.compile(r"\s*[A-Z][a-z'’-]{2,20}")
_REASONS = _regex.compile(r"\b(?:for\s+)?(?:reasons?|reason\(s\))\b\s*:?|;\s*(?=1\.[45])", re.I)
_REASONS_STOP = _regex.compile(r"[0-9]{2,}|\b(?:of|the|E\.O)\b", re.I)
#: Every character ``\s`` matches (``str.isspace``; a test holds the list to it).
WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
    "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
#: What ``[\s."”']+$`` removes from the end of a line, removed by ``str.rstrip`` (linear).
_TRAILING_PUNCTUATION = WHITESPACE + ".\"”'"


def _squeeze(value: str) -> str:
    """Runs of whitespace as one space, none at the ends (``str.split`` splits on exactly what
    ``\\s`` matches)."""
    return " ".join(value.split())


def _line_starts(lines: list[str]) -> Sequence[int]:
    """The offset of each line in the text the lines were split from (on newlines); an array of
    machine integers past ``document.COMPACT_LINES`` lines."""
    if len(lines) > document_module.COMPACT_LINES:
        return array("q", accumulate((len(line) + 1 for line in islice(lines, len(lines) - 1)), initial=0))
    starts = [0]
    append = starts.append
    total = 0
    for line in lines[:-1]:
        total += len(line) + 1
        append(total)
    return starts


# -- hinted searches -------------------------------------------------------------------------------
#
# Most grammar patterns open with a lookbehind, a word boundary or (case-blind) a letter, which
# gives the regex engine no literal to skip ahead to: a search tries the whole pattern at every
# character, 20-60 ns each, and flattened cables have lines of tens of kilobytes. Every match of
# such a pattern contains a literal (its hint) a bounded number of characters after its start, so
# only the positions just before each occurrence of the hint, found by str.find, need trying. The
# matches are exactly those of the pattern's own search (tests/test_parser_hints.py checks every
# hint against the pattern).


class _Hint(NamedTuple):
    """``pattern``: every match has ``needle`` at ``lo``..``hi`` characters after its start; in
    the lower-cased line when ``folded`` (case-blind patterns). ``guard(line, at)``, when given,
    is false where no match can have its needle at ``at`` (it reads characters of the match)."""

    pattern: re.Pattern[str]
    needle: str | re.Pattern[str]
    lo: int
    hi: int
    folded: bool = False
    guard: Callable[[str, int], bool] | None = None


def _needles(needle: str | re.Pattern[str], hay: str, start: int, end: int) -> Iterator[int]:
    """Positions of the needle in ``hay[start:end]``. A pattern stands for the last character of
    each of its matches; every match of the hinted pattern must contain one of its matches (which
    must not overlap one another), so that its scan finds it."""
    if isinstance(needle, str):
        found = hay.find(needle, start, end)
        while found >= 0:
            yield found
            found = hay.find(needle, found + 1, end)
    else:
        for match in needle.finditer(hay, start, end):
            yield match.end() - 1


#: Characters that a case-blind pattern matches to an ASCII letter though they do not lower-case to
#: it (``İ`` also lower-cases to two characters): a line holding one is searched by the pattern.
_FOLD_TRAPS = ("\u0130", "\u0131", "\u017f", "\u212a")


def _fold_safe(line: str) -> bool:
    """Whether the lower-cased line finds what a case-blind pattern finds, position for position."""
    return line.isascii() or not any(trap in line for trap in _FOLD_TRAPS)


#: A text longer than this that is not ASCII is lower-cased a piece at a time (see _lower).
_LOWER_PIECE = 1 << 20
#: Where a piece of :func:`lowered_pieces` may end: before whitespace (what str.split() splits on).
_SPACE = _regex.compile(r"\s")


def lowered_pieces(text: str, size: int) -> Iterator[str]:
    """``text.lower()`` in pieces of about ``size`` characters, each cut before whitespace: no
    character's lower case depends on what is past a blank (the final sigma reads the letters
    around it), and no word is split. Lower-casing a text that is not ASCII works in a buffer of
    twelve bytes a character: 266 MB at once for a text of 19 MB."""
    start = 0
    while start < len(text):
        cut = _SPACE.search(text, start + size)
        end = cut.start() if cut is not None else len(text)
        yield text[start:end].lower()
        start = end


#: The ASCII bytes: deleted from a text's UTF-8, they leave the bytes of its other characters.
_ASCII_BYTES = bytes(range(128))


def _lower(text: str) -> str:
    """``text.lower()``, a megabyte at a time for a long text that is not ASCII."""
    if text.isascii():
        return text.lower()
    if len(text) <= _LOWER_PIECE:
        # A text that is not ASCII is lower-cased a character at a time through the Unicode
        # tables, at several times the cost of ASCII, though a cable's other characters are
        # mostly curly quotes and dashes, which have no lower case. Where none of them has one
        # (Σ has: it changes, as all do that read their neighbours), lower-casing changes the ASCII
        # letters alone, which bytes.lower() does on the UTF-8 (every byte of a longer sequence is
        # past ASCII). A lone surrogate has no UTF-8: that text goes the long way.
        try:
            raw = text.encode("utf-8")
        except UnicodeEncodeError:
            return text.lower()
        others = raw.translate(None, _ASCII_BYTES).decode("utf-8")
        return raw.lower().decode("utf-8") if others.lower() == others else text.lower()
    return "".join(lowered_pieces(text, _LOWER_PIECE))


def _fold(line: str) -> str | None:
    """The line lower-cased, position for position, or None when that is not safe for a hint."""
    return line.lower() if _fold_safe(line) else None


def _hinted_finditer(
    hint: _Hint, line: str, start: int = 0, end: int | None = None, folded: str | None = None
) -> Iterator[re.Match[str]]:
    """``hint.pattern.finditer(line, start, end)``, trying only positions near the hint.
    ``folded``: ``_fold(line)`` when the caller has it."""
    pattern, needle, lo, hi, fold, guard = hint
    if end is None:
        end = len(line)
    hay = line
    if fold:
        hay = folded if folded is not None else _fold(line)  # type: ignore[assignment]
        if hay is None:
            yield from pattern.finditer(line, start, end)
            return
    position = start  # the first position not tried yet
    # Where the hint is dense (a line of "(((("), trying positions one by one would cost more than
    # the regex engine's own scan: past this many tries, the pattern scans the rest itself.
    budget = (end - start) // 32 + 16
    for found in _needles(needle, hay, start, end):
        if found < position + lo or (guard is not None and not guard(line, found)):
            continue
        candidate = max(position, found - hi)
        last = found - lo
        budget -= last - candidate + 1
        if budget < 0:
            yield from pattern.finditer(line, position, end)
            return
        while candidate <= last:
            match = pattern.match(line, candidate, end)
            if match is None:
                candidate += 1
                continue
            yield match
            position = candidate = match.end() if match.end() > candidate else candidate + 1
        position = max(position, last + 1)


def _hinted_search(
    hint: _Hint, line: str, start: int = 0, end: int | None = None, folded: str | None = None
) -> re.Match[str] | None:
    """``hint.pattern.search(line, start, end)``, trying only positions near the hint."""
    pattern, needle, lo, _, fold, _ = hint
    if end is None:
        end = len(line)
    hay = line
    if fold:
        hay = folded if folded is not None else _fold(line)  # type: ignore[assignment]
        if hay is None:
            return pattern.search(line, start, end)
    if isinstance(needle, str) and hay.find(needle, start + lo, end) < 0:
        return None
    return next(_hinted_finditer(hint, line, start, end, hay if fold else None), None)


def _order_after_label(line: str, at: int) -> bool:
    """An E.O. order (``1`` and three digits) after its label (``.``, ``O``, ``0``, ``:``, a blank)."""
    before = line[at - 1]
    return (before in ".Oo0:" or before.isspace()) and line[at + 1 : at + 4].isdigit()


_EO_LABEL = _Hint(grammar.EO_LABEL, "1", 2, 11, guard=_order_after_label)  # "E. O. : 12958": the order
_TAGS_GLUED = _Hint(grammar.TAGS_GLUED, "TAGS", 0, 0)
_TAGS_INLINE = _Hint(grammar.TAGS_INLINE, "tags", 0, 0, folded=True)
_SUBJECT_INLINE = _Hint(grammar.SUBJECT_INLINE, "subj", 0, 0, folded=True)
_REF_INLINE = _Hint(grammar.REF_INLINE, "ref", 0, 0, folded=True)
_CLASSIFIED_BY = _Hint(grammar.CLASSIFIED_BY, "classified", 0, 0, folded=True)
#: ``grammar.PARAGRAPH_INLINE`` ("12a.   (C)") found at its dot. The pattern opens with a
#: lookbehind, which gives the regex engine no literal to skip to: here the dot opens it, and what
#: stands before it (a number of one or two digits, a letter, and what may precede the number) is
#: read by lookbehinds of fixed widths, one per form. The forms exclude one another (no digit may
#: precede the number, and a letter is no digit), so a dot ends one number at most, which
#: ``_paragraph_at_dot`` reads back. A match ends where the pattern's does, and its number cannot
#: start inside the match before it (which ends with a bracket): the matches are the pattern's
#: (tests/test_parser_fast_paths.py holds them to it). A scan in C, where a hinted search tried
#: each dot before a bracket in Python (a line of kilobytes has dozens).
_BEFORE_INLINE_NUMBER = r"[.!?:\"')\]\s\-”’]"
_INLINE_NUMBERS = ("[1-9]", "[1-9][0-9]", "[1-9][a-z]", "[1-9][0-9][a-z]")
_PARAGRAPH_INLINE_DOT = _regex.compile(
    r"\.(?:"
    + "|".join(rf"(?<={_BEFORE_INLINE_NUMBER}{number}\.)" for number in _INLINE_NUMBERS)
    + r")[ \t]{0,3}\((?P<mark>(?:TS|S|C|U|SBU|LOU)(?:[/ -][^()\n]{0,30})?)\)"
)


def _paragraph_at_dot(line: str, dot: int) -> tuple[int, str, str | None]:
    """Where the match of ``grammar.PARAGRAPH_INLINE`` whose dot is at ``dot`` starts, and its
    number and letter (a match of ``_PARAGRAPH_INLINE_DOT`` starts at the dot)."""
    sub = line[dot - 1] if "a" <= line[dot - 1] <= "z" else None
    digits_end = dot - 1 if sub is not None else dot
    start = digits_end - 2 if "0" <= line[digits_end - 2] <= "9" else digits_end - 1
    return start, line[start:digits_end], sub


#: Every hint, for the test that holds each to its pattern.
HINTS = (_EO_LABEL, _TAGS_GLUED, _TAGS_INLINE, _SUBJECT_INLINE, _REF_INLINE, _CLASSIFIED_BY)


class _Parser:
    def __init__(self, document: Document) -> None:
        self.document = document
        text = document.text
        self.text = text
        self.lines = text.split("\n")
        starts = _line_starts(self.lines)
        self.starts = starts
        document._line_starts = starts
        self._paren_matches: dict[int, int] | None = None
        self._lowered: str | None = None
        # The partial-extract banner is searched on many lines; a text without its words (lower-
        # cased, where that is exact for a case-blind pattern) has it on none.
        # Whether the lower-cased text keeps every character's position (scans of it find places
        # in the text).
        self._text_fold_safe = _fold_safe(text)
        folded = self.lowered if self._text_fold_safe else None
        self._may_be_partial = folded is None or "partial extract" in folded
        self._paren_from = 0
        self._paren_breaks: list[int] = []
        self._paren_break_scan: Iterator[re.Match[str]] | None = None
        self._paren_done: set[int] = set()

    @property
    def lowered(self) -> str:
        """The text lower-cased (once)."""
        if self._lowered is None:
            self._lowered = _lower(self.text)
        return self._lowered

    # positions -----------------------------------------------------------------------------------

    def line_of(self, offset: int) -> int:
        index = bisect.bisect_right(self.starts, offset) - 1
        return index if index > 0 else 0

    def item(self, line: int, start_col: int = 0, end_col: int | None = None, **values: Any) -> Item:
        base = self.starts[line]
        end = len(self.lines[line]) if end_col is None else end_col
        return Item(line, base + start_col, base + end, values)

    # the walk ------------------------------------------------------------------------------------

    def run(self) -> Parts:
        document = self.document
        lines = self.lines
        cable_start_line = self.line_of(document.cable_start) if document.cable_start else 0
        metadata_lines: tuple[int, int] | None = None
        if document.cable_start:
            header_line = cable_start_line - 1
            while header_line > 0 and not any(word in lines[header_line].lower() for word in _METADATA_HEADINGS):
                header_line -= 1
            metadata_lines = (max(0, header_line), cable_start_line)
        first_cable_line = self._first_cable_line(cable_start_line)
        leading: tuple[int, int] | None = None
        if metadata_lines is not None:
            if any(line.strip() for line in lines[: metadata_lines[0]]):
                leading = (0, metadata_lines[0])
        elif first_cable_line is not None and first_cable_line > 0:
            end = chrome.leading_block(lines, 0, first_cable_line)
            if end is not None:
                leading = (0, end)
        if first_cable_line is None:
            first_cable_line = cable_start_line
        trailing_start = chrome.trailing_block(lines, first_cable_line, len(lines))
        if document.quoted_end is not None:
            # A mail's own text after what it quotes: its reply and signature, not the cable's.
            reply = self.line_of(document.quoted_end)
            while reply < len(lines) - 1 and not lines[reply].strip():
                reply += 1
            if first_cable_line < reply < (trailing_start if trailing_start is not None else len(lines)) and any(
                line.strip() for line in lines[reply:]
            ):
                trailing_start = reply
        trailing = (trailing_start, len(lines)) if trailing_start is not None else None
        cable_end_line = trailing_start if trailing_start is not None else len(lines)
        parts = Parts(
            lines=lines,
            line_starts=self.starts,
            cable_start_line=first_cable_line,
            cable_end_line=cable_end_line,
            leading_chrome=leading,
            trailing_chrome=trailing,
            metadata_lines=metadata_lines,
            header=Header(start_line=first_cable_line, end_line=first_cable_line),
        )
        self.parts = parts
        self._header()
        self._caption_area()
        self._page_markers()
        self._paragraphs()
        self._spans()
        self._redactions()
        self._ending()
        parts.is_cable = bool(
            parts.header.dtg
            or parts.header.de
            or parts.header.fm
            or parts.caption
            or parts.eo
            or parts.tags
            or parts.subject
            or parts.paragraphs
            or parts.page_markers
            or parts.header.partial
        )
        return parts

    def _first_cable_line(self, start: int) -> int | None:
        """The first line that belongs to a cable (header, caption, labels, paragraphs)."""
        lines = self.lines
        limit = min(len(lines), start + 400)
        for index in range(start, limit):
            line = lines[index]
            stripped = line.strip()
            if not stripped or chrome.is_site_row(stripped) or chrome.in_mail_headers(lines, index):
                continue
            if (
                (self._may_be_partial and grammar.PARTIAL_BANNER.search(line))
                or stripped.startswith("VZCZ")
                or grammar.DE_LINE_START.match(stripped)
                or grammar.DTG_LINE_ANY.match(stripped)
                # A DTG line too damaged to parse still opens a header that starts with it (H204).
                or (grammar.DTG_LINE_LOOSE.match(stripped) and self._next_nonblank_startswith(index + 1, ("FM ",)))
                or grammar.RELAY_LINE.match(stripped)
                or grammar.SIGNAL_LINE_START.match(stripped)
                or grammar.OLD_PAGE_MARKER.match(stripped)
                or (grammar.CAPTION_LEVEL.match(stripped) and self._caption_match(stripped))
                or grammar.EO_LABEL.match(stripped)
                or grammar.TAGS_LABEL.match(stripped)
                or grammar.SUBJECT_LABEL.match(stripped)
                or grammar.PAGE_MARKER.match(stripped)
                or grammar.WEEKDAY_DATE_LINE.match(stripped)
                or grammar.CABLE_DATED.match(stripped)
                or grammar.HANDLING_LINE.match(stripped)
                or (grammar.PARAGRAPH_START.match(stripped) and "(" in stripped[:8])
                or stripped.startswith(("FM ", "TO ", "<<"))
                or (
                    "\t" in stripped
                    and grammar.REFERENCE_ID.match(stripped.split("\t")[1] if stripped.count("\t") else "")
                )
            ):
                return index
        return None

    # header --------------------------------------------------------------------------------------

    def _header(self) -> None:
        parts = self.parts
        header = parts.header
        lines = self.lines
        index = parts.cable_start_line
        end = parts.cable_end_line
        body_line = None
        if self.document.body_start is not None and self.document.body_start > 0:
            body_line = self.line_of(self.document.body_start)
            end = min(end, body_line)
        first = index
        while first < end and not lines[first].strip():
            first += 1
        if first < end and len(lines[first]) > 60 and self._flat_header(first):
            header.end_line = first + 1 if body_line is None else max(first + 1, body_line)
            return
        state = "start"  # start -> addressees (TO/INFO continuation)
        last_list: list[Item] | None = None
        seen_any = False
        while index < end:
            raw = lines[index]
            line = raw.strip().rstrip("\\").strip()
            if not line:
                if seen_any and state == "addressees" and body_line is None:
                    index += 1
                    break
                index += 1
                continue
            if self._may_be_partial and grammar.PARTIAL_BANNER.search(line):
                header.partial = self.item(index)
                glued = grammar.BARE_DTG.search(line)
                if glued and not header.dtg:
                    header.dtg = self.item(index, glued.start(), glued.end(), **self._dtg_values(glued, ""))
                seen_any = True
                index += 1
                continue
            if "\t" in line and not seen_any:
                # A raw dump row: "2007-09-11 09:44:00<TAB>07BERN881<TAB>...<TAB>VZCZCXRO4549\".
                tid = grammar.TRANSMISSION_ID.search(line)
                if tid and not header.transmission_id:
                    header.transmission_id = self.item(
                        index,
                        raw.find(tid.group()),
                        raw.find(tid.group()) + len(tid.group()),
                        value=tid.group(),
                    )
                    seen_any = True
                index += 1
                continue
            if line.startswith("VZCZ") and not header.transmission_id:
                token = line.split()[0]
                column = raw.find(token)
                header.transmission_id = self.item(index, column, column + len(token), value=token)
                seen_any = True
                index += 1
                continue
            # Each line is one of a few kinds, told apart by its opening: a literal prefix is tested
            # before each pattern (a failed str.startswith costs a tenth of a failed match).
            relay = (
                grammar.RELAY_LINE.match(line)
                if state == "start" and not header.relay and not header.dtg and line[0] in "ZOPR"
                else None
            )
            if relay:
                header.relay = self.item(index, value=line, precedence=relay.group(1))
                seen_any = True
                index += 1
                # Relay indicators may wrap onto further lines.
                while index < end and _RI_LINE.match(lines[index].strip().rstrip("\\").strip()):
                    header.relay.values["value"] += " " + lines[index].strip().rstrip("\\").strip()
                    header.relay.end = self.starts[index] + len(lines[index])
                    index += 1
                continue
            if line.startswith("DE") and grammar.DE_LINE_START.match(line) and not header.de:
                match = grammar.DE_LINE.match(line)
                column = raw.find("DE")
                values = match.groupdict() if match else {}
                header.de = self.item(index, column, len(raw.rstrip().rstrip("\\").rstrip()), **values)
                if match:
                    header.de.values["_spans"] = {
                        name: (column + match.start(name), column + match.end(name))
                        for name in ("indicator", "serial", "section", "julian_day", "time")
                        if match.group(name) is not None
                    }
                seen_any = True
                index += 1
                continue
            if line.startswith("ZN") and grammar.SIGNAL_LINE_START.match(line) and not header.signal:
                match = grammar.SIGNAL_LINE.match(line)
                column = raw.find("ZN")
                header.signal = self.item(
                    index,
                    column,
                    column + len(line),
                    value=line,
                    **({"signal": match.group("signal"), "level": match.group("level")} if match else {}),
                )
                seen_any = True
                index += 1
                continue
            if not header.dtg or (header.partial and header.dtg and header.dtg.line == header.partial.line):
                # Every DTG line, however damaged, has a blank after its first letter.
                dtg_like = line[1:2].isspace()
                match = (grammar.DTG_LINE.match(line) or grammar.DTG_LINE_ANY.match(line)) if dtg_like else None
                if match:
                    column = raw.find(line[:3])
                    header.dtg = self.item(
                        index,
                        column,
                        column + len(line),
                        **self._dtg_values(match, match.group("precedence")),
                    )
                    header.dtg.values["signal"] = match.group("signal")
                    seen_any = True
                    state = "start"
                    index += 1
                    continue
                if (
                    dtg_like
                    and not header.fm
                    and grammar.DTG_LINE_LOOSE.match(line)
                    and (
                        (header.de is not None or header.signal is not None)
                        or (index + 1 < len(lines) and self._next_nonblank_startswith(index + 1, ("FM ", "FM:")))
                    )
                ):
                    # The line after the routing lines, or before FM, is the DTG line; this one does
                    # not parse (H204).
                    column = raw.find(line[:2])
                    header.dtg = self.item(index, column, column + len(line), raw=line)
                    seen_any = True
                    index += 1
                    continue
            if line.startswith("PAGE") and grammar.OLD_PAGE_MARKER.match(line) and not header.fm:
                header.page_style = True
                seen_any = True
                index += 1
                continue
            if header.page_style and not header.fm and grammar.DISTRIBUTION_LINE.match(line):
                state = "distribution"
                index += 1
                continue
            fm = grammar.FM_LINE.match(line) if line.startswith("FM") else None
            if fm and not header.fm:
                column = raw.find("FM")
                header.fm = self.item(index, column, column + len(line), value=fm.group("value"))
                state = "start"
                seen_any = True
                index += 1
                continue
            to = grammar.TO_LINE.match(line) if line.startswith("TO") else None
            if to and header.fm and not header.to:
                column = raw.find("TO")
                header.to.append(self.item(index, column, column + len(line), value=to.group("value")))
                last_list = header.to
                state = "addressees"
                index += 1
                continue
            info = grammar.INFO_LINE.match(line) if line.startswith("INFO") else None
            if info and (header.fm or header.to) and not header.info and not grammar.DISTRIBUTION_LINE.match(line):
                column = raw.find("INFO")
                header.info.append(self.item(index, column, column + len(line), value=info.group("value")))
                last_list = header.info
                state = "addressees"
                index += 1
                continue
            if state == "distribution" and (raw.startswith(" ") or line.startswith("-")):
                index += 1
                continue
            if state == "addressees" and last_list is not None and self._is_addressee(line, index):
                at = self.starts[index] + raw.find(line[:3])  # built here: the commonest header line
                last_list.append(Item(index, at, at + len(line), {"value": line}))
                index += 1
                continue
            if line.startswith("BT") and grammar.BT_LINE.match(line):
                index += 1
                break
            if body_line is not None:
                # A delimited header block (the first <pre>): unknown lines do not end it.
                index += 1
                continue
            break
        if body_line is not None and index < body_line:
            index = body_line
        header.end_line = index if seen_any or body_line is not None else parts.cable_start_line

    _FLAT_DE = _regex.compile(
        r"DE (?P<indicator>[A-Z]{4,7}) #(?P<serial>[0-9]{4})(?:/(?P<section>[0-9]{2,3}))? "
        r"(?P<julian_day>[0-9]{3})(?P<time>[0-9]{4})"
    )
    _FLAT_SIGNAL = _regex.compile(r"ZN[RY] [A-Z]{5}(?: ZZH| ZFR| ZFD| ZZK| ZDK)?")
    _FLAT_DTG = _regex.compile(
        r"(?P<precedence>[ZOPR](?: [ZOPR])?) (?P<day>[0-9]{2})(?P<hour>[0-9]{2})(?P<minute>[0-9]{2})Z "
        r"(?P<month>[A-Z]{3}) (?P<year>[0-9]{2})"
    )
    _FLAT_TID = _regex.compile(r"VZCZC[A-Z]{3}[0-9]{4}")
    _FLAT_FM = _regex.compile(r"FM (?P<value>.{3,80}?)(?=TO [A-Z]|$)")
    _FLAT_TO = _regex.compile(r"TO (?P<value>.+?)(?=INFO [A-Z]|$)")
    _FLAT_INFO = _regex.compile(r"INFO (?P<value>.+)$")

    def _flat_header(self, index: int) -> bool:
        """A header whose newlines were deleted (JSON records): find its parts inside the line."""
        line = self.lines[index]
        header = self.parts.header
        window = line[:20000]
        found = 0
        tid = self._FLAT_TID.search(window)
        de = self._FLAT_DE.search(window)
        signal = self._FLAT_SIGNAL.search(window)
        dtg = self._FLAT_DTG.search(window, de.end() if de else 0)
        if sum(x is not None for x in (tid, de, signal, dtg)) < 2 and not (
            dtg is not None and dtg.start() < 20 and self._FLAT_FM.search(window, dtg.end(), dtg.end() + 3)
        ):
            return False
        if tid:
            header.transmission_id = self.item(index, tid.start(), tid.end(), value=tid.group())
            found += 1
        if de:
            values: dict[str, Any] = de.groupdict()
            values["_spans"] = {k: (de.start(k), de.end(k)) for k in values if values[k] is not None}
            header.de = self.item(index, de.start(), de.end(), **values)
        if signal:
            header.signal = self.item(
                index,
                signal.start(),
                signal.end(),
                value=signal.group(),
                signal=signal.group()[:3],
                level=signal.group()[4:9],
            )
        if dtg:
            header.dtg = self.item(index, dtg.start(), dtg.end(), **self._dtg_values(dtg, dtg.group("precedence")))
            header.dtg.values["signal"] = None
            fm = self._FLAT_FM.search(window, dtg.end())
            if fm:
                header.fm = self.item(index, fm.start(), fm.end("value"), value=fm.group("value").strip())
                to = self._FLAT_TO.search(window, fm.end("value"))
                if to:
                    header.to.append(self.item(index, to.start(), to.end("value"), value=to.group("value").strip()))
                    info = self._FLAT_INFO.search(window, to.end("value"))
                    if info:
                        header.info.append(
                            self.item(index, info.start(), info.end("value"), value=info.group("value").strip())
                        )
        return True

    #: How the lines ``_is_addressee`` rules out by pattern can open (a caption level, an E.O.,
    #: TAGS or SUBJECT label, a paragraph number, a handling word; ``ſ`` is an S to a case-blind
    #: pattern). Addressees mostly open with an R (``RUEHC/SECSTATE``), and skip the patterns.
    _NOT_ADDRESSEE_OPENINGS = frozenset("UuCcSs\u017fTtLlEeAaNn(123456789")

    def _is_addressee(self, line: str, index: int) -> bool:
        # Addressees are upper case plain-language addresses, optionally RI/ prefixed.
        if len(line) >= 120:
            return False
        opening = line[:1]
        if opening in self._NOT_ADDRESSEE_OPENINGS or opening.isspace():
            if grammar.CAPTION_LEVEL.match(line) and self._caption_match(line):
                return False
            if grammar.EO_LABEL.match(line) or grammar.TAGS_LABEL.match(line) or grammar.SUBJECT_LABEL.match(line):
                return False
            if grammar.PARAGRAPH_START.match(line) or grammar.HANDLING_LINE.match(line):
                return False
        if line.isascii():  # letters and capitals counted in C
            raw = line.encode("ascii")
            letters = len(raw.translate(None, _NOT_ASCII_LETTERS))
            capitals = len(raw.translate(None, _NOT_ASCII_CAPITALS))
            return letters > 0 and capitals >= 0.9 * letters
        alphabetic = [c for c in line if c.isalpha()]
        return bool(alphabetic) and sum(c.isupper() for c in alphabetic) >= 0.9 * len(alphabetic)

    def _next_nonblank_startswith(self, index: int, prefixes: tuple[str, ...]) -> bool:
        for offset in range(index, min(len(self.lines), index + 3)):
            line = self.lines[offset].strip()
            if line:
                return line.startswith(prefixes)
        return False

    @staticmethod
    def _dtg_values(match: re.Match[str], precedence: str) -> dict[str, Any]:
        stamp = grammar.dtg_timestamp(
            match.group("day"),
            match.group("hour"),
            match.group("minute"),
            match.group("month"),
            match.group("year"),
        )
        return {
            "precedence": precedence.split(),
            "timestamp": stamp,
            "raw": match.group(),
            "day": match.group("day"),
            "hour": match.group("hour"),
            "minute": match.group("minute"),
            "month": match.group("month"),
            "year": match.group("year"),
        }

    # caption area --------------------------------------------------------------------------------

    def _caption_match(self, line: str) -> re.Match[str] | None:
        """The caption's rest (post, serial) after its level; a caption cut after ``SECTION nn OF
        mm`` (its post wrapped or lost) still counts as a caption line."""
        level = grammar.CAPTION_LEVEL.match(line)
        if not level:
            return None
        rest = grammar.CAPTION_REST.match(line, level.end())
        if rest is None:
            head = grammar.CAPTION_HEAD.match(line, level.end())
            if head is not None and head.group("section") is not None:
                return head
        return rest

    def _caption_area(self) -> None:
        parts = self.parts
        lines = self.lines
        start = parts.header.end_line
        end = min(parts.cable_end_line, start + _MAX_TOP_LINES)
        index = start
        # Weekday date line of newspaper versions, then the caption.
        while index < end:
            line = lines[index]
            stripped = line.strip()
            if not stripped:
                index += 1
                continue
            if grammar.WEEKDAY_DATE_LINE.match(stripped):
                parts.weekday_lines.append(self.item(index))
                index += 1
                continue
            dated = grammar.CABLE_DATED.match(line)
            if dated and not line[dated.end() :].strip():
                parts.weekday_lines.append(self.item(index))
                index += 1
                continue
            break
        if (
            index < end
            and not grammar.CAPTION_LEVEL.match(lines[index])
            and not grammar.CABLE_DATED.match(lines[index])
        ):
            index = self._after_preamble(index, end)
        if index < end:
            line = lines[index]
            # "Cable dated:2006-06-08T06:52:00S E C R E T ...": a dateline glued before the caption.
            dated = grammar.CABLE_DATED.match(line)
            offset = dated.end() if dated else 0
            level = grammar.CAPTION_LEVEL_AT.match(line, offset) if offset else grammar.CAPTION_LEVEL.match(line)
            if dated and level is None:
                parts.weekday_lines.append(self.item(index, 0, offset))
            if level:
                rest = grammar.CAPTION_REST.match(line, level.end())
                values: dict[str, Any] = {
                    "level": grammar.level_of(level.group("level")),
                    "text": line[offset:].strip(),
                }
                caption_end = len(line)
                wrapped = self._wrapped_caption(index, level.end(), end) if rest is None else None
                if wrapped is not None:
                    values.update(wrapped)
                    values["text"] = _squeeze(line + " " + lines[wrapped["wrapped_line"]])
                elif rest is None:
                    head = grammar.CAPTION_HEAD.match(line, level.end())
                    if head is not None and head.group("section") is not None:
                        # Post and serial lost or unreadable: the caption ends after its section.
                        caption_end = head.end()
                        values.update(
                            section=head.group("section"),
                            sections=head.group("sections"),
                            caveat=_squeeze(head.group("caveat") or ""),
                            _spans={key: head.span(key) for key in ("section", "sections")},
                        )
                        values["text"] = line[: head.end()].strip()
                if rest:
                    values.update(
                        section=rest.group("section"),
                        sections=rest.group("sections"),
                        post=_squeeze(rest.group("post")),
                        serial=rest.group("serial"),
                        caveat=_squeeze(rest.group("caveat") or ""),
                        yy=rest.group("yy"),
                        _spans={
                            key: rest.span(key)
                            for key in ("section", "sections", "post", "serial")
                            if rest.group(key) is not None
                        },
                    )
                    caption_end = rest.end()
                    values["text"] = line[offset : rest.end()].strip()
                values["level_span"] = level.span("level")
                leading = level.start("level") if offset else len(line) - len(line.lstrip())
                if dated:
                    parts.weekday_lines.append(self.item(index, 0, offset))
                parts.caption = self.item(index, leading, caption_end, **values)
                index += 1 if caption_end >= len(line.rstrip()) else 0
                if wrapped is not None:
                    index = wrapped["wrapped_line"] + 1
        self._labels(index, end)

    def _after_preamble(self, index: int, end: int) -> int:
        """A news site's preamble before the caption (a headline, ``Class:``, ``Date:``, ``Key:``,
        ``Tags:`` lines): skip to the caption when one follows within a few lines and no E.O. or
        SUBJECT line comes first; otherwise stay."""
        lines = self.lines
        for probe in range(index, min(end, index + 12)):
            line = lines[probe]
            if grammar.EO_LABEL.match(line.strip()) or grammar.SUBJECT_LABEL.match(line):
                return index
            if grammar.CAPTION_LEVEL.match(line) and self._caption_match(line):
                return probe
        return index

    def _wrapped_caption(self, index: int, after_level: int, end: int) -> dict[str, Any] | None:
        """Caption values when the post and serial wrapped onto the next line
        (``C O N F I D E N T I A L SECTION 01 OF 02`` / ``TRIPOLI 000133``). Spans stay relative
        to the caption's own line start, so they may reach into the following line."""
        head = grammar.CAPTION_HEAD.match(self.lines[index], after_level)
        if head is None or self.lines[index][head.end() :].strip():
            return None
        for following in range(index + 1, min(end, index + 3)):
            if not self.lines[following].strip():
                continue
            post_line = grammar.CAPTION_POST_LINE.match(self.lines[following])
            if post_line is None or grammar.HANDLING_LINE.match(self.lines[following]):
                return None
            shift = self.starts[following] - self.starts[index]
            spans = {key: head.span(key) for key in ("section", "sections") if head.group(key) is not None}
            spans.update(
                {key: (post_line.start(key) + shift, post_line.end(key) + shift) for key in ("post", "serial")}
            )
            return {
                "section": head.group("section"),
                "sections": head.group("sections"),
                "post": _squeeze(post_line.group("post")),
                "serial": post_line.group("serial"),
                "caveat": _squeeze(head.group("caveat") or ""),
                "yy": None,
                "_spans": spans,
                "wrapped_line": following,
            }
        return None

    def _labels(self, start: int, end: int) -> None:
        """E.O., TAGS, SUBJECT, REF, Classified By and handling lines: at line starts, or inline in
        flattened text."""
        parts = self.parts
        lines = self.lines
        index = start
        strays = 0
        while index < end:
            line = lines[index]
            stripped = line.strip()
            if not stripped:
                index += 1
                continue
            # Each pattern below is tried only on a line whose opening it can match.
            opening = stripped[0]
            if (
                opening in _OPENS_PARAGRAPH
                and grammar.PARAGRAPH_START.match(line)
                and not grammar.CLASSIFIED_BY.search(line[:40])
                and (parts.subject or parts.eo or parts.tags or parts.caption)
            ):
                break
            if ("A" <= opening <= "Z" and _is_page_marker(line)) or (
                opening == "-" and grammar.HEADING_RULE.match(line)
            ):
                index += 1
                continue
            if opening in _OPENS_HANDLING and self._handling(index):
                index += 1
                continue
            if (
                parts.eo is not None
                and index - parts.eo.line <= 2
                and opening in "Dd"
                and grammar.EO_DECL.match(stripped)
            ):
                index += 1  # "DECL: 5/11/2017" on the line after "E.O. 12958:"
                continue
            if (
                parts.eo is None
                and opening in "Ee"
                and grammar.EO_LINE_LOOSE.match(line)
                and not grammar.EO_LABEL.match(stripped)
            ):
                # "E.O.: DECL ..." or "EO 1295 8": an E.O. line whose label or number does not read.
                self._malformed_eo(index)
                index += 1
                continue
            consumed = self._labelled_line(index, end)
            if consumed:
                index = consumed
                continue
            if parts.subject is None and parts.tags is None and (parts.eo is None or parts.eo.values.get("malformed")):
                index += 1  # passing instructions (DEPT FOR ...) and other caption lines
                continue
            if parts.classified_by is None and parts.subject is not None:
                index += 1
                continue
            if parts.subject is None and strays < 2:
                strays += 1  # a wrapped TAGS word ("CLEARANCE") before SUBJECT
                index += 1
                continue
            break
        parts.body_top_end_line = index

    def _handling(self, index: int) -> bool:
        line = self.lines[index]
        match = grammar.HANDLING_LINE.match(line)
        if match:
            self.parts.handling.append(
                self.item(index, match.start("word"), match.end("word"), value=_squeeze(match.group("word")).upper())
            )
            return True
        return False

    def _labelled_line(self, index: int, end: int) -> int:
        """Parse labelled elements starting on ``index``; return the next line, or 0 if none."""
        parts = self.parts
        line = self.lines[index]
        labels, limit = self._inline_labels(index)
        if not labels:
            return 0
        next_line = index + 1
        for position, (kind, label_start, value_start) in enumerate(labels):
            value_end = labels[position + 1][1] if position + 1 < len(labels) else limit
            is_last = position + 1 == len(labels) and limit == len(line)
            if kind == "eo" and (parts.eo is None or parts.eo.values.get("malformed")):
                self._eo(index, label_start, value_start, value_end)
            elif kind == "tags" and parts.tags is None:
                next_line = max(next_line, self._tags(index, label_start, value_start, value_end, is_last, end))
            elif kind == "subject" and parts.subject is None:
                next_line = max(next_line, self._subject(index, label_start, value_start, value_end, is_last, end))
            elif kind == "ref" and parts.references is None:
                next_line = max(next_line, self._references(index, label_start, value_start, value_end, is_last, end))
            elif kind == "clby" and parts.classified_by is None:
                next_line = max(
                    next_line, self._classified_by(index, label_start, value_start, value_end, is_last, end)
                )
        # Handling words glued into a flattened caption line (SipdisE.o.)
        if parts.caption is not None and parts.caption.line == index:
            caption_end = parts.caption.end - self.starts[index]
            for match in _HANDLING_INLINE.finditer(line, caption_end, labels[0][1]):
                parts.handling.append(self.item(index, match.start(), match.end(), value=match.group().upper()))
        if limit < len(line):
            # A flattened cable: the body goes on in this line; paragraphs are found inline.
            return index + 1
        return next_line

    _LABEL_PATTERNS: tuple[tuple[str, _Hint, re.Pattern[str] | None], ...] = (
        ("eo", _EO_LABEL, None),
        ("tags", _TAGS_INLINE, grammar.TAGS_LABEL),
        ("subject", _SUBJECT_INLINE, grammar.SUBJECT_LABEL),
        ("ref", _REF_INLINE, grammar.REF_LABEL),
        ("clby", _CLASSIFIED_BY, None),
    )

    _LABEL_BY_KIND: ClassVar[dict[str, tuple[_Hint, re.Pattern[str] | None]]] = {
        kind: (hint, at_start) for kind, hint, at_start in _LABEL_PATTERNS
    }
    #: How each label can start, after the indentation, lower-cased (``ſ`` is an S to a case-blind
    #: pattern): TAGS and its misspellings, SUBJECT, PROGRAM REF, REF and RETEL, CLASSIFIED BY.
    #: ``(U) SUBJECT:`` opens with a bracket, ``E.O.`` with ``E`` and one of ``.``, a blank, ``O``
    #: or ``0``. No two labels open alike, so the opening tells which one to try.
    _LABEL_OPENINGS: ClassVar[dict[str, str]] = {
        "ta": "tags",
        "tg": "tags",
        "ag": "tags",
        "su": "subject",
        "\u017fu": "subject",
        "pr": "ref",
        "re": "ref",
        "cl": "clby",
    }

    @classmethod
    def _label_kind(cls, line: str, indent: int) -> str | None:
        """The only label that can match at ``indent``, or None when none can."""
        opening = line[indent : indent + 2]
        kind = cls._LABEL_OPENINGS.get(opening.lower())
        if kind is not None:
            return kind
        first, second = opening[:1], opening[1:2]
        if first == "(":
            return "subject"
        if first in ("E", "e") and (second in (".", "O", "o", "0") or second.isspace()):
            return "eo"
        return None

    def _inline_labels(self, index: int) -> tuple[list[tuple[str, int, int]], int]:
        """Labels on a line: ``(kind, label_start, value_start)`` sorted, and where values end.

        A label must open the line; further labels on the same line count too (flattened caption
        blocks: ``TAGS: ... SUBJECT: ...``). On a flattened line (the caption line, or a line far
        longer than any header line) labels may sit anywhere before the first paragraph.
        """
        line = self.lines[index]
        indent = len(line) - len(line.lstrip())  # lstrip copies nothing where nothing is stripped
        caption = self.parts.caption
        flattened = (caption is not None and caption.line == index) or len(line) > 300
        limit = len(line)
        if len(line) > 300:
            first_paragraph = _PARAGRAPH_INLINE_DOT.search(line)
            limit = _paragraph_at_dot(line, first_paragraph.start())[0] if first_paragraph else min(len(line), 4000)
        search_from = 0
        parts = self.parts
        if not flattened and parts.eo is None and parts.tags is None and parts.subject is None:
            # The E.O. (or TAGS) line glued to passing instructions: "DEPT FOR NEA/MAG E.O. 12958: ...".
            # An E.O. label at the indentation opens the line (the search would find it first).
            opens_with_eo = line[indent : indent + 1] in ("E", "e") and _EO_LABEL.pattern.match(line, indent)
            glued = (
                None
                if opens_with_eo
                else (_hinted_search(_EO_LABEL, line, indent) or _hinted_search(_TAGS_GLUED, line, indent))
            )
            if (
                glued is not None
                and glued.start() > indent
                and not _hinted_search(_CLASSIFIED_BY, line, 0, glued.start())
            ):
                flattened, search_from = True, glued.start()
        found: list[tuple[str, int, int]] = []
        if not flattened:
            # A label opens the line, and further labels may follow it: "E.O. 12958: DECL: ...
            # TAGS: ...". Only the label the opening allows is tried.
            kind = self._label_kind(line, indent)
            if kind is None:
                return [], limit
            hint, at_start = self._LABEL_BY_KIND[kind]
            match = at_start.match(line) if at_start is not None else None
            if match is None:
                match = hint.pattern.match(line, indent)
                if match is None:
                    return [], limit
            value_start = match.end()
            found.append((kind, indent, value_start))  # both forms start at the indentation
            folded = _fold(line[:limit])  # every search below ends at the limit
            for other, hint, _ in self._LABEL_PATTERNS:
                if other == kind or other == "eo":
                    continue
                # Most lines hold one label: a find of each other's needle rules it out (as the
                # search would, without the call).
                needle = hint.needle
                if (
                    folded is not None
                    and isinstance(needle, str)
                    and folded.find(needle, value_start + hint.lo, limit) < 0
                ):
                    continue
                match = _hinted_search(hint, line, value_start, limit, folded)
                if match is not None:
                    found.append((other, match.start(), match.end()))
            if len(found) == 1:  # the common case: nothing to order, no E.O. to drop
                return found, limit
            found.sort(key=lambda item: item[1])
            return self._without_cited_eo(found), limit
        folded = _fold(line[:limit])  # every search below ends at the limit
        for kind, hint, at_start in self._LABEL_PATTERNS:
            inline = hint.pattern
            match = at_start.match(line) if at_start is not None and not search_from else None
            if match is None:
                match = (
                    inline.match(line, indent)
                    if not flattened
                    else _hinted_search(hint, line, search_from, limit, folded)
                )
            if match is None:
                continue
            label_start = match.start() if match.re is inline else indent
            found.append((kind, label_start, match.end()))
        found.sort(key=lambda item: item[1])
        return self._without_cited_eo(found), limit

    @staticmethod
    def _without_cited_eo(found: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
        """An E.O. after "Classified By ... reasons: E.O. 12958 1.4 (b)" is not the E.O. line."""
        kinds = [kind for kind, _, _ in found]
        if "clby" in kinds and "eo" in kinds and kinds.index("eo") > kinds.index("clby"):
            return [item for item in found if item[0] != "eo"]
        return found

    def _eo(self, index: int, label_start: int, value_start: int, value_end: int) -> None:
        line = self.lines[index]
        match = grammar.EO_LABEL.match(line, label_start) or _hinted_search(_EO_LABEL, line, label_start)
        if not match:
            return
        text = line[label_start:value_end].rstrip().rstrip("\\").rstrip()
        rest = line[value_start:value_end].rstrip().rstrip("\\")
        values: dict[str, Any] = {
            "order": match.group("order"),
            "text": _squeeze(text),
            "label": match.group("label"),
            "_spans": {"label": match.span("label"), "order": match.span("order")},
        }
        values["na"] = bool(grammar.EO_NA.match(rest)) or bool(_DECL_NA.match(rest))
        decl = grammar.EO_DECL.search(rest)
        decl_value = None
        if decl:
            decl_value = decl.group("value").strip().rstrip(".").strip() or None
        elif not values["na"]:
            tail = rest.strip(" :.")
            decl_value = tail or None
        if decl_value is None and not values["na"] and index + 1 < len(self.lines):
            # "E.O. 12958:" with "DECL: 5/11/2017" on the next line.
            following = grammar.EO_DECL.match(self.lines[index + 1].strip())
            if following is not None:
                decl_value = following.group("value").strip().rstrip(".").strip() or None
        values["decl"] = decl_value
        values["decl_date"] = _decl_date(decl_value) if decl_value else None
        # Every exemption has an X: a declassification date alone has none to look for.
        values["exemptions"] = (
            sorted({f"X{m.group(1)}" for m in grammar.EXEMPTION.finditer(decl_value)})
            if decl_value and ("X" in decl_value or "x" in decl_value)
            else []
        )
        values["oadr"] = bool(decl_value and _OADR.search(decl_value))
        self.parts.eo = self.item(index, label_start, label_start + len(text), **values)

    def _malformed_eo(self, index: int) -> None:
        line = self.lines[index]
        text = line.strip().rstrip("\\").strip()
        start = len(line) - len(line.lstrip())
        cut = grammar.TAGS_INLINE.search(text)
        if cut:
            text = text[: cut.start()].rstrip()
        values: dict[str, Any] = {
            "order": None,
            "text": _squeeze(text),
            "label": None,
            "malformed": True,
            "na": bool(_NA.search(text)),
            "decl": None,
            "decl_date": None,
            "exemptions": [],
            "oadr": False,
        }
        decl = grammar.EO_DECL.search(text)
        if decl:
            values["decl"] = decl.group("value").strip().rstrip(".").strip() or None
            values["decl_date"] = _decl_date(values["decl"]) if values["decl"] else None
        self.parts.eo = self.item(index, start, start + len(text), **values)

    def _continuation_end(self, index: int, end: int, stop_labels: bool = True) -> int:
        """Lines after ``index`` that continue a labelled value: until a blank line or a label."""
        lines = self.lines
        nxt = index + 1
        while nxt < end:
            line = lines[nxt]
            stripped = line.strip()
            if not stripped:
                break
            opening = stripped[0]  # each pattern is tried only where its opening is
            if stop_labels and (
                (opening in _OPENS_TAGS and grammar.TAGS_LABEL.match(line))
                or (opening in _OPENS_SUBJECT and grammar.SUBJECT_LABEL.match(line))
                or (opening in "PpRr" and grammar.REF_LABEL.match(line))
                or (opening in "Ee" and grammar.EO_LABEL.match(stripped))
                or (opening in "Cc" and grammar.CLASSIFIED_BY.match(stripped))
                or ("A" <= opening <= "Z" and _is_page_marker(line))
                or (opening in _OPENS_PARAGRAPH and grammar.PARAGRAPH_START.match(line))
                or (opening == "-" and grammar.HEADING_RULE.match(line))
                or (opening in _OPENS_HANDLING and grammar.HANDLING_LINE.match(line))
            ):
                break
            nxt += 1
        return nxt

    def _tags(self, index: int, label_start: int, value_start: int, value_end: int, is_last: bool, end: int) -> int:
        lines = self.lines
        segments = [(index, value_start, value_end)]
        next_line = index + 1
        if is_last:
            # Continuation: the line ends with a comma, or the next starts "XXXX,".
            current = index
            while current + 1 < end:
                this = lines[current].rstrip()
                following = lines[current + 1]
                if this.endswith(",") or _TAG_CONTINUED.match(following):
                    if not following.strip() or grammar.SUBJECT_LABEL.match(following):
                        break
                    current += 1
                    segments.append((current, 0, len(lines[current])))
                else:
                    break
            next_line = current + 1
        tag_items: list[Item] = []
        values: list[str] = []
        for line_index, seg_start, seg_end in segments:
            line = lines[line_index]
            base = self.starts[line_index]
            for token in _TAG_TOKENS.finditer(line, seg_start, seg_end):
                # A token neither starts nor ends with a blank (nothing to strip), and opens with a
                # bracket only in the bracketed form, which ends with one.
                value = token.group()
                if value[0] == "(":
                    value = value[1:-1].strip()
                value = value.strip(".\\").upper()
                if not value or value[0] == "<":
                    continue
                values.append(value)
                token_start, token_end = token.span()
                tag_items.append(Item(line_index, base + token_start, base + token_end, {"value": value}))
        last_line, _, last_end = segments[-1]
        item = Item(index, self.starts[index] + label_start, self.starts[last_line] + last_end, {"tags": values})
        self.parts.tags = item
        self.parts.tag_items = tag_items
        return next_line

    def _value_lines(
        self, index: int, value_start: int, value_end: int, is_last: bool, end: int
    ) -> tuple[str, int, int, int]:
        """A label's value with its continuation lines (only the last label of a line has any):
        the value joined and squeezed, the line and column where it ends, and the next line."""
        lines = self.lines
        pieces = [lines[index][value_start:value_end]]
        last_line, last_end = index, value_end
        next_line = index + 1
        if is_last:
            stop = self._continuation_end(index, end)
            pieces += lines[index + 1 : stop]
            if stop > index + 1:
                last_line, last_end = stop - 1, len(lines[stop - 1])
            next_line = stop
        return _squeeze(" ".join(pieces)), last_line, last_end, next_line

    def _subject(self, index: int, label_start: int, value_start: int, value_end: int, is_last: bool, end: int) -> int:
        joined, last_line, last_end, next_line = self._value_lines(index, value_start, value_end, is_last, end)
        value = joined or None
        self.parts.subject = Item(
            index, self.starts[index] + label_start, self.starts[last_line] + last_end, {"value": value}
        )
        return next_line

    def _references(
        self, index: int, label_start: int, value_start: int, value_end: int, is_last: bool, end: int
    ) -> int:
        lines = self.lines
        pieces = [lines[index][value_start:value_end]]
        last_line, last_end = index, value_end
        next_line = index + 1
        if is_last:
            current = index
            while True:
                stop = self._continuation_end(current, end)
                for line_index in range(current + 1, stop):
                    pieces.append(lines[line_index])
                current = stop - 1
                # A blank line may separate lettered items (A. ... / B. ...).
                probe = stop
                while probe < end and not lines[probe].strip():
                    probe += 1
                if (
                    probe < end
                    and _REF_LETTERED.match(lines[probe])
                    and not grammar.PARAGRAPH_START.match(lines[probe])
                ):
                    pieces.append(lines[probe])
                    current = probe
                    continue
                break
            if current > index:
                last_line, last_end = current, len(lines[current])
            next_line = current + 1
        joined = _squeeze(" ".join(pieces))
        # The items (``_reference_items``) are read only by the cable document: built with it.
        self.parts.references = Item(
            index, self.starts[index] + label_start, self.starts[last_line] + last_end, {"text": joined}
        )
        return next_line

    def _classified_by(
        self, index: int, label_start: int, value_start: int, value_end: int, is_last: bool, end: int
    ) -> int:
        lines = self.lines
        statement, last_line, last_end, next_line = self._value_lines(index, value_start, value_end, is_last, end)
        # Who classified and the reasons (``_classified_parts``) are read only by the cable
        # document: taken from the statement when it is built.
        self.parts.classified_by = Item(
            index,
            self.starts[index] + label_start,
            self.starts[last_line] + last_end,
            {"text": _squeeze(lines[index][label_start:value_start] + " " + statement), "statement": statement},
        )
        return next_line

    # page markers ---------------------------------------------------------------------------------

    def _region(self) -> tuple[int, int]:
        parts = self.parts
        start = self.starts[parts.cable_start_line] if parts.cable_start_line < len(self.starts) else len(self.text)
        end = self.starts[parts.cable_end_line] if parts.cable_end_line < len(self.starts) else len(self.text)
        return start, end

    def _page_markers(self) -> None:
        parts = self.parts
        text = self.text
        start, end = self._region()
        marker_lines: set[int] = set()
        found: list[Item] = []
        candidate_lines: list[int] = []
        #: Per line, where "OF nnn" stands: every well-formed marker has one.
        upper_hits: dict[int, list[int]] = {}
        # Literal prefixes make these scans fast; each hit is then checked on its own line.
        for at, upper in self._marker_hints(start, end):
            line = self.line_of(at)
            if not candidate_lines or candidate_lines[-1] != line:
                candidate_lines.append(line)
            if upper:
                upper_hits.setdefault(line, []).append(at)
        listed = set(candidate_lines)  # (a list's membership test went through it for each hit)
        for hit in _OLD_MARKER_HINT.finditer(text, start, end):
            line = self.line_of(hit.start())
            if line not in listed:
                listed.add(line)
                candidate_lines.append(line)
        for line in sorted(set(candidate_lines))[:MAX_ITEMS]:
            base = self.starts[line]
            line_end = base + len(self.lines[line])
            old = grammar.OLD_PAGE_MARKER_M.match(text, base, line_end)
            if old:
                found.append(self._marker_item(line, old, "old"))
                marker_lines.add(line)
                continue
            bare: str | None = None  # the line without blanks and a final "\\", made once a line
            for match in self._inline_markers(line, upper_hits.get(line, ())):
                if bare is None:
                    bare = self.lines[line].strip().rstrip("\\").strip()
                whole = bare == match.group().strip()
                found.append(self._marker_item(line, match, "modern", inline=not whole))
                marker_lines.add(line)
            if line in marker_lines:
                continue
            loose = grammar.PAGE_MARKER_LOOSE_M.match(text, base, line_end)
            if loose and self._near_marker(loose):
                parts.malformed_markers.append(self._marker_item(line, loose, "malformed"))
        found.sort(key=lambda item: item.start)
        parts.page_markers = found

    def _marker_hints(self, start: int, end: int) -> Iterator[tuple[int, bool]]:
        """Where each "OF nnn" (``upper``), "0F nnn" and "of nnn" hint starts in the region. In the
        lower-cased text one scan for "f nnn" finds all three (told apart by the text's letters);
        where lower-casing moves characters, two scans of the text do."""
        text = self.text
        if not self._text_fold_safe:
            for hit in _MARKER_HINT_F.finditer(text, start, end):
                at = hit.start() - 1
                if at >= start and text[at] in "O0":
                    yield at, text[at] == "O"
            for hit in _MARKER_HINT_LOWER.finditer(text, start, end):
                yield hit.start(), False
            return
        for hit in _MARKER_HINT_FOLDED.finditer(self.lowered, start, end):
            at = hit.start() - 1  # where the hint starts, inside the region
            if at < start:
                continue
            letters = text[at : at + 2]
            if letters in ("OF", "0F"):
                yield at, letters == "OF"
            elif letters == "of":
                yield at, False

    #: The characters a well-formed marker is made of (capitals, digits, dots, blanks).
    _MARKER_RUN = _regex.compile(r"[A-Z0-9.\s]*")

    def _inline_markers(self, index: int, hits: Iterable[int]) -> Iterator[re.Match[str]]:
        """``PAGE_MARKER_INLINE.finditer`` over the line, scanning only the runs of marker
        characters around its "OF nnn" hits: a match is made of those characters only, so it lies
        in one such run, and the run holds its hit. (The pattern opens with a lookbehind, and
        scanning a whole prose line of kilobytes with it cost more than the rest of the markers.)"""
        line = self.lines[index]
        base = self.starts[index]
        reverse = ""
        covered = 0
        for hit in hits:
            column = hit - base
            if column < covered:
                continue  # in the run already scanned
            if not reverse:
                reverse = line[::-1]
            run_start = len(line) - self._MARKER_RUN.match(reverse, len(line) - column).end()  # type: ignore[union-attr]
            covered = self._MARKER_RUN.match(line, column).end()  # type: ignore[union-attr]
            yield from grammar.PAGE_MARKER_INLINE.finditer(self.text, base + run_start, base + covered)

    def _marker_item(self, index: int, match: re.Match[str], style: str, inline: bool = False) -> Item:
        base = self.starts[index]
        groups: dict[str, Any] = match.groupdict()
        spans: dict[str, tuple[int, int]] = {}
        for key, value in groups.items():
            if value is not None:
                group_start, group_end = match.span(key)  # one call, not start() and end()
                spans[key] = (group_start - base, group_end - base)
        start, end = match.span()
        post = groups.get("post")
        if post:
            # Words run into the marker (a heading, a subject's last words) are not its post.
            cut = vocab.known_post_suffix(post) if style == "modern" and len(post) > 4 else 0
            if cut:
                post = post[cut:]
                start = match.start("post") + cut
                spans["post"] = (start - base, spans["post"][1])
                if style == "modern":
                    inline = True
            groups["post"] = _squeeze(post)
        groups["style"] = style
        groups["inline"] = inline
        groups["_spans"] = spans
        while start < end and self.text[start].isspace():
            start += 1
        return Item(index, start, end, groups)

    @staticmethod
    def _near_marker(match: re.Match[str]) -> bool:
        """A loose match that is plausibly a damaged marker, not a sentence or table row."""
        post = match.group("post")
        serial, page, total = match.group("serial"), match.group("page"), match.group("total")
        if len(serial) < 5 or len(post.split()) > 3:
            return False
        if not post.isupper():
            return False
        return len(serial) != 8 or len(page) != 3 or len(total) != 3 or match.group("of") != "OF"

    # paragraphs ----------------------------------------------------------------------------------

    def _paragraphs(self) -> None:
        parts = self.parts
        lines = self.lines
        text = self.text
        start_line = parts.header.end_line
        if start_line >= parts.cable_end_line:
            return
        start = self.starts[start_line]
        _, end = self._region()
        previous_number = 0
        # Lines that open with a paragraph number, found by one scan with a literal prefix.
        candidates: list[tuple[int, re.Match[str] | None]] = []
        first = grammar.PARAGRAPH_START.match(text, start)
        if first is not None:
            candidates.append((start_line, first))
        # From ``start``: the newline before it would find the first line again (twice listed).
        # Each line number by bisection of the line starts (cheaper than counting the newlines
        # between matches, which reads the whole region once more), in C: a match starts at the
        # newline before its line, so the starts up to it are the lines before.
        numbered = list(_PARAGRAPH_LINE.finditer(text, start, end))
        line_numbers = map(bisect.bisect_right, repeat(self.starts), map(re.Match.start, numbered))
        candidates.extend(zip(line_numbers, numbered, strict=False))  # the numbers end with the matches
        # Lines read for inline paragraphs, each with a portion marking: flattened text (JSON
        # records), and the Classified By line (below). The scan found the others in line order.
        inline_lines: list[tuple[int, re.Match[str] | None]] = []
        body_lines = lines[start_line : parts.cable_end_line]
        if body_lines and max(map(len, body_lines)) > 400:
            inline_lines.extend((index, None) for index, line in enumerate(body_lines, start_line) if len(line) > 400)
        # "CLASSIFIED BY: ... REASON: 1.4 (b), (d) 1. (C) ...": paragraph 1 run into the line.
        if parts.classified_by is not None:
            last = self.line_of(parts.classified_by.end)
            if len(lines[last]) <= 400 and not grammar.PARAGRAPH_START.match(lines[last]):
                inline_lines.append((last, None))
        if inline_lines:
            candidates.extend(inline_lines)
            # By line alone, in C: sorting is stable, and a line's numbered match was listed
            # before its inline entry (the lines read inline are listed once each).
            candidates.sort(key=itemgetter(0))
        for index, match in candidates[: MAX_ITEMS * 2]:
            if len(parts.paragraphs) >= MAX_ITEMS:
                break
            line = lines[index]
            if match is None:
                base = self.starts[index]
                # grammar.PARAGRAPH_INLINE's matches, found at their dots (a scan in C).
                for inline in _PARAGRAPH_INLINE_DOT.finditer(line):
                    if len(parts.paragraphs) >= MAX_ITEMS:
                        break
                    inline_start, digits, sub = _paragraph_at_dot(line, inline.start())
                    number = int(digits)
                    if number in (previous_number + 1, previous_number + 2) or (not parts.paragraphs and number == 1):
                        if parts.paragraphs and parts.paragraphs[-1].start >= base + inline_start:
                            continue
                        parts.paragraphs.append(
                            self.item(
                                index,
                                inline_start,
                                inline.end(),
                                number=number,
                                sub=sub,
                                marking=_marking(inline.group("mark")),
                                mark=inline.group("mark"),
                                mark_span=inline.span("mark"),
                                inline=True,
                            )
                        )
                        previous_number = number
                continue
            number = int(match.group("number"))
            if number > 200:
                continue
            mark = match.group("mark")
            marking = _marking(mark) if mark is not None else None
            sub = match.group("sub")
            # A wrapped line that starts with a number mid-sentence ("...in\n10. percent") is
            # not a paragraph unless the numbering or a marking says so. (Lines are read without
            # copies: paragraphs of flattened cables are lines of kilobytes.)
            if not (number == previous_number + 1 or (sub and number == previous_number) or marking is not None):
                previous_text = lines[index - 1] if index > 0 else ""
                if not (not previous_text or previous_text.isspace() or _ends_sentence(previous_text)):
                    continue
            base = self.starts[index]
            if marking is None:
                after = _LEADING_SPACE.match(line, match.end() - base).end()  # type: ignore[union-attr]
                if after < len(line) and not (
                    line[after].isupper() or line[after] in "\"'(“‘[" or line.startswith("xxxxx", after)
                ):
                    continue
            values: dict[str, Any] = {"number": number, "sub": sub, "marking": marking, "mark": mark}
            if mark is not None:
                values["mark_span"] = (match.start("mark") - base, match.end("mark") - base)
            # The number follows the indentation ([ \t]* in the pattern, all of \s* before a digit).
            indent = match.start("number") - base
            parts.paragraphs.append(Item(index, base + indent, match.end(), values))
            if not sub:
                previous_number = number

    # summary, comment, note ----------------------------------------------------------------------

    #: What may stand before an opener on its line: nothing, a sentence end, a paragraph label
    #: (``1.``, ``2a.``, ``1. (C)``), a heading rule.
    _AT_PARAGRAPH_START = _regex.compile(
        r"(?:^|[.)\]:;!?\"”']|--)\s*(?:[0-9]{1,3}[a-z]?\s?[.)]\s*)?(?:\([^()]{1,30}\)\s*)?$"
    )
    #: The last characters of a match of ``_AT_PARAGRAPH_START`` in a text without trailing blanks.
    _AT_PARAGRAPH_START_ENDINGS = frozenset(".)]:;!?\"”'-")
    _NOT_A_COMMENT_BEFORE = frozenset(
        {
            "end",
            "of",
            "no",
            "for",
            "without",
            "on",
            "to",
            "a",
            "an",
            "the",
            "further",
            "any",
            "public",
            "press",
            "official",
            "his",
            "her",
            "their",
            "its",
            "our",
            "my",
            "your",
            "this",
            "that",
            "request",
            "requested",
            "seek",
            "seeking",
            "declined",
            "refused",
            "invite",
            "invited",
            "welcome",
            "welcomes",
            "and",
            "or",
            "in",
            "with",
            "by",
            "from",
            "at",
        }
    )
    #: Before the keyword of a closer: "End", "End of", "End Embassy", "END OF POST" ...
    _CLOSER_BEFORE = _regex.compile(
        r"(?<![a-z])end[ \t\n\\]{1,8}(?:of[ \t\n\\]{1,4})?(?:[a-z'’]{2,12}[ \t\n\\]{1,4})?$"
    )
    _CLOSER_QUALIFIER = _regex.compile(
        r"(?<![a-z])end[ \t\n\\]{1,8}(?:of[ \t\n\\]{1,4})?(?P<word>[a-z'’]{2,12})[ \t\n\\]{1,4}$"
    )
    _BEGIN_BEFORE = _regex.compile(r"(?<![a-z])begin[ \t]{1,3}(?:[a-z'’]{2,12}[ \t]{1,3})?$")
    #: Words that may stand between "End"/"Begin"/"(" and the keyword: "End Embassy comment".
    _QUALIFIERS = frozenset(
        {
            "embassy",
            "embassy's",
            "post",
            "post's",
            "mission",
            "consulate",
            "consulate's",
            "usun",
            "usnato",
            "useu",
            "usint",
            "usoas",
            "uscg",
            "congen",
            "ambassador's",
            "charge's",
            "dcm",
            "department",
            "drafter's",
            "final",
            "general",
            "overall",
            "executive",
            "brief",
            "background",
            "begin",
            "and",
        }
    )
    #: The blanks before the ending are taken whole (``[ \t]*+``): every ending but the end of the
    #: line starts with a non-blank, so no match is lost, and a keyword followed by a long run of
    #: blanks and then text is not tried once per split of the run (quadratic). Same in _COMMENT_WORD.
    #: "Summary:", "SUMMARY AND COMMENT:", "Summary, comment, and action request:",
    #: "Summary/Introduction", "Summary continued.", a "Summary" heading (a trailing \ allowed).
    _SUMMARY_WORD = _regex.compile(
        r"(?:summary|summay)(?![a-z])"
        r"(?:[ \t]*(?:,|/|&|\band\b)[ \t]*(?:and[ \t]+)?[a-z]+(?:[ \t]+(?:of|for|to)[ \t]+[a-z]+|[ \t]+request)?){0,3}"
        r"(?:[ \t]+\(?cont(?:inued|'d|\.)?\)?|[ \t]+(?:of|from|for)[ \t]+[^\n:.]{1,40}(?=:))?"
        r"[ \t]*+(?::|\.(?=\s|$)|-{1,}|;|\\?[ \t]*$)",
        re.M,
    )
    #: "Introduction and" before "Summary": the opener starts at the first word.
    _SUMMARY_PREFIX = _regex.compile(
        r"(?:^|(?<=[\s(]))[A-Za-z]{3,14}(?:,[ \t]*[A-Za-z]{3,14}){0,2},?[ \t]+(?:and|&)[ \t]*$"
    )
    _COMMENT_WORD = _regex.compile(
        r"comments?(?![a-z])"
        r"(?:[ \t]*(?:,|/|&|\band\b)[ \t]*(?:and[ \t]+)?[a-z]+(?:[ \t]+request)?){0,3}"
        r"[ \t]*+(?::|\.(?=\s|$)|-{1,}|;|\\?[ \t]*$)",
        re.M,
    )
    _NOTE_WORD = _regex.compile(r"note(?![a-z])[ \t]*(?::|-{1,2}\s|\.(?=[ \t]+\S)|$)", re.M)
    _OPENER_WORD: ClassVar[dict[str, re.Pattern[str]]] = {
        "summary": _SUMMARY_WORD,
        "comment": _COMMENT_WORD,
        "note": _NOTE_WORD,
    }
    _WORD_CLOSE = _regex.compile(r"(?:summary|comments?|note)(?![a-z])")
    _QUALIFIED = _regex.compile(r"(?:^|[\s(\[])([A-Za-z][A-Za-z'’/]{1,13})$")

    def _spans(self) -> None:
        parts = self.parts
        text = self.text
        start_line = parts.header.end_line
        if start_line >= parts.cable_end_line:
            return
        start = self.starts[start_line]
        _, end = self._region()
        lowered = self.lowered
        events: list[Item] = []
        # Candidates are found with str.find (fast), then each is read with an anchored pattern.
        # A real cable has a few dozen; a text with thousands is not prose, and reading a bounded
        # number keeps hostile input linear and its report short.
        for keyword, kind in (("summ", "summary"), ("comment", "comment"), ("note", "note")):
            position = lowered.find(keyword, start, end)
            seen = 0
            while position >= 0 and seen < _MAX_SPAN_CANDIDATES:
                self._span_event(text, lowered, position, kind, events)
                seen += 1
                position = lowered.find(keyword, position + len(keyword), end)
        events.sort(key=lambda item: item.start)
        parts.spans = events

    @staticmethod
    def _whole_word(lowered: str, position: int, kind: str) -> bool:
        """Whether the keyword at ``position`` is a whole word ("summary", "summay", "comment",
        "comments", "note"; not "summit", "commented", "notes"): every opener and closer needs it
        (``_WORD_CLOSE`` and the opener patterns start so), and checking it first skips the rest."""
        if kind == "summary":
            if lowered.startswith("summary", position):
                return not "a" <= lowered[position + 7 : position + 8] <= "z"
            return lowered.startswith("summay", position) and not "a" <= lowered[position + 6 : position + 7] <= "z"
        if kind == "comment":
            following = lowered[position + 7 : position + 8]
            return not "a" <= following <= "z" or (
                following == "s" and not "a" <= lowered[position + 8 : position + 9] <= "z"
            )
        return not "a" <= lowered[position + 4 : position + 5] <= "z"

    def _span_event(self, text: str, lowered: str, position: int, kind: str, events: list[Item]) -> None:
        """Add to ``events`` the opener or closer whose keyword (``kind``) is at ``position``, if any."""
        if position > 0 and lowered[position - 1].isalpha():
            return
        if not self._whole_word(lowered, position, kind):
            return
        # The start of the keyword's line, read only where it is within the 110 characters before
        # the keyword ("near" and "before" below): looked for there alone, so that a line of
        # megabytes is not searched back once per keyword on it.
        window = max(0, position - 110)
        line_start = lowered.rfind("\n", window, position) + 1 or window
        # A closer's "End" may be at the end of the previous line ("... End" / "summary.").
        preceding = lowered[max(0, position - 30) : position]
        closer = self._CLOSER_BEFORE.search(preceding) if "end" in preceding else None
        if closer:
            qualifier = self._CLOSER_QUALIFIER.search(preceding)
            word = self._WORD_CLOSE.match(lowered, position)
            if word is not None and (qualifier is None or qualifier.group("word") in self._QUALIFIERS):
                first = position - (len(preceding) - closer.start())
                events.append(Item(self.line_of(first), first, word.end(), {"kind": kind, "event": "close"}))
                return
            if qualifier is None:
                return
        near = lowered[max(line_start, position - 30) : position]
        begin_match = self._BEGIN_BEFORE.search(near) if "begin" in near else None
        if begin_match is not None and begin_match.group().split()[-1] not in ("begin", *self._QUALIFIERS):
            begin_match = None
        begin = begin_match is not None
        pattern = self._OPENER_WORD[kind]
        match = pattern.match(lowered, position)
        # "SUMMARY On August 3 ...": the capitals alone set the word off.
        shouted = (
            kind == "summary"
            and text.startswith("SUMMARY ", position)
            and text[position + 8 : position + 9].isupper()
            and text[position + 9 : position + 10].islower()
        )
        if (
            match is None
            and not shouted
            and not (begin and kind in ("comment", "note") and self._WORD_CLOSE.match(lowered, position))
        ):
            return
        finish = match.end() if match else position + len(kind)
        opener_start = position
        if begin_match is not None:
            opener_start = position - (len(near) - begin_match.start())
        before = text[max(line_start, opener_start - 80) : opener_start].rstrip()
        # "(Embassy comment:", "(USAID Note:", "Post comment:": one qualifier word before the keyword.
        for _ in range(2):  # "EMBASSY BRASILIA COMMENT:": up to two such words
            # A match is at most 15 characters and ends the text: searched from there.
            qualified = self._QUALIFIED.search(before, max(0, len(before) - 15))
            if (
                qualified is None
                or kind == "summary"
                or not (qualified.group(1).lower() in self._QUALIFIERS or qualified.group(1)[:1].isupper())
                or qualified.group(1).lower() in self._NOT_A_COMMENT_BEFORE
            ):
                break
            before = before[: qualified.start(1)].rstrip()
        bracketed = before.endswith(("(", "["))
        if bracketed:
            bracket = before[-1]
            before = before[:-1].rstrip()
            opener_start = min(opener_start, text.rfind(bracket, 0, opener_start + 1))
        # ``before`` ends without blanks, so a match of either pattern below ends with its last
        # character: tested first, it spares the search (microseconds over a line of prose).
        if kind == "summary" and before.endswith(("and", "&")):
            prefix = self._SUMMARY_PREFIX.search(before)
            if prefix is not None:
                before = before[: prefix.start()].rstrip()
        at_start = not before or (
            before[-1] in self._AT_PARAGRAPH_START_ENDINGS and self._AT_PARAGRAPH_START.search(before) is not None
        )
        if not (at_start or begin or bracketed):
            return  # no kind opens here
        rest_end = text.find("\n", finish, finish + 80)
        rest = text[finish : rest_end if rest_end >= 0 else min(len(text), finish + 80)]
        # A heading: the word alone on its line, or set between dashes ("------- Summary -------").
        heading = not bracketed and (
            (not rest.strip(" -\\") and (not before.strip(" -") or text[position].isupper()))
            or lowered[finish - 3 : finish] == "---"
            or rest.lstrip().startswith("---")
            or before.endswith("---")
        )
        # Every kind opens here (returned above if none did) but a comment after a word that
        # makes it a noun phrase ("no comment"). The values are built whole: no keyword arguments.
        if kind == "comment" and not (bracketed or begin):
            last_word = before.rsplit(None, 1)[-1].lower().strip("(\"'") if before else ""
            if last_word in self._NOT_A_COMMENT_BEFORE:
                return
        values: dict[str, Any] = {
            "kind": kind,
            "event": "open",
            "bracketed": bracketed,
            "begin": begin,
            "heading": heading,
        }
        values["closes_at"] = self._paren_close(text, opener_start) if bracketed else None
        events.append(Item(self.line_of(opener_start), opener_start, finish, values))

    #: Paragraph breaks: a numbered paragraph or a heading rule starting a line. Blank lines alone
    #: do not end a paragraph (double-spaced text, page markers).
    _PARAGRAPH_BREAK = _regex.compile(r"\n[ \t]*(?=[0-9]{1,3}[a-z]?\.[ \t]*[(A-Z]|-{5})")
    _BRACKET = _regex.compile(r"[()\[\]]")
    #: How far after an opener its closer is looked for before its paragraph's brackets are paired.
    _PAREN_NEAR = 2000

    def _paren_close(self, text: str, opener: int) -> int | None:
        """Where the bracket opened at ``opener`` closes within its paragraph, or None.

        Brackets pair within a paragraph of the body (a break leaves the open ones unclosed). The
        paragraph breaks are found once, with a scan that skips from newline to newline; the
        brackets of a paragraph are paired when an opener in it first asks, and never again, so
        the work stays linear however many openers ask (a line of 90,000 "(Comment:")."""
        if self._paren_matches is None:
            end_line = self.parts.header.end_line
            self._paren_from = self.starts[end_line] if end_line < len(self.starts) else 0
            self._paren_break_scan = self._PARAGRAPH_BREAK.finditer(text, self._paren_from)
            self._paren_breaks = []
            self._paren_done = set()
            self._paren_matches = {}
        matches = self._paren_matches
        if opener < self._paren_from:
            return None
        # Most brackets close soon, with none of their kind between: the first closer of the kind
        # after the opener is then its match (pairing counts depth from the opener, whatever came
        # before it), unless a break comes first. A break's newline before the closer is found by
        # a search that ends there (what follows a break's newline is digits, a letter, a dot,
        # blanks and one of "(A-Z" or dashes: it stops short of a closer). Read within a bounded
        # distance (linear however many openers ask); other openers are paired below.
        bracket = text[opener : opener + 1]
        if bracket in ("(", "["):
            close = text.find(")" if bracket == "(" else "]", opener + 1, opener + self._PAREN_NEAR)
            if (
                close >= 0
                and text.find(bracket, opener + 1, close) < 0
                and self._PARAGRAPH_BREAK.search(text, opener, close) is None
            ):
                return close + 1
        breaks = self._paren_breaks
        # The breaks are scanned only as far as the paragraph asked about ends: openers are
        # mostly in the first paragraphs, and the rest of the text is not read for them.
        while self._paren_break_scan is not None and (not breaks or breaks[-1] <= opener):
            found = next(self._paren_break_scan, None)
            if found is None:
                self._paren_break_scan = None
            else:
                breaks.append(found.start())
        paragraph = bisect.bisect_right(breaks, opener)
        if paragraph not in self._paren_done:
            self._paren_done.add(paragraph)
            start = breaks[paragraph - 1] if paragraph else self._paren_from
            end = breaks[paragraph] if paragraph < len(breaks) else len(text)
            if text.find(")", start, end) < 0 and text.find("]", start, end) < 0:
                return None  # nothing closes in this paragraph
            stacks: dict[str, list[int]] = {"(": [], "[": []}
            closing = {")": "(", "]": "["}
            for event in self._BRACKET.finditer(text, start, end):
                char = event.group()
                if char in stacks:
                    stacks[char].append(event.start())
                else:
                    stack = stacks[closing[char]]
                    if stack:
                        matches[stack.pop()] = event.end()
        return matches.get(opener)

    def _redactions(self) -> None:
        parts = self.parts
        start, end = self._region()
        found = self._redaction_runs(start, end) if self._text_fold_safe else self._redaction_runs_unfolded(start, end)
        for match in found[:MAX_ITEMS]:
            line = self.line_of(match.start())
            parts.redactions.append(Item(line, match.start(), match.end(), {"length": match.end() - match.start()}))

    def _redaction_runs(self, start: int, end: int) -> list[re.Match[str]]:
        """Runs of five or more X's, or of x's, not after a letter, in text order: found by one scan
        for runs of x's in the lower-cased text. Only the first run of one case in such a run can
        count (any later one follows a letter, an x)."""
        text = self.text
        lowered = self.lowered
        first = lowered.find("xxxxx", start, end)
        if first < 0:
            return []
        found: list[re.Match[str]] = []
        for run in _REDACTION_LOWER.finditer(lowered, first, end):
            at = run.start()
            if at and text[at - 1].isalpha():
                continue
            pattern = _REDACTION_UPPER if text[at] == "X" else _REDACTION_LOWER
            match = pattern.match(text, at, run.end())
            if match is not None:
                found.append(match)
        return found

    def _redaction_runs_unfolded(self, start: int, end: int) -> list[re.Match[str]]:
        """``_redaction_runs`` for a text whose lower-cased form moves characters: a scan per case."""
        text = self.text
        found: list[re.Match[str]] = []
        for needle, pattern in (("XXXXX", _REDACTION_UPPER), ("xxxxx", _REDACTION_LOWER)):
            first = text.find(needle, start, end)  # every run starts with the needle: scanned from the first
            if first >= 0:
                found.extend(
                    m for m in pattern.finditer(text, first, end) if m.start() == 0 or not text[m.start() - 1].isalpha()
                )
        return sorted(found, key=lambda m: m.start())

    # ending: trailers and signature --------------------------------------------------------------

    def _ending(self) -> None:
        parts = self.parts
        lines = self.lines
        index = parts.cable_end_line - 1
        floor = max(parts.body_top_end_line, parts.header.end_line)
        if floor >= parts.cable_end_line:  # the top block took it all: no caption ends it
            floor = parts.header.end_line
        while index >= floor:
            stripped = lines[index].strip().rstrip("\\").rstrip()  # a line-final backslash is T504's
            if not stripped:
                index -= 1
                continue
            opening = stripped[0]  # each pattern is tried only where its opening is
            if opening == "=" and (grammar.CABLE_ENDS.match(stripped) or _CABLE_END_BANNER.match(stripped)):
                parts.trailers.append(self.item(index))
                index -= 1
                continue
            if (
                (opening in "NB#<>EDS" and _AFTER_SIGNER.match(stripped))
                or (opening in "UCSL" and _CLASSIFICATION_LINE.fullmatch(stripped))
                or ("A" <= opening <= "Z" and _is_page_marker(stripped))
                or (len(stripped) <= 2 and _STRAY_PUNCTUATION.fullmatch(stripped))  # a stray closing quote or dot
            ):
                index -= 1
                continue
            break
        if index < floor:
            return
        line = lines[index].rstrip().rstrip("\\")
        stripped = line.strip()
        name = None
        start_col = 0
        # "KENNARD .", "HEARNE..", 'MORIARTY "': a surname in capitals with stray punctuation.
        core = line.rstrip(_TRAILING_PUNCTUATION)
        single = bool(_SINGLE_NAME.fullmatch(core))  # "Sobel."
        match = _SIGNATURE.match(core if core.strip().isupper() or single else line)
        if match and len(stripped) <= 40:
            candidate = match.group("name").strip().rstrip("#").strip()
            words = candidate.split()
            if (
                candidate.upper() not in _NOT_SIGNERS
                and not any(word.upper() in _NOT_SIGNERS for word in words)
                and any(word[:1].isupper() for word in words)
                and not candidate.endswith(".")
                and len(candidate) >= 3
            ):
                name, start_col = candidate, line.find(candidate)
        if name is not None and core != line.rstrip() and not self._after_finished_line(index, floor):
            name = None  # "... resolved before" / "December.": the sentence's last word, no signer
        if name is None:
            tail = _SIGNATURE_TAIL.search(line, _signature_tail_floor(line))
            if tail and not any(word.strip(".").upper() in _NOT_SIGNERS for word in tail.group("name").split()):
                name, start_col = tail.group("name"), tail.start("name")
        if name is not None:
            parts.signature = self.item(index, start_col, start_col + len(name), value=name)

    def _after_finished_line(self, index: int, floor: int) -> bool:
        """The last non-blank line before ``index`` (down to ``floor``) ends a sentence, or there is
        none: a signer stands after the text, not inside its last sentence."""
        lines = self.lines
        before = index - 1
        while before >= floor and not lines[before].strip():
            before -= 1
        if before < floor or before < index - 1:
            return True  # a blank line before it: a line of its own
        return _ends_sentence(lines[before].rstrip().rstrip("\\"))


# -- free helpers ----------------------------------------------------------------------------------


def _is_page_marker(line: str) -> bool:
    """The line is a page marker (``ASTANA 00002221  001.2 OF 003``). Its "OF" is looked for
    before the pattern is tried: most lines have none, and a find costs less than a failed match."""
    return "OF" in line and grammar.PAGE_MARKER.match(line) is not None


def _ends_sentence(line: str) -> bool:
    """The line ends a sentence (or is a page marker): a numbered line after it may open a
    paragraph."""
    return line.rstrip().endswith((".", ":", ";", '"', ")", "?", "!", "-", "'", "”")) or _is_page_marker(line)


#: What may follow the opener of ``_SIGNATURE_TAIL`` to the end of the line: blanks, ``#`` and
#: the capitals, quotes, dots and hyphens of a name.
_SIGNATURE_TAIL_CHARACTERS = WHITESPACE + "#ABCDEFGHIJKLMNOPQRSTUVWXYZ'.-"
_CLOSER_WORDS = ("Comment", "Summary", "Note", "Text")


def _signature_tail_floor(line: str) -> int:
    """Where ``_SIGNATURE_TAIL.search(line)`` can first match: a line of prose runs to tens of
    kilobytes, and the pattern tried at every character of it cost more than the rest of the
    ending. After its opener, a match holds only ``_SIGNATURE_TAIL_CHARACTERS`` to the end, so it
    ends within the run of them that ends the line; the opener is one character before that
    run, ``End`` (whose ``nd`` is not in the run) three, or ``End``/``END`` and blanks before a
    closer word in lower case (``End Comment``) that ends just before the run."""
    run = len(line.rstrip(_SIGNATURE_TAIL_CHARACTERS))
    floor = run - 3
    for word in _CLOSER_WORDS:
        if line.endswith(word, 0, run):
            head = line[: run - len(word)]
            opener = head.rstrip()
            if len(opener) < len(head) and opener.endswith(("END", "End")):
                floor = min(floor, len(opener) - 3)
    return max(0, floor)


@lru_cache(maxsize=1024)
def _marking(mark: str | None) -> str | None:
    if mark is None:
        return None
    value = _squeeze(mark)
    if grammar.MARKING.match(value):
        return value.upper()
    return None


def _marking_as_read(values: dict[str, Any]) -> str | None:
    """The marking for the document: recognised, or damaged-but-recognisable as read."""
    if values.get("marking") is not None:
        return str(values["marking"])
    mark = values.get("mark")
    if mark and grammar.MARKING_DAMAGED.match(mark.strip()):
        return _squeeze(mark).upper()
    return None


@lru_cache(maxsize=4096)  # a few dates recur across cables; each costs a match and a date (~3 us)
def _decl_date(value: str) -> str | None:
    match = grammar.DECL_DATE.match(value.strip())
    if not match:
        return None
    a, b, c = match.group("a"), match.group("b"), match.group("c")
    try:
        if len(a) == 4:  # 2020/02/23
            year, month, day = int(a), int(b), int(c)
        else:
            month, day = int(a), int(b)
            year = int(c)
            if len(c) == 2:
                year += 2000 if year < 66 else 1900
        return _dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _classified_parts(statement: str) -> tuple[str | None, list[str]]:
    match = _REASONS.search(statement)
    head = statement[: match.start()] if match else statement
    by = head.strip(" ,;:.") or None
    reasons: list[str] = []
    tail = statement[match.end() :] if match else statement
    section = grammar.REASON_SECTION.search(tail)
    if section:
        number = f"1.{section.group(1)}"
        letters_text = tail[section.end() : section.end() + 60]
        stop = _REASONS_STOP.search(letters_text)
        if stop:
            letters_text = letters_text[: stop.start()]
        letters = [m.group(1).lower() for m in grammar.REASON_LETTERS.finditer(letters_text)]
        seen: list[str] = []
        for letter in letters:
            if letter not in seen:
                seen.append(letter)
        reasons = [f"{number}({letter})" for letter in seen] or [number]
    return by, reasons


#: Posts as cited in references that are named otherwise in reference IDs.
_REF_POST_ALIASES = {"SECSTATE": "STATE", "WASHDC": "STATE", "USUN": "USUNNEWYORK"}


def _citing_year(document: Document) -> str | None:
    """The year of the citing cable (its reference ID's first digits): REF items without one."""
    reference_id = document.metadata.reference_id
    if reference_id and reference_id[:2].isdigit():
        return reference_id[:2]
    return None


def _reference_items(text: str, citing_year: str | None) -> list[dict[str, Any]]:
    if not text:
        return []
    # Every item label ("A.", "B)", "(C)") has a dot or a bracket: text without one has none.
    labels = list(_REF_ITEM.finditer(text)) if "." in text or ")" in text else []
    chunks: list[tuple[str | None, str]] = []
    if labels:
        head = text[: labels[0].start()].strip(" ;,")
        if head:
            chunks.append((None, head))
        for index, match in enumerate(labels):
            end = labels[index + 1].start() if index + 1 < len(labels) else len(text)
            chunks.append((match.group(1) or match.group(2), text[match.end() : end].strip(" ;,")))
    else:
        chunks = [(None, piece.strip()) for piece in text.split(";") if piece.strip()]
    items: list[dict[str, Any]] = []
    known = vocab.origins()
    aliases = _REF_POST_ALIASES
    for label, chunk in chunks:
        if not chunk:
            continue
        reference_id = None
        cable = _REF_CABLE.match(chunk.upper())
        if cable:
            post = cable.group("post").replace(" ", "").replace(".", "").upper()
            post = aliases.get(post, post)
            year = cable.group("year") or citing_year
            if year and len(year) == 4:
                year = year[2:]
            if post in known and year:
                candidate = f"{year}{post}{int(cable.group('serial'))}"
                if grammar.REFERENCE_ID.match(candidate):
                    reference_id = candidate
        items.append({"label": label, "text": chunk, "reference_id": reference_id})
    return items


# -- the document as read --------------------------------------------------------------------------


def _line_number(parts: Parts, item: Item) -> int:
    return item.line + 1


def _data(document: Document, parts: Parts) -> dict[str, Any]:
    metadata = document.metadata
    header = parts.header

    def stamp(value: str | None) -> str | None:
        if value is None:
            return None
        iso = grammar.iso_timestamp(value)
        return iso if iso is not None else value

    routing = None
    if header.de is not None:
        if header.de.values.get("indicator"):
            routing = {
                "indicator": header.de.values["indicator"],
                "serial": header.de.values["serial"],
                "section": header.de.values.get("section"),
                "julian_day": header.de.values["julian_day"],
                "time": header.de.values["time"],
                "line": header.de.line + 1,
            }
        else:
            # Malformed DE line: keep it as read so that the document fails on /header/routing.
            routing = {"raw": parts.lines[header.de.line].strip(), "line": header.de.line + 1}
    dtg_value: str | None = None
    precedence: list[str] = []
    dtg_signal = None
    if header.dtg is not None:
        if "timestamp" in header.dtg.values:
            dtg_value = header.dtg.values["timestamp"] or header.dtg.values.get("raw")
            precedence = list(header.dtg.values.get("precedence", []))
            dtg_signal = header.dtg.values.get("signal")
        else:
            dtg_value = header.dtg.values.get("raw")
    header_data: dict[str, Any] = {
        "transmission_id": header.transmission_id.values["value"] if header.transmission_id else None,
        "relay": header.relay.values["value"] if header.relay else None,
        "routing": routing,
        "classification_signal": _squeeze(header.signal.values["value"]) if header.signal else None,
        "precedence": precedence,
        "dtg": dtg_value,
        "dtg_signal": dtg_signal,
        "from": header.fm.values["value"] if header.fm else None,
        "to": [item.values["value"] for item in header.to],
        "info": [item.values["value"] for item in header.info],
        "partial": header.partial is not None,
    }
    caption = None
    if parts.caption is not None:
        values = parts.caption.values
        caption = {
            "text": values["text"],
            "classification": values["level"],
            "section": int(values["section"]) if values.get("section") else None,
            "sections": int(values["sections"]) if values.get("sections") else None,
            "post": values.get("post"),
            "serial": values.get("serial"),
            "handling": [item.values["value"] for item in parts.handling],
            "line": parts.caption.line + 1,
        }
    eo = None
    if parts.eo is not None:
        values = parts.eo.values
        eo = {
            "text": values["text"],
            "order": values["order"],
            "na": values["na"],
            "decl": values["decl"],
            "decl_date": values["decl_date"],
            "exemptions": values["exemptions"],
            "oadr": values["oadr"],
            "line": parts.eo.line + 1,
        }
    classified_by = None
    if parts.classified_by is not None:
        values = parts.classified_by.values
        by, reasons = _classified_parts(values["statement"])
        classified_by = {
            "text": values["text"],
            "by": by,
            "reasons": reasons,
            "line": parts.classified_by.line + 1,
        }
    markers: list[dict[str, Any]] = []
    for item in parts.page_markers:
        values = item.values
        if values["style"] == "modern":
            markers.append(
                {
                    "style": "modern",
                    "line": item.line + 1,
                    "post": values["post"],
                    "serial": values["serial"],
                    "page": values["page"],
                    "suffix": values.get("suffix"),
                    "total": values["total"],
                }
            )
        else:
            markers.append(
                {
                    "style": "old",
                    "line": item.line + 1,
                    "post": values["post"],
                    "serial": values["serial"],
                    "page": values["page"],
                    "section": values.get("section"),
                    "sections": values.get("sections"),
                    "time": values["time"],
                }
            )
    paragraphs = [
        {
            "number": item.values["number"],
            "sub": item.values.get("sub"),
            "marking": _marking_as_read(item.values),
            "line": item.line + 1,
        }
        for item in parts.paragraphs
    ]
    spans = _pair_spans(parts)
    redactions = [
        {
            "line": item.line + 1,
            "column": item.start - parts.line_starts[item.line] + 1,
            "length": item.values["length"],
        }
        for item in parts.redactions
    ]
    source: dict[str, Any] = {"path": document.path, "format": document.format, "record": document.record}
    return {
        "schema_version": "1-0-0",
        "reference_id": metadata.reference_id,
        "created": stamp(metadata.created),
        "released": stamp(metadata.released),
        "classification": metadata.classification,
        "origin": metadata.origin,
        "header": header_data,
        "caption": caption,
        "eo": eo,
        "tags": parts.tags.values["tags"] if parts.tags else [],
        "subject": parts.subject.values["value"] if parts.subject else None,
        "references": (
            _reference_items(parts.references.values["text"], _citing_year(document)) if parts.references else []
        ),
        "classified_by": classified_by,
        "page_markers": markers,
        "paragraphs": paragraphs,
        "spans": spans,
        "redactions": redactions,
        "signature": parts.signature.values["value"] if parts.signature else None,
        "text": document.text,
        "source": source,
    }


def pair_spans(parts: Parts) -> list[tuple[Item, Item | None]]:
    """Openers paired with their closers; unmatched closers come back as ``(closer, None)`` with
    ``values['event'] == 'close'``.

    A closer closes the innermost open opener of its kind; a summary closer closes every open
    summary opener (``Summary:`` ... ``Cont. summary:`` ... ``End summary``). A bracketed opener
    whose parenthesis closes before the next closer is closed by it (``(Note: ... )``): it is
    paired with a closer item made for that parenthesis (``values['paren']``).
    """
    if parts.span_pairs is not None:
        return parts.span_pairs
    stacks: dict[str, list[Item]] = {"summary": [], "comment": [], "note": []}
    pairs: list[tuple[Item, Item | None]] = []
    index_of: dict[int, int] = {}
    #: Per kind, the pairs closed by a parenthesis, as a max-heap of their indexes (negated).
    paren_closed: dict[str, list[int]] = {"summary": [], "comment": [], "note": []}

    def close_by_paren(before: int, kind: str) -> None:
        stack = stacks[kind]
        while stack and stack[-1].values.get("closes_at") is not None and stack[-1].values["closes_at"] <= before:
            opener = stack.pop()
            end = opener.values["closes_at"]
            line = bisect.bisect_right(parts.line_starts, end - 1) - 1
            paren = Item(line, end - 1, end, {"kind": kind, "event": "close", "paren": True})
            pairs[index_of[id(opener)]] = (opener, paren)
            heapq.heappush(paren_closed[kind], -index_of[id(opener)])

    for event in parts.spans:
        kind = event.values["kind"]
        for other in stacks:
            close_by_paren(event.start, other)
        if event.values["event"] == "open":
            stacks[kind].append(event)
            index_of[id(event)] = len(pairs)
            pairs.append((event, None))
            continue
        stack = stacks[kind]
        if not stack:
            # "(Note: ... down ) from ... End note.)": a parenthesis inside the note (a dash
            # printed as ")") closed it early; the End closer within its paragraph wins. The
            # latest such pair of the kind, if it opened less than 3,000 characters before (pairs
            # are in text order, so an earlier one opened further away still).
            closed = paren_closed[kind]
            if closed and event.start - pairs[-closed[0]][0].start < 3000:
                reopened = -heapq.heappop(closed)
                pairs[reopened] = (pairs[reopened][0], event)
            else:
                pairs.append((event, None))
            continue
        if kind == "summary":
            while stack:
                opener = stack.pop()
                pairs[index_of[id(opener)]] = (opener, event)
            continue
        opener = stack.pop()
        pairs[index_of[id(opener)]] = (opener, event)
    for other in stacks:
        close_by_paren(len(parts.lines) and parts.line_starts[-1] + len(parts.lines[-1]), other)
    parts.span_pairs = pairs
    return pairs


def _pair_spans(parts: Parts) -> list[dict[str, Any]]:
    result = []
    for opener, closer in pair_spans(parts):
        if opener.values["event"] != "open":
            continue
        result.append(
            {
                "kind": opener.values["kind"],
                "start_line": opener.line + 1,
                "end_line": closer.line + 1 if closer is not None else None,
                "bracketed": bool(opener.values.get("bracketed")),
            }
        )
    return result


def _errors(exc: ValidationError) -> list[FieldError]:
    errors: list[FieldError] = []
    for error in exc.errors(include_url=False):
        location = [str(part) for part in error["loc"]]
        # Discriminated unions add the tag name to the location; drop it.
        cleaned = [part for part in location if part not in ("modern", "old")]
        pointer = "/" + "/".join(part.replace("~", "~0").replace("/", "~1") for part in cleaned) if cleaned else ""
        pointer = pointer.replace("/from_", "/from")
        errors.append(FieldError(pointer, error["msg"]))
    return errors


def _blank_parts(document: Document) -> Parts:
    lines = document.text.split("\n")
    return Parts(lines, _line_starts(lines), 0, len(lines), None, None, None, Header())


def parse(source: Document | str) -> ParsedCable:
    """Parse a document (or the text of one cable). Never raises on any input."""
    if isinstance(source, Document):
        document = source
    else:
        from .readers import read_string

        try:
            documents = [d for d in read_string(source) if isinstance(d, Document)]
        except Exception:  # never raise on any input
            documents = []
        document = (
            documents[0]
            if documents
            else Document(text=source, path="<string>", format="text", source_map=SourceMap.identity(source))
        )
    try:
        parts = _Parser(document).run()
    except Exception as exc:  # never raise on any input: report it instead
        return ParsedCable(
            document,
            _blank_parts(document),
            _fallback_data(document),
            (None, [FieldError("", "the parser failed")]),
            internal_error=f"{type(exc).__name__}: {exc}",
        )
    return ParsedCable(document, parts)


def _fallback_data(document: Document) -> dict[str, Any]:
    """The document of a text the parser failed on: its metadata and text as read."""
    return {
        "schema_version": "1-0-0",
        "reference_id": document.metadata.reference_id,
        "text": document.text,
        "source": {"path": document.path, "format": document.format, "record": document.record},
    }


def metadata_of(document: Document) -> Metadata:
    return document.metadata
