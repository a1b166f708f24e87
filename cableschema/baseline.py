"""Baselines: record today's findings so that only new ones fail a build.

An entry matches a finding on its path, its code and its fingerprint (a hash of the code, the
reference ID and the text of the line around the finding), never on line numbers, so entries
survive edits elsewhere in a file. Entries are a multiset: two identical findings need two
entries. Entries that match no finding are *stale* and counted in ``--statistics``.
"""

from __future__ import annotations

import json
import os
import stat
from collections import Counter
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from ._json_stream import write_with_streamed_array
from .finding_store import FindingStore
from .findings import PlainFinding

FORMAT = "cableschema-baseline/1"


class BaselineError(ValueError):
    """An unreadable or malformed baseline file (one line)."""


@dataclass(frozen=True)
class Filtered:
    findings: Collection[PlainFinding]
    matched: int
    stale: int


def _key(path: str, code: str, fingerprint: str | None) -> tuple[str, str, str]:
    return (Path(path).as_posix(), code, fingerprint or "")


def _entry(finding: PlainFinding) -> dict[str, Any]:
    return {
        "path": Path(finding.path).as_posix(),
        "code": finding.code,
        "fingerprint": finding.fingerprint,
        "reference_id": finding.reference_id,
        "line": finding.line,
        "message": finding.message,
    }


def write(findings: Iterable[PlainFinding], destination: str) -> int:
    """Record ``findings`` (read once) in ``destination``, replaced whole or not at all; returns
    the number of entries. The entries are written a few at a time, never all held. A link is
    followed (the link stays, the file it names is replaced) and a file keeps its permission
    bits; a device or a pipe (``/dev/null``) is written to, as ``-o`` writes to one, never
    replaced by a file."""
    try:
        status: os.stat_result | None = os.stat(destination)
    except OSError:
        status = None
    if status is not None and not stat.S_ISREG(status.st_mode):
        with open(destination, "w", encoding="utf-8", errors="backslashreplace") as stream:
            return _write_entries(stream, findings)
    import tempfile  # here: 2.4 ms of every run's start, most of which write no baseline

    target = os.path.realpath(destination)
    handle, temporary = tempfile.mkstemp(prefix=".baseline-", dir=os.path.dirname(target))
    try:
        # A path that is not UTF-8 as a \udcXX escape: read back as the same path (see cli).
        with os.fdopen(handle, "w", encoding="utf-8", errors="backslashreplace") as stream:
            count = _write_entries(stream, findings)
        os.chmod(temporary, stat.S_IMODE(status.st_mode) if status is not None else 0o666 & ~_umask())
        os.replace(temporary, target)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
    return count


def _write_entries(stream: TextIO, findings: Iterable[PlainFinding]) -> int:
    entries = (_entry(finding) for finding in findings)
    # "entries" is a member of the top-level object, one level deep.
    count = write_with_streamed_array(stream, {"format": FORMAT, "entries": []}, "entries", 1, entries, indent=1)
    stream.write("\n")
    return count


def _umask() -> int:
    """The process's umask (a new file's permissions: a temporary file is made 0600)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def load(source: str) -> Counter[tuple[str, str, str]]:
    try:
        with open(source, encoding="utf-8") as stream:
            document = json.load(stream)
    except OSError as exc:
        raise BaselineError(f"{source}: cannot read baseline: {exc.strerror or exc}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise BaselineError(f"{source}: baseline is not valid JSON: {exc}") from None
    except RecursionError:
        raise BaselineError(f"{source}: baseline is not valid JSON: nested too deeply to read") from None
    except ValueError:  # an integer of more digits than int() converts
        raise BaselineError(f"{source}: baseline is not valid JSON: a number too long to read") from None
    if (
        not isinstance(document, dict)
        or document.get("format") != FORMAT
        or not isinstance(document.get("entries"), list)
    ):
        raise BaselineError(f"{source}: not a cableschema baseline (expected format {FORMAT!r})")
    entries: Counter[tuple[str, str, str]] = Counter()
    for entry in document["entries"]:
        if (
            not isinstance(entry, dict)
            or not isinstance(entry.get("path"), str)
            or not isinstance(entry.get("code"), str)
            or not isinstance(entry.get("fingerprint"), (str, type(None)))
        ):
            shown = repr(entry)
            shown = shown if len(shown) <= 120 else f"{shown[:117]}..."
            raise BaselineError(
                f"{source}: baseline entry without a path and a code (strings) and a fingerprint (string "
                f"or null): {shown}"
            )
        entries[_key(entry["path"], entry["code"], entry.get("fingerprint"))] += 1
    return entries


def apply(findings: Iterable[PlainFinding], entries: Counter[tuple[str, str, str]]) -> Filtered:
    remaining = Counter(entries)
    matched = 0

    def unmatched() -> Iterator[PlainFinding]:
        nonlocal matched
        for finding in findings:
            key = _key(finding.path, finding.code, finding.fingerprint)
            if remaining[key] > 0:
                remaining[key] -= 1
                matched += 1
            else:
                yield finding

    kept: list[PlainFinding] | FindingStore
    if isinstance(findings, FindingStore):
        kept = FindingStore()  # a run's store (which may be on disk) is filtered into another
        kept.extend(unmatched())
    else:
        kept = list(unmatched())
    stale = sum(count for count in remaining.values() if count > 0)
    return Filtered(kept, matched, stale)
