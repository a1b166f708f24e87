"""Applying fixes to files: only the spans findings name, atomically, never half-written.

Edits are given in source (line, column) positions. They are applied to the decoded file and
the result is encoded in the file's own encoding; a file that did not decode cleanly is left
alone (re-encoding would change bytes no fix named). Writing goes through a temporary file in
the same directory, keeps the file's mode, and replaces the original with one rename: an
interrupted fix leaves the old file or the new one, never a mix.
"""

from __future__ import annotations

import bisect
import codecs
import contextlib
import difflib
import itertools
import os
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .document import LINE_BREAK
from .findings import PlainEdit, PlainFinding
from .readers._decode import NotText, decode


class FixError(Exception):
    """A file cannot be fixed; the message is one line."""


@dataclass(frozen=True)
class FixPlan:
    path: str
    original: str
    fixed: str
    applied: int
    encoding: str

    @property
    def changed(self) -> bool:
        return self.original != self.fixed

    def diff(self) -> str:
        lines = difflib.unified_diff(
            self.original.splitlines(keepends=True),
            self.fixed.splitlines(keepends=True),
            fromfile=f"a/{self.path}",
            tofile=f"b/{self.path}",
        )
        return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)


def _offsets(text: str) -> list[int]:
    starts = [0]
    starts.extend(m.end() for m in LINE_BREAK.finditer(text))
    return starts


def _offset(starts: Sequence[int], text: str, line: int, column: int) -> int:
    if line - 1 >= len(starts):
        return len(text)
    return min(len(text), starts[line - 1] + column - 1)


def fixable(finding: PlainFinding, unsafe: bool) -> bool:
    return finding.fix is not None and (finding.fix.applicability == "safe" or unsafe)


def read_source(path: str) -> tuple[str, str]:
    """The decoded text of a file and its encoding; FixError if it cannot be round-tripped."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise FixError(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        decoded = decode(data)
    except NotText as exc:
        raise FixError(f"{path}: {exc}") from None
    if "replaced" in decoded.encoding:
        raise FixError(f"{path}: not fixed: it holds invalid UTF-8 bytes that re-encoding would change")
    return decoded.text, decoded.encoding


def plan(path: str, findings: Sequence[PlainFinding], unsafe: bool = False) -> FixPlan:
    """The fixed text of a file, applying every non-overlapping fix (first come, first served)."""
    text, encoding = read_source(path)
    starts = _offsets(text)
    fixes = (
        [
            (_offset(starts, text, e.line, e.column), _offset(starts, text, e.end_line, e.end_column), e.content)
            for e in finding.fix.edits
        ]
        for finding in findings
        if finding.fix is not None and fixable(finding, unsafe)
    )
    fixed, applied = fixed_text(text, fixes)
    return FixPlan(path, text, fixed, applied, encoding)


Edit = tuple[int, int, str]


def fixed_text(text: str, fixes: Iterable[list[Edit]]) -> tuple[str, int]:
    """``text`` with the edits ``(start, end, content)`` of each fix that overlaps no fix taken
    before it (see :func:`_overlaps`; the others are applied on the next pass, once the text has
    settled), and how many fixes were taken.

    Linear in the text and the edits: a file of 6,000 records took 92 s to fix, each edit made
    a copy of the whole text, and each fix was compared with every one taken before."""
    taken = _Taken()
    applied = 0
    for spans in fixes:
        if any(map(taken.overlaps, spans)):
            continue
        taken.add(spans)
        applied += 1
    return _spliced(text, taken.edits), applied


def _overlaps(span: Edit, edits: Iterable[Edit]) -> bool:
    start, end, _ = span
    return any((start < other_end and other_start < end) or start == other_start for other_start, other_end, _ in edits)


class _Taken:
    """The edits of the fixes taken so far, and :func:`_overlaps` of an edit against them, found
    by bisection while no two of them overlap: then, in the order of their starts, each ends
    where or before the next one starts, and of the edits that start before a span ends, the
    last one ends last. A fix whose own edits overlap each other (its edits are tested against
    those taken before, not among themselves), or one that ends before it starts, makes every
    later test go through all the edits, as each one did before."""

    def __init__(self) -> None:
        self.edits: list[Edit] = []
        self._starts: list[int] = []
        self._ends: list[int] = []  # in the order of _starts
        self._ordered = True

    def overlaps(self, span: Edit) -> bool:
        if not self._ordered:
            return _overlaps(span, self.edits)
        start, end, _ = span
        starts = self._starts
        at = bisect.bisect_left(starts, start)
        if at < len(starts) and starts[at] == start:
            return True
        before = bisect.bisect_left(starts, end)  # the edits that start before the span ends
        return before > 0 and self._ends[before - 1] > start

    def add(self, spans: list[Edit]) -> None:
        self.edits.extend(spans)
        if not self._ordered:
            return
        if any(end < start for start, end, _ in spans) or _overlap_each_other(spans):
            self._ordered = False
            return
        if len(spans) <= 8:
            for start, end, _ in spans:
                at = bisect.bisect_left(self._starts, start)
                self._starts.insert(at, start)
                self._ends.insert(at, end)
            return
        # A fix of thousands of edits (T504's every "<br>" of a cable): merged at once, not each
        # inserted into the lists (a copy of their tails each).
        merged = sorted([*zip(self._starts, self._ends, strict=True), *((start, end) for start, end, _ in spans)])
        self._starts = [start for start, _ in merged]
        self._ends = [end for _, end in merged]


def _overlap_each_other(spans: list[Edit]) -> bool:
    """Whether two of a fix's own edits overlap (as :func:`_overlaps` says), none ending before
    it starts: in the order of their starts, only neighbours need comparing (each one ends where
    or before the next starts, or two of them overlap). Each compared with every one before it
    took 6 s for a fix of 25,000 edits."""
    ordered = sorted((start, end) for start, end, _ in spans)
    return any(following <= start or following < end for (start, end), (following, _) in itertools.pairwise(ordered))


def _spliced(text: str, edits: list[Edit]) -> str:
    """``text`` with each edit applied: the text between the edits and their contents, in the
    order of their starts, joined once (what applying them from the last one back gives). Edits
    that overlap (a fix's own) or end before they start are applied one at a time, as they were."""
    pieces: list[str] = []
    done = 0
    for start, end, content in sorted(edits):
        if start < done or end < start:
            return _spliced_one_by_one(text, edits)
        pieces.append(text[done:start])
        pieces.append(content)
        done = end
    pieces.append(text[done:])
    return "".join(pieces)


def _spliced_one_by_one(text: str, edits: list[Edit]) -> str:
    for start, end, content in sorted(edits, reverse=True):
        text = text[:start] + content + text[end:]
    return text


def _encode(text: str, encoding: str) -> bytes:
    if encoding == "utf-8-sig":
        return codecs.BOM_UTF8 + text.encode("utf-8")
    if encoding == "utf-16":
        return text.encode("utf-16")  # writes a BOM, as the file had one
    return text.encode(encoding)


def write_atomically(path: str, data: bytes) -> None:
    """Replace ``path`` by ``data`` with one rename, keeping the file's permission bits. A link is
    followed: the file it points to is replaced and the link stays (renaming over the link's own
    name made it a copy, and left the file it named unfixed).

    A file of several names (hard links) is written in place instead, as editors do: a rename
    gives this name a new file and leaves the old text under the others. The fixed text is
    written to a temporary file first; if writing in place fails part way, the error names that
    file, which holds the whole fixed text."""
    path = os.path.realpath(path)
    directory = os.path.dirname(path)
    try:
        status: os.stat_result | None = os.stat(path)
    except OSError:
        status = None
    import tempfile  # here: 2.4 ms of every run's start, most of which fix nothing

    handle, temporary = tempfile.mkstemp(prefix=".cableschema-fix-", dir=directory)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if status is not None:
            os.chmod(temporary, stat.S_IMODE(status.st_mode))
        if status is None or status.st_nlink <= 1:
            os.replace(temporary, path)
            return
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    try:
        with open(path, "r+b") as stream:
            stream.write(data)
            stream.truncate()
            stream.flush()
            os.fsync(stream.fileno())
    except OSError as exc:
        raise OSError(exc.errno, f"{exc.strerror or exc}; the fixed text is in {temporary}") from None
    os.unlink(temporary)


def apply(fix_plan: FixPlan) -> None:
    """Write a plan's fixed text; FixError (file left as it was) when it cannot be written."""
    if not fix_plan.changed:
        return
    try:
        data = _encode(fix_plan.fixed, fix_plan.encoding)
    except UnicodeEncodeError:
        raise FixError(f"{fix_plan.path}: not fixed: the result cannot be written as {fix_plan.encoding}") from None
    try:
        write_atomically(fix_plan.path, data)
    except OSError as exc:
        raise FixError(f"{fix_plan.path}: cannot write the fix: {exc.strerror or exc}") from None


def edits_of(findings: Sequence[PlainFinding]) -> list[PlainEdit]:
    return [edit for f in findings if f.fix is not None for edit in f.fix.edits]
