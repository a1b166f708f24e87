"""Every report format is valid for the tool that reads it."""

from __future__ import annotations

import io
import json
import re
from xml.etree import ElementTree as ET

import jsonschema
import pytest

from cableschema.cli import main
from cableschema.config import Settings
from cableschema.engine import discover, run
from cableschema.reporters import REPORTERS, ReportContext

from .conftest import ROOT, SAMPLE

SARIF_SCHEMA = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
_GITHUB = re.compile(
    r"^::(error|warning|notice) file=[^,:]+,line=[0-9]+,col=[0-9]+,endLine=[0-9]+,endColumn=[0-9]+,"
    r"title=[^,:]+::[^\r\n]*$"
)


@pytest.fixture(scope="module")
def sample_run():
    settings = Settings(cache=False)
    files, _ = discover([str(SAMPLE)], settings)
    return run(files, settings)


def render(fmt: str, result) -> str:
    stream = io.StringIO()
    REPORTERS[fmt](result, ReportContext(), stream)
    return stream.getvalue()


def report_schema() -> dict:
    """The committed, published file: never the model's own export, so a report that drifts from
    what users validate against fails here."""
    return json.loads((ROOT / "schemas" / "report" / "1-0-0.json").read_text(encoding="utf-8"))


def test_json_report_validates(sample_run) -> None:
    document = json.loads(render("json", sample_run))
    jsonschema.validate(document, report_schema())
    assert document["summary"]["files"] == len(sample_run.files)
    assert document["summary"]["findings"] == len(document["findings"]) > 0
    assert sum(document["summary"]["by_code"].values()) == len(document["findings"])


def test_json_report_is_written_piece_by_piece_as_the_whole_model_dumps(sample_run) -> None:
    from cableschema.engine import RunResult
    from cableschema.reporters.json_report import build

    for result in (sample_run, RunResult(files=[], findings=[])):
        whole = json.dumps(build(result).model_dump(mode="json", by_alias=True), indent=2, ensure_ascii=False)
        assert render("json", result) == whole + "\n"


def test_a_report_head_is_what_the_model_dumps(sample_run) -> None:
    from cableschema.reporters.json_report import _head, build

    expected = build(sample_run).model_dump(mode="json", by_alias=True)
    assert _head(sample_run, sample_run.counts) == {**expected, "findings": [], "files": []}
    assert list(_head(sample_run, sample_run.counts)) == list(expected)
    assert list(_head(sample_run, sample_run.counts)["summary"]) == list(expected["summary"])


def test_a_report_file_entry_is_what_the_model_dumps(sample_run) -> None:
    from collections import Counter

    from cableschema.engine import FileResult
    from cableschema.reporters.json_report import _file_entry_text, _file_summary, _pretty

    per_file = Counter(f.path for f in sample_run.findings)
    odd = FileResult(path='a "b"\\é.txt', error="cannot read file: \u2028\t")
    for result in [*sample_run.files, odd]:
        assert _file_entry_text(result, per_file) == _pretty(_file_summary(result, per_file).model_dump(mode="json"), 4)


def test_a_report_finding_is_what_the_model_dumps(sample_run) -> None:
    from cableschema.reporters.json_report import _finding_text, _pretty

    assert any(f.fix is not None for f in sample_run.findings)
    for finding in sample_run.findings:
        assert _finding_text(finding) == _pretty(finding.model_dump(mode="json", by_alias=True), 4)


def test_a_report_finding_of_every_shape_is_what_the_model_dumps() -> None:
    from cableschema.model import Edit, Finding, Fix
    from cableschema.reporters.json_report import _finding_text, _pretty

    edits = [
        Edit(line=1, column=2, end_line=3, end_column=4, content='é"\\\n\u2028'),
        Edit(line=5, column=6, end_line=7, end_column=8, content=""),
    ]
    findings = [
        Finding(
            path="a.txt", code="T501", name="x", severity="info", message="", line=1, column=1, end_line=1, end_column=1
        ),
        Finding(
            path='a "b"\\é.txt',
            record=3,
            reference_id="07ASTANA2221",
            code="T501",
            name="word-split-across-lines",
            severity="error",
            message='\t\u2028"',
            line=10,
            column=20,
            end_line=30,
            end_column=40,
            cable_line=7,
            fix=Fix(applicability="safe", message="join", edits=edits),
            fingerprint="0123456789abcdef",
        ),
    ]
    findings.append(findings[1].model_copy(update={"fix": Fix(applicability="unsafe", message="", edits=[])}))
    for finding in findings:
        assert _finding_text(finding) == _pretty(finding.model_dump(mode="json", by_alias=True), 4)


@pytest.mark.parametrize(
    "value",
    [
        {"a": [1, 2.5, True, False, None, {"x": [], "y": {}}], "b": {}, "c": "é\u2028\"\\\t"},
        [[], [{}], [[1]], "", -3, 1e100],
        {3: "int key", None: "null key", True: "bool key", 1.5: "float key"},
    ],
)
def test_the_report_encoder_writes_what_json_dumps_writes(value: object) -> None:
    from cableschema.reporters.json_report import _pretty

    for depth in (0, 2, 4):
        expected = json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n" + " " * depth)
        assert _pretty(value, depth) == expected


def test_sarif_report_validates_against_the_oasis_schema(sample_run) -> None:
    document = json.loads(render("sarif", sample_run))
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(document)
    driver = document["runs"][0]["tool"]["driver"]
    assert all(rule["help"]["text"] for rule in driver["rules"])
    ids = [rule["id"] for rule in driver["rules"]]
    for result in document["runs"][0]["results"]:
        assert ids[result["ruleIndex"]] == result["ruleId"]


def test_junit_report_parses(sample_run) -> None:
    root = ET.fromstring(render("junit", sample_run))
    assert root.tag == "testsuites"
    cases = root.findall(".//testcase")
    assert len(cases) >= sample_run.cables
    failures = root.findall(".//failure")
    assert len(failures) == sum(1 for f in sample_run.findings if f.severity == "error")


def test_github_annotations_match_the_workflow_command_syntax(sample_run) -> None:
    lines = render("github", sample_run).splitlines()
    assert len(lines) == len(sample_run.findings)
    for line in lines:
        assert _GITHUB.match(line), line


def test_output_file_and_statistics(tmp_path, capsys) -> None:
    out = tmp_path / "report.json"
    status = main(["lint", "--isolated", "--format", "json", "--output", str(out), "--statistics", str(SAMPLE)])
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "total in" in captured.err
    document = json.loads(out.read_text(encoding="utf-8"))
    jsonschema.validate(document, report_schema())
    assert status == (1 if any(f["severity"] == "error" for f in document["findings"]) else 0)
