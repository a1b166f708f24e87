"""``--format sarif``: SARIF 2.1.0, with every rule's help text, for GitHub code scanning."""

from __future__ import annotations

from pathlib import PurePath
from typing import Any, TextIO

from .. import __version__
from .._json_stream import write_with_streamed_array
from ..engine import RunResult
from ..findings import PlainFinding
from ..rules import load
from ._context import ReportContext

_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/cableschema/cableschema"


def _uri(path: str) -> str:
    return PurePath(path).as_posix().lstrip("/") if not path.startswith("<") else path


def _rules() -> tuple[list[dict[str, Any]], dict[str, int]]:
    """Every rule's descriptor, and each code's position among them (a result's ruleIndex)."""
    rules = []
    index: dict[str, int] = {}
    for position, (code, rule) in enumerate(load().items()):
        index[code] = position
        rules.append(
            {
                "id": code,
                "name": rule.name,
                "shortDescription": {"text": rule.summary},
                "fullDescription": {"text": rule.section("What it does") or rule.summary},
                "help": {"text": rule.docs, "markdown": rule.docs},
                "helpUri": f"{INFORMATION_URI}/blob/main/docs/rules.md#{code.lower()}-{rule.name}",
                "defaultConfiguration": {"level": _LEVEL[rule.severity]},
                "properties": {"tags": [rule.scope], "fixable": rule.fix or "no"},
            }
        )
    return rules, index


def _result(finding: PlainFinding, index: dict[str, int]) -> dict[str, Any]:
    region: dict[str, Any] = {
        "startLine": finding.line,
        "startColumn": finding.column,
        "endLine": finding.end_line,
        "endColumn": max(finding.end_column, finding.column)
        if finding.end_line == finding.line
        else finding.end_column,
    }
    result: dict[str, Any] = {
        "ruleId": finding.code,
        "ruleIndex": index.get(finding.code, 0),
        "level": _LEVEL[finding.severity],
        "message": {"text": finding.message},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(finding.path)}, "region": region}}],
        "partialFingerprints": {"cableschema/v1": finding.fingerprint or ""},
        "properties": {
            "referenceId": finding.reference_id,
            "cableLine": finding.cable_line,
            "record": finding.record,
        },
    }
    if finding.fix is not None:
        result["fixes"] = [
            {
                "description": {"text": finding.fix.message},
                "artifactChanges": [
                    {
                        "artifactLocation": {"uri": _uri(finding.path)},
                        "replacements": [
                            {
                                "deletedRegion": {
                                    "startLine": edit.line,
                                    "startColumn": edit.column,
                                    "endLine": edit.end_line,
                                    "endColumn": edit.end_column,
                                },
                                "insertedContent": {"text": edit.content},
                            }
                            for edit in finding.fix.edits
                        ],
                    }
                ],
            }
        ]
    return result


def _document(run: RunResult, rules: list[dict[str, Any]], results: list[dict[str, Any]]) -> dict[str, Any]:
    artifacts = [{"location": {"uri": _uri(f.path)}} for f in run.files]
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "cableschema",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": rules,
                    }
                },
                "artifacts": artifacts,
                "results": results,
                "columnKind": "unicodeCodePoints",
            }
        ],
    }


def build(run: RunResult) -> dict[str, Any]:
    """The whole SARIF document (for Python callers; ``report`` writes it without building it)."""
    rules, index = _rules()
    return _document(run, rules, [_result(finding, index) for finding in run.findings])


def report(run: RunResult, context: ReportContext, stream: TextIO) -> None:
    # The document around the results is small (rules, artifacts); the results, one per finding,
    # are written as they are made, so a run of a million findings holds a few (a batch) at a time.
    rules, index = _rules()
    results = (_result(finding, index) for finding in run.findings)
    # "results" is a member of runs[0], three levels deep.
    write_with_streamed_array(stream, _document(run, rules, []), "results", 3, results, indent=2)
    stream.write("\n")
