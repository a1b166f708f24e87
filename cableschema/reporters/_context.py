"""What every reporter may know besides the findings."""

from __future__ import annotations

from dataclasses import dataclass

from .. import _regex

_CONTROL = _regex.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f]")


def printable(value: str) -> str:
    """``value`` with its control characters written as escapes (``\\n``, ``\\x1b``): a reference ID
    or file name that holds a newline cannot start a line of its own in a report that is read a
    line a finding, nor a terminal escape reach the terminal."""
    if value.isprintable():
        return value
    return _CONTROL.sub(lambda match: repr(match.group())[1:-1], value)


@dataclass(frozen=True)
class ReportContext:
    color: bool = False
    show_source: bool = False
    statistics: bool = False
    fail_on: str = "error"
    summary: bool = True  # the last line of a terminal's report, that counts the findings (not with --quiet)
