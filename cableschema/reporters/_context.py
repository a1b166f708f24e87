"""What every reporter may know besides the findings."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReportContext:
    color: bool = False
    show_source: bool = False
    statistics: bool = False
    fail_on: str = "error"
