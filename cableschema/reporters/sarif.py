"""``--format sarif``: SARIF 2.1.0, with every rule's help text, for GitHub code scanning."""

from __future__ import annotations

import functools
import json
from pathlib import PurePath
from typing import Any, TextIO

from .. import __version__, _regex
from .._json_stream import write_with_streamed_array
from ..engine import RunResult
from ..findings import PlainFinding
from ..rules import load
from ._context import ReportContext

_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/cableschema/cableschema"


@functools.lru_cache(maxsize=4096)  # a file's findings come one after another
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


# -- a result's text, written from templates --------------------------------------------------------
#
# json's encoder, when it indents, is written in Python: it took 45 us a result, most of a SARIF
# report's time. A result has one of two shapes (with or without a fix), so each is encoded once,
# with a hole for each value, as the text json.dumps writes at the results' depth; a result's text
# is then the holes filled with its values' JSON. The tests hold the text equal to json.dumps.

_RESULTS_DEPTH = 8  # runs[0].results[i]: four levels of two spaces
_HOLE = _regex.compile(r'"\\u0000(\w+)\\u0000"')


def _hole(name: str) -> str:
    return f"\0{name}\0"  # a string no value is: json writes it as "\u0000name\u0000"


def _template(shape: dict[str, Any], depth: int) -> str:
    """``json.dumps(shape, indent=2)`` at ``depth`` spaces, each hole a ``str.format`` field."""
    text = json.dumps(shape, indent=2, ensure_ascii=False).replace("\n", "\n" + " " * depth)
    return _HOLE.sub(r"{\1}", text.replace("{", "{{").replace("}", "}}"))


def _result_shape(fixes: bool) -> dict[str, Any]:
    region = {name: _hole(name) for name in ("startLine", "startColumn", "endLine", "endColumn")}
    shape: dict[str, Any] = {
        "ruleId": _hole("ruleId"),
        "ruleIndex": _hole("ruleIndex"),
        "level": _hole("level"),
        "message": {"text": _hole("message")},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": _hole("uri")}, "region": region}}],
        "partialFingerprints": {"cableschema/v1": _hole("fingerprint")},
        "properties": {"referenceId": _hole("referenceId"), "cableLine": _hole("cableLine"), "record": _hole("record")},
    }
    if fixes:
        shape["fixes"] = [
            {
                "description": {"text": _hole("fixMessage")},
                "artifactChanges": [{"artifactLocation": {"uri": _hole("uri")}, "replacements": _hole("replacements")}],
            }
        ]
    return shape


_RESULT = _template(_result_shape(False), _RESULTS_DEPTH)
_RESULT_WITH_FIX = _template(_result_shape(True), _RESULTS_DEPTH)
_REPLACEMENTS_DEPTH = _RESULTS_DEPTH + 10  # result, fixes[], fix, artifactChanges[], change
_REPLACEMENT = _template(
    {
        "deletedRegion": {name: _hole(name) for name in ("startLine", "startColumn", "endLine", "endColumn")},
        "insertedContent": {"text": _hole("content")},
    },
    _REPLACEMENTS_DEPTH + 2,
)
_encode = json.encoder.encode_basestring


def _json(value: str | int | None) -> str:
    return "null" if value is None else _encode(value) if isinstance(value, str) else str(int(value))


def _result_text(finding: PlainFinding, index: dict[str, int]) -> str:
    """``json.dumps(_result(finding, index), indent=2)`` as the results array holds it."""
    end_column = finding.end_column
    if finding.end_line == finding.line:
        end_column = max(end_column, finding.column)
    values = {
        "ruleId": _encode(finding.code),
        "ruleIndex": str(index.get(finding.code, 0)),
        "level": _encode(_LEVEL[finding.severity]),
        "message": _encode(finding.message),
        "uri": _encode(_uri(finding.path)),
        "startLine": str(finding.line),
        "startColumn": str(finding.column),
        "endLine": str(finding.end_line),
        "endColumn": str(end_column),
        "fingerprint": _encode(finding.fingerprint or ""),
        "referenceId": _json(finding.reference_id),
        "cableLine": _json(finding.cable_line),
        "record": _json(finding.record),
    }
    fix = finding.fix
    if fix is None:
        return _RESULT.format_map(values)
    margin = "\n" + " " * (_REPLACEMENTS_DEPTH + 2)
    replacements = ",".join(
        margin
        + _REPLACEMENT.format(
            startLine=edit.line,
            startColumn=edit.column,
            endLine=edit.end_line,
            endColumn=edit.end_column,
            content=_encode(edit.content),
        )
        for edit in fix.edits
    )
    values["replacements"] = f"[{replacements}\n{' ' * _REPLACEMENTS_DEPTH}]" if fix.edits else "[]"
    values["fixMessage"] = _encode(fix.message)
    return _RESULT_WITH_FIX.format_map(values)


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
    results = (_result_text(finding, index) for finding in run.findings)
    # "results" is a member of runs[0], three levels deep.
    write_with_streamed_array(stream, _document(run, rules, []), "results", 3, results, indent=2, encoded=True)
    stream.write("\n")
