"""``--format json``: the report document of schema ``report/1-0-0``."""

from __future__ import annotations

import json
from collections import Counter
from typing import TextIO

from .. import __version__
from ..engine import RunResult
from ..model import FileSummary, Report, Summary, Tool
from ._context import ReportContext


def build(run: RunResult) -> Report:
    per_file = Counter(f.path for f in run.findings)
    files = [
        FileSummary(
            path=result.path,
            format=result.format,
            reference_ids=result.reference_ids,
            cables=len(result.cables),
            findings=per_file.get(result.path, 0),
            error=result.error,
        )
        for result in run.files
    ]
    summary = Summary(
        files=len(run.files),
        cables=run.cables,
        findings=len(run.findings),
        by_code=dict(sorted(Counter(f.code for f in run.findings).items())),
        by_severity=dict(sorted(Counter(f.severity for f in run.findings).items())),
        baseline_matched=run.baseline_matched,
        baseline_stale=run.baseline_stale,
    )
    return Report(tool=Tool(version=__version__), findings=run.findings, files=files, summary=summary)


def report(run: RunResult, context: ReportContext, stream: TextIO) -> None:
    document = build(run).model_dump(mode="json", by_alias=True)
    json.dump(document, stream, indent=2, ensure_ascii=False)
    stream.write("\n")
