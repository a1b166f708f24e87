"""``--format junit``: one test suite per file, one test case per cable, a failure per finding.

Findings below ``--fail-on`` are kept as ``system-out`` of their test case, so the XML shows
them without failing the build that the exit status would not fail either.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TextIO
from xml.etree import ElementTree as ET

from ..engine import SEVERITY_RANK, RunResult
from ..model import Finding
from ._context import ReportContext

_INVALID_XML = dict.fromkeys([c for c in range(0x20) if c not in (0x09, 0x0A, 0x0D)] + [0xFFFE, 0xFFFF])


def _clean(value: str) -> str:
    return value.translate(_INVALID_XML)


def report(run: RunResult, context: ReportContext, stream: TextIO) -> None:
    threshold = SEVERITY_RANK[context.fail_on]
    by_case: dict[tuple[str, int | None, str | None], list[Finding]] = defaultdict(list)
    for finding in run.findings:
        by_case[(finding.path, finding.record, finding.reference_id)].append(finding)
    root = ET.Element("testsuites", name="cableschema")
    total_tests = total_failures = 0
    for result in run.files:
        suite = ET.SubElement(root, "testsuite", name=_clean(result.path))
        cases: list[tuple[int | None, str | None]] = [(c.record, c.reference_id) for c in result.cables]
        # Findings not tied to a parsed cable (unreadable files, records) get a case of their own.
        for key in by_case:
            if key[0] == result.path and (key[1], key[2]) not in cases:
                cases.append((key[1], key[2]))
        if not cases:
            cases.append((None, None))
        failures = 0
        for record, reference_id in cases:
            name = reference_id or (f"record {record}" if record else result.path)
            if record and reference_id:
                name = f"{reference_id} (record {record})"
            case = ET.SubElement(suite, "testcase", name=_clean(name), classname=_clean(result.path))
            below: list[str] = []
            for finding in by_case.get((result.path, record, reference_id), []):
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
        total_tests += len(cases)
        total_failures += failures
    root.set("tests", str(total_tests))
    root.set("failures", str(total_failures))
    root.set("errors", "0")
    ET.indent(root)
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    stream.write(ET.tostring(root, encoding="unicode"))
    stream.write("\n")
