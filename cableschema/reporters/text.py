"""``--format text``: ``path:line:col: CODE [severity] message``, like a compiler.

On a terminal each finding also shows its source line with a caret under the span, in colour
(``NO_COLOR`` is honoured). With ``--statistics`` the counts per code are printed instead.
"""

from __future__ import annotations

from typing import TextIO

from ..engine import RunResult
from ._context import ReportContext, printable

_COLORS = {"error": "\033[31m", "warning": "\033[33m", "info": "\033[36m"}
_BOLD, _RESET = "\033[1m", "\033[0m"
_WIDTH = 100


def _source_line(path: str, line: int, cache: dict[str, list[str]]) -> str | None:
    if path.startswith("<"):
        return None
    if path not in cache:
        try:
            with open(path, encoding="utf-8", errors="replace", newline="") as handle:
                cache.clear()  # keep one file in memory at a time
                cache[path] = handle.read(64 * 1024 * 1024).splitlines()
        except OSError:
            cache[path] = []
    lines = cache[path]
    return lines[line - 1] if 0 < line <= len(lines) else None


def _excerpt(source: str, column: int, end_column: int) -> tuple[str, int, int]:
    """A window of a long line around the span, with the span's columns in the window."""
    source = source.replace("\t", " ")
    start = max(0, column - 1 - _WIDTH // 3) if len(source) > _WIDTH else 0
    window = source[start : start + _WIDTH]
    prefix = "..." if start else ""
    return prefix + window, column - start + len(prefix), end_column - start + len(prefix)


def report(run: RunResult, context: ReportContext, stream: TextIO) -> None:
    if context.statistics:
        statistics(run, stream)
        return
    cache: dict[str, list[str]] = {}
    for finding in run.findings:
        severity = finding.severity
        path, message = printable(finding.path), printable(finding.message)
        if context.color:
            head = f"{_BOLD}{path}:{finding.line}:{finding.column}:{_RESET} "
            head += f"{_COLORS[severity]}{_BOLD}{finding.code}{_RESET} [{severity}] {message}"
        else:
            head = f"{path}:{finding.line}:{finding.column}: {finding.code} [{severity}] {message}"
        stream.write(head + "\n")
        if context.show_source:
            source = _source_line(finding.path, finding.line, cache)
            if source is not None and source.strip():
                end_column = finding.end_column if finding.end_line == finding.line else len(source) + 1
                window, first, last = _excerpt(source, finding.column, end_column)
                width = max(1, min(last, len(window) + 1) - first)
                caret = " " * (first - 1) + "^" * width
                if context.color:
                    caret = f"{_COLORS[severity]}{caret}{_RESET}"
                stream.write(f"  | {window}\n  | {caret}\n")
    counts = run.counts
    total = counts.total
    if total and context.show_source and context.summary:
        fixable = counts.safe_fixes
        cables = run.cables
        summary = f"Found {total} finding{'s' if total != 1 else ''} in {cables} cable{'s' if cables != 1 else ''}"
        if fixable:
            summary += f" ({fixable} fixable with --fix)"
        stream.write(summary + ".\n")


def statistics(run: RunResult, stream: TextIO) -> None:
    counts = run.counts
    # Each finding carries its rule's name: the rules themselves need not be loaded for a run
    # served by the cache.
    for code, count in sorted(counts.by_code.items(), key=lambda item: (-item[1], item[0])):
        name = counts.names[code]
        mark = "[*]" if counts.fixable_by_code.get(code) else "   "
        stream.write(f"{count:>7}  {code}  {mark} {name}\n")
    stream.write(f"{counts.total:>7}  total in {len(run.files)} files, {run.cables} cables\n")
    if run.baseline_matched is not None:
        stream.write(f"{run.baseline_matched:>7}  hidden by the baseline\n")
        stream.write(f"{run.baseline_stale or 0:>7}  stale baseline entries (matched no finding)\n")
