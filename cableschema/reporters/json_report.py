"""``--format json``: the report document of schema ``report/1-0-0``."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from typing import TextIO

from .. import __version__
from ..engine import FileResult, RunResult
from ..model import FileSummary, Report, Summary, Tool
from ._context import ReportContext


def build(run: RunResult) -> Report:
    """The whole report as one model (for Python callers; ``report`` writes it piece by piece)."""
    per_file = Counter(f.path for f in run.findings)
    files = [_file_summary(result, per_file) for result in run.files]
    return Report(tool=Tool(version=__version__), findings=run.findings, files=files, summary=_summary(run))


def _file_summary(result: FileResult, per_file: Counter[str]) -> FileSummary:
    return FileSummary(
        path=result.path,
        format=result.format,
        reference_ids=result.reference_ids,
        cables=len(result.cables),
        findings=per_file.get(result.path, 0),
        error=result.error,
    )


def _summary(run: RunResult) -> Summary:
    return Summary(
        files=len(run.files),
        cables=run.cables,
        findings=len(run.findings),
        by_code=dict(sorted(Counter(f.code for f in run.findings).items())),
        by_severity=dict(sorted(Counter(f.severity for f in run.findings).items())),
        baseline_matched=run.baseline_matched,
        baseline_stale=run.baseline_stale,
    )


def report(run: RunResult, context: ReportContext, stream: TextIO) -> None:
    """Write the report as ``json.dump(build(run).model_dump(), indent=2)`` would, one finding and
    one file at a time: a run over a quarter of a million files does not build the whole
    document in memory first."""
    per_file = Counter(f.path for f in run.findings)
    head = Report(tool=Tool(version=__version__), findings=[], files=[], summary=_summary(run))
    fields = head.model_dump(mode="json", by_alias=True)
    stream.write("{\n")
    for index, (key, value) in enumerate(fields.items()):
        stream.write(f"  {json.dumps(key)}: ")
        if key == "findings":
            _write_array(stream, (f.model_dump(mode="json", by_alias=True) for f in run.findings))
        elif key == "files":
            _write_array(stream, (_file_summary(result, per_file).model_dump(mode="json") for result in run.files))
        else:
            stream.write(_nested(json.dumps(value, indent=2, ensure_ascii=False), 2))
        stream.write(",\n" if index < len(fields) - 1 else "\n")
    stream.write("}\n")


def _nested(text: str, depth: int) -> str:
    """A value dumped with ``indent=2`` as it reads ``depth`` spaces in."""
    return text.replace("\n", "\n" + " " * depth)


def _write_array(stream: TextIO, items: Iterator[object]) -> None:
    first = True
    for item in items:
        stream.write("[\n    " if first else ",\n    ")
        stream.write(_nested(json.dumps(item, indent=2, ensure_ascii=False), 4))
        first = False
    stream.write("[]" if first else "\n  ]")
