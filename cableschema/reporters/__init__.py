"""Reporters: findings of a run in the formats CI systems read.

Each reporter is a function ``(run, context, stream) -> None`` registered in :data:`REPORTERS`;
reporters know nothing of selection, configuration or baselines.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from ..engine import RunResult
from . import github, json_report, junit, sarif, text
from ._context import ReportContext

Reporter = Callable[[RunResult, ReportContext, TextIO], None]

REPORTERS: dict[str, Reporter] = {
    "text": text.report,
    "json": json_report.report,
    "sarif": sarif.report,
    "junit": junit.report,
    "github": github.report,
}

__all__ = ["REPORTERS", "ReportContext", "Reporter"]
