"""What a reader produces: a :class:`Document` (the cable's plain text with every site artefact
decoded) and a :class:`SourceMap` from positions in that text back to the file the user opened.

A finding is computed on the normalised text and reported at the source line and column, so a
finding in an HTML page points into the physical ``<pre>`` line, and one in a JSON Lines record
points into the raw JSON string, escapes and all.
"""

from __future__ import annotations

import bisect
import re
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain

from . import _regex

#: A line end as a text stream reads it: LF, CRLF or a lone CR.
LINE_BREAK = _regex.compile(r"\r\n|\r|\n")
_NEWLINE = _regex.compile(r"\n")
#: The path that stands for standard input on the command line.
STDIN = "-"


#: Past this many lines, a text's line starts are kept as an array of machine integers, 8 bytes a
#: line, not as a list, 36 (a text of 50 million bare newlines held 1.8 GB in one list of them).
#: Below it, a list: reading one gives the integer it holds, where an array makes one each time.
COMPACT_LINES = 1 << 20


def _find_line_starts(source: str) -> Sequence[int]:
    """Offsets where the lines of ``source`` start (after LF, CRLF or CR when it has CRs)."""
    if "\r" in source and source.count("\r") != source.count("\r\n"):
        breaks = (m.end() for m in LINE_BREAK.finditer(source))
        if source.count("\r") + source.count("\n") >= COMPACT_LINES:
            return array("q", chain((0,), breaks))
        return [0, *breaks]
    # Every CR (if any) before an LF: the lines start after the LFs (texts made from PDFs are
    # CRLF throughout, and the pattern's scan cost a quarter of a millisecond each).
    return _newline_starts(source)


def _newline_starts(text: str) -> Sequence[int]:
    """Offsets where the lines of ``text`` start after each LF, found with str.find (several times
    faster than a pattern on big pages)."""
    if text.count("\n") >= COMPACT_LINES:
        return array("q", chain((0,), (match.end() for match in _NEWLINE.finditer(text))))
    starts = [0]
    find = text.find
    index = find("\n")
    while index >= 0:
        starts.append(index + 1)
        index = find("\n", index + 1)
    return starts


class LineIndex:
    """The line starts of one source, found once (when first needed) and shared by the maps of
    all the documents read from it: a JSON array's records. Each map finding its own lines would
    go through the source before its record once per record (quadratic on a one-line array)."""

    __slots__ = ("_starts", "source")

    def __init__(self, source: str) -> None:
        self.source = source
        self._starts: Sequence[int] | None = None

    def starts(self) -> Sequence[int]:
        if self._starts is None:
            self._starts = _find_line_starts(self.source)
        return self._starts


class Anchors:
    """Anchors ``(text_offset, source_offset)`` kept as two arrays of integers: 8 bytes an anchor
    (16 for a source of 2**31 characters or more), where a list of tuples took about 120 (a list
    slot, a tuple and two integers). A reader that puts an anchor after every decoded escape
    gives a record dense with escapes millions of them. It reads as a sequence of pairs."""

    __slots__ = ("source", "text")

    def __init__(self, pairs: Sequence[tuple[int, int]] = (), *, source_length: int = 0) -> None:
        # A document's text is never longer than its source: offsets of both fit in 32 bits
        # below 2**31 characters of source.
        typecode = "i" if source_length < 1 << 31 and all(max(pair) < 1 << 31 for pair in pairs) else "q"
        self.text = array(typecode, [pair[0] for pair in pairs])
        self.source = array(typecode, [pair[1] for pair in pairs])

    def append(self, text_offset: int, source_offset: int) -> None:
        self.text.append(text_offset)
        self.source.append(source_offset)

    def extend(self, pairs: AnchorPairs) -> None:
        """Append the anchors of another map's piece (a list of pairs or an :class:`Anchors`)."""
        if isinstance(pairs, Anchors):
            same = pairs.text.typecode == self.text.typecode  # an array extends only one of its kind
            self.text.extend(pairs.text if same else pairs.text.tolist())
            self.source.extend(pairs.source if same else pairs.source.tolist())
        else:
            self.text.extend([pair[0] for pair in pairs])
            self.source.extend([pair[1] for pair in pairs])

    def __len__(self) -> int:
        return len(self.text)

    def __getitem__(self, index: int) -> tuple[int, int]:
        return self.text[index], self.source[index]

    def __iter__(self) -> Iterator[tuple[int, int]]:
        return zip(self.text, self.source, strict=True)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Anchors):
            return self.text == other.text and self.source == other.source
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Anchors({list(self)!r})"


#: What a reader gives a map: a list of pairs, or the compact form.
AnchorPairs = list[tuple[int, int]] | Anchors


def extended(anchors: AnchorPairs, more: AnchorPairs, source_length: int) -> AnchorPairs:
    """``anchors`` with ``more`` after them; made compact (:class:`Anchors`) when ``more`` is, as
    a long piece's are, so that one long piece keeps the whole map compact."""
    if isinstance(more, Anchors) and not isinstance(anchors, Anchors):
        anchors = Anchors(anchors, source_length=source_length)
    anchors.extend(more)
    return anchors


class SourceMap:
    """Maps offsets in a document's text to offsets, lines and columns in its source.

    ``source`` is the decoded source (the whole file, or one record's raw text); ``first_line`` is
    the 1-based line of ``source[0]`` in the file. ``anchors`` is a sorted list of
    ``(text_offset, source_offset)`` pairs (or :class:`Anchors`, the same kept compactly); between
    anchors text and source advance together. Anchors may be computed lazily by ``build`` (most
    documents never need mapping). ``lines`` is a :class:`LineIndex` of ``source`` shared with the
    maps of other documents of the source.
    """

    __slots__ = (
        "_anchors",
        "_build",
        "_known_lines",
        "_known_reach",
        "_known_starts",
        "_line_starts",
        "_lines",
        "_source_positions",
        "_text_positions",
        "first_line",
        "source",
    )

    def __init__(
        self,
        source: str,
        anchors: AnchorPairs | None = None,
        *,
        first_line: int = 1,
        build: Callable[[], AnchorPairs] | None = None,
        lines: LineIndex | None = None,
    ) -> None:
        if lines is not None and lines.source is not source:
            raise ValueError("the line index is not of this source")
        self.source = source
        self._lines = lines
        self.first_line = first_line
        self._anchors = anchors
        self._build = build
        self._text_positions: Sequence[int] | None = None
        self._source_positions: Sequence[int] = ()
        self._line_starts: Sequence[int] | None = None
        # Line starts found by lookups so far, sorted, their 0-based lines, and for each how far
        # its line is known to go without a newline; None until the first lookup, then [] for a
        # source with carriage returns (it uses the full table).
        self._known_starts: list[int] | None = None
        self._known_lines: list[int] = []
        self._known_reach: list[int] = []

    @classmethod
    def identity(cls, source: str, first_line: int = 1) -> SourceMap:
        return cls(source, [(0, 0)], first_line=first_line)

    @classmethod
    def for_newline_normalised(cls, source: str, first_line: int = 1) -> SourceMap:
        """For text made from ``source`` by turning CRLF and CR into LF."""
        if "\r" not in source:
            return cls.identity(source, first_line)

        def build() -> list[tuple[int, int]]:
            anchors = [(0, 0)]
            for removed, match in enumerate(re.finditer(r"\r\n", source), 1):
                anchors.append((match.end() - removed, match.end()))
            return anchors

        return cls(source, first_line=first_line, build=build)

    @property
    def anchors(self) -> AnchorPairs:
        if self._anchors is None:
            self._anchors = self._build() if self._build else [(0, 0)]
            self._build = None
        return self._anchors

    def _columns(self) -> tuple[Sequence[int], Sequence[int]]:
        """The anchors' text offsets and source offsets, as two sequences (made once)."""
        texts = self._text_positions
        if texts is None:
            anchors = self.anchors
            if isinstance(anchors, Anchors):
                texts, self._source_positions = anchors.text, anchors.source
            else:
                texts, self._source_positions = [a[0] for a in anchors], [a[1] for a in anchors]
            self._text_positions = texts
        return texts, self._source_positions

    def source_offset(self, text_offset: int) -> int:
        anchors = self.anchors
        if len(anchors) == 1:  # most documents: text and source advance together from one anchor
            text_at, source_at = anchors[0]
            return max(0, min(source_at + (text_offset - text_at), len(self.source)))
        texts = self._text_positions
        if texts is None:
            texts = self._columns()[0]
        sources = self._source_positions
        index = bisect.bisect_right(texts, text_offset) - 1
        if index < 0:
            index = 0
        source_at = sources[index]
        offset = source_at + (text_offset - texts[index])
        # A text position inside a decoded entity or escape maps to the escape's start; never
        # past the next anchor's source position, never out of the source.
        if index + 1 < len(texts):
            offset = min(offset, max(sources[index + 1] - 1, source_at))
        return max(0, min(offset, len(self.source)))

    def line_starts(self) -> Sequence[int]:
        if self._line_starts is None:
            self._line_starts = self._lines.starts() if self._lines is not None else _find_line_starts(self.source)
        return self._line_starts

    def position_of_source_offset(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a source offset, columns counted in characters."""
        known = self._known_starts
        if known is None and self._lines is not None:
            known = self._known_starts = []  # the shared table, bisected: the same positions
        if known is None:
            known = self._known_starts = [] if "\r" in self.source else [0]
            self._known_lines = [0] if known else []
            self._known_reach = [0] if known else []
        if known and offset >= 0:
            # Newlines are counted in C from the nearest line start an earlier lookup found: a
            # document's lookups fall in its cable, which an HTML page puts after 1,400 lines
            # of navigation that a table of all line starts would have to go through first.
            source = self.source
            index = bisect.bisect_right(known, offset) - 1
            base = known[index]
            reach = self._known_reach[index]  # source[base:reach] holds no newline
            if offset <= reach:
                return self.first_line + self._known_lines[index], offset - base + 1
            # Only what lies past the reach is read: a page whose <pre> writes its newlines as
            # entities is one line of 30 KB, and its findings were each read from its start.
            newline = source.rfind("\n", reach, offset)
            if newline < 0:
                self._known_reach[index] = offset
                return self.first_line + self._known_lines[index], offset - base + 1
            line_start = newline + 1
            following = known[index + 1] if index + 1 < len(known) else None
            if following is not None and following - offset < offset - reach:
                # Nearer the next known start: count back from it. Lookups come in no order (a
                # page's table, then its body, then its header).
                line = self._known_lines[index + 1] - source.count("\n", offset, following)
            else:
                line = self._known_lines[index] + source.count("\n", reach, offset)
            known.insert(index + 1, line_start)
            self._known_lines.insert(index + 1, line)
            self._known_reach.insert(index + 1, offset)
            return self.first_line + line, offset - line_start + 1
        starts = self.line_starts()
        index = bisect.bisect_right(starts, offset) - 1
        return self.first_line + index, offset - starts[index] + 1

    def count_lines_from(self, offset: int, newlines: int) -> None:
        """Take ``source[:offset]`` to hold ``newlines`` newlines (a reader counted them once for
        pages that open alike): lookups count from there, not from the source's start. It is
        what a lookup of ``offset`` would have found first, so every position stays the same."""
        if self._known_starts is not None or self._lines is not None or not 0 < offset <= len(self.source):
            return
        if "\r" in self.source:
            self._known_starts = []  # (position_of_source_offset's test: the full table)
            return
        line_start = self.source.rfind("\n", 0, offset) + 1
        self._known_starts = [0, line_start] if line_start else [0]
        self._known_lines = [0, newlines] if line_start else [0]
        self._known_reach = [0, offset] if line_start else [offset]

    def position(self, text_offset: int) -> tuple[int, int]:
        """1-based (line, column) in the source file of a text offset."""
        return self.position_of_source_offset(self.source_offset(text_offset))

    def positions(self, text_offsets: Iterable[int]) -> dict[int, tuple[int, int]]:
        """``{offset: self.position(offset)}`` for many offsets at once (a fix's edits): in order,
        each from the one before it, its newlines counted in C, where :meth:`position` searches
        the line starts known so far for each (a fix of 400 edits, 800 searches)."""
        ordered = sorted(set(text_offsets))
        if len(ordered) < 3 or self._lines is not None or "\r" in self.source:
            # A source with carriage returns (or a table shared with other records) is read by
            # its table of line starts, a bisection each.
            return {offset: self.position(offset) for offset in ordered}
        anchors = self.anchors
        if len(anchors) == 1:
            text_at, source_at = anchors[0]
            length = len(self.source)
            shift = source_at - text_at
            sources = [max(0, min(offset + shift, length)) for offset in ordered]
        else:
            sources = self._source_offsets(ordered)
        source = self.source
        previous = sources[0]
        line, column = self.position_of_source_offset(previous)
        line_start = previous - column + 1
        found: dict[int, tuple[int, int]] = {}
        for text_offset, at in zip(ordered, sources, strict=True):
            if at != previous:
                if at < previous:  # (text and source advance together: never, but then exactly)
                    return {offset: self.position(offset) for offset in ordered}
                newlines = source.count("\n", previous, at)
                if newlines:
                    line += newlines
                    line_start = source.rfind("\n", previous, at) + 1
                previous = at
            found[text_offset] = (line, at - line_start + 1)
        return found

    def _source_offsets(self, ordered: list[int]) -> list[int]:
        """``[self.source_offset(offset) for offset in ordered]`` for ascending offsets, with the
        anchors' columns fetched once and each bisection started at the anchor the offset before
        it fell after (anchors ascend: none before it lies past this offset). A call each cost
        more than the bisection (T504's fixes, 16,000 offsets over the corpus)."""
        texts, anchor_sources = self._columns()
        bisect_right = bisect.bisect_right
        last = len(texts) - 1
        length = len(self.source)
        sources = []
        index = 0
        for offset in ordered:
            index = bisect_right(texts, offset, index) - 1
            if index < 0:
                index = 0
            source_at = anchor_sources[index]
            at = source_at + (offset - texts[index])
            if index < last:  # (as in source_offset: never past the next anchor's source)
                at = min(at, max(anchor_sources[index + 1] - 1, source_at))
            sources.append(max(0, min(at, length)))
        return sources


@dataclass
class Metadata:
    """Release metadata given by the container (page table, record fields), as read.

    ``spans`` holds the source offsets ``(start, end)`` of each value, for findings about it.
    """

    reference_id: str | None = None
    created: str | None = None
    released: str | None = None
    classification: str | None = None
    origin: str | None = None
    subject: str | None = None
    references: list[str] | None = None
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)
    #: Where reference_id came from: "container", "filename" or None.
    reference_id_from: str | None = None
    #: Fields the container holds with no text to use, each with what it holds instead ("null",
    #: "the number 123", "an empty string", "an empty column"), their spans in ``spans``; and
    #: "missing" for a reference ID absent from a record that gives other release metadata.
    unusable: dict[str, str] = field(default_factory=dict)


@dataclass
class Document:
    """One cable as read: its normalised text, its metadata and a map back to the source."""

    text: str
    path: str
    format: str
    source_map: SourceMap
    record: int | None = None
    metadata: Metadata = field(default_factory=Metadata)
    #: Offset where the cable proper starts (after a pasted metadata block, for instance).
    cable_start: int = 0
    #: Offset of the body block when the container separates header and body (two <pre>s).
    body_start: int | None = None
    #: False when an edit of the text is no certain edit of the source (a page's flow text).
    fixable: bool = True
    #: Where the lines a mail or a post quoted the most end (the cable's), in a quoted text: what
    #: follows is the mail's own (its reply, its signature).
    quoted_end: int | None = None
    _line_starts: Sequence[int] | None = field(default=None, repr=False)

    def line_starts(self) -> Sequence[int]:
        if self._line_starts is None:
            self._line_starts = _newline_starts(self.text)
        return self._line_starts

    def cable_line(self, offset: int) -> int:
        """1-based line of a text offset in the normalised text."""
        return bisect.bisect_right(self.line_starts(), offset)

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) in the source file of a text offset."""
        return self.source_map.position(offset)


@dataclass(frozen=True)
class ReadProblem:
    """A part of a file that could not be read as a cable (reported as E001)."""

    path: str
    message: str
    line: int = 1
    column: int = 1
    record: int | None = None
    code: str = "E001"
