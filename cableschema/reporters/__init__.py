"""Reporters: findings of a run in the formats CI systems read.

Each reporter is a function ``(run, context, stream) -> None`` registered in :data:`REPORTERS`;
reporters know nothing of selection, configuration or baselines.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping
from typing import ClassVar, TextIO

from ..engine import RunResult
from ._context import ReportContext

Reporter = Callable[[RunResult, ReportContext, TextIO], None]


class _Reporters(Mapping[str, Reporter]):
    """Each format's reporter, its module imported when the format is asked for: a run writes one
    format, and importing all five (XML among them) took 3-4 ms of every run."""

    _MODULES: ClassVar[dict[str, str]] = {
        "text": "text",
        "json": "json_report",
        "sarif": "sarif",
        "junit": "junit",
        "github": "github",
    }

    def __getitem__(self, name: str) -> Reporter:
        module = importlib.import_module(f"{__name__}.{self._MODULES[name]}")
        reporter: Reporter = module.report
        return reporter

    def __iter__(self) -> Iterator[str]:
        return iter(self._MODULES)

    def __len__(self) -> int:
        return len(self._MODULES)


REPORTERS: Mapping[str, Reporter] = _Reporters()

__all__ = ["REPORTERS", "ReportContext", "Reporter"]
