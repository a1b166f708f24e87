"""A run's findings, in report order, kept on disk past a bound.

A corpus the size of the whole release gives about a million findings (four a cable in the real
corpus), some 0.8 KB each with their strings (3 KB as models): held in a list, that is most of a
gigabyte. The runner appends each file's findings here as the file (or a chunk of a large one) is
done, in path order; past :data:`MEMORY_LIMIT` findings the ones held are written to an anonymous
temporary file as rows of values (see :func:`~cableschema.findings.finding_row`) and dropped.
Iterating the store reads them back, one chunk at a time, merged with the findings added at the end
of the run (the corpus rules') by the same order the whole list was sorted by before.

The counts the reporters and the exit status need are kept as findings are added (counted many at
a time), so that no reporter has to iterate the findings more than once.
"""

from __future__ import annotations

import sys
import weakref
from collections.abc import Collection, Iterable, Iterator
from itertools import islice
from typing import IO, Any

from .engine import (
    FindingCounts,
    _in_file_key,
    _path_key,
    _sort_findings,
)
from .findings import PlainFinding, finding_row, findings_from_rows

#: Findings held in memory before they are written out: about 20 MB with their strings (a run of
#: the real corpus, 8,751 findings, never writes any).
MEMORY_LIMIT = 25_000
#: Findings of an iterable other than a list taken at once by extend.
_BATCH = 1_000


class FindingStore(Collection[PlainFinding]):
    """Findings appended in report order: by path, then as :func:`~cableschema.engine.lint_file`
    orders a file's own. Findings appended out of path order are still reported in order (the
    whole store is then sorted in memory when it is read)."""

    def __init__(self, memory_limit: int | None = None) -> None:
        self.memory_limit = MEMORY_LIMIT if memory_limit is None else memory_limit
        self._counts = FindingCounts()
        self._uncounted = 0  # the last findings held, not counted yet
        self._held: list[PlainFinding] = []
        self._late: list[PlainFinding] = []
        self._spill: IO[bytes] | None = None
        # (offset, size, pickled) of each chunk written out: marshal's bytes, or pickle's where a
        # value is of a type marshal does not store (a rule's message of a str subclass).
        self._chunks: list[tuple[int, int, bool]] = []
        self._last_path: str | None = None
        self._last_key: tuple[str, ...] = ()
        self._last_in_file: tuple[Any, ...] = ()
        self._sorted = True
        self._spill_failed = False

    @property
    def counts(self) -> FindingCounts:
        """The counts of every finding added so far."""
        self._count_held()
        return self._counts

    def _count_held(self) -> None:
        # Counted many files at a time, not file by file: a Counter update costs the same for one
        # finding as for a hundred, and a run served by the cache adds 2,000 files' in 0.05 s.
        if self._uncounted:
            self._counts.add_all(self._held[-self._uncounted :])
            self._uncounted = 0

    # -- filling ---------------------------------------------------------------------------------

    def append(self, finding: PlainFinding) -> None:
        self.extend([finding])

    def extend(self, findings: Iterable[PlainFinding], *, in_order: bool = False) -> None:
        """Add findings after those added before. ``in_order``: a list known to be in report order
        and after them (a run pack's, which the store wrote in order): not checked again."""
        if isinstance(findings, list):
            self._add(findings, in_order)
            return
        # Any other iterable, however long, is taken a batch at a time, never held whole.
        remaining = iter(findings)
        while batch := list(islice(remaining, _BATCH)):
            self._add(batch)

    def _add(self, batch: list[PlainFinding], in_order: bool = False) -> None:
        if not batch:
            return
        if self._sorted and in_order:
            last = batch[-1]
            self._last_path, self._last_key, self._last_in_file = last.path, _path_key(last.path), _in_file_key(last)
        elif self._sorted:
            self._check_order(batch)
        self._held.extend(batch)
        self._uncounted += len(batch)
        if len(self._held) >= self.memory_limit:
            self._write_out()

    def _check_order(self, batch: list[PlainFinding]) -> None:
        """Clear ``_sorted`` when a finding comes before the one appended before it."""
        last_path, last_key, last_in_file = self._last_path, self._last_key, self._last_in_file
        for finding in batch:
            path = finding.path
            in_file = _in_file_key(finding)
            if path != last_path:
                key = _path_key(path)
                if last_path is not None and key <= last_key:
                    self._sorted = False  # reported in order all the same: see __iter__
                    return
                last_path, last_key = path, key
            elif in_file < last_in_file:
                self._sorted = False
                return
            last_in_file = in_file
        self._last_path, self._last_key, self._last_in_file = last_path, last_key, last_in_file

    def add_late(self, findings: list[PlainFinding]) -> None:
        """Findings of any paths, found once every file is done (the corpus rules'): reported in
        their place among the others. Few, so they stay in memory."""
        self._counts.add_all(findings)
        self._late.extend(findings)
        _sort_findings(self._late)

    def _write_out(self) -> None:
        self._count_held()
        if self._spill_failed:
            return
        import marshal
        import pickle  # here: most runs hold their findings in memory
        import tempfile

        try:
            if self._spill is None:
                self._spill = tempfile.TemporaryFile(prefix="cableschema-findings-")  # noqa: SIM115
                # Closed by close(), or when the store is collected: a run of the Python API need
                # not close its store, and the collector then said "unclosed file" (-X dev).
                weakref.finalize(self, self._spill.close)
            groups: list[tuple[str, list[Any]]] = []
            for finding in self._held:
                path = finding.path
                if not groups or groups[-1][0] != path:
                    groups.append((path, []))
                groups[-1][1].append(finding_row(finding))
            # marshal writes and reads plain values in a third of pickle's time (a run of 175,000
            # findings wrote and read them all back).
            pickled = False
            try:
                data = marshal.dumps(groups)
            except ValueError:
                data, pickled = pickle.dumps(groups, protocol=pickle.HIGHEST_PROTOCOL), True
            offset = self._spill.seek(0, 2)
            self._spill.write(data)
        except (OSError, pickle.PicklingError) as exc:
            # No room for a temporary file: the run goes on with its findings in memory.
            print(
                f"cableschema: warning: cannot write findings to a temporary file ({exc}); keeping them in memory",
                file=sys.stderr,
            )
            self._spill_failed = True
            return
        self._chunks.append((offset, len(data), pickled))
        self._held = []

    def close(self) -> None:
        """Delete the temporary file (also done when the store is collected)."""
        if self._spill is not None:
            self._spill.close()
            self._spill = None
            self._chunks = []

    # -- reading ---------------------------------------------------------------------------------

    def _appended(self) -> Iterator[PlainFinding]:
        if self._chunks:
            yield from self._written_out()
        yield from self._held

    def _written_out(self) -> Iterator[PlainFinding]:
        """The findings written to the temporary file, read back in order."""
        import marshal
        import pickle  # here: a run that writes none out does not import it (2.7 ms)

        for offset, size, pickled in self._chunks:
            assert self._spill is not None
            try:
                self._spill.seek(offset)
                data = self._spill.read(size)
                if len(data) != size:
                    raise EOFError(f"{len(data):,} of {size:,} bytes")
                groups = pickle.loads(data) if pickled else marshal.loads(data)
            except (OSError, EOFError, ValueError, pickle.UnpicklingError) as exc:
                # The machine failed under the run (a disk error, the file cut short): one line
                # for the command to print, as for a full disk, not a traceback or a report
                # silently missing findings.
                raise OSError(f"cannot read the findings back from their temporary file ({exc})") from exc
            for path, rows in groups:
                yield from findings_from_rows(rows, path)

    def __iter__(self) -> Iterator[PlainFinding]:
        if not self._sorted:
            everything = [*self._appended(), *self._late]
            _sort_findings(everything)
            return iter(everything)
        if not self._late:
            return self._appended()
        return _merge_few(self._appended(), self._late)

    def __len__(self) -> int:
        return self.counts.total

    def __contains__(self, item: object) -> bool:
        return any(finding == item for finding in self)

    @property
    def spilled(self) -> bool:
        """Whether some findings are on disk."""
        return bool(self._chunks)


def _merge_few(many: Iterator[PlainFinding], few: list[PlainFinding]) -> Iterator[PlainFinding]:
    """``heapq.merge(many, few, key=_finding_key)`` for a few findings (sorted) among many: a
    finding of ``many`` gets its full key only in a file that one of ``few`` is in; elsewhere its
    path's key decides, made once a file. Making every finding's key took longer than the rest of
    reading the store, for the half-dozen findings of the corpus rules."""
    few_paths = [_path_key(finding.path) for finding in few]
    index = 0
    path: str | None = None
    path_key: tuple[str, ...] = ()
    for finding in many:
        while index < len(few):
            if finding.path != path:
                path = finding.path
                path_key = _path_key(path)
            before = few_paths[index] < path_key
            if not before and few_paths[index] == path_key:
                # Strictly less, as heapq.merge (which puts the first iterable's first).
                before = _in_file_key(few[index]) < _in_file_key(finding)
            if not before:
                break
            yield few[index]
            index += 1
        yield finding
    yield from few[index:]
