"""``--format json``: the report document of schema ``report/1-0-0``."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, TextIO

from .. import __version__
from ..engine import FileResult, FindingCounts, RunResult
from ..findings import REPORT_SCHEMA_VERSION, PlainFinding, PlainFix
from ._context import ReportContext

# The models are for Python callers (build); the report a run writes is made of plain values.
if TYPE_CHECKING:
    from ..model import FileSummary, Report, Summary


def build(run: RunResult) -> Report:
    """The whole report as one model (for Python callers; ``report`` writes it piece by piece)."""
    from ..model import Report, Tool

    counts = run.counts
    files = [_file_summary(result, counts.by_path) for result in run.files]
    findings = [finding.model() for finding in run.findings]
    return Report(tool=Tool(version=__version__), findings=findings, files=files, summary=_summary(run, counts))


def _file_summary(result: FileResult, per_file: Counter[str]) -> FileSummary:
    from ..model import FileSummary

    return FileSummary(
        path=result.path,
        format=result.format,
        reference_ids=result.reference_ids,
        cables=len(result.cables),
        findings=per_file.get(result.path, 0),
        error=result.error,
    )


def _file_entry_text(result: FileResult, per_file: Counter[str]) -> str:
    """``_pretty(_file_summary(...).model_dump(mode="json"), 4)`` for one file, written directly:
    a report has one a file, a quarter of a million in a large run (a test holds the two
    equal)."""
    ids = result.reference_ids
    if ids:
        listed = ",\n        ".join(map(_encode_string, ids))
        reference_ids = f"[\n        {listed}\n      ]"
    else:
        reference_ids = "[]"
    fmt = "null" if result.format is None else _encode_string(result.format)
    error = "null" if result.error is None else _encode_string(result.error)
    return (
        f'{{\n      "path": {_encode_string(result.path)},\n      "format": {fmt},\n'
        f'      "reference_ids": {reference_ids},\n      "cables": {len(result.cables)},\n'
        f'      "findings": {per_file.get(result.path, 0)},\n      "error": {error}\n    }}'
    )


def _summary(run: RunResult, counts: FindingCounts) -> Summary:
    from ..model import Summary

    return Summary(**_summary_values(run, counts))


def _summary_values(run: RunResult, counts: FindingCounts) -> dict[str, Any]:
    return {
        "files": len(run.files),
        "cables": run.cables,
        "findings": counts.total,
        "by_code": dict(sorted(counts.by_code.items())),
        "by_severity": dict(sorted(counts.by_severity.items())),
        "baseline_matched": run.baseline_matched,
        "baseline_stale": run.baseline_stale,
    }


def _head(run: RunResult, counts: FindingCounts) -> dict[str, Any]:
    """``Report(...).model_dump(mode="json")`` with no findings and no files, made of plain values:
    pydantic's first validation in a process (it builds the validator and looks up its plugins in
    every installed package) cost more than all else a run served by the cache does but import
    (a test holds the two equal)."""
    return {
        "schema_version": REPORT_SCHEMA_VERSION,
        "tool": {"name": "cableschema", "version": __version__},
        "findings": [],
        "files": [],
        "summary": _summary_values(run, counts),
    }


def report(run: RunResult, context: ReportContext, stream: TextIO) -> None:
    """Write the report as ``json.dump(build(run).model_dump(), indent=2)`` would, one finding and
    one file at a time: a run over a quarter of a million files does not build the whole
    document in memory first."""
    counts = run.counts
    per_file = counts.by_path
    fields = _head(run, counts)
    stream.write("{\n")
    for index, (key, value) in enumerate(fields.items()):
        stream.write(f"  {json.dumps(key)}: ")
        if key == "findings":
            _write_texts(stream, map(_finding_text, run.findings))
        elif key == "files":
            _write_texts(stream, (_file_entry_text(result, per_file) for result in run.files))
        else:
            stream.write(_pretty(value, 2))
        stream.write(",\n" if index < len(fields) - 1 else "\n")
    stream.write("}\n")


def _finding_text(finding: PlainFinding) -> str:
    """``_pretty(finding.model().model_dump(mode="json", by_alias=True), 4)``, written from the
    finding's values in one piece: a large run reports tens of thousands, and this was most of the
    time of a run served by the cache (a test holds the two equal)."""
    (
        path,
        record,
        reference_id,
        code,
        name,
        severity,
        message,
        line,
        column,
        end_line,
        end_column,
        cable_line,
        fix,
        fingerprint,
    ) = finding
    # A value that may be null is written inline: a function call for each (four a finding) was a
    # fifth of this function's time over 175,000 findings.
    return (
        f'{{\n      "path": {_encode_string(path)},'
        f'\n      "record": {"null" if record is None else repr(record)},'
        f'\n      "reference_id": {"null" if reference_id is None else _encode_string(reference_id)},'
        f'\n      "code": {_encode_string(code)},'
        f'\n      "name": {_encode_string(name)},'
        f'\n      "severity": {_encode_string(severity)},'
        f'\n      "message": {_encode_string(message)},'
        f'\n      "line": {line!r},'
        f'\n      "column": {column!r},'
        f'\n      "end_line": {end_line!r},'
        f'\n      "end_column": {end_column!r},'
        f'\n      "cable_line": {"null" if cable_line is None else repr(cable_line)},'
        f'\n      "fix": {"null" if fix is None else _fix_text(fix)},'
        f'\n      "fingerprint": {"null" if fingerprint is None else _encode_string(fingerprint)}'
        "\n    }"
    )


def _fix_text(fix: PlainFix) -> str:
    """``_pretty(fix.model().model_dump(mode="json"), 6)``: three fourths of the findings have a fix."""
    edits = "[]"
    if fix.edits:
        entries = ",\n".join(
            f'          {{\n            "line": {edit.line!r},\n            "column": {edit.column!r},'
            f'\n            "end_line": {edit.end_line!r},\n            "end_column": {edit.end_column!r},'
            f'\n            "content": {_encode_string(edit.content)}\n          }}'
            for edit in fix.edits
        )
        edits = f"[\n{entries}\n        ]"
    return (
        f'{{\n        "applicability": {_encode_string(fix.applicability)},'
        f'\n        "message": {_encode_string(fix.message)},'
        f'\n        "edits": {edits}'
        "\n      }"
    )


def _write_texts(stream: TextIO, texts: Iterator[str]) -> None:
    """An array of entries already encoded four spaces in."""
    first = True
    for text in texts:
        stream.write("[\n    " if first else ",\n    ")
        stream.write(text)
        first = False
    stream.write("[]" if first else "\n  ]")


def _pretty(value: object, depth: int) -> str:
    """``json.dumps(value, indent=2, ensure_ascii=False)`` as it reads ``depth`` spaces in. It writes
    the report's head; the entries, one per finding and per file, are written directly by
    ``_finding_text`` and ``_file_entry_text`` (tests hold them equal to what this writes)."""
    pad = " " * (depth + 2)
    if isinstance(value, dict):
        if not value:
            return "{}"
        # json.dumps writes a number, boolean or null key as the string of its JSON.
        inner = ",\n".join(
            f"{pad}{_encode_string(k if isinstance(k, str) else json.dumps(k))}: {_pretty(v, depth + 2)}"
            for k, v in value.items()
        )
        return "{\n" + inner + "\n" + " " * depth + "}"
    if isinstance(value, list):
        if not value:
            return "[]"
        return "[\n" + ",\n".join(pad + _pretty(v, depth + 2) for v in value) + "\n" + " " * depth + "]"
    if isinstance(value, str):
        return _encode_string(value)
    return json.dumps(value)  # numbers, booleans, null


_encode_string = json.encoder.encode_basestring
