"""Every report format is valid for the tool that reads it."""

from __future__ import annotations

import io
import json
import os
import re
from xml.etree import ElementTree as ET

import jsonschema
import pytest

from cableschema.cli import main
from cableschema.config import Settings
from cableschema.engine import discover, run
from cableschema.reporters import REPORTERS, ReportContext

from .conftest import FIXTURES, ROOT, SAMPLE, check_snapshot

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
        assert _finding_text(finding) == _pretty(finding.model().model_dump(mode="json", by_alias=True), 4)


def test_a_report_finding_of_every_shape_is_what_the_model_dumps() -> None:
    from cableschema.findings import PlainFinding
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
        assert _finding_text(PlainFinding.of(finding)) == _pretty(finding.model_dump(mode="json", by_alias=True), 4)


@pytest.mark.parametrize(
    "value",
    [
        {"a": [1, 2.5, True, False, None, {"x": [], "y": {}}], "b": {}, "c": 'é\u2028"\\\t'},
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


# -- streamed writers: byte for byte what the whole-document algorithms wrote ---------------------


class _ReadOnce:
    """Findings that may be iterated once (and have no len), as a disk-backed run's may be."""

    def __init__(self, findings) -> None:
        self._findings = list(findings)
        self._read = False

    def __iter__(self):
        assert not self._read, "the findings were iterated a second time"
        self._read = True
        return iter(self._findings)


def _cable(path: str, record: int | None, reference_id: str | None):
    from cableschema.rules import CorpusEntry

    return CorpusEntry(path, record, reference_id, "0" * 16, 1, 1, 1, 2, None)


def _finding(path: str, code: str, severity: str, message: str, **more):
    """A finding as a run gives it (plain values), validated as the model first."""
    from cableschema.findings import PlainFinding
    from cableschema.model import Finding
    from cableschema.rules import load

    fields = {"line": 1, "column": 1, "end_line": 1, "end_column": 2, **more}
    model = Finding(path=path, code=code, name=load()[code].name, severity=severity, message=message, **fields)
    return PlainFinding.of(model)


def _hand_made_runs():
    """Runs of every shape a report meets, findings sorted by path in the files' order."""
    from cableschema.engine import FileResult, RunResult
    from cableschema.model import Edit, Fix

    odd = "a <b> & 'c' \"d\" \x01\x1b\x7f\ufffe\uffff é \u2028 \r\n\t end"
    files = [
        FileResult(path="text/a.txt", format="text"),  # no cable, no finding: a case of its own
        FileResult(
            path="text/07ASTANA2221.txt",
            format="text",
            cables=[_cable("text/07ASTANA2221.txt", None, "07ASTANA2221")],
        ),
        FileResult(
            path="jsonl/many.jsonl",
            format="jsonl",
            cables=[_cable("jsonl/many.jsonl", 1, "07ASTANA2221"), _cable("jsonl/many.jsonl", 2, None)],
        ),
        FileResult(path="jsonl/quiet.jsonl", format="jsonl", cables=[_cable("jsonl/quiet.jsonl", 1, "09PARIS1")]),
        FileResult(path="html/unread\x02 <é>.html", format=None, error="cannot read file"),
        FileResult(path="html/z-last.html", format="html", cables=[_cable("html/z-last.html", None, "08ROME7")]),
    ]
    edit = Edit(line=2, column=3, end_line=2, end_column=5, content="")
    fix = Fix(applicability="safe", message="join", edits=[edit])
    findings = [
        _finding("text/07ASTANA2221.txt", "T501", "error", "split", reference_id="07ASTANA2221", fix=fix),
        _finding("text/07ASTANA2221.txt", "H212", "info", odd, reference_id="07ASTANA2221", line=3),
        _finding("text/07ASTANA2221.txt", "S401", "warning", "numbering", reference_id="07ASTANA2221", line=4),
        _finding("jsonl/many.jsonl", "M101", "error", "row one", record=1, reference_id="07ASTANA2221"),
        _finding("jsonl/many.jsonl", "H211", "warning", "row two", record=2),
        # Not one of the file's cables: its case is added after the cables'.
        _finding("jsonl/many.jsonl", "E002", "error", "no cable in row 3", record=3),
        _finding("jsonl/many.jsonl", "M108", "warning", "dup " + odd, record=4, reference_id="07ASTANA2221"),
        _finding("html/unread\x02 <é>.html", "E001", "error", "cannot read " + odd, fingerprint="0123456789abcdef"),
    ]
    yield RunResult(files=[], findings=[])
    yield RunResult(files=files[:1], findings=[])
    yield RunResult(files=files[3:4], findings=[])
    yield RunResult(files=files, findings=[])
    yield RunResult(files=files, findings=findings)
    yield RunResult(files=files[1:3], findings=findings[:7])
    yield RunResult(files=files[4:5], findings=findings[7:])
    # A finding of no file of the run: a SARIF result, in no JUnit suite (as ever).
    stray = _finding("jsonl/gone.jsonl", "E001", "error", "of no file of the run")
    yield RunResult(files=files[1:3], findings=[stray, *findings[:3], stray, *findings[3:7], stray])


def _render_streamed(fmt: str, result, fail_on: str = "error") -> str:
    """The report of ``result`` with its findings readable once."""
    from cableschema.engine import RunResult

    once = RunResult(files=result.files, findings=_ReadOnce(result.findings))
    stream = io.StringIO()
    REPORTERS[fmt](once, ReportContext(fail_on=fail_on), stream)
    return stream.getvalue()


@pytest.mark.parametrize("batch", [1, 2, 256])
@pytest.mark.parametrize("indent", [1, 2])
def test_a_streamed_array_is_written_as_json_dumps_writes_the_whole_document(monkeypatch, indent, batch) -> None:
    from cableschema import _json_stream
    from cableschema._json_stream import write_with_streamed_array

    monkeypatch.setattr(_json_stream, "_BATCH", batch)

    decoy = {"results": [], "text": '"results": []\n      "results": []', "deeper": {"more": {"results": []}}}
    items = [{"a": [1, {"b": []}, {}], "s": 'line\nbreak \u2028 é "q"'}, [], {}, "x", None, [[{"c": 2.5}]]]
    for count in (0, 1, 2, 3, len(items)):
        document = {"head": decoy, "runs": [{"before": [1], "results": items[:count], "after": {"z": True}}]}
        expected = json.dumps(document, indent=indent, ensure_ascii=False)
        document["runs"][0]["results"] = []
        stream = io.StringIO()
        written = write_with_streamed_array(stream, document, "results", 3, iter(items[:count]), indent)
        assert (stream.getvalue(), written) == (expected, count)
    # Not empty, or twice at its depth: refused, never written in the wrong place.
    for no_single_place, depth in (({"results": [1]}, 1), ({"a": {"results": []}, "b": {"results": []}}, 2)):
        with pytest.raises(ValueError, match="no single empty 'results'"):
            write_with_streamed_array(io.StringIO(), no_single_place, "results", depth, [], indent)


def test_a_streamed_array_writes_the_items_it_reads_before_reading_more() -> None:
    from cableschema._json_stream import _BATCH, write_with_streamed_array

    read = 0

    def items():
        nonlocal read
        for number in range(3 * _BATCH + 1):
            read += 1
            yield {"n": number}

    class Watching(io.StringIO):
        def write(self, text: str) -> int:
            written = super().write(text)
            # Every item read is written by the time the next batch is read.
            assert read <= self.getvalue().count('"n"'), (read, self.getvalue().count('"n"'))
            return written

    stream = Watching()
    assert write_with_streamed_array(stream, {"items": []}, "items", 1, items(), 2) == 3 * _BATCH + 1
    assert json.loads(stream.getvalue()) == {"items": [{"n": n} for n in range(3 * _BATCH + 1)]}


def test_sarif_report_is_written_piece_by_piece_as_the_whole_document_dumps(sample_run) -> None:
    from cableschema.reporters import sarif

    for result in [sample_run, *_hand_made_runs()]:
        expected = json.dumps(sarif.build(result), indent=2, ensure_ascii=False) + "\n"
        assert _render_streamed("sarif", result) == expected


def test_a_sarif_result_written_from_its_template_is_what_json_dumps_writes(sample_run) -> None:
    from cableschema.findings import PlainEdit, PlainFix
    from cableschema.reporters import sarif

    _, index = sarif._rules()
    odd = "a <b> & 'c' \"d\" \x01\x1b\x7f\ufffe\uffff \u00e9 \u2028 \r\n\t end {x} {{y}} %s"
    base = _finding("a/{b}.txt", "T501", "error", odd, reference_id="07ASTANA2221", record=3, cable_line=4)
    edits = (PlainEdit(1, 2, 3, 4, odd), PlainEdit(5, 6, 5, 9, ""))
    shapes = [
        *sample_run.findings,
        base,
        base._replace(reference_id=None, record=None, cable_line=None, fingerprint=None, code="X999", end_line=9),
        base._replace(fix=PlainFix("safe", odd, ())),
        base._replace(fix=PlainFix("unsafe", "", edits[:1])),
        base._replace(fix=PlainFix("safe", "join", edits), end_column=1, column=7),
    ]
    for finding in shapes:
        expected = json.dumps(sarif._result(finding, index), indent=2, ensure_ascii=False).replace("\n", "\n" + " " * 8)
        assert sarif._result_text(finding, index) == expected


@pytest.mark.parametrize("fmt", ["sarif", "junit"])
def test_a_streamed_report_reads_the_findings_once_and_never_asks_their_number(sample_run, fmt: str) -> None:
    from cableschema.engine import RunResult

    findings = _ReadOnce(sample_run.findings)
    stream = io.StringIO()
    REPORTERS[fmt](RunResult(files=sample_run.files, findings=findings), ReportContext(), stream)
    assert stream.getvalue() == render(fmt, sample_run)
    with pytest.raises(AssertionError, match="second time"):
        iter(findings)  # the guard itself holds


def _junit_oracle(run, context, stream) -> None:
    """The JUnit report as written before it was streamed: every finding grouped first, then one
    tree of the whole run, indented and written at once. Each suite's contents are the
    reporter's own ``_suite`` (unchanged by the streaming); what this holds the streamed report
    to is the grouping, the order, the indentation and the root."""
    from collections import defaultdict

    from cableschema.engine import SEVERITY_RANK
    from cableschema.reporters import junit

    threshold = SEVERITY_RANK[context.fail_on]
    by_case = defaultdict(list)
    for finding in run.findings:
        by_case[(finding.path, finding.record, finding.reference_id)].append(finding)
    root = ET.Element("testsuites", name="cableschema")
    total_tests = total_failures = 0
    for result in run.files:
        own = {(rec, ref): found for (path, rec, ref), found in by_case.items() if path == result.path}
        suite, tests, failures = junit._suite(result, own, threshold)
        root.append(suite)
        total_tests += tests
        total_failures += failures
    root.set("tests", str(total_tests))
    root.set("failures", str(total_failures))
    root.set("errors", "0")
    ET.indent(root)
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    stream.write(ET.tostring(root, encoding="unicode"))
    stream.write("\n")


def _junit_expected(result, fail_on: str) -> str:
    stream = io.StringIO()
    _junit_oracle(result, ReportContext(fail_on=fail_on), stream)
    return stream.getvalue()


@pytest.mark.parametrize("fail_on", ["error", "warning", "info"])
def test_junit_report_is_written_suite_by_suite_as_the_whole_tree_serialises(sample_run, fail_on: str) -> None:
    for result in [sample_run, *_hand_made_runs()]:
        assert _render_streamed("junit", result, fail_on) == _junit_expected(result, fail_on)


def test_junit_report_of_findings_out_of_the_files_order_is_the_whole_trees() -> None:
    """Findings not grouped in the files' order (no engine run makes them) are grouped in
    memory: none is lost, and a finding of no file is left out as it always was."""
    from cableschema.engine import FileResult, RunResult

    runs = list(_hand_made_runs())
    files, findings = runs[4].files, runs[4].findings
    stray = _finding("elsewhere.txt", "E001", "error", "of no file of the run")
    shuffled = [
        RunResult(files=files, findings=findings[::-1]),  # a file's findings after a later file's
        RunResult(files=files, findings=[findings[3], findings[0], *findings[1:3], *findings[4:]]),
        RunResult(files=files[::-1], findings=findings),  # the files in another order
        RunResult(files=[*files, files[1]], findings=findings),  # a path twice
        RunResult(files=[files[1], files[1]], findings=findings[:3]),  # twice, and in order
        RunResult(files=files, findings=[stray, *findings, stray]),
        RunResult(files=[FileResult(path="a.txt")], findings=[stray]),
    ]
    for result in shuffled:
        for fail_on in ("error", "info"):
            stream = io.StringIO()
            REPORTERS["junit"](result, ReportContext(fail_on=fail_on), stream)
            assert stream.getvalue() == _junit_expected(result, fail_on)


def test_junit_suites_spooled_to_disk_come_back_as_written(monkeypatch) -> None:
    """Past the spool's size in memory the suites go to a file: text with a "\r", a surrogate
    and non-ASCII characters comes back unchanged."""
    import tempfile

    from cableschema.reporters import junit

    monkeypatch.setattr(junit, "_SPOOL_IN_MEMORY", 64)
    rolled_over = []
    rollover = tempfile.SpooledTemporaryFile.rollover
    monkeypatch.setattr(
        tempfile.SpooledTemporaryFile, "rollover", lambda spool: (rolled_over.append(spool), rollover(spool))[1]
    )
    result = list(_hand_made_runs())[4]
    odd = _finding("text/07ASTANA2221.txt", "T508", "error", "cr\r lone \udcff pair \ud83d\ude00 é\u2028 😀")
    result.findings.insert(3, odd)
    for fail_on in ("error", "info"):
        assert _render_streamed("junit", result, fail_on) == _junit_expected(result, fail_on)
    assert rolled_over


def _baseline_expected(findings) -> str:
    """The baseline as written before it was streamed: one list of entries, dumped whole."""
    from pathlib import Path

    from cableschema.baseline import FORMAT

    entries = [
        {
            "path": Path(f.path).as_posix(),
            "code": f.code,
            "fingerprint": f.fingerprint,
            "reference_id": f.reference_id,
            "line": f.line,
            "message": f.message,
        }
        for f in findings
    ]
    return json.dumps({"format": FORMAT, "entries": entries}, indent=1, ensure_ascii=False) + "\n"


def test_a_baseline_is_written_entry_by_entry_as_the_whole_document_dumps(sample_run, tmp_path) -> None:
    from cableschema import baseline

    findings = list(_hand_made_runs())[4].findings
    message = 'mojibake "Ã©" \u2028 \\ \n end'
    odd = _finding("./d//\\é 文.txt", "T505", "warning", message, fingerprint="abcdef0123456789")
    inputs = [[], findings[:1], [*findings, odd], sample_run.findings]
    for number, written in enumerate(inputs):
        destination = tmp_path / f"baseline-{number}.json"
        # A generator: read once, never counted.
        count = baseline.write((finding for finding in written), str(destination))
        assert destination.read_bytes() == _baseline_expected(written).encode("utf-8")
        assert count == len(written)
        assert sum(baseline.load(str(destination)).values()) == len(written)
    assert [path.name for path in tmp_path.iterdir() if path.name.startswith(".baseline-")] == []


def test_a_baseline_write_that_fails_midway_leaves_the_old_baseline(tmp_path) -> None:
    from cableschema import baseline

    destination = tmp_path / "baseline.json"
    destination.write_text("old", encoding="utf-8")
    findings = list(_hand_made_runs())[4].findings

    def failing():
        yield from findings[:2]
        raise RuntimeError("the findings could not be read")

    with pytest.raises(RuntimeError, match="could not be read"):
        baseline.write(failing(), str(destination))
    assert destination.read_text(encoding="utf-8") == "old"
    assert [path.name for path in tmp_path.iterdir()] == ["baseline.json"]


@pytest.mark.parametrize("fail_on", ["error", "info"])
def test_junit_report_of_the_sample_is_its_snapshot(sample_run, fail_on: str, update_snapshots: bool) -> None:
    """Each suite's tests, failures, test cases and failure types over the sample corpus, held in
    a snapshot: the streamed report is held to the whole-tree one above, and this holds both."""
    stream = io.StringIO()
    REPORTERS["junit"](sample_run, ReportContext(fail_on=fail_on), stream)
    root = ET.fromstring(stream.getvalue())
    prefix = str(ROOT) + os.sep

    def relative(text: str) -> str:
        return text.replace(prefix, "")

    suites = {
        relative(suite.get("name", "")): {
            "tests": int(suite.get("tests", "0")),
            "failures": int(suite.get("failures", "0")),
            "cases": [
                {
                    "name": relative(case.get("name", "")),
                    "failures": [failure.get("type") for failure in case.iter("failure")],
                    "below": len((case.findtext("system-out") or "").splitlines()),
                }
                for case in suite.iter("testcase")
            ],
        }
        for suite in root.iter("testsuite")
    }
    totals = {"tests": int(root.get("tests", "0")), "failures": int(root.get("failures", "0"))}
    snapshot = FIXTURES / "snapshots" / f"sample-junit-{fail_on}.json"
    check_snapshot(snapshot, {"totals": totals, "suites": suites}, update_snapshots)


def test_the_summary_line_is_a_terminals_and_not_with_quiet(sample_run) -> None:
    """The last line on a terminal counts the findings; ``--quiet`` (``summary=False``) drops it."""
    shown, quiet = io.StringIO(), io.StringIO()
    REPORTERS["text"](sample_run, ReportContext(show_source=True), shown)
    REPORTERS["text"](sample_run, ReportContext(show_source=True, summary=False), quiet)
    assert shown.getvalue().splitlines()[-1].startswith("Found ")
    assert quiet.getvalue() == shown.getvalue()[: shown.getvalue().rindex("Found ")]
