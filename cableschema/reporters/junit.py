"""``--format junit``: one test suite per file, one test case per cable, a failure per finding.

Findings below ``--fail-on`` are kept as ``system-out`` of their test case, so the XML shows
them without failing the build that the exit status would not fail either.

The report is written one file's suite at a time: a run's findings come sorted by path, in the
order of its files, so each file's findings are together and the suite is made once they are all
read. The root's totals are known only at the end, so the suites wait in a spooled temporary file
(in memory up to a few MB, then on disk) until the root's opening tag is written.
"""

from __future__ import annotations

import shutil
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import IO, TextIO
from xml.etree import ElementTree as ET

from ..engine import SEVERITY_RANK, FileResult, RunResult
from ..findings import PlainFinding
from ._context import ReportContext

_INVALID_XML = dict.fromkeys([c for c in range(0x20) if c not in (0x09, 0x0A, 0x0D)] + [0xFFFE, 0xFFFF])
_XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'
# ET.indent's margin before each suite inside <testsuites>.
_SUITE_MARGIN = "\n  "
_SPOOL_IN_MEMORY = 8 * 1024 * 1024

# A test case's key within its file: (record, reference ID).
CaseKey = tuple[int | None, str | None]


def _clean(value: str) -> str:
    return value.translate(_INVALID_XML)


class _OutOfOrder(Exception):
    """The findings are not grouped by file in the order of the run's files (or a file is there
    twice): the suites cannot be written one file's at a time."""


def _suite(
    result: FileResult, by_case: dict[CaseKey, list[PlainFinding]], threshold: int
) -> tuple[ET.Element, int, int]:
    """The file's <testsuite> (indented as in the whole document), its tests and failures.
    ``by_case`` holds the file's findings by case, in the findings' order."""
    suite = ET.Element("testsuite", name=_clean(result.path))
    cases: list[CaseKey] = [(c.record, c.reference_id) for c in result.cables]
    # Findings not tied to a parsed cable (unreadable files, records) get a case of their own.
    for key in by_case:
        if key not in cases:
            cases.append(key)
    if not cases:
        cases.append((None, None))
    failures = 0
    for record, reference_id in cases:
        name = reference_id or (f"record {record}" if record else result.path)
        if record and reference_id:
            name = f"{reference_id} (record {record})"
        case = ET.SubElement(suite, "testcase", name=_clean(name), classname=_clean(result.path))
        below: list[str] = []
        for finding in by_case.get((record, reference_id), []):
            where = f"{finding.path}:{finding.line}:{finding.column}"
            line = f"{where}: {finding.code} [{finding.severity}] {finding.message}"
            if SEVERITY_RANK[finding.severity] >= threshold:
                failure = ET.SubElement(
                    case,
                    "failure",
                    message=_clean(f"{finding.code} {finding.message}"),
                    type=f"{finding.code} {finding.name}",
                )
                failure.text = _clean(line)
                failures += 1
            else:
                below.append(line)
        if below:
            ET.SubElement(case, "system-out").text = _clean("\n".join(below))
    suite.set("tests", str(len(cases)))
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    # A suite is the root's child: indented one level in, as ET.indent does the whole tree.
    ET.indent(suite, level=1)
    return suite, len(cases), failures


def _streamed_suites(
    files: Sequence[FileResult], findings: Iterable[PlainFinding], threshold: int, out: IO[str]
) -> tuple[int, int]:
    """Write every file's suite to ``out``, reading the findings once, one file's at a time.
    Returns the totals (tests, failures). Raises _OutOfOrder when a finding comes after a later
    file's (nothing is then to be trusted in ``out``)."""
    position = {result.path: number for number, result in enumerate(files)}
    if len(position) != len(files):
        raise _OutOfOrder  # a path twice: both suites show the same findings, kept in memory
    total_tests = total_failures = 0
    current = 0  # the file whose findings are being read
    by_case: dict[CaseKey, list[PlainFinding]] = defaultdict(list)

    def write_suites(until: int) -> None:
        """Write the suites of files current..until-1: the first with the findings read so far,
        the others (files without findings) with none."""
        nonlocal current, by_case, total_tests, total_failures
        while current < until:
            suite, tests, failures = _suite(files[current], by_case, threshold)
            out.write(_SUITE_MARGIN + ET.tostring(suite, encoding="unicode"))
            total_tests += tests
            total_failures += failures
            by_case = defaultdict(list)
            current += 1

    for finding in findings:
        number = position.get(finding.path)
        if number is None:
            continue  # no file of the run has this path: no suite shows it (nor did one ever)
        if number < current:
            raise _OutOfOrder
        write_suites(number)
        by_case[(finding.record, finding.reference_id)].append(finding)
    write_suites(len(files))
    return total_tests, total_failures


def _suites_in_memory(
    files: Sequence[FileResult], findings: Iterable[PlainFinding], threshold: int, out: IO[str]
) -> tuple[int, int]:
    """As _streamed_suites, for findings in any order: all of them are grouped first."""
    by_path: dict[str, dict[CaseKey, list[PlainFinding]]] = defaultdict(lambda: defaultdict(list))
    for finding in findings:
        by_path[finding.path][(finding.record, finding.reference_id)].append(finding)
    total_tests = total_failures = 0
    for result in files:
        suite, tests, failures = _suite(result, by_path.get(result.path, {}), threshold)
        out.write(_SUITE_MARGIN + ET.tostring(suite, encoding="unicode"))
        total_tests += tests
        total_failures += failures
    return total_tests, total_failures


def report(run: RunResult, context: ReportContext, stream: TextIO) -> None:
    threshold = SEVERITY_RANK[context.fail_on]
    # newline="": the suites' text (a "\r" in a message) comes back as it went in; surrogatepass:
    # so does any str (a path of undecodable bytes), whatever the stream then makes of it.
    with tempfile.SpooledTemporaryFile(
        _SPOOL_IN_MEMORY, mode="w+", encoding="utf-8", errors="surrogatepass", newline=""
    ) as suites:
        try:
            tests, failures = _streamed_suites(run.files, run.findings, threshold, suites)
        except _OutOfOrder:
            # Never so from the engine; a RunResult made otherwise is read a second time.
            suites.seek(0)
            suites.truncate()
            tests, failures = _suites_in_memory(run.files, run.findings, threshold, suites)
        root = ET.Element("testsuites", name="cableschema", tests=str(tests), failures=str(failures), errors="0")
        stream.write(_XML_DECLARATION)
        if not run.files:
            stream.write(ET.tostring(root, encoding="unicode"))  # an empty element: <testsuites ... />
        else:
            empty_root = ET.tostring(root, encoding="unicode")
            stream.write(empty_root.removesuffix(" />") + ">")
            suites.seek(0)
            shutil.copyfileobj(suites, stream)
            stream.write("\n</testsuites>")
    stream.write("\n")
